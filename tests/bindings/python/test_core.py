"""The core of the Python binding: errors, keys, keyrings, digests,
component ids and envelopes, against the shared vectors."""

import gc
import hashlib
import os

import cbor2
import pytest

import suit

MANIFEST_VECTORS = {
    # file: (manifest digest prefix, key file)
    "manifest/ex0-secure-boot.suit": ("6658ea56", "suit-draft-p256.pub.pem"),
    "manifest/ex1-download-install.suit": ("1f2e7acc", "suit-draft-p256.pub.pem"),
    "manifest/ex2-severable-full.suit": ("6a5197ed", "suit-draft-p256.pub.pem"),
    "manifest/ex2-severed.suit": ("6a5197ed", "suit-draft-p256.pub.pem"),
    "derived/ex0-eddsa-alg-8.suit": ("6658ea56", "ed25519-rfc8032-test1.pub.pem"),
    "derived/ex0-ed25519-alg-19.suit": ("6658ea56", "ed25519-rfc8032-test1.pub.pem"),
}


def keyring_for(vectors, name):
    ring = suit.Keyring()
    ring.add_from_file(str(vectors / "keys" / name))
    return ring


# ---- errors -----------------------------------------------------------------

def test_error_ids_round_trip():
    assert suit.error_to_id(suit.ERROR_SIGNATURE_INVALID) == "signature-invalid"
    assert suit.error_from_id("rollback") == suit.ERROR_ROLLBACK
    assert suit.error_from_id("no-such-error") == suit.ERROR_INTERNAL
    assert suit.error_to_id(9999) is None


def test_error_families():
    assert issubclass(suit.SignatureError, suit.Error)
    assert issubclass(suit.ParseError, suit.Error)
    assert issubclass(suit.Error, Exception)
    err = suit.error_for_id("write-failed", "flash full")
    assert isinstance(err, suit.TransferError)
    assert (err.id, err.code, err.message) == ("write-failed", suit.ERROR_WRITE_FAILED, "flash full")
    assert str(err) == "write-failed: flash full"
    assert "TransferError" in repr(err)
    unknown = suit.Error("odd", id="no-such-id")
    assert unknown.id == "internal" and unknown.code == suit.ERROR_INTERNAL


def test_malformed_envelope_raises_parse_error():
    with pytest.raises(suit.ParseError) as info:
        suit.Envelope.parse(b"\x01\x02")
    assert info.value.id == "invalid-cbor"
    assert info.value.code == suit.ERROR_INVALID_CBOR
    assert "trailing" in info.value.message
    for bad in (b"", b"\xa0", os.urandom(64), b'{"json": true}'):
        with pytest.raises(suit.Error):
            suit.Envelope.parse(bad)


def test_wrong_argument_types_raise_type_error():
    with pytest.raises(TypeError):
        suit.Envelope.parse("not bytes")
    with pytest.raises(TypeError):
        suit.Keyring().add("not a key")
    # None where C requires a value is refused before the call
    for call in (lambda: suit.Keyring().add(None), lambda: suit.Envelope.parse(None),
                 lambda: suit.Key.from_file(None), lambda: suit.error_from_id(None),
                 lambda: suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA256, None),
                 lambda: suit.Envelope.for_manifest(None)):
        with pytest.raises(TypeError, match="must not be None"):
            call()


# ---- keys -------------------------------------------------------------------

@pytest.mark.parametrize("key_type,alg", [(suit.KEY_TYPE_P256, suit.COSE_ALGORITHM_ESP256),
                                          (suit.KEY_TYPE_ED25519, suit.COSE_ALGORITHM_ED25519)])
