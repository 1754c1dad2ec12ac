"""The Python binding of SuitAuthor and the SUIT report API (suit.Author,
suit.Report, suit.ReportRecord, suit.ReportClaims, suit.ReportProperties)."""

import hashlib
import json
import os

import pytest

import suit

ARM_VENDOR_UUID = "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe"
ARM_VENDOR_HEX = "fa6b4a53d5ad5fdfbe9de663e4d41ffe"
DRAFT_CLASS_HEX = "1492af1425695e48bf429b2d51f2ab45"
EX0_DIGEST = "6658ea560262696dd1f13b782239a064da7c6c5cbaf52fded428a6fc83c7e5af"
PAYLOAD = b"The board firmware, version 2.1\n" * 8


def _description(sequence_number=None):
    desc = {
        "manifest-version": 1,
        "components": [{
            "install-id": ["00"],
            "vendor-domain": "arm.com",
            "class-name": "board-r2",
            "file": "app.bin",
            "uri": "https://updates.example.com/app-2.1.bin",
            "bootable": True,
        }],
    }
    if sequence_number is not None:
        desc["manifest-sequence-number"] = sequence_number
    return desc


def _shared_parameters(envelope):
    manifest = json.loads(envelope.to_json())["manifest"]
    first = manifest["common"]["shared-sequence"][0]
    assert first["command"] == "override-parameters"
    return manifest, first["argument"]


@pytest.fixture
def payload_dir(tmp_path):
    (tmp_path / "app.bin").write_bytes(PAYLOAD)
    return tmp_path


@pytest.fixture
def device_keyring(vectors):
    ring = suit.Keyring()
    ring.add_from_file(str(vectors / "keys" / "esdh-recipient-p256-kid-2.pub.pem"))
    return ring


# --- UUIDs -------------------------------------------------------------------


def test_vendor_and_class_ids():
    vendor = suit.Author.vendor_id_from_domain("arm.com")
    assert isinstance(vendor, bytes)
    assert vendor.hex() == ARM_VENDOR_HEX
    assert suit.Author.vendor_uuid_from_domain("arm.com") == ARM_VENDOR_UUID
    assert suit.uuid_to_string(vendor) == ARM_VENDOR_UUID
    # the TEEP vectors' vendor (vectors README)
    assert suit.Author.vendor_uuid_from_domain("teep.example") == "c0ddd5f1-5243-5660-87db-4f5b0aa26c2f"
    # python: uuid.uuid5(uuid.UUID(ARM_VENDOR_UUID), "suit-test-board")
    klass = suit.Author.class_id_from_name(vendor, "suit-test-board")
    assert klass.hex() == "cef1ec7f8256578781d4cd21030dc6a9"
    # the vendor id may be given as UUID text, in either case
    assert suit.Author.class_id_from_name(ARM_VENDOR_UUID, "suit-test-board") == klass
    assert suit.Author.class_id_from_name(ARM_VENDOR_UUID.upper(), "suit-test-board") == klass
    assert suit.Author.class_uuid_from_name(vendor, "suit-test-board") == "cef1ec7f-8256-5787-81d4-cd21030dc6a9"
    assert suit.uuid_to_string(ARM_VENDOR_UUID.upper()) == ARM_VENDOR_UUID


def test_uuid_inputs_are_checked():
    with pytest.raises(ValueError):
        suit.Author.class_id_from_name(b"\x00" * 15, "x")
    with pytest.raises(ValueError):
        suit.Author.class_id_from_name("not-a-uuid", "x")
    with pytest.raises(ValueError):
        suit.uuid_to_string(b"\x01" * 17)
    with pytest.raises(TypeError):
        suit.Author.vendor_id_from_domain(None)


# --- Author ------------------------------------------------------------------


