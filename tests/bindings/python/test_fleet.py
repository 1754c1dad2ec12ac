"""The Python binding of the fleet roles: suit.Database, suit.FirmwareServer,
suit.StatusTracker and suit.Communicator."""

import hashlib
import json
import os
import socket
import threading

import pytest

import suit

VENDOR = "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe"
CLASS = "1492af14-2569-5e48-bf42-9b2d51f2ab45"
PAYLOAD = b"firmware image 2.0 " * 1000


# --- fixtures ----------------------------------------------------------------


@pytest.fixture(params=["memory", "sqlite"])
def database(request, tmp_path):
    if request.param == "memory":
        return suit.Database.memory()
    return suit.Database.sqlite(str(tmp_path / "tracker.db"))


@pytest.fixture
def author_key():
    return suit.Key.generate(suit.KEY_TYPE_P256)


@pytest.fixture
def trusted(author_key):
    ring = suit.Keyring()
    ring.add(author_key.public_key())
    return ring


@pytest.fixture
def server(tmp_path, database, trusted):
    return suit.FirmwareServer(str(tmp_path / "files"), database, trusted)


def make_envelope(tmp_path, key, sequence_number, payload=PAYLOAD):
    (tmp_path / "app.bin").write_bytes(payload)
    digest = hashlib.sha256(payload).hexdigest()
    description = {
        "manifest-version": 1,
        "manifest-sequence-number": sequence_number,
        "components": [{
            "install-id": ["00"],
            "vendor-id": VENDOR,
            "class-id": CLASS,
            "file": "app.bin",
            "uri": "/payloads/" + digest,
        }],
    }
    author = suit.Author()
    author.add_key(key)
    envelope = author.build_from_description_json(json.dumps(description), str(tmp_path))
    return envelope.to_bytes()


def register(tracker, device_id, key, tags=("lab",)):
    answer = json.loads(tracker.add_device({
        "id": device_id,
        "vendor_id": VENDOR,
        "class_id": CLASS,
        "tags": list(tags),
        "public_key": key.export_public_pem().decode(),
    }))
    assert answer["id"] == device_id
    return answer["token"]


def signed_report(key, manifest_id, nonce_hex, success=True):
    report = suit.Report()
    report.set_reference("/device/v1/manifests/" + manifest_id,
                         suit.Digest(suit.DIGEST_ALGORITHM_SHA256, bytes.fromhex(manifest_id)))
    report.nonce = bytes.fromhex(nonce_hex)
    if success:
        report.set_result_success()
    else:
        report.set_result_failure(suit.ERROR_CONDITION_FAILED, None, suit.REPORT_REASON_CONDITION_FAILED)
    return report.sign(key)


# --- Database ----------------------------------------------------------------


def test_database_documents_and_keys(database):
    database.put("things", "b", '{"n": 2}', ["colour:red", "size:big"])
    database.put("things", "a", '{"n": 1}', ["colour:red"])
    database.put("things", "c", '{"n": 3}')
    assert json.loads(database.get("things", "a")) == {"n": 1}
    assert database.query("things") == ['{"n": 1}', '{"n": 2}', '{"n": 3}']
    assert database.query("things", "colour:red") == ['{"n": 1}', '{"n": 2}']
    assert database.query("things", None, "a", 1) == ['{"n": 2}']
    assert database.count("things") == 3
    assert database.count("things", "size:big") == 1
    # put replaces the document and its keys
    database.put("things", "b", '{"n": 20}', ["colour:blue"])
    assert database.query("things", "colour:red") == ['{"n": 1}']
    assert database.count("things", "size:big") == 0
    database.remove("things", "a")
    with pytest.raises(suit.Error) as info:
        database.get("things", "a")
    assert info.value.id == "not-found"
    with pytest.raises(suit.Error) as info:
        database.remove("things", "a")
    assert info.value.id == "not-found"


def test_database_bad_arguments(database):
    with pytest.raises(TypeError):
        database.get(None, "a")
    with pytest.raises(TypeError):
        database.put("things", "a", '{}', "not-a-list")
    with pytest.raises(TypeError):
        database.put("things", "a", '{}', ["ok", 3])
    with pytest.raises(suit.Error) as info:
        database.put("", "a", "{}")
    assert info.value.id == "invalid-argument"


