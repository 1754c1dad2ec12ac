"""Manifests, command sequences, commands and parameters (bindings/parts/manifest.i)."""

import gc
import uuid

import pytest

import suit

VENDOR_ID = uuid.UUID("fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe").bytes
CLASS_ID = uuid.UUID("1492af14-2569-5e48-bf42-9b2d51f2ab45").bytes
DIGEST_A = bytes.fromhex("00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210")
DIGEST_B = bytes.fromhex("0123456789abcdeffedcba987654321000112233445566778899aabbccddeeff")

# the draft's examples (vectors README): file, sequence number, manifest digest
# (start, end), components, and the command names of each section present
EXAMPLES = {
    "ex0-secure-boot": (0, ("6658ea56", "83c7e5af"), [[b"\x00"]], {
        suit.SECTION_SHARED: ["override-parameters", "vendor-identifier", "class-identifier"],
        suit.SECTION_VALIDATE: ["image-match"],
        suit.SECTION_INVOKE: ["invoke"],
    }),
    "ex1-download-install": (1, ("1f2e7acc", "4daf2"), [[b"\x00"]], {
        suit.SECTION_SHARED: ["override-parameters", "vendor-identifier", "class-identifier"],
        suit.SECTION_VALIDATE: ["image-match"],
        suit.SECTION_INSTALL: ["override-parameters", "fetch", "image-match"],
    }),
    "ex2-severable-full": (2, ("6a5197ed", "609b90"), [[b"\x00"]], {
        suit.SECTION_SHARED: ["override-parameters", "vendor-identifier", "class-identifier"],
        suit.SECTION_VALIDATE: ["image-match"],
        suit.SECTION_INVOKE: ["invoke"],
        suit.SECTION_INSTALL: ["override-parameters", "fetch", "image-match"],
    }),
    "ex2-severed": (2, ("6a5197ed", "609b90"), [[b"\x00"]], {
        suit.SECTION_SHARED: ["override-parameters", "vendor-identifier", "class-identifier"],
        suit.SECTION_VALIDATE: ["image-match"],
        suit.SECTION_INVOKE: ["invoke"],
    }),
    "ex3-ab-images": (3, ("f6d44a62", "da2ee0"), [[b"\x00"]], {
        suit.SECTION_SHARED: ["override-parameters", "try-each", "vendor-identifier", "class-identifier"],
        suit.SECTION_VALIDATE: ["image-match"],
        suit.SECTION_INSTALL: ["try-each", "fetch", "image-match"],
    }),
    "ex4-load-external": (4, ("5b5f6586", "cdbdd6"), [[b"\x00"], [b"\x02"], [b"\x01"]], {
        suit.SECTION_SHARED: ["set-component-index", "override-parameters", "vendor-identifier",
                              "class-identifier"],
        suit.SECTION_VALIDATE: ["set-component-index", "image-match"],
        suit.SECTION_LOAD: ["set-component-index", "override-parameters", "copy", "image-match"],
        suit.SECTION_INVOKE: ["set-component-index", "invoke"],
        suit.SECTION_PAYLOAD_FETCH: ["set-component-index", "override-parameters", "fetch", "image-match"],
        suit.SECTION_INSTALL: ["set-component-index", "override-parameters", "copy", "image-match"],
    }),
    "ex5-two-images": (5, ("15ce60f7", "34f470"), [[b"\x00"], [b"\x01"]], {
        suit.SECTION_SHARED: ["set-component-index", "override-parameters", "vendor-identifier",
                              "class-identifier", "set-component-index", "override-parameters"],
        suit.SECTION_VALIDATE: ["set-component-index", "image-match", "set-component-index", "image-match"],
        suit.SECTION_INVOKE: ["set-component-index", "invoke"],
        suit.SECTION_INSTALL: ["set-component-index", "override-parameters", "fetch", "image-match"] * 2,
    }),
}

SECTIONS = [suit.SECTION_SHARED, suit.SECTION_VALIDATE, suit.SECTION_LOAD, suit.SECTION_INVOKE,
            suit.SECTION_DEPENDENCY_RESOLUTION, suit.SECTION_PAYLOAD_FETCH,
            suit.SECTION_CANDIDATE_VERIFICATION, suit.SECTION_INSTALL, suit.SECTION_UNINSTALL]