def test_author_builds_a_verifiable_envelope(payload_dir, signing_key, draft_keyring):
    author = suit.Author()
    assert author.n_keys == 0
    assert repr(author) == "<suit.Author with 0 keys>"
    author.add_key(signing_key)
    assert author.n_keys == 1
    assert repr(author) == "<suit.Author with 1 key>"
    envelope = author.build_from_description_json(json.dumps(_description(7)), str(payload_dir))
    assert envelope.n_authentication_blocks == 1

    manifest, params = _shared_parameters(envelope)
    assert manifest["manifest-sequence-number"] == 7
    assert params["vendor-identifier"] == ARM_VENDOR_HEX
    assert params["class-identifier"] == suit.Author.class_id_from_name(ARM_VENDOR_UUID, "board-r2").hex()
    assert params["image-size"] == len(PAYLOAD)
    assert params["image-digest"]["digest-bytes"] == hashlib.sha256(PAYLOAD).hexdigest()
    assert manifest["install"][0]["argument"]["uri"] == "https://updates.example.com/app-2.1.bin"

    # the envelope verifies with a keyring holding the public key ...
    ring = suit.Keyring()
    ring.add(signing_key.public_key())
    parsed = suit.Envelope.parse(envelope.to_bytes())
    parsed.verify(ring)
    assert parsed.verified
    assert parsed.manifest_digest == envelope.manifest_digest
    # ... and with no other
    with pytest.raises(suit.SignatureError) as info:
        suit.Envelope.parse(envelope.to_bytes()).verify(draft_keyring)
    assert info.value.id == "signature-invalid"


def test_author_sequence_number_and_time(payload_dir, signing_key):
    author = suit.Author()
    author.add_key(signing_key)
    author.set_time(1700000000)
    envelope = author.build_from_description_json(json.dumps(_description()), str(payload_dir))
    assert _shared_parameters(envelope)[0]["manifest-sequence-number"] == 1700000000
    # the description's number wins over the clock ...
    envelope = author.build_from_description_json(json.dumps(_description(7)), str(payload_dir))
    assert _shared_parameters(envelope)[0]["manifest-sequence-number"] == 7
    # ... and the author's over both
    author.set_sequence_number(42)
    envelope = author.build_from_description_json(json.dumps(_description(7)), str(payload_dir))
    assert _shared_parameters(envelope)[0]["manifest-sequence-number"] == 42
    author.set_time(-1)


def test_author_description_file(payload_dir, signing_key):
    desc = payload_dir / "update.json"
    desc.write_text(json.dumps(_description(3)))
    author = suit.Author()
    author.add_key(signing_key, suit.COSE_ALGORITHM_ES256, b"author-1")
    envelope = author.build_from_description_file(str(desc))
    manifest, params = _shared_parameters(envelope)
    assert manifest["manifest-sequence-number"] == 3
    assert params["image-size"] == len(PAYLOAD)
    block = json.loads(envelope.to_json())["authentication"]["blocks"][0]
    assert block["algorithm-id"] == suit.COSE_ALGORITHM_ES256
    ring = suit.Keyring()
    ring.add(signing_key.public_key())
    suit.Envelope.parse(envelope.to_bytes()).verify(ring)

    with pytest.raises(suit.StateError) as info:
        author.build_from_description_file(str(payload_dir / "missing.json"))
    assert info.value.id == "not-found"


def test_author_description_errors(payload_dir, signing_key):
    author = suit.Author()
    author.add_key(signing_key)
    bad = _description(1)
    bad["components"][0]["colour"] = "blue"
    with pytest.raises(suit.ParseError) as info:
        author.build_from_description_json(json.dumps(bad), str(payload_dir))
    assert info.value.id == "invalid-data"
    assert "colour" in info.value.message
    # a relative file name without the right base directory
    with pytest.raises(suit.StateError) as info:
        author.build_from_description_json(json.dumps(_description(1)), str(payload_dir / "nowhere"))
    assert info.value.id == "not-found"
    # install-digest must match the file
    wrong = _description(1)
    wrong["components"][0]["install-digest"] = "00" * 32
    with pytest.raises(suit.DigestError) as info:
        author.build_from_description_json(json.dumps(wrong), str(payload_dir))
    assert info.value.id == "digest-mismatch"
    with pytest.raises(TypeError):
        author.build_from_description_json(None)


def test_author_add_key_errors(signing_key):
    author = suit.Author()
    with pytest.raises(suit.UsageError) as info:
        author.add_key(signing_key.public_key())
    assert info.value.id == "invalid-argument"
    with pytest.raises(suit.SignatureError) as info:
        author.add_key(signing_key, suit.COSE_ALGORITHM_EDDSA)
    assert info.value.id == "unsupported-algorithm"
    with pytest.raises(TypeError):
        author.add_key(None)
    assert author.n_keys == 0


