"""The Python binding of SuitProgress, the fetchers and SuitFirmwareConsumer
(suit.Progress, suit.Fetcher, suit.FirmwareConsumer)."""

import gc
import hashlib
import json
import os
import socket
import subprocess
import sys
import time
import weakref

import pytest

import suit

ARM_VENDOR = "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe"
DRAFT_CLASS = "1492af14-2569-5e48-bf42-9b2d51f2ab45"
TEEP_VENDOR = "c0ddd5f1-5243-5660-87db-4f5b0aa26c2f"
TEEP_CLASS = "db42f709-3d8c-55ba-a8c5-265fc5820f4e"
TEEP_TA_URI = "https://example.org/8d82573a-926d-4754-9353-32dc29997f74.ta"


class Recorder:
    """A progress callback that records (percentage, status) pairs."""

    def __init__(self):
        self.calls = []

    def __call__(self, percentage, status):
        self.calls.append((percentage, status))

    @property
    def percentages(self):
        return [p for p, _ in self.calls]

    @property
    def statuses(self):
        return [s for _, s in self.calls]


class CallbackFailed(Exception):
    pass


def assert_non_decreasing(values):
    assert values == sorted(values), values


# --- Progress ----------------------------------------------------------------


def test_progress_defaults():
    p = suit.Progress()
    assert p.percentage == 0.0
    assert p.status == suit.PROGRESS_STATUS_UNKNOWN
    assert p.total == 0
    assert p.done == 0
    assert p.steps == 0
    assert p.name is None
    assert repr(p) == "<suit.Progress 0.0% unknown>"


def test_progress_status_strings():
    names = ["unknown", "idle", "verifying", "fetching", "writing", "installing",
             "validating", "loading", "invoking", "reporting", "waiting"]
    for value, name in enumerate(names):
        assert suit.progress_status_to_string(value) == name
        assert suit.progress_status_from_string(name) == value
    assert suit.PROGRESS_STATUS_FETCHING == 3
    assert suit.progress_status_to_string(99) is None
    assert suit.progress_status_from_string("flying") == suit.PROGRESS_STATUS_UNKNOWN
    assert suit.progress_status_from_string(None) == suit.PROGRESS_STATUS_UNKNOWN


def test_progress_percentage_and_status():
    p = suit.Progress()
    rec = Recorder()
    handler = p.connect(rec)
    assert isinstance(handler, int) and handler > 0
    p.percentage = 30
    p.percentage = 20  # lower: ignored
    assert p.percentage == 30.0
    p.percentage = 150  # clamped
    assert p.percentage == 100.0
    p.status = suit.PROGRESS_STATUS_INSTALLING
    assert p.status == suit.PROGRESS_STATUS_INSTALLING
    assert rec.calls == [(30.0, 0), (100.0, 0), (100.0, suit.PROGRESS_STATUS_INSTALLING)]
    # reset: back to 0 (reported), the status stays
    p.reset()
    assert p.percentage == 0.0
    assert p.status == suit.PROGRESS_STATUS_INSTALLING
    assert rec.calls[-1] == (0.0, suit.PROGRESS_STATUS_INSTALLING)


def test_progress_bytes_callback_increasing():
    p = suit.Progress()
    rec = Recorder()
    p.connect(rec)
    p.total = 1000
    assert p.total == 1000
    for _ in range(4):
        p.add_done(250)
    assert p.done == 1000
    assert rec.percentages == [25.0, 50.0, 75.0, 100.0]
    assert all(a < b for a, b in zip(rec.percentages, rec.percentages[1:]))
    p.finished()
    assert p.percentage == 100.0


def test_progress_steps():
    p = suit.Progress()
    rec = Recorder()
    p.connect(rec)
    p.add_step(suit.PROGRESS_STATUS_FETCHING, 1, "fetch")
    p.add_step(suit.PROGRESS_STATUS_WRITING, 3)
    assert p.steps == 2
    # the first step's status is the parent's
    assert p.status == suit.PROGRESS_STATUS_FETCHING
    child = p.child()
    assert isinstance(child, suit.Progress)
    assert child.name == "fetch"
    assert child.status == suit.PROGRESS_STATUS_FETCHING
    child.percentage = 50
    assert p.percentage == 12.5
    p.step_done()
    assert p.percentage == 25.0
    assert p.status == suit.PROGRESS_STATUS_WRITING
    second = p.child()
    assert second.name is None
    second.total = 10
    second.add_done(5)
    assert p.percentage == 62.5
    p.step_done()
    assert p.percentage == 100.0
    # no current step left
    with pytest.raises(suit.UsageError) as exc:
        p.step_done()
    assert exc.value.id == "invalid-argument"
    with pytest.raises(suit.UsageError):
        p.child()
    assert_non_decreasing(rec.percentages)
    assert rec.percentages[-1] == 100.0
    assert suit.PROGRESS_STATUS_FETCHING in rec.statuses
    assert suit.PROGRESS_STATUS_WRITING in rec.statuses


def test_progress_finished_and_reset_steps():
    p = suit.Progress()
    with pytest.raises(suit.UsageError):
        p.child()
    p.add_step(suit.PROGRESS_STATUS_VERIFYING, 0, "a")
    p.add_step(suit.PROGRESS_STATUS_INSTALLING, 0, "b")
    # steps that all weigh nothing count the same
    p.step_done()
    assert p.percentage == 50.0
    p.finished()
    assert p.percentage == 100.0
    with pytest.raises(suit.UsageError):
        p.step_done()
    p.reset()
    assert p.steps == 0
    assert p.percentage == 0.0
    p.add_step(suit.PROGRESS_STATUS_UNKNOWN, 1, "again")
    assert p.child().name == "again"


