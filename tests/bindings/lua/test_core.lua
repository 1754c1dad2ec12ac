-- The core of the Lua binding: errors, keys, keyrings, digests, component
-- ids and envelopes, against the shared vectors.
local T = require "testlib"
local suit = require "suit"

local keyring_for = T.keyring

local hex = T.hex

T.test("error ids and the error value", function()
	T.eq(suit.error_to_id(suit.ERROR_SIGNATURE_INVALID), "signature-invalid")
	T.eq(suit.error_from_id("rollback"), suit.ERROR_ROLLBACK)
	T.eq(suit.error_from_id("no-such-error"), suit.ERROR_INTERNAL)
	T.eq(math.type(suit.ERROR_ROLLBACK), "integer")
	local err = suit.error_value("write-failed", "flash full")
	T.ok(suit.is_error(err))
	T.eq(err.id, "write-failed")
	T.eq(err.code, suit.ERROR_WRITE_FAILED)
	T.eq(tostring(err), "suit.Error: write-failed: flash full")
	T.eq(suit.error_value("bogus").id, "internal")
	local raised = T.raises("write-failed", suit.error, "write-failed", "flash full")
	T.eq(raised.message, "flash full")
	T.ok(not suit.is_error("a string"))
end)

T.test("malformed envelopes raise suit.Error tables", function()
	local err = T.raises("invalid-cbor", suit.Envelope.parse, "\1\2")
	T.eq(err.code, suit.ERROR_INVALID_CBOR)
	T.ok(err.message:find("trailing"), err.message)
	T.ok(suit.is_error(err))
	T.ok(tostring(err):find("^suit.Error: invalid%-cbor: "))
	for _, bad in ipairs({ "", "\xa0", "{\"json\": true}", string.rep("\xff", 40) }) do
		local ok, e = pcall(suit.Envelope.parse, bad)
		T.ok(not ok and suit.is_error(e), "accepted " .. hex(bad))
	end
	-- a wrong argument type is a Lua error, not a crash
	local ok, e = pcall(suit.Envelope.parse, {})
	T.ok(not ok and type(e) == "string", tostring(e))
	-- nil where C requires a value is refused before the call
	ok, e = pcall(suit.Envelope.parse, nil)
	T.ok(not ok and e:find("must not be nil"), tostring(e))
	ok, e = pcall(suit.Keyring().add, suit.Keyring(), nil)
	T.ok(not ok and e:find("must not be nil"), tostring(e))
	ok, e = pcall(suit.Key.from_file, nil)
	T.ok(not ok and e:find("must not be nil"), tostring(e))
end)

