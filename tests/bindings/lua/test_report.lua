-- The Lua binding of SuitAuthor and the SUIT report API (suit.Author,
-- suit.Report, suit.ReportRecord, suit.ReportClaims, suit.ReportProperties).

local T = require "testlib"
local suit = require "suit"

local ARM_VENDOR_UUID = "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe"
local ARM_VENDOR_HEX = "fa6b4a53d5ad5fdfbe9de663e4d41ffe"
local DRAFT_CLASS_HEX = "1492af1425695e48bf429b2d51f2ab45"
local EX0_DIGEST = "6658ea560262696dd1f13b782239a064da7c6c5cbaf52fded428a6fc83c7e5af"
local PAYLOAD = string.rep("The board firmware, version 2.1\n", 8)

local hex = T.hex

local write = T.write

-- a description (README "Describing an update"); seq may be nil
local function description(seq)
	return "{\"manifest-version\": 1," ..
		(seq and ("\"manifest-sequence-number\": " .. seq .. ",") or "") ..
		"\"components\": [{\"install-id\": [\"00\"], \"vendor-domain\": \"arm.com\"," ..
		" \"class-name\": \"board-r2\", \"file\": \"app.bin\"," ..
		" \"uri\": \"https://updates.example.com/app-2.1.bin\", \"bootable\": true}]}"
end

-- the number after "key" : in compact JSON
local function json_number(json, key)
	return tonumber(json:match("\"" .. key .. "\":(%-?%d+)"))
end

local function json_string(json, key)
	return json:match("\"" .. key .. "\":\"([^\"]*)\"")
end

local function keyring_of(...)
	local ring = suit.Keyring()
	for _, key in ipairs({ ... }) do
		ring:add(key)
	end
	return ring
end

local function device_keyring()
	return T.keyring("esdh-recipient-p256-kid-2.pub.pem")
end

local function draft_keyring()
	return T.keyring("suit-draft-p256.pub.pem")
end

local function same_list(a, b)
	if #a ~= #b then return false end
	for i = 1, #a do
		if a[i] ~= b[i] then return false end
	end
	return true
end

-- UUIDs -----------------------------------------------------------------------

