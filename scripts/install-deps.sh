#!/bin/sh
# Installs the Debian 12 packages libsuit needs to build and test.
#
# Idempotent and quiet: when every package is already installed it prints
# nothing and does not touch apt. Otherwise it runs apt-get update + install
# non-interactively (works with CI=true and without a terminal on stdin).
set -eu

# keep in sync with the dependency table in README.md
PACKAGES="
build-essential
meson
ninja-build
pkg-config
libglib2.0-dev
libjson-glib-dev
libsoup-3.0-dev
libgnutls28-dev
nettle-dev
libgmp-dev
libcbor-dev
libsqlite3-dev
libjemalloc-dev
glib-networking
python3
python3-pytest
python3-cbor2
python3-cryptography
clang
libclang-rt-14-dev
valgrind
swig
python3-dev
lua5.4
liblua5.4-dev
nginx-light
"

missing=""
for pkg in $PACKAGES; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
	if [ "$status" != "installed" ]; then
		missing="$missing $pkg"
	fi
done

if [ -z "$missing" ]; then
	exit 0
fi

echo "install-deps: installing:$missing"
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO="sudo"
	else
		echo "install-deps: not root and no sudo; install these packages:$missing" >&2
		exit 1
	fi
else
	SUDO=""
fi

export DEBIAN_FRONTEND=noninteractive
# nginx-light is only the reference server of the Range tests: keep its
# package from starting a system nginx on port 80 (policy-rc.d 101 = do not
# start services), unless the machine has a policy of its own
POLICY=/usr/sbin/policy-rc.d
OWN_POLICY=""
if [ ! -e "$POLICY" ]; then
	printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
	$SUDO chmod 755 "$POLICY"
	OWN_POLICY=1
fi
status=0
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null || status=$?
# shellcheck disable=SC2086
[ $status -ne 0 ] || $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing </dev/null || status=$?
[ -z "$OWN_POLICY" ] || $SUDO rm -f "$POLICY"
exit $status