def test_progress_callback_exception_is_raised_after_the_call():
    p = suit.Progress()
    calls = []

    def failing(percentage, status):
        calls.append(percentage)
        raise CallbackFailed("at %g" % percentage)

    p.connect(failing)
    with pytest.raises(CallbackFailed, match="at 10"):
        p.percentage = 10
    # the C call ran to its end
    assert p.percentage == 10.0
    # the next change calls it again, and raises again
    with pytest.raises(CallbackFailed, match="at 100"):
        p.finished()
    assert calls == [10.0, 100.0]
    # one error is kept per call: the status change after it is not reported
    p2 = suit.Progress()
    calls2 = []

    def fail_once(percentage, status):
        calls2.append((percentage, status))
        raise CallbackFailed("first")

    p2.connect(fail_once)
    p2.total = 4
    with pytest.raises(CallbackFailed, match="first"):
        p2.add_step(suit.PROGRESS_STATUS_FETCHING, 1, "x")
    assert calls2 == [(0.0, suit.PROGRESS_STATUS_FETCHING)]
    with pytest.raises(CallbackFailed):
        p2.step_done()


def test_progress_callback_is_released_with_the_progress():
    rec = Recorder()
    ref = weakref.ref(rec)
    p = suit.Progress()
    p.connect(rec)
    p.connect(rec)
    del rec
    gc.collect()
    assert ref() is not None
    p.percentage = 5
    assert ref().calls == [(5.0, 0), (5.0, 0)]
    del p
    gc.collect()
    assert ref() is None


def test_progress_connect_needs_a_callable():
    with pytest.raises(TypeError):
        suit.Progress().connect(42)


# --- Fetchers ----------------------------------------------------------------


@pytest.fixture
def payload_file(tmp_path):
    data = bytes(range(256)) * 1000  # 256000 bytes: several chunks
    path = tmp_path / "payload.bin"
    path.write_bytes(data)
    return path, data


def test_fetcher_file_uri(payload_file):
    path, data = payload_file
    for fetcher in (suit.Fetcher.file(), suit.Fetcher.default()):
        assert fetcher.fetch_bytes(path.as_uri(), len(data)) == data
        progress = suit.Progress()
        rec = Recorder()
        progress.connect(rec)
        assert fetcher.fetch_bytes(path.as_uri(), 10 * len(data), suit.FETCH_FLAG_NONE, progress) == data
        assert progress.percentage == 100.0
        assert progress.status == suit.PROGRESS_STATUS_FETCHING
        assert progress.total == len(data)
        assert progress.done == len(data)
        assert rec.percentages[-1] == 100.0
        assert all(a < b for a, b in zip(rec.percentages, rec.percentages[1:]))
        assert len(rec.percentages) >= 4  # 64 KiB chunks


def test_fetcher_finishes_the_steps(payload_file):
    path, data = payload_file
    p = suit.Progress()
    p.add_step(suit.PROGRESS_STATUS_FETCHING, 1, "a")
    p.add_step(suit.PROGRESS_STATUS_WRITING, 1, "b")
    assert p.child().name == "a"
    # the fetcher finishes the progress it is given, and so every step
    assert suit.Fetcher.file().fetch_bytes(path.as_uri(), len(data), progress=p) == data
    assert p.percentage == 100.0
    with pytest.raises(suit.UsageError):
        p.child()
    with pytest.raises(suit.UsageError):
        p.step_done()


def test_fetcher_progress_callable(payload_file):
    path, data = payload_file
    rec = Recorder()
    ref = weakref.ref(rec)
    assert suit.Fetcher.file().fetch_bytes(path.as_uri(), len(data), progress=rec) == data
    assert rec.percentages[-1] == 100.0
    assert suit.PROGRESS_STATUS_FETCHING in rec.statuses
    # the temporary Progress is gone, and so is its reference
    del rec
    gc.collect()
    assert ref() is None
    with pytest.raises(TypeError):
        suit.Fetcher.file().fetch_bytes(path.as_uri(), len(data), progress=42)


def test_fetcher_progress_callback_exception(payload_file):
    path, data = payload_file

    def failing(percentage, status):
        raise CallbackFailed("progress %g" % percentage)

    with pytest.raises(CallbackFailed):
        suit.Fetcher.file().fetch_bytes(path.as_uri(), len(data), progress=failing)
    # nothing is left behind for the next call
    assert suit.Fetcher.file().fetch_bytes(path.as_uri(), len(data)) == data


def test_fetcher_size_limit(payload_file):
    path, data = payload_file
    with pytest.raises(suit.ParseError) as exc:
        suit.Fetcher.file().fetch_bytes(path.as_uri(), len(data) - 1)
    assert exc.value.id == "limit-exceeded"
    assert exc.value.code == suit.ERROR_LIMIT_EXCEEDED
    # fetching into memory needs a bound
    with pytest.raises(suit.UsageError) as exc:
        suit.Fetcher.file().fetch_bytes(path.as_uri(), 0)
    assert exc.value.id == "invalid-argument"


def test_fetcher_errors(tmp_path):
    missing = (tmp_path / "missing.bin").as_uri()
    with pytest.raises(suit.StateError) as exc:
        suit.Fetcher.file().fetch_bytes(missing, 100)
    assert exc.value.id == "not-found"
    with pytest.raises(suit.StateError) as exc:
        suit.Fetcher.default().fetch_bytes(missing, 100)
    assert exc.value.id == "not-found"
    # a scheme nobody handles
    for fetcher in (suit.Fetcher.file(), suit.Fetcher.default(), suit.Fetcher.soup()):
        with pytest.raises(suit.UsageError) as exc:
            fetcher.fetch_bytes("ftp://example.com/file.bin", 100)
        assert exc.value.id == "not-supported"
    with pytest.raises(suit.UsageError) as exc:
        suit.Fetcher.file().fetch_bytes("http://example.com/file.bin", 100)
    assert exc.value.id == "not-supported"
    # integrated payloads come from the envelope
    with pytest.raises(suit.UsageError) as exc:
        suit.Fetcher.default().fetch_bytes("#payload", 100)
    assert exc.value.id == "not-supported"
    with pytest.raises(suit.UsageError) as exc:
        suit.Fetcher.default().fetch_bytes(None, 100)
    assert exc.value.id == "invalid-argument"


