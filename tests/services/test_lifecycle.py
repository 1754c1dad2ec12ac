"""suit-server as a process: start-up files and messages, options, TLS,
restarts, SIGTERM with requests in flight, and kill -9 (everything that was
acknowledged is still there after a restart)."""
import datetime
import http.client
import json
import os
import pathlib
import shutil
import signal
import socket
import ssl
import stat
import subprocess
import threading
import time

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from conftest import (SUIT_SERVER, Client, Server, keypair, publish, register_device, sign_report,
                      upload_payload)


@pytest.fixture(scope="module")
def author(workdir):
    return keypair(workdir, "lifecycle-author")


@pytest.fixture(scope="module")
def device_key(workdir):
    return keypair(workdir, "lifecycle-device")


def run_server(*args, timeout=30):
    return subprocess.run([SUIT_SERVER] + [str(a) for a in args], capture_output=True, text=True, timeout=timeout)


def test_startup_files_and_messages(tmp_path, author):
    srv = Server(tmp_path / "data", trust=[author[1]]).start()
    try:
        port_file = tmp_path / "data.port"
        assert port_file.read_text() == "%d\n" % srv.port
        token_file = srv.data_dir / "admin-token"
        assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
        assert len(srv.admin_token) == 64
        assert (srv.data_dir / "tracker.db").exists()
        assert (srv.data_dir / "files").is_dir()
        output = srv.output()
        assert srv.admin_token in output
        assert "http://127.0.0.1:%d/" % srv.port in output
        assert "dashboard" in output
        # the token authenticates as admin
        assert srv.client().json("GET", "/api/v1/tokens")[0]["role"] == "admin"
    finally:
        srv.stop()


def test_request_log(tmp_path, author):
    srv = Server(tmp_path / "data", trust=[author[1]]).start()
    try:
        client = srv.client()
        client.json("GET", "/api/v1/devices?tag=secret-query")
        client.request("GET", "/api/v1/health")
        srv.client(token="f" * 64).request("GET", "/api/v1/devices")
    finally:
        srv.stop()
    lines = [line for line in srv.output().splitlines() if " /api/v1/" in line]
    assert any(" GET /api/v1/devices 200 " in line for line in lines), lines
    assert any(" GET /api/v1/devices 401 " in line for line in lines), lines
    assert any(" GET /api/v1/health 200 15 " in line and line.endswith("ms") for line in lines), lines
    # one line per request: time, method, path (no query), status, bytes, duration
    assert all(line.split(" ")[0].endswith("Z") for line in lines)
    log = srv.output().replace(srv.admin_token, "", 1)  # printed once at start-up
    assert srv.admin_token not in log and "f" * 64 not in log and "secret-query" not in log


def test_no_request_log(tmp_path, author):
    srv = Server(tmp_path / "data", trust=[author[1]], extra=["--no-request-log"]).start()
    try:
        srv.client().request("GET", "/api/v1/health")
    finally:
        srv.stop()
    assert "/api/v1/health" not in srv.output()


def test_options(tmp_path):
    result = run_server("--version")
    assert result.returncode == 0 and result.stdout.startswith("suit-server ")
    for args in (["--threads", "-1"], ["--tls-cert", tmp_path / "x.pem"], ["--listen", "nonsense"],
                 ["--listen", "127.0.0.1:70000"], ["--listen", "example.org:80"],
                 ["--max-payload-size", "lots"], ["--max-payload-size", "0"], ["--bogus"], ["extra"]):
        result = run_server("--data-dir", tmp_path / "data", *args)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.startswith("suit-server: "), result.stderr
    # plain HTTP only on loopback, unless asked for
    result = run_server("--data-dir", tmp_path / "data", "--listen", "0.0.0.0:0")
    assert result.returncode == 2
    assert "--tls-cert" in result.stderr and "--insecure-http" in result.stderr
    result = run_server("--data-dir", tmp_path / "data", "--listen", "[::]:0")
    assert result.returncode == 2
    # an unreadable trusted key stops the start
    result = run_server("--data-dir", tmp_path / "data", "--listen", "127.0.0.1:0", "--trust", tmp_path / "missing.pem")
    assert result.returncode == 1 and "missing.pem" in result.stderr


def test_trusted_keys_directory(tmp_path, author, workdir):
    data = tmp_path / "data"
    (data / "trusted-keys").mkdir(parents=True)
    shutil.copy(author[1], data / "trusted-keys" / "author.pem")
    srv = Server(data).start()
    try:
        summary, _ = publish(srv.client(), tmp_path, "keysdir", b"image", 1, author[0])
        assert summary["sequence_number"] == 1
    finally:
        srv.stop()