SECTION_NAMES = ["shared-sequence", "validate", "load", "invoke", "dependency-resolution", "payload-fetch",
                 "candidate-verification", "install", "uninstall"]


def envelope(vectors, name):
    return suit.Envelope.parse((vectors / "manifest" / (name + ".suit")).read_bytes())


def verified_manifest(vectors, keyring, name):
    env = envelope(vectors, name)
    env.verify(keyring)
    return env.manifest()


def bstr_wrapped(data):
    """the CBOR byte string of data (the manifest digest covers its header)"""
    n = len(data)
    if n < 24:
        head = bytes([0x40 | n])
    elif n < 0x100:
        head = bytes([0x58, n])
    else:
        head = bytes([0x59]) + n.to_bytes(2, "big")
    return head + data


def walk(seq, visit, depth=0):
    """calls visit(command, depth) for every command, nested ones too"""
    for cmd in seq:
        visit(cmd, depth)
        for nested in cmd.sequences:
            walk(nested, visit, depth + 1)
        if cmd.sequence is not None:
            walk(cmd.sequence, visit, depth + 1)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_examples(vectors, draft_keyring, name):
    seq_nr, (start, end), components, sections = EXAMPLES[name]
    env = envelope(vectors, name)
    env.verify(draft_keyring)
    m = env.manifest()
    assert isinstance(m, suit.Manifest)
    assert m.version == 1
    assert m.sequence_number == seq_nr
    assert [c.parts() for c in m.components] == components
    assert all(isinstance(c, suit.ComponentId) for c in m.components)
    assert m.dependency_indices == []
    assert m.dependency_prefix(0) is None
    assert m.manifest_component_id is None
    assert m.unknown_elements == []
    assert m.reference_uri == ("https://git.io/JJYoj" if name.startswith("ex2") else None)

    # to_bytes() is the envelope's manifest, and its digest is the envelope's
    data = m.to_bytes()
    assert data == env.manifest_bytes
    assert bytes(m) == data
    digest = suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA256, bstr_wrapped(data))
    assert digest.hex.startswith(start) and digest.hex.endswith(end)
    assert digest == env.manifest_digest

    # a bare manifest parses to the same thing
    bare = suit.Manifest.parse(data)
    assert bare.to_bytes() == data
    assert bare.sequence_number == seq_nr
    assert suit.Manifest.parse(data, suit.PARSE_FLAG_ALLOW_DUPLICATE_KEYS).to_bytes() == data

    text = str(m)
    assert "manifest-sequence-number: %d" % seq_nr in text
    assert repr(m) == "<suit.Manifest sequence number %d, %d components>" % (seq_nr, len(components))

    # every section: present exactly when expected, with these commands
    for section in SECTIONS:
        seq = m.sequence(section)
        if section not in sections:
            assert seq is None, suit.section_to_string(section)
            continue
        assert isinstance(seq, suit.CommandSequence)
        assert [c.name for c in seq] == sections[section]
        assert "%s:" % suit.section_to_string(section) in text


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_walk_every_command(vectors, name):
    m = envelope(vectors, name).peek_manifest()
    seen = []

    def visit(cmd, depth):
        seen.append(cmd.name)
        assert isinstance(cmd, suit.Command)
        assert cmd.name is not None
        assert suit.command_code_to_string(cmd.code) == cmd.name
        assert suit.command_code_from_string(cmd.name) == cmd.code
        assert repr(cmd) == "<suit.Command %s (%d) at %d>" % (cmd.name, cmd.code, cmd.offset)
        arg = cmd.argument_cbor
        assert isinstance(arg, bytes) and len(arg) > 0
        if cmd.name in ("vendor-identifier", "class-identifier", "image-match", "component-slot"):
            assert cmd.kind == suit.COMMAND_KIND_CONDITION
        else:
            assert cmd.kind == suit.COMMAND_KIND_DIRECTIVE
        if cmd.argument_type == suit.ARGUMENT_TYPE_REPORTING_POLICY:
            # a small unsigned integer, encoded in its single byte
            assert arg == bytes([cmd.reporting_policy])
            assert cmd.parameters is None and cmd.component_indices == [] and cmd.sequences == []
        elif cmd.argument_type == suit.ARGUMENT_TYPE_PARAMETERS:
            assert cmd.name == "override-parameters"
            assert cmd.reporting_policy == 0
            params = cmd.parameters
            assert isinstance(params, suit.Parameters) and len(params) > 0
            # the argument is the map of the parameters' encodings
            assert arg[0] == 0xa0 | len(params)
            for key in params:
                assert params.get_cbor(key) in arg
        elif cmd.argument_type == suit.ARGUMENT_TYPE_COMPONENT_INDEX:
            assert cmd.name == "set-component-index"
            assert cmd.component_indices == [arg[0]]
            assert cmd.component_indices[0] < len(m.components)
            assert cmd.parameters is None
        elif cmd.argument_type == suit.ARGUMENT_TYPE_SEQUENCES:
            assert cmd.name == "try-each"
            assert len(cmd.sequences) == 2
            assert cmd.has_empty_fallback is False
        else:
            pytest.fail("unexpected argument type %d of %s" % (cmd.argument_type, cmd.name))
        assert cmd.sequence is None

    for section in SECTIONS:
        seq = m.sequence(section)
        if seq is None:
            continue
        # offsets grow, and the encoding parses to the same commands
        offsets = [c.offset for c in seq]
        assert offsets == sorted(offsets) and offsets[0] == 1
        again = suit.CommandSequence.from_cbor(seq.to_cbor())
        assert again.to_cbor() == seq.to_cbor()
        assert [(c.code, c.offset, c.argument_cbor) for c in again] == [(c.code, c.offset, c.argument_cbor) for c in seq]
        walk(seq, visit)
    assert "override-parameters" in seen