def test_fetcher_supports_uri():
    cases = {
        "file:///tmp/x.bin": (True, False, True),
        "http://example.com/x": (False, True, True),
        "https://example.com/x": (False, True, True),
        "ftp://example.com/x": (False, False, False),
        "#x": (False, False, False),
    }
    for uri, expected in cases.items():
        got = tuple(f.supports_uri(uri) for f in (suit.Fetcher.file(), suit.Fetcher.soup(), suit.Fetcher.default()))
        assert got == expected, uri
    assert suit.Fetcher.default().supports_uri(None) is False


def test_fetcher_soup_settings():
    f = suit.Fetcher.soup()
    assert (f.timeout, f.max_retries, f.retry_delay) == (60, 5, 1000)
    f.timeout = 5
    f.max_retries = 0
    f.retry_delay = 10
    assert (f.get_timeout(), f.get_max_retries(), f.get_retry_delay()) == (5, 0, 10)
    f.set_retry_delay(10 ** 9)
    assert f.retry_delay == 60000  # at most one minute
    f.set_timeout(7)
    f.set_max_retries(2)
    assert (f.timeout, f.max_retries) == (7, 2)
    for other in (suit.Fetcher.file(), suit.Fetcher.default()):
        for name in ("timeout", "max_retries", "retry_delay"):
            with pytest.raises(suit.UsageError) as exc:
                getattr(other, name)
            assert exc.value.id == "invalid-argument"
            with pytest.raises(suit.UsageError) as exc:
                setattr(other, name, 1)
            assert exc.value.id == "invalid-argument"
        with pytest.raises(suit.UsageError):
            other.set_tls_ca_file(None)


def test_fetcher_soup_tls_ca_file(tmp_path):
    f = suit.Fetcher.soup()
    bundle = "/etc/ssl/certs/ca-certificates.crt"
    if os.path.exists(bundle):
        f.set_tls_ca_file(bundle)
    f.set_tls_ca_file()  # back to the system's
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate")
    for path in (str(bad), str(tmp_path / "missing.pem")):
        with pytest.raises(suit.UsageError) as exc:
            f.set_tls_ca_file(path)
        assert exc.value.id == "invalid-argument"


def test_fetcher_soup_connection_refused():
    f = suit.Fetcher.soup()
    with pytest.raises(suit.TransferError) as exc:
        f.fetch_bytes("http://127.0.0.1:1/file.bin", 100, suit.FETCH_FLAG_NO_RETRY)
    assert exc.value.id == "fetch-failed"


@pytest.fixture
def http_server(tmp_path):
    """python3 -m http.server in another process (this one holds the GIL
    during a fetch), serving tmp_path/www."""
    www = tmp_path / "www"
    www.mkdir()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)],
                            cwd=www, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield www, "http://127.0.0.1:%d" % port
    finally:
        proc.terminate()
        proc.wait()


def test_fetcher_soup_http(http_server):
    www, base = http_server
    data = os.urandom(100000)
    (www / "image.bin").write_bytes(data)
    f = suit.Fetcher.soup()
    f.timeout = 10
    rec = Recorder()
    assert f.fetch_bytes(base + "/image.bin", len(data), progress=rec) == data
    assert rec.percentages[-1] == 100.0
    assert suit.Fetcher.default().fetch_bytes(base + "/image.bin", len(data)) == data
    with pytest.raises(suit.StateError) as exc:
        f.fetch_bytes(base + "/missing.bin", 100, suit.FETCH_FLAG_NO_RETRY)
    assert exc.value.id == "not-found"
    with pytest.raises(suit.ParseError) as exc:
        f.fetch_bytes(base + "/image.bin", 1000)
    assert exc.value.id == "limit-exceeded"


class MapFetcher:
    """A script fetcher: serves a dict, records the URIs asked for."""

    def __init__(self, resources, schemes=None):
        self.resources = resources
        self.fetched = []
        if schemes is not None:
            self.supports_uri = lambda uri: uri.split(":", 1)[0] in schemes

    def fetch(self, uri):
        self.fetched.append(uri)
        try:
            return self.resources[uri]
        except KeyError:
            raise suit.error_for_id("not-found", "%s: 404" % uri) from None


def test_script_fetcher():
    script = MapFetcher({"x://a": b"alpha", "x://big": b"b" * 200000}, schemes={"x"})
    f = suit.Fetcher.from_script(script)
    assert isinstance(f, suit.Fetcher)
    assert f.fetch_bytes("x://a", 5) == b"alpha"
    assert f.supports_uri("x://anything") is True
    assert f.supports_uri("y://a") is False
    # progress: fetching, then 100%
    rec = Recorder()
    assert f.fetch_bytes("x://big", 200000, progress=rec) == b"b" * 200000
    assert rec.calls[0] == (0.0, suit.PROGRESS_STATUS_FETCHING)
    assert rec.percentages[-1] == 100.0
    assert_non_decreasing(rec.percentages)
    # errors: the suit.Error's id is kept
    with pytest.raises(suit.StateError) as exc:
        f.fetch_bytes("x://missing", 100)
    assert exc.value.id == "not-found"
    assert "x://missing: 404" in exc.value.message
    # over the limit
    with pytest.raises(suit.ParseError) as exc:
        f.fetch_bytes("x://a", 4)
    assert exc.value.id == "limit-exceeded"
    assert script.fetched == ["x://a", "x://big", "x://missing", "x://a"]
    # without supports_uri every URI is tried
    assert suit.Fetcher.from_script(MapFetcher({})).supports_uri("y://a") is True


