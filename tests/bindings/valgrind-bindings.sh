#!/bin/sh
# Runs the Python and Lua binding tests under valgrind (memcheck) and fails
# on any definite leak or memory error (issue 4, check 4). The 10,000-round
# loops are left out (they measure growth themselves and take minutes under
# valgrind).
#
# usage: valgrind-bindings.sh SOURCE_DIR BINDINGS_BUILD_DIR LUA_MODULE_DIR
set -u
src=$1
pybuild=$2
luabuild=$3
supp=$src/tests/bindings/valgrind.supp
status=0

run() {
	name=$1
	shift
	log=$(mktemp)
	if ! G_SLICE=always-malloc G_DEBUG=gc-friendly PYTHONMALLOC=malloc \
		valgrind --quiet --leak-check=full --show-leak-kinds=definite \
		--errors-for-leak-kinds=definite --error-exitcode=99 \
		--suppressions="$supp" --log-file="$log" "$@" >/dev/null 2>&1; then
		echo "not ok: $name"
		cat "$log"
		rm -f "$log"
		return 1
	fi
	echo "ok: $name"
	rm -f "$log"
}

for f in "$src"/tests/bindings/python/test_*.py; do
	case $f in */test_coverage.py) continue ;; esac
	(cd "$src/tests/bindings/python" &&
		PYTHONPATH=$pybuild run "python $(basename "$f")" \
			/usr/bin/python3 -m pytest -q -p no:cacheprovider -k "not ten_thousand" "$f") || status=1
done
for f in "$src"/tests/bindings/lua/test_*.lua; do
	(cd "$src/tests/bindings/lua" &&
		LUA_PATH="./?.lua" LUA_CPATH="$luabuild/?.so" SUIT_SKIP_LONG=1 \
		run "lua $(basename "$f")" lua5.4 "$f") || status=1
done
exit $status