def test_parameters_ex0(vectors, draft_keyring):
    m = verified_manifest(vectors, draft_keyring, "ex0-secure-boot")
    seq = m.sequence(suit.SECTION_SHARED)
    op = seq[0]
    assert op.code == 20 and op.argument_type == suit.ARGUMENT_TYPE_PARAMETERS
    params = op.parameters
    assert params.size() == 4 and len(params) == 4
    assert params.keys() == [1, 2, 3, 14]
    assert list(params) == [1, 2, 3, 14]
    assert [params.key(i) for i in range(4)] == [1, 2, 3, 14]
    assert params.key(4) == 0
    assert [suit.parameter_to_string(k) for k in params.keys()] == [
        "vendor-identifier", "class-identifier", "image-digest", "image-size"]
    assert params.has(1) and 14 in params
    assert not params.has(21) and 21 not in params and "uri" not in params
    assert params.get_bytes(1) == VENDOR_ID
    assert params.get_bytes(2) == CLASS_ID
    assert params.get_cbor(1) == b"\x50" + VENDOR_ID
    assert params.get_uint(14) == 34768
    assert params.get_int(14) == 34768
    assert params.get_bool(14) is None
    assert params.get_uint(1) is None and params.get_int(1) is None
    assert params.get_uint(21) is None
    assert params.get_bytes(14) is None and params.get_bytes(21) is None
    assert params.get_cbor(14) == b"\x19\x87\xd0"
    assert params.get_cbor(21) is None
    assert params.text(1) is None and params.text(21) is None
    digest = params.digest(3)
    assert isinstance(digest, suit.Digest)
    assert digest.algorithm == suit.DIGEST_ALGORITHM_SHA256 and digest.value == DIGEST_A
    # the byte string of image-digest is the encoded SUIT_Digest
    assert params.get_bytes(3) == digest.to_cbor()
    with pytest.raises(suit.StateError) as err:
        params.digest(21)
    assert err.value.id == "not-found"
    with pytest.raises(suit.ParseError) as err:
        params.digest(14)
    assert err.value.id == "invalid-data"
    assert repr(params) == "<suit.Parameters {vendor-identifier, class-identifier, image-digest, image-size}>"

    # the conditions use the parameters, with reporting policy 15
    assert [(c.name, c.reporting_policy) for c in seq[1:]] == [("vendor-identifier", 15), ("class-identifier", 15)]
    inv = m.sequence(suit.SECTION_INVOKE)[0]
    assert (inv.name, inv.code, inv.reporting_policy) == ("invoke", 23, 2)