def test_script_fetcher_failures():
    class Broken:
        def fetch(self, uri):
            if uri == "x://none":
                return None
            raise KeyError(uri)

        def supports_uri(self, uri):
            raise CallbackFailed("supports " + uri)

    f = suit.Fetcher.from_script(Broken())
    with pytest.raises(suit.TransferError) as exc:
        f.fetch_bytes("x://key", 100)
    assert exc.value.id == "fetch-failed"
    assert "KeyError" in exc.value.message
    with pytest.raises(suit.TransferError) as exc:
        f.fetch_bytes("x://none", 100)
    assert exc.value.id == "fetch-failed"
    assert "NoneType" in exc.value.message
    # an exception of supports_uri is raised when the call returns
    with pytest.raises(CallbackFailed, match="supports x://a"):
        f.supports_uri("x://a")
    with pytest.raises(TypeError):
        suit.Fetcher.from_script(object())
    with pytest.raises(TypeError):
        suit.Fetcher.from_script(None)


def test_script_fetcher_releases_the_script():
    script = MapFetcher({"x://a": b"a"})
    ref = weakref.ref(script)
    f = suit.Fetcher.from_script(script)
    del script
    gc.collect()
    assert ref() is not None
    assert f.fetch_bytes("x://a", 1) == b"a"
    del f
    gc.collect()
    assert ref() is None


def test_fetcher_fetch_into_a_store_writer(payload_file):
    path, data = payload_file
    store = suit.Store.memory()
    cid = suit.ComponentId.from_parts([b"fetched"])
    writer = store.begin_write(cid)
    rec = Recorder()
    suit.Fetcher.default().fetch(path.as_uri(), writer, len(data), suit.FETCH_FLAG_NONE, rec)
    assert writer.size == len(data)
    writer.commit(suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA256, data), len(data))
    assert store.read_bytes(cid) == data
    assert rec.percentages[-1] == 100.0
    # no limit
    other = suit.ComponentId.from_parts([b"other"])
    with store.begin_write(other) as writer:
        suit.Fetcher.file().fetch(path.as_uri(), writer, 0)
        writer.commit()
    assert store.read_bytes(other) == data
    # too big: known before anything is written
    with store.begin_write(other) as writer:
        with pytest.raises(suit.ParseError) as exc:
            suit.Fetcher.file().fetch(path.as_uri(), writer, 100)
        assert exc.value.id == "limit-exceeded"
        assert writer.size == 0
    # a script fetcher
    script = MapFetcher({"x://img": b"script image"})
    with store.begin_write(other) as writer:
        suit.Fetcher.from_script(script).fetch("x://img", writer, 100)
        writer.commit()
    assert store.read_bytes(other) == b"script image"
    with store.begin_write(other) as writer:
        with pytest.raises(suit.StateError) as exc:
            suit.Fetcher.from_script(script).fetch("x://missing", writer, 100)
        assert exc.value.id == "not-found"
        with pytest.raises(suit.UsageError) as exc:
            suit.Fetcher.file().fetch(None, writer, 100)
        assert exc.value.id == "invalid-argument"
    with pytest.raises(suit.UsageError) as exc:
        suit.Fetcher.file().fetch(path.as_uri(), None, 100)
    assert exc.value.id == "invalid-argument"


# --- The Firmware Consumer ---------------------------------------------------


def load_envelope(vectors, rel):
    return suit.Envelope.parse((vectors / rel).read_bytes())


def component(*parts):
    return suit.ComponentId.from_parts(list(parts))


@pytest.fixture
def store(tmp_path):
    return suit.Store.directory(str(tmp_path / "store"))


def make_envelope(key, sequence_number, shared, sections, components='[["00"]]'):
    """A signed envelope from the JSON mirror, as the device sees it (bytes)."""
    text = ('{"manifest": {"manifest-version": 1, "manifest-sequence-number": %d, '
            '"common": {"components": %s, "shared-sequence": %s}, %s}}'
            % (sequence_number, components, json.dumps(shared), sections))
    envelope = suit.Envelope.from_json(text)
    envelope.sign(key)
    return suit.Envelope.parse(envelope.to_bytes())


def shared_sequence(payload, vendor=ARM_VENDOR.replace("-", ""), class_id=DRAFT_CLASS.replace("-", "")):
    return [
        {"command": "override-parameters", "argument": {
            "vendor-identifier": vendor,
            "class-identifier": class_id,
            "image-digest": {"algorithm-id": -16, "digest-bytes": hashlib.sha256(payload).hexdigest()},
            "image-size": len(payload)}},
        {"command": "vendor-identifier", "argument": 15},
        {"command": "class-identifier", "argument": 15},
    ]


def file_envelope(key, sequence_number, payload, uri, vendor=ARM_VENDOR.replace("-", "")):
    """Installs @payload (expected digest) from @uri into [h'00']."""
    sections = ('"install": [{"command": "override-parameters", "argument": {"uri": "%s"}}, '
                '{"command": "fetch", "argument": 2}, {"command": "image-match", "argument": 15}], '
                '"validate": [{"command": "image-match", "argument": 15}]' % uri)
    return make_envelope(key, sequence_number, shared_sequence(payload, vendor), sections)