def test_key_generate_sign_verify(key_type, alg):
    key = suit.Key.generate(key_type)
    assert key.key_type == key_type
    assert key.has_private
    assert key.supports_algorithm(alg)
    sig = key.sign(alg, b"hello")
    key.verify(alg, b"hello", sig)
    pub = key.public_key()
    assert not pub.has_private
    pub.verify(alg, b"hello", sig)
    with pytest.raises(suit.SignatureError) as info:
        pub.verify(alg, b"hellO", sig)
    assert info.value.id == "signature-invalid"
    with pytest.raises(suit.Error):
        pub.sign(alg, b"x")
    assert "private" in repr(key) and "private" not in repr(pub)


def test_key_pem_round_trip_and_thumbprint(vectors):
    key = suit.Key.from_file(str(vectors / "keys" / "suit-draft-p256.priv.pem"))
    assert key.has_private
    assert key.default_algorithm in (suit.COSE_ALGORITHM_ES256, suit.COSE_ALGORITHM_ESP256)
    pem = key.export_public_pem()
    assert pem.startswith(b"-----BEGIN PUBLIC KEY-----")
    assert key.export_private_pem().startswith(b"-----BEGIN")
    pub = suit.Key.from_pem(pem)
    assert pub.thumbprint() == key.thumbprint()
    assert len(key.thumbprint()) == 32
    with pytest.raises(suit.Error):
        pub.export_private_pem()
    with pytest.raises(suit.Error):
        suit.Key.from_pem(b"-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n")
    with pytest.raises(suit.StateError) as info:
        suit.Key.from_file("/nonexistent/key.pem")
    assert info.value.id == "not-found"


def test_key_id_property_and_symmetric(vectors):
    key = suit.Key.symmetric((vectors / "keys" / "hmac256-mac-key.bin").read_bytes())
    assert key.key_type == suit.KEY_TYPE_SYMMETRIC
    assert key.key_id is None
    key.key_id = bytearray(b"kid-1")
    assert key.key_id == b"kid-1"
    key.key_id = None
    assert key.key_id is None
    with pytest.raises(suit.Error):
        suit.Key.from_pkcs11("pkcs11:token=none;object=none")


def test_algorithm_names():
    assert suit.cose_algorithm_to_string(suit.COSE_ALGORITHM_ESP256) == "ESP256"
    assert suit.cose_algorithm_from_string("EdDSA") == suit.COSE_ALGORITHM_EDDSA
    assert suit.digest_algorithm_to_string(suit.DIGEST_ALGORITHM_SHA256) == "sha-256"
    assert suit.digest_algorithm_from_string("sha-256") == suit.DIGEST_ALGORITHM_SHA256


# ---- keyrings ---------------------------------------------------------------

def test_keyring(vectors):
    ring = suit.Keyring()
    assert len(ring) == 0 and ring.size() == 0
    ring.add_from_file(str(vectors / "keys" / "suit-draft-p256.pub.pem"))
    ed = suit.Key.from_file(str(vectors / "keys" / "ed25519-rfc8032-test1.pub.pem"))
    ed.key_id = b"ed"
    ring.add(ed)
    assert len(ring) == 2
    assert [k.key_type for k in ring] == [suit.KEY_TYPE_P256, suit.KEY_TYPE_ED25519]
    assert len(ring.find(suit.COSE_ALGORITHM_ES256)) == 1
    assert len(ring.find(suit.COSE_ALGORITHM_EDDSA, b"ed")) == 1
    assert ring.find(suit.COSE_ALGORITHM_EDDSA, b"other") == []
    with pytest.raises(suit.Error):
        ring.add_from_file("/nonexistent.pem")
    assert "2 keys" in repr(ring)


# ---- digests and component ids ----------------------------------------------

def test_digest():
    d = suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA256, b"abc")
    assert d.value == hashlib.sha256(b"abc").digest()
    assert d.hex == hashlib.sha256(b"abc").hexdigest() == str(d)
    assert d.algorithm == suit.DIGEST_ALGORITHM_SHA256
    same = suit.Digest(suit.DIGEST_ALGORITHM_SHA256, hashlib.sha256(b"abc").digest())
    assert same == d and hash(same) == hash(d) and same.equals(d)
    assert suit.Digest.from_cbor(d.to_cbor()) == d
    d.check(b"abc")
    with pytest.raises(suit.DigestError) as info:
        d.check(memoryview(b"abd"))
    assert info.value.id == "digest-mismatch"
    with pytest.raises(suit.ParseError):
        suit.Digest.from_cbor(b"\x82\x01")
    assert "sha-256" in repr(d)