def test_author_manifest_json_and_countersign(signing_key):
    text = _example("secure-boot-manifest.json")
    unsigned = suit.Author().build_from_manifest_json(text)
    assert unsigned.n_authentication_blocks == 0
    author = suit.Author()
    author.add_key(signing_key)
    envelope = author.build_from_manifest_json(text)
    assert envelope.n_authentication_blocks == 1
    manifest = json.loads(envelope.to_json())["manifest"]
    assert manifest["manifest-sequence-number"] == 7
    assert manifest["install"][0]["argument"]["uri"] == "https://firmware.example.com/app-v7.bin"

    # countersign with a second key: both verify
    second = suit.Key.generate(suit.KEY_TYPE_ED25519)
    other = suit.Author()
    other.add_key(second)
    other.sign_envelope(envelope)
    assert envelope.n_authentication_blocks == 2
    for key in (signing_key, second):
        ring = suit.Keyring()
        ring.add(key.public_key())
        suit.Envelope.parse(envelope.to_bytes()).verify(ring)
    with pytest.raises(TypeError):
        other.sign_envelope(None)

    with pytest.raises(suit.ParseError) as info:
        author.build_from_manifest_json("{}")
    assert info.value.id == "unsupported-version"
    with pytest.raises(suit.ParseError) as info:
        author.build_from_manifest_json("not json")
    assert info.value.id == "invalid-data"


def _example(name):
    root = os.environ.get("SUIT_SOURCE_ROOT", os.path.join(os.path.dirname(__file__), "..", "..", ".."))
    with open(os.path.join(root, "examples", name), encoding="utf-8") as f:
        return f.read()


# --- the shared report vector ------------------------------------------------


def _check_ex0_report(report):
    assert report.reference_uri == ""
    digest = report.reference_digest
    assert digest.algorithm == suit.DIGEST_ALGORITHM_SHA256
    assert digest.hex == EX0_DIGEST
    assert report.nonce is None
    assert report.records() == []
    claims = report.claims()
    assert len(claims) == 1
    assert claims[0].component_id.parts() == [b"\x00"]
    props = claims[0].properties
    # the first of the repeated keys 1 and 2 is kept
    assert props.keys() == [1, 2, 14]
    assert props.get_bytes(1).hex() == ARM_VENDOR_HEX
    assert props.get_bytes(2).hex() == DRAFT_CLASS_HEX
    assert props.get_uint(14) == 34768
    assert report.has_result
    assert report.success
    assert report.result_code == 0
    assert report.result_reason == suit.REPORT_REASON_OK
    assert report.result_record is None
    assert report.warnings() == ["duplicate key 1 in system property claims",
                                 "duplicate key 2 in system property claims"]


def test_report_vector_cose(vectors, device_keyring):
    cose = (vectors / "report" / "report-libcsuit-ex0-success.cose").read_bytes()
    report = suit.Report.from_cose(cose, device_keyring)
    _check_ex0_report(report)
    assert repr(report) == "<suit.Report manifest %s, success>" % EX0_DIGEST
    assert "duplicate key 1 in system property claims" in str(report)
    doc = json.loads(report.to_json())
    assert doc["reference"]["digest"]["digest-bytes"] == EX0_DIGEST
    assert doc["result"] == {"success": True}
    assert doc["records"][0]["properties"]["image-size"] == 34768
    assert report.to_json(suit.JSON_FLAG_PRETTY).count("\n") > 10


def test_report_vector_wrong_key(vectors, draft_keyring):
    cose = (vectors / "report" / "report-libcsuit-ex0-success.cose").read_bytes()
    with pytest.raises(suit.SignatureError) as info:
        suit.Report.from_cose(cose, draft_keyring)
    assert info.value.id == "signature-invalid"
    with pytest.raises(suit.SignatureError) as info:
        suit.Report.from_cose(cose, suit.Keyring())
    assert info.value.id == "signature-invalid"
    with pytest.raises(TypeError):
        suit.Report.from_cose(cose, None)


def test_report_vector_payload(vectors, device_keyring):
    payload = (vectors / "report" / "report-libcsuit-ex0-success.payload.cbor").read_bytes()
    report = suit.Report.parse(payload)
    _check_ex0_report(report)
    _check_ex0_report(suit.Report.parse(payload, suit.PARSE_FLAG_ALLOW_DUPLICATE_KEYS))
    # the attached payload of the COSE vector is this payload
    cose = (vectors / "report" / "report-libcsuit-ex0-success.cose").read_bytes()
    assert payload in cose
    # re-encoding keeps the first of the repeated keys, in deterministic order
    # (libcsuit wrote 99, 3, 4 with keys 1 and 2 twice)
    encoded = report.to_bytes()
    assert encoded != payload and len(encoded) < len(payload)
    assert encoded[:2] == b"\xa3\x03"
    again = suit.Report.parse(encoded)
    assert again.warnings() == []
    assert again.claims()[0].properties.keys() == [1, 2, 14]
    assert again.reference_digest == report.reference_digest
    assert bytes(again) == report.to_bytes()


