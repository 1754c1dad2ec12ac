-- Manifests, command sequences, commands and parameters (bindings/parts/manifest.i)

local T = require "testlib"
local suit = require "suit"

local unhex = T.unhex

local tohex = T.hex

local VENDOR_ID = unhex("fa6b4a53d5ad5fdfbe9de663e4d41ffe")
local CLASS_ID = unhex("1492af1425695e48bf429b2d51f2ab45")
local DIGEST_A = unhex("00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210")
local DIGEST_B = unhex("0123456789abcdeffedcba987654321000112233445566778899aabbccddeeff")

local SECTIONS = {
	suit.SECTION_SHARED, suit.SECTION_VALIDATE, suit.SECTION_LOAD, suit.SECTION_INVOKE,
	suit.SECTION_DEPENDENCY_RESOLUTION, suit.SECTION_PAYLOAD_FETCH,
	suit.SECTION_CANDIDATE_VERIFICATION, suit.SECTION_INSTALL, suit.SECTION_UNINSTALL,
}
local SECTION_NAMES = {
	"shared-sequence", "validate", "load", "invoke", "dependency-resolution", "payload-fetch",
	"candidate-verification", "install", "uninstall",
}

local SHARED = "override-parameters,vendor-identifier,class-identifier"
-- the draft's examples (vectors README): sequence number, manifest digest
-- (start, end), components, the command names of each section present
local EXAMPLES = {
	["ex0-secure-boot"] = { 0, "6658ea56", "83c7e5af", "[h'00']", {
		[suit.SECTION_SHARED] = SHARED,
		[suit.SECTION_VALIDATE] = "image-match",
		[suit.SECTION_INVOKE] = "invoke",
	} },
	["ex1-download-install"] = { 1, "1f2e7acc", "4daf2", "[h'00']", {
		[suit.SECTION_SHARED] = SHARED,
		[suit.SECTION_VALIDATE] = "image-match",
		[suit.SECTION_INSTALL] = "override-parameters,fetch,image-match",
	} },
	["ex2-severable-full"] = { 2, "6a5197ed", "609b90", "[h'00']", {
		[suit.SECTION_SHARED] = SHARED,
		[suit.SECTION_VALIDATE] = "image-match",
		[suit.SECTION_INVOKE] = "invoke",
		[suit.SECTION_INSTALL] = "override-parameters,fetch,image-match",
	} },
	["ex2-severed"] = { 2, "6a5197ed", "609b90", "[h'00']", {
		[suit.SECTION_SHARED] = SHARED,
		[suit.SECTION_VALIDATE] = "image-match",
		[suit.SECTION_INVOKE] = "invoke",
	} },
	["ex3-ab-images"] = { 3, "f6d44a62", "da2ee0", "[h'00']", {
		[suit.SECTION_SHARED] = "override-parameters,try-each,vendor-identifier,class-identifier",
		[suit.SECTION_VALIDATE] = "image-match",
		[suit.SECTION_INSTALL] = "try-each,fetch,image-match",
	} },
	["ex4-load-external"] = { 4, "5b5f6586", "cdbdd6", "[h'00'] [h'02'] [h'01']", {
		[suit.SECTION_SHARED] = "set-component-index," .. SHARED,
		[suit.SECTION_VALIDATE] = "set-component-index,image-match",
		[suit.SECTION_LOAD] = "set-component-index,override-parameters,copy,image-match",
		[suit.SECTION_INVOKE] = "set-component-index,invoke",
		[suit.SECTION_PAYLOAD_FETCH] = "set-component-index,override-parameters,fetch,image-match",
		[suit.SECTION_INSTALL] = "set-component-index,override-parameters,copy,image-match",
	} },
	["ex5-two-images"] = { 5, "15ce60f7", "34f470", "[h'00'] [h'01']", {
		[suit.SECTION_SHARED] = "set-component-index," .. SHARED .. ",set-component-index,override-parameters",
		[suit.SECTION_VALIDATE] = "set-component-index,image-match,set-component-index,image-match",
		[suit.SECTION_INVOKE] = "set-component-index,invoke",
		[suit.SECTION_INSTALL] = "set-component-index,override-parameters,fetch,image-match,"
			.. "set-component-index,override-parameters,fetch,image-match",
	} },
}

