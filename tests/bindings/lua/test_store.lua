-- Stores: suit.Store (directory, memory, script) and suit.StoreWriter.
local T = require "testlib"
local suit = require "suit"

local PLAINTEXT_SHA256 = "36921488fe6680712f734e11f58d87eeb66d4b21a8a1ad3441060814da16d50f"

local cid = T.component

local function sha256(data)
	return suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA256, data)
end

local unhex = T.unhex

-- the same tests on a memory and a directory store
local function each_store(fn)
	local dir = T.tmpdir()
	local ok, err = pcall(function()
		fn(suit.MemoryStore(), "memory")
		fn(suit.DirectoryStore(dir .. "/store"), "directory")
	end)
	collectgarbage()
	T.rmtree(dir)
	if not ok then error(err, 0) end
end

local function assert_image(store, id, data)
	T.ok(store:has_component(id), "no image for " .. tostring(id))
	T.eq(store:read_bytes(id), data)
	T.eq(store:size(id), #data)
	T.ok(store:digest(id):equals(sha256(data)), "wrong digest")
end

local function ids_of(list)
	local names = {}
	for i, id in ipairs(list) do names[i] = tostring(id) end
	table.sort(names)
	return table.concat(names, " ")
end

T.test("factories, path and tostring", function()
	local dir = T.tmpdir()
	local d = suit.DirectoryStore(dir .. "/a/store")
	T.eq(d.path, dir .. "/a/store")
	T.eq(tostring(d), "directory store " .. dir .. "/a/store")
	local d2 = suit.Store.directory(dir .. "/other")
	T.eq(d2.path, dir .. "/other")
	local m = suit.MemoryStore()
	T.eq(m.path, nil)
	T.eq(tostring(m), "memory store")
	T.eq(suit.Store.memory().path, nil)
	local f = assert(io.open(dir .. "/a-file", "wb"))
	f:write("x")
	f:close()
	T.raises("invalid-argument", suit.Store.directory, dir .. "/a-file")
	d, d2 = nil, nil
	collectgarbage()
	T.rmtree(dir)
end)

T.test("write_bytes with and without a digest", function()
	each_store(function(store, kind)
		local c = cid("flash", "app")
		T.eq(store:has_component(c), false)
		T.eq(store:image_state(c), suit.STORE_IMAGE_STATE_NONE)
		store:write_bytes(c, "v1 without a digest", nil, suit.STORE_WRITE_FLAG_CONFIRM)
		assert_image(store, c, "v1 without a digest")
		T.eq(store:image_state(c), suit.STORE_IMAGE_STATE_CONFIRMED)
		store:write_bytes(c, "v2\0binary", sha256("v2\0binary"))
		assert_image(store, c, "v2\0binary")
		T.eq(store:image_state(c), suit.STORE_IMAGE_STATE_PENDING)
		local want = suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA384, "v3")
		store:write_bytes(c, "v3", want, suit.STORE_WRITE_FLAG_CONFIRM)
		T.ok(store:digest(c, suit.DIGEST_ALGORITHM_SHA384):equals(want), kind)
		T.eq(store:digest(c).hex, sha256("v3").hex)
	end)
end)

T.test("a wrong digest leaves the store unchanged", function()
	each_store(function(store)
		local c = cid("boot")
		store:write_bytes(c, "the old image", nil, suit.STORE_WRITE_FLAG_CONFIRM)
		local err = T.raises("digest-mismatch", store.write_bytes, store, c,
			"the new image, tampered", sha256("the new image, genuine!"))
		T.eq(err.code, suit.ERROR_DIGEST_MISMATCH)
		T.ok(err.message:find("digest mismatch"), err.message)
		assert_image(store, c, "the old image")
		T.eq(store:image_state(c), suit.STORE_IMAGE_STATE_CONFIRMED)
		T.eq(ids_of(store:list_components()), tostring(c))
		-- a missing component or image is a Lua error, not a crash
		for _, args in ipairs({ { nil, "x" }, { c, nil } }) do
			local ok, msg = pcall(store.write_bytes, store, args[1], args[2])
			T.ok(not ok and type(msg) == "string" and msg:find("must not be nil"), tostring(msg))
		end
		local ok, msg = pcall(store.has_component, store, nil)
		T.ok(not ok and type(msg) == "string" and msg:find("must not be nil"), tostring(msg))
		local w = store:begin_write(c)
		ok, msg = pcall(w.write, w, nil)
		T.ok(not ok and msg:find("must not be nil"), tostring(msg))
		ok, msg = pcall(w.write_file, w, nil)
		T.ok(not ok and msg:find("must not be nil"), tostring(msg))
		w:abort()
		ok, msg = pcall(suit.Store.directory, nil)
		T.ok(not ok and msg:find("must not be nil"), tostring(msg))
	end)
end)