def test_database_transactions(database):
    database.begin()
    database.put("things", "a", '{"n": 1}')
    assert database.get("things", "a") == '{"n": 1}'
    database.rollback()
    assert database.count("things") == 0
    database.begin()
    database.put("things", "a", '{"n": 1}')
    # nested begin in one thread
    with pytest.raises(suit.Error) as info:
        database.begin()
    assert info.value.id == "conflict"
    # another thread does not see the open transaction
    seen = []
    reader = threading.Thread(target=lambda: seen.append(database.count("things")))
    reader.start()
    reader.join()
    assert seen == [0]
    database.commit()
    assert database.count("things") == 1


def test_database_sqlite_persists(tmp_path):
    path = str(tmp_path / "state.db")
    db = suit.Database.sqlite(path)
    assert db.path == path
    db.put("things", "a", '{"n": 1}', ["k"])
    del db
    again = suit.Database.sqlite(path)
    assert again.query("things", "k") == ['{"n": 1}']
    assert suit.Database.memory().path is None
    (tmp_path / "garbage.db").write_bytes(b"\x00garbage" * 512)
    with pytest.raises(suit.Error):
        suit.Database.sqlite(str(tmp_path / "garbage.db"))
    with pytest.raises(TypeError):
        suit.Database.sqlite(None)


# --- FirmwareServer ----------------------------------------------------------


def test_firmware_server_payloads(server, tmp_path):
    digest = server.add_payload(PAYLOAD)
    assert digest == hashlib.sha256(PAYLOAD).hexdigest()
    assert server.has_payload(digest)
    assert server.payload_size(digest) == len(PAYLOAD)
    with open(server.payload_path(digest), "rb") as f:
        assert f.read() == PAYLOAD
    assert server.read_payload(digest) == PAYLOAD
    assert server.read_payload(digest, 10, 5) == PAYLOAD[10:15]
    assert server.read_payload(digest, len(PAYLOAD) - 3) == PAYLOAD[-3:]
    out = tmp_path / "range.bin"
    assert server.copy_payload(digest, str(out), 100, 50) == 50
    assert out.read_bytes() == PAYLOAD[100:150]

    # from a file (streamed, with a size limit), and moved in from a file
    other = b"other image" * 100
    (tmp_path / "other.bin").write_bytes(other)
    assert server.add_payload_file(str(tmp_path / "other.bin")) == hashlib.sha256(other).hexdigest()
    with pytest.raises(suit.Error) as info:
        server.add_payload_file(str(tmp_path / "other.bin"), 10)
    assert info.value.id == "limit-exceeded"
    moved = tmp_path / "files" / "tmp" / "upload"
    moved.write_bytes(b"moved")
    assert server.import_payload(str(moved)) == hashlib.sha256(b"moved").hexdigest()
    assert not moved.exists()

    # ids that are not digests never reach the file system
    for bad in ("../../etc/passwd", digest.upper(), digest[:-1]):
        with pytest.raises(suit.Error) as info:
            server.payload_path(bad)
        assert info.value.id == "invalid-argument"
    with pytest.raises(suit.Error) as info:
        server.read_payload("0" * 64)
    assert info.value.id == "not-found"
    assert not server.has_payload("0" * 64)


def test_firmware_server_envelopes(server, tmp_path, author_key):
    blob = make_envelope(tmp_path, author_key, 7)
    summary = json.loads(server.add_envelope(blob))
    assert summary["sequence_number"] == 7
    assert summary["vendor_id"] == VENDOR
    assert summary["class_id"] == CLASS
    assert summary["components"][0]["image_digest"] == hashlib.sha256(PAYLOAD).hexdigest()
    assert server.get_envelope(summary["id"]) == blob
    assert json.loads(server.get_manifest(summary["id"]))["id"] == summary["id"]
    newer = json.loads(server.add_envelope(make_envelope(tmp_path, author_key, 8)))
    listed = json.loads(server.list_manifests())
    assert [m["sequence_number"] for m in listed] == [8, 7]
    assert [m["id"] for m in json.loads(server.list_manifests(VENDOR, CLASS))] == [newer["id"], summary["id"]]
    assert json.loads(server.list_manifests(None, "00000000-0000-0000-0000-000000000000")) == []
    assert server.directory == str(tmp_path / "files")
    assert isinstance(server.keyring, suit.Keyring)

    # an envelope from a key the server does not trust is refused
    stranger = suit.Key.generate(suit.KEY_TYPE_P256)
    with pytest.raises(suit.Error) as info:
        server.add_envelope(make_envelope(tmp_path, stranger, 9))
    assert info.value.id in ("signature-invalid", "no-authentication")
    with pytest.raises(suit.Error):
        server.add_envelope(b"\xd8\x6b\xa2")
    with pytest.raises(TypeError):
        server.add_envelope(None)


