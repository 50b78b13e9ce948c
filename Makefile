# ciauth — build, test and demo entry points. `make test` is what CI runs.
SWIFT ?= swift
PREFIX ?= /usr/local
APT_PACKAGES := libfido2-dev libsqlite3-dev libssl-dev libudev-dev openssh-client pkg-config fido2-tools python3-pip gcc curl git
FUZZ_SECONDS ?= 60
BIN := .build/debug

.PHONY: all deps test-deps build test test-hardware test-dist asan demo bench fuzz man completions install dist clean

all: build

# Install the system packages the build and tests need, only when something is missing.
deps:
	@missing=""; \
	pkg-config --exists libfido2 openssl sqlite3 2>/dev/null || missing="$$missing libfido2/openssl/sqlite3"; \
	for tool in cc curl git; do command -v $$tool >/dev/null 2>&1 || missing="$$missing $$tool"; done; \
	command -v ssh-keygen >/dev/null 2>&1 || missing="$$missing ssh-keygen"; \
	command -v fido2-token >/dev/null 2>&1 || missing="$$missing fido2-tools"; \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages (missing:$$missing)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	fi

# What only the tests need: an independent CTAP client (python-fido2) and ID-token minter (PyJWT).
test-deps: deps
	@python3 -c 'import fido2' 2>/dev/null || { echo "Installing python-fido2 (independent CTAP client for tests)"; \
		python3 -m pip install -q fido2 || python3 -m pip install -q --break-system-packages fido2; }
	@python3 -c 'import jwt, cryptography' 2>/dev/null || { echo "Installing PyJWT and cryptography (independent ID-token minter for the gate tests)"; \
		python3 -m pip install -q pyjwt cryptography || python3 -m pip install -q --break-system-packages pyjwt cryptography; }

build: deps
	$(SWIFT) build

# generate-manual (from swift-argument-parser) is built too: a test checks Man/ against it.
# A hung run (exit 124 from timeout) is run once more, and says so; a failing run is not.
test: build test-deps
	$(SWIFT) build --product generate-manual
	@timeout 1200 $(SWIFT) test; status=$$?; \
	if [ $$status -eq 124 ]; then echo "make test: the test run hung for 20 minutes; running it once more"; \
		timeout 1200 $(SWIFT) test; status=$$?; fi; \
	exit $$status
	$(MAKE) asan

# ciauth through a real Linux hidraw device: a Debian kernel under QEMU (no KVM needed), its uhid
# driver turning the virtual key into /dev/hidrawN. Installs qemu-system-x86 and cpio when missing;
# the kernel and busybox packages are downloaded into .cache/hardware (scripts/hardware/run.sh).
test-hardware: build
	scripts/hardware/run.sh

# The FIDO2 tests (real libfido2 against the virtual key) under the address sanitizer.
asan: test-deps
	scripts/asan-fido2.sh

# Man page and completions come from the command definitions; never edit them by hand.
man: build
	$(SWIFT) build --product generate-manual
	scripts/generate-man.sh $(BIN) > Man/ciauth.1

completions: build
	$(BIN)/ciauth --generate-completion-script bash > Completions/ciauth.bash
	$(BIN)/ciauth --generate-completion-script zsh > Completions/_ciauth
	$(BIN)/ciauth --generate-completion-script fish > Completions/ciauth.fish

# Builds and installs; nothing else (it needs libfido2-dev and libssl-dev to build: see README).
install:
	SWIFT=$(SWIFT) scripts/shipped-build.sh release .build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 0755 .build/release/ciauth $(DESTDIR)$(PREFIX)/bin/ciauth
	install -m 0644 Man/ciauth.1 $(DESTDIR)$(PREFIX)/share/man/man1/ciauth.1
	install -m 0644 Completions/ciauth.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/ciauth
	install -m 0644 Completions/_ciauth $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_ciauth
	install -m 0644 Completions/ciauth.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/ciauth.fish

# libFuzzer over the OpenSSH format parsers and the approval protocol's parsers (statement,
# transport, plain form, policy); reports each harness's executions per second at the end.
fuzz: deps
	Fuzz/run.sh $(FUZZ_SECONDS)

# Benchmarks in release builds: SSHSIG parse+verify, approval verification in-process, whole-process
# verification next to ssh-keygen with start-up, binary size and what every start loads, verify inside a job and approve of 1 and 50 jobs (requests per job in a
# project with 50,000 stale deployments), gate check next to verify --allowed-signers, keys prune
# over 1,000 members, the GitLab client against gitlab-sim on loopback.
bench: deps
	Fuzz/bench.sh 3000
	Bench/approval.sh
	Bench/whole-process.sh 200
	Bench/flow.sh 20
	Bench/gate.sh 50
	Bench/prune.sh 1000 3
	$(SWIFT) build -c release --product gitlab-bench
	.build/release/gitlab-bench 3000

# Release artifacts in dist/: tarball, Debian package, debug symbols, SHA256SUMS (scripts/dist.sh).
# DIST_CONFIG=debug makes them from the development build instead (CI's test-dist: only a link
# after make test); they are for trying, not for release.
DIST_CONFIG ?= release
dist: deps
	DIST_CONFIG=$(DIST_CONFIG) scripts/dist.sh

# The artifacts tried where no Swift exists: the .deb installed by apt and the tarball in a root
# without libfido2, in minimal Debian bookworm roots under chroot (needs root; installs
# debootstrap when missing; the bootstrapped root is cached in .cache/dist-root). The release
# build is incremental in .build-release; TEST_DIST_DIR=path tries artifacts made elsewhere. CI
# runs `make test-dist DIST_CONFIG=debug` after make test: the same artifacts from the
# development build linked with the Swift runtime static (README, docs/architecture.md).
test-dist: dist
	scripts/test-dist.sh

# The whole story on loopback: gitlab-sim, two virtual keys, enroll, approve, verify, attacks.
demo: build
	scripts/demo.sh

clean:
	rm -rf .build .build-* dist
