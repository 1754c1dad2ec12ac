#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The Firmware Consumer role, end to end in one program: an Author signs an
update for a 64 KiB payload that the device fetches from a file:// URI; the
device verifies it, installs it into a directory store with a progress
callback, and signs its SUIT report, which the Status Tracker side then
verifies with the device's public key. The same program as
consumer-install.c and consumer-install.lua.

Usage: consumer-install.py WORKDIR
"""

import hashlib
import os
import pathlib
import sys

import suit

PAYLOAD_SIZE = 64 * 1024


def consumer_install(workdir):
    workdir = pathlib.Path(workdir).resolve()
    payload_path = workdir / "app.bin"

    # a payload on the "server"
    payload = bytes((i * 7 + 3) & 0xFF for i in range(PAYLOAD_SIZE))
    payload_path.write_bytes(payload)

    # the Author: a description, a key, a signed envelope
    description = ('{"manifest-sequence-number": 1, "components": [{'
                   '"install-id": ["00"], "file": "app.bin", "uri": "%s", '
                   '"vendor-domain": "example.com", "class-name": "board-r2"}]}' % payload_path.as_uri())
    author_key = suit.Key.generate(suit.KEY_TYPE_P256)
    author = suit.Author()
    author.add_key(author_key)
    blob = author.build_from_description_json(description, str(workdir)).to_bytes()

    # the device: trusts the author's public key, has its own key
    trusted = suit.Keyring()
    trusted.add(author_key.public_key())
    device_key = suit.Key.generate(suit.KEY_TYPE_P256)
    store = suit.Store.directory(str(workdir / "store"))
    consumer = suit.FirmwareConsumer(trusted, store, suit.Fetcher.default())
    vendor_id = suit.Author.vendor_id_from_domain("example.com")
    consumer.set_vendor_id(vendor_id)
    consumer.set_class_id(suit.Author.class_id_from_name(vendor_id, "board-r2"))

    def on_progress(percentage, status):
        print("progress %3.0f%%" % percentage)

    consumer.update(suit.Envelope.parse(blob), on_progress)

    # the image in the store is the payload ("00" is hex: one zero byte)
    stored = store.digest(suit.ComponentId.from_parts([b"\x00"]))
    if stored.value != hashlib.sha256(payload).digest():
        raise suit.error_for_id("digest-mismatch", "stored %s" % stored.hex)
    print("installed %s" % stored.hex)

    # the report, signed by the device and checked by the tracker
    cose = consumer.report.sign(device_key)
    devices = suit.Keyring()
    devices.add(device_key.public_key())
    checked = suit.Report.from_cose(cose, devices)
    print("report verified: %s" % ("success" if checked.success else "failure"))
    return checked.success


def main(argv):
    if len(argv) != 2:
        print("usage: %s WORKDIR" % argv[0], file=sys.stderr)
        return 2
    try:
        ok = consumer_install(argv[1])
    except suit.Error as e:
        print("consumer-install: %s: %s" % (e.id, e.message), file=sys.stderr)
        return 1
    if not ok:
        print("consumer-install: the report says the update failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
