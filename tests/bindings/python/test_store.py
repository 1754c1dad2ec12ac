"""Stores: suit.Store (directory, memory, script) and suit.StoreWriter."""

import gc
import hashlib
import weakref

import pytest

import suit

PLAINTEXT_SHA256 = "36921488fe6680712f734e11f58d87eeb66d4b21a8a1ad3441060814da16d50f"


def cid(*parts):
    return suit.ComponentId.from_parts(parts)


def sha256(data):
    return suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA256, data)


@pytest.fixture(params=["memory", "directory"])
def store(request, tmp_path):
    if request.param == "memory":
        return suit.MemoryStore()
    return suit.DirectoryStore(str(tmp_path / "store"))


def assert_image(store, component, data):
    assert store.has_component(component)
    assert store.read_bytes(component) == data
    assert store.size(component) == len(data)
    assert store.digest(component).hex == hashlib.sha256(data).hexdigest()


# factories


def test_factories_and_path(tmp_path):
    path = str(tmp_path / "a" / "store")
    d = suit.DirectoryStore(path)
    assert isinstance(d, suit.Store)
    assert d.path == path
    assert str(d) == "directory store " + path
    assert repr(d) == "<suit.Store: directory store %s>" % path
    assert (tmp_path / "a" / "store").is_dir()
    d2 = suit.Store.directory(str(tmp_path / "other"))
    assert d2.path == str(tmp_path / "other")

    m = suit.MemoryStore()
    assert isinstance(m, suit.Store)
    assert m.path is None
    assert str(m) == "memory store"
    assert suit.Store.memory().path is None


def test_directory_on_a_file_fails(tmp_path):
    f = tmp_path / "a-file"
    f.write_bytes(b"x")
    with pytest.raises(suit.UsageError) as e:
        suit.Store.directory(str(f))
    assert e.value.id == "invalid-argument"


# writing whole images


def test_write_bytes_with_and_without_digest(store):
    c = cid(b"flash", b"app")
    assert not store.has_component(c)
    assert store.image_state(c) == suit.STORE_IMAGE_STATE_NONE

    store.write_bytes(c, b"v1 without a digest", flags=suit.STORE_WRITE_FLAG_CONFIRM)
    assert_image(store, c, b"v1 without a digest")
    assert store.image_state(c) == suit.STORE_IMAGE_STATE_CONFIRMED

    store.write_bytes(c, b"v2 with its digest", sha256(b"v2 with its digest"))
    assert_image(store, c, b"v2 with its digest")
    assert store.image_state(c) == suit.STORE_IMAGE_STATE_PENDING

    # SHA-384: the writer hashes with the algorithm of the expected digest
    want = suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA384, b"v3")
    store.write_bytes(c, bytearray(b"v3"), want, suit.STORE_WRITE_FLAG_CONFIRM)
    assert store.digest(c, suit.DIGEST_ALGORITHM_SHA384) == want
    assert store.digest(c, suit.DIGEST_ALGORITHM_SHA512).value == hashlib.sha512(b"v3").digest()


def test_wrong_digest_leaves_the_store_unchanged(store):
    c = cid(b"boot")
    store.write_bytes(c, b"the old image", flags=suit.STORE_WRITE_FLAG_CONFIRM)
    with pytest.raises(suit.DigestError) as e:
        store.write_bytes(c, b"the new image, tampered", sha256(b"the new image, genuine!"))
    assert e.value.id == "digest-mismatch"
    assert e.value.code == suit.ERROR_DIGEST_MISMATCH
    assert "digest mismatch" in e.value.message
    assert_image(store, c, b"the old image")
    assert store.image_state(c) == suit.STORE_IMAGE_STATE_CONFIRMED
    assert [str(x) for x in store.list_components()] == [str(c)]


