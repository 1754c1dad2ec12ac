-- The fleet roles: suit.Database, suit.FirmwareServer, suit.StatusTracker and
-- suit.Communicator. They speak JSON text; these tests read fields with
-- patterns (json-glib writes compact JSON: "name":"value").
local T = require "testlib"
local suit = require "suit"

local VENDOR = "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe"
local CLASS = "1492af14-2569-5e48-bf42-9b2d51f2ab45"
local PAYLOAD = string.rep("firmware image 2.0 ", 1000)

-- the string value of the first member @name of a JSON text
local function field(json, name)
	return json:match('"' .. name .. '"%s*:%s*"([^"]*)"')
end

local function number(json, name)
	return tonumber(json:match('"' .. name .. '"%s*:%s*(%-?%d+)'))
end

local function count(json, pattern)
	local n = 0
	for _ in json:gmatch(pattern) do n = n + 1 end
	return n
end

local function each_database(fn)
	local dir = T.tmpdir()
	local ok, err = pcall(function()
		fn(suit.Database.memory(), dir .. "/memory")
		fn(suit.Database.sqlite(dir .. "/tracker.db"), dir .. "/sqlite")
	end)
	collectgarbage()
	T.rmtree(dir)
	if not ok then error(err, 0) end
end

local function make_envelope(dir, key, sequence_number)
	T.write(dir .. "/app.bin", PAYLOAD)
	local description = string.format([[{
	  "manifest-version": 1, "manifest-sequence-number": %d,
	  "components": [{"install-id": ["00"], "vendor-id": "%s", "class-id": "%s",
	                  "file": "app.bin", "uri": "/payloads/%s"}]}]],
		sequence_number, VENDOR, CLASS, T.sha256_hex(PAYLOAD))
	local author = suit.Author()
	author:add_key(key)
	return author:build_from_description_json(description, dir):to_bytes()
end

local function json_string(s)
	return '"' .. s:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("\n", "\\n") .. '"'
end

local function register(tracker, id, key)
	local answer = tracker:add_device(string.format(
		'{"id":"%s","vendor_id":"%s","class_id":"%s","tags":["lab"],"public_key":%s}',
		id, VENDOR, CLASS, json_string(key:export_public_pem())))
	T.eq(field(answer, "id"), id)
	return field(answer, "token")
end

local function signed_report(key, manifest_id, nonce_hex)
	local report = suit.Report()
	report:set_reference("/device/v1/manifests/" .. manifest_id,
		suit.Digest(suit.DIGEST_ALGORITHM_SHA256, T.unhex(manifest_id)))
	report.nonce = T.unhex(nonce_hex)
	report:set_result_success()
	return report:sign(key)
end