@pytest.fixture
def device(signing_key, store):
    """A consumer trusting signing_key, with the draft's vendor and class ids."""
    ring = suit.Keyring()
    ring.add(signing_key.public_key())
    consumer = suit.FirmwareConsumer(ring, store, suit.Fetcher.default())
    consumer.set_vendor_id(ARM_VENDOR)
    consumer.set_class_id(bytes.fromhex(DRAFT_CLASS.replace("-", "")))
    return consumer


def test_consumer_ex0_invoke(vectors, draft_keyring, store):
    consumer = suit.FirmwareConsumer(draft_keyring, store)
    assert consumer.report is None
    assert consumer.trace == []
    envelope = load_envelope(vectors, "manifest/ex0-secure-boot.suit")
    # no identity: the vendor condition of the shared sequence fails
    with pytest.raises(suit.ProcessingError) as exc:
        consumer.invoke(envelope)
    assert exc.value.id == "condition-failed"
    report = consumer.report
    assert isinstance(report, suit.Report)
    assert not report.success
    assert report.result_reason == suit.REPORT_REASON_CONDITION_FAILED
    assert report.result_record.section == 3  # suit-common
    # the draft's identity: the shared sequence passes, and validate's
    # image-match fails, as this device has no image with the sample digest
    consumer.set_vendor_id(ARM_VENDOR)
    consumer.set_class_id(DRAFT_CLASS)
    with pytest.raises(suit.ProcessingError) as exc:
        consumer.invoke(envelope)
    assert exc.value.id == "condition-failed"
    assert consumer.report.result_record.section == 7  # suit-validate
    assert consumer.report.reference_digest.hex.startswith("6658ea56")
    assert consumer.trace == []
    # unset again
    consumer.set_vendor_id(None)
    with pytest.raises(suit.ProcessingError):
        consumer.invoke(envelope)
    assert consumer.report.result_record.section == 3
    with pytest.raises(ValueError):
        consumer.set_vendor_id("not a uuid")
    with pytest.raises(ValueError):
        consumer.set_class_id(b"\x01\x02")


def test_consumer_teep_uri_script_fetcher(vectors, draft_keyring, store):
    payload = (vectors / "teep" / "8d82573a-926d-4754-9353-32dc29997f74.ta").read_bytes()
    script = MapFetcher({TEEP_TA_URI: payload})
    # the script object itself, where the consumer takes a fetcher
    consumer = suit.FirmwareConsumer(draft_keyring, store, script)
    consumer.set_vendor_id(TEEP_VENDOR)
    consumer.set_class_id(TEEP_CLASS)
    envelope = load_envelope(vectors, "teep/teep-uri.suit")
    rec = Recorder()
    consumer.update(envelope, rec)
    assert script.fetched == [TEEP_TA_URI]
    assert consumer.trace == ["fetch 0: " + TEEP_TA_URI]
    ta = component(b"TEEP-Device", b"SecureFS", bytes.fromhex("8d82573a926d4754935332dc29997f74"), b"ta")
    assert store.read_bytes(ta) == payload
    manifest_id = component(b"TEEP-Device", b"SecureFS", bytes.fromhex("8d82573a926d4754935332dc29997f74"), b"suit")
    assert store.sequence_number(manifest_id) == 3
    assert consumer.report.success
    # the progress callback saw the fetch
    assert rec.calls[0] == (0.0, suit.PROGRESS_STATUS_FETCHING)
    assert rec.percentages[-1] == 100.0
    assert_non_decreasing(rec.percentages)
    # suit-uninstall unlinks the TA
    consumer.uninstall(envelope)
    assert consumer.trace == ["unlink 0: ['TEEP-Device', 'SecureFS', h'8d82573a926d4754935332dc29997f74', 'ta']"]
    assert not store.has_component(ta)
    consumer.uninstall(envelope, progress=None)


def test_consumer_script_fetcher_failures(vectors, draft_keyring, store):
    envelope = load_envelope(vectors, "teep/teep-uri.suit")
    ta = component(b"TEEP-Device", b"SecureFS", bytes.fromhex("8d82573a926d4754935332dc29997f74"), b"ta")

    class Failing:
        def __init__(self, exc):
            self.exc = exc

        def fetch(self, uri):
            raise self.exc

    for exc, family, error_id in ((OSError("network down"), suit.TransferError, "fetch-failed"),
                                  (suit.error_for_id("not-found", "404"), suit.StateError, "not-found")):
        consumer = suit.FirmwareConsumer(draft_keyring, store, suit.Fetcher.from_script(Failing(exc)))
        consumer.set_vendor_id(TEEP_VENDOR)
        consumer.set_class_id(TEEP_CLASS)
        with pytest.raises(family) as raised:
            consumer.update(envelope)
        assert raised.value.id == error_id
        assert not store.has_component(ta)
        assert not consumer.report.success
    # without a fetcher
    consumer = suit.FirmwareConsumer(draft_keyring, store)
    consumer.set_vendor_id(TEEP_VENDOR)
    consumer.set_class_id(TEEP_CLASS)
    with pytest.raises(suit.TransferError) as raised:
        consumer.update(envelope)
    assert raised.value.id == "fetch-failed"
    assert "no fetcher" in raised.value.message


def test_consumer_ex1_fetch_digest_mismatch(vectors, draft_keyring, store):
    script = MapFetcher({"http://example.com/file.bin": bytes(34768)})
    consumer = suit.FirmwareConsumer(draft_keyring, store, script)
    consumer.set_vendor_id(ARM_VENDOR)
    consumer.set_class_id(DRAFT_CLASS)
    with pytest.raises(suit.DigestError) as exc:
        consumer.update(load_envelope(vectors, "manifest/ex1-download-install.suit"))
    assert exc.value.id == "digest-mismatch"
    assert script.fetched == ["http://example.com/file.bin"]
    assert consumer.trace == ["fetch 0: http://example.com/file.bin"]
    assert not store.has_component(component(b"\x00"))
    assert store.sequence_number() is None