def test_bad_arguments(store):
    with pytest.raises(TypeError):
        store.write_bytes(None, b"x")
    with pytest.raises(TypeError):
        store.has_component(None)
    with pytest.raises(TypeError):
        store.write_bytes(cid(b"x"), None)
    with pytest.raises(TypeError):
        suit.Store.directory(None)
    with store.begin_write(cid(b"x")) as w:
        with pytest.raises(TypeError):
            w.write(None)
        with pytest.raises(TypeError):
            w.write_file(None)
    with pytest.raises(TypeError):
        store.write_bytes(cid(b"x"), "text is not bytes")
    assert store.list_components() == []


def test_reading_errors(store):
    c = cid(b"small")
    missing = cid(b"missing")
    store.write_bytes(c, b"0123456789", flags=suit.STORE_WRITE_FLAG_CONFIRM)
    with pytest.raises(suit.ParseError) as e:
        store.read_bytes(c, 4)
    assert e.value.id == "limit-exceeded"
    assert store.read_bytes(c, 10) == b"0123456789"
    for call in (store.read_bytes, store.size, store.digest, store.remove_component, store.confirm):
        with pytest.raises(suit.StateError) as e:
            call(missing)
        assert e.value.id == "not-found", call
    with pytest.raises(suit.SignatureError) as e:
        store.digest(c, -99)
    assert e.value.id == "unsupported-algorithm"


# writers


def test_writer_streams_and_commits(store):
    c = cid(b"flash", b"app")
    whole = b"hello, firmware world"
    w = store.begin_write(c)
    assert isinstance(w, suit.StoreWriter)
    assert w.component == c
    for off in range(0, len(whole), 8):
        w.write(whole[off:off + 8])
    assert w.size == len(whole)
    assert w.digest is None
    assert not store.has_component(c)
    w.commit(sha256(whole), len(whole))
    assert w.digest == sha256(whole)
    assert "committed" in repr(w)
    assert_image(store, c, whole)
    assert store.image_state(c) == suit.STORE_IMAGE_STATE_PENDING
    # finished
    with pytest.raises(suit.StateError) as e:
        w.write(b"more")
    assert e.value.id == "conflict"
    with pytest.raises(suit.StateError) as e:
        w.commit()
    assert e.value.id == "conflict"
    w.abort()
    assert_image(store, c, whole)


def test_writer_commit_checks(store):
    c = cid(b"boot")
    store.write_bytes(c, b"old", flags=suit.STORE_WRITE_FLAG_CONFIRM)
    # right digest, wrong size
    w = store.begin_write(c)
    w.write(b"new")
    with pytest.raises(suit.DigestError) as e:
        w.commit(sha256(b"new"), 4)
    assert e.value.id == "digest-mismatch"
    assert "size mismatch" in e.value.message
    assert_image(store, c, b"old")
    # the algorithm of the expected digest must be the writer's
    w = store.begin_write(c)
    w.write(b"new")
    with pytest.raises(suit.StateError) as e:
        w.set_digest_algorithm(suit.DIGEST_ALGORITHM_SHA512)
    assert e.value.id == "conflict"
    with pytest.raises(suit.UsageError) as e:
        w.commit(suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA384, b"new"))
    assert e.value.id == "invalid-argument"
    # unknown algorithm
    w = store.begin_write(c)
    with pytest.raises(suit.SignatureError) as e:
        w.set_digest_algorithm(-1)
    assert e.value.id == "unsupported-algorithm"
    w.abort()
    # a chosen algorithm
    w = store.begin_write(c, suit.STORE_WRITE_FLAG_CONFIRM)
    w.set_digest_algorithm(suit.DIGEST_ALGORITHM_SHA384)
    w.write(b"sha-384")
    w.commit(suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA384, b"sha-384"), -1)
    assert w.digest.algorithm == suit.DIGEST_ALGORITHM_SHA384
    assert_image(store, c, b"sha-384")