local function envelope(name)
	return suit.Envelope.parse(T.vector("manifest/" .. name .. ".suit"))
end

local function keyring()
	return T.keyring("suit-draft-p256.pub.pem")
end

local function verified_manifest(name)
	local env = envelope(name)
	env:verify(keyring())
	return env:manifest()
end

-- the CBOR byte string of data (the manifest digest covers its header)
local function bstr_wrapped(data)
	local n = #data
	if n < 24 then
		return string.char(0x40 + n) .. data
	elseif n < 0x100 then
		return string.char(0x58, n) .. data
	end
	return string.char(0x59, n >> 8, n & 0xff) .. data
end

local function names(seq)
	local out = {}
	for i, cmd in ipairs(seq:commands()) do
		out[i] = cmd.name
	end
	return table.concat(out, ",")
end

local function components(m)
	local out = {}
	for i, c in ipairs(m.components) do
		out[i] = tostring(c)
	end
	return table.concat(out, " ")
end

-- calls visit(command) for every command, nested ones too
local function walk(seq, visit)
	for _, cmd in ipairs(seq:commands()) do
		visit(cmd)
		for _, nested in ipairs(cmd.sequences) do
			walk(nested, visit)
		end
		if cmd.sequence ~= nil then
			walk(cmd.sequence, visit)
		end
	end
end