def test_component_id():
    cid = suit.ComponentId.from_parts([b"00", b"\x01\x02"])
    assert len(cid) == 2 and cid.length() == 2
    assert cid.parts() == [b"00", b"\x01\x02"]
    assert cid.part(1) == b"\x01\x02" and cid.part(2) is None
    again = suit.ComponentId.from_cbor(cid.to_cbor())
    assert again == cid and hash(again) == hash(cid) == cid.hash_value()
    assert str(cid) == "['00', h'0102']" and repr(cid) == "ComponentId(['00', h'0102'])"
    assert {cid: 1}[again] == 1
    with pytest.raises(suit.ParseError):
        suit.ComponentId.from_cbor(b"\x01")
    empty = suit.ComponentId()
    empty.append(b"")
    assert empty.parts() == [b""]


# ---- envelopes --------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(MANIFEST_VECTORS))
def test_shared_vectors_verify(vectors, name):
    prefix, key = MANIFEST_VECTORS[name]
    env = suit.Envelope.parse((vectors / name).read_bytes())
    assert not env.verified
    env.verify(keyring_for(vectors, key))
    assert env.verified
    assert env.manifest_digest.hex.startswith(prefix)
    assert env.manifest_digest.value == hashlib.sha256(cbor2.dumps(env.manifest_bytes)).digest()
    assert env.manifest() is not None
    assert env.n_authentication_blocks == 1
    assert env.authentication_block(0) is not None and env.authentication_block(1) is None
    assert env.to_bytes() == (vectors / name).read_bytes()


def test_shared_vectors_wrong_key_and_no_authentication(vectors):
    env = suit.Envelope.parse((vectors / "manifest/ex0-secure-boot.suit").read_bytes())
    with pytest.raises(suit.SignatureError) as info:
        env.verify(keyring_for(vectors, "esdh-recipient-p256-kid-2.pub.pem"))
    assert info.value.id == "signature-invalid"
    with pytest.raises(suit.Error) as info:
        env.manifest()
    unsigned = suit.Envelope.parse((vectors / "external/draft-ex0-no-cose-auth.suit").read_bytes())
    with pytest.raises(suit.SignatureError) as info:
        unsigned.verify(keyring_for(vectors, "suit-draft-p256.pub.pem"))
    assert info.value.id == "no-authentication"


def test_tampered_envelope(vectors):
    blob = bytearray((vectors / "manifest/ex0-secure-boot.suit").read_bytes())
    blob[-10] ^= 0x01
    ring = keyring_for(vectors, "suit-draft-p256.pub.pem")
    with pytest.raises(suit.Error) as info:
        suit.Envelope.parse(bytes(blob)).verify(ring)
    assert info.value.id in ("digest-mismatch", "signature-invalid")


def test_severed_members(vectors):
    env = suit.Envelope.parse((vectors / "manifest/ex2-severable-full.suit").read_bytes())
    env.verify(keyring_for(vectors, "suit-draft-p256.pub.pem"))
    install = env.member(20)
    assert install is not None
    # the member's digest covers its encoded bstr item, header included
    assert hashlib.sha256(cbor2.dumps(install)).hexdigest().startswith("cfa90c5c")
    env.sever(20)
    assert env.member(20) is None
    with pytest.raises(suit.Error):
        env.sever(99)
    severed = (vectors / "manifest/ex2-severed.suit").read_bytes()
    env.sever(23)
    assert env.to_bytes() == severed