def test_writer_abort(store):
    c = cid(b"modem")
    store.write_bytes(c, b"old modem firmware", flags=suit.STORE_WRITE_FLAG_CONFIRM)
    w = store.begin_write(c)
    w.write(b"new modem firm")
    w.abort()
    w.abort()
    with pytest.raises(suit.StateError) as e:
        w.write(b"more")
    assert e.value.id == "conflict"
    with pytest.raises(suit.StateError):
        w.commit()
    assert_image(store, c, b"old modem firmware")
    assert store.image_state(c) == suit.STORE_IMAGE_STATE_CONFIRMED
    # dropping a writer discards it too
    w = store.begin_write(c)
    w.write(b"dropped")
    del w
    gc.collect()
    assert_image(store, c, b"old modem firmware")


def test_writer_context_manager(store):
    c = cid(b"ctx")
    with store.begin_write(c, suit.STORE_WRITE_FLAG_CONFIRM) as w:
        w.write(b"committed")
        w.commit(sha256(b"committed"))
    assert_image(store, c, b"committed")
    with store.begin_write(c) as w:
        w.write(b"never committed")
    with pytest.raises(suit.StateError):
        w.commit()
    assert_image(store, c, b"committed")
    with pytest.raises(RuntimeError):
        with store.begin_write(c) as w:
            w.write(b"half")
            raise RuntimeError("the download broke")
    with pytest.raises(suit.StateError) as e:
        w.write(b"more")
    assert e.value.id == "conflict"
    assert_image(store, c, b"committed")
    assert store.image_state(c) == suit.STORE_IMAGE_STATE_CONFIRMED


def test_writer_write_file(store, vectors, tmp_path):
    c = cid(b"plaintext-firmware")
    w = store.begin_write(c)
    w.write_file(str(vectors / "encryption" / "plaintext.bin"))
    assert w.size == 30
    w.commit(suit.Digest(suit.DIGEST_ALGORITHM_SHA256, bytes.fromhex(PLAINTEXT_SHA256)), 30)
    assert store.read_bytes(c) == b"This is a real firmware image."
    assert store.digest(c).hex == PLAINTEXT_SHA256
    # a missing file: not-found, and the image is discarded
    w = store.begin_write(c)
    w.write(b"abc")
    with pytest.raises(suit.StateError) as e:
        w.write_file(str(tmp_path / "no-such-file"))
    assert e.value.id == "not-found"
    with pytest.raises(suit.StateError) as e:
        w.commit()
    assert e.value.id == "conflict"
    # a directory cannot be read: fetch-failed
    w = store.begin_write(c)
    with pytest.raises(suit.TransferError) as e:
        w.write_file(str(tmp_path))
    assert e.value.id == "fetch-failed"
    assert store.read_bytes(c) == b"This is a real firmware image."


# A/B images


def test_pending_confirm_and_fallback(store):
    app = cid(b"app")
    other = cid(b"other")
    store.write_bytes(app, b"app v1", flags=suit.STORE_WRITE_FLAG_CONFIRM)
    with pytest.raises(suit.StateError) as e:
        store.confirm(app)
    assert e.value.id == "conflict"

    store.write_bytes(app, b"app v2, never confirmed")
    assert store.image_state(app) == suit.STORE_IMAGE_STATE_PENDING
    assert store.begin_boot() == []
    assert store.image_state(app) == suit.STORE_IMAGE_STATE_TRYING
    assert_image(store, app, b"app v2, never confirmed")
    fallen = store.begin_boot()
    assert fallen == [app]
    assert store.image_state(app) == suit.STORE_IMAGE_STATE_CONFIRMED
    assert_image(store, app, b"app v1")

    # a good boot confirms
    store.write_bytes(app, b"app v3")
    assert store.begin_boot() == []
    store.confirm(app)
    assert store.image_state(app) == suit.STORE_IMAGE_STATE_CONFIRMED
    assert store.begin_boot() == []
    assert_image(store, app, b"app v3")

    # a first image written A/B has nothing to fall back to
    store.write_bytes(other, b"first image, A/B")
    store.begin_boot()
    assert store.begin_boot() == [other]
    assert not store.has_component(other)
    assert store.image_state(other) == suit.STORE_IMAGE_STATE_NONE
    assert_image(store, app, b"app v3")


