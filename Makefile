# libsuit: thin wrapper around meson (ARCHITECTURE.md §5.1)
#
#   make run    install what is missing, build, run the demo
#   make test   install, build, run every suite (+ an ASan/UBSan pass);
#               ends with `N passed, N failed, N skipped`
#   make fuzz   libFuzzer run of the envelope parser (clang, 60 s)
#   make bench  memory and speed of `suit install` (tests/bench/consumer-install)
#   make install  meson install (PREFIX=/usr/local): library, headers, `suit`,
#               the Python module and the Lua module; runs ldconfig as root

BUILD ?= build
SUIT = $(BUILD)/services/suit/suit
DEMO = $(BUILD)/demo
DEMO_MANIFEST = examples/secure-boot-manifest.json

.PHONY: all deps build run test fuzz bench install clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: deps $(BUILD)/build.ninja
	meson compile -C $(BUILD)

# until suit-server exists, `make run` is the CLI demo of what exists
run: build
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

install: build
	meson install -C $(BUILD)

clean:
	rm -rf build build-asan build-fuzz
