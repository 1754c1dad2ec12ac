-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- The Firmware Consumer role, end to end in one program: an Author signs an
-- update for a 64 KiB payload that the device fetches from a file:// URI;
-- the device verifies it, installs it into a directory store with a
-- progress callback, and signs its SUIT report, which the Status Tracker
-- side then verifies with the device's public key. The same program as
-- consumer-install.c and consumer-install.py.
--
-- Usage: lua5.4 consumer-install.lua WORKDIR (an absolute path)

local suit = require "suit"

local PAYLOAD_SIZE = 64 * 1024

local function consumer_install(workdir)
	local payload_path = workdir .. "/app.bin"

	-- a payload on the "server"
	local bytes = {}
	for i = 0, PAYLOAD_SIZE - 1 do
		bytes[#bytes + 1] = string.char((i * 7 + 3) & 0xff)
	end
	local payload = table.concat(bytes)
	local f = assert(io.open(payload_path, "wb"))
	f:write(payload)
	f:close()

	-- the Author: a description, a key, a signed envelope
	local description = string.format('{"manifest-sequence-number": 1, "components": [{' ..
		'"install-id": ["00"], "file": "app.bin", "uri": "file://%s", ' ..
		'"vendor-domain": "example.com", "class-name": "board-r2"}]}', payload_path)
	local author_key = suit.Key.generate(suit.KEY_TYPE_P256)
	local author = suit.Author()
	author:add_key(author_key)
	local blob = author:build_from_description_json(description, workdir):to_bytes()

	-- the device: trusts the author's public key, has its own key
	local trusted = suit.Keyring()
	trusted:add(author_key:public_key())
	local device_key = suit.Key.generate(suit.KEY_TYPE_P256)
	local store = suit.Store.directory(workdir .. "/store")
	local consumer = suit.FirmwareConsumer(trusted, store, suit.Fetcher.default())
	local vendor_id = suit.Author.vendor_id_from_domain("example.com")
	consumer:set_vendor_id(vendor_id)
	consumer:set_class_id(suit.Author.class_id_from_name(vendor_id, "board-r2"))

	consumer:update(suit.Envelope.parse(blob), function(percentage, status)
		print(string.format("progress %3.0f%%", percentage))
	end)

	-- the image in the store is the payload ("00" is hex: one zero byte)
	local component = suit.ComponentId()
	component:append("\0")
	local stored = store:digest(component)
	local expected = suit.Digest.compute(suit.DIGEST_ALGORITHM_SHA256, payload)
	if not stored:equals(expected) then
		suit.error("digest-mismatch", "stored " .. stored.hex)
	end
	print("installed " .. stored.hex)

	-- the report, signed by the device and checked by the tracker
	local cose = consumer.report:sign(device_key)
	local devices = suit.Keyring()
	devices:add(device_key:public_key())
	local checked = suit.Report.from_cose(cose, devices)
	print("report verified: " .. (checked.success and "success" or "failure"))
	return checked.success
end

if #arg ~= 1 or arg[1]:sub(1, 1) ~= "/" then
	io.stderr:write("usage: lua5.4 consumer-install.lua WORKDIR (an absolute path)\n")
	os.exit(2)
end
local ok, result = pcall(consumer_install, arg[1])
if not ok then
	if suit.is_error(result) then
		io.stderr:write(string.format("consumer-install: %s: %s\n", result.id, result.message))
	else
		io.stderr:write("consumer-install: " .. tostring(result) .. "\n")
	end
	os.exit(1)
elseif not result then
	io.stderr:write("consumer-install: the report says the update failed\n")
	os.exit(1)
end
