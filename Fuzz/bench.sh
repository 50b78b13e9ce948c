#!/usr/bin/env bash
# Measures parse + verify of one approval-sized SSHSIG signature (P-256 and Ed25519), optimized.
# Usage: Fuzz/bench.sh [ITERATIONS]
set -euo pipefail
iterations="${1:-2000}"
source "$(dirname "$0")/common.sh"
bench="$scratch/sshsig-bench"
# shellcheck disable=SC2086
swiftc -O -parse-as-library -module-name SSHSigBench -I "$products/Modules" $module_flags \
    $sshsig_sources "$root/Fuzz/Bench.swift" $crypto_objects -lstdc++ -o "$bench"
"$bench" "$iterations"
