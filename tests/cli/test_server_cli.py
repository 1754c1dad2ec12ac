"""`suit server ...`: the operator side of suit-server from the command line,
against a real suit-server on 127.0.0.1 (port 0)."""
import hashlib
import json
import os
import pathlib
import signal
import socket
import stat
import subprocess
import time

import pytest

SUIT = os.environ.get("SUIT_BIN", "build/services/suit/suit")
SUIT_SERVER = os.environ.get("SUIT_SERVER_BIN", "build/services/suit-server/suit-server")
VENDOR = "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe"
CLASS = "1492af14-2569-5e48-bf42-9b2d51f2ab45"

pytestmark = pytest.mark.skipif(not os.path.exists(SUIT_SERVER), reason="suit-server is not built")


def run(*args, env=None, check=True):
    proc = subprocess.run([SUIT] + [str(a) for a in args], capture_output=True, text=True,
                          timeout=120, env=env, stdin=subprocess.DEVNULL)
    if check:
        assert proc.returncode == 0, "suit %s: exit %d\n%s%s" % (
            " ".join(map(str, args)), proc.returncode, proc.stdout, proc.stderr)
    return proc


@pytest.fixture
def server(tmp_path):
    data = tmp_path / "data"
    keys = tmp_path / "keys"
    keys.mkdir()
    run("keygen", "--alg", "ESP256", "-o", keys / "author.pem", "--pub", keys / "author.pub.pem")
    port_file = tmp_path / "port"
    # under ASan: libsoup leaks each accepted socket (scripts/lsan.supp); the
    # suppression matches only with full stacks (GLib has no frame pointers)
    server_env = dict(os.environ)
    if "ASAN_OPTIONS" in server_env:
        server_env["ASAN_OPTIONS"] += ":fast_unwind_on_malloc=0"
    proc = subprocess.Popen([SUIT_SERVER, "--data-dir", str(data), "--listen", "127.0.0.1:0",
                             "--port-file", str(port_file), "--trust", str(keys / "author.pub.pem"),
                             "--no-request-log"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=server_env)
    for _ in range(400):
        if port_file.exists() and port_file.read_text().strip():
            break
        assert proc.poll() is None, proc.stderr.read().decode()
        time.sleep(0.025)
    port = int(port_file.read_text())
    env = dict(os.environ, SUIT_SERVER_URL="http://127.0.0.1:%d" % port,
               SUIT_SERVER_TOKEN_FILE=str(data / "admin-token"))
    env.pop("SUIT_SERVER_TOKEN", None)
    yield {"env": env, "keys": keys, "tmp": tmp_path, "port": port}
    proc.send_signal(signal.SIGTERM)
    rc = proc.wait(timeout=30)
    assert rc == 0, proc.stderr.read().decode("utf-8", "replace")[-20000:]


def make_update(tmp_path, keys, seq):
    payload = tmp_path / ("app-%d.bin" % seq)
    payload.write_bytes(b"image %d " % seq * 4096)
    digest = hashlib.sha256(payload.read_bytes()).hexdigest()
    desc = tmp_path / ("update-%d.json" % seq)
    desc.write_text(json.dumps({
        "manifest-version": 1, "manifest-sequence-number": seq,
        "components": [{"install-id": ["00"], "vendor-id": VENDOR, "class-id": CLASS,
                        "file": str(payload), "uri": "/payloads/" + digest}]}))
    envelope = tmp_path / ("update-%d.suit" % seq)
    run("create", desc, "-o", envelope, "--key", keys / "author.pem")
    return payload, digest, envelope


def test_upload_devices_campaign_events(server):
    env, keys, tmp = server["env"], server["keys"], server["tmp"]
    assert json.loads(run("server", "health", "--json", env=env).stdout) == {"status": "ok"}

    # upload tells envelopes from payloads
    payload, digest, envelope = make_update(tmp, keys, 2)
    out = run("server", "upload", payload, envelope, env=env).stdout
    assert "payload %s" % digest in out
    assert "manifest " in out and "sequence 2" in out
    manifests = json.loads(run("server", "manifests", "--json", env=env).stdout)
    assert len(manifests) == 1 and manifests[0]["sequence_number"] == 2
    manifest_id = manifests[0]["id"]
    table = run("server", "manifests", env=env).stdout.splitlines()
    assert table[0].split()[:2] == ["ID", "SEQ"]
    assert table[1].startswith(manifest_id)
    shown = json.loads(run("server", "manifests", manifest_id, "--json", env=env).stdout)
    assert shown["id"] == manifest_id

    # a device, its token written with mode 0600
    run("keygen", "--alg", "ESP256", "-o", keys / "dev.pem", "--pub", keys / "dev.pub.pem")
    token_file = tmp / "dev-1.token"
    out = run("server", "device", "add", "dev-1", "--vendor-id", VENDOR, "--class-id", CLASS,
              "--public-key", keys / "dev.pub.pem", "--tag", "lab,eu", "--token-out", token_file,
              env=env).stdout
    assert "dev-1" in out and str(token_file) in out
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert len(token_file.read_text().strip()) >= 32
    devices = json.loads(run("server", "devices", "--tag", "lab", "--json", env=env).stdout)
    assert [d["id"] for d in devices] == ["dev-1"]
    assert sorted(devices[0]["tags"]) == ["eu", "lab"]
    assert "dev-1" in run("server", "devices", env=env).stdout
    assert json.loads(run("server", "devices", "--tag", "nowhere", "--json", env=env).stdout) == []

    # a campaign, paused, resumed and cancelled
    out = run("server", "campaign", "create", manifest_id, "--device", "dev-1", "--waves", "100",
              "--max-failure-ratio", "0.2", env=env).stdout
    assert out.startswith("campaign c-") and "running" in out
    campaign_id = out.split()[1]
    listed = run("server", "campaigns", env=env).stdout
    assert campaign_id in listed and "running" in listed
    assert "paused" in run("server", "campaign", "pause", campaign_id, env=env).stdout
    assert "running" in run("server", "campaign", "resume", campaign_id, env=env).stdout
    assert "cancelled" in run("server", "campaign", "cancel", campaign_id, env=env).stdout
    rejected = run("server", "campaign", "pause", campaign_id, env=env, check=False)
    assert rejected.returncode == 1
    assert rejected.stderr.startswith("suit: conflict: ")
    shown = json.loads(run("server", "campaign", "show", campaign_id, "--json", env=env).stdout)
    assert shown["state"] == "cancelled"

    # the audit log, filtered
    events = json.loads(run("server", "events", "--campaign", campaign_id, "--json", env=env).stdout)
    types = [e["type"] for e in events]
    assert types[0] == "campaign-created" and "campaign-cancelled" in types
    since = events[0]["seq"]
    later = json.loads(run("server", "events", "--campaign", campaign_id, "--since", since,
                           "--json", env=env).stdout)
    assert [e["seq"] for e in later] == [e["seq"] for e in events[1:]]
    table = run("server", "events", "--device", "dev-1", env=env).stdout
    assert "device-registered" in table


def test_tokens_and_roles(server):
    env = server["env"]
    out = run("server", "token", "create", "viewer", "dashboard", env=env).stdout
    token_id, token = out.split()[1], out.strip().splitlines()[-1]
    assert token_id in run("server", "tokens", env=env).stdout
    viewer = dict(env, SUIT_SERVER_TOKEN=token)
    viewer.pop("SUIT_SERVER_TOKEN_FILE")
    assert run("server", "devices", env=viewer).returncode == 0
    denied = run("server", "token", "create", "admin", "escalate", env=viewer, check=False)
    assert denied.returncode == 1
    assert denied.stderr.startswith("suit: permission-denied: ")
    denied_json = run("server", "token", "create", "admin", "x", "--json", env=viewer, check=False)
    assert json.loads(denied_json.stdout)["error"] == "permission-denied"
    run("server", "token", "revoke", token_id, env=env)
    gone = run("server", "devices", env=viewer, check=False)
    assert gone.returncode == 1
    assert "permission-denied" in gone.stderr
    # no token at all
    anonymous = dict(env)
    anonymous.pop("SUIT_SERVER_TOKEN_FILE")
    assert run("server", "devices", "--token-file", "/nonexistent", env=anonymous, check=False).returncode == 2
    assert run("server", "devices", env=anonymous, check=False, ).returncode == 1


def test_errors(server, tmp_path):
    env = server["env"]
    missing = run("server", "manifests", "0" * 64, env=env, check=False)
    assert missing.returncode == 1 and missing.stderr.startswith("suit: not-found: ")
    bad = run("server", "manifests", "../../etc", env=env, check=False)
    assert bad.returncode == 1
    # an envelope the server does not trust: rejected, exit 1
    other = tmp_path / "other"
    other.mkdir()
    run("keygen", "--alg", "ESP256", "-o", other / "author.pem", "--pub", other / "author.pub.pem")
    _, _, envelope = make_update(tmp_path, other, 3)
    refused = run("server", "upload", "--envelope", envelope, env=env, check=False)
    assert refused.returncode == 1
    assert refused.stderr.split(":")[1].strip() in ("signature-invalid", "no-authentication")
    # usage errors and a server that is not there: exit 2
    assert run("server", env=env, check=False).returncode == 2
    assert run("server", "frobnicate", env=env, check=False).returncode == 2
    assert run("server", "upload", env=env, check=False).returncode == 2
    assert run("server", "upload", "--payload", "--envelope", envelope, env=env, check=False).returncode == 2
    assert run("server", "devices", "--url", "ftp://example.org", env=env, check=False).returncode == 2
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    down = run("server", "health", "--url", "http://127.0.0.1:%d" % port, env=env, check=False)
    assert down.returncode == 2 and "cannot reach" in down.stderr
    assert run("server", "campaign", "create", "x" * 64, env=env, check=False).returncode == 2