T.test("vendor and class ids", function()
	local vendor = suit.Author.vendor_id_from_domain("arm.com")
	T.eq(#vendor, 16)
	T.eq(hex(vendor), ARM_VENDOR_HEX)
	T.eq(suit.Author.vendor_uuid_from_domain("arm.com"), ARM_VENDOR_UUID)
	T.eq(suit.uuid_to_string(vendor), ARM_VENDOR_UUID)
	T.eq(suit.uuid_to_string(ARM_VENDOR_UUID:upper()), ARM_VENDOR_UUID)
	T.eq(suit.Author.vendor_uuid_from_domain("teep.example"), "c0ddd5f1-5243-5660-87db-4f5b0aa26c2f")
	local klass = suit.Author.class_id_from_name(vendor, "suit-test-board")
	T.eq(hex(klass), "cef1ec7f8256578781d4cd21030dc6a9")
	T.eq(suit.Author.class_id_from_name(ARM_VENDOR_UUID, "suit-test-board"), klass)
	T.eq(suit.Author.class_uuid_from_name(vendor, "suit-test-board"), "cef1ec7f-8256-5787-81d4-cd21030dc6a9")
	T.ok(not pcall(suit.Author.class_id_from_name, string.rep("\0", 15), "x"))
	T.ok(not pcall(suit.Author.class_id_from_name, "not-a-uuid", "x"))
	T.ok(not pcall(suit.uuid_to_string, string.rep("\1", 17)))
	T.ok(not pcall(suit.Author.vendor_id_from_domain, nil))
end)

-- Author ----------------------------------------------------------------------

T.test("an author builds an envelope that verifies with its key only", function()
	local dir = T.tmpdir()
	write(dir .. "/app.bin", PAYLOAD)
	local key = suit.Key.generate(suit.KEY_TYPE_P256)
	local author = suit.Author()
	T.eq(author.n_keys, 0)
	author:add_key(key)
	T.eq(author.n_keys, 1)
	local envelope = author:build_from_description_json(description(7), dir)
	T.eq(envelope.n_authentication_blocks, 1)
	local json = envelope:to_json()
	T.eq(json_number(json, "manifest%-sequence%-number"), 7)
	T.eq(json_string(json, "vendor%-identifier"), ARM_VENDOR_HEX)
	T.eq(json_string(json, "class%-identifier"), hex(suit.Author.class_id_from_name(ARM_VENDOR_UUID, "board-r2")))
	T.eq(json_number(json, "image%-size"), #PAYLOAD)
	T.ok(json:find(suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA256, PAYLOAD).hex, 1, true))
	T.eq(json_string(json, "uri"), "https://updates.example.com/app-2.1.bin")

	local parsed = suit.Envelope.parse(envelope:to_bytes())
	parsed:verify(keyring_of(key:public_key()))
	T.ok(parsed.verified)
	local err = T.raises("signature-invalid", function()
		suit.Envelope.parse(envelope:to_bytes()):verify(draft_keyring())
	end)
	T.eq(err.code, suit.ERROR_SIGNATURE_INVALID)
	T.rmtree(dir)
end)

T.test("sequence number and time", function()
	local dir = T.tmpdir()
	write(dir .. "/app.bin", PAYLOAD)
	local author = suit.Author()
	author:add_key(suit.Key.generate(suit.KEY_TYPE_ED25519))
	author:set_time(1700000000)
	local json = author:build_from_description_json(description(nil), dir):to_json()
	T.eq(json_number(json, "manifest%-sequence%-number"), 1700000000)
	json = author:build_from_description_json(description(7), dir):to_json()
	T.eq(json_number(json, "manifest%-sequence%-number"), 7)
	author:set_sequence_number(42)
	json = author:build_from_description_json(description(7), dir):to_json()
	T.eq(json_number(json, "manifest%-sequence%-number"), 42)
	author:set_time(-1)
	T.rmtree(dir)
end)

T.test("description file", function()
	local dir = T.tmpdir()
	write(dir .. "/app.bin", PAYLOAD)
	write(dir .. "/update.json", description(3))
	local key = suit.Key.generate(suit.KEY_TYPE_P256)
	local author = suit.Author()
	author:add_key(key, suit.COSE_ALGORITHM_ES256, "author-1")
	local envelope = author:build_from_description_file(dir .. "/update.json")
	local json = envelope:to_json()
	T.eq(json_number(json, "manifest%-sequence%-number"), 3)
	T.eq(json_number(json:match("\"blocks\":(.*)$"), "algorithm%-id"), suit.COSE_ALGORITHM_ES256)
	suit.Envelope.parse(envelope:to_bytes()):verify(keyring_of(key:public_key()))
	T.raises("not-found", author.build_from_description_file, author, dir .. "/missing.json")
	T.rmtree(dir)
end)

T.test("description errors", function()
	local dir = T.tmpdir()
	write(dir .. "/app.bin", PAYLOAD)
	local author = suit.Author()
	author:add_key(suit.Key.generate(suit.KEY_TYPE_P256))
	local bad = description(1):gsub("\"bootable\"", "\"colour\": \"blue\", \"bootable\"")
	local err = T.raises("invalid-data", author.build_from_description_json, author, bad, dir)
	T.ok(err.message:find("colour", 1, true))
	T.raises("not-found", author.build_from_description_json, author, description(1), dir .. "/nowhere")
	local wrong = description(1):gsub("\"bootable\"", "\"install-digest\": \"" .. string.rep("00", 32) .. "\", \"bootable\"")
	T.raises("digest-mismatch", author.build_from_description_json, author, wrong, dir)
	T.ok(not pcall(author.build_from_description_json, author, nil))
	T.rmtree(dir)
end)

T.test("add_key errors", function()
	local key = suit.Key.generate(suit.KEY_TYPE_P256)
	local author = suit.Author()
	T.raises("invalid-argument", author.add_key, author, key:public_key())
	T.raises("unsupported-algorithm", author.add_key, author, key, suit.COSE_ALGORITHM_EDDSA)
	T.ok(not pcall(author.add_key, author, nil))
	T.eq(author.n_keys, 0)
end)

T.test("manifest JSON and countersigning", function()
	local root = os.getenv("SUIT_SOURCE_ROOT") or "../../.."
	local text = T.read(root .. "/examples/secure-boot-manifest.json")
	T.eq(suit.Author():build_from_manifest_json(text).n_authentication_blocks, 0)
	local key = suit.Key.generate(suit.KEY_TYPE_P256)
	local author = suit.Author()
	author:add_key(key)
	local envelope = author:build_from_manifest_json(text)
	T.eq(envelope.n_authentication_blocks, 1)
	local json = envelope:to_json()
	T.eq(json_number(json, "manifest%-sequence%-number"), 7)
	T.eq(json_string(json, "uri"), "https://firmware.example.com/app-v7.bin")

	local second = suit.Key.generate(suit.KEY_TYPE_ED25519)
	local other = suit.Author()
	other:add_key(second)
	other:sign_envelope(envelope)
	T.eq(envelope.n_authentication_blocks, 2)
	suit.Envelope.parse(envelope:to_bytes()):verify(keyring_of(key:public_key()))
	suit.Envelope.parse(envelope:to_bytes()):verify(keyring_of(second:public_key()))
	T.ok(not pcall(other.sign_envelope, other, nil))

	T.raises("unsupported-version", author.build_from_manifest_json, author, "{}")
	T.raises("invalid-data", author.build_from_manifest_json, author, "not json")
end)

-- the shared report vector ----------------------------------------------------

local function check_ex0(report)
	T.eq(report.reference_uri, "")
	T.eq(report.reference_digest.algorithm, suit.DIGEST_ALGORITHM_SHA256)
	T.eq(report.reference_digest.hex, EX0_DIGEST)
	T.eq(report.nonce, nil)
	T.eq(#report:records(), 0)
	local claims = report:claims()
	T.eq(#claims, 1)
	T.ok(same_list(claims[1].component_id:parts(), { "\0" }))
	local props = claims[1].properties
	T.ok(same_list(props:keys(), { 1, 2, 14 }), "keys 1, 2, 14")
	T.eq(hex(props:get_bytes(1)), ARM_VENDOR_HEX)
	T.eq(hex(props:get_bytes(2)), DRAFT_CLASS_HEX)
	T.eq(props:get_uint(14), 34768)
	T.eq(report.has_result, true)
	T.eq(report.success, true)
	T.eq(report.result_code, 0)
	T.eq(report.result_reason, suit.REPORT_REASON_OK)
	T.eq(report.result_record, nil)
	T.ok(same_list(report:warnings(), { "duplicate key 1 in system property claims",
		"duplicate key 2 in system property claims" }), "warnings")
end

T.test("report vector: COSE_Sign1 with the device key", function()
	local report = suit.Report.from_cose(T.vector("report/report-libcsuit-ex0-success.cose"), device_keyring())
	check_ex0(report)
	local text = tostring(report)
	T.ok(text:find("duplicate key 1 in system property claims", 1, true))
	T.ok(text:find(EX0_DIGEST, 1, true))
	local json = report:to_json()
	T.ok(json:find("\"result\":{\"success\":true}", 1, true), json)
	T.eq(json_number(json, "image%-size"), 34768)
	T.ok(select(2, report:to_json(suit.JSON_FLAG_PRETTY):gsub("\n", "")) > 10)
end)

T.test("report vector: a wrong key", function()
	local cose = T.vector("report/report-libcsuit-ex0-success.cose")
	T.raises("signature-invalid", suit.Report.from_cose, cose, draft_keyring())
	T.raises("signature-invalid", suit.Report.from_cose, cose, suit.Keyring())
	T.ok(not pcall(suit.Report.from_cose, cose, nil))
end)

T.test("report vector: the bare payload", function()
	local payload = T.vector("report/report-libcsuit-ex0-success.payload.cbor")
	local report = suit.Report.parse(payload)
	check_ex0(report)
	check_ex0(suit.Report.parse(payload, suit.PARSE_FLAG_ALLOW_DUPLICATE_KEYS))
	T.ok(T.vector("report/report-libcsuit-ex0-success.cose"):find(payload, 1, true))
	-- deterministic order (libcsuit wrote 99, 3, 4), repeated keys dropped
	local encoded = report:to_bytes()
	T.ok(encoded ~= payload and #encoded < #payload)
	T.eq(encoded:sub(1, 2), "\163\3")
	local again = suit.Report.parse(encoded)
	T.eq(#again:warnings(), 0)
	T.ok(same_list(again:claims()[1].properties:keys(), { 1, 2, 14 }))
	T.ok(again.reference_digest:equals(report.reference_digest))
	T.eq(again:to_bytes(), report:to_bytes())
end)

T.test("report parse errors", function()
	T.raises("invalid-cbor", suit.Report.parse, "\255\0")
	T.raises("invalid-cbor", suit.Report.parse, "\161\1")
	T.raises("invalid-data", suit.Report.parse, T.vector("report/report-libcsuit-ex0-success.cose"))
	local err = select(2, pcall(suit.Report.from_cose, "\1\2\3", suit.Keyring()))
	T.ok(err.id == "invalid-cbor" or err.id == "invalid-data", tostring(err))
	T.ok(not pcall(suit.Report.parse, nil))
end)

-- building, signing, verifying ------------------------------------------------

local function built_report()
	local digest = suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA256, "a manifest")
	local report = suit.Report()
	T.eq(report.has_result, false)
	T.eq(report.reference_digest, nil)
	report:set_reference("https://updates.example.com/app.suit", digest)
	report.nonce = "\1\2\3\4"

	local record = suit.ReportRecord(suit.SECTION_INSTALL, 12, 1)
	record:append_manifest_id(1)
	record:append_manifest_id(0)
	record.properties:add_uint(14, 4096)
	record.properties:add_text(21, "https://updates.example.com/app.bin")
	report:add_record(record)

	local claims = suit.ReportProperties()
	claims:add_bytes(1, suit.Author.vendor_id_from_domain("arm.com"))
	claims:add_digest(3, suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA256, "image"))
	claims:add_uint(14, 34768)
	claims:add_uint(0, 99) -- key 0 is the component id: left out
	local cid = suit.ComponentId()
	cid:append("\0")
	cid:append("ab")
	report:add_system_property_claims(cid, claims)

	report:set_result_failure(suit.ERROR_CONDITION_FAILED, record, suit.REPORT_REASON_CONDITION_FAILED)
	return report, digest
end

local function check_built(report, digest)
	T.eq(report.reference_uri, "https://updates.example.com/app.suit")
	T.ok(report.reference_digest:equals(digest), "reference digest")
	T.eq(report.nonce, "\1\2\3\4")
	local records = report:records()
	T.eq(#records, 1)
	local rec = records[1]
	T.ok(same_list(rec.manifest_id, { 1, 0 }), "manifest id")
	T.eq(rec.section, suit.SECTION_INSTALL)
	T.eq(rec.section_offset, 12)
	T.eq(rec.component_index, 1)
	T.ok(same_list(rec.properties:keys(), { 14, 21 }), "record keys")
	T.eq(rec.properties:get_uint(14), 4096)
	T.eq(rec.properties:get_text(21), "https://updates.example.com/app.bin")
	local claims = report:claims()
	T.eq(#claims, 1)
	T.ok(same_list(claims[1].component_id:parts(), { "\0", "ab" }), "component id")
	local props = claims[1].properties
	T.eq(props:size(), 3)
	T.eq(props:has(0), false)
	T.eq(hex(props:get_bytes(1)), ARM_VENDOR_HEX)
	T.ok(props:get_digest(3):equals(suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA256, "image")))
	T.eq(props:get_uint(14), 34768)
	T.eq(report.has_result, true)
	T.eq(report.success, false)
	T.eq(report.result_code, suit.ERROR_CONDITION_FAILED)
	T.eq(report.result_reason, suit.REPORT_REASON_CONDITION_FAILED)
	local failing = report.result_record
	T.eq(failing.section, suit.SECTION_INSTALL)
	T.eq(failing.section_offset, 12)
	T.ok(same_list(failing.manifest_id, { 1, 0 }))
	T.eq(#report:warnings(), 0)
end

T.test("a report signed and verified", function()
	local report, digest = built_report()
	check_built(report, digest)
	local json = report:to_json()
	T.eq(json_string(json, "reason"), "condition-failed")
	T.eq(json_string(json, "nonce"), "01020304")
	T.ok(tostring(report):find("condition-failed", 1, true))

	local key = suit.Key.generate(suit.KEY_TYPE_P256)
	local cose = report:sign(key)
	T.eq(cose:byte(1), 0xd2) -- COSE_Sign1 tag 18
	local parsed = suit.Report.from_cose(cose, keyring_of(key:public_key()))
	check_built(parsed, digest)
	T.eq(parsed:to_bytes(), report:to_bytes())

	local cose_kid = report:sign(key, suit.COSE_ALGORITHM_ES256, "device-7")
	local pub = key:public_key()
	pub.key_id = "device-7"
	check_built(suit.Report.from_cose(cose_kid, keyring_of(pub)), digest)
	local other = key:public_key()
	other.key_id = "device-8"
	T.raises("signature-invalid", suit.Report.from_cose, cose_kid, keyring_of(other))
end)

T.test("a tampered report", function()
	local report = built_report()
	local key = suit.Key.generate(suit.KEY_TYPE_P256)
	local cose = report:sign(key)
	local ring = keyring_of(key:public_key())
	local function flip(s, pos)
		return s:sub(1, pos - 1) .. string.char(s:byte(pos) ~ 1) .. s:sub(pos + 1)
	end
	T.raises("signature-invalid", suit.Report.from_cose, flip(cose, #cose), ring)
	T.raises("signature-invalid", suit.Report.from_cose, flip(cose, cose:find("updates.example.com", 1, true)), ring)
	T.raises("signature-invalid", suit.Report.from_cose, cose, suit.Keyring())
end)

T.test("a MAC'd report", function()
	local report, digest = built_report()
	local key = suit.Key.symmetric(T.vector("keys/hmac256-mac-key.bin"))
	local cose = report:sign(key)
	T.eq(cose:byte(1), 0xd1) -- COSE_Mac0 tag 17
	check_built(suit.Report.from_cose(cose, keyring_of(key)), digest)
	T.raises("signature-invalid", suit.Report.from_cose, cose, keyring_of(suit.Key.symmetric(string.rep("b", 32))))
end)

T.test("success, and incomplete reports", function()
	local key = suit.Key.generate(suit.KEY_TYPE_P256)
	local report = suit.Report()
	T.raises("invalid-data", report.to_bytes, report)
	T.raises("invalid-data", report.sign, report, key)
	report:set_reference(nil, suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA256, "m"))
	T.eq(report.reference_uri, "")
	T.raises("invalid-data", report.to_bytes, report)
	report:set_result_failure(7, nil, suit.REPORT_REASON_OPERATION_FAILED)
	T.eq(report.result_record, nil)
	T.eq(report.result_code, 7)
	report:set_result_success()
	T.eq(report.success, true)
	T.eq(report.result_code, 0)
	T.eq(report.result_reason, suit.REPORT_REASON_OK)
	report.nonce = "n"
	T.eq(report.nonce, "n")
	report.nonce = nil
	T.eq(report.nonce, nil)
	local parsed = suit.Report.parse(report:to_bytes())
	T.eq(parsed.success, true)
	T.eq(parsed.reference_uri, "")
	T.raises("invalid-argument", report.set_reference, report, "\255", suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA256, "m"))
	T.ok(not pcall(report.sign, report, nil))
	T.ok(not pcall(report.set_reference, report, "x", nil))
	T.ok(not pcall(report.add_record, report, nil))
	T.ok(not pcall(report.add_system_property_claims, report, suit.ComponentId(), nil))
end)

T.test("records are live; properties can be replaced", function()
	local report = suit.Report()
	local record = suit.ReportRecord(suit.SECTION_VALIDATE, 3, 0)
	report:add_record(record)
	record.properties:add_bool(12, true)
	T.eq(report:records()[1].properties:get_bool(12), true)
	local props = suit.ReportProperties()
	props:add_int(27, -1)
	record.properties = props
	T.ok(same_list(report:records()[1].properties:keys(), { 27 }))
	T.eq(report:records()[1].properties:get_int(27), -1)
	T.ok(not pcall(function() record.properties = nil end))
end)

-- properties --------------------------------------------------------------------

T.test("properties", function()
	local props = suit.ReportProperties()
	T.eq(props:size(), 0)
	T.eq(#props:keys(), 0)
	props:add_uint(14, 4096)
	props:add_int(27, -5)
	props:add_bytes(1, "\0\255")
	props:add_text(21, "h\195\169llo")
	props:add_bool(12, false)
	props:add_digest(3, suit.Digest(suit.DIGEST_ALGORITHM_SHA256, string.rep("\17", 32)))
	props:add_cbor(28, "\131\1\2\3")
	T.ok(same_list(props:keys(), { 14, 27, 1, 21, 12, 3, 28 }), "keys in order")
	T.eq(props:size(), 7)
	T.eq(props:has(28), true)
	T.eq(props:has(99), false)
	T.eq(props:get_uint(14), 4096)
	T.eq(props:get_int(27), -5)
	T.eq(props:get_uint(27), nil)
	T.eq(props:get_bool(12), false)
	T.eq(props:get_bytes(1), "\0\255")
	T.eq(props:get_text(21), "h\195\169llo")
	T.eq(props:get_digest(3).value, string.rep("\17", 32))
	T.eq(props:get_cbor(28), "\131\1\2\3")
	T.eq(props:get_cbor(14), "\25\16\0")
	for _, getter in ipairs({ "get_uint", "get_int", "get_bool", "get_bytes", "get_text", "get_cbor" }) do
		T.eq(props[getter](props, 99), nil, getter)
	end
	T.eq(props:get_bool(14), nil)
	T.eq(props:get_text(1), nil)
	T.eq(props:get_bytes(21), nil)
	props:add_uint(27, 8)
	T.eq(props:keys()[2], 27)
	T.eq(props:get_int(27), 8)

	T.raises("not-found", props.get_digest, props, 99)
	local err = select(2, pcall(props.get_digest, props, 1))
	T.ok(err.id == "invalid-cbor" or err.id == "invalid-data", tostring(err))
	T.raises("invalid-cbor", props.add_cbor, props, 5, "\131\1")
	T.raises("invalid-argument", props.add_text, props, 21, "\255\254")
	T.ok(not pcall(props.add_bytes, props, 1, nil))
	T.ok(not pcall(props.add_digest, props, 3, nil))
	T.ok(not pcall(props.add_text, props, 21, nil))
	T.eq(props:size(), 7)
	T.eq(props:get_text(21), "h\195\169llo")
end)

-- reasons -------------------------------------------------------------------------

T.test("reasons", function()
	T.eq(suit.report_reason_to_string(suit.REPORT_REASON_CONDITION_FAILED), "condition-failed")
	T.eq(suit.report_reason_to_string(suit.REPORT_REASON_UNAUTHORISED), "unauthorised")
	T.eq(suit.report_reason_to_string(1000), nil)
	T.eq(suit.report_reason_from_string("invoke-pending"), suit.REPORT_REASON_INVOKE_PENDING)
	T.eq(suit.report_reason_from_string("no-such-reason"), -1)
	T.ok(not pcall(suit.report_reason_from_string, nil))
	T.eq(suit.report_reason_from_error(nil), suit.REPORT_REASON_OK)
	T.eq(suit.report_reason_from_error(suit.error_value("rollback")), suit.REPORT_REASON_CONDITION_FAILED)
	T.eq(suit.report_reason_from_error("signature-invalid"), suit.REPORT_REASON_UNAUTHORISED)
	T.eq(suit.report_reason_from_error("invalid-cbor"), suit.REPORT_REASON_CBOR_PARSE)
	T.eq(suit.report_reason_from_error(suit.error_value("fetch-failed")), suit.REPORT_REASON_OPERATION_FAILED)
	T.eq(suit.report_reason_from_error({}), suit.REPORT_REASON_OPERATION_FAILED)
	local _, err = pcall(suit.Report.from_cose, T.vector("report/report-libcsuit-ex0-success.cose"), draft_keyring())
	T.eq(suit.report_reason_from_error(err), suit.REPORT_REASON_UNAUTHORISED)
end)

T.run()