def test_report_parse_errors(vectors):
    with pytest.raises(suit.ParseError) as info:
        suit.Report.parse(b"\xff\x00")
    assert info.value.id == "invalid-cbor"
    with pytest.raises(suit.ParseError) as info:
        suit.Report.parse(b"\xa1\x01")
    assert info.value.id == "invalid-cbor"
    # a signed report is not a bare one
    cose = (vectors / "report" / "report-libcsuit-ex0-success.cose").read_bytes()
    with pytest.raises(suit.ParseError) as info:
        suit.Report.parse(cose)
    assert info.value.id == "invalid-data"
    with pytest.raises(suit.ParseError) as info:
        suit.Report.from_cose(b"\x01\x02\x03", suit.Keyring())
    assert info.value.id in ("invalid-cbor", "invalid-data")
    with pytest.raises(TypeError):
        suit.Report.parse(None)


# --- building, signing, verifying --------------------------------------------


def _built_report():
    digest = suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA256, b"a manifest")
    report = suit.Report()
    assert not report.has_result
    assert report.reference_digest is None
    assert repr(report) == "<suit.Report manifest ?, no result>"
    report.set_reference("https://updates.example.com/app.suit", digest)
    report.nonce = b"\x01\x02\x03\x04"

    record = suit.ReportRecord(suit.SECTION_INSTALL, 12, 1)
    record.append_manifest_id(1)
    record.append_manifest_id(0)
    record.properties.add_uint(14, 4096)
    record.properties.add_text(21, "https://updates.example.com/app.bin")
    report.add_record(record)

    claims = suit.ReportProperties()
    claims.add_bytes(1, suit.Author.vendor_id_from_domain("arm.com"))
    claims.add_digest(3, suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA256, b"image"))
    claims.add_uint(14, 34768)
    claims.add_uint(0, 99)  # key 0 is the component id: left out
    report.add_system_property_claims(suit.ComponentId.from_parts([b"\x00", b"ab"]), claims)

    report.set_result_failure(suit.ERROR_CONDITION_FAILED, record, suit.REPORT_REASON_CONDITION_FAILED)
    return report, digest


def _check_built_report(report, digest):
    assert report.reference_uri == "https://updates.example.com/app.suit"
    assert report.reference_digest == digest
    assert report.nonce == b"\x01\x02\x03\x04"
    records = report.records()
    assert len(records) == 1
    rec = records[0]
    assert rec.manifest_id == [1, 0]
    assert rec.section == suit.SECTION_INSTALL
    assert rec.section_offset == 12
    assert rec.component_index == 1
    assert rec.properties.keys() == [14, 21]
    assert rec.properties.get_uint(14) == 4096
    assert rec.properties.get_text(21) == "https://updates.example.com/app.bin"
    claims = report.claims()
    assert len(claims) == 1
    assert str(claims[0].component_id) == str(suit.ComponentId.from_parts([b"\x00", b"ab"]))
    assert claims[0].component_id.parts() == [b"\x00", b"ab"]
    props = claims[0].properties
    assert sorted(props.keys()) == [1, 3, 14]
    assert 0 not in props
    assert props.get_bytes(1).hex() == ARM_VENDOR_HEX
    assert props.get_digest(3) == suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA256, b"image")
    assert props.get_uint(14) == 34768
    assert report.has_result
    assert not report.success
    assert report.result_code == suit.ERROR_CONDITION_FAILED
    assert report.result_reason == suit.REPORT_REASON_CONDITION_FAILED
    failing = report.result_record
    assert failing.section == suit.SECTION_INSTALL
    assert failing.section_offset == 12
    assert failing.manifest_id == [1, 0]
    assert report.warnings() == []