local ordered = {}
for name in pairs(EXAMPLES) do
	ordered[#ordered + 1] = name
end
table.sort(ordered)

for _, name in ipairs(ordered) do
	local seq_nr, start, tail, comps, sections = table.unpack(EXAMPLES[name])

	T.test(name .. ": verified manifest", function()
		local env = envelope(name)
		env:verify(keyring())
		local m = env:manifest()
		T.eq(m.version, 1)
		T.eq(math.type(m.sequence_number), "integer")
		T.eq(m.sequence_number, seq_nr)
		T.eq(components(m), comps)
		T.eq(#m.dependency_indices, 0)
		T.eq(m:dependency_prefix(0), nil)
		T.eq(m.manifest_component_id, nil)
		T.eq(#m.unknown_elements, 0)
		T.eq(m.reference_uri, name:sub(1, 3) == "ex2" and "https://git.io/JJYoj" or nil)

		local data = m:to_bytes()
		T.eq(data, env.manifest_bytes)
		local digest = suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA256, bstr_wrapped(data))
		T.eq(digest.hex:sub(1, #start), start)
		T.eq(digest.hex:sub(-#tail), tail)
		T.ok(digest:equals(env.manifest_digest))

		local bare = suit.Manifest.parse(data)
		T.eq(bare:to_bytes(), data)
		T.eq(bare.sequence_number, seq_nr)
		T.eq(suit.Manifest.parse(data, suit.PARSE_FLAG_ALLOW_DUPLICATE_KEYS):to_bytes(), data)

		local text = tostring(m)
		T.ok(text:find("manifest-sequence-number: " .. seq_nr, 1, true), text)
		for i, section in ipairs(SECTIONS) do
			local seq = m:sequence(section)
			if sections[section] == nil then
				T.eq(seq, nil, SECTION_NAMES[i])
			else
				T.eq(names(seq), sections[section], SECTION_NAMES[i])
				T.eq(#seq, seq:length())
				T.ok(text:find(suit.section_to_string(section) .. ":", 1, true))
			end
		end
	end)

	T.test(name .. ": every command", function()
		local m = envelope(name):peek_manifest()
		local count = 0
		local function visit(cmd)
			count = count + 1
			T.ok(cmd.name ~= nil)
			T.eq(suit.command_code_to_string(cmd.code), cmd.name)
			T.eq(suit.command_code_from_string(cmd.name), cmd.code)
			local arg = cmd.argument_cbor
			T.ok(#arg > 0)
			T.eq(cmd.sequence, nil)
			if cmd.name == "vendor-identifier" or cmd.name == "class-identifier"
				or cmd.name == "image-match" or cmd.name == "component-slot" then
				T.eq(cmd.kind, suit.COMMAND_KIND_CONDITION)
			else
				T.eq(cmd.kind, suit.COMMAND_KIND_DIRECTIVE)
			end
			local at = cmd.argument_type
			if at == suit.ARGUMENT_TYPE_REPORTING_POLICY then
				T.eq(arg, string.char(cmd.reporting_policy))
				T.eq(cmd.parameters, nil)
				T.eq(#cmd.component_indices, 0)
				T.eq(#cmd.sequences, 0)
			elseif at == suit.ARGUMENT_TYPE_PARAMETERS then
				T.eq(cmd.name, "override-parameters")
				T.eq(cmd.reporting_policy, 0)
				local params = cmd.parameters
				T.eq(#params, params:size())
				T.eq(arg:byte(1), 0xa0 + #params)
				for _, key in ipairs(params:keys()) do
					T.ok(arg:find(params:get_cbor(key), 1, true))
				end
			elseif at == suit.ARGUMENT_TYPE_COMPONENT_INDEX then
				T.eq(cmd.name, "set-component-index")
				T.eq(#cmd.component_indices, 1)
				T.eq(cmd.component_indices[1], arg:byte(1))
				T.ok(cmd.component_indices[1] < #m.components)
			elseif at == suit.ARGUMENT_TYPE_SEQUENCES then
				T.eq(cmd.name, "try-each")
				T.eq(#cmd.sequences, 2)
				T.eq(cmd.has_empty_fallback, false)
			else
				error("unexpected argument type " .. at)
			end
		end
		for _, section in ipairs(SECTIONS) do
			local seq = m:sequence(section)
			if seq ~= nil then
				local last = 0
				for i = 0, seq:length() - 1 do
					local offset = seq:command(i).offset
					T.ok(offset > last)
					last = offset
				end
				T.eq(seq:command(0).offset, 1)
				T.eq(seq:command(seq:length()), nil)
				local again = suit.CommandSequence.from_cbor(seq:to_cbor())
				T.eq(again:to_cbor(), seq:to_cbor())
				T.eq(names(again), names(seq))
				walk(seq, visit)
			end
		end
		T.ok(count >= 5)
	end)

	T.test(name .. ": JSON round trip", function()
		local m = envelope(name):peek_manifest()
		local compact = m:to_json()
		T.ok(not compact:find("\n"))
		T.eq(suit.Manifest.from_json(compact):to_bytes(), m:to_bytes())
		local pretty = m:to_json(suit.JSON_FLAG_PRETTY)
		T.ok(pretty:find("\n"))
		T.ok(pretty:find('"manifest-sequence-number" : ' .. seq_nr, 1, true), pretty)
		local again = suit.Manifest.from_json(pretty)
		T.eq(again:to_bytes(), m:to_bytes())
		T.eq(again:to_json(), compact)
	end)
end

T.test("parameters of ex0", function()
	local m = verified_manifest("ex0-secure-boot")
	local seq = m:sequence(suit.SECTION_SHARED)
	local op = seq:command(0)
	T.eq(op.code, 20)
	local params = op.parameters
	T.eq(params:size(), 4)
	T.eq(#params, 4)
	T.eq(table.concat(params:keys(), ","), "1,2,3,14")
	T.eq(params:key(3), 14)
	T.eq(params:key(4), 0)
	T.eq(suit.parameter_to_string(params:key(2)), "image-digest")
	T.ok(params:has(1))
	T.ok(not params:has(21))
	T.eq(params:get_bytes(1), VENDOR_ID)
	T.eq(params:get_bytes(2), CLASS_ID)
	T.eq(params:get_cbor(1), "\x50" .. VENDOR_ID)
	T.eq(params:get_uint(14), 34768)
	T.eq(math.type(params:get_uint(14)), "integer")
	T.eq(params:get_int(14), 34768)
	T.eq(params:get_bool(14), nil)
	T.eq(params:get_uint(1), nil)
	T.eq(params:get_int(1), nil)
	T.eq(params:get_bytes(14), nil)
	T.eq(params:get_cbor(14), "\x19\x87\xd0")
	T.eq(params:get_cbor(21), nil)
	T.eq(params:text(1), nil)
	local digest = params:digest(3)
	T.eq(digest.algorithm, suit.DIGEST_ALGORITHM_SHA256)
	T.eq(digest.value, DIGEST_A)
	T.eq(params:get_bytes(3), digest:to_cbor())
	T.raises("not-found", params.digest, params, 21)
	T.raises("invalid-data", params.digest, params, 14)
	T.eq(seq:command(1).reporting_policy, 15)
	T.eq(seq:command(2).name, "class-identifier")
	local inv = m:sequence(suit.SECTION_INVOKE):command(0)
	T.eq(inv.name, "invoke")
	T.eq(inv.reporting_policy, 2)
end)

T.test("uri of ex1", function()
	local m = verified_manifest("ex1-download-install")
	local install = m:sequence(suit.SECTION_INSTALL)
	T.eq(#install, 3)
	local params = install:command(0).parameters
	T.eq(table.concat(params:keys(), ","), "21")
	T.eq(params:text(21), "http://example.com/file.bin")
	T.eq(params:get_bytes(21), nil)
	T.eq(params:get_cbor(21), "\x78\x1bhttp://example.com/file.bin")
	T.raises("invalid-data", params.digest, params, 21)
	T.eq(install:command(1).name, "fetch")
	T.eq(install:command(1).parameters, nil)
end)

T.test("try-each of ex3", function()
	local m = envelope("ex3-ab-images"):peek_manifest()
	local try_each = m:sequence(suit.SECTION_SHARED):command(1)
	T.eq(try_each.argument_type, suit.ARGUMENT_TYPE_SEQUENCES)
	T.eq(try_each.has_empty_fallback, false)
	local expected = { { DIGEST_A, 34768 }, { DIGEST_B, 76834 } }
	for slot, seq in ipairs(try_each.sequences) do
		T.eq(names(seq), "override-parameters,component-slot,override-parameters")
		T.eq(seq:command(0).parameters:get_uint(5), slot - 1)
		T.eq(seq:command(1).reporting_policy, 5)
		local p = seq:command(2).parameters
		T.eq(p:digest(3).value, expected[slot][1])
		T.eq(p:get_uint(14), expected[slot][2])
	end
	local uris = {}
	for i, seq in ipairs(m:sequence(suit.SECTION_INSTALL):command(0).sequences) do
		uris[i] = seq:command(2).parameters:text(21)
	end
	T.eq(table.concat(uris, " "), "http://example.com/file1.bin http://example.com/file2.bin")
end)

T.test("components of ex4", function()
	local m = envelope("ex4-load-external"):peek_manifest()
	local function first_index(section)
		local idx = m:sequence(section):command(0).component_indices
		T.eq(#idx, 1)
		return idx[1]
	end
	T.eq(first_index(suit.SECTION_SHARED), 0)
	T.eq(first_index(suit.SECTION_PAYLOAD_FETCH), 1)
	T.eq(first_index(suit.SECTION_INSTALL), 0)
	T.eq(first_index(suit.SECTION_LOAD), 2)
	T.eq(first_index(suit.SECTION_INVOKE), 2)
	T.eq(m:sequence(suit.SECTION_INSTALL):command(1).parameters:get_uint(22), 1)
	local load = m:sequence(suit.SECTION_LOAD):command(1).parameters
	T.eq(load:get_uint(22), 0)
	T.eq(load:digest(3).value, DIGEST_B)
	T.eq(m:member_state(16), suit.MEMBER_STATE_INLINE)
end)

T.test("two images of ex5", function()
	local m = envelope("ex5-two-images"):peek_manifest()
	local uris = {}
	for _, cmd in ipairs(m:sequence(suit.SECTION_INSTALL):commands()) do
		if cmd.parameters ~= nil then
			uris[#uris + 1] = cmd.parameters:text(21)
		end
	end
	T.eq(table.concat(uris, " "), "http://example.com/file1.bin http://example.com/file2.bin")
	local second = m:sequence(suit.SECTION_SHARED):command(5).parameters
	T.eq(second:digest(3).value, DIGEST_B)
	T.eq(second:get_uint(14), 76834)
end)

T.test("severable members and text of ex2", function()
	local install_hex = "cfa90c5c58595e7f5119a72f803fd0370b3e6abbec6315cd38f63135281bc498"
	local text_hex = "302196d452bce5e8bfeaf71e395645ede6d365e63507a081379721eeecf00007"

	local full = verified_manifest("ex2-severable-full")
	T.eq(full:member_state(20), suit.MEMBER_STATE_ATTACHED)
	T.eq(full:member_state(23), suit.MEMBER_STATE_ATTACHED)
	T.eq(full:member_digest(20).hex, install_hex)
	T.eq(full:member_digest(23).hex, text_hex)
	T.eq(full:member_state(7), suit.MEMBER_STATE_INLINE)
	T.eq(full:member_digest(7), nil)
	T.eq(full:member_state(16), suit.MEMBER_STATE_ABSENT)
	T.eq(full:sequence(suit.SECTION_INSTALL):command(0).parameters:text(21),
		"http://example.com/very/long/path/to/file/file.bin")

	local description = full:text(1)
	T.eq(description:sub(1, 24), "## Example 2: Simultaneo")
	T.eq(full:text(1, "en-US"), description)
	T.eq(full:text(1, "fr"), nil)
	T.eq(full:text(2), nil)
	local component = full.components[1]
	T.eq(full:text(3, "en-US", component), "arm.com")
	T.eq(full:text(3, nil, component), "arm.com")
	local other = suit.ComponentId()
	other:append("\x01")
	T.eq(full:text(3, nil, other), nil)
	T.eq(full:text(3), nil)

	local severed = verified_manifest("ex2-severed")
	T.eq(severed:member_state(20), suit.MEMBER_STATE_SEVERED)
	T.eq(severed:member_state(23), suit.MEMBER_STATE_SEVERED)
	T.eq(severed:member_digest(20).hex, install_hex)
	T.eq(tostring(severed:member_digest(23)), text_hex)
	T.eq(severed:sequence(suit.SECTION_INSTALL), nil)
	T.eq(severed:text(1), nil)
	T.eq(severed:to_bytes(), full:to_bytes())

	local bare = suit.Manifest.parse(full:to_bytes())
	T.eq(bare:member_state(23), suit.MEMBER_STATE_SEVERED)
	T.eq(bare:text(1), nil)

	local ex1 = envelope("ex1-download-install"):peek_manifest()
	T.eq(ex1:member_state(20), suit.MEMBER_STATE_INLINE)
	T.eq(ex1:member_digest(20), nil)
	T.eq(envelope("ex0-secure-boot"):peek_manifest():member_state(20), suit.MEMBER_STATE_ABSENT)
end)

T.test("dependencies", function()
	local m = suit.Envelope.parse(T.vector("encryption/esdh-gcm-dependency.suit")):peek_manifest()
	T.eq(m.manifest_component_id:part(0), "dependent-manifest.suit")
	T.eq(#m.dependency_indices, 1)
	T.eq(m.dependency_indices[1], 1)
	T.eq(m:dependency_prefix(1):part(0), "dependency-manifest.suit")
	T.eq(m:dependency_prefix(0), nil)
end)

T.test("unknown elements", function()
	local m = suit.Envelope.parse(T.vector("external/nordic-two-signatures-legacy-install17.suit")):peek_manifest()
	local unknown = m.unknown_elements
	T.eq(#unknown, 1)
	T.eq(unknown[1]:sub(1, 2), "\xa1\x11")
	T.ok(unknown[1]:find("#file.bin", 1, true))
	T.eq(m:sequence(suit.SECTION_INSTALL), nil)
	T.eq(suit.Manifest.from_json(m:to_json()).unknown_elements[1], unknown[1])
end)

T.test("malformed input", function()
	T.raises("invalid-cbor", suit.Manifest.parse, "\xff")
	T.raises("invalid-cbor", suit.Manifest.parse, "")
	T.raises("invalid-cbor", suit.Manifest.parse, "\xa1\x01")
	T.raises("invalid-data", suit.Manifest.parse, "\x80")
	local err = T.raises("unsupported-version", suit.Manifest.parse, "\xa0")
	T.eq(err.code, suit.ERROR_UNSUPPORTED_VERSION)
	T.ok(tostring(err):find("unsupported-version", 1, true))
	T.raises("invalid-argument", suit.Manifest.parse, nil)
	T.raises("invalid-data", suit.Manifest.from_json, "not json")
	T.raises("unsupported-version", suit.Manifest.from_json, "{}")
	T.raises("invalid-argument", suit.Manifest.from_json, nil)
	T.raises("invalid-cbor", suit.CommandSequence.from_cbor, "\xff")
	T.raises("invalid-data", suit.CommandSequence.from_cbor, "\x81\x01")
	T.raises("invalid-argument", suit.CommandSequence.from_cbor, nil)
	T.ok(not pcall(suit.Manifest.parse, {}))
end)

T.test("hand-built commands", function()
	-- try-each [bstr([vendor-identifier, 15]), nil]
	local cmd = suit.CommandSequence.from_cbor(unhex("820f824382010ff6")):command(0)
	T.eq(cmd.has_empty_fallback, true)
	T.eq(#cmd.sequences, 1)
	T.eq(names(cmd.sequences[1]), "vendor-identifier")
	T.eq(tohex(cmd.argument_cbor), "824382010ff6")

	cmd = suit.CommandSequence.from_cbor(unhex("8218204382010f")):command(0)
	T.eq(cmd.name, "run-sequence")
	T.eq(cmd.argument_type, suit.ARGUMENT_TYPE_SEQUENCE)
	T.eq(names(cmd.sequence), "vendor-identifier")

	cmd = suit.CommandSequence.from_cbor(unhex("820cf5")):command(0)
	T.eq(cmd.component_indices[1], suit.COMMAND_INDEX_ALL)
	T.eq(suit.COMMAND_INDEX_ALL, 0xFFFFFFFF)
	cmd = suit.CommandSequence.from_cbor(unhex("820c820001")):command(0)
	T.eq(table.concat(cmd.component_indices, ","), "0,1")

	cmd = suit.CommandSequence.from_cbor(unhex("8239010043010203")):command(0)
	T.eq(cmd.code, -257)
	T.eq(cmd.name, nil)
	T.eq(cmd.kind, suit.COMMAND_KIND_CUSTOM)
	T.eq(cmd.argument_type, suit.ARGUMENT_TYPE_OTHER)
	T.eq(cmd.argument_cbor, unhex("43010203"))
	T.eq(suit.CommandSequence.from_cbor(unhex("82186300")):command(0).kind, suit.COMMAND_KIND_UNKNOWN)

	local params = suit.CommandSequence.from_cbor(unhex("8214a30df5181b201563616263")):command(0).parameters
	T.eq(table.concat(params:keys(), ","), "13,27,21")
	T.eq(params:get_bool(13), true)
	T.eq(params:get_bool(27), nil)
	T.eq(params:get_int(27), -1)
	T.eq(params:get_uint(27), nil)
	T.eq(params:text(21), "abc")
	T.eq(params:get_cbor(27), "\x20")

	local empty = suit.CommandSequence.from_cbor("\x80")
	T.eq(#empty, 0)
	T.eq(#empty:commands(), 0)
	T.eq(empty:to_cbor(), "\x80")
end)

T.test("names", function()
	for i, section in ipairs(SECTIONS) do
		T.eq(suit.section_to_string(section), SECTION_NAMES[i])
	end
	T.eq(suit.section_to_string(suit.SECTION_NONE), nil)
	T.eq(suit.parameter_to_string(21), "uri")
	T.eq(suit.parameter_to_string(9999), nil)
	T.eq(suit.parameter_from_string("image-size"), 14)
	T.eq(suit.parameter_from_string("no-such-parameter"), 0)
	T.eq(suit.parameter_from_string(nil), 0)
	T.eq(suit.command_code_to_string(21), "fetch")
	T.eq(suit.command_code_to_string(-257), nil)
	T.eq(suit.command_code_from_string("override-parameters"), 20)
	T.eq(suit.command_code_from_string("no-such-command"), 0)
	T.eq(suit.command_code_from_string(nil), 0)
end)

T.test("objects outlive the manifest", function()
	local m = envelope("ex3-ab-images"):peek_manifest()
	local nested = m:sequence(suit.SECTION_SHARED):command(1).sequences[2]
	local params = nested:command(2).parameters
	local cid = m.components[1]
	m = nil
	collectgarbage()
	collectgarbage()
	T.eq(params:digest(3).value, DIGEST_B)
	T.eq(nested:command(0).parameters:get_uint(5), 1)
	T.eq(tostring(cid), "[h'00']")
end)

T.run()