def test_sign_and_json_mirror(vectors, signing_key):
    env = suit.Envelope.parse((vectors / "manifest/ex0-secure-boot.suit").read_bytes())
    env.clear_authentication()
    assert env.n_authentication_blocks == 0
    env.sign(signing_key)
    env.sign(signing_key, suit.COSE_ALGORITHM_ES256, b"kid")
    assert env.n_authentication_blocks == 2
    ring = suit.Keyring()
    ring.add(signing_key.public_key())
    again = suit.Envelope.parse(bytes(env))
    again.verify(ring, suit.VERIFY_FLAG_REQUIRE_ALL)
    text = again.to_json(suit.JSON_FLAG_PRETTY)
    assert '"manifest"' in text
    # the mirror rebuilds an unsigned envelope with the same manifest bytes
    rebuilt = suit.Envelope.from_json(again.to_json())
    assert rebuilt.manifest_bytes == again.manifest_bytes
    assert rebuilt.n_authentication_blocks == 0
    with pytest.raises(suit.ParseError):
        suit.Envelope.from_json("{not json")
    assert "verified" in repr(again)
    assert "manifest" in str(again).lower()
    man = again.manifest()
    assert suit.Envelope.for_manifest(man).n_authentication_blocks == 0
    assert again.peek_manifest() is not None


def test_tagged_and_integrated(vectors):
    env = suit.Envelope.parse((vectors / "manifest/ex0-secure-boot.suit").read_bytes())
    tagged = env.tagged
    env.tagged = not tagged
    assert env.tagged == (not tagged)
    assert env.integrated_names() == []
    env.set_integrated("#payload", b"\x00\xff" * 8)
    assert env.integrated_names() == ["#payload"]
    assert env.integrated("#payload") == b"\x00\xff" * 8
    assert env.integrated("#absent") is None
    again = suit.Envelope.parse(env.to_bytes())
    assert again.integrated("#payload") == b"\x00\xff" * 8


def test_objects_outlive_their_parents(vectors):
    env = suit.Envelope.parse((vectors / "manifest/ex0-secure-boot.suit").read_bytes())
    env.verify(keyring_for(vectors, "suit-draft-p256.pub.pem"))
    digest = env.manifest_digest
    man = env.manifest()
    del env
    gc.collect()
    assert digest.hex.startswith("6658ea56")
    assert man is not None


def _rss_kib():
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def test_ten_thousand_create_verify_error_loops_do_not_grow(vectors, signing_key):
    """10,000 rounds of create, sign, verify and a failing verify: the
    wrappers free what they own (RSS stays flat after a warm-up)."""
    ex0 = (vectors / "manifest/ex0-secure-boot.suit").read_bytes()
    ring = suit.Keyring()
    ring.add(signing_key.public_key())
    other = suit.Keyring()
    other.add(suit.Key.generate(suit.KEY_TYPE_P256).public_key())

    def one_round():
        env = suit.Envelope.parse(ex0)
        env.clear_authentication()
        env.sign(signing_key)
        blob = env.to_bytes()
        again = suit.Envelope.parse(blob)
        again.verify(ring)
        assert again.manifest() is not None and again.verified
        try:
            suit.Envelope.parse(blob).verify(other)
        except suit.SignatureError as e:
            assert e.id == "signature-invalid"
        else:
            raise AssertionError("verified with the wrong key")
        try:
            suit.Envelope.parse(blob[:-3])
        except suit.ParseError:
            pass

    for _ in range(1000):
        one_round()
    gc.collect()
    before = _rss_kib()
    for _ in range(9000):
        one_round()
    gc.collect()
    growth = _rss_kib() - before
    assert growth < 2048, "RSS grew by %d KiB over 9,000 rounds" % growth


def test_help_names_parameters_in_python_terms():
    doc = suit.FirmwareConsumer.__init__.__doc__
    assert "keyring: Keyring" in doc
    assert "store: Store, or an object with write(component, data) and read(component)" in doc
    assert "blob: bytes" in suit.Envelope.parse.__doc__
    assert "filename: str" in suit.Key.from_file.__doc__