def test_report_sign_and_verify(signing_key):
    report, digest = _built_report()
    _check_built_report(report, digest)
    assert repr(report) == "<suit.Report manifest %s, failure condition-failed>" % digest.hex
    doc = json.loads(report.to_json())
    assert doc["result"]["reason"] == "condition-failed"
    assert doc["result"]["code"] == suit.ERROR_CONDITION_FAILED
    assert doc["nonce"] == "01020304"

    cose = report.sign(signing_key)
    assert cose[:1] == b"\xd2"  # COSE_Sign1 tag 18
    ring = suit.Keyring()
    ring.add(signing_key.public_key())
    parsed = suit.Report.from_cose(cose, ring)
    _check_built_report(parsed, digest)
    assert parsed.to_bytes() == report.to_bytes()
    assert report.to_bytes() in cose

    # a key id in the header; a keyring key with another kid refuses it
    cose_kid = report.sign(signing_key, suit.COSE_ALGORITHM_ES256, b"device-7")
    pub = signing_key.public_key()
    pub.key_id = b"device-7"
    ring_kid = suit.Keyring()
    ring_kid.add(pub)
    _check_built_report(suit.Report.from_cose(cose_kid, ring_kid), digest)
    pub_other = signing_key.public_key()
    pub_other.key_id = b"device-8"
    ring_other = suit.Keyring()
    ring_other.add(pub_other)
    with pytest.raises(suit.SignatureError) as info:
        suit.Report.from_cose(cose_kid, ring_other)
    assert info.value.id == "signature-invalid"


def test_report_tampered(signing_key):
    report, _ = _built_report()
    cose = bytearray(report.sign(signing_key))
    ring = suit.Keyring()
    ring.add(signing_key.public_key())
    # the last byte is in the signature, the URI's text in the payload
    for pos in (len(cose) - 1, bytes(cose).index(b"updates.example.com")):
        tampered = bytearray(cose)
        tampered[pos] ^= 0x01
        with pytest.raises(suit.SignatureError) as info:
            suit.Report.from_cose(bytes(tampered), ring)
        assert info.value.id == "signature-invalid"
    with pytest.raises(suit.SignatureError) as info:
        suit.Report.from_cose(bytes(cose), suit.Keyring())
    assert info.value.id == "signature-invalid"


def test_report_mac(vectors):
    report, digest = _built_report()
    secret = (vectors / "keys" / "hmac256-mac-key.bin").read_bytes()
    key = suit.Key.symmetric(secret)
    cose = report.sign(key)
    assert cose[:1] == b"\xd1"  # COSE_Mac0 tag 17
    ring = suit.Keyring()
    ring.add(key)
    _check_built_report(suit.Report.from_cose(cose, ring), digest)
    wrong = suit.Keyring()
    wrong.add(suit.Key.symmetric(b"b" * 32))
    with pytest.raises(suit.SignatureError) as info:
        suit.Report.from_cose(cose, wrong)
    assert info.value.id == "signature-invalid"


def test_report_success_and_incomplete(signing_key):
    report = suit.Report()
    with pytest.raises(suit.ParseError) as info:
        report.to_bytes()
    assert info.value.id == "invalid-data"
    with pytest.raises(suit.ParseError) as info:
        report.sign(signing_key)
    assert info.value.id == "invalid-data"
    report.set_reference(None, suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA256, b"m"))
    assert report.reference_uri == ""
    with pytest.raises(suit.ParseError):
        report.to_bytes()
    report.set_result_failure(7, None, suit.REPORT_REASON_OPERATION_FAILED)
    assert report.result_record is None
    assert report.result_code == 7
    report.set_result_success()
    assert report.has_result and report.success
    assert report.result_code == 0
    assert report.result_reason == suit.REPORT_REASON_OK
    report.nonce = b"n"
    report.nonce = None
    assert report.nonce is None
    parsed = suit.Report.parse(report.to_bytes())
    assert parsed.success and parsed.nonce is None and parsed.reference_uri == ""
    with pytest.raises(TypeError):
        report.sign(None)
    with pytest.raises(TypeError):
        report.set_reference("x", None)
    with pytest.raises(TypeError):
        report.add_record(None)
    with pytest.raises(TypeError):
        report.add_system_property_claims(suit.ComponentId(), None)


def test_report_records_are_live():
    report = suit.Report()
    record = suit.ReportRecord(suit.SECTION_VALIDATE, 3, 0)
    report.add_record(record)
    record.properties.add_bool(12, True)
    assert report.records()[0].properties.get_bool(12) is True
    # assigning replaces the properties
    props = suit.ReportProperties()
    props.add_int(27, -1)
    record.properties = props
    assert report.records()[0].properties.keys() == [27]
    assert report.records()[0].properties.get_int(27) == -1
    with pytest.raises(TypeError):
        record.properties = None
    assert repr(record) == "<suit.ReportRecord manifest-id [] section 7 offset 3 component 0, 1 properties>"


# --- properties ---------------------------------------------------------------