def test_parameters_ex1_uri(vectors, draft_keyring):
    m = verified_manifest(vectors, draft_keyring, "ex1-download-install")
    install = m.sequence(suit.SECTION_INSTALL)
    assert len(install) == 3
    params = install[0].parameters
    assert params.keys() == [21]
    assert params.text(21) == "http://example.com/file.bin"
    assert params.get_bytes(21) is None
    assert params.get_cbor(21) == b"\x78\x1b" + b"http://example.com/file.bin"
    with pytest.raises(suit.ParseError) as err:
        params.digest(21)
    assert err.value.id == "invalid-data"
    fetch = install[1]
    assert (fetch.name, fetch.kind, fetch.reporting_policy) == ("fetch", suit.COMMAND_KIND_DIRECTIVE, 2)
    assert fetch.parameters is None


def test_try_each_ex3(vectors):
    m = envelope(vectors, "ex3-ab-images").peek_manifest()
    shared = m.sequence(suit.SECTION_SHARED)
    try_each = shared[1]
    assert try_each.name == "try-each" and try_each.argument_type == suit.ARGUMENT_TYPE_SEQUENCES
    assert try_each.has_empty_fallback is False
    slots = []
    for slot, seq in enumerate(try_each.sequences):
        assert [c.name for c in seq] == ["override-parameters", "component-slot", "override-parameters"]
        assert seq[0].parameters.get_uint(5) == slot
        assert seq[1].kind == suit.COMMAND_KIND_CONDITION and seq[1].reporting_policy == 5
        slots.append((seq[2].parameters.digest(3).value, seq[2].parameters.get_uint(14)))
    assert slots == [(DIGEST_A, 34768), (DIGEST_B, 76834)]
    uris = [seq[2].parameters.text(21) for seq in m.sequence(suit.SECTION_INSTALL)[0].sequences]
    assert uris == ["http://example.com/file1.bin", "http://example.com/file2.bin"]


def test_components_ex4(vectors):
    m = envelope(vectors, "ex4-load-external").peek_manifest()
    assert [str(c) for c in m.components] == ["[h'00']", "[h'02']", "[h'01']"]
    indices = {section: m.sequence(section)[0].component_indices
               for section in (suit.SECTION_SHARED, suit.SECTION_PAYLOAD_FETCH, suit.SECTION_INSTALL,
                               suit.SECTION_LOAD, suit.SECTION_INVOKE)}
    assert indices == {suit.SECTION_SHARED: [0], suit.SECTION_PAYLOAD_FETCH: [1], suit.SECTION_INSTALL: [0],
                       suit.SECTION_LOAD: [2], suit.SECTION_INVOKE: [2]}
    # install copies component 1 into 0; load copies 0 into 2 with digest B
    assert m.sequence(suit.SECTION_INSTALL)[1].parameters.get_uint(22) == 1
    load = m.sequence(suit.SECTION_LOAD)[1].parameters
    assert load.get_uint(22) == 0 and load.digest(3).value == DIGEST_B
    assert m.sequence(suit.SECTION_PAYLOAD_FETCH)[1].parameters.text(21) == "http://example.com/file.bin"
    assert m.member_state(16) == suit.MEMBER_STATE_INLINE


def test_two_images_ex5(vectors):
    m = envelope(vectors, "ex5-two-images").peek_manifest()
    install = m.sequence(suit.SECTION_INSTALL)
    assert len(install) == 8
    assert [(c.component_indices, c.offset) for c in install if c.name == "set-component-index"] == [([0], 1), ([1], 40)]
    assert [c.parameters.text(21) for c in install if c.parameters is not None] == [
        "http://example.com/file1.bin", "http://example.com/file2.bin"]
    shared = m.sequence(suit.SECTION_SHARED)
    assert shared[5].parameters.digest(3).value == DIGEST_B
    assert shared[5].parameters.get_uint(14) == 76834


