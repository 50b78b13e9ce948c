#!/bin/sh
# Address-sanitizer run over the C boundary: the FIDO2 tests (real libfido2 through the custom
# I/O hooks, against ciauth-virtual-key) built with -sanitize=address in their own scratch path.
# Usage: scripts/asan-fido2.sh [extra swift test arguments]
set -eu
cd "$(dirname "$0")/.."
# libfido2 and libcrypto are not instrumented; leaks inside them are not ours to judge here.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}"
exec swift test --sanitize=address --scratch-path .build-asan --filter FIDO2Tests "$@"