def test_list_and_remove(store):
    gone = cid(b"removable")
    keep = cid(b"kept")
    store.write_bytes(gone, b"v1", flags=suit.STORE_WRITE_FLAG_CONFIRM)
    store.write_bytes(gone, b"v2")
    store.write_bytes(keep, b"v1", flags=suit.STORE_WRITE_FLAG_CONFIRM)
    store.set_sequence_number(gone, 9)
    assert sorted(str(x) for x in store.list_components()) == sorted([str(gone), str(keep)])
    store.remove_component(gone)
    assert not store.has_component(gone)
    assert store.image_state(gone) == suit.STORE_IMAGE_STATE_NONE
    with pytest.raises(suit.StateError) as e:
        store.remove_component(gone)
    assert e.value.id == "not-found"
    assert store.list_components() == [keep]
    assert store.sequence_number(gone) == 9
    store.write_bytes(gone, b"again")
    assert_image(store, gone, b"again")


def test_sequence_numbers(store, tmp_path):
    dep = cid(b"dependency", b"manifest")
    assert store.sequence_number() is None
    assert store.sequence_number(None) is None
    assert store.sequence_number(dep) is None
    store.set_sequence_number(None, 5)
    store.set_sequence_number(dep, 2**64 - 1)
    assert store.sequence_number() == 5
    assert store.sequence_number(dep) == 2**64 - 1
    assert store.sequence_number(cid(b"dependency", b"other")) is None
    # the store records, the consumer decides about rollback
    store.set_sequence_number(None, 3)
    assert store.sequence_number() == 3
    assert not store.has_component(dep)
    with pytest.raises(OverflowError):
        store.set_sequence_number(None, -1)
    if store.path is not None:
        again = suit.DirectoryStore(store.path)
        assert again.sequence_number() == 3
        assert again.sequence_number(dep) == 2**64 - 1


# stores in the script


class DictStore:
    """A complete non-A/B store backed by a dict, as a script writes one."""

    def __init__(self):
        self.images = {}
        self.calls = []

    def write(self, component, data):
        assert isinstance(component, suit.ComponentId)
        assert isinstance(data, bytes)
        self.calls.append(("write", str(component), data))
        self.images[component] = data

    def read(self, component):
        return self.images.get(component)

    def remove(self, component):
        self.calls.append(("remove", str(component)))
        del self.images[component]