def test_severable_members(vectors, draft_keyring):
    install_hex = "cfa90c5c58595e7f5119a72f803fd0370b3e6abbec6315cd38f63135281bc498"
    text_hex = "302196d452bce5e8bfeaf71e395645ede6d365e63507a081379721eeecf00007"

    full = verified_manifest(vectors, draft_keyring, "ex2-severable-full")
    assert full.member_state(20) == suit.MEMBER_STATE_ATTACHED
    assert full.member_state(23) == suit.MEMBER_STATE_ATTACHED
    assert full.member_digest(20).hex == install_hex
    assert full.member_digest(23).hex == text_hex
    assert full.member_state(7) == suit.MEMBER_STATE_INLINE and full.member_digest(7) is None
    assert full.member_state(16) == suit.MEMBER_STATE_ABSENT and full.member_digest(16) is None
    install = full.sequence(suit.SECTION_INSTALL)
    assert install[0].parameters.text(21) == "http://example.com/very/long/path/to/file/file.bin"

    # text: by language (None is the first one) and by component
    description = full.text(1)
    assert description.startswith("## Example 2: Simultaneous Download, Installation, Secure Boot, Severed Fields")
    assert full.text(1, "en-US") == description
    assert full.text(1, language="en-US") == description
    assert full.text(1, "fr") is None
    assert full.text(2) is None
    component = full.components[0]
    assert full.text(3, "en-US", component) == "arm.com"
    assert full.text(key=3, component=component) == "arm.com"
    assert full.text(3, component=suit.ComponentId.from_parts([b"\x01"])) is None
    assert full.text(3) is None

    severed = verified_manifest(vectors, draft_keyring, "ex2-severed")
    assert severed.member_state(20) == suit.MEMBER_STATE_SEVERED
    assert severed.member_state(23) == suit.MEMBER_STATE_SEVERED
    assert severed.member_digest(20).hex == install_hex
    assert severed.member_digest(23).hex == text_hex
    assert severed.sequence(suit.SECTION_INSTALL) is None
    assert severed.text(1) is None
    assert severed.text(3, "en-US", component) is None
    assert severed.to_bytes() == full.to_bytes()

    # a bare manifest has no envelope to attach from
    bare = suit.Manifest.parse(full.to_bytes())
    assert bare.member_state(23) == suit.MEMBER_STATE_SEVERED
    assert bare.text(1) is None

    # ex1's install is inline: no digest
    ex1 = envelope(vectors, "ex1-download-install").peek_manifest()
    assert ex1.member_state(20) == suit.MEMBER_STATE_INLINE and ex1.member_digest(20) is None
    ex0 = envelope(vectors, "ex0-secure-boot").peek_manifest()
    assert ex0.member_state(20) == suit.MEMBER_STATE_ABSENT and ex0.member_digest(23) is None


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_json_round_trip(vectors, name):
    m = envelope(vectors, name).peek_manifest()
    compact = m.to_json()
    assert "\n" not in compact
    assert '"manifest-sequence-number":%d' % EXAMPLES[name][0] in compact.replace(" ", "")
    assert suit.Manifest.from_json(compact).to_bytes() == m.to_bytes()
    pretty = m.to_json(suit.JSON_FLAG_PRETTY)
    assert "\n" in pretty
    again = suit.Manifest.from_json(pretty)
    assert again.to_bytes() == m.to_bytes()
    assert again.to_json() == compact


def test_dependencies(vectors):
    data = (vectors / "encryption" / "esdh-gcm-dependency.suit").read_bytes()
    m = suit.Envelope.parse(data).peek_manifest()
    assert m.manifest_component_id.parts() == [b"dependent-manifest.suit"]
    assert m.dependency_indices == [1]
    assert m.dependency_prefix(1).parts() == [b"dependency-manifest.suit"]
    assert m.dependency_prefix(0) is None
    assert m.dependency_prefix(2) is None
    assert len(m.components) == 1


