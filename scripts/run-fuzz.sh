#!/bin/sh
# Builds the libFuzzer target with clang in build-fuzz/ and fuzzes the
# envelope parser for FUZZ_SECONDS (default 60). New inputs go to
# build-fuzz/corpus-envelope/, crashers to build-fuzz/crash-*; the seed corpus
# in tests/fuzz/corpus/envelope/ and the shared vectors are only read.
# Exits non-zero when the fuzzer finds a crash, a leak or undefined behaviour.
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)
DIR=build-fuzz
SECONDS_TO_RUN=${FUZZ_SECONDS:-60}
VECTORS=${SUIT_TEST_VECTORS:-$ROOT/../shared/vectors}

# the library and the target share the sanitizers; the library also gets the
# coverage instrumentation (fuzzer-no-link), the target links libFuzzer itself
OPTS="-Dfuzzing=enabled -Db_sanitize=address,undefined -Db_lundef=false
      -Dc_args=-fsanitize=fuzzer-no-link -Dwerror=false -Dbuildtype=debugoptimized"

if [ -f "$DIR/build.ninja" ]; then
	# shellcheck disable=SC2086
	meson configure "$DIR" $OPTS >/dev/null
else
	# shellcheck disable=SC2086
	CC=clang meson setup "$DIR" $OPTS
fi
ninja -C "$DIR" tests/fuzz/fuzz-envelope

mkdir -p "$DIR/corpus-envelope"
SEEDS="tests/fuzz/corpus/envelope"
for sub in manifest derived encryption trust-domains teep update-management external; do
	[ -d "$VECTORS/$sub" ] && SEEDS="$SEEDS $VECTORS/$sub"
done

export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:print_summary=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:print_summary=1
echo "fuzz-envelope: fuzzing for ${SECONDS_TO_RUN}s"
# shellcheck disable=SC2086
"$DIR/tests/fuzz/fuzz-envelope" \
	-max_total_time="$SECONDS_TO_RUN" \
	-max_len=8192 \
	-timeout=10 \
	-rss_limit_mb=2048 \
	-print_final_stats=1 \
	-dict=tests/fuzz/suit.dict \
	-artifact_prefix="$DIR/" \
	"$DIR/corpus-envelope" $SEEDS
echo "fuzz-envelope: no crash in ${SECONDS_TO_RUN}s"