def test_script_store_through_the_wrapper():
    script = DictStore()
    store = suit.Store.from_script(script)
    assert isinstance(store, suit.Store)
    assert str(store) == "script store"
    assert store.path is None
    c = cid(b"00")
    assert not store.has_component(c)
    assert store.image_state(c) == suit.STORE_IMAGE_STATE_NONE

    store.write_bytes(c, b"hello", sha256(b"hello"))
    assert script.calls == [("write", str(c), b"hello")]
    assert script.images == {c: b"hello"}
    assert_image(store, c, b"hello")
    assert store.digest(c, suit.DIGEST_ALGORITHM_SHA384).value == hashlib.sha384(b"hello").digest()
    # not A/B: everything is confirmed, nothing falls back
    assert store.image_state(c) == suit.STORE_IMAGE_STATE_CONFIRMED
    with pytest.raises(suit.StateError) as e:
        store.confirm(c)
    assert e.value.id == "conflict"
    assert store.begin_boot() == []
    assert store.list_components() == [c]

    # streamed: write() gets the whole image once, at the commit
    with store.begin_write(c) as w:
        w.write(b"wor")
        w.write(b"ld")
        assert len(script.calls) == 1
        w.commit(sha256(b"world"), 5)
    assert script.calls[-1] == ("write", str(c), b"world")
    assert store.read_bytes(c) == b"world"

    # a digest mismatch or an abort never reaches the script
    with pytest.raises(suit.DigestError):
        store.write_bytes(c, b"tampered", sha256(b"genuine"))
    w = store.begin_write(c)
    w.write(b"aborted")
    w.abort()
    assert len(script.calls) == 2
    assert store.read_bytes(c) == b"world"

    # images kept by the script before are read too, but not listed
    script.images[cid(b"preloaded")] = b"from before"
    assert store.read_bytes(cid(b"preloaded")) == b"from before"
    assert store.list_components() == [c]

    store.remove_component(c)
    assert script.calls[-1] == ("remove", str(c))
    assert not store.has_component(c)
    assert store.list_components() == []
    # nothing to remove: not-found, without calling the script
    with pytest.raises(suit.StateError) as e:
        store.remove_component(c)
    assert e.value.id == "not-found"
    assert script.calls[-1] == ("remove", str(c)) and len(script.calls) == 3
    with pytest.raises(suit.StateError) as e:
        store.read_bytes(c)
    assert e.value.id == "not-found"

    # sequence numbers are kept by the Store when the script has none
    assert store.sequence_number() is None
    store.set_sequence_number(None, 7)
    store.set_sequence_number(c, 2**64 - 1)
    assert store.sequence_number() == 7
    assert store.sequence_number(c) == 2**64 - 1
    assert store.sequence_number(cid(b"other")) is None


def test_script_store_with_only_write_and_read():
    images = {}

    class Minimal:
        def write(self, component, data):
            images[str(component)] = data

        def read(self, component):
            return images.get(str(component))

    store = suit.Store.from_script(Minimal())
    c = cid(b"a", b"b")
    store.write_bytes(c, b"image")
    assert images == {str(c): b"image"}
    assert store.read_bytes(c) == b"image"
    assert store.size(c) == 5
    with pytest.raises(suit.UsageError) as e:
        store.remove_component(c)
    assert e.value.id == "not-supported"
    assert store.has_component(c)
    assert store.list_components() == [c]
    store.set_sequence_number(None, 1)
    assert store.sequence_number() == 1


def test_script_store_errors_from_the_script():
    class Failing(DictStore):
        def __init__(self, exc):
            super().__init__()
            self.exc = exc

        def write(self, component, data):
            raise self.exc

    c = cid(b"00")
    store = suit.Store.from_script(Failing(suit.error_for_id("write-failed", "flash full")))
    with pytest.raises(suit.TransferError) as e:
        store.write_bytes(c, b"data")
    assert e.value.id == "write-failed"
    assert "flash full" in e.value.message
    assert not store.has_component(c)

    # the script chooses the id
    store = suit.Store.from_script(Failing(suit.error_for_id("permission-denied", "locked")))
    with pytest.raises(suit.StateError) as e:
        store.write_bytes(c, b"data")
    assert e.value.id == "permission-denied"

    # anything else is write-failed, with the exception's type in the message
    store = suit.Store.from_script(Failing(RuntimeError("boom")))
    with pytest.raises(suit.TransferError) as e:
        w = store.begin_write(c)
        w.write(b"data")
        w.commit()
    assert e.value.id == "write-failed"
    assert "RuntimeError: boom" in e.value.message
    assert "write([" in e.value.message
    # the failed commit finished the writer
    with pytest.raises(suit.StateError):
        w.commit()