def test_properties():
    props = suit.ReportProperties()
    assert len(props) == 0
    assert props.size() == 0
    assert props.keys() == []
    props.add_uint(14, 2 ** 64 - 1)
    props.add_int(27, -5)
    props.add_bytes(1, b"\x00\xff")
    props.add_text(21, "h\u00e9llo")
    props.add_bool(12, False)
    props.add_digest(3, suit.Digest(suit.DIGEST_ALGORITHM_SHA256, b"\x11" * 32))
    props.add_cbor(28, bytes.fromhex("83010203"))
    assert props.keys() == [14, 27, 1, 21, 12, 3, 28]
    assert list(props) == [14, 27, 1, 21, 12, 3, 28]
    assert props.size() == 7 and len(props) == 7
    assert props.has(28) and 28 in props and not props.has(99) and 99 not in props
    assert repr(props) == "<suit.ReportProperties keys [14, 27, 1, 21, 12, 3, 28]>"

    assert props.get_uint(14) == 2 ** 64 - 1
    assert props.get_int(27) == -5
    assert props.get_uint(27) is None  # negative: not an unsigned integer
    assert props.get_bool(12) is False
    assert props.get_bytes(1) == b"\x00\xff"
    assert props.get_text(21) == "h\u00e9llo"
    assert props.get_digest(3).value == b"\x11" * 32
    assert props.get_cbor(28) == bytes.fromhex("83010203")
    assert props.get_cbor(14) == bytes.fromhex("1bffffffffffffffff")
    # absent (or of another type): None
    for getter in (props.get_uint, props.get_int, props.get_bool, props.get_bytes, props.get_text,
                   props.get_cbor):
        assert getter(99) is None
    assert props.get_bool(14) is None
    assert props.get_text(1) is None
    assert props.get_bytes(21) is None

    # a key set again keeps its place
    props.add_uint(27, 8)
    assert props.keys()[1] == 27 and props.get_int(27) == 8

    with pytest.raises(suit.StateError) as info:
        props.get_digest(99)
    assert info.value.id == "not-found"
    with pytest.raises(suit.ParseError) as info:
        props.get_digest(1)
    assert info.value.id in ("invalid-cbor", "invalid-data")
    with pytest.raises(suit.ParseError) as info:
        props.add_cbor(5, b"\x83\x01")
    assert info.value.id == "invalid-cbor"
    with pytest.raises(TypeError):
        props.add_bytes(1, None)
    with pytest.raises(TypeError):
        props.add_digest(3, None)
    with pytest.raises(TypeError):
        props.add_text(21, None)
    assert len(props) == 7


# --- reasons ------------------------------------------------------------------


def test_reasons():
    assert suit.report_reason_to_string(suit.REPORT_REASON_CONDITION_FAILED) == "condition-failed"
    assert suit.report_reason_to_string(suit.REPORT_REASON_UNAUTHORISED) == "unauthorised"
    assert suit.report_reason_to_string(1000) is None
    assert suit.report_reason_from_string("invoke-pending") == suit.REPORT_REASON_INVOKE_PENDING
    assert suit.report_reason_from_string("no-such-reason") == -1
    with pytest.raises(TypeError):
        suit.report_reason_from_string(None)
    assert suit.report_reason_from_error(None) == suit.REPORT_REASON_OK
    assert suit.report_reason_from_error(suit.error_for_id("rollback")) == suit.REPORT_REASON_CONDITION_FAILED
    assert suit.report_reason_from_error("signature-invalid") == suit.REPORT_REASON_UNAUTHORISED
    assert suit.report_reason_from_error("invalid-cbor") == suit.REPORT_REASON_CBOR_PARSE
    assert suit.report_reason_from_error(suit.error_for_id("fetch-failed")) == suit.REPORT_REASON_OPERATION_FAILED
    assert suit.report_reason_from_error(ValueError("x")) == suit.REPORT_REASON_OPERATION_FAILED


def test_reason_from_a_raised_error(vectors, draft_keyring):
    cose = (vectors / "report" / "report-libcsuit-ex0-success.cose").read_bytes()
    with pytest.raises(suit.Error) as info:
        suit.Report.from_cose(cose, draft_keyring)
    assert suit.report_reason_from_error(info.value) == suit.REPORT_REASON_UNAUTHORISED


def test_claims_repr(vectors, device_keyring):
    cose = (vectors / "report" / "report-libcsuit-ex0-success.cose").read_bytes()
    claims = suit.Report.from_cose(cose, device_keyring).claims()[0]
    assert repr(claims) == "<suit.ReportClaims %s keys [1, 2, 14]>" % claims.component_id