T.test("reading errors", function()
	each_store(function(store)
		local c, missing = cid("small"), cid("missing")
		store:write_bytes(c, "0123456789", nil, suit.STORE_WRITE_FLAG_CONFIRM)
		T.raises("limit-exceeded", store.read_bytes, store, c, 4)
		T.eq(store:read_bytes(c, 10), "0123456789")
		for _, name in ipairs({ "read_bytes", "size", "digest", "remove_component", "confirm" }) do
			T.raises("not-found", store[name], store, missing)
		end
		T.raises("unsupported-algorithm", store.digest, store, c, -99)
	end)
end)

T.test("writers stream, commit and abort", function()
	each_store(function(store)
		local c = cid("flash", "app")
		local whole = "hello, firmware world"
		local w = store:begin_write(c)
		T.ok(w.component:equals(c))
		for off = 1, #whole, 8 do
			w:write(whole:sub(off, off + 7))
		end
		T.eq(w.size, #whole)
		T.eq(w.digest, nil)
		T.eq(store:has_component(c), false)
		w:commit(sha256(whole), #whole)
		T.ok(w.digest:equals(sha256(whole)))
		assert_image(store, c, whole)
		T.eq(store:image_state(c), suit.STORE_IMAGE_STATE_PENDING)
		T.raises("conflict", w.write, w, "more")
		T.raises("conflict", w.commit, w)
		w:abort()

		-- wrong size, wrong algorithm, algorithm too late, unknown algorithm
		w = store:begin_write(c)
		w:write("new")
		local err = T.raises("digest-mismatch", w.commit, w, sha256("new"), 4)
		T.ok(err.message:find("size mismatch"), err.message)
		w = store:begin_write(c)
		w:write("new")
		T.raises("conflict", w.set_digest_algorithm, w, suit.DIGEST_ALGORITHM_SHA512)
		T.raises("invalid-argument", w.commit, w, suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA384, "new"))
		w = store:begin_write(c)
		T.raises("unsupported-algorithm", w.set_digest_algorithm, w, -1)
		w:abort()
		assert_image(store, c, whole)

		-- an explicit abort
		w = store:begin_write(c)
		w:write("partial")
		w:abort()
		w:abort()
		T.raises("conflict", w.write, w, "more")
		T.raises("conflict", w.commit, w)
		assert_image(store, c, whole)

		-- a chosen algorithm, confirmed
		w = store:begin_write(c, suit.STORE_WRITE_FLAG_CONFIRM)
		w:set_digest_algorithm(suit.DIGEST_ALGORITHM_SHA384)
		w:write("sha-384")
		w:commit(suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA384, "sha-384"), -1)
		T.eq(w.digest.algorithm, suit.DIGEST_ALGORITHM_SHA384)
		assert_image(store, c, "sha-384")
		T.eq(store:image_state(c), suit.STORE_IMAGE_STATE_CONFIRMED)
	end)
end)

T.test("write_file streams a file into the writer", function()
	each_store(function(store)
		local c = cid("plaintext-firmware")
		local w = store:begin_write(c)
		w:write_file(T.vectors .. "/encryption/plaintext.bin")
		T.eq(w.size, 30)
		w:commit(suit.Digest(suit.DIGEST_ALGORITHM_SHA256, unhex(PLAINTEXT_SHA256)), 30)
		T.eq(store:read_bytes(c), "This is a real firmware image.")
		T.eq(store:digest(c).hex, PLAINTEXT_SHA256)
		w = store:begin_write(c)
		w:write("abc")
		T.raises("not-found", w.write_file, w, T.vectors .. "/no-such-file")
		T.raises("conflict", w.commit, w)
		w = store:begin_write(c)
		T.raises("fetch-failed", w.write_file, w, T.vectors)
		T.eq(store:read_bytes(c), "This is a real firmware image.")
	end)
end)