def test_script_store_read_errors():
    class Reader:
        def __init__(self, result=None, exc=None):
            self.result, self.exc = result, exc

        def write(self, component, data):
            pass

        def read(self, component):
            if self.exc is not None:
                raise self.exc
            return self.result

    c = cid(b"00")
    for exc in (KeyError(c), ValueError("no such slot")):
        with pytest.raises(suit.StateError) as e:
            suit.Store.from_script(Reader(exc=exc)).read_bytes(c)
        assert e.value.id == "not-found"
    with pytest.raises(suit.ProcessingError) as e:
        suit.Store.from_script(Reader(exc=suit.error_for_id("condition-failed", "x"))).read_bytes(c)
    assert e.value.id == "condition-failed"
    assert not suit.Store.from_script(Reader(exc=OSError("io"))).has_component(c)
    # a wrong return type is an internal error
    with pytest.raises(suit.Error) as e:
        suit.Store.from_script(Reader(result="text")).read_bytes(c)
    assert e.value.id == "internal"
    assert "read() must return" in e.value.message
    assert suit.Store.from_script(Reader(result=memoryview(b"view"))).read_bytes(c) == b"view"


def test_script_store_needs_write_and_read():
    class OnlyWrite:
        def write(self, component, data):
            pass

    class OnlySeqGet(DictStore):
        def get_sequence_number(self, manifest_id):
            return None

    for bad in (object(), OnlyWrite(), None, 42, suit.MemoryStore()):
        with pytest.raises(suit.UsageError) as e:
            suit.Store.from_script(bad)
        assert e.value.id == "invalid-argument"
        assert "write() and read()" in e.value.message
    with pytest.raises(suit.UsageError) as e:
        suit.Store.from_script(OnlySeqGet())
    assert "get_sequence_number" in e.value.message


class ABStore:
    """An A/B store in the script: every optional method."""

    def __init__(self):
        self.confirmed = {}
        self.pending = {}
        self.tried = set()
        self.seq = {}
        self.flags = []

    def write(self, component, data, flags):
        self.flags.append(flags)
        self.pending.pop(component, None)
        self.tried.discard(component)
        if flags & suit.STORE_WRITE_FLAG_CONFIRM:
            self.confirmed[component] = data
        else:
            self.pending[component] = data

    def read(self, component):
        return self.pending.get(component, self.confirmed.get(component))

    def has_component(self, component):
        return component in self.pending or component in self.confirmed

    def remove(self, component):
        self.pending.pop(component, None)
        self.confirmed.pop(component, None)

    def image_state(self, component):
        if component in self.pending:
            return suit.STORE_IMAGE_STATE_TRYING if component in self.tried else suit.STORE_IMAGE_STATE_PENDING
        return suit.STORE_IMAGE_STATE_CONFIRMED if component in self.confirmed else suit.STORE_IMAGE_STATE_NONE

    def confirm(self, component):
        if component not in self.pending:
            raise suit.error_for_id("conflict", "nothing pending")
        self.confirmed[component] = self.pending.pop(component)
        self.tried.discard(component)

    def begin_boot(self):
        fallen = [c for c in self.pending if c in self.tried]
        for c in fallen:
            del self.pending[c]
            self.tried.discard(c)
        self.tried.update(self.pending)
        return fallen

    def list_components(self):
        return list(set(self.pending) | set(self.confirmed))

    def get_sequence_number(self, manifest_id):
        return self.seq.get(manifest_id)

    def set_sequence_number(self, manifest_id, value):
        self.seq[manifest_id] = value


