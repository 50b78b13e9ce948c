#!/usr/bin/env bash
# In-process cost of verifying one approval (transport decode + statement parse + SSHSIG verify +
# registry, job, time and policy checks), P-256 and Ed25519, in a release build.
# Usage: Bench/approval.sh [extra swift test options, e.g. --scratch-path .build-release]
# The first run builds the package and its tests in release mode (several minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
CIAUTH_BENCH=1 swift test -c release "$@" --filter 'ApprovalBenchmark|GateBenchmark' 2>&1 | grep -E 'ciauth-bench|passed|failed|error:'
