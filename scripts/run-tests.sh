#!/bin/sh
# Builds libsuit twice and runs the test suites, then prints the closing line
# `N passed, N failed, N skipped` (summed over both builds) that CI reads.
#
#  1. build/       the normal build (gcc): every meson suite
#  2. build-asan/  -Db_sanitize=address,undefined: the C suites again
#                  (unit, conformance, abi, cli) with leak detection, then
#                  the services suite: suit-server and suit-agent under ASan
#
# One meson test (a test binary, or one pytest run) counts as one. A build
# that fails counts as one failure. Exits non-zero if anything failed.
#
# Environment: MESON_TEST_ARGS (extra `meson test` arguments),
# SUIT_SKIP_ASAN=1 (only the normal build, for quick local runs).
set -u

cd "$(dirname "$0")/.." || exit 2
ROOT=$(pwd)
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3

PASSED=0
FAILED=0
SKIPPED=0
STATUS=0

export G_SLICE=always-malloc
export G_DEBUG=gc-friendly,fatal-criticals
export PYTHONDONTWRITEBYTECODE=1
: "${SUIT_TEST_VECTORS:=$ROOT/../shared/vectors}"
export SUIT_TEST_VECTORS

# meson setup, or reconfigure an existing build dir with the same options
setup() {
	dir=$1
	shift
	if [ -f "$dir/build.ninja" ]; then
		meson configure "$dir" "$@" >/dev/null
	else
		meson setup "$dir" "$@"
	fi
}

# adds the results of $1/meson-logs/testlog.json to the totals
tally() {
	log=$1/meson-logs/testlog.json
	if [ ! -f "$log" ]; then
		echo "run-tests: no test log in $1" >&2
		FAILED=$((FAILED + 1))
		STATUS=1
		return
	fi
	counts=$("$PYTHON" - "$log" <<'EOF'
import json
import sys

passed = failed = skipped = 0
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        line = line.strip()
        if not line:
            continue
        result = json.loads(line).get("result", "ERROR")
        if result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1
            print("  %s: %s" % (result, json.loads(line).get("name")), file=sys.stderr)
print(passed, failed, skipped)
EOF
)
	# shellcheck disable=SC2086
	set -- $counts
	if [ $# -ne 3 ]; then
		echo "run-tests: cannot read $log" >&2
		FAILED=$((FAILED + 1))
		STATUS=1
		return
	fi
	PASSED=$((PASSED + $1))
	FAILED=$((FAILED + $2))
	SKIPPED=$((SKIPPED + $3))
	[ "$2" -eq 0 ] || STATUS=1
}

# build_and_test DIR "SUITES" SETUP-OPTIONS...
build_and_test() {
	dir=$1
	suites=$2
	shift 2
	echo "=== $dir: configure and build"
	rm -f "$dir/meson-logs/testlog.json"
	if ! setup "$dir" "$@" || ! meson compile -C "$dir"; then
		echo "run-tests: $dir: build failed" >&2
		FAILED=$((FAILED + 1))
		STATUS=1
		return
	fi
	suite_args=""
	for s in $suites; do
		suite_args="$suite_args --suite $s"
	done
	echo "=== $dir: meson test${suite_args:- (every suite)}"
	# shellcheck disable=SC2086
	meson test -C "$dir" --print-errorlogs $suite_args ${MESON_TEST_ARGS:-}
	tally "$dir"
}

build_and_test build "" -Dwerror=false

if [ "${SUIT_SKIP_ASAN:-0}" != "1" ]; then
	export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=1:print_summary=1
	export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:print_summary=1
	export LSAN_OPTIONS="suppressions=$ROOT/scripts/lsan.supp:print_suppressions=0"
	build_and_test build-asan "unit conformance abi cli" \
		-Db_sanitize=address,undefined -Db_lundef=false -Dwerror=false \
		-Dpython=disabled -Dlua=disabled
	# suit-server and suit-agent under ASan against the services and fleet
	# tests. libsoup leaks every accepted socket (scripts/lsan.supp); the
	# suppression matches only with full stacks, so the fast unwinder is
	# off for this run (GLib is built without frame pointers)
	if [ -f build-asan/build.ninja ]; then
		echo "=== build-asan: meson test --suite services"
		rm -f build-asan/meson-logs/testlog.json
		ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0" \
			meson test -C build-asan --print-errorlogs --suite services ${MESON_TEST_ARGS:-}
		tally build-asan
	fi
fi

echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
exit $STATUS
