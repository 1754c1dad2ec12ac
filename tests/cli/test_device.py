"""The device side of the `suit` tool (suite 'cli'): install, invoke, boot,
confirm, store show and report inspect|verify, against a real store directory
and a local HTTP server. Reports are also checked with cbor2 + cryptography.
"""
import hashlib
import json
import os
import pathlib
import pty
import subprocess
import threading

import cbor2
import pytest

from suit_device_common import (CLASS, OTHER_VENDOR, SUIT, VENDOR, PayloadServer, assert_rejected,
                                author, device_args, keypair, manifest_digest, store_components,
                                store_snapshot, suit, suit_json, suit_ok, tool_env,
                                verify_report_independently)

VECTORS = pathlib.Path(os.environ.get("SUIT_TEST_VECTORS",
                                      pathlib.Path(__file__).resolve().parents[3] / "shared" / "vectors"))


@pytest.fixture
def dev(tmp_path):
    """an author key, a device key and an empty store location"""
    class Dev:
        pass
    d = Dev()
    d.dir = tmp_path
    d.author, d.author_pub = keypair(tmp_path, "ES256", "author")
    d.device, d.device_pub = keypair(tmp_path, "Ed25519", "device")
    d.store = tmp_path / "store"
    return d


def image(tmp_path, name, size, seed):
    data = hashlib.sha256(seed.encode()).digest() * (size // 32) + os.urandom(size % 32)
    # random enough to differ, cheap to make
    data = bytearray(data)
    data[:16] = os.urandom(16)
    path = tmp_path / name
    path.write_bytes(bytes(data))
    return path, hashlib.sha256(data).hexdigest()


def install_confirmed(d, name, seq, size=100000):
    """authors a file:// image, installs it and confirms it"""
    path, digest = image(d.dir, name + ".bin", size, name)
    env = author(d.dir, name, path, path.as_uri(), seq, key=d.author)
    suit_ok("install", env, *device_args(d.store, d.author_pub))
    suit_ok("confirm", "--store", d.store)
    comp = store_components(d.store)["[h'00']"]
    assert comp["state"] == "confirmed" and comp["sha256"] == digest
    return env, path, digest


# -- issue 3, check 2: create + install over HTTP, signed report -------------

@pytest.mark.parametrize("device_alg", ["ES256", "Ed25519"])
def test_install_http_resume_report(tmp_path, device_alg):
    author_key, author_pub = keypair(tmp_path, "ES256", "author")
    device_key, device_pub = keypair(tmp_path, device_alg, "device")
    payload = os.urandom(3 * 1024 * 1024 + 12345)
    (tmp_path / "fw.bin").write_bytes(payload)
    store = tmp_path / "store"
    report = tmp_path / "report.cose"

    with PayloadServer() as server:
        server.files["fw.bin"] = payload
        server.drop_once.add("fw.bin")
        uri = server.url("fw.bin")
        env = author(tmp_path, "fw", tmp_path / "fw.bin", uri, 10, key=author_key)
        doc = suit_json("install", env, *device_args(store, author_pub),
                        "--report", report, "--device-key", device_key)
        requests = [r for r in server.requests if r[0] == "fw.bin"]

    # the first answer was cut half way: the tool resumed with a Range request
    assert requests[0][1] is None
    resumed = [int(r[1][len("bytes="):-1]) for r in requests[1:] if r[1] is not None]
    assert resumed and 0 < resumed[0] < len(payload), requests

    assert doc["ok"] is True
    assert doc["sequence-number"] == 10
    assert doc["trace"] == ["fetch 0: %s" % uri]
    comp, = doc["components"]
    assert comp["state"] == "pending"
    assert comp["size"] == len(payload)
    assert comp["sha256"] == hashlib.sha256(payload).hexdigest()
    # the bytes on disk, not just what the tool says
    assert hashlib.sha256(payload).hexdigest() in store_snapshot(store).values()
    assert store_components(store)["[h'00']"]["sha256"] == comp["sha256"]

    # the report: libsuit verifies it with the device key only
    result = suit_json("report", "verify", report, "--key", device_pub)
    assert result["signature"] == "verified"
    assert result["report"]["result"] == {"success": True}
    rc, out, err = suit("report", "verify", report, "--key", author_pub, "--json")
    assert_rejected(rc, err, "signature-invalid")
    assert json.loads(out)["error"] == "signature-invalid"

    # and an independent COSE implementation decodes the documented structure
    decoded = verify_report_independently(report.read_bytes(), device_pub)
    assert {99, 3, 4} <= set(decoded)
    uri_ref, digest = decoded[99]
    assert isinstance(uri_ref, str)
    assert digest == [-16, manifest_digest(env.read_bytes())]
    assert isinstance(decoded[3], list) and decoded[3]
    claims = decoded[3][0]
    assert claims[0] == [b"\x00"]
    # image-digest is a bstr-wrapped SUIT_Digest, as in the manifest
    assert cbor2.loads(claims[3]) == [-16, hashlib.sha256(payload).digest()]
    assert claims[14] == len(payload)
    assert decoded[4] is True

    # the installed image is what the Invocation procedure starts
    doc = suit_json("invoke", env, *device_args(store, author_pub))
    assert doc["trace"] == ["invoke 0: [h'00'] args h''"]


def test_install_text_and_quiet_when_piped(dev):
    path, digest = image(dev.dir, "a.bin", 200000, "a")
    env = author(dev.dir, "a", path, path.as_uri(), 1, key=dev.author)
    rc, out, err = suit("install", env, *device_args(dev.store, dev.author_pub))
    assert rc == 0, err
    assert err == ""  # no progress bar when stderr is not a terminal
    text = out.decode()
    assert "installed" in text and digest in text and "pending" in text
    # installing the same envelope again finds the image in place
    doc = suit_json("install", env, *device_args(dev.store, dev.author_pub))
    assert doc["trace"] == ["fetch 0: %s (already present)" % path.as_uri()]


def test_install_progress_bar_on_terminal(dev):
    path, _ = image(dev.dir, "a.bin", 8 * 1024 * 1024, "a")
    env = author(dev.dir, "a", path, path.as_uri(), 1, key=dev.author)
    master, slave = pty.openpty()
    chunks = []

    def reader():
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    proc = subprocess.run([SUIT, "install", str(env)] + [str(a) for a in device_args(dev.store, dev.author_pub)],
                          stderr=slave, stdout=subprocess.PIPE, env=tool_env(), timeout=120)
    os.close(slave)
    thread.join(timeout=10)
    os.close(master)
    assert proc.returncode == 0
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert "\r" in shown and "%" in shown and "fetching" in shown, repr(shown)
    assert "installed" in proc.stdout.decode()


# -- issue 3, check 3: refused envelopes leave the store untouched -----------

def test_rollback(dev):
    install_confirmed(dev, "v5", 5)
    before = store_snapshot(dev.store)
    path, _ = image(dev.dir, "v4.bin", 100000, "v4")
    old = author(dev.dir, "v4", path, path.as_uri(), 4, key=dev.author)
    report = dev.dir / "r.cose"
    rc, out, err = suit("install", old, *device_args(dev.store, dev.author_pub),
                        "--report", report, "--device-key", dev.device, "--json")
    assert_rejected(rc, err, "rollback")
    doc = json.loads(out)
    assert doc["ok"] is False and doc["error"] == "rollback" and "lower" in doc["message"]
    assert store_snapshot(dev.store) == before
    # the failure is reported and signed too
    decoded = verify_report_independently(report.read_bytes(), dev.device_pub)
    assert isinstance(decoded[4], dict) and 7 in decoded[4]
    assert decoded[99][1] == [-16, manifest_digest(old.read_bytes())]
    # the same sequence number is not a rollback
    path, _ = image(dev.dir, "v5b.bin", 1000, "v5b")
    same = author(dev.dir, "v5b", path, path.as_uri(), 5, key=dev.author)
    suit_ok("install", same, *device_args(dev.store, dev.author_pub))


def test_tampered_payload(dev):
    _, _, digest_a = install_confirmed(dev, "a", 1)
    before = store_snapshot(dev.store)
    path, _ = image(dev.dir, "b.bin", 300000, "b")
    env = author(dev.dir, "b", path, path.as_uri(), 2, key=dev.author)
    data = bytearray(path.read_bytes())
    data[150000] ^= 0x01
    path.write_bytes(bytes(data))
    report = dev.dir / "r.cose"
    rc, _, err = suit("install", env, *device_args(dev.store, dev.author_pub),
                      "--report", report, "--device-key", dev.device)
    assert_rejected(rc, err, "digest-mismatch")
    assert store_snapshot(dev.store) == before
    comp = store_components(dev.store)["[h'00']"]
    assert comp["state"] == "confirmed" and comp["sha256"] == digest_a
    doc = suit_json("report", "verify", report, "--key", dev.device_pub)
    assert doc["report"]["result"]["success"] is False


def test_tampered_severed_member(dev):
    """an install section that does not match its digest in the manifest"""
    install_confirmed(dev, "a", 1)
    before = store_snapshot(dev.store)
    path, _ = image(dev.dir, "b.bin", 1000, "b")
    env = author(dev.dir, "b", path, path.as_uri(), 2, key=dev.author)
    doc = json.loads(suit_ok("inspect", env, "--json"))
    assert "install" in doc["manifest"]
    # severable install: rebuild with the install section severed into the envelope
    desc = json.loads((dev.dir / "b.json").read_text())
    desc["severable"] = ["install"]
    (dev.dir / "b2.json").write_text(json.dumps(desc))
    env2 = dev.dir / "b2.suit"
    suit_ok("create", dev.dir / "b2.json", "-o", env2, "--key", dev.author)
    data = bytearray(env2.read_bytes())
    uri = path.as_uri().encode()
    at = data.rindex(uri)  # the URI inside the severed install member
    data[at + len(uri) - 1] ^= 0x01
    env2.write_bytes(bytes(data))
    rc, _, err = suit("install", env2, *device_args(dev.store, dev.author_pub))
    assert_rejected(rc, err, "digest-mismatch")
    assert store_snapshot(dev.store) == before


def test_wrong_vendor(dev):
    install_confirmed(dev, "a", 1)
    before = store_snapshot(dev.store)
    path, _ = image(dev.dir, "b.bin", 1000, "b")
    env = author(dev.dir, "b", path, path.as_uri(), 2, vendor=OTHER_VENDOR, key=dev.author)
    rc, _, err = suit("install", env, *device_args(dev.store, dev.author_pub))
    assert_rejected(rc, err, "condition-failed")
    assert "vendor-identifier" in err
    assert store_snapshot(dev.store) == before
    # the device's class id must match too
    env = author(dev.dir, "c", path, path.as_uri(), 2, key=dev.author)
    rc, _, err = suit("install", env, "--key", dev.author_pub, "--store", dev.store,
                      "--vendor-id", VENDOR, "--class-id", OTHER_VENDOR)
    assert_rejected(rc, err, "condition-failed")
    assert store_snapshot(dev.store) == before


def raw_variant(d, env, name, edit):
    """the JSON mirror of @env, changed by @edit, rebuilt and signed"""
    doc = json.loads(suit_ok("inspect", env, "--json"))
    edit(doc["manifest"])
    (d.dir / (name + ".json")).write_text(json.dumps(doc))
    out = d.dir / (name + ".suit")
    suit_ok("create", "--raw", d.dir / (name + ".json"), "-o", out, "--key", d.author)
    return out


def test_unknown_command_and_parameter(dev):
    env, path, _ = install_confirmed(dev, "a", 1)
    before = store_snapshot(dev.store)

    def unknown_command(m):
        m["manifest-sequence-number"] = 2
        m["install"].insert(1, {"code": 99, "argument": 15})

    def unknown_parameter(m):
        m["manifest-sequence-number"] = 2
        m["install"][0]["argument"]["999"] = 1

    bad = raw_variant(dev, env, "unk-cmd", unknown_command)
    rc, _, err = suit("install", bad, *device_args(dev.store, dev.author_pub))
    assert_rejected(rc, err, "unsupported-command")
    assert store_snapshot(dev.store) == before
    bad = raw_variant(dev, env, "unk-param", unknown_parameter)
    rc, _, err = suit("install", bad, *device_args(dev.store, dev.author_pub))
    assert_rejected(rc, err, "unsupported-parameter")
    assert store_snapshot(dev.store) == before


def test_untrusted_author(dev, tmp_path):
    install_confirmed(dev, "a", 1)
    before = store_snapshot(dev.store)
    other, _ = keypair(tmp_path, "ES256", "other")
    path, _ = image(dev.dir, "b.bin", 1000, "b")
    env = author(dev.dir, "b", path, path.as_uri(), 2, key=other)
    rc, _, err = suit("install", env, *device_args(dev.store, dev.author_pub))
    assert_rejected(rc, err, "signature-invalid")
    assert store_snapshot(dev.store) == before


def test_payload_not_on_server(dev):
    install_confirmed(dev, "a", 1)
    before = store_snapshot(dev.store)
    path, _ = image(dev.dir, "b.bin", 1000, "b")
    with PayloadServer() as server:
        env = author(dev.dir, "b", path, server.url("missing.bin"), 2, key=dev.author)
        rc, out, err = suit("install", env, *device_args(dev.store, dev.author_pub), "--json")
    assert_rejected(rc, err, "not-found")
    assert json.loads(out)["error"] == "not-found"
    assert store_snapshot(dev.store) == before


def test_store_not_a_directory(dev):
    path, _ = image(dev.dir, "a.bin", 100, "a")
    env = author(dev.dir, "a", path, path.as_uri(), 1, key=dev.author)
    dev.store.write_bytes(b"not a directory")
    rc, out, err = suit("install", env, *device_args(dev.store, dev.author_pub), "--json")
    assert rc == 2, err
    assert json.loads(out)["ok"] is False
    assert dev.store.read_bytes() == b"not a directory"


def test_unwritable_store_is_io_error(dev):
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    install_confirmed(dev, "a", 1)
    path, _ = image(dev.dir, "b.bin", 1000, "b")
    env = author(dev.dir, "b", path, path.as_uri(), 2, key=dev.author)
    os.chmod(dev.store, 0o500)
    try:
        rc, out, err = suit("install", env, *device_args(dev.store, dev.author_pub), "--json")
    finally:
        os.chmod(dev.store, 0o700)
    assert rc == 2, err
    assert json.loads(out)["ok"] is False


# -- boot, confirm, invoke -----------------------------------------------------

def test_boot_fallback_and_confirm(dev):
    env_a, _, digest_a = install_confirmed(dev, "a", 1)
    path, digest_b = image(dev.dir, "b.bin", 5000, "b")
    env_b = author(dev.dir, "b", path, path.as_uri(), 2, key=dev.author)

    # never confirmed: tried once, then back to the confirmed image
    suit_ok("install", env_b, *device_args(dev.store, dev.author_pub))
    assert store_components(dev.store)["[h'00']"]["state"] == "pending"
    doc = suit_json("boot", "--store", dev.store)
    assert doc["fell-back"] == [] and doc["components"][0]["state"] == "trying"
    assert doc["components"][0]["sha256"] == digest_b
    doc = suit_json("boot", "--store", dev.store)
    assert doc["fell-back"] == ["[h'00']"]
    comp = doc["components"][0]
    assert comp["state"] == "confirmed" and comp["sha256"] == digest_a
    # the new manifest no longer matches what the device runs
    rc, _, err = suit("invoke", env_b, *device_args(dev.store, dev.author_pub))
    assert_rejected(rc, err, "condition-failed")

    # confirmed by component (the CBOR of its id): it stays
    suit_ok("install", env_b, *device_args(dev.store, dev.author_pub))
    suit_ok("boot", "--store", dev.store)
    doc = suit_json("confirm", "--store", dev.store, "814100")
    assert [c["state"] for c in doc["confirmed"]] == ["confirmed"]
    suit_ok("boot", "--store", dev.store)
    suit_ok("boot", "--store", dev.store)
    assert store_components(dev.store)["[h'00']"]["sha256"] == digest_b
    # nothing pending any more
    rc, _, err = suit("confirm", "--store", dev.store, "814100")
    assert_rejected(rc, err, "conflict")
    assert suit_json("confirm", "--store", dev.store)["confirmed"] == []


def test_store_show_empty_and_missing(dev):
    dev.store.mkdir()
    assert suit_json("store", "show", "--store", dev.store)["components"] == []
    text = suit_ok("store", "show", "--store", dev.store).decode()
    assert "components: (none)" in text
    for args in (["store", "show"], ["boot"], ["confirm"]):
        rc, out, err = suit(*args, "--store", dev.dir / "nope", "--json")
        assert rc == 2, err
        assert json.loads(out)["error"] == "not-found"
        assert not (dev.dir / "nope").exists()


# -- usage ----------------------------------------------------------------------

@pytest.mark.parametrize("uuid", [
    "fa6b4a53d5ad5fdfbe9de663e4d41ffe",
    "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ff",
    "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffee",
    "fa6b4a53-d5ad-5fdf-be9de-663e4d41ffe",
    "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffg",
    "{fa6b4a53-d5ad-5fdf-be9d-e663e4d41ff}",
    "",
])
def test_bad_uuid(dev, uuid):
    path, _ = image(dev.dir, "a.bin", 100, "a")
    env = author(dev.dir, "a", path, path.as_uri(), 1, key=dev.author)
    for option in ("--vendor-id", "--class-id", "--device-id"):
        ids = {"--vendor-id": VENDOR, "--class-id": CLASS}
        ids[option] = uuid
        args = [a for kv in ids.items() for a in kv]
        rc, out, err = suit("install", env, "--key", dev.author_pub, "--store", dev.store,
                            *args, "--json")
        assert rc == 2, err
        assert json.loads(out)["error"] == "invalid-argument"
        assert option in err
    assert not dev.store.exists()


def test_uuid_upper_case(dev):
    path, _ = image(dev.dir, "a.bin", 100, "a")
    env = author(dev.dir, "a", path, path.as_uri(), 1, key=dev.author)
    suit_ok("install", env, "--key", dev.author_pub, "--store", dev.store,
            "--vendor-id", VENDOR.upper(), "--class-id", CLASS.upper())


@pytest.mark.parametrize("args", [
    ["install"],
    ["install", "x.suit", "--store", "s", "--vendor-id", VENDOR, "--class-id", CLASS],
    ["install", "x.suit", "--key", "k.pem", "--vendor-id", VENDOR, "--class-id", CLASS],
    ["install", "x.suit", "--key", "k.pem", "--store", "s", "--class-id", CLASS],
    ["install", "x.suit", "--key", "k.pem", "--store", "s", "--vendor-id", VENDOR, "--class-id", CLASS,
     "--report", "r.cose"],
    ["install", "x.suit", "--key", "k.pem", "--store", "s", "--vendor-id", VENDOR, "--class-id", CLASS,
     "--slot", "-2"],
    ["invoke", "x.suit"],
    ["report"],
    ["report", "frobnicate"],
    ["report", "verify", "r.cose"],
    ["report", "inspect"],
    ["store"],
    ["store", "show"],
    ["boot", "extra"],
])
def test_device_usage_errors(tmp_path, args):
    rc, _, err = suit(*args)
    assert rc == 2, err
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize("cmd", [["install"], ["invoke"], ["boot"], ["confirm"], ["store", "show"],
                                 ["report", "inspect"], ["report", "verify"]])
def test_device_command_help(cmd):
    out = suit_ok(*cmd, "--help").decode()
    assert "Usage:" in out


def test_group_help():
    out = suit_ok("report", "--help").decode()
    assert "suit report inspect" in out and "suit report verify" in out


def test_install_missing_files(dev):
    path, _ = image(dev.dir, "a.bin", 100, "a")
    env = author(dev.dir, "a", path, path.as_uri(), 1, key=dev.author)
    rc, _, err = suit("install", dev.dir / "nope.suit", *device_args(dev.store, dev.author_pub))
    assert rc == 2, err
    rc, _, err = suit("install", env, *device_args(dev.store, dev.dir / "nope.pem"))
    assert rc == 2, err
    rc, _, err = suit("install", env, *device_args(dev.store, dev.author_pub),
                      "--report", dev.dir / "r.cose", "--device-key", dev.author_pub)
    assert rc == 2 and "not a private key" in err, err
    # not an envelope: refused, and no report can name it
    junk = dev.dir / "junk.suit"
    junk.write_bytes(b"\xa1\x01")
    rc, _, err = suit("install", junk, *device_args(dev.store, dev.author_pub),
                      "--report", dev.dir / "r.cose", "--device-key", dev.device)
    assert rc == 1, err
    assert not (dev.dir / "r.cose").exists()


def test_slot_option(dev):
    path, _ = image(dev.dir, "a.bin", 100, "a")
    env = author(dev.dir, "a", path, path.as_uri(), 1, key=dev.author, extra={"slot": 1})
    rc, _, err = suit("install", env, *device_args(dev.store, dev.author_pub), "--slot", "0")
    assert_rejected(rc, err, "condition-failed")
    suit_ok("install", env, *device_args(dev.store, dev.author_pub), "--slot", "1")


# -- report inspect | verify -----------------------------------------------------

LIBCSUIT = "report/report-libcsuit-ex0-success.cose"
LIBCSUIT_PAYLOAD = "report/report-libcsuit-ex0-success.payload.cbor"
LIBCSUIT_KEY = "keys/esdh-recipient-p256-kid-2.pub.pem"


@pytest.mark.skipif(not VECTORS.is_dir(), reason="shared vectors not found")
def test_report_libcsuit_vector():
    doc = suit_json("report", "verify", VECTORS / LIBCSUIT, "--key", VECTORS / LIBCSUIT_KEY)
    assert doc["signature"] == "verified"
    report = doc["report"]
    assert report["reference"]["digest"]["digest-bytes"].startswith("6658ea56")
    assert report["result"] == {"success": True}
    assert any("duplicate key 1" in w for w in report["warnings"])
    rc, out, err = suit("report", "inspect", VECTORS / LIBCSUIT)
    assert rc == 0, err
    text = out.decode()
    assert "not verified" in text and "duplicate key 1" in text
    doc = suit_json("report", "inspect", VECTORS / LIBCSUIT_PAYLOAD)
    assert doc["signature"] == "unsigned"
    assert doc["report"]["records"][0]["properties"]["image-size"] == 34768
    rc, _, err = suit("report", "verify", VECTORS / LIBCSUIT_PAYLOAD, "--key", VECTORS / LIBCSUIT_KEY)
    assert rc == 1, err


@pytest.mark.skipif(not VECTORS.is_dir(), reason="shared vectors not found")
def test_report_inspect_malformed(tmp_path):
    good = (VECTORS / LIBCSUIT).read_bytes()
    cases = {
        "empty": b"",
        "junk": b"\xff\x00\x01",
        "truncated": good[:len(good) // 2],
        "deep": b"\xd2\x84\x40" + b"\xa1\x01" * 20 + b"\x01" + b"\x40\x40",
        "huge-map": b"\xd2\x84\x40\xbb\xff\xff\xff\xff\xff\xff\xff\xff",
        "not-array": b"\xd2\xa0",
        "payload-not-report": b"\xd2\x84\x40\xa0\x43\x01\x02\x03\x40",
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        rc, out, err = suit("report", "inspect", path, "--json")
        assert rc == 1, (name, err)
        assert json.loads(out)["ok"] is False
    rc, _, err = suit("report", "inspect", tmp_path / "missing")
    assert rc == 2, err
