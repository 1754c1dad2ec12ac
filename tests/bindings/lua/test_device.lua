-- The Lua binding of SuitProgress, the fetchers and SuitFirmwareConsumer
-- (suit.Progress, suit.Fetcher, suit.FirmwareConsumer).

local T = require "testlib"
local suit = require "suit"

local ARM_VENDOR = "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe"
local ARM_VENDOR_HEX = "fa6b4a53d5ad5fdfbe9de663e4d41ffe"
local DRAFT_CLASS = "1492af14-2569-5e48-bf42-9b2d51f2ab45"
local DRAFT_CLASS_HEX = "1492af1425695e48bf429b2d51f2ab45"
local TEEP_VENDOR = "c0ddd5f1-5243-5660-87db-4f5b0aa26c2f"
local TEEP_CLASS = "db42f709-3d8c-55ba-a8c5-265fc5820f4e"
local TEEP_TA_URI = "https://example.org/8d82573a-926d-4754-9353-32dc29997f74.ta"

local unhex = T.unhex

local write = T.write

local function file_uri(path)
	return "file://" .. path
end

-- @n pseudo-random bytes
local function random_bytes(n, seed)
	math.randomseed(seed or 1)
	local t = {}
	for i = 1, n do
		t[i] = string.char(math.random(0, 255))
	end
	return table.concat(t)
end

local component = T.component

local sha256_hex = T.sha256_hex

