#!/usr/bin/python3
"""Writes the seed corpus of the envelope fuzzer, tests/fuzz/corpus/envelope/.

The seeds are small hand-made envelopes (built here with cbor2) and inputs
derived from the shared vectors by truncation and byte flips, never plain
copies of them: the vectors stay in ../shared/vectors and the replay test
reads them there. The output is deterministic (fixed random seed), so running
this again gives the same files.

Usage: scripts/generate-fuzz-corpus.py [--vectors DIR] [--out DIR]
"""
import argparse
import hashlib
import os
import pathlib
import random
import shutil

import cbor2

ROOT = pathlib.Path(__file__).resolve().parent.parent

# vectors the derived seeds come from: one of each shape (signed, severable,
# untagged, MAC, integrated payload and dependency, two signatures, ...)
SOURCES = [
    "manifest/ex0-secure-boot.suit",
    "manifest/ex2-severable-full.suit",
    "manifest/ex3-ab-images.suit",
    "manifest/ex4-load-external.suit",
    "teep/teep-integrated.suit",
    "encryption/aeskw-gcm-write.suit",
    "encryption/esdh-gcm-dependency.suit",
    "trust-domains/td-integrated-dependency.suit",
    "update-management/um-U2.suit",
    "external/nordic-two-signatures-legacy-install17.suit",
    "external/nordic-unsigned-bad-digest-bignum-version.suit",
]


def digest_of(manifest_bstr_item):
    return [-16, hashlib.sha256(manifest_bstr_item).digest()]


def handmade():
    """Small envelopes that hit one rule each."""
    seeds = {}
    manifest = {1: 1, 2: 7, 3: {2: [[b"\x00"]]}}
    manifest_bytes = cbor2.dumps(manifest)
    manifest_item = cbor2.dumps(manifest_bytes)
    digest = cbor2.dumps(digest_of(manifest_item))
    protected = cbor2.dumps({1: -7})
    sign1 = cbor2.dumps(cbor2.CBORTag(18, [protected, {}, None, b"\x11" * 64]))
    mac0 = cbor2.dumps(cbor2.CBORTag(17, [cbor2.dumps({1: 5}), {}, None, b"\x22" * 32]))

    def envelope(auth, members=None, tag=True):
        env = {2: cbor2.dumps(auth), 3: manifest_bytes}
        env.update(members or {})
        body = cbor2.dumps(env)
        return b"\xd8\x6b" + body if tag else body

    seeds["empty"] = b""
    seeds["empty-map"] = b"\xa0"
    seeds["tag107-empty-map"] = b"\xd8\x6b\xa0"
    seeds["no-cose"] = envelope([digest])
    seeds["sign1-bad-signature"] = envelope([digest, sign1])
    seeds["mac0-bad-tag"] = envelope([digest, mac0])
    seeds["untagged-sign1"] = envelope([digest, sign1], tag=False)
    seeds["two-blocks"] = envelope([digest, sign1, mac0])
    seeds["severed-install"] = envelope(
        [digest, sign1], {20: cbor2.dumps([12, 0, 21, 2])})
    seeds["integrated-payload"] = envelope([digest, sign1], {"#file.bin": b"hello"})
    seeds["version-2"] = b"\xd8\x6b" + cbor2.dumps(
        {2: cbor2.dumps([digest]), 3: cbor2.dumps({1: 2, 2: 0, 3: {2: [[b"\x00"]]}})})
    seeds["version-bignum"] = b"\xd8\x6b" + cbor2.dumps(
        {2: cbor2.dumps([digest]), 3: cbor2.dumps({1: cbor2.CBORTag(2, b"\x01"), 2: 0})})
    # {2: h'', 2: h''}: a duplicate key, written by hand
    seeds["duplicate-keys"] = b"\xd8\x6b\xa2\x02\x40\x02\x40"
    # indefinite-length map and byte string
    seeds["indefinite-map"] = b"\xd8\x6b\xbf\x02\x5f\x41\x00\xff\x03\x40\xff"
    # a byte string that claims 4 GiB
    seeds["huge-length"] = b"\xd8\x6b\xa1\x03\x5a\xff\xff\xff\xff\x00"
    # 200 nested arrays inside the manifest bstr
    nested = b"\x81" * 200 + b"\x00"
    seeds["deep-nesting"] = b"\xd8\x6b\xa1\x03" + cbor2.dumps(nested)
    seeds["trailing-bytes"] = envelope([digest, sign1]) + b"\x00"
    seeds["tag-in-tag"] = b"\xd8\x6b\xd8\x6b\xa0"
    seeds["negative-key"] = b"\xd8\x6b\xa1\x20\x40"
    seeds["float-key"] = b"\xd8\x6b\xa1\xf9\x3c\x00\x40"
    return seeds


def derived(vectors, rng):
    seeds = {}
    for rel in SOURCES:
        path = vectors / rel
        if not path.exists():
            print("skipping missing %s" % path)
            continue
        data = path.read_bytes()
        stem = path.stem
        for cut in sorted({len(data) // 4, len(data) // 2, len(data) - 1}):
            seeds["trunc-%s-%d" % (stem, cut)] = data[:cut]
        for n in range(3):
            pos = rng.randrange(len(data))
            mask = 1 << rng.randrange(8)
            flipped = bytearray(data)
            flipped[pos] ^= mask
            seeds["flip-%s-%d-%02x" % (stem, pos, mask)] = bytes(flipped)
    return seeds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vectors", type=pathlib.Path,
                        default=pathlib.Path(os.environ.get(
                            "SUIT_TEST_VECTORS", ROOT.parent / "shared" / "vectors")))
    parser.add_argument("--out", type=pathlib.Path,
                        default=ROOT / "tests" / "fuzz" / "corpus" / "envelope")
    args = parser.parse_args()

    rng = random.Random(20260101)
    seeds = handmade()
    seeds.update(derived(args.vectors, rng))

    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    for name, data in sorted(seeds.items()):
        (args.out / name).write_bytes(data)
    print("wrote %d seeds to %s" % (len(seeds), args.out))


if __name__ == "__main__":
    main()