def make_certificate(directory):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    import ipaddress
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .sign(key, hashes.SHA256()))
    cert_path = pathlib.Path(directory) / "cert.pem"
    key_path = pathlib.Path(directory) / "cert-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_tls(tmp_path, author):
    cert, key = make_certificate(tmp_path)
    srv = Server(tmp_path / "data", trust=[author[1]], extra=["--tls-cert", str(cert), "--tls-key", str(key)]).start()
    try:
        assert "https://127.0.0.1:%d/" % srv.port in srv.output()
        context = ssl.create_default_context(cafile=str(cert))
        client = Client(srv.port, srv.admin_token, scheme="https", context=context)
        assert client.healthy()
        data = os.urandom(70000)
        digest = upload_payload(client, data)
        response = client.request("GET", "/payloads/" + digest, headers={"Range": "bytes=5-9"})
        assert response.status == 206 and response.body == data[5:10]
        client.request("GET", "/api/v1/devices", token="").problem(401)
        # plain HTTP to the TLS port gets no answer
        conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
        with pytest.raises((http.client.HTTPException, OSError)):
            conn.request("GET", "/api/v1/health")
            conn.getresponse().read()
        conn.close()
        assert client.healthy()
    finally:
        srv.stop()


def test_restart_keeps_state(tmp_path, author, device_key):
    srv = Server(tmp_path / "data", trust=[author[1]]).start()
    admin_token = srv.admin_token
    admin = srv.client()
    summary, envelope = publish(admin, tmp_path, "restart", os.urandom(5000), 3, author[0])
    device_token = register_device(admin, "dev-restart", device_key[1], tags=["restart"])
    viewer = admin.json("POST", "/api/v1/tokens", {"role": "viewer", "name": "kept"}, status=201)
    campaign = admin.json("POST", "/api/v1/campaigns", {"manifest": summary["id"], "devices": ["dev-restart"],
                                                        "waves": [100], "max_failure_ratio": 1.0}, status=201)
    offer = srv.client(device_token).json("POST", "/device/v1/check-in", {"sequence_number": 1, "manifest": None})
    srv.stop()

    srv = Server(tmp_path / "data", trust=[author[1]]).start()
    try:
        assert srv.admin_token == admin_token
        admin = srv.client()
        assert admin.json("GET", "/api/v1/manifests/" + summary["id"]) == summary
        assert admin.request("GET", "/api/v1/manifests/%s/envelope" % summary["id"]).body == envelope
        assert admin.json("GET", "/api/v1/devices/dev-restart")["tags"] == ["restart"]
        assert admin.json("GET", "/api/v1/campaigns/" + campaign["id"])["state"] == "running"
        assert viewer["id"] in [t["id"] for t in admin.json("GET", "/api/v1/tokens")]
        assert srv.client(viewer["token"]).json("GET", "/api/v1/devices")
        # the device's token and its offer survived too
        device = srv.client(device_token)
        again = device.json("POST", "/device/v1/check-in", {"sequence_number": 1, "manifest": None})
        assert again["nonce"] == offer["nonce"]
        accepted = device.json("POST", "/device/v1/reports",
                               sign_report(device_key[0], summary["id"], offer["nonce"]), status=202)
        assert accepted["state"] == "installed"
        response = srv.client(token="").request("GET", summary["components"][0]["uri"])
        assert response.status == 200
    finally:
        srv.stop()


def test_sigterm_lets_requests_finish(tmp_path, author):
    srv = Server(tmp_path / "data", trust=[author[1]]).start()
    data = os.urandom(256 * 1024)
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    conn.putrequest("POST", "/api/v1/payloads")
    conn.putheader("Authorization", "Bearer " + srv.admin_token)
    conn.putheader("Content-Length", str(len(data)))
    conn.endheaders()
    conn.send(data[:100000])
    time.sleep(0.3)
    srv.proc.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    # no new connections are accepted...
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", srv.port), timeout=5)
    # ...but the upload in flight completes
    assert srv.proc.poll() is None
    conn.send(data[100000:])
    response = conn.getresponse()
    body = response.read()
    assert response.status == 201, body
    conn.close()
    assert srv.proc.wait(timeout=30) == 0
    srv.proc = None
    srv.log.close()
    assert "stopping" in srv.output()