# --- StatusTracker -----------------------------------------------------------


def test_status_tracker_tokens_and_devices(server, database):
    tracker = suit.StatusTracker(database, server)
    assert isinstance(tracker.database, suit.Database)
    assert isinstance(tracker.firmware_server, suit.FirmwareServer)
    admin = json.loads(tracker.create_token("admin", "ops"))
    assert tracker.authenticate_operator(admin["token"]) == "admin"
    assert [t["id"] for t in json.loads(tracker.list_tokens())] == [admin["id"]]
    with pytest.raises(suit.Error) as info:
        tracker.create_token("root", "ops")
    assert info.value.id == "invalid-argument"
    tracker.revoke_token(admin["id"])
    with pytest.raises(suit.Error) as info:
        tracker.authenticate_operator(admin["token"])
    assert info.value.id == "permission-denied"

    key = suit.Key.generate(suit.KEY_TYPE_P256)
    token = register(tracker, "dev-1", key)
    assert tracker.authenticate_device(token) == "dev-1"
    device = json.loads(tracker.get_device("dev-1"))
    assert device["state"] == "registered"
    assert "token" not in device and "token_hash" not in device
    assert [d["id"] for d in json.loads(tracker.list_devices("lab"))] == ["dev-1"]
    assert json.loads(tracker.list_devices("other")) == []
    assert json.loads(tracker.list_devices(None, "registered"))[0]["id"] == "dev-1"
    # JSON text works as well as a dict
    with pytest.raises(suit.Error) as info:
        tracker.add_device('{"id": "dev-1"}')
    assert info.value.id in ("invalid-argument", "conflict")
    with pytest.raises(suit.Error) as info:
        tracker.add_device("not json")
    assert info.value.id == "invalid-argument"
    with pytest.raises(suit.Error) as info:
        tracker.get_device("nobody")
    assert info.value.id == "not-found"
    assert tracker.check_in("dev-1", {"sequence_number": None, "manifest": None}) is None
    stats = json.loads(tracker.get_statistics())
    assert stats["devices"]["total"] == 1