def test_unknown_elements(vectors):
    data = (vectors / "external" / "nordic-two-signatures-legacy-install17.suit").read_bytes()
    m = suit.Envelope.parse(data).peek_manifest()
    unknown = m.unknown_elements
    assert len(unknown) == 1
    # the encoding of {17: bstr(install sequence)}
    assert unknown[0][:2] == b"\xa1\x11"
    assert b"#file.bin" in unknown[0]
    # kept for re-encoding, never run
    assert m.sequence(suit.SECTION_INSTALL) is None
    assert m.member_state(17) == suit.MEMBER_STATE_INLINE and m.member_digest(17) is None
    assert suit.Manifest.from_json(m.to_json()).unknown_elements == unknown


def test_malformed():
    cases = [
        (b"\xff", suit.ParseError, "invalid-cbor"),
        (b"", suit.ParseError, "invalid-cbor"),
        (b"\xa1\x01", suit.ParseError, "invalid-cbor"),
        (b"\x80", suit.ParseError, "invalid-data"),
        (b"\xa0", suit.ParseError, "unsupported-version"),
    ]
    for data, cls, id in cases:
        with pytest.raises(cls) as err:
            suit.Manifest.parse(data)
        assert err.value.id == id, data
        assert err.value.code == suit.error_from_id(id)
    with pytest.raises(suit.UsageError) as err:
        suit.Manifest.parse(None)
    assert err.value.id == "invalid-argument"
    with pytest.raises(TypeError):
        suit.Manifest.parse("not bytes")

    with pytest.raises(suit.ParseError) as err:
        suit.Manifest.from_json("not json")
    assert err.value.id == "invalid-data"
    with pytest.raises(suit.ParseError) as err:
        suit.Manifest.from_json("{}")
    assert err.value.id == "unsupported-version"
    with pytest.raises(suit.UsageError) as err:
        suit.Manifest.from_json(None)
    assert err.value.id == "invalid-argument"

    with pytest.raises(suit.ParseError) as err:
        suit.CommandSequence.from_cbor(b"\xff")
    assert err.value.id == "invalid-cbor"
    with pytest.raises(suit.ParseError) as err:
        suit.CommandSequence.from_cbor(b"\x81\x01")
    assert err.value.id == "invalid-data"
    with pytest.raises(suit.ParseError) as err:
        suit.CommandSequence.from_cbor(b"\xa0")
    assert err.value.id == "invalid-data"
    with pytest.raises(suit.UsageError) as err:
        suit.CommandSequence.from_cbor(None)
    assert err.value.id == "invalid-argument"


def test_command_sequence_protocol(vectors):
    seq = envelope(vectors, "ex5-two-images").peek_manifest().sequence(suit.SECTION_VALIDATE)
    assert len(seq) == seq.length() == 4
    assert [c.name for c in seq.commands()] == ["set-component-index", "image-match"] * 2
    assert seq[-1].offset == seq.command(3).offset == 7
    assert seq[0].offset == seq.command(0).offset == 1
    assert [c.offset for c in seq[1:3]] == [3, 5]
    assert seq.command(4) is None
    with pytest.raises(IndexError):
        seq[4]
    with pytest.raises(IndexError):
        seq[-5]
    with pytest.raises(TypeError):
        seq["x"]
    assert repr(seq) == "<suit.CommandSequence [set-component-index, image-match, set-component-index, image-match]>"

    empty = suit.CommandSequence.from_cbor(b"\x80")
    assert len(empty) == 0 and list(empty) == [] and empty.commands() == []
    assert empty.to_cbor() == b"\x80"