T.test("database documents, keys, order and transactions", function()
	each_database(function(db)
		db:put("things", "b", '{"n":2}', { "colour:red" })
		db:put("things", "a", '{"n":1}', { "colour:red", "size:big" })
		db:put("things", "c", '{"n":3}')
		T.eq(db:get("things", "a"), '{"n":1}')
		local all = db:query("things")
		T.eq(#all, 3)
		T.eq(all[1], '{"n":1}')
		T.eq(all[3], '{"n":3}')
		T.eq(#db:query("things", "colour:red"), 2)
		local page = db:query("things", nil, "a", 1)
		T.eq(#page, 1)
		T.eq(page[1], '{"n":2}')
		T.eq(db:count("things"), 3)
		T.eq(db:count("things", "size:big"), 1)
		db:remove("things", "a")
		T.raises("not-found", function() return db:get("things", "a") end)
		T.raises("invalid-argument", function() db:put("", "a", "{}") end)
		T.ok(not pcall(db.put, db, "things", "a", "{}", { 1, 2 }), "keys must be strings")

		db:begin()
		db:put("things", "d", '{"n":4}')
		T.raises("conflict", function() db:begin() end)
		db:rollback()
		T.raises("not-found", function() return db:get("things", "d") end)
		db:begin()
		db:put("things", "d", '{"n":4}')
		db:commit()
		T.eq(db:get("things", "d"), '{"n":4}')
	end)
end)

T.test("sqlite database path and persistence", function()
	local dir = T.tmpdir()
	local db = suit.Database.sqlite(dir .. "/state.db")
	T.eq(db.path, dir .. "/state.db")
	db:put("things", "a", '{"n":1}', { "k" })
	db = nil
	collectgarbage()
	local again = suit.Database.sqlite(dir .. "/state.db")
	T.eq(again:query("things", "k")[1], '{"n":1}')
	T.eq(suit.Database.memory().path, nil)
	again = nil
	collectgarbage()
	T.rmtree(dir)
end)

T.test("firmware server payloads and envelopes", function()
	each_database(function(db, dir)
		local key = suit.Key.generate(suit.KEY_TYPE_P256)
		local ring = suit.Keyring()
		ring:add(key:public_key())
		local server = suit.FirmwareServer(dir .. "/files", db, ring)
		T.eq(server.directory, dir .. "/files")
		local digest = server:add_payload(PAYLOAD)
		T.eq(digest, T.sha256_hex(PAYLOAD))
		T.ok(server:has_payload(digest))
		T.eq(server:payload_size(digest), #PAYLOAD)
		T.eq(T.read(server:payload_path(digest)), PAYLOAD)
		T.eq(server:read_payload(digest, 10, 5), PAYLOAD:sub(11, 15))
		T.eq(server:read_payload(digest), PAYLOAD)
		T.eq(server:copy_payload(digest, dir .. "/range.bin", 100, 50), 50)
		T.eq(T.read(dir .. "/range.bin"), PAYLOAD:sub(101, 150))
		T.write(dir .. "/other.bin", "other")
		T.eq(server:add_payload_file(dir .. "/other.bin"), T.sha256_hex("other"))
		T.raises("limit-exceeded", function() server:add_payload_file(dir .. "/other.bin", 2) end)
		T.write(dir .. "/files/tmp/upload", "moved")
		T.eq(server:import_payload(dir .. "/files/tmp/upload"), T.sha256_hex("moved"))
		T.raises("invalid-argument", function() server:payload_path("../../etc/passwd") end)
		T.raises("not-found", function() server:read_payload(string.rep("0", 64)) end)

		local blob = make_envelope(dir, key, 7)
		local summary = server:add_envelope(blob)
		T.eq(number(summary, "sequence_number"), 7)
		T.eq(field(summary, "vendor_id"), VENDOR)
		local id = field(summary, "id")
		T.eq(server:get_envelope(id), blob)
		T.eq(field(server:get_manifest(id), "id"), id)
		T.eq(count(server:list_manifests(VENDOR, CLASS), '"sequence_number"'), 1)
		local stranger = suit.Key.generate(suit.KEY_TYPE_P256)
		local ok, err = pcall(server.add_envelope, server, make_envelope(dir, stranger, 8))
		T.ok(not ok and (err.id == "signature-invalid" or err.id == "no-authentication"), tostring(err))
	end)
end)

T.test("status tracker: tokens, devices, a campaign with reports and events", function()
	each_database(function(db, dir)
		local author = suit.Key.generate(suit.KEY_TYPE_P256)
		local ring = suit.Keyring()
		ring:add(author:public_key())
		local server = suit.FirmwareServer(dir .. "/files", db, ring)
		local tracker = suit.StatusTracker(db, server)
		T.ok(tracker.database ~= nil and tracker.firmware_server ~= nil)

		local admin = tracker:create_token("viewer", "dashboard")
		T.eq(tracker:authenticate_operator(field(admin, "token")), "viewer")
		T.eq(count(tracker:list_tokens(), '"role"'), 1)
		tracker:revoke_token(field(admin, "id"))
		T.raises("permission-denied", function() tracker:authenticate_operator(field(admin, "token")) end)

		local key = suit.Key.generate(suit.KEY_TYPE_P256)
		local token = register(tracker, "dev-1", key)
		T.eq(tracker:authenticate_device(token), "dev-1")
		T.eq(field(tracker:get_device("dev-1"), "state"), "registered")
		T.eq(count(tracker:list_devices("lab"), '"public_key"'), 1)
		T.eq(count(tracker:list_devices(nil, "offered"), '"public_key"'), 0)
		T.raises("invalid-argument", function() tracker:add_device("[]") end)
		T.eq(tracker:check_in("dev-1", '{"sequence_number":1,"manifest":null}'), nil)

		server:add_payload(PAYLOAD)
		local manifest = field(server:add_envelope(make_envelope(dir, author, 2)), "id")
		local campaign = tracker:create_campaign(string.format(
			'{"manifest":"%s","devices":["dev-1"],"waves":[100],"max_failure_ratio":0.0}', manifest))
		local cid = field(campaign, "id")
		T.eq(field(campaign, "state"), "running")
		T.eq(count(tracker:list_campaigns(), '"manifest"'), 1)
		local offer = tracker:check_in("dev-1", '{"sequence_number":1,"manifest":null}')
		T.eq(field(offer, "action"), "install")
		local nonce = field(offer, "nonce")
		local forger = suit.Key.generate(suit.KEY_TYPE_P256)
		T.raises("signature-invalid", function() tracker:submit_report("dev-1", signed_report(forger, manifest, nonce)) end)
		local answer = tracker:submit_report("dev-1", signed_report(key, manifest, nonce))
		T.eq(field(answer, "state"), "installed")
		T.raises("conflict", function() tracker:submit_report("dev-1", signed_report(key, manifest, nonce)) end)
		local confirm = tracker:check_in("dev-1", '{"sequence_number":1,"manifest":null}')
		T.eq(field(confirm, "action"), "confirm")
		answer = tracker:submit_report("dev-1", signed_report(key, manifest, field(confirm, "nonce")))
		T.eq(field(answer, "state"), "succeeded")
		T.eq(field(tracker:get_campaign(cid), "state"), "completed")
		T.raises("conflict", function() tracker:pause_campaign(cid) end)
		T.raises("conflict", function() tracker:resume_campaign(cid) end)
		T.raises("conflict", function() tracker:cancel_campaign(cid) end)

		local events = tracker:list_events()
		T.ok(events:find('"device%-succeeded"') ~= nil, events)
		T.ok(events:find('"campaign%-completed"') ~= nil, events)
		T.ok(events:find('"report%-rejected"') ~= nil, events)
		T.eq(count(tracker:list_events("dev-1", nil, 0, 2), '"seq"'), 2)
		T.ok(tracker:get_statistics():find('"total"') ~= nil)
	end)
end)

T.test("communicator settings and a server that is not there", function()
	local dir = T.tmpdir()
	local ring = suit.Keyring()
	local store = suit.Store.directory(dir .. "/store")
	local fetcher = suit.Communicator.payload_fetcher("http://127.0.0.1:9/")
	T.ok(fetcher ~= nil)
	T.raises("invalid-argument", function() suit.Communicator.payload_fetcher("file:///tmp") end)
	local consumer = suit.FirmwareConsumer(ring, store, fetcher)
	T.raises("invalid-argument", function() suit.Communicator(consumer, store, "ftp://x/", "t") end)
	local comm = suit.Communicator(consumer, store, "http://127.0.0.1:9/", "token")
	T.eq(comm.manifest, nil)
	comm:set_device_key(suit.Key.generate(suit.KEY_TYPE_P256))
	comm.poll_interval = 42
	T.eq(comm.poll_interval, 42)
	comm:set_jitter(0.2)
	comm:set_max_retries(0)
	comm:set_health_command("true")
	T.raises("invalid-argument", function() comm:run_once() end)
	comm:set_state_directory(dir .. "/state")
	T.raises("fetch-failed", function() comm:run_once() end)
	T.eq(suit.COMMUNICATOR_OUTCOME_CONFIRMED, 2)
	comm, consumer, store, fetcher = nil, nil, nil, nil
	collectgarbage()
	T.rmtree(dir)
end)

T.run()
