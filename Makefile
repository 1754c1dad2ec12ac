# libsuit: thin wrapper around meson (ARCHITECTURE.md §5.1)
#
#   make run    install what is missing, build, run suit-server on 127.0.0.1:8080
#   make demo   the command line tour: keygen, create, verify, inspect, tamper
#   make test   install, build, run every suite (+ an ASan/UBSan pass);
#               ends with `N passed, N failed, N skipped`
#   make fuzz   libFuzzer run of the envelope parser (clang, 60 s)
#   make bench  memory and speed of `suit install` (tests/bench/consumer-install)
#   make bench-server  suit-server against nginx with wrk (tests/bench/server)
#   make install  meson install (PREFIX=/usr/local): library, headers, `suit`,
#               the Python module and the Lua module; runs ldconfig as root

BUILD ?= build
SUIT = $(BUILD)/services/suit/suit
DEMO = $(BUILD)/demo
DEMO_MANIFEST = examples/secure-boot-manifest.json

.PHONY: all deps build run demo test fuzz bench bench-server install clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: deps $(BUILD)/build.ninja
	meson compile -C $(BUILD)

SERVER = $(BUILD)/services/suit-server/suit-server
VAR = var

# the main job (ARCHITECTURE.md §5.1): suit-server on http://127.0.0.1:8080
# with the embedded default (SQLite + payload directory under ./var). The
# first start creates an author key pair in var/ (trusted by the server, for
# `suit create --key var/author.pem`) and an admin token (var/admin-token).
run: build
	@mkdir -p $(VAR)/trusted-keys
	@if [ ! -f $(VAR)/author.pem ]; then \
		$(SUIT) keygen --alg ESP256 -o $(VAR)/author.pem --pub $(VAR)/trusted-keys/author.pub.pem; \
	fi
	$(SERVER) --data-dir $(VAR) --listen 127.0.0.1:8080

# the CLI tour of the Author and Firmware Consumer roles
demo: build
	@rm -rf $(DEMO) && mkdir -p $(DEMO)
	@echo
	@echo "== 1. generate an Ed25519 signing key and its public key"
	$(SUIT) keygen --alg Ed25519 -o $(DEMO)/author.pem --pub $(DEMO)/author.pub.pem
	@echo
	@echo "== 2. build and sign an envelope from an exact manifest JSON"
	$(SUIT) create --raw $(DEMO_MANIFEST) -o $(DEMO)/secure-boot.suit --key $(DEMO)/author.pem
	@ls -l $(DEMO)/secure-boot.suit
	@echo
	@echo "== 3. verify it with the public key"
	$(SUIT) verify $(DEMO)/secure-boot.suit --key $(DEMO)/author.pub.pem
	$(SUIT) verify $(DEMO)/secure-boot.suit --key $(DEMO)/author.pub.pem --json
	@echo
	@echo "== 4. inspect it"
	$(SUIT) inspect $(DEMO)/secure-boot.suit
	@echo
	@echo "== 5. a tampered copy is rejected (exit status 1)"
	@cp $(DEMO)/secure-boot.suit $(DEMO)/tampered.suit
	@printf '\001' | dd of=$(DEMO)/tampered.suit bs=1 seek=40 conv=notrunc status=none
	@if $(SUIT) verify $(DEMO)/tampered.suit --key $(DEMO)/author.pub.pem; then \
		echo "the tampered envelope was accepted" >&2; exit 1; \
	else echo "rejected, exit status $$?"; fi
	@echo
	@echo "demo files are in $(DEMO)/"

test: deps
	@scripts/run-tests.sh

fuzz: deps
	@scripts/run-fuzz.sh

# a benchmark, not a test: prints peak RSS (1 MiB vs 256 MiB) and the 256 MiB
# install time against openssl dgst + cp + sync on the same disk
bench: build
	@tests/bench/consumer-install --suit $(SUIT)

# suit-server's check-in, downloads and Range requests against nginx (wrk)
bench-server: build
	@tests/bench/server --build $(BUILD)

install: build
	meson install -C $(BUILD)

clean:
	rm -rf build build-asan build-fuzz