def test_consumer_ex3_component_slot(vectors, draft_keyring):
    for slot, uri in ((0, "http://example.com/file1.bin"), (1, "http://example.com/file2.bin")):
        script = MapFetcher({})
        consumer = suit.FirmwareConsumer(draft_keyring, suit.Store.memory(), script)
        consumer.set_vendor_id(ARM_VENDOR)
        consumer.set_class_id(DRAFT_CLASS)
        consumer.set_component_slot(component(b"\x00"), slot)
        with pytest.raises(suit.StateError) as exc:
            consumer.update(load_envelope(vectors, "manifest/ex3-ab-images.suit"))
        assert exc.value.id == "not-found"
        # the slot picked the URI
        assert script.fetched == [uri]
    with pytest.raises(suit.UsageError):
        consumer.set_component_slot(None, 0)


def test_consumer_td_integrated_invoke(vectors, draft_keyring):
    store = suit.Store.memory()
    consumer = suit.FirmwareConsumer(draft_keyring, store, None)
    consumer.set_vendor_id(ARM_VENDOR)
    consumer.set_class_id(DRAFT_CLASS)
    envelope = load_envelope(vectors, "trust-domains/td-integrated-dependency.suit")
    consumer.update(envelope)
    assert consumer.trace == ["fetch 1: #dependent.suit", "process-dependency 1: ['dependent.suit']",
                              "write 0: 11 bytes", "write 0: 26 bytes"]
    assert store.read_bytes(component(b"00")) == b"hello world"
    assert store.read_bytes(component(b"10")) == b" in multiple trust domains"
    assert len(consumer.report.claims()) == 2
    invoked = []

    def on_invoke(component_id, args):
        invoked.append((str(component_id), args))
        return True

    handler = consumer.connect_invoke(on_invoke)
    assert isinstance(handler, int) and handler > 0
    consumer.invoke(envelope)
    assert invoked == [("['10']", b"cat 00 10")]
    assert consumer.trace == ["invoke 0: ['10'] args h'636174203030203130'"]

    # an exception of the callback is raised when invoke() returns
    def failing(component_id, args):
        raise CallbackFailed(args.decode())

    consumer.connect_invoke(failing)
    with pytest.raises(CallbackFailed, match="cat 00 10"):
        consumer.invoke(envelope)
    assert len(invoked) == 2
    with pytest.raises(TypeError):
        consumer.connect_invoke(None)


def test_consumer_td_fetched_dependency(vectors, draft_keyring):
    store = suit.Store.memory()
    script = MapFetcher({"http://example.com/dependent.suit":
                         (vectors / "trust-domains" / "td-dependency.suit").read_bytes()})
    consumer = suit.FirmwareConsumer(draft_keyring, store, suit.Fetcher.from_script(script))
    consumer.set_vendor_id(ARM_VENDOR)
    consumer.set_class_id(DRAFT_CLASS)
    consumer.update(load_envelope(vectors, "trust-domains/td-dependent-process.suit"))
    assert script.fetched == ["http://example.com/dependent.suit"]
    assert store.read_bytes(component(b"10")) == b" in multiple trust domains"
    assert store.sequence_number(component(b"dependent.suit")) == 0


def test_consumer_update_from_file_uri(device, signing_key, store, tmp_path):
    image1 = os.urandom(200000)
    image2 = os.urandom(150001)
    (tmp_path / "image1.bin").write_bytes(image1)
    (tmp_path / "image2.bin").write_bytes(image2)
    tampered = bytearray(image2)
    tampered[1000] ^= 1
    (tmp_path / "tampered.bin").write_bytes(bytes(tampered))
    c00 = component(b"\x00")

    envelope = file_envelope(signing_key, 2, image1, (tmp_path / "image1.bin").as_uri())
    progress = suit.Progress()
    rec = Recorder()
    progress.connect(rec)
    device.update(envelope, progress)
    assert store.read_bytes(c00) == image1
    assert store.sequence_number() == 2
    assert store.image_state(c00) == suit.STORE_IMAGE_STATE_PENDING
    assert device.trace == ["fetch 0: " + (tmp_path / "image1.bin").as_uri()]
    # the progress followed the fetch
    assert progress.percentage == 100.0
    assert progress.total == len(image1)
    assert progress.done == len(image1)
    assert rec.calls[0] == (0.0, suit.PROGRESS_STATUS_FETCHING)
    assert all(a < b for a, b in zip(rec.percentages, rec.percentages[1:]))
    assert len(rec.percentages) >= 4
    report = device.report
    assert report.success
    assert report.result_reason == suit.REPORT_REASON_OK
    assert report.reference_digest == envelope.manifest_digest
    # the device signs its report, the Status Tracker checks it
    device_key = suit.Key.generate(suit.KEY_TYPE_ED25519)
    tracker = suit.Keyring()
    tracker.add(device_key.public_key())
    assert suit.Report.from_cose(report.sign(device_key), tracker).success

    # a lower sequence number is a rollback, and nothing changes
    with pytest.raises(suit.ProcessingError) as exc:
        device.update(file_envelope(signing_key, 1, image1, (tmp_path / "image1.bin").as_uri()))
    assert exc.value.id == "rollback"
    assert exc.value.code == suit.ERROR_ROLLBACK
    assert not device.report.success
    assert device.report.result_reason == suit.REPORT_REASON_CONDITION_FAILED
    assert store.read_bytes(c00) == image1
    assert store.sequence_number() == 2

    # another vendor: the vendor condition fails
    with pytest.raises(suit.ProcessingError) as exc:
        device.update(file_envelope(signing_key, 3, image2, (tmp_path / "image2.bin").as_uri(),
                                    vendor="00" * 16))
    assert exc.value.id == "condition-failed"
    assert device.report.result_record.section == 3

    # a payload with a flipped bit
    with pytest.raises(suit.DigestError) as exc:
        device.update(file_envelope(signing_key, 3, image2, (tmp_path / "tampered.bin").as_uri()))
    assert exc.value.id == "digest-mismatch"
    assert store.read_bytes(c00) == image1

    # a missing payload
    with pytest.raises(suit.StateError) as exc:
        device.update(file_envelope(signing_key, 3, image2, (tmp_path / "missing.bin").as_uri()))
    assert exc.value.id == "not-found"

    # an untrusted author
    with pytest.raises(suit.SignatureError) as exc:
        device.update(file_envelope(suit.Key.generate(suit.KEY_TYPE_P256), 3, image2,
                                    (tmp_path / "image2.bin").as_uri()))
    assert exc.value.id == "signature-invalid"

    # the next version, with a callable for progress
    device.update(file_envelope(signing_key, 3, image2, (tmp_path / "image2.bin").as_uri()), rec)
    assert store.read_bytes(c00) == image2
    assert store.sequence_number() == 3
    assert rec.percentages[-1] == 100.0

    with pytest.raises(suit.UsageError):
        device.update(None)