-- a progress callback recording {percentage, status} pairs
local function recorder()
	local rec = { calls = {} }
	rec.fn = function(percentage, status)
		rec.calls[#rec.calls + 1] = { percentage, status }
	end
	function rec.percentages()
		local out = {}
		for i, c in ipairs(rec.calls) do out[i] = c[1] end
		return out
	end
	function rec.last()
		return rec.calls[#rec.calls]
	end
	function rec.has_status(status)
		for _, c in ipairs(rec.calls) do
			if c[2] == status then return true end
		end
		return false
	end
	return rec
end

local function assert_increasing(values, strict)
	for i = 2, #values do
		if strict then
			T.ok(values[i] > values[i - 1], "percentages go up: " .. table.concat(values, ", "))
		else
			T.ok(values[i] >= values[i - 1], "percentages never go down: " .. table.concat(values, ", "))
		end
	end
end

local function draft_keyring()
	return T.keyring("suit-draft-p256.pub.pem")
end

local function load_envelope(rel)
	return suit.Envelope.parse(T.vector(rel))
end

-- a script fetcher serving a table, recording the URIs asked for
local function map_fetcher(resources, scheme)
	local script = { fetched = {} }
	function script:fetch(uri)
		self.fetched[#self.fetched + 1] = uri
		local data = resources[uri]
		if data == nil then suit.error("not-found", uri .. ": 404") end
		return data
	end
	if scheme then
		function script:supports_uri(uri)
			return uri:sub(1, #scheme + 1) == scheme .. ":"
		end
	end
	return script
end

-- --- Progress -----------------------------------------------------------------

T.test("progress defaults and status strings", function()
	local p = suit.Progress()
	T.eq(p.percentage, 0.0)
	T.eq(p.status, suit.PROGRESS_STATUS_UNKNOWN)
	T.eq(p.total, 0)
	T.eq(p.done, 0)
	T.eq(p.steps, 0)
	T.eq(p.name, nil)
	local names = { "unknown", "idle", "verifying", "fetching", "writing", "installing",
		"validating", "loading", "invoking", "reporting", "waiting" }
	for i, name in ipairs(names) do
		T.eq(suit.progress_status_to_string(i - 1), name)
		T.eq(suit.progress_status_from_string(name), i - 1)
	end
	T.eq(suit.PROGRESS_STATUS_FETCHING, 3)
	T.eq(suit.progress_status_to_string(99), nil)
	T.eq(suit.progress_status_from_string("flying"), suit.PROGRESS_STATUS_UNKNOWN)
	T.eq(suit.progress_status_from_string(nil), suit.PROGRESS_STATUS_UNKNOWN)
end)

T.test("progress percentage, status and reset", function()
	local p = suit.Progress()
	local rec = recorder()
	local handler = p:connect(rec.fn)
	T.ok(math.type(handler) == "integer" and handler > 0)
	p.percentage = 30
	p.percentage = 20 -- lower: ignored
	T.eq(p.percentage, 30.0)
	p.percentage = 150
	T.eq(p.percentage, 100.0)
	p.status = suit.PROGRESS_STATUS_INSTALLING
	T.eq(p.status, suit.PROGRESS_STATUS_INSTALLING)
	T.eq(#rec.calls, 3)
	T.eq(rec.calls[1][1], 30.0)
	T.eq(rec.calls[2][1], 100.0)
	T.eq(rec.calls[3][2], suit.PROGRESS_STATUS_INSTALLING)
	p:reset()
	T.eq(p.percentage, 0.0)
	T.eq(p.status, suit.PROGRESS_STATUS_INSTALLING)
	T.eq(rec.last()[1], 0.0)
end)

T.test("progress bytes: the callback gets increasing percentages", function()
	local p = suit.Progress()
	local rec = recorder()
	p:connect(rec.fn)
	p.total = 1000
	T.eq(p.total, 1000)
	for _ = 1, 4 do p:add_done(250) end
	T.eq(p.done, 1000)
	T.eq(table.concat(rec.percentages(), " "), "25.0 50.0 75.0 100.0")
	assert_increasing(rec.percentages(), true)
	p:finished()
	T.eq(p.percentage, 100.0)
end)

T.test("progress steps", function()
	local p = suit.Progress()
	local rec = recorder()
	p:connect(rec.fn)
	p:add_step(suit.PROGRESS_STATUS_FETCHING, 1, "fetch")
	p:add_step(suit.PROGRESS_STATUS_WRITING, 3)
	T.eq(p.steps, 2)
	T.eq(p.status, suit.PROGRESS_STATUS_FETCHING)
	local child = p:child()
	T.eq(child.name, "fetch")
	T.eq(child.status, suit.PROGRESS_STATUS_FETCHING)
	child.percentage = 50
	T.eq(p.percentage, 12.5)
	p:step_done()
	T.eq(p.percentage, 25.0)
	T.eq(p.status, suit.PROGRESS_STATUS_WRITING)
	local second = p:child()
	T.eq(second.name, nil)
	second.total = 10
	second:add_done(5)
	T.eq(p.percentage, 62.5)
	p:step_done()
	T.eq(p.percentage, 100.0)
	T.raises("invalid-argument", p.step_done, p)
	T.raises("invalid-argument", p.child, p)
	assert_increasing(rec.percentages())
	T.eq(rec.last()[1], 100.0)
	T.ok(rec.has_status(suit.PROGRESS_STATUS_FETCHING))
	T.ok(rec.has_status(suit.PROGRESS_STATUS_WRITING))
end)

T.test("progress finished and reset with steps", function()
	local p = suit.Progress()
	T.raises("invalid-argument", p.child, p)
	p:add_step(suit.PROGRESS_STATUS_VERIFYING, 0, "a")
	p:add_step(suit.PROGRESS_STATUS_INSTALLING, 0, "b")
	p:step_done()
	T.eq(p.percentage, 50.0)
	p:finished()
	T.eq(p.percentage, 100.0)
	T.raises("invalid-argument", p.step_done, p)
	p:reset()
	T.eq(p.steps, 0)
	T.eq(p.percentage, 0.0)
	p:add_step(suit.PROGRESS_STATUS_UNKNOWN, 1, "again")
	T.eq(p:child().name, "again")
end)

T.test("progress: an error in the callback is raised after the call", function()
	local p = suit.Progress()
	local calls = {}
	local marker = { what = "callback failed" }
	p:connect(function(percentage)
		calls[#calls + 1] = percentage
		error(marker)
	end)
	local ok, err = pcall(function() p.percentage = 10 end)
	T.ok(not ok)
	T.ok(rawequal(err, marker), "the very error value is raised")
	T.eq(p.percentage, 10.0) -- the C call ran to its end
	ok, err = pcall(p.finished, p)
	T.ok(not ok and rawequal(err, marker))
	T.eq(#calls, 2)
	-- one error is kept per call: the second signal of add_step is not reported
	local p2 = suit.Progress()
	local n = 0
	p2:connect(function() n = n + 1; error("first") end)
	ok, err = pcall(p2.add_step, p2, suit.PROGRESS_STATUS_FETCHING, 1, "x")
	T.ok(not ok and tostring(err):find("first"))
	T.eq(n, 1)
	ok = pcall(p2.step_done, p2)
	T.ok(not ok)
	-- connect needs a function
	T.ok(not pcall(p.connect, p, 42))
end)

T.test("progress: the callback is released with the progress", function()
	local weak = setmetatable({}, { __mode = "v" })
	local p = suit.Progress()
	do
		local seen = {}
		local fn = function(percentage) seen[#seen + 1] = percentage end
		weak.fn = fn
		weak.seen = seen
		p:connect(fn)
	end
	collectgarbage()
	collectgarbage()
	T.ok(weak.fn ~= nil, "held while the progress lives")
	p.percentage = 5
	T.eq(weak.seen[1], 5.0)
	p = nil
	collectgarbage()
	collectgarbage()
	T.eq(weak.fn, nil, "released with the progress")
end)

-- --- Fetchers -------------------------------------------------------------------

local function payload_file()
	local dir = T.tmpdir()
	local data = string.rep(random_bytes(256, 7), 1000) -- 256000 bytes: several chunks
	local path = dir .. "/payload.bin"
	write(path, data)
	return dir, path, data
end

T.test("fetcher: file:// URIs", function()
	local dir, path, data = payload_file()
	for _, fetcher in ipairs({ suit.Fetcher.file(), suit.Fetcher.default() }) do
		T.eq(fetcher:fetch_bytes(file_uri(path), #data), data)
		local progress = suit.Progress()
		local rec = recorder()
		progress:connect(rec.fn)
		T.eq(fetcher:fetch_bytes(file_uri(path), 10 * #data, suit.FETCH_FLAG_NONE, progress), data)
		T.eq(progress.percentage, 100.0)
		T.eq(progress.status, suit.PROGRESS_STATUS_FETCHING)
		T.eq(progress.total, #data)
		T.eq(progress.done, #data)
		T.eq(rec.last()[1], 100.0)
		assert_increasing(rec.percentages(), true)
		T.ok(#rec.calls >= 4)
	end
	-- a function for progress
	local rec = recorder()
	T.eq(suit.Fetcher.file():fetch_bytes(file_uri(path), #data, 0, rec.fn), data)
	T.eq(rec.last()[1], 100.0)
	T.ok(rec.has_status(suit.PROGRESS_STATUS_FETCHING))
	T.ok(not pcall(suit.Fetcher.file().fetch_bytes, suit.Fetcher.file(), file_uri(path), #data, 0, 42))
	-- an error in it
	local ok, err = pcall(suit.Fetcher.file().fetch_bytes, suit.Fetcher.file(), file_uri(path), #data, 0,
		function() error("progress failed") end)
	T.ok(not ok and tostring(err):find("progress failed"))
	T.eq(suit.Fetcher.file():fetch_bytes(file_uri(path), #data), data)
	T.rmtree(dir)
end)

T.test("fetcher: a fetch finishes the steps", function()
	local dir, path, data = payload_file()
	local p = suit.Progress()
	p:add_step(suit.PROGRESS_STATUS_FETCHING, 1, "a")
	p:add_step(suit.PROGRESS_STATUS_WRITING, 1, "b")
	T.eq(p:child().name, "a")
	T.eq(suit.Fetcher.file():fetch_bytes(file_uri(path), #data, 0, p), data)
	T.eq(p.percentage, 100.0)
	T.raises("invalid-argument", p.child, p)
	T.raises("invalid-argument", p.step_done, p)
	T.rmtree(dir)
end)

T.test("fetcher: size limit and errors", function()
	local dir, path, data = payload_file()
	local err = T.raises("limit-exceeded", suit.Fetcher.file().fetch_bytes, suit.Fetcher.file(), file_uri(path), #data - 1)
	T.eq(err.code, suit.ERROR_LIMIT_EXCEEDED)
	T.raises("invalid-argument", suit.Fetcher.file().fetch_bytes, suit.Fetcher.file(), file_uri(path), 0)
	T.raises("not-found", suit.Fetcher.file().fetch_bytes, suit.Fetcher.file(), file_uri(dir .. "/missing.bin"), 100)
	T.raises("not-found", suit.Fetcher.default().fetch_bytes, suit.Fetcher.default(), file_uri(dir .. "/missing.bin"), 100)
	for _, f in ipairs({ suit.Fetcher.file(), suit.Fetcher.default(), suit.Fetcher.soup() }) do
		T.raises("not-supported", f.fetch_bytes, f, "ftp://example.com/file.bin", 100)
	end
	T.raises("not-supported", suit.Fetcher.file().fetch_bytes, suit.Fetcher.file(), "http://example.com/x", 100)
	T.raises("not-supported", suit.Fetcher.default().fetch_bytes, suit.Fetcher.default(), "#payload", 100)
	T.raises("invalid-argument", suit.Fetcher.default().fetch_bytes, suit.Fetcher.default(), nil, 100)
	T.rmtree(dir)
end)

T.test("fetcher: supports_uri", function()
	local cases = {
		{ "file:///tmp/x.bin", true, false, true },
		{ "http://example.com/x", false, true, true },
		{ "https://example.com/x", false, true, true },
		{ "ftp://example.com/x", false, false, false },
		{ "#x", false, false, false },
	}
	for _, c in ipairs(cases) do
		T.eq(suit.Fetcher.file():supports_uri(c[1]), c[2], c[1])
		T.eq(suit.Fetcher.soup():supports_uri(c[1]), c[3], c[1])
		T.eq(suit.Fetcher.default():supports_uri(c[1]), c[4], c[1])
	end
	T.eq(suit.Fetcher.default():supports_uri(nil), false)
end)

T.test("fetcher: soup settings", function()
	local f = suit.Fetcher.soup()
	T.eq(f:get_timeout(), 60)
	T.eq(f:get_max_retries(), 5)
	T.eq(f:get_retry_delay(), 1000)
	f:set_timeout(5)
	f:set_max_retries(0)
	f:set_retry_delay(10)
	T.eq(f:get_timeout(), 5)
	T.eq(f:get_max_retries(), 0)
	T.eq(f:get_retry_delay(), 10)
	f:set_retry_delay(1000000000)
	T.eq(f:get_retry_delay(), 60000)
	for _, other in ipairs({ suit.Fetcher.file(), suit.Fetcher.default() }) do
		for _, name in ipairs({ "timeout", "max_retries", "retry_delay" }) do
			T.raises("invalid-argument", other["get_" .. name], other)
			T.raises("invalid-argument", other["set_" .. name], other, 1)
		end
		T.raises("invalid-argument", other.set_tls_ca_file, other)
	end
	-- CA certificates
	local bundle = "/etc/ssl/certs/ca-certificates.crt"
	if io.open(bundle) then f:set_tls_ca_file(bundle) end
	f:set_tls_ca_file()
	f:set_tls_ca_file(nil)
	local dir = T.tmpdir()
	write(dir .. "/bad.pem", "not a certificate")
	T.raises("invalid-argument", f.set_tls_ca_file, f, dir .. "/bad.pem")
	T.raises("invalid-argument", f.set_tls_ca_file, f, dir .. "/missing.pem")
	T.rmtree(dir)
	-- nothing listens on port 1
	T.raises("fetch-failed", f.fetch_bytes, f, "http://127.0.0.1:1/file.bin", 100, suit.FETCH_FLAG_NO_RETRY)
end)

T.test("fetcher: from_script", function()
	local big = string.rep("b", 200000)
	local script = map_fetcher({ ["x://a"] = "alpha", ["x://big"] = big }, "x")
	local f = suit.Fetcher.from_script(script)
	T.eq(f:fetch_bytes("x://a", 5), "alpha")
	T.eq(f:supports_uri("x://anything"), true)
	T.eq(f:supports_uri("y://a"), false)
	local rec = recorder()
	T.eq(f:fetch_bytes("x://big", #big, 0, rec.fn), big)
	T.eq(rec.calls[1][1], 0.0)
	T.eq(rec.calls[1][2], suit.PROGRESS_STATUS_FETCHING)
	T.eq(rec.last()[1], 100.0)
	assert_increasing(rec.percentages())
	local err = T.raises("not-found", f.fetch_bytes, f, "x://missing", 100)
	T.ok(err.message:find("x://missing: 404", 1, true))
	T.raises("limit-exceeded", f.fetch_bytes, f, "x://a", 4)
	T.eq(table.concat(script.fetched, " "), "x://a x://big x://missing x://a")
	-- without supports_uri every URI is tried
	T.eq(suit.Fetcher.from_script(map_fetcher({})):supports_uri("y://a"), true)
	-- failures
	local broken = suit.Fetcher.from_script({
		fetch = function(self, uri)
			if uri == "x://nil" then return nil end
			error("broken " .. uri)
		end,
		supports_uri = function(self, uri) error({ tag = "supports" }) end,
	})
	err = T.raises("fetch-failed", broken.fetch_bytes, broken, "x://err", 100)
	T.ok(err.message:find("broken x://err", 1, true))
	err = T.raises("fetch-failed", broken.fetch_bytes, broken, "x://nil", 100)
	T.ok(err.message:find("nil", 1, true))
	local ok, e = pcall(broken.supports_uri, broken, "x://a")
	T.ok(not ok and type(e) == "table" and e.tag == "supports")
	T.ok(not pcall(suit.Fetcher.from_script, {}))
	T.ok(not pcall(suit.Fetcher.from_script, nil))
end)

T.test("fetcher: from_script releases the script", function()
	local weak = setmetatable({}, { __mode = "v" })
	local f
	do
		local script = map_fetcher({ ["x://a"] = "a" })
		weak.script = script
		f = suit.Fetcher.from_script(script)
	end
	collectgarbage()
	collectgarbage()
	T.ok(weak.script ~= nil)
	T.eq(f:fetch_bytes("x://a", 1), "a")
	f = nil
	collectgarbage()
	collectgarbage()
	T.eq(weak.script, nil)
end)

T.test("fetcher: fetch into a store writer", function()
	local dir, path, data = payload_file()
	local store = suit.Store.memory()
	local cid = component("fetched")
	local writer = store:begin_write(cid)
	local rec = recorder()
	suit.Fetcher.default():fetch(file_uri(path), writer, #data, suit.FETCH_FLAG_NONE, rec.fn)
	T.eq(writer.size, #data)
	writer:commit(suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA256, data), #data)
	T.eq(store:read_bytes(cid), data)
	T.eq(rec.last()[1], 100.0)
	local other = component("other")
	writer = store:begin_write(other)
	suit.Fetcher.file():fetch(file_uri(path), writer, 0)
	writer:commit()
	T.eq(store:read_bytes(other), data)
	writer = store:begin_write(other)
	T.raises("limit-exceeded", suit.Fetcher.file().fetch, suit.Fetcher.file(), file_uri(path), writer, 100)
	T.eq(writer.size, 0)
	writer:abort()
	local script = suit.Fetcher.from_script(map_fetcher({ ["x://img"] = "script image" }))
	writer = store:begin_write(other)
	script:fetch("x://img", writer, 100)
	writer:commit()
	T.eq(store:read_bytes(other), "script image")
	writer = store:begin_write(other)
	T.raises("not-found", script.fetch, script, "x://missing", writer, 100)
	T.raises("invalid-argument", script.fetch, script, nil, writer, 100)
	writer:abort()
	T.raises("invalid-argument", script.fetch, script, "x://img", nil, 100)
	T.rmtree(dir)
end)

-- --- The Firmware Consumer ---------------------------------------------------------

local function json_string(s)
	return "\"" .. s .. "\""
end

-- the shared sequence: identity, digest and size of component 0, and the checks
local function shared_sequence(payload, vendor_hex)
	return "[{\"command\": \"override-parameters\", \"argument\": {" ..
		"\"vendor-identifier\": " .. json_string(vendor_hex or ARM_VENDOR_HEX) .. ", " ..
		"\"class-identifier\": " .. json_string(DRAFT_CLASS_HEX) .. ", " ..
		"\"image-digest\": {\"algorithm-id\": -16, \"digest-bytes\": " .. json_string(sha256_hex(payload)) .. "}, " ..
		"\"image-size\": " .. #payload .. "}}," ..
		"{\"command\": \"vendor-identifier\", \"argument\": 15}," ..
		"{\"command\": \"class-identifier\", \"argument\": 15}]"
end

-- a signed envelope from the JSON mirror, as the device sees it (bytes)
local function make_envelope(key, seq, shared, sections)
	local text = "{\"manifest\": {\"manifest-version\": 1, \"manifest-sequence-number\": " .. seq ..
		", \"common\": {\"components\": [[\"00\"]], \"shared-sequence\": " .. shared .. "}, " ..
		sections .. "}}"
	local envelope = suit.Envelope.from_json(text)
	envelope:sign(key)
	return suit.Envelope.parse(envelope:to_bytes())
end

-- installs @payload from @uri into [h'00']
local function file_envelope(key, seq, payload, uri, vendor_hex)
	return make_envelope(key, seq, shared_sequence(payload, vendor_hex),
		"\"install\": [{\"command\": \"override-parameters\", \"argument\": {\"uri\": " .. json_string(uri) .. "}}, " ..
		"{\"command\": \"fetch\", \"argument\": 2}, {\"command\": \"image-match\", \"argument\": 15}], " ..
		"\"validate\": [{\"command\": \"image-match\", \"argument\": 15}]")
end

local function test_device()
	local key = suit.Key.generate(suit.KEY_TYPE_P256)
	local ring = suit.Keyring()
	ring:add(key:public_key())
	local dir = T.tmpdir()
	local store = suit.Store.directory(dir .. "/store")
	local consumer = suit.FirmwareConsumer(ring, store, suit.Fetcher.default())
	consumer:set_vendor_id(ARM_VENDOR)
	consumer:set_class_id(unhex(DRAFT_CLASS_HEX))
	return consumer, key, store, dir
end

T.test("consumer: ex0 invoke", function()
	local dir = T.tmpdir()
	local store = suit.Store.directory(dir .. "/store")
	local consumer = suit.FirmwareConsumer(draft_keyring(), store)
	T.eq(consumer.report, nil)
	T.eq(#consumer.trace, 0)
	local envelope = load_envelope("manifest/ex0-secure-boot.suit")
	T.raises("condition-failed", consumer.invoke, consumer, envelope)
	local report = consumer.report
	T.eq(report.success, false)
	T.eq(report.result_reason, suit.REPORT_REASON_CONDITION_FAILED)
	T.eq(report.result_record.section, 3)
	consumer:set_vendor_id(ARM_VENDOR)
	consumer:set_class_id(DRAFT_CLASS)
	T.raises("condition-failed", consumer.invoke, consumer, envelope)
	T.eq(consumer.report.result_record.section, 7)
	T.eq(consumer.report.reference_digest.hex:sub(1, 8), "6658ea56")
	T.eq(#consumer.trace, 0)
	consumer:set_vendor_id(nil)
	T.raises("condition-failed", consumer.invoke, consumer, envelope)
	T.eq(consumer.report.result_record.section, 3)
	T.ok(not pcall(consumer.set_vendor_id, consumer, "not a uuid"))
	T.ok(not pcall(consumer.set_class_id, consumer, "\1\2"))
	T.rmtree(dir)
end)

T.test("consumer: teep-uri through a script fetcher, then uninstall", function()
	local dir = T.tmpdir()
	local store = suit.Store.directory(dir .. "/store")
	local payload = T.vector("teep/8d82573a-926d-4754-9353-32dc29997f74.ta")
	local script = map_fetcher({ [TEEP_TA_URI] = payload })
	local consumer = suit.FirmwareConsumer(draft_keyring(), store, script)
	consumer:set_vendor_id(TEEP_VENDOR)
	consumer:set_class_id(TEEP_CLASS)
	local envelope = load_envelope("teep/teep-uri.suit")
	local rec = recorder()
	consumer:update(envelope, rec.fn)
	T.eq(table.concat(script.fetched, " "), TEEP_TA_URI)
	T.eq(#consumer.trace, 1)
	T.eq(consumer.trace[1], "fetch 0: " .. TEEP_TA_URI)
	local uuid = unhex("8d82573a926d4754935332dc29997f74")
	local ta = component("TEEP-Device", "SecureFS", uuid, "ta")
	T.eq(store:read_bytes(ta), payload)
	T.eq(store:sequence_number(component("TEEP-Device", "SecureFS", uuid, "suit")), 3)
	T.eq(consumer.report.success, true)
	T.eq(rec.calls[1][1], 0.0)
	T.eq(rec.calls[1][2], suit.PROGRESS_STATUS_FETCHING)
	T.eq(rec.last()[1], 100.0)
	assert_increasing(rec.percentages())
	consumer:uninstall(envelope)
	T.eq(consumer.trace[1], "unlink 0: ['TEEP-Device', 'SecureFS', h'8d82573a926d4754935332dc29997f74', 'ta']")
	T.eq(store:has_component(ta), false)
	consumer:uninstall(envelope, nil)
	T.rmtree(dir)
end)

T.test("consumer: script fetcher failures and no fetcher", function()
	local envelope = load_envelope("teep/teep-uri.suit")
	local function teep(fetcher)
		local consumer = suit.FirmwareConsumer(draft_keyring(), suit.Store.memory(), fetcher)
		consumer:set_vendor_id(TEEP_VENDOR)
		consumer:set_class_id(TEEP_CLASS)
		return consumer
	end
	local c = teep(suit.Fetcher.from_script({ fetch = function() error("network down") end }))
	T.raises("fetch-failed", c.update, c, envelope)
	T.eq(c.report.success, false)
	c = teep({ fetch = function() suit.error("not-found", "404") end })
	T.raises("not-found", c.update, c, envelope)
	c = teep(nil)
	local err = T.raises("fetch-failed", c.update, c, envelope)
	T.ok(err.message:find("no fetcher", 1, true))
end)

T.test("consumer: ex1 digest mismatch", function()
	local store = suit.Store.memory()
	local script = map_fetcher({ ["http://example.com/file.bin"] = string.rep("\0", 34768) })
	local consumer = suit.FirmwareConsumer(draft_keyring(), store, script)
	consumer:set_vendor_id(ARM_VENDOR)
	consumer:set_class_id(DRAFT_CLASS)
	T.raises("digest-mismatch", consumer.update, consumer, load_envelope("manifest/ex1-download-install.suit"))
	T.eq(table.concat(script.fetched, " "), "http://example.com/file.bin")
	T.eq(consumer.trace[1], "fetch 0: http://example.com/file.bin")
	T.eq(store:has_component(component("\0")), false)
	T.eq(store:sequence_number(), nil)
end)

T.test("consumer: ex3 component slot", function()
	local consumer
	for slot, uri in pairs({ [0] = "http://example.com/file1.bin", [1] = "http://example.com/file2.bin" }) do
		local script = map_fetcher({})
		consumer = suit.FirmwareConsumer(draft_keyring(), suit.Store.memory(), script)
		consumer:set_vendor_id(ARM_VENDOR)
		consumer:set_class_id(DRAFT_CLASS)
		consumer:set_component_slot(component("\0"), slot)
		T.raises("not-found", consumer.update, consumer, load_envelope("manifest/ex3-ab-images.suit"))
		T.eq(table.concat(script.fetched, " "), uri)
	end
	T.raises("invalid-argument", consumer.set_component_slot, consumer, nil, 0)
end)

T.test("consumer: td integrated dependency and invoke callback", function()
	local store = suit.Store.memory()
	local consumer = suit.FirmwareConsumer(draft_keyring(), store, nil)
	consumer:set_vendor_id(ARM_VENDOR)
	consumer:set_class_id(DRAFT_CLASS)
	local envelope = load_envelope("trust-domains/td-integrated-dependency.suit")
	consumer:update(envelope)
	T.eq(table.concat(consumer.trace, "; "),
		"fetch 1: #dependent.suit; process-dependency 1: ['dependent.suit']; write 0: 11 bytes; write 0: 26 bytes")
	T.eq(store:read_bytes(component("00")), "hello world")
	T.eq(store:read_bytes(component("10")), " in multiple trust domains")
	T.eq(#consumer.report:claims(), 2)
	local invoked = {}
	local handler = consumer:connect_invoke(function(id, args)
		invoked[#invoked + 1] = tostring(id) .. " " .. args
		return true
	end)
	T.ok(handler > 0)
	consumer:invoke(envelope)
	T.eq(table.concat(invoked, "; "), "['10'] cat 00 10")
	T.eq(consumer.trace[1], "invoke 0: ['10'] args h'636174203030203130'")
	consumer:connect_invoke(function(id, args) error("invoke failed: " .. args) end)
	local ok, err = pcall(consumer.invoke, consumer, envelope)
	T.ok(not ok and tostring(err):find("invoke failed: cat 00 10", 1, true))
	T.eq(#invoked, 2)
	T.ok(not pcall(consumer.connect_invoke, consumer, nil))
end)

T.test("consumer: td dependency fetched by a script", function()
	local store = suit.Store.memory()
	local script = map_fetcher({ ["http://example.com/dependent.suit"] = T.vector("trust-domains/td-dependency.suit") })
	local consumer = suit.FirmwareConsumer(draft_keyring(), store, suit.Fetcher.from_script(script))
	consumer:set_vendor_id(ARM_VENDOR)
	consumer:set_class_id(DRAFT_CLASS)
	consumer:update(load_envelope("trust-domains/td-dependent-process.suit"))
	T.eq(table.concat(script.fetched, " "), "http://example.com/dependent.suit")
	T.eq(store:read_bytes(component("10")), " in multiple trust domains")
	T.eq(store:sequence_number(component("dependent.suit")), 0)
end)

T.test("consumer: update from file:// URIs, rollback, wrong vendor, tampering", function()
	local consumer, key, store, dir = test_device()
	local image1 = random_bytes(200000, 11)
	local image2 = random_bytes(150001, 12)
	write(dir .. "/image1.bin", image1)
	write(dir .. "/image2.bin", image2)
	write(dir .. "/tampered.bin", image2:sub(1, 1000) .. string.char(image2:byte(1001) ~ 1) .. image2:sub(1002))
	local c00 = component("\0")

	local envelope = file_envelope(key, 2, image1, file_uri(dir .. "/image1.bin"))
	local progress = suit.Progress()
	local rec = recorder()
	progress:connect(rec.fn)
	consumer:update(envelope, progress)
	T.eq(store:read_bytes(c00), image1)
	T.eq(store:sequence_number(), 2)
	T.eq(store:image_state(c00), suit.STORE_IMAGE_STATE_PENDING)
	T.eq(consumer.trace[1], "fetch 0: " .. file_uri(dir .. "/image1.bin"))
	T.eq(progress.percentage, 100.0)
	T.eq(progress.total, #image1)
	T.eq(progress.done, #image1)
	T.eq(rec.calls[1][2], suit.PROGRESS_STATUS_FETCHING)
	assert_increasing(rec.percentages(), true)
	T.ok(#rec.calls >= 4)
	local report = consumer.report
	T.eq(report.success, true)
	T.eq(report.result_reason, suit.REPORT_REASON_OK)
	T.ok(report.reference_digest:equals(envelope.manifest_digest))
	local device_key = suit.Key.generate(suit.KEY_TYPE_ED25519)
	local tracker = suit.Keyring()
	tracker:add(device_key:public_key())
	T.eq(suit.Report.from_cose(report:sign(device_key), tracker).success, true)

	local err = T.raises("rollback", consumer.update, consumer, file_envelope(key, 1, image1, file_uri(dir .. "/image1.bin")))
	T.eq(err.code, suit.ERROR_ROLLBACK)
	T.eq(consumer.report.success, false)
	T.eq(consumer.report.result_reason, suit.REPORT_REASON_CONDITION_FAILED)
	T.eq(store:read_bytes(c00), image1)
	T.eq(store:sequence_number(), 2)

	T.raises("condition-failed", consumer.update, consumer,
		file_envelope(key, 3, image2, file_uri(dir .. "/image2.bin"), string.rep("00", 16)))
	T.eq(consumer.report.result_record.section, 3)
	T.raises("digest-mismatch", consumer.update, consumer, file_envelope(key, 3, image2, file_uri(dir .. "/tampered.bin")))
	T.eq(store:read_bytes(c00), image1)
	T.raises("not-found", consumer.update, consumer, file_envelope(key, 3, image2, file_uri(dir .. "/missing.bin")))
	T.raises("signature-invalid", consumer.update, consumer,
		file_envelope(suit.Key.generate(suit.KEY_TYPE_P256), 3, image2, file_uri(dir .. "/image2.bin")))

	rec = recorder()
	consumer:update(file_envelope(key, 3, image2, file_uri(dir .. "/image2.bin")), rec.fn)
	T.eq(store:read_bytes(c00), image2)
	T.eq(store:sequence_number(), 3)
	T.eq(rec.last()[1], 100.0)
	T.raises("invalid-argument", consumer.update, consumer, nil)

	-- an error in the progress callback: the update ran, then it is raised
	-- (image 1 is fetched again: the device holds image 2)
	local ok, e = pcall(consumer.update, consumer, file_envelope(key, 4, image1, file_uri(dir .. "/image1.bin")),
		function() error("progress failed") end)
	T.ok(not ok and tostring(e):find("progress failed", 1, true))
	T.eq(consumer.report.success, true)
	T.eq(store:sequence_number(), 4)
	T.eq(store:read_bytes(c00), image1)
	-- the update fails too: the callback's error wins, with the library's
	-- error appended to it
	ok, e = pcall(consumer.update, consumer, file_envelope(key, 5, image2, file_uri(dir .. "/tampered.bin")),
		function() error("progress failed", 0) end)
	T.ok(not ok)
	T.eq(type(e), "string")
	T.ok(e:find("^progress failed\n%(and the call failed: suit.Error: digest%-mismatch: "), e)
	T.eq(consumer.report.success, false)
	T.raises("digest-mismatch", consumer.update, consumer, file_envelope(key, 5, image2, file_uri(dir .. "/tampered.bin")))
	T.rmtree(dir)
end)

T.test("consumer: an envelope from suit.Author", function()
	local dir = T.tmpdir()
	local payload = random_bytes(70000, 3)
	write(dir .. "/app.bin", payload)
	local key = suit.Key.generate(suit.KEY_TYPE_ED25519)
	local author = suit.Author()
	author:add_key(key)
	local ring = suit.Keyring()
	ring:add(key:public_key())
	local function build(seq)
		local desc = "{\"manifest-version\": 1, \"manifest-sequence-number\": " .. seq .. ", " ..
			"\"components\": [{\"install-id\": [\"00\"], \"vendor-domain\": \"arm.com\", \"class-name\": \"board-r2\", " ..
			"\"file\": \"app.bin\", \"uri\": " .. json_string(file_uri(dir .. "/app.bin")) .. "}]}"
		return suit.Envelope.parse(author:build_from_description_json(desc, dir):to_bytes())
	end
	local store = suit.Store.directory(dir .. "/store")
	local consumer = suit.FirmwareConsumer(ring, store, suit.Fetcher.file())
	local vendor = suit.Author.vendor_id_from_domain("arm.com")
	consumer:set_vendor_id(vendor)
	consumer:set_class_id(suit.Author.class_id_from_name(vendor, "board-r2"))
	consumer:update(build(5))
	T.eq(store:read_bytes(component("\0")), payload)
	T.eq(store:sequence_number(), 5)
	consumer:invoke(build(5))
	T.raises("rollback", consumer.update, consumer, build(4))
	consumer:set_class_id(suit.Author.class_id_from_name(vendor, "board-r3"))
	T.raises("condition-failed", consumer.update, consumer, build(6))
	T.rmtree(dir)
end)

T.test("consumer: component versions", function()
	local consumer, key, _, dir = test_device()
	local c00 = component("\0")
	local cases = { { 1, "1.0.3", true }, { 1, "1.0.2", false }, { 3, "1.0.2", true }, { 3, "1.1", false },
		{ 5, "1.0.1", true } }
	local envelope
	for i, c in ipairs(cases) do
		envelope = make_envelope(key, i, shared_sequence("x"),
			"\"install\": [{\"command\": \"override-parameters\", \"argument\": " ..
			"{\"version\": {\"cbor\": \"46820" .. c[1] .. "83010002\"}}}, {\"command\": \"version\", \"argument\": 15}]")
		consumer:set_component_version(c00, c[2])
		if c[3] then
			consumer:update(envelope)
		else
			T.raises("condition-failed", consumer.update, consumer, envelope)
		end
	end
	consumer:set_component_version(c00, nil)
	T.raises("condition-failed", consumer.update, consumer, envelope)
	T.raises("invalid-argument", consumer.set_component_version, consumer, c00, "1.x")
	T.raises("invalid-argument", consumer.set_component_version, consumer, c00, "")
	T.raises("invalid-argument", consumer.set_component_version, consumer, nil, "1")
	T.rmtree(dir)
end)

T.test("consumer: device id", function()
	local consumer, key, _, dir = test_device()
	local envelope = make_envelope(key, 1, shared_sequence("x"),
		"\"install\": [{\"command\": \"override-parameters\", \"argument\": " ..
		"{\"device-identifier\": \"0123456789abcdef0123456789abcdef\"}}, " ..
		"{\"command\": \"device-identifier\", \"argument\": 15}]")
	T.raises("condition-failed", consumer.update, consumer, envelope)
	consumer:set_device_id("00000000-0000-0000-0000-000000000001")
	T.raises("condition-failed", consumer.update, consumer, envelope)
	consumer:set_device_id(unhex("0123456789abcdef0123456789abcdef"))
	consumer:update(envelope)
	consumer:set_device_id(nil)
	T.raises("condition-failed", consumer.update, consumer, envelope)
	T.rmtree(dir)
end)

T.test("consumer: um-U0 time, battery, authorization", function()
	local envelope = load_envelope("update-management/um-U0.suit")
	local consumer = suit.FirmwareConsumer(draft_keyring(), suit.Store.memory())
	consumer:set_time(1696291200 - 60)
	consumer:set_battery_level(10)
	consumer:set_component_version(component("\0"), "1.0")
	consumer:set_component_version(component("\1"), "1.0.1")
	consumer:update(envelope)
	T.eq(consumer.report.success, true)
	local changes = {
		{ function() consumer:set_battery_level(9) end, function() consumer:set_battery_level(10) end },
		{ function() consumer:set_battery_level(-1) end, function() consumer:set_battery_level(10) end },
		{ function() consumer:set_update_authorized(false) end, function() consumer:set_update_authorized(true) end },
		{ function() consumer:set_time(0) end, function() consumer:set_time(1696291200 - 60) end },
	}
	for _, c in ipairs(changes) do
		c[1]()
		T.raises("condition-failed", consumer.update, consumer, envelope)
		c[2]()
		consumer:update(envelope)
	end
end)

T.test("consumer: decryption key", function()
	local ring = suit.Keyring()
	ring:add(suit.Key.symmetric(T.vector("keys/hmac256-mac-key.bin")))
	local envelope = load_envelope("encryption/aeskw-gcm-write.suit")
	local store = suit.Store.memory()
	local consumer = suit.FirmwareConsumer(ring, store)
	local err = T.raises("not-found", consumer.update, consumer, envelope)
	T.ok(err.message:find("no decryption key", 1, true))
	local kek = suit.Key.symmetric(T.vector("keys/a128kw-kek-kid-1.bin"))
	kek.key_id = "kid-1"
	consumer:add_decryption_key(kek)
	consumer:update(envelope)
	T.eq(store:read_bytes(component("plaintext-firmware")), T.vector("encryption/plaintext.bin"))
	T.raises("invalid-argument", consumer.add_decryption_key, consumer, nil)
end)

T.test("consumer: arguments", function()
	local store = suit.Store.memory()
	T.raises("invalid-argument", suit.FirmwareConsumer, nil, store)
	T.ok(not pcall(suit.FirmwareConsumer, draft_keyring(), store, 42))
	local consumer = suit.FirmwareConsumer(draft_keyring(), store, suit.Fetcher.soup())
	local envelope = load_envelope("manifest/ex0-secure-boot.suit")
	T.ok(not pcall(consumer.update, consumer, envelope, 42))
end)

T.run()