def test_status_tracker_campaign(server, database, tmp_path, author_key):
    tracker = suit.StatusTracker(database, server)
    keys = {}
    for name in ("dev-a", "dev-b"):
        keys[name] = suit.Key.generate(suit.KEY_TYPE_P256)
        register(tracker, name, keys[name])
    server.add_payload(PAYLOAD)
    manifest = json.loads(server.add_envelope(make_envelope(tmp_path, author_key, 2)))
    campaign = json.loads(tracker.create_campaign({
        "manifest": manifest["id"], "tags": ["lab"], "waves": [50, 100], "max_failure_ratio": 0.5}))
    assert campaign["state"] == "running"
    assert campaign["counts"]["total"] == 2
    assert [c["id"] for c in json.loads(tracker.list_campaigns())] == [campaign["id"]]

    # the device in the first wave gets an offer; a forged report is refused
    offers = {name: tracker.check_in(name, {"sequence_number": 1, "manifest": None}) for name in keys}
    offered = [name for name, offer in offers.items() if offer is not None]
    assert len(offered) == 1
    first = offered[0]
    offer = json.loads(offers[first])
    assert offer["action"] == "install" and offer["manifest"] == manifest["id"]
    forger = suit.Key.generate(suit.KEY_TYPE_P256)
    with pytest.raises(suit.SignatureError):
        tracker.submit_report(first, signed_report(forger, manifest["id"], offer["nonce"]))

    # installed, then confirmed after boot; the second wave starts
    answer = json.loads(tracker.submit_report(first, signed_report(keys[first], manifest["id"], offer["nonce"])))
    assert answer["state"] == "installed"
    # the same report again is a replay
    with pytest.raises(suit.Error) as info:
        tracker.submit_report(first, signed_report(keys[first], manifest["id"], offer["nonce"]))
    assert info.value.id == "conflict"
    confirm = json.loads(tracker.check_in(first, {"sequence_number": 1, "manifest": None}))
    assert confirm["action"] == "confirm"
    answer = json.loads(tracker.submit_report(first, signed_report(keys[first], manifest["id"], confirm["nonce"])))
    assert answer["state"] == "succeeded"
    assert json.loads(tracker.get_device(first))["installed_manifest"] == manifest["id"]

    second = [name for name in keys if name != first][0]
    offer2 = json.loads(tracker.check_in(second, {"sequence_number": 1, "manifest": None}))
    assert offer2["action"] == "install"

    paused = json.loads(tracker.pause_campaign(campaign["id"]))
    assert paused["state"] == "paused"
    assert tracker.check_in(second, {"sequence_number": 1, "manifest": None}) is None
    assert json.loads(tracker.resume_campaign(campaign["id"]))["state"] == "running"
    assert json.loads(tracker.cancel_campaign(campaign["id"]))["state"] == "cancelled"
    with pytest.raises(suit.Error) as info:
        tracker.pause_campaign(campaign["id"])
    assert info.value.id == "conflict"
    assert json.loads(tracker.get_campaign(campaign["id"]))["state"] == "cancelled"

    # the audit log
    events = json.loads(tracker.list_events())
    types = [e["type"] for e in events]
    for expected in ("device-registered", "campaign-created", "report-rejected",
                     "device-succeeded", "campaign-paused", "campaign-cancelled"):
        assert expected in types
    mine = json.loads(tracker.list_events(first))
    assert mine and all(e.get("device") == first for e in mine)
    later = json.loads(tracker.list_events(None, campaign["id"], events[2]["seq"], 2))
    assert len(later) == 2 and all(e["seq"] > events[2]["seq"] for e in later)


# --- Communicator ------------------------------------------------------------


def test_communicator_settings_and_errors(tmp_path, trusted):
    store = suit.Store.directory(str(tmp_path / "store"))
    # the consumer's fetcher resolves /payloads/<sha256> against the server
    fetcher = suit.Communicator.payload_fetcher("http://127.0.0.1:1/")
    assert isinstance(fetcher, suit.Fetcher)
    assert isinstance(suit.Communicator.payload_fetcher("https://example.org/", suit.Fetcher.soup()), suit.Fetcher)
    with pytest.raises(suit.Error) as info:
        suit.Communicator.payload_fetcher("file:///tmp")
    assert info.value.id == "invalid-argument"
    consumer = suit.FirmwareConsumer(trusted, store, fetcher)
    with pytest.raises(suit.Error) as info:
        suit.Communicator(consumer, store, "ftp://example.org/", "token")
    assert info.value.id == "invalid-argument"
    with pytest.raises(TypeError):
        suit.Communicator(None, store, "http://127.0.0.1:1/", "token")

    # a port where nothing listens
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    comm = suit.Communicator(consumer, store, "http://127.0.0.1:%d" % port, "token")
    assert comm.manifest is None
    comm.set_device_key(suit.Key.generate(suit.KEY_TYPE_P256))
    comm.poll_interval = 30
    assert comm.poll_interval == 30
    comm.set_jitter(0.5)
    comm.set_max_retries(0)
    comm.set_health_command("true")
    with pytest.raises(suit.Error):
        comm.set_ca_file(str(tmp_path / "missing.pem"))
    # without a state directory nothing runs
    with pytest.raises(suit.Error) as info:
        comm.run_once()
    assert info.value.id == "invalid-argument"
    comm.set_state_directory(str(tmp_path / "state"))
    with pytest.raises(suit.Error) as info:
        comm.run_once()
    assert info.value.id == "fetch-failed"
    assert os.path.isdir(tmp_path / "state")
    assert suit.COMMUNICATOR_OUTCOME_NONE == 0