def test_hand_built_commands():
    # try-each [bstr([vendor-identifier, 15]), nil]
    seq = suit.CommandSequence.from_cbor(bytes.fromhex("820f824382010ff6"))
    cmd = seq[0]
    assert cmd.argument_type == suit.ARGUMENT_TYPE_SEQUENCES
    assert cmd.has_empty_fallback is True
    assert [[c.name for c in s] for s in cmd.sequences] == [["vendor-identifier"]]
    assert cmd.argument_cbor == bytes.fromhex("824382010ff6")

    # run-sequence bstr([vendor-identifier, 15])
    cmd = suit.CommandSequence.from_cbor(bytes.fromhex("8218204382010f"))[0]
    assert (cmd.name, cmd.code, cmd.argument_type) == ("run-sequence", 32, suit.ARGUMENT_TYPE_SEQUENCE)
    assert [c.name for c in cmd.sequence] == ["vendor-identifier"]
    assert cmd.sequences == [] and cmd.has_empty_fallback is False

    # set-component-index true, and [0, 1]
    cmd = suit.CommandSequence.from_cbor(bytes.fromhex("820cf5"))[0]
    assert cmd.component_indices == [suit.COMMAND_INDEX_ALL]
    assert suit.COMMAND_INDEX_ALL == 0xFFFFFFFF
    cmd = suit.CommandSequence.from_cbor(bytes.fromhex("820c820001"))[0]
    assert cmd.component_indices == [0, 1]

    # a custom command (-257) and an unknown one (99): only their encoding
    cmd = suit.CommandSequence.from_cbor(bytes.fromhex("8239010043010203"))[0]
    assert (cmd.code, cmd.name, cmd.kind, cmd.argument_type) == (
        -257, None, suit.COMMAND_KIND_CUSTOM, suit.ARGUMENT_TYPE_OTHER)
    assert cmd.argument_cbor == bytes.fromhex("43010203")
    assert repr(cmd) == "<suit.Command ? (-257) at 1>"
    cmd = suit.CommandSequence.from_cbor(bytes.fromhex("82186300"))[0]
    assert (cmd.code, cmd.kind) == (99, suit.COMMAND_KIND_UNKNOWN)

    # override-parameters {soft-failure: true, update-priority: -1, uri: "abc"}
    params = suit.CommandSequence.from_cbor(bytes.fromhex("8214a30df5181b201563616263"))[0].parameters
    assert params.keys() == [13, 27, 21]
    assert params.get_bool(13) is True and params.get_bool(27) is None
    assert params.get_int(27) == -1 and params.get_uint(27) is None
    assert params.get_int(13) is None
    assert params.text(21) == "abc" and params.text(13) is None
    assert params.get_cbor(27) == b"\x20"
    assert repr(params) == "<suit.Parameters {soft-failure, update-priority, uri}>"


def test_names():
    assert [suit.section_to_string(s) for s in SECTIONS] == SECTION_NAMES
    assert suit.section_to_string(suit.SECTION_NONE) is None
    assert suit.section_to_string(12345) is None
    assert suit.SECTION_INSTALL == 20 and suit.SECTION_SHARED == -4

    assert suit.parameter_to_string(21) == "uri"
    assert suit.parameter_to_string(3) == "image-digest"
    assert suit.parameter_to_string(9999) is None
    assert suit.parameter_from_string("image-size") == 14
    assert suit.parameter_from_string("no-such-parameter") == 0
    assert suit.parameter_from_string(None) == 0

    assert suit.command_code_to_string(21) == "fetch"
    assert suit.command_code_to_string(-257) is None
    assert suit.command_code_from_string("override-parameters") == 20
    assert suit.command_code_from_string("no-such-command") == 0
    assert suit.command_code_from_string(None) == 0


def test_references_outlive_the_manifest(vectors):
    m = envelope(vectors, "ex3-ab-images").peek_manifest()
    seq = m.sequence(suit.SECTION_SHARED)
    nested = seq[1].sequences[1]
    params = nested[2].parameters
    cid = m.components[0]
    del m, seq
    gc.collect()
    assert params.digest(3).value == DIGEST_B
    assert nested[0].parameters.get_uint(5) == 1
    assert cid.parts() == [b"\x00"]


def test_envelope_for_parsed_manifest(vectors, signing_key):
    # a Manifest built from JSON goes back into an envelope
    m = suit.Manifest.from_json(envelope(vectors, "ex1-download-install").peek_manifest().to_json())
    env = suit.Envelope.for_manifest(m)
    env.sign(signing_key)
    ring = suit.Keyring()
    ring.add(signing_key.public_key())
    env2 = suit.Envelope.parse(env.to_bytes())
    env2.verify(ring)
    assert env2.manifest().to_bytes() == m.to_bytes()
