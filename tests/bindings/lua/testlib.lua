-- A small test library for the Lua binding tests: TAP output, one process
-- per file, exit status 1 when anything failed.
--
--   local T = require "testlib"
--   T.test("a key signs", function() T.eq(1, 1) end)
--   T.run()

local T = {}
local tests = {}

T.vectors = os.getenv("SUIT_TEST_VECTORS") or "../shared/vectors"

function T.test(name, fn)
	tests[#tests + 1] = { name = name, fn = fn }
end

local function fail(msg, level)
	error(msg, (level or 1) + 2)
end

function T.ok(value, msg)
	if not value then fail(msg or "expected a true value", 1) end
	return value
end

function T.eq(actual, expected, msg)
	if actual ~= expected then
		fail(string.format("%s: expected %q, got %q", msg or "not equal",
			tostring(expected), tostring(actual)), 1)
	end
end

-- calls fn(...) and checks that it raises a suit.Error with the id;
-- returns the error value
function T.raises(id, fn, ...)
	local ok, err = pcall(fn, ...)
	if ok then fail("expected suit.Error " .. id .. ", nothing raised", 1) end
	if type(err) ~= "table" or err.id == nil then
		fail("expected suit.Error " .. id .. ", got " .. tostring(err), 1)
	end
	if err.id ~= id then
		fail("expected suit.Error " .. id .. ", got " .. tostring(err), 1)
	end
	return err
end

-- the lower-case hex of a byte string, and back
function T.hex(s)
	return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

function T.unhex(s)
	return (s:gsub("%x%x", function(h) return string.char(tonumber(h, 16)) end))
end

-- writes a whole file
function T.write(path, data)
	local f = assert(io.open(path, "wb"))
	f:write(data)
	f:close()
end

-- a suit.ComponentId of the byte strings given
function T.component(...)
	local id = require("suit").ComponentId()
	for _, part in ipairs({ ... }) do
		id:append(part)
	end
	return id
end

function T.sha256_hex(data)
	local suit = require "suit"
	return suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA256, data).hex
end

-- a suit.Keyring with one key file of the shared vectors' keys/
function T.keyring(name)
	local ring = require("suit").Keyring()
	ring:add_from_file(T.vectors .. "/keys/" .. name)
	return ring
end

-- the bytes of a file, or an error
function T.read(path)
	local f = assert(io.open(path, "rb"))
	local data = f:read("a")
	f:close()
	return data
end

function T.vector(rel)
	return T.read(T.vectors .. "/" .. rel)
end

-- a fresh empty directory under the system's temp dir
function T.tmpdir()
	local p = os.tmpname()
	os.remove(p)
	assert(os.execute("mkdir -p '" .. p .. "'"))
	return p
end

function T.rmtree(path)
	os.execute("rm -rf '" .. path .. "'")
end

function T.run()
	local failed = 0
	print("TAP version 13")
	print("1.." .. #tests)
	for i, t in ipairs(tests) do
		local ok, err = xpcall(t.fn, function(e)
			return debug.traceback(tostring(e), 2)
		end)
		collectgarbage()
		if ok then
			print(string.format("ok %d - %s", i, t.name))
		else
			failed = failed + 1
			print(string.format("not ok %d - %s", i, t.name))
			for line in tostring(err):gmatch("[^\n]+") do
				print("# " .. line)
			end
		end
	end
	os.exit(failed == 0 and 0 or 1)
end

return T
