"""Every public C function is bound in both languages, or listed with a
reason in tests/bindings/unbound.txt (issue 4: adding a public function
without binding it fails here)."""

import fnmatch
import os
import pathlib
import re

import pytest

SOURCE_ROOT = pathlib.Path(os.environ.get("SUIT_SOURCE_ROOT", pathlib.Path(__file__).parents[3]))
BUILD_DIR = pathlib.Path(os.environ["PYTHONPATH"].split(os.pathsep)[0])
WRAPPERS = {
    "python": BUILD_DIR / "suit_wrap_python.c",
    "lua": BUILD_DIR / "suit_wrap_lua.c",
}


def map_symbols():
    text = (SOURCE_ROOT / "libsuit" / "libsuit.map").read_text(encoding="utf-8")
    return sorted(set(re.findall(r"^\s+(suit_\w+);", text, re.M)))


def unbound_patterns():
    patterns = []
    for line in (SOURCE_ROOT / "tests" / "bindings" / "unbound.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            patterns.append(line)
    return patterns


def called_symbols(path):
    """The suit_* functions that the generated wrapper calls."""
    return set(re.findall(r"\b(suit_\w+)\s*\(", path.read_text(encoding="utf-8")))


def is_listed(symbol, patterns):
    return any(fnmatch.fnmatchcase(symbol, p) for p in patterns)


@pytest.mark.parametrize("language", sorted(WRAPPERS))
def test_every_public_function_is_bound_or_listed(language):
    path = WRAPPERS[language]
    if not path.exists():
        pytest.skip("the %s binding is not built" % language)
    called = called_symbols(path)
    patterns = unbound_patterns()
    missing = [s for s in map_symbols() if s not in called and not is_listed(s, patterns)]
    assert missing == [], "public functions neither bound in %s nor listed in unbound.txt: %s" % (
        language, ", ".join(missing))


def test_the_list_is_honest():
    """A listed symbol exists, and is not bound after all (then the line
    must go); patterns must match something."""
    symbols = map_symbols()
    called = set()
    for path in WRAPPERS.values():
        if path.exists():
            called |= called_symbols(path)
    for pattern in unbound_patterns():
        matched = [s for s in symbols if fnmatch.fnmatchcase(s, pattern)]
        assert matched, "unbound.txt: %s matches no public symbol" % pattern
        if any(ch in pattern for ch in "*?["):
            continue
        assert pattern not in called, "unbound.txt lists %s, but the bindings call it" % pattern


def test_the_list_is_short():
    plain = [p for p in unbound_patterns() if not any(ch in p for ch in "*?[")]
    assert len(plain) <= 40, "unbound.txt has grown to %d symbols" % len(plain)
