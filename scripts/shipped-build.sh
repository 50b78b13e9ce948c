#!/usr/bin/env bash
# The binary as it ships, built one way for make install, make dist and Bench/whole-process.sh:
# the Swift runtime linked statically, and the C++ runtime that the Swift runtime uses linked
# statically too. A directory holding only the toolchain's libstdc++.a is searched first, so
# every -lstdc++ of the link takes the archive: the binary then neither loads libstdc++.so.6 nor
# binds its ~1,700 symbols at each start (about 0.4 ms of a 4 ms verification).
# Usage: scripts/shipped-build.sh release|debug SCRATCH_PATH [swift build arguments…] — the
# binary is SCRATCH_PATH/CONFIG/ciauth (debug: only for trying the artifacts, scripts/dist.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
config=${1:?usage: scripts/shipped-build.sh release|debug SCRATCH_PATH [arguments…]}
scratch=${2:?usage: scripts/shipped-build.sh release|debug SCRATCH_PATH [arguments…]}
shift 2
archive=$(${CC:-cc} -print-file-name=libstdc++.a)
[ -f "$archive" ] || { echo "shipped build: the compiler has no libstdc++.a (apt-get install libstdc++-12-dev)" >&2; exit 1; }
mkdir -p "$scratch/static-libstdc++"
ln -sfn "$archive" "$scratch/static-libstdc++/libstdc++.a"
CIAUTH_STATIC_LIBRARIES=$(cd "$scratch/static-libstdc++" && pwd) CIAUTH_COMMIT=$(scripts/build-commit.sh) \
    ${SWIFT:-swift} build -c "$config" --static-swift-stdlib --product ciauth --scratch-path "$scratch" "$@"
