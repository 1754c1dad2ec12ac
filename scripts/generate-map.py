#!/usr/bin/python3
"""Regenerates libsuit/libsuit.map from the public headers.

Every function declared after a SUIT_AVAILABLE_IN_* marker, the boxed and
G_DECLARE type functions, and the mkenums get_type functions go into the
LIBSUIT_0.1 node. Run it after adding public API; tests/check-symbols.py
fails when the map and the library disagree.
"""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent / "libsuit"
symbols = set()
for header in sorted(h for h in root.glob("suit-*.h") if not h.name.endswith("-private.h")):
    text = header.read_text()
    for m in re.finditer(r"SUIT_AVAILABLE_IN_\w+\s+([^;{]*?)\b(suit_\w+)\s*\(", text):
        symbols.add(m.group(2))
    for m in re.finditer(r"G_DECLARE_(?:FINAL_TYPE|DERIVABLE_TYPE|INTERFACE)\(\w+,\s*(suit_\w+),", text):
        symbols.add(m.group(1) + "_get_type")
    # enums and flags registered by mkenums_simple
    for m in re.finditer(r"typedef enum[^{]*\{[^}]*\}\s*(Suit\w+);", text, re.S):
        name = re.sub(r"(?<!^)(?=[A-Z])", "_", m.group(1)).lower()
        symbols.add(name + "_get_type")

out = ["LIBSUIT_0.1 {", "  global:"]
out += ["    %s;" % s for s in sorted(symbols)]
out += ["  local:", "    *;", "};", ""]
path = root / "libsuit.map"
new = "\n".join(out)
if len(sys.argv) > 1 and sys.argv[1] == "--check":
    sys.exit(0 if path.read_text() == new else 1)
path.write_text(new)
