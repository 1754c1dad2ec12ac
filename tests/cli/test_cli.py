"""Tests of the `suit` command line tool (suite 'cli').

Run by meson with SUIT_BIN (the built tool) and SUIT_TEST_VECTORS (the shared
vectors, used in place). Signatures made by the tool are checked with an
independent COSE implementation written here with cbor2 + cryptography.
"""
import hashlib
import hmac
import json
import os
import pathlib
import stat
import subprocess

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

HERE = pathlib.Path(__file__).resolve().parent
SUIT = os.environ.get("SUIT_BIN", str(HERE.parent.parent / "build" / "services" / "suit" / "suit"))
VECTORS = pathlib.Path(os.environ.get("SUIT_TEST_VECTORS",
                                      HERE.parent.parent.parent / "shared" / "vectors"))

if not VECTORS.is_dir():
    pytest.skip("shared vectors not found in %s" % VECTORS, allow_module_level=True)

DRAFT = "keys/suit-draft-p256.pub.pem"
ED25519_PUB = "keys/ed25519-rfc8032-test1.pub.pem"
ED25519_PRIV = "keys/ed25519-rfc8032-test1.priv.pem"
ENC_SIGNER = "keys/enc-dependency-signer-p256.pub.pem"
NORDIC = "keys/nordic-suit-generator-test-p256.pub.pem"
HMAC = "keys/hmac256-mac-key.bin"

COSE_ALG_IDS = {"ES256": -7, "ESP256": -9, "EdDSA": -8, "Ed25519": -19, "HMAC-256": 5}

# every vector that verifies without processing: (file, key option, key,
# manifest digest prefix or None, sequence number or None), from the README
VALID = [
    ("manifest/ex0-secure-boot.suit", "--key", DRAFT, "6658ea56", 0),
    ("manifest/ex1-download-install.suit", "--key", DRAFT, "1f2e7acc", 1),
    ("manifest/ex2-severable-full.suit", "--key", DRAFT, "6a5197ed", 2),
    ("manifest/ex2-severed.suit", "--key", DRAFT, "6a5197ed", 2),
    ("manifest/ex3-ab-images.suit", "--key", DRAFT, "f6d44a62", 3),
    ("manifest/ex4-load-external.suit", "--key", DRAFT, "5b5f6586", 4),
    ("manifest/ex5-two-images.suit", "--key", DRAFT, "15ce60f7", 5),
    ("derived/ex0-eddsa-alg-8.suit", "--key", ED25519_PUB, "6658ea56", 0),
    ("derived/ex0-ed25519-alg-19.suit", "--key", ED25519_PUB, "6658ea56", 0),
    ("derived/ex2-severable-eddsa-alg-8.suit", "--key", ED25519_PUB, "6a5197ed", 2),
    ("trust-domains/td-dependency.suit", "--key", DRAFT, "0f02caf6", 0),
    ("trust-domains/td-dependent-process.suit", "--key", DRAFT, "aeba316a", None),
    ("trust-domains/td-integrated-dependency.suit", "--key", DRAFT, "88e11995", None),
    ("teep/teep-uri.suit", "--key", DRAFT, "b39b52b0", 3),
    ("teep/teep-integrated.suit", "--key", DRAFT, "cedb0457", None),
    ("teep/teep-personalization.suit", "--key", DRAFT, "506d4796", None),
    ("update-management/um-U0.suit", "--key", DRAFT, None, None),
    ("update-management/um-U1.suit", "--key", DRAFT, None, None),
    ("update-management/um-U2.suit", "--key", DRAFT, None, None),
    ("update-management/um-U3.suit", "--key", DRAFT, None, None),
    ("encryption/aeskw-gcm-write.suit", "--mac-key", HMAC, "037a5c32", 1),
    ("encryption/aeskw-gcm-fetch-copy.suit", "--mac-key", HMAC, "3c92aece", None),
    ("encryption/aeskw-gcm-slot.suit", "--mac-key", HMAC, "6d74bd31", None),
    ("encryption/esdh-gcm-write.suit", "--key", DRAFT, "1db69ef1", None),
    ("encryption/esdh-gcm-dependency.suit", "--key", ENC_SIGNER, "a00cb6c8", None),
    ("external/nordic-two-signatures-legacy-install17.suit", "--key", NORDIC, None, None),
]