def test_script_store_ab():
    script = ABStore()
    store = suit.Store.from_script(script)
    app = cid(b"app")
    store.write_bytes(app, b"v1", flags=suit.STORE_WRITE_FLAG_CONFIRM)
    store.write_bytes(app, b"v2")
    assert script.flags == [suit.STORE_WRITE_FLAG_CONFIRM, 0]
    assert store.image_state(app) == suit.STORE_IMAGE_STATE_PENDING
    assert store.read_bytes(app) == b"v2"
    assert store.begin_boot() == []
    assert store.image_state(app) == suit.STORE_IMAGE_STATE_TRYING
    assert store.begin_boot() == [app]
    assert store.read_bytes(app) == b"v1"
    with pytest.raises(suit.StateError) as e:
        store.confirm(app)
    assert e.value.id == "conflict"
    store.write_bytes(app, b"v3")
    store.confirm(app)
    assert store.image_state(app) == suit.STORE_IMAGE_STATE_CONFIRMED
    assert store.list_components() == [app]
    # pre-existing images are listed by the script's own list_components()
    script.confirmed[cid(b"rom")] = b"rom"
    assert sorted(str(x) for x in store.list_components()) == sorted([str(app), str(cid(b"rom"))])
    store.remove_component(app)
    assert not store.has_component(app)
    # the script's sequence numbers; None is the root manifest
    assert store.sequence_number() is None
    store.set_sequence_number(None, 4)
    store.set_sequence_number(app, 8)
    assert script.seq == {None: 4, app: 8}
    assert store.sequence_number() == 4
    assert store.sequence_number(app) == 8


def test_script_store_bad_results():
    class Bad(ABStore):
        def __init__(self, **results):
            super().__init__()
            self.results = results

        def image_state(self, component):
            return self.results.get("image_state", 99)

        def begin_boot(self):
            if "boot_exc" in self.results:
                raise self.results["boot_exc"]
            return self.results.get("begin_boot", ["not an id"])

        def list_components(self):
            return self.results.get("list_components", 42)

        def get_sequence_number(self, manifest_id):
            if "seq_exc" in self.results:
                raise self.results["seq_exc"]
            return self.results.get("seq", -1)

        def set_sequence_number(self, manifest_id, value):
            raise OSError("disk")

    store = suit.Store.from_script(Bad())
    c = cid(b"00")
    for call, args in ((store.image_state, (c,)), (store.begin_boot, ()), (store.list_components, ()),
                       (store.sequence_number, ())):
        with pytest.raises(suit.Error) as e:
            call(*args)
        assert e.value.id == "internal", call
    with pytest.raises(suit.TransferError) as e:
        store.set_sequence_number(None, 1)
    assert e.value.id == "write-failed"
    # a KeyError from get_sequence_number() is "none stored"; other exceptions are errors
    assert suit.Store.from_script(Bad(seq_exc=KeyError("x"))).sequence_number(c) is None
    with pytest.raises(suit.Error) as e:
        suit.Store.from_script(Bad(seq_exc=ValueError("x"))).sequence_number(c)
    assert e.value.id == "internal"
    # begin_boot(): a list of ComponentId, and write-failed when it raises
    with pytest.raises(suit.Error) as e:
        suit.Store.from_script(Bad(begin_boot=None)).begin_boot()
    assert e.value.id == "internal"
    with pytest.raises(suit.TransferError) as e:
        suit.Store.from_script(Bad(boot_exc=OSError("flash"))).begin_boot()
    assert e.value.id == "write-failed"


def test_script_store_image_limit():
    script = DictStore()
    store = suit.Store.from_script(script, 4)
    c = cid(b"00")
    store.write_bytes(c, b"1234")
    with pytest.raises(suit.TransferError) as e:
        store.write_bytes(c, b"12345")
    assert e.value.id == "write-failed"
    assert "larger than the 4 bytes" in e.value.message
    assert store.read_bytes(c) == b"1234"
    assert len(script.calls) == 1


def test_script_store_holds_the_script():
    script = DictStore()
    ref = weakref.ref(script)
    store = suit.Store.from_script(script)
    del script
    gc.collect()
    assert ref() is not None
    store.write_bytes(cid(b"00"), b"kept alive")
    assert ref().images[cid(b"00")] == b"kept alive"
    w = store.begin_write(cid(b"01"))
    del store
    gc.collect()
    # the writer keeps the store, and the store keeps the script
    assert ref() is not None
    w.write(b"late")
    w.commit()
    assert ref().images[cid(b"01")] == b"late"
    del w
    gc.collect()
    assert ref() is None
