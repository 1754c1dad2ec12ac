#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The Author role in a few lines: build an envelope from an exact manifest
JSON (the mirror `suit inspect --json` prints), sign it with a fresh Ed25519
key, then verify the serialized envelope as a device would, with only the
public key. The same program as author-sign.c and author-sign.lua.

Usage: author-sign.py MANIFEST.json [OUT.suit]
"""

import sys

import suit


def author_sign(filename, output=None):
    # the Author: manifest JSON -> envelope -> signature
    with open(filename, encoding="utf-8") as f:
        envelope = suit.Envelope.from_json(f.read())
    envelope.clear_authentication()
    key = suit.Key.generate(suit.KEY_TYPE_ED25519)
    envelope.sign(key, suit.COSE_ALGORITHM_EDDSA)
    blob = envelope.to_bytes()
    if output is not None:
        with open(output, "wb") as f:
            f.write(blob)

    # the device: only the public key is trusted
    keyring = suit.Keyring()
    keyring.add(key.public_key())
    received = suit.Envelope.parse(blob)
    received.verify(keyring)
    manifest = received.manifest()
    print("signed and verified %d bytes" % len(blob))
    print("manifest digest: %s" % received.manifest_digest.hex)
    print("sequence number: %d" % manifest.sequence_number)


def main(argv):
    if len(argv) not in (2, 3):
        print("usage: %s MANIFEST.json [OUT.suit]" % argv[0], file=sys.stderr)
        return 2
    try:
        author_sign(*argv[1:])
    except suit.Error as e:
        print("author-sign: %s: %s" % (e.id, e.message), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
