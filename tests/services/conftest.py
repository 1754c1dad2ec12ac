"""Fixtures of the suit-server tests (suite 'services'): a real suit-server on
127.0.0.1 with port 0, a temporary data directory and a trusted author key
made with the `suit` CLI; an HTTP client that fails the test on any 5xx; and
helpers for payloads, envelopes and signed SUIT reports.

Environment: SUIT_SERVER and SUIT_CLI name the built programs."""
import hashlib
import http.client
import json
import os
import pathlib
import signal
import subprocess
import time

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

HERE = pathlib.Path(__file__).resolve().parent
BUILD = HERE.parent.parent / "build"
SUIT_SERVER = os.environ.get("SUIT_SERVER", str(BUILD / "services" / "suit-server" / "suit-server"))
SUIT_CLI = os.environ.get("SUIT_CLI", str(BUILD / "services" / "suit" / "suit"))

VENDOR = "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe"
CLASS = "1492af14-2569-5e48-bf42-9b2d51f2ab45"
OTHER_VENDOR = "00112233-4455-6677-8899-aabbccddeeff"


def suit(*args):
    """runs the suit CLI; returns stdout bytes, fails on a non-zero exit"""
    proc = subprocess.run([SUIT_CLI] + [str(a) for a in args], capture_output=True, timeout=120)
    assert proc.returncode == 0, "suit %s: exit %d\n%s" % (
        " ".join(map(str, args)), proc.returncode, proc.stderr.decode("utf-8", "replace"))
    return proc.stdout


def keypair(directory, name, alg="ES256"):
    priv = pathlib.Path(directory) / ("%s.pem" % name)
    pub = pathlib.Path(directory) / ("%s.pub.pem" % name)
    suit("keygen", "--alg", alg, "-o", priv, "--pub", pub)
    return priv, pub


def make_envelope(directory, name, payload_path, digest, seq, key, vendor=VENDOR):
    """suit create of a one-component image served from /payloads/<digest>"""
    description = {
        "manifest-version": 1,
        "manifest-sequence-number": seq,
        "components": [{
            "install-id": ["00"],
            "vendor-id": vendor,
            "class-id": CLASS,
            "file": str(pathlib.Path(payload_path).resolve()),
            "uri": "/payloads/" + digest,
        }],
    }
    desc = pathlib.Path(directory) / ("%s.json" % name)
    desc.write_text(json.dumps(description))
    out = pathlib.Path(directory) / ("%s.suit" % name)
    suit("create", desc, "-o", out, "--key", key)
    return out.read_bytes()


def sign_report(device_key_pem, manifest_id, nonce_hex, success=True, uri="suit-server"):
    """a SUIT report (draft-ietf-suit-report) about manifest_id carrying the
    nonce, as COSE_Sign1 (tag 18) ES256 with a raw r||s signature"""
    report = {
        99: [uri, [-16, bytes.fromhex(manifest_id)]],
        3: [],
        4: True if success else {5: 1, 6: [[], 9, 0, 0, {}], 7: 10},
    }
    if nonce_hex is not None:
        report[2] = bytes.fromhex(nonce_hex)
    payload = cbor2.dumps(report, canonical=True)
    protected = cbor2.dumps({1: -7})
    to_sign = cbor2.dumps(["Signature1", protected, b"", payload])
    key = serialization.load_pem_private_key(pathlib.Path(device_key_pem).read_bytes(), None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    r, s = decode_dss_signature(key.sign(to_sign, ec.ECDSA(hashes.SHA256())))
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return cbor2.dumps(cbor2.CBORTag(18, [protected, {}, payload, signature]))


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def json(self):
        return json.loads(self.body)

    def problem(self, status, error_id=None):
        """asserts a problem+json answer with this status (and error id)"""
        assert self.status == status, "expected %d, got %d: %r" % (status, self.status, self.body[:400])
        assert self.header("Content-Type") == "application/problem+json", self.headers
        doc = self.json()
        assert doc["status"] == status
        assert doc["type"] == "https://libsuit.org/problems/" + doc["title"]
        assert isinstance(doc["detail"], str)
        if error_id is not None:
            assert doc["title"] == error_id, doc
        return doc

    def __repr__(self):
        return "<Response %d %r>" % (self.status, self.body[:200])


class Client:
    """one keep-alive connection per call; fails on any 5xx answer"""

    def __init__(self, port, token=None, scheme="http", context=None):
        self.port = port
        self.token = token
        self.scheme = scheme
        self.context = context

    def connect(self, timeout=60):
        if self.scheme == "https":
            return http.client.HTTPSConnection("127.0.0.1", self.port, timeout=timeout, context=self.context)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, token=None, content_type=None,
                encode_chunked=False, allow_5xx=False):
        conn = self.connect()
        try:
            all_headers = {}
            token = self.token if token is None else token
            if token:
                all_headers["Authorization"] = "Bearer " + token
            if body is not None and not isinstance(body, (bytes, bytearray)) and not hasattr(body, "__iter__"):
                raise TypeError(body)
            if isinstance(body, (dict, list)):
                body = json.dumps(body).encode()
            if content_type:
                all_headers["Content-Type"] = content_type
            all_headers.update(headers or {})
            conn.request(method, path, body=body, headers=all_headers, encode_chunked=encode_chunked)
            response = conn.getresponse()
            data = response.read()
            result = Response(response.status, response.getheaders(), data)
        finally:
            conn.close()
        if not allow_5xx:
            assert result.status < 500, "%s %s answered %d: %r" % (method, path, result.status, result.body[:400])
        return result

    def json(self, method, path, doc=None, status=200, **kwargs):
        if doc is not None and not isinstance(doc, (bytes, bytearray)):
            doc = json.dumps(doc).encode()
            kwargs.setdefault("content_type", "application/json")
        response = self.request(method, path, body=doc, **kwargs)
        assert response.status == status, "%s %s: expected %d, got %d: %r" % (
            method, path, status, response.status, response.body[:400])
        return response.json() if response.body else None

    def healthy(self):
        response = self.request("GET", "/api/v1/health", token="")
        return response.status == 200 and response.json() == {"status": "ok"}


