"""Helpers of the device-side CLI tests (suite 'cli'): running the tool, a local
HTTP server with Range support that can drop a connection half way, store
snapshots and an independent COSE_Sign1 check of SUIT reports."""
import hashlib
import json
import os
import pathlib
import re
import socket
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import cbor2
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

HERE = pathlib.Path(__file__).resolve().parent
SUIT = os.environ.get("SUIT_BIN", str(HERE.parent.parent / "build" / "services" / "suit" / "suit"))

VENDOR = "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe"
CLASS = "1492af14-2569-5e48-bf42-9b2d51f2ab45"
OTHER_VENDOR = "00112233-4455-6677-8899-aabbccddeeff"


def tool_env():
    env = dict(os.environ)
    # the local server must never be reached through a proxy
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        env.pop(name, None)
    env["no_proxy"] = "127.0.0.1,localhost"
    return env


def suit(*args, input=None, timeout=300):
    """Runs the tool; returns (exit status, stdout bytes, stderr text)."""
    proc = subprocess.run([SUIT] + [str(a) for a in args], input=input, env=tool_env(),
                          capture_output=True, timeout=timeout)
    return proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace")


def suit_ok(*args, input=None):
    rc, out, err = suit(*args, input=input)
    assert rc == 0, "suit %s: exit %d\n%s" % (" ".join(map(str, args)), rc, err)
    return out


def suit_json(*args):
    return json.loads(suit_ok(*args, "--json"))


def assert_rejected(rc, err, error_id):
    assert rc == 1, "expected exit 1, got %d: %s" % (rc, err)
    lines = [line for line in err.splitlines() if line.startswith("suit: ")]
    assert len(lines) == 1, err
    assert lines[0].startswith("suit: %s: " % error_id), err


def keypair(directory, alg="ES256", name="key"):
    priv = pathlib.Path(directory) / ("%s.pem" % name)
    pub = pathlib.Path(directory) / ("%s.pub.pem" % name)
    suit_ok("keygen", "--alg", alg, "-o", priv, "--pub", pub)
    return priv, pub


def author(directory, name, payload_path, uri, seq, vendor=VENDOR, key=None, extra=None):
    """suit create of a one-component bootable image; returns the envelope path"""
    component = {
        "install-id": ["00"],
        "vendor-id": vendor,
        "class-id": CLASS,
        "file": str(payload_path),
        "uri": uri,
        "bootable": True,
    }
    component.update(extra or {})
    desc = pathlib.Path(directory) / ("%s.json" % name)
    desc.write_text(json.dumps({"manifest-version": 1, "manifest-sequence-number": seq,
                                "components": [component]}))
    out = pathlib.Path(directory) / ("%s.suit" % name)
    suit_ok("create", desc, "-o", out, "--key", key)
    return out


def device_args(store, pub):
    return ["--key", pub, "--store", store, "--vendor-id", VENDOR, "--class-id", CLASS]


def store_snapshot(store):
    """every file of a store directory with the SHA-256 of its content"""
    snap = {}
    for path in sorted(pathlib.Path(store).iterdir()):
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        snap[path.name] = h.hexdigest()
    return snap


def store_components(store):
    """the 'components' of `suit store show --json`, keyed by component id"""
    doc = suit_json("store", "show", "--store", store)
    assert doc["ok"] is True
    return {c["id"]: c for c in doc["components"]}


def manifest_digest(envelope_bytes):
    """the SUIT_Digest bytes of the authentication wrapper (element 0)"""
    item = cbor2.loads(envelope_bytes)
    if isinstance(item, cbor2.CBORTag):
        item = item.value
    auth = cbor2.loads(item[2])
    alg, digest = cbor2.loads(auth[0])
    assert alg == -16
    return digest


def verify_report_independently(cose_bytes, device_pub_pem):
    """Checks a COSE_Sign1 SUIT report without libsuit and returns the decoded
    SUIT_Report map."""
    item = cbor2.loads(cose_bytes)
    assert isinstance(item, cbor2.CBORTag) and item.tag == 18, "not a tagged COSE_Sign1"
    protected, unprotected, payload, signature = item.value
    assert isinstance(payload, bytes) and payload, "the payload must be attached"
    headers = cbor2.loads(protected)
    alg = headers[1]
    to_sign = cbor2.dumps(["Signature1", protected, b"", payload])
    public_key = serialization.load_pem_public_key(pathlib.Path(device_pub_pem).read_bytes())
    if alg in (-7, -9):
        assert isinstance(public_key, ec.EllipticCurvePublicKey)
        assert len(signature) == 64, "ECDSA signature must be raw r||s"
        r = int.from_bytes(signature[:32], "big")
        s = int.from_bytes(signature[32:], "big")
        public_key.verify(encode_dss_signature(r, s), to_sign, ec.ECDSA(hashes.SHA256()))
    elif alg in (-8, -19):
        assert isinstance(public_key, ed25519.Ed25519PublicKey)
        public_key.verify(signature, to_sign)
    else:
        raise AssertionError("unexpected algorithm %r" % alg)
    report = cbor2.loads(payload)
    assert isinstance(report, dict)
    return report


class PayloadServer(ThreadingHTTPServer):
    """Serves `files` (name -> bytes) on 127.0.0.1 with Range requests; a name
    in `drop_once` gets its first answer cut off half way."""
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), PayloadHandler)
        self.files = {}
        self.drop_once = set()
        self.requests = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    def url(self, name):
        return "http://127.0.0.1:%d/%s" % (self.server_address[1], name)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()
        self.thread.join(timeout=10)


class PayloadHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        server = self.server
        name = self.path.lstrip("/")
        rng = self.headers.get("Range")
        with server.lock:
            server.requests.append((name, rng))
            data = server.files.get(name)
            drop = name in server.drop_once
            server.drop_once.discard(name)
        if data is None:
            self.send_error(404)
            return
        start = 0
        if rng is not None:
            m = re.fullmatch(r"bytes=(\d+)-", rng.strip())
            if m is None or int(m.group(1)) >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", "bytes */%d" % len(data))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            start = int(m.group(1))
            self.send_response(206)
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, len(data) - 1, len(data)))
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if drop:
            # half of the body, then the connection goes away
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.wfile.write(body)