# external/ rows of the README: (file, key, expected error id or None for any rejection)
EXTERNAL_REJECTED = [
    ("external/draft-ex0-no-cose-auth.suit", DRAFT, "no-authentication"),
    ("external/draft-ex2-no-cose-auth-severed.suit", DRAFT, "no-authentication"),
    ("external/nordic-signed-digest-mismatch.suit", NORDIC, "digest-mismatch"),
    ("external/nordic-unsigned-bad-digest-bignum-version.suit", NORDIC, None),
]


def vec(rel):
    return str(VECTORS / rel)


def suit(*args, input=None):
    """Runs the tool; returns (exit status, stdout bytes, stderr text)."""
    proc = subprocess.run([SUIT] + [str(a) for a in args], input=input,
                          capture_output=True, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace")


def suit_ok(*args, input=None):
    rc, out, err = suit(*args, input=input)
    assert rc == 0, "suit %s: exit %d\n%s" % (" ".join(map(str, args)), rc, err)
    return out


def assert_rejected(rc, err, error_id=None):
    assert rc == 1, "expected exit 1, got %d: %s" % (rc, err)
    lines = [line for line in err.splitlines() if line.startswith("suit: ")]
    assert len(lines) == 1, err
    if error_id is not None:
        assert lines[0].startswith("suit: %s: " % error_id), err


def envelope_map(data):
    item = cbor2.loads(data)
    if isinstance(item, cbor2.CBORTag):
        assert item.tag == 107
        item = item.value
    assert isinstance(item, dict)
    return item


# -- an independent COSE / SUIT digest check ---------------------------------

def independent_verify(data, public_pem=None, mac_secret=None, expect_alg=None, expect_kid=None):
    """Checks the SUIT_Digest and every COSE block of an envelope without libsuit."""
    env = envelope_map(data)
    manifest_item = cbor2.dumps(env[3])  # the encoded bstr, header included
    assert manifest_item in data, "manifest bstr not encoded minimally"
    auth = cbor2.loads(env[2])
    assert isinstance(auth, list) and len(auth) >= 2, "no authentication block"
    digest_bytes = auth[0]
    digest = cbor2.loads(digest_bytes)
    assert digest[0] == -16
    assert digest[1] == hashlib.sha256(manifest_item).digest(), "SUIT_Digest mismatch"

    public_key = None
    if public_pem is not None:
        public_key = serialization.load_pem_public_key(pathlib.Path(public_pem).read_bytes())
    for block in auth[1:]:
        cose = cbor2.loads(block)
        assert isinstance(cose, cbor2.CBORTag)
        protected, unprotected, payload, tag_or_sig = cose.value
        assert payload is None, "payload must be detached"
        headers = cbor2.loads(protected) if protected else {}
        alg = headers[1]
        if expect_alg is not None:
            assert alg == COSE_ALG_IDS[expect_alg]
        kid = headers.get(4, unprotected.get(4))
        assert kid == expect_kid
        if cose.tag == 18:
            to_sign = cbor2.dumps(["Signature1", protected, b"", digest_bytes])
            if alg in (-7, -9):
                assert isinstance(public_key, ec.EllipticCurvePublicKey)
                assert len(tag_or_sig) == 64, "ECDSA signature must be raw r||s"
                r = int.from_bytes(tag_or_sig[:32], "big")
                s = int.from_bytes(tag_or_sig[32:], "big")
                public_key.verify(encode_dss_signature(r, s), to_sign, ec.ECDSA(hashes.SHA256()))
            elif alg in (-8, -19):
                assert isinstance(public_key, ed25519.Ed25519PublicKey)
                public_key.verify(tag_or_sig, to_sign)
            else:
                raise AssertionError("unexpected algorithm %d" % alg)
        elif cose.tag == 17:
            assert alg == 5
            to_mac = cbor2.dumps(["MAC0", protected, b"", digest_bytes])
            expected = hmac.new(mac_secret, to_mac, hashlib.sha256).digest()
            assert hmac.compare_digest(expected, tag_or_sig)
        else:
            raise AssertionError("unexpected COSE tag %d" % cose.tag)
    return env


# -- help, version, usage ----------------------------------------------------

def test_help():
    out = suit_ok("--help")
    for cmd in ("keygen", "pubkey", "create", "sign", "verify", "inspect", "sever"):
        assert cmd.encode() in out


@pytest.mark.parametrize("cmd", ["keygen", "pubkey", "create", "sign", "verify", "inspect", "sever"])
def test_command_help(cmd):
    out = suit_ok(cmd, "--help")
    assert b"Usage:" in out


def test_version():
    assert suit_ok("--version").startswith(b"suit ")


@pytest.mark.parametrize("args", [[], ["frobnicate"], ["verify", "--bogus"],
                                  ["verify", vec("manifest/ex0-secure-boot.suit")],
                                  ["keygen", "--alg", "RSA", "-o", "/dev/null"],
                                  ["sign", vec("manifest/ex0-secure-boot.suit")]])
def test_usage_errors(args):
    rc, _, err = suit(*args)
    assert rc == 2, err
    assert err.strip()


def test_create_binary_description(tmp_path):
    """A description that is no JSON text is rejected, nothing is written."""
    key = tmp_path / "key.pem"
    suit_ok("keygen", "--alg", "ES256", "-o", key)
    rc, _, err = suit("create", vec("manifest/ex0-secure-boot.suit"), "-o",
                      tmp_path / "out.suit", "--key", key)
    assert_rejected(rc, err, "invalid-data")
    assert not (tmp_path / "out.suit").exists()


@pytest.mark.parametrize("alg", ["ES256", "ESP256", "EdDSA", "Ed25519"])
def test_keygen_pubkey(tmp_path, alg):
    key, pub, pub2 = tmp_path / "key.pem", tmp_path / "pub.pem", tmp_path / "pub2.pem"
    suit_ok("keygen", "--alg", alg, "-o", key, "--pub", pub)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    private = serialization.load_pem_private_key(key.read_bytes(), password=None)
    if alg.startswith("ES"):
        assert isinstance(private, ec.EllipticCurvePrivateKey)
        assert isinstance(private.curve, ec.SECP256R1)
    else:
        assert isinstance(private, ed25519.Ed25519PrivateKey)
    raw = serialization.PublicFormat.SubjectPublicKeyInfo
    der = serialization.Encoding.DER
    public = serialization.load_pem_public_key(pub.read_bytes())
    assert public.public_bytes(der, raw) == private.public_key().public_bytes(der, raw)

    suit_ok("pubkey", key, "-o", pub2)
    public2 = serialization.load_pem_public_key(pub2.read_bytes())
    assert public2.public_bytes(der, raw) == public.public_bytes(der, raw)
    # without -o the PEM goes to standard output
    assert suit_ok("pubkey", key).startswith(b"-----BEGIN PUBLIC KEY-----")


def test_keygen_unwritable(tmp_path):
    rc, _, err = suit("keygen", "--alg", "ES256", "-o", tmp_path / "missing" / "key.pem")
    assert rc == 2, err


def test_pubkey_missing_file(tmp_path):
    rc, _, _ = suit("pubkey", tmp_path / "missing.pem")
    assert rc == 2


# -- verify ------------------------------------------------------------------

@pytest.mark.parametrize("rel,key_opt,key,digest_prefix,seq", VALID, ids=[v[0] for v in VALID])
def test_verify_vector(rel, key_opt, key, digest_prefix, seq):
    out = suit_ok("verify", vec(rel), key_opt, vec(key), "--json")
    result = json.loads(out)
    assert result["ok"] is True
    assert len(result["manifest-digest"]) == 64
    if digest_prefix is not None:
        assert result["manifest-digest"].startswith(digest_prefix)
    if seq is not None:
        assert result["sequence-number"] == seq
    # and the plain output
    suit_ok("verify", vec(rel), key_opt, vec(key))


@pytest.mark.parametrize("rel,key,error_id", EXTERNAL_REJECTED, ids=[v[0] for v in EXTERNAL_REJECTED])
def test_verify_external_rejected(rel, key, error_id):
    rc, out, err = suit("verify", vec(rel), "--key", vec(key))
    assert_rejected(rc, err, error_id)
    assert out == b""


def test_verify_several_keys():
    # the right key among others is enough
    suit_ok("verify", vec("manifest/ex0-secure-boot.suit"), "--key", vec(ENC_SIGNER),
            "--key", vec(ED25519_PUB), "--key", vec(DRAFT))


def test_verify_wrong_key():
    rc, out, err = suit("verify", vec("manifest/ex0-secure-boot.suit"), "--key", vec(ENC_SIGNER))
    assert_rejected(rc, err, "signature-invalid")


def test_verify_wrong_mac_key(tmp_path):
    wrong = tmp_path / "wrong.bin"
    wrong.write_bytes(b"b" * 32)
    rc, _, err = suit("verify", vec("encryption/aeskw-gcm-write.suit"), "--mac-key", wrong)
    assert_rejected(rc, err, "signature-invalid")


def test_verify_json_error_shape():
    rc, out, err = suit("verify", vec("manifest/ex0-secure-boot.suit"), "--key", vec(ENC_SIGNER),
                        "--json")
    assert rc == 1
    result = json.loads(out)
    assert result["ok"] is False
    assert result["error"] == "signature-invalid"
    assert isinstance(result["message"], str) and result["message"]
    assert "signature-invalid" in err


def test_verify_tampered_signature(tmp_path):
    data = bytearray((VECTORS / "manifest/ex0-secure-boot.suit").read_bytes())
    auth = cbor2.loads(envelope_map(bytes(data))[2])
    signature = cbor2.loads(auth[1]).value[3]
    data[bytes(data).find(signature) + 10] ^= 0x01
    bad = tmp_path / "bad.suit"
    bad.write_bytes(bytes(data))
    rc, _, err = suit("verify", bad, "--key", vec(DRAFT))
    assert_rejected(rc, err, "signature-invalid")


def test_verify_not_cbor(tmp_path):
    bad = tmp_path / "bad.suit"
    bad.write_bytes(b"\xd8\x6b\xa2\x02")
    rc, out, err = suit("verify", bad, "--key", vec(DRAFT), "--json")
    assert_rejected(rc, err)
    assert json.loads(out)["ok"] is False


def test_verify_trailing_bytes(tmp_path):
    bad = tmp_path / "bad.suit"
    bad.write_bytes((VECTORS / "manifest/ex0-secure-boot.suit").read_bytes() + b"\x00")
    rc, _, err = suit("verify", bad, "--key", vec(DRAFT))
    assert_rejected(rc, err, "invalid-cbor")


def test_verify_missing_file(tmp_path):
    rc, out, err = suit("verify", tmp_path / "missing.suit", "--key", vec(DRAFT))
    assert rc == 2, err
    rc, out, err = suit("verify", tmp_path / "missing.suit", "--key", vec(DRAFT), "--json")
    assert rc == 2, err
    assert json.loads(out)["ok"] is False


def test_verify_missing_key(tmp_path):
    rc, _, err = suit("verify", vec("manifest/ex0-secure-boot.suit"), "--key",
                      tmp_path / "missing.pem")
    assert rc == 2, err


def test_verify_no_key():
    rc, _, err = suit("verify", vec("manifest/ex0-secure-boot.suit"))
    assert rc == 2, err


# -- inspect -----------------------------------------------------------------

def test_inspect_text():
    out = suit_ok("inspect", vec("manifest/ex0-secure-boot.suit"))
    assert out.strip()


def test_inspect_json():
    doc = json.loads(suit_ok("inspect", "--json", vec("manifest/ex2-severable-full.suit")))
    assert isinstance(doc, dict)


def test_inspect_not_cbor(tmp_path):
    bad = tmp_path / "bad.suit"
    bad.write_bytes(b"not cbor at all")
    rc, _, err = suit("inspect", bad)
    assert_rejected(rc, err)


# -- create --raw ------------------------------------------------------------

@pytest.mark.parametrize("rel,key_opt,key,digest_prefix,seq", VALID, ids=[v[0] for v in VALID])
def test_create_raw_roundtrip(tmp_path, rel, key_opt, key, digest_prefix, seq):
    """inspect --json | create --raw with a fresh key rebuilds the same manifest."""
    priv, pub, out = tmp_path / "key.pem", tmp_path / "pub.pem", tmp_path / "out.suit"
    suit_ok("keygen", "--alg", "ES256", "-o", priv, "--pub", pub)
    doc = suit_ok("inspect", "--json", vec(rel))
    suit_ok("create", "--raw", "-", "-o", out, "--key", priv, input=doc)
    suit_ok("verify", out, "--key", pub)
    original = envelope_map((VECTORS / rel).read_bytes())
    rebuilt = envelope_map(out.read_bytes())
    assert rebuilt[3] == original[3], "manifest bytes differ"
    # severable members and integrated payloads come along
    assert set(rebuilt) == set(original)
    for k in original:
        if k != 2:
            assert rebuilt[k] == original[k], "member %r differs" % (k,)
    independent_verify(out.read_bytes(), public_pem=pub)


def test_create_raw_from_file_several_keys(tmp_path):
    p256, ed = tmp_path / "p256.pem", tmp_path / "ed.pem"
    suit_ok("keygen", "--alg", "ESP256", "-o", p256)
    suit_ok("keygen", "--alg", "Ed25519", "-o", ed)
    doc = tmp_path / "manifest.json"
    doc.write_bytes(suit_ok("inspect", "--json", vec("manifest/ex1-download-install.suit")))
    out = tmp_path / "out.suit"
    suit_ok("create", "--raw", doc, "-o", out, "--key", p256, "--key", ed,
            "--alg", "ESP256", "--alg", "Ed25519")
    auth = cbor2.loads(envelope_map(out.read_bytes())[2])
    assert len(auth) == 3
    for pem, pub_name in ((p256, "p256.pub"), (ed, "ed.pub")):
        (tmp_path / pub_name).write_bytes(suit_ok("pubkey", pem))
        suit_ok("verify", out, "--key", tmp_path / pub_name, "--json")


def test_create_raw_bad_json(tmp_path):
    key = tmp_path / "key.pem"
    suit_ok("keygen", "--alg", "ES256", "-o", key)
    rc, _, err = suit("create", "--raw", "-", "-o", tmp_path / "out.suit", "--key", key,
                      input=b"{ not json")
    assert_rejected(rc, err)
    assert not (tmp_path / "out.suit").exists()


# -- sign --------------------------------------------------------------------

@pytest.mark.parametrize("source,alg,expected", [
    ("manifest/ex0-secure-boot.suit", "EdDSA", "derived/ex0-eddsa-alg-8.suit"),
    ("manifest/ex0-secure-boot.suit", "Ed25519", "derived/ex0-ed25519-alg-19.suit"),
    ("manifest/ex2-severable-full.suit", "EdDSA", "derived/ex2-severable-eddsa-alg-8.suit"),
])
def test_sign_replace_matches_derived(tmp_path, source, alg, expected):
    out = tmp_path / "out.suit"
    suit_ok("sign", vec(source), "--replace", "--alg", alg, "--key", vec(ED25519_PRIV), "-o", out)
    assert out.read_bytes() == (VECTORS / expected).read_bytes()


@pytest.mark.parametrize("alg", ["ES256", "ESP256", "EdDSA", "Ed25519"])
def test_keygen_create_sign_independent(tmp_path, alg):
    """Envelopes made by keygen + create --raw and by sign verify without libsuit."""
    priv, pub = tmp_path / "key.pem", tmp_path / "pub.pem"
    suit_ok("keygen", "--alg", alg, "-o", priv, "--pub", pub)

    created = tmp_path / "created.suit"
    doc = suit_ok("inspect", "--json", vec("manifest/ex0-secure-boot.suit"))
    suit_ok("create", "--raw", "-", "-o", created, "--key", priv, "--alg", alg, input=doc)
    env = independent_verify(created.read_bytes(), public_pem=pub, expect_alg=alg)
    assert len(cbor2.loads(env[2])) == 2

    signed = tmp_path / "signed.suit"
    suit_ok("sign", vec("manifest/ex2-severable-full.suit"), "--replace", "--alg", alg,
            "--key", priv, "-o", signed)
    env = independent_verify(signed.read_bytes(), public_pem=pub, expect_alg=alg)
    assert len(cbor2.loads(env[2])) == 2
    suit_ok("verify", signed, "--key", pub)


def test_sign_adds_signature(tmp_path):
    priv, pub, out = tmp_path / "key.pem", tmp_path / "pub.pem", tmp_path / "out.suit"
    suit_ok("keygen", "--alg", "ES256", "-o", priv, "--pub", pub)
    suit_ok("sign", vec("manifest/ex0-secure-boot.suit"), "--key", priv, "-o", out)
    auth = cbor2.loads(envelope_map(out.read_bytes())[2])
    assert len(auth) == 3
    # the original signature is kept, so both keys verify it
    suit_ok("verify", out, "--key", pub)
    suit_ok("verify", out, "--key", vec(DRAFT))
    suit_ok("verify", out, "--key", pub, "--key", vec(DRAFT), "--require-all")


def test_sign_kid(tmp_path):
    priv, pub, out = tmp_path / "key.pem", tmp_path / "pub.pem", tmp_path / "out.suit"
    suit_ok("keygen", "--alg", "ESP256", "-o", priv, "--pub", pub)
    suit_ok("sign", vec("manifest/ex0-secure-boot.suit"), "--replace", "--key", priv,
            "--alg", "ESP256", "--kid", "0a0B", "-o", out)
    independent_verify(out.read_bytes(), public_pem=pub, expect_alg="ESP256",
                       expect_kid=b"\x0a\x0b")
    suit_ok("verify", out, "--key", pub)


def test_sign_bad_kid(tmp_path):
    rc, _, err = suit("sign", vec("manifest/ex0-secure-boot.suit"), "--key", vec(ED25519_PRIV),
                      "--kid", "xyz", "-o", tmp_path / "out.suit")
    assert rc == 2, err


def test_sign_hmac(tmp_path):
    out = tmp_path / "out.suit"
    suit_ok("sign", vec("manifest/ex0-secure-boot.suit"), "--replace", "--mac-key", vec(HMAC),
            "-o", out)
    independent_verify(out.read_bytes(), mac_secret=(VECTORS / HMAC).read_bytes(),
                       expect_alg="HMAC-256")
    suit_ok("verify", out, "--mac-key", vec(HMAC))


def test_sign_digest_mismatch(tmp_path):
    """sign checks the envelope's own SUIT_Digest against its manifest first."""
    out = tmp_path / "out.suit"
    rc, _, err = suit("sign", vec("external/nordic-signed-digest-mismatch.suit"), "--replace",
                      "--key", vec(ED25519_PRIV), "-o", out)
    assert_rejected(rc, err, "digest-mismatch")
    assert not out.exists()


def test_sign_public_key_only(tmp_path):
    rc, _, err = suit("sign", vec("manifest/ex0-secure-boot.suit"), "--key", vec(ED25519_PUB),
                      "-o", tmp_path / "out.suit")
    assert rc == 2, err


def test_sign_wrong_alg_for_key(tmp_path):
    rc, _, err = suit("sign", vec("manifest/ex0-secure-boot.suit"), "--key", vec(ED25519_PRIV),
                      "--alg", "ES256", "-o", tmp_path / "out.suit")
    assert rc == 2, err


def test_sign_unwritable_output(tmp_path):
    rc, _, err = suit("sign", vec("manifest/ex0-secure-boot.suit"), "--key", vec(ED25519_PRIV),
                      "-o", tmp_path / "missing-dir" / "out.suit")
    assert rc == 2, err


def test_sign_in_place(tmp_path):
    work = tmp_path / "ex0.suit"
    work.write_bytes((VECTORS / "manifest/ex0-secure-boot.suit").read_bytes())
    suit_ok("sign", work, "--replace", "--alg", "EdDSA", "--key", vec(ED25519_PRIV), "-o", work)
    assert work.read_bytes() == (VECTORS / "derived/ex0-eddsa-alg-8.suit").read_bytes()


# -- sever -------------------------------------------------------------------

def test_sever(tmp_path):
    out = tmp_path / "severed.suit"
    suit_ok("sever", vec("manifest/ex2-severable-full.suit"), "-o", out)
    env = envelope_map(out.read_bytes())
    assert 20 not in env and 23 not in env
    suit_ok("verify", out, "--key", vec(DRAFT))
    assert out.read_bytes() == (VECTORS / "manifest/ex2-severed.suit").read_bytes()


def test_sever_eddsa(tmp_path):
    out = tmp_path / "severed.suit"
    suit_ok("sever", vec("derived/ex2-severable-eddsa-alg-8.suit"), "-o", out)
    env = envelope_map(out.read_bytes())
    assert 20 not in env and 23 not in env
    independent_verify(out.read_bytes(), public_pem=vec(ED25519_PUB), expect_alg="EdDSA")
    suit_ok("verify", out, "--key", vec(ED25519_PUB))


@pytest.mark.parametrize("rel", ["manifest/ex0-secure-boot.suit", "manifest/ex2-severed.suit",
                                 "update-management/um-U2.suit"])
def test_sever_nothing_or_coswid(tmp_path, rel):
    out = tmp_path / "out.suit"
    suit_ok("sever", vec(rel), "-o", out)
    original = envelope_map((VECTORS / rel).read_bytes())
    severed = envelope_map(out.read_bytes())
    for key in (14, 15, 16, 18, 20, 23):
        assert key not in severed
    assert severed[3] == original[3]
    suit_ok("verify", out, "--key", vec(DRAFT))


def test_sever_missing_file(tmp_path):
    rc, _, _ = suit("sever", tmp_path / "missing.suit", "-o", tmp_path / "out.suit")
    assert rc == 2


# -- create DESCRIPTION --------------------------------------------------------

ARM_VENDOR = "fa6b4a53d5ad5fdfbe9de663e4d41ffe"  # UUID5(DNS, "arm.com")


def keypair(tmp_path, alg="ES256", name="key"):
    priv = tmp_path / ("%s.pem" % name)
    pub = tmp_path / ("%s.pub.pem" % name)
    suit_ok("keygen", "--alg", alg, "-o", priv, "--pub", pub)
    return priv, pub


def write_description(tmp_path, desc, name="desc.json"):
    path = tmp_path / name
    path.write_text(json.dumps(desc))
    return path


def shared_params(manifest):
    """every override-parameters argument of the shared sequence, merged"""
    params = {}
    for cmd in manifest["common"]["shared-sequence"]:
        if cmd["command"] == "override-parameters":
            params.update(cmd["argument"])
    return params


def commands(seq):
    return [cmd["command"] for cmd in seq]


def test_create_description(tmp_path):
    priv, pub = keypair(tmp_path)
    payload = os.urandom(150000)
    (tmp_path / "fw").mkdir()
    (tmp_path / "fw" / "app.bin").write_bytes(payload)
    desc = write_description(tmp_path, {
        "manifest-version": 1,
        "manifest-sequence-number": 12,
        "components": [{
            "install-id": ["00"],
            "vendor-domain": "arm.com",
            "class-id": "1492af14-2569-5e48-bf42-9b2d51f2ab45",
            "file": "fw/app.bin",
            "uri": "http://example.com/app.bin",
            "bootable": True,
        }],
    })
    out = tmp_path / "x.suit"
    suit_ok("create", desc, "-o", out, "--key", priv)
    independent_verify(out.read_bytes(), public_pem=pub)
    result = json.loads(suit_ok("verify", out, "--key", pub, "--json"))
    assert result["ok"] is True
    assert result["sequence-number"] == 12
    assert result["authentication-blocks"] == 1

    manifest = json.loads(suit_ok("inspect", out, "--json"))["manifest"]
    params = shared_params(manifest)
    assert params["vendor-identifier"] == ARM_VENDOR
    assert params["class-identifier"] == "1492af1425695e48bf429b2d51f2ab45"
    assert params["image-size"] == len(payload)
    assert params["image-digest"] == {"algorithm-id": -16,
                                      "digest-bytes": hashlib.sha256(payload).hexdigest()}
    assert commands(manifest["common"]["shared-sequence"]) == [
        "override-parameters", "vendor-identifier", "class-identifier"]
    assert commands(manifest["install"]) == ["override-parameters", "fetch", "image-match"]
    assert manifest["install"][0]["argument"] == {"uri": "http://example.com/app.bin"}
    assert commands(manifest["validate"]) == ["image-match"]
    assert commands(manifest["invoke"]) == ["invoke"]


def test_create_description_reproduces_ex1(tmp_path):
    """suit-tool's input for the draft's example 1 gives the same manifest bytes."""
    priv, pub = keypair(tmp_path)
    desc = write_description(tmp_path, {
        "manifest-version": 1,
        "manifest-sequence-number": 1,
        "components": [{
            "install-id": ["00"],
            "install-digest": {"algorithm-id": "sha256", "digest-bytes":
                               "00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210"},
            "install-size": 34768,
            "uri": "http://example.com/file.bin",
            "vendor-id": "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe",
            "class-id": "1492af14-2569-5e48-bf42-9b2d51f2ab45",
            "bootable": False,
        }],
    })
    out = tmp_path / "ex1.suit"
    suit_ok("create", desc, "-o", out, "--key", priv)
    original = envelope_map((VECTORS / "manifest/ex1-download-install.suit").read_bytes())
    assert envelope_map(out.read_bytes())[3] == original[3]
    suit_ok("verify", out, "--key", pub)


def test_create_description_options(tmp_path):
    """two keys, --sequence-number, and a description read from standard input"""
    p256, p256_pub = keypair(tmp_path, "ES256", "p256")
    ed, ed_pub = keypair(tmp_path, "EdDSA", "ed")
    payload = tmp_path / "a.bin"
    payload.write_bytes(b"firmware")
    desc = {"components": [{"install-id": ["00"], "file": str(payload),
                            "vendor-domain": "arm.com", "class-name": "board"}]}
    out = tmp_path / "x.suit"
    suit_ok("create", "-", "-o", out, "--key", p256, "--key", ed, "--sequence-number", "42",
            input=json.dumps(desc).encode())
    result = json.loads(suit_ok("verify", out, "--key", p256_pub, "--key", ed_pub,
                                "--require-all", "--json"))
    assert result["sequence-number"] == 42
    assert result["authentication-blocks"] == 2

    # without a sequence number, the clock gives one
    out2 = tmp_path / "y.suit"
    before = int(__import__("time").time())
    suit_ok("create", write_description(tmp_path, desc), "-o", out2, "--key", p256)
    result = json.loads(suit_ok("verify", out2, "--key", p256_pub, "--json"))
    assert before <= result["sequence-number"] <= before + 60


def test_create_description_integrated_severable(tmp_path):
    priv, pub = keypair(tmp_path)
    payload = os.urandom(3000)
    (tmp_path / "tc.bin").write_bytes(payload)
    desc = write_description(tmp_path, {
        "manifest-version": 1,
        "manifest-sequence-number": 3,
        "severable": ["install", "text"],
        "text": {"manifest-description": "demo"},
        "components": [{
            "install-id": ["TEEP-Device", "ta"],
            "vendor-domain": "arm.com", "class-name": "board",
            "file": "tc.bin", "integrated": True, "slot": 1,
            "text": {"model-name": "Board 1"},
        }],
    })
    out = tmp_path / "x.suit"
    suit_ok("create", desc, "-o", out, "--key", priv)
    env = independent_verify(out.read_bytes(), public_pem=pub)
    assert env["#tc.bin"] == payload
    assert 20 in env and 23 in env
    doc = json.loads(suit_ok("inspect", out, "--json"))
    manifest = doc["manifest"]
    assert manifest["common"]["components"] == [[b"TEEP-Device".hex(), b"ta".hex()]]
    assert "severed" in manifest["install"] and "severed" in manifest["text"]
    assert doc["severable"]["install"][0]["argument"] == {"uri": "#tc.bin"}
    assert doc["severable"]["text"]["en-US"]["manifest-description"] == "demo"
    assert shared_params(manifest)["component-slot"] == 1
    assert "component-slot" in commands(manifest["common"]["shared-sequence"])

    severed = tmp_path / "severed.suit"
    suit_ok("sever", out, "-o", severed)
    env = independent_verify(severed.read_bytes(), public_pem=pub)
    assert 20 not in env and 23 not in env
    suit_ok("verify", severed, "--key", pub)


def test_create_description_unknown_key(tmp_path):
    priv, _ = keypair(tmp_path)
    (tmp_path / "a.bin").write_bytes(b"x")
    desc = write_description(tmp_path, {"components": [{
        "install-id": ["00"], "file": "a.bin", "vendor-domain": "arm.com",
        "class-name": "board", "bootabel": True}]})
    rc, _, err = suit("create", desc, "-o", tmp_path / "x.suit", "--key", priv)
    assert_rejected(rc, err, "invalid-data")
    assert "bootabel" in err
    assert not (tmp_path / "x.suit").exists()


@pytest.mark.parametrize("component,error_id", [
    ({"vendor-id": "not-a-uuid", "class-name": "board"}, "invalid-data"),
    ({"vendor-domain": "arm.com", "class-name": "board", "install-size": 2}, "digest-mismatch"),
    ({"vendor-domain": "arm.com"}, "invalid-data"),
])
def test_create_description_rejected(tmp_path, component, error_id):
    priv, _ = keypair(tmp_path)
    (tmp_path / "a.bin").write_bytes(b"x")
    desc = write_description(tmp_path, {"components": [
        dict({"install-id": ["00"], "file": "a.bin"}, **component)]})
    rc, _, err = suit("create", desc, "-o", tmp_path / "x.suit", "--key", priv)
    assert_rejected(rc, err, error_id)
    assert not (tmp_path / "x.suit").exists()


def test_create_description_io_errors(tmp_path):
    priv, _ = keypair(tmp_path)
    # a payload that does not exist
    desc = write_description(tmp_path, {"components": [{
        "install-id": ["00"], "file": "missing.bin", "vendor-domain": "arm.com",
        "class-name": "board"}]})
    rc, _, err = suit("create", desc, "-o", tmp_path / "x.suit", "--key", priv)
    assert rc == 2, err
    assert "missing.bin" in err
    # a description that does not exist
    rc, _, err = suit("create", tmp_path / "nope.json", "-o", tmp_path / "x.suit", "--key", priv)
    assert rc == 2, err
    # no key
    rc, _, err = suit("create", desc, "-o", tmp_path / "x.suit")
    assert rc == 2, err
    assert not (tmp_path / "x.suit").exists()
