#!/bin/sh
# Address-sanitizer run over the C boundary: the FIDO2 tests (real libfido2 through the custom
# I/O hooks, against ciauth-virtual-key) built with -sanitize=address in their own scratch path.
# Usage: scripts/asan-fido2.sh [extra swift test arguments]
set -eu
cd "$(dirname "$0")/.."
# libfido2 and libcrypto are not instrumented; leaks inside them are not ours to judge here.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}"
# One test at a time: this run looks for memory errors at the C boundary, and on two cores the
# sanitizer's slowdown turns parallel touch and timing tests into waits on each other.
exec swift test --sanitize=address --scratch-path .build-asan --filter FIDO2Tests \
    --experimental-maximum-parallelization-width 1 "$@"