def test_consumer_progress_callback_exception(device, signing_key, tmp_path):
    image = os.urandom(1000)
    (tmp_path / "image.bin").write_bytes(image)
    envelope = file_envelope(signing_key, 1, image, (tmp_path / "image.bin").as_uri())

    def failing(percentage, status):
        raise CallbackFailed("progress")

    # the update ran (it cannot be stopped), then the callback's exception
    with pytest.raises(CallbackFailed) as exc:
        device.update(envelope, failing)
    assert exc.value.__context__ is None
    assert device.report.success
    # the update fails too (the payload is not the one the manifest names):
    # the callback's exception wins, the library's error is its __context__
    (tmp_path / "other.bin").write_bytes(b"x" * 1000)
    envelope = file_envelope(signing_key, 2, os.urandom(1000), (tmp_path / "other.bin").as_uri())
    with pytest.raises(CallbackFailed) as exc:
        device.update(envelope, failing)
    assert isinstance(exc.value.__context__, suit.DigestError)
    assert exc.value.__context__.id == "digest-mismatch"
    assert not device.report.success
    # nothing is left for the next call
    with pytest.raises(suit.DigestError):
        device.update(envelope)


def test_consumer_author_envelope(store, tmp_path):
    """An envelope from suit.Author's description, installed from a file:// URI."""
    payload = os.urandom(70000)
    (tmp_path / "app.bin").write_bytes(payload)
    key = suit.Key.generate(suit.KEY_TYPE_ED25519)
    author = suit.Author()
    author.add_key(key)
    ring = suit.Keyring()
    ring.add(key.public_key())

    def build(sequence_number):
        desc = {"manifest-version": 1, "manifest-sequence-number": sequence_number,
                "components": [{"install-id": ["00"], "vendor-domain": "arm.com", "class-name": "board-r2",
                                "file": "app.bin", "uri": (tmp_path / "app.bin").as_uri()}]}
        return suit.Envelope.parse(author.build_from_description_json(json.dumps(desc), str(tmp_path)).to_bytes())

    consumer = suit.FirmwareConsumer(ring, store, suit.Fetcher.file())
    vendor = suit.Author.vendor_id_from_domain("arm.com")
    consumer.set_vendor_id(vendor)
    consumer.set_class_id(suit.Author.class_id_from_name(vendor, "board-r2"))
    consumer.update(build(5))
    assert store.read_bytes(component(b"\x00")) == payload
    assert store.sequence_number() == 5
    consumer.invoke(build(5))
    with pytest.raises(suit.ProcessingError) as exc:
        consumer.update(build(4))
    assert exc.value.id == "rollback"
    # another class
    consumer.set_class_id(suit.Author.class_id_from_name(vendor, "board-r3"))
    with pytest.raises(suit.ProcessingError) as exc:
        consumer.update(build(6))
    assert exc.value.id == "condition-failed"


def test_consumer_component_version(device, signing_key):
    shared = shared_sequence(b"x")
    c00 = component(b"\x00")
    cases = [(1, "1.0.3", True), (1, "1.0.2", False), (3, "1.0.2", True), (3, "1.1", False), (5, "1.0.1", True)]
    for i, (comparison, version, ok) in enumerate(cases):
        sections = ('"install": [{"command": "override-parameters", "argument": '
                    '{"version": {"cbor": "46820%d83010002"}}}, {"command": "version", "argument": 15}]' % comparison)
        envelope = make_envelope(signing_key, i + 1, shared, sections)
        device.set_component_version(c00, version)
        if ok:
            device.update(envelope)
        else:
            with pytest.raises(suit.ProcessingError) as exc:
                device.update(envelope)
            assert exc.value.id == "condition-failed"
    # forgotten: the condition fails
    device.set_component_version(c00, None)
    with pytest.raises(suit.ProcessingError) as exc:
        device.update(envelope)
    assert exc.value.id == "condition-failed"
    for bad in ("1.x", ""):
        with pytest.raises(suit.UsageError) as exc:
            device.set_component_version(c00, bad)
        assert exc.value.id == "invalid-argument"
    with pytest.raises(suit.UsageError):
        device.set_component_version(None, "1")