T.test("keys: generate, sign, verify, PEM", function()
	for _, case in ipairs({ { suit.KEY_TYPE_P256, suit.COSE_ALGORITHM_ESP256 },
				{ suit.KEY_TYPE_ED25519, suit.COSE_ALGORITHM_ED25519 } }) do
		local key = suit.Key.generate(case[1])
		T.eq(key.key_type, case[1])
		T.eq(key.has_private, true)
		T.ok(key:supports_algorithm(case[2]))
		local sig = key:sign(case[2], "hello\0world")
		key:verify(case[2], "hello\0world", sig)
		local pub = key:public_key()
		T.eq(pub.has_private, false)
		T.raises("signature-invalid", pub.verify, pub, case[2], "hello\0worlD", sig)
		local pem = pub:export_public_pem()
		T.ok(pem:find("^%-%-%-%-%-BEGIN PUBLIC KEY"))
		T.eq(suit.Key.from_pem(pem):thumbprint(), key:thumbprint())
		T.eq(#key:thumbprint(), 32)
		T.ok(key:export_private_pem():find("^%-%-%-%-%-BEGIN"))
		local ok = pcall(pub.export_private_pem, pub)
		T.ok(not ok)
	end
	local draft = suit.Key.from_file(T.vectors .. "/keys/suit-draft-p256.priv.pem")
	T.ok(draft.has_private)
	T.ok(draft.default_algorithm == suit.COSE_ALGORITHM_ES256 or draft.default_algorithm == suit.COSE_ALGORITHM_ESP256)
	T.raises("not-found", suit.Key.from_file, "/nonexistent/key.pem")
	T.ok(not pcall(suit.Key.from_pem, "garbage"))
	T.ok(not pcall(suit.Key.from_pkcs11, "pkcs11:token=none;object=none"))
end)

T.test("key ids and symmetric keys", function()
	local key = suit.Key.symmetric(T.vector("keys/hmac256-mac-key.bin"))
	T.eq(key.key_type, suit.KEY_TYPE_SYMMETRIC)
	T.eq(key.key_id, nil)
	key.key_id = "kid-1"
	T.eq(key.key_id, "kid-1")
	T.eq(suit.cose_algorithm_to_string(suit.COSE_ALGORITHM_ESP256), "ESP256")
	T.eq(suit.cose_algorithm_from_string("EdDSA"), suit.COSE_ALGORITHM_EDDSA)
	T.eq(suit.digest_algorithm_to_string(suit.DIGEST_ALGORITHM_SHA256), "sha-256")
	T.eq(suit.digest_algorithm_from_string("sha-256"), suit.DIGEST_ALGORITHM_SHA256)
end)

T.test("keyrings", function()
	local ring = suit.Keyring()
	T.eq(ring:size(), 0)
	ring:add_from_file(T.vectors .. "/keys/suit-draft-p256.pub.pem")
	local ed = suit.Key.from_file(T.vectors .. "/keys/ed25519-rfc8032-test1.pub.pem")
	ed.key_id = "ed"
	ring:add(ed)
	T.eq(ring:size(), 2)
	local keys = ring:keys()
	T.eq(#keys, 2)
	T.eq(keys[2].key_type, suit.KEY_TYPE_ED25519)
	T.eq(#ring:find(suit.COSE_ALGORITHM_ES256), 1)
	T.eq(#ring:find(suit.COSE_ALGORITHM_EDDSA, "ed"), 1)
	T.eq(#ring:find(suit.COSE_ALGORITHM_EDDSA, "other"), 0)
	T.raises("not-found", ring.add_from_file, ring, "/nonexistent.pem")
end)

T.test("digests", function()
	local d = suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA256, "abc")
	T.eq(d.hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
	T.eq(tostring(d), d.hex)
	T.eq(hex(d.value), d.hex)
	T.eq(d.algorithm, suit.DIGEST_ALGORITHM_SHA256)
	local same = suit.Digest(suit.DIGEST_ALGORITHM_SHA256, d.value)
	T.ok(same:equals(d))
	T.ok(suit.Digest.from_cbor(d:to_cbor()):equals(d))
	d:check("abc")
	T.raises("digest-mismatch", d.check, d, "abd")
	T.raises("invalid-cbor", suit.Digest.from_cbor, "\x82\x01")
end)

T.test("component ids", function()
	local cid = suit.ComponentId()
	cid:append("00")
	cid:append("\1\2")
	T.eq(cid:length(), 2)
	local parts = cid:parts()
	T.eq(#parts, 2)
	T.eq(parts[2], "\1\2")
	T.eq(cid:part(0), "00")
	T.eq(cid:part(2), nil)
	T.eq(tostring(cid), "['00', h'0102']")
	local again = suit.ComponentId.from_cbor(cid:to_cbor())
	T.ok(again:equals(cid))
	T.eq(again:hash_value(), cid:hash_value())
	T.raises("invalid-data", suit.ComponentId.from_cbor, "\1")
	T.raises("invalid-cbor", suit.ComponentId.from_cbor, "\x82\x41")
end)

local VECTORS = {
	{ "manifest/ex0-secure-boot.suit", "6658ea56", "suit-draft-p256.pub.pem" },
	{ "manifest/ex1-download-install.suit", "1f2e7acc", "suit-draft-p256.pub.pem" },
	{ "manifest/ex2-severable-full.suit", "6a5197ed", "suit-draft-p256.pub.pem" },
	{ "manifest/ex2-severed.suit", "6a5197ed", "suit-draft-p256.pub.pem" },
	{ "derived/ex0-eddsa-alg-8.suit", "6658ea56", "ed25519-rfc8032-test1.pub.pem" },
	{ "derived/ex0-ed25519-alg-19.suit", "6658ea56", "ed25519-rfc8032-test1.pub.pem" },
}

T.test("the shared vectors verify", function()
	for _, v in ipairs(VECTORS) do
		local blob = T.vector(v[1])
		local env = suit.Envelope.parse(blob)
		T.eq(env.verified, false)
		env:verify(keyring_for(v[3]))
		T.eq(env.verified, true, v[1])
		T.eq(env.manifest_digest.hex:sub(1, 8), v[2], v[1])
		T.ok(env:manifest() ~= nil)
		T.eq(env.n_authentication_blocks, 1)
		T.eq(env:authentication_block(1), nil)
		T.eq(env:to_bytes(), blob, v[1])
	end
end)

T.test("wrong key, no authentication, tampering", function()
	local env = suit.Envelope.parse(T.vector("manifest/ex0-secure-boot.suit"))
	T.raises("signature-invalid", env.verify, env, keyring_for("esdh-recipient-p256-kid-2.pub.pem"))
	local unsigned = suit.Envelope.parse(T.vector("external/draft-ex0-no-cose-auth.suit"))
	T.raises("no-authentication", unsigned.verify, unsigned, keyring_for("suit-draft-p256.pub.pem"))
	local blob = T.vector("manifest/ex0-secure-boot.suit")
	local pos = #blob - 9
	local tampered = blob:sub(1, pos - 1) .. string.char(blob:byte(pos) ~ 1) .. blob:sub(pos + 1)
	local ok, err = pcall(function()
		suit.Envelope.parse(tampered):verify(keyring_for("suit-draft-p256.pub.pem"))
	end)
	T.ok(not ok and (err.id == "digest-mismatch" or err.id == "signature-invalid"), tostring(err))
end)

T.test("severing, signing, JSON, integrated payloads", function()
	local env = suit.Envelope.parse(T.vector("manifest/ex2-severable-full.suit"))
	env:verify(keyring_for("suit-draft-p256.pub.pem"))
	T.ok(env:member(20):find("very/long/path", 1, true))
	env:sever(20)
	env:sever(23)
	T.eq(env:member(20), nil)
	T.eq(env:to_bytes(), T.vector("manifest/ex2-severed.suit"))
	T.ok(not pcall(env.sever, env, 99))

	local key = suit.Key.generate(suit.KEY_TYPE_P256)
	local e0 = suit.Envelope.parse(T.vector("manifest/ex0-secure-boot.suit"))
	e0:clear_authentication()
	T.eq(e0.n_authentication_blocks, 0)
	e0:sign(key)
	e0:sign(key, suit.COSE_ALGORITHM_ES256, "kid")
	local ring = suit.Keyring()
	ring:add(key:public_key())
	local again = suit.Envelope.parse(e0:to_bytes())
	again:verify(ring, suit.VERIFY_FLAG_REQUIRE_ALL)
	local json = again:to_json(suit.JSON_FLAG_PRETTY)
	T.ok(json:find('"manifest"', 1, true))
	local rebuilt = suit.Envelope.from_json(again:to_json())
	T.eq(rebuilt.manifest_bytes, again.manifest_bytes)
	T.raises("invalid-data", suit.Envelope.from_json, "{not json")
	T.ok(tostring(again):lower():find("manifest"))
	T.ok(again:peek_manifest() ~= nil)
	T.eq(suit.Envelope.for_manifest(again:manifest()).n_authentication_blocks, 0)

	local tagged = e0.tagged
	e0.tagged = not tagged
	T.eq(e0.tagged, not tagged)
	T.eq(#e0:integrated_names(), 0)
	e0:set_integrated("#payload", "\0\255\0\255")
	T.eq(e0:integrated_names()[1], "#payload")
	T.eq(suit.Envelope.parse(e0:to_bytes()):integrated("#payload"), "\0\255\0\255")
	T.eq(e0:integrated("#absent"), nil)
end)

local function rss_kib()
	local f = assert(io.open("/proc/self/statm"))
	local pages = tonumber(f:read("a"):match("^%d+ (%d+)"))
	f:close()
	return pages * 4
end

T.test("10,000 create/verify/error loops do not grow", function()
	if os.getenv("SUIT_SKIP_LONG") then
		return -- under valgrind (tests/bindings/valgrind-bindings.sh)
	end
	local ex0 = T.vector("manifest/ex0-secure-boot.suit")
	local key = suit.Key.generate(suit.KEY_TYPE_P256)
	local ring = suit.Keyring()
	ring:add(key:public_key())
	local other = suit.Keyring()
	other:add(suit.Key.generate(suit.KEY_TYPE_P256):public_key())
	local function round()
		local env = suit.Envelope.parse(ex0)
		env:clear_authentication()
		env:sign(key)
		local blob = env:to_bytes()
		local again = suit.Envelope.parse(blob)
		again:verify(ring)
		assert(again:manifest() ~= nil and again.verified)
		local ok, err = pcall(function() suit.Envelope.parse(blob):verify(other) end)
		assert(not ok and err.id == "signature-invalid")
		ok, err = pcall(suit.Envelope.parse, blob:sub(1, -4))
		assert(not ok and suit.is_error(err))
	end
	for _ = 1, 1000 do round() end
	collectgarbage()
	collectgarbage()
	local before = rss_kib()
	for _ = 1, 9000 do round() end
	collectgarbage()
	collectgarbage()
	local growth = rss_kib() - before
	T.ok(growth < 2048, "RSS grew by " .. growth .. " KiB over 9,000 rounds")
end)

T.run()
