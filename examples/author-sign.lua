-- SPDX-License-Identifier: LGPL-2.1-or-later
--
-- The Author role in a few lines: build an envelope from an exact manifest
-- JSON (the mirror `suit inspect --json` prints), sign it with a fresh
-- Ed25519 key, then verify the serialized envelope as a device would, with
-- only the public key. The same program as author-sign.c and author-sign.py.
--
-- Usage: lua5.4 author-sign.lua MANIFEST.json [OUT.suit]

local suit = require "suit"

local function author_sign(filename, output)
	-- the Author: manifest JSON -> envelope -> signature
	local f = assert(io.open(filename, "rb"))
	local envelope = suit.Envelope.from_json(f:read("a"))
	f:close()
	envelope:clear_authentication()
	local key = suit.Key.generate(suit.KEY_TYPE_ED25519)
	envelope:sign(key, suit.COSE_ALGORITHM_EDDSA)
	local blob = envelope:to_bytes()
	if output then
		local out = assert(io.open(output, "wb"))
		out:write(blob)
		out:close()
	end

	-- the device: only the public key is trusted
	local keyring = suit.Keyring()
	keyring:add(key:public_key())
	local received = suit.Envelope.parse(blob)
	received:verify(keyring)
	local manifest = received:manifest()
	print(string.format("signed and verified %d bytes", #blob))
	print("manifest digest: " .. received.manifest_digest.hex)
	print("sequence number: " .. manifest.sequence_number)
end

if #arg < 1 or #arg > 2 then
	io.stderr:write("usage: lua5.4 author-sign.lua MANIFEST.json [OUT.suit]\n")
	os.exit(2)
end
local ok, err = pcall(author_sign, arg[1], arg[2])
if not ok then
	if suit.is_error(err) then
		io.stderr:write(string.format("author-sign: %s: %s\n", err.id, err.message))
	else
		io.stderr:write("author-sign: " .. tostring(err) .. "\n")
	end
	os.exit(1)
end