def test_consumer_device_id(device, signing_key):
    sections = ('"install": [{"command": "override-parameters", "argument": '
                '{"device-identifier": "0123456789abcdef0123456789abcdef"}}, '
                '{"command": "device-identifier", "argument": 15}]')
    envelope = make_envelope(signing_key, 1, shared_sequence(b"x"), sections)
    with pytest.raises(suit.ProcessingError) as exc:
        device.update(envelope)
    assert exc.value.id == "condition-failed"
    device.set_device_id("00000000-0000-0000-0000-000000000001")
    with pytest.raises(suit.ProcessingError):
        device.update(envelope)
    device.set_device_id(bytes.fromhex("0123456789abcdef0123456789abcdef"))
    device.update(envelope)
    device.set_device_id(None)
    with pytest.raises(suit.ProcessingError):
        device.update(envelope)


def test_consumer_update_management(vectors, draft_keyring):
    """um-U0: use-before, minimum-battery, version and update-authorized."""
    envelope = load_envelope(vectors, "update-management/um-U0.suit")
    consumer = suit.FirmwareConsumer(draft_keyring, suit.Store.memory())
    consumer.set_time(1696291200 - 60)
    consumer.set_battery_level(10)
    consumer.set_component_version(component(b"\x00"), "1.0")
    consumer.set_component_version(component(b"\x01"), "1.0.1")
    consumer.update(envelope)
    assert consumer.report.success
    for change, undo in ((lambda: consumer.set_battery_level(9), lambda: consumer.set_battery_level(10)),
                         (lambda: consumer.set_battery_level(-1), lambda: consumer.set_battery_level(10)),
                         (lambda: consumer.set_update_authorized(False), lambda: consumer.set_update_authorized(True)),
                         (lambda: consumer.set_time(0), lambda: consumer.set_time(1696291200 - 60))):
        change()
        with pytest.raises(suit.ProcessingError) as exc:
            consumer.update(envelope)
        assert exc.value.id == "condition-failed"
        undo()
        consumer.update(envelope)


def test_consumer_decryption_key(vectors):
    """aeskw-gcm-write: a COSE_Mac0 envelope whose payload is A128KW + A128GCM."""
    ring = suit.Keyring()
    ring.add(suit.Key.symmetric((vectors / "keys" / "hmac256-mac-key.bin").read_bytes()))
    envelope = load_envelope(vectors, "encryption/aeskw-gcm-write.suit")
    target = component(b"plaintext-firmware")
    store = suit.Store.memory()
    consumer = suit.FirmwareConsumer(ring, store)
    with pytest.raises(suit.StateError) as exc:
        consumer.update(envelope)
    assert exc.value.id == "not-found"
    assert "no decryption key" in exc.value.message
    kek = suit.Key.symmetric((vectors / "keys" / "a128kw-kek-kid-1.bin").read_bytes())
    kek.key_id = b"kid-1"
    consumer.add_decryption_key(kek)
    consumer.update(envelope)
    assert store.read_bytes(target) == (vectors / "encryption" / "plaintext.bin").read_bytes()
    with pytest.raises(suit.UsageError):
        consumer.add_decryption_key(None)


def test_consumer_arguments(draft_keyring, store):
    with pytest.raises(suit.UsageError) as exc:
        suit.FirmwareConsumer(None, store)
    assert exc.value.id == "invalid-argument"
    with pytest.raises(TypeError):
        suit.FirmwareConsumer(draft_keyring, store, fetcher=42)
    consumer = suit.FirmwareConsumer(draft_keyring, store, fetcher=suit.Fetcher.soup())
    with pytest.raises(TypeError):
        consumer.update(suit.Envelope.from_json('{"manifest": {"manifest-version": 1, '
                                                '"manifest-sequence-number": 0, "common": {}}}'), 42)


def test_http_server_thread_in_the_same_process(tmp_path):
    """A test rig's HTTP server running as a thread of the same interpreter
    serves the payload while FirmwareConsumer.update() fetches it: the
    binding releases the GIL during the fetch (before, this deadlocked).
    The script store and the progress callback take it back."""
    import faulthandler
    import functools
    import http.server
    import threading

    payload = os.urandom(300_000)
    (tmp_path / "fw.bin").write_bytes(payload)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    faulthandler.dump_traceback_later(120, exit=True)  # a deadlock fails, not hangs
    try:
        key = suit.Key.generate(suit.KEY_TYPE_P256)
        author = suit.Author()
        author.add_key(key)
        uri = "http://127.0.0.1:%d/fw.bin" % server.server_address[1]
        envelope = author.build_from_description_json(json.dumps({
            "manifest-sequence-number": 3,
            "components": [{"install-id": ["02"], "file": "fw.bin", "uri": uri,
                            "vendor-domain": "rig.example", "class-name": "b"}]}), str(tmp_path))
        ring = suit.Keyring()
        ring.add(key.public_key())

        class Flash:
            def __init__(self):
                self.images = {}

            def write(self, component, data):
                self.images[str(component)] = bytes(data)

            def read(self, component):
                return self.images.get(str(component))

        flash = Flash()
        seen = []
        consumer = suit.FirmwareConsumer(ring, flash, suit.Fetcher.default())
        vendor = suit.Author.vendor_id_from_domain("rig.example")
        consumer.set_vendor_id(vendor)
        consumer.set_class_id(suit.Author.class_id_from_name(vendor, "b"))
        consumer.update(suit.Envelope.parse(envelope.to_bytes()), lambda pct, status: seen.append(pct))
        assert flash.images == {"[h'02']": payload}
        assert seen and seen[-1] == 100
        assert consumer.report.success
    finally:
        faulthandler.cancel_dump_traceback_later()
        server.shutdown()
        server.server_close()