T.test("pending images, confirm and the fallback", function()
	each_store(function(store)
		local app, other = cid("app"), cid("other")
		store:write_bytes(app, "app v1", nil, suit.STORE_WRITE_FLAG_CONFIRM)
		T.raises("conflict", store.confirm, store, app)
		store:write_bytes(app, "app v2, never confirmed")
		T.eq(store:image_state(app), suit.STORE_IMAGE_STATE_PENDING)
		T.eq(#store:begin_boot(), 0)
		T.eq(store:image_state(app), suit.STORE_IMAGE_STATE_TRYING)
		assert_image(store, app, "app v2, never confirmed")
		local fallen = store:begin_boot()
		T.eq(#fallen, 1)
		T.ok(fallen[1]:equals(app))
		T.eq(store:image_state(app), suit.STORE_IMAGE_STATE_CONFIRMED)
		assert_image(store, app, "app v1")

		store:write_bytes(app, "app v3")
		T.eq(#store:begin_boot(), 0)
		store:confirm(app)
		T.eq(store:image_state(app), suit.STORE_IMAGE_STATE_CONFIRMED)
		T.eq(#store:begin_boot(), 0)
		assert_image(store, app, "app v3")

		store:write_bytes(other, "first image, A/B")
		store:begin_boot()
		T.eq(ids_of(store:begin_boot()), tostring(other))
		T.eq(store:has_component(other), false)
		T.eq(store:image_state(other), suit.STORE_IMAGE_STATE_NONE)
	end)
end)

T.test("list and remove", function()
	each_store(function(store)
		local gone, keep = cid("removable"), cid("kept")
		store:write_bytes(gone, "v1", nil, suit.STORE_WRITE_FLAG_CONFIRM)
		store:write_bytes(gone, "v2")
		store:write_bytes(keep, "v1", nil, suit.STORE_WRITE_FLAG_CONFIRM)
		store:set_sequence_number(gone, 9)
		T.eq(ids_of(store:list_components()), ids_of({ gone, keep }))
		store:remove_component(gone)
		T.eq(store:has_component(gone), false)
		T.raises("not-found", store.remove_component, store, gone)
		T.eq(ids_of(store:list_components()), tostring(keep))
		T.eq(store:sequence_number(gone), 9)
		store:write_bytes(gone, "again")
		assert_image(store, gone, "again")
	end)
end)

T.test("sequence numbers", function()
	each_store(function(store)
		local dep = cid("dependency", "manifest")
		T.eq(store:sequence_number(), nil)
		T.eq(store:sequence_number(dep), nil)
		store:set_sequence_number(nil, 5)
		store:set_sequence_number(dep, math.maxinteger)
		T.eq(store:sequence_number(), 5)
		T.eq(math.type(store:sequence_number()), "integer")
		T.eq(store:sequence_number(dep), math.maxinteger)
		T.eq(store:sequence_number(cid("dependency", "other")), nil)
		store:set_sequence_number(nil, 3)
		T.eq(store:sequence_number(), 3)
		if store.path then
			local again = suit.DirectoryStore(store.path)
			T.eq(again:sequence_number(), 3)
			T.eq(again:sequence_number(dep), math.maxinteger)
		end
	end)
end)

-- stores in the script

local function table_store()
	local s = { images = {}, calls = {} }
	function s:write(component, data)
		T.eq(type(data), "string")
		self.calls[#self.calls + 1] = "write " .. tostring(component) .. " " .. data
		self.images[tostring(component)] = data
	end
	function s:read(component)
		return self.images[tostring(component)]
	end
	function s:remove(component)
		self.calls[#self.calls + 1] = "remove " .. tostring(component)
		self.images[tostring(component)] = nil
	end
	return s
end

T.test("a script store through the Store wrapper", function()
	local script = table_store()
	local store = suit.Store.from_script(script)
	T.eq(tostring(store), "script store")
	T.eq(store.path, nil)
	local c = cid("00")
	T.eq(store:has_component(c), false)
	T.eq(store:image_state(c), suit.STORE_IMAGE_STATE_NONE)
	store:write_bytes(c, "hello", sha256("hello"))
	T.eq(#script.calls, 1)
	T.eq(script.calls[1], "write " .. tostring(c) .. " hello")
	assert_image(store, c, "hello")
	T.eq(store:image_state(c), suit.STORE_IMAGE_STATE_CONFIRMED)
	T.raises("conflict", store.confirm, store, c)
	T.eq(#store:begin_boot(), 0)
	T.eq(ids_of(store:list_components()), tostring(c))

	local w = store:begin_write(c)
	w:write("wor")
	w:write("ld")
	T.eq(#script.calls, 1)
	w:commit(sha256("world"), 5)
	T.eq(script.calls[2], "write " .. tostring(c) .. " world")
	T.raises("digest-mismatch", store.write_bytes, store, c, "tampered", sha256("genuine"))
	w = store:begin_write(c)
	w:write("aborted")
	w:abort()
	T.eq(#script.calls, 2)
	T.eq(store:read_bytes(c), "world")

	store:remove_component(c)
	T.eq(script.calls[3], "remove " .. tostring(c))
	T.eq(store:has_component(c), false)
	T.eq(#store:list_components(), 0)
	T.raises("not-found", store.remove_component, store, c)
	T.eq(#script.calls, 3)
	T.raises("not-found", store.read_bytes, store, c)

	-- kept in the Store without get/set_sequence_number()
	T.eq(store:sequence_number(), nil)
	store:set_sequence_number(nil, 7)
	store:set_sequence_number(c, 11)
	T.eq(store:sequence_number(), 7)
	T.eq(store:sequence_number(c), 11)
end)

T.test("a script store with only write and read", function()
	local images = {}
	local store = suit.Store.from_script({
		write = function(_, component, data) images[tostring(component)] = data end,
		read = function(_, component) return images[tostring(component)] end,
	})
	local c = cid("a", "b")
	store:write_bytes(c, "image")
	T.eq(images[tostring(c)], "image")
	T.eq(store:read_bytes(c), "image")
	T.eq(store:size(c), 5)
	T.raises("not-supported", store.remove_component, store, c)
	T.eq(ids_of(store:list_components()), tostring(c))
	store:set_sequence_number(nil, 1)
	T.eq(store:sequence_number(), 1)
end)

T.test("errors raised by the script", function()
	local c = cid("00")
	local function failing(fn)
		local s = table_store()
		s.write = fn
		return suit.Store.from_script(s)
	end
	local store = failing(function() suit.error("write-failed", "flash full") end)
	local err = T.raises("write-failed", store.write_bytes, store, c, "data")
	T.ok(err.message:find("flash full"), err.message)
	T.eq(store:has_component(c), false)
	store = failing(function() suit.error("permission-denied", "locked") end)
	T.raises("permission-denied", store.write_bytes, store, c, "data")
	store = failing(function() error("boom") end)
	local w = store:begin_write(c)
	w:write("data")
	err = T.raises("write-failed", w.commit, w)
	T.ok(err.message:find("boom"), err.message)
	T.raises("conflict", w.commit, w)

	-- read(): errors become not-found unless the script chooses
	local function reader(fn)
		return suit.Store.from_script({ write = function() end, read = fn })
	end
	store = reader(function() error("no such slot") end)
	T.raises("not-found", store.read_bytes, store, c)
	T.eq(store:has_component(c), false)
	store = reader(function() suit.error("condition-failed", "x") end)
	T.raises("condition-failed", store.read_bytes, store, c)
	store = reader(function() return 42 end)
	err = T.raises("internal", store.read_bytes, store, c)
	T.ok(err.message:find("read%(%) must return"), err.message)
end)

T.test("a script store needs write and read", function()
	for _, bad in ipairs({ {}, { write = function() end }, { write = 1, read = 2 }, 42, "store" }) do
		local err = T.raises("invalid-argument", suit.Store.from_script, bad)
		T.ok(err.message:find("write%(%) and read%(%)"), err.message)
	end
	local s = table_store()
	s.get_sequence_number = function() return nil end
	local err = T.raises("invalid-argument", suit.Store.from_script, s)
	T.ok(err.message:find("get_sequence_number"), err.message)
	T.raises("invalid-argument", suit.Store.from_script, suit.MemoryStore())
end)

-- an A/B store in the script, as a class: the methods are in the metatable
local ABStore = {}
ABStore.__index = ABStore

function ABStore.new()
	return setmetatable({ confirmed = {}, pending = {}, tried = {}, ids = {}, seq = {}, flags = {} }, ABStore)
end

function ABStore:write(component, data, flags)
	local k = tostring(component)
	self.flags[#self.flags + 1] = flags
	self.ids[k] = component
	self.pending[k], self.tried[k] = nil, nil
	if flags & suit.STORE_WRITE_FLAG_CONFIRM ~= 0 then
		self.confirmed[k] = data
	else
		self.pending[k] = data
	end
end

function ABStore:read(component)
	local k = tostring(component)
	return self.pending[k] or self.confirmed[k]
end

function ABStore:has_component(component)
	return self:read(component) ~= nil
end

function ABStore:remove(component)
	local k = tostring(component)
	self.pending[k], self.confirmed[k] = nil, nil
end

function ABStore:image_state(component)
	local k = tostring(component)
	if self.pending[k] then
		return self.tried[k] and suit.STORE_IMAGE_STATE_TRYING or suit.STORE_IMAGE_STATE_PENDING
	end
	return self.confirmed[k] and suit.STORE_IMAGE_STATE_CONFIRMED or suit.STORE_IMAGE_STATE_NONE
end

function ABStore:confirm(component)
	local k = tostring(component)
	if not self.pending[k] then suit.error("conflict", "nothing pending") end
	self.confirmed[k], self.pending[k], self.tried[k] = self.pending[k], nil, nil
end

function ABStore:begin_boot()
	local fallen = {}
	for k in pairs(self.pending) do
		if self.tried[k] then
			fallen[#fallen + 1] = self.ids[k]
			self.pending[k], self.tried[k] = nil, nil
		else
			self.tried[k] = true
		end
	end
	return fallen
end

function ABStore:list_components()
	local list = {}
	for k, id in pairs(self.ids) do
		if self.pending[k] or self.confirmed[k] then list[#list + 1] = id end
	end
	return list
end

function ABStore:get_sequence_number(manifest_id)
	return self.seq[manifest_id and tostring(manifest_id) or "root"]
end

function ABStore:set_sequence_number(manifest_id, value)
	self.seq[manifest_id and tostring(manifest_id) or "root"] = value
end

T.test("an A/B script store", function()
	local script = ABStore.new()
	local store = suit.Store.from_script(script)
	local app = cid("app")
	store:write_bytes(app, "v1", nil, suit.STORE_WRITE_FLAG_CONFIRM)
	store:write_bytes(app, "v2")
	T.eq(#script.flags, 2)
	T.eq(script.flags[1], suit.STORE_WRITE_FLAG_CONFIRM)
	T.eq(script.flags[2], 0)
	T.eq(store:image_state(app), suit.STORE_IMAGE_STATE_PENDING)
	T.eq(store:read_bytes(app), "v2")
	T.eq(#store:begin_boot(), 0)
	T.eq(store:image_state(app), suit.STORE_IMAGE_STATE_TRYING)
	T.eq(ids_of(store:begin_boot()), tostring(app))
	T.eq(store:read_bytes(app), "v1")
	T.raises("conflict", store.confirm, store, app)
	store:write_bytes(app, "v3")
	store:confirm(app)
	T.eq(store:image_state(app), suit.STORE_IMAGE_STATE_CONFIRMED)
	T.eq(ids_of(store:list_components()), tostring(app))
	store:remove_component(app)
	T.eq(store:has_component(app), false)
	T.eq(store:sequence_number(), nil)
	store:set_sequence_number(nil, 4)
	store:set_sequence_number(app, 8)
	T.eq(script.seq.root, 4)
	T.eq(script.seq[tostring(app)], 8)
	T.eq(store:sequence_number(), 4)
	T.eq(store:sequence_number(app), 8)
end)

T.test("wrong results from the script", function()
	local script = ABStore.new()
	script.image_state = function() return 99 end
	script.begin_boot = function() return { "not an id" } end
	script.list_components = function() return 42 end
	script.get_sequence_number = function() return "seven" end
	script.set_sequence_number = function() error("disk") end
	local store = suit.Store.from_script(script)
	local c = cid("00")
	T.raises("internal", store.image_state, store, c)
	T.raises("internal", store.begin_boot, store)
	T.raises("internal", store.list_components, store)
	T.raises("internal", store.sequence_number, store)
	T.raises("write-failed", store.set_sequence_number, store, nil, 1)
	script.begin_boot = function() error("flash") end
	T.raises("write-failed", store.begin_boot, store)
end)

T.test("the image limit of a script store", function()
	local script = table_store()
	local store = suit.Store.from_script(script, 4)
	local c = cid("00")
	store:write_bytes(c, "1234")
	local err = T.raises("write-failed", store.write_bytes, store, c, "12345")
	T.ok(err.message:find("larger than the 4 bytes"), err.message)
	T.eq(store:read_bytes(c), "1234")
	T.eq(#script.calls, 1)
end)

T.test("the store keeps its table until it is collected", function()
	local weak = setmetatable({}, { __mode = "k" })
	local script = table_store()
	weak[script] = true
	local store = suit.Store.from_script(script)
	script = nil
	collectgarbage()
	collectgarbage()
	T.ok(next(weak) ~= nil, "the table was collected while the store lives")
	store:write_bytes(cid("00"), "kept alive")
	T.eq(next(weak).images[tostring(cid("00"))], "kept alive")
	local w = store:begin_write(cid("01"))
	store = nil
	collectgarbage()
	collectgarbage()
	T.ok(next(weak) ~= nil, "the writer keeps the store")
	w:write("late")
	w:commit()
	T.eq(next(weak).images[tostring(cid("01"))], "late")
	w = nil
	collectgarbage()
	collectgarbage()
	T.eq(next(weak), nil, "the table outlived its store")
end)

T.run()