class Server:
    """a suit-server process on 127.0.0.1, port 0"""

    def __init__(self, data_dir, trust=(), extra=()):
        self.data_dir = pathlib.Path(data_dir)
        self.trust = list(trust)
        self.extra = list(extra)
        self.proc = None
        self.port = None
        self.log_path = self.data_dir.parent / ("%s.log" % self.data_dir.name)

    def start(self, timeout=30):
        port_file = self.data_dir.parent / ("%s.port" % self.data_dir.name)
        if port_file.exists():
            port_file.unlink()
        cmd = [SUIT_SERVER, "--data-dir", str(self.data_dir), "--listen", "127.0.0.1:0",
               "--port-file", str(port_file), "--threads", "2"] + self.extra
        for key in self.trust:
            cmd += ["--trust", str(key)]
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if port_file.exists():
                text = port_file.read_text()
                if text.endswith("\n"):
                    self.port = int(text)
                    break
            if self.proc.poll() is not None:
                raise AssertionError("suit-server exited with %d:\n%s" % (self.proc.returncode, self.output()))
            time.sleep(0.02)
        else:
            raise AssertionError("suit-server did not start:\n" + self.output())
        self.admin_token = (self.data_dir / "admin-token").read_text().strip()
        return self

    def output(self):
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def client(self, token=None):
        return Client(self.port, self.admin_token if token is None else token)

    def stop(self, timeout=30):
        """SIGTERM; the server must exit 0"""
        if self.proc is None or self.proc.poll() is not None:
            rc = None if self.proc is None else self.proc.returncode
            self.proc = None
            return rc
        self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(timeout=timeout)
        self.proc = None
        self.log.close()
        assert rc == 0, "suit-server exited with %d after SIGTERM:\n%s" % (rc, self.output())
        return rc

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.proc = None
        self.log.close()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("services")


@pytest.fixture(scope="module")
def keys(workdir):
    author, author_pub = keypair(workdir, "author")
    untrusted, untrusted_pub = keypair(workdir, "untrusted")
    device, device_pub = keypair(workdir, "device")
    other_device, other_device_pub = keypair(workdir, "other-device")
    return {
        "author": author, "author_pub": author_pub,
        "untrusted": untrusted, "untrusted_pub": untrusted_pub,
        "device": device, "device_pub": device_pub,
        "other_device": other_device, "other_device_pub": other_device_pub,
    }


@pytest.fixture(scope="module")
def server(workdir, keys):
    """one server per test module, with a 1 MiB payload limit"""
    srv = Server(workdir / "data", trust=[keys["author_pub"]], extra=["--max-payload-size", "1M"]).start()
    yield srv
    srv.stop()


@pytest.fixture
def admin(server):
    return server.client()


def upload_payload(client, data):
    response = client.request("POST", "/api/v1/payloads", body=data, content_type="application/octet-stream")
    assert response.status == 201, response
    doc = response.json()
    assert doc == {"digest": hashlib.sha256(data).hexdigest(), "size": len(data)}
    assert response.header("Location") == "/payloads/" + doc["digest"]
    return doc["digest"]


def publish(client, directory, name, data, seq, key, vendor=VENDOR):
    """uploads a payload and a signed envelope for it; returns the summary"""
    payload_path = pathlib.Path(directory) / ("%s.bin" % name)
    payload_path.write_bytes(data)
    digest = upload_payload(client, data)
    envelope = make_envelope(directory, name, payload_path, digest, seq, key, vendor=vendor)
    response = client.request("POST", "/api/v1/manifests", body=envelope,
                              content_type="application/suit-envelope+cose")
    assert response.status == 201, response
    summary = response.json()
    assert response.header("Location") == "/api/v1/manifests/" + summary["id"]
    return summary, envelope


def register_device(client, device_id, public_key_pem, tags=("lab",), vendor=VENDOR):
    doc = client.json("POST", "/api/v1/devices", {
        "id": device_id, "vendor_id": vendor, "class_id": CLASS, "tags": list(tags),
        "public_key": pathlib.Path(public_key_pem).read_text()}, status=201)
    assert doc["id"] == device_id and doc["token"]
    return doc["token"]