def test_kill9_keeps_everything_acknowledged(tmp_path, author, device_key):
    srv = Server(tmp_path / "data", trust=[author[1]]).start()
    pem = device_key[1].read_text()
    acknowledged = {"devices": [], "tokens": [], "payloads": []}
    stop = threading.Event()
    errors = []

    def writer(kind, index):
        client = srv.client()
        i = 0
        while not stop.is_set():
            i += 1
            try:
                if kind == "devices":
                    name = "dev-k%d-%d" % (index, i)
                    response = client.request("POST", "/api/v1/devices", body=json.dumps({
                        "id": name, "vendor_id": "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe",
                        "class_id": "1492af14-2569-5e48-bf42-9b2d51f2ab45", "tags": ["k"],
                        "public_key": pem}).encode(), allow_5xx=True)
                    if response.status == 201:
                        acknowledged["devices"].append((name, response.json()["token"]))
                elif kind == "tokens":
                    response = client.request("POST", "/api/v1/tokens", body=json.dumps(
                        {"role": "viewer", "name": "k%d" % i}).encode(), allow_5xx=True)
                    if response.status == 201:
                        acknowledged["tokens"].append(response.json())
                else:
                    data = os.urandom(20000)
                    response = client.request("POST", "/api/v1/payloads", body=data, allow_5xx=True)
                    if response.status == 201:
                        acknowledged["payloads"].append((response.json()["digest"], data))
                if response.status >= 300:
                    errors.append(response)
            except (OSError, http.client.HTTPException):
                # the server died under us: the answer never came
                return

    threads = [threading.Thread(target=writer, args=(kind, n))
               for n, kind in enumerate(["devices", "devices", "tokens", "payloads"])]
    for t in threads:
        t.start()
    time.sleep(1.5)
    srv.kill()
    stop.set()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert len(acknowledged["devices"]) > 3 and acknowledged["tokens"] and acknowledged["payloads"]

    srv = Server(tmp_path / "data", trust=[author[1]]).start()
    try:
        admin = srv.client()
        devices = {d["id"] for d in admin.json("GET", "/api/v1/devices")}
        for name, token in acknowledged["devices"]:
            assert name in devices
        # the device credentials work
        for name, token in acknowledged["devices"][-3:]:
            response = srv.client(token).request("POST", "/device/v1/check-in",
                                                 body=b'{"sequence_number":null,"manifest":null}')
            assert response.status == 204, response
        tokens = {t["id"] for t in admin.json("GET", "/api/v1/tokens")}
        for created in acknowledged["tokens"]:
            assert created["id"] in tokens
        assert srv.client(acknowledged["tokens"][-1]["token"]).json("GET", "/api/v1/devices") is not None
        public = srv.client(token="")
        for digest, data in acknowledged["payloads"]:
            assert public.request("GET", "/payloads/" + digest).body == data
        # the interrupted uploads left nothing behind
        assert list((srv.data_dir / "files" / "tmp").iterdir()) == []
    finally:
        srv.stop()


def test_idle_connections_are_reset(tmp_path, author):
    """a connection idle before a request, between requests, or sending its
    headers too slowly is reset after the header timeout (hidden option,
    default 60 s); one busy with a slow upload is not"""
    srv = Server(tmp_path / "data", trust=[author[1]], extra=["--header-timeout", "1"]).start()
    try:
        idle = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
        partial = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
        partial.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
        kept = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
        kept.request("GET", "/api/v1/health")
        assert kept.getresponse().read() == b'{"status":"ok"}'
        upload = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
        upload.putrequest("POST", "/api/v1/payloads")
        upload.putheader("Authorization", "Bearer " + srv.admin_token)
        upload.putheader("Content-Length", "3")
        upload.endheaders()
        deadline = time.time() + 8
        for sock in (idle, partial):
            # closed (libsoup may first answer what it read of a partial request)
            try:
                while sock.recv(4096):
                    pass
            except ConnectionResetError:
                pass
            assert time.time() < deadline
            sock.close()
        with pytest.raises((http.client.HTTPException, OSError)):
            kept.request("GET", "/api/v1/health")
            kept.getresponse().read()
        # the upload had sent its headers: it may take its time
        upload.send(b"abc")
        response = upload.getresponse()
        assert response.status == 201, response.read()
        assert srv.client().healthy()
    finally:
        srv.stop()


def test_libsoup_releases_connections_closed_while_idle(tmp_path, author):
    """libsoup 3.2 leaves a keep-alive connection the client closes while it
    waits for the next request open (CLOSE-WAIT) for good; the idle sweep
    closes those (here the fast path is off, so libsoup holds every
    connection, as it does for HTTPS)"""
    srv = Server(tmp_path / "data", trust=[author[1]],
                 extra=["--no-fast-path", "--header-timeout", "1"]).start()
    try:
        fds = pathlib.Path("/proc/%d/fd" % srv.proc.pid)
        base = len(list(fds.iterdir()))
        for _ in range(40):
            with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as sock:
                sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
                assert sock.recv(4096).startswith(b"HTTP/1.1 200")
        deadline = time.time() + 8
        while len(list(fds.iterdir())) > base + 2 and time.time() < deadline:
            time.sleep(0.2)
        assert len(list(fds.iterdir())) <= base + 2
        assert srv.client().healthy()
    finally:
        srv.stop()
