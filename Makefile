# ciauth — build, test and demo entry points. `make test` is what CI runs.
SWIFT ?= swift
PREFIX ?= /usr/local
APT_PACKAGES := libfido2-dev libssl-dev libudev-dev openssh-client pkg-config fido2-tools python3-pip
BIN := .build/debug

.PHONY: all deps build test demo bench fuzz man completions install clean

all: build

# Install the system packages the build and tests need, only when something is missing.
deps:
	@missing=""; \
	pkg-config --exists libfido2 2>/dev/null || missing="$$missing libfido2"; \
	command -v ssh-keygen >/dev/null 2>&1 || missing="$$missing ssh-keygen"; \
	command -v fido2-token >/dev/null 2>&1 || missing="$$missing fido2-tools"; \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages (missing:$$missing)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	fi
	@python3 -c 'import fido2' 2>/dev/null || { echo "Installing python-fido2 (independent CTAP client for tests)"; python3 -m pip install -q fido2; }

build: deps
	$(SWIFT) build

test: build
	$(SWIFT) test

demo: build
	@echo "make demo: not yet available (it arrives with the approval flow)."

clean:
	rm -rf .build .build-*
