#!/usr/bin/env bash
# Whole-process cost of verifying one approval against an allowed_signers file:
# `ciauth check-approval` (release build) side by side with `ssh-keygen -Y verify` on the same
# signature, median and 90th percentile of many runs of each.
# Usage: Bench/whole-process.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
# Statically linked, as `make install` builds it: dynamic loading is most of a Swift process start.
swift build -c release --static-swift-stdlib --scratch-path .build-static --product ciauth >/dev/null
fixtures=Tests/CIAuthCoreTests/Fixtures
python3 - "$runs" "$fixtures" <<'PY'
import statistics, subprocess, sys, time
runs, fx = int(sys.argv[1]), sys.argv[2]
namespace = "ciauth-approval-v2@ciauth.dev"
at = "2026-11-28T21:30:00Z"
def measure(argv, stdin_path=None):
    samples = []
    for _ in range(runs):
        stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
        start = time.perf_counter()
        result = subprocess.run(argv, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append((time.perf_counter() - start) * 1000)
        if result.returncode != 0:
            sys.exit(f"{argv[0]} failed with {result.returncode}")
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.9)]
print(f"whole-process verification of one approval, {runs} runs each (ms: median / p90)")
for key in ("p256", "ed25519"):
    ours = measure([".build-static/release/ciauth", "check-approval", "--allowed-signers", f"{fx}/allowed_signers-{key}",
                    "--approval", f"{fx}/approval-v2-{key}.transport", "--at", at])
    theirs = measure(["ssh-keygen", "-Y", "verify", "-n", namespace, "-f", f"{fx}/allowed_signers-{key}",
                      "-I", "alice", "-s", f"{fx}/approval-v2-{key}.sig"], f"{fx}/statement-v2.txt")
    print(f"  {key:8} ciauth check-approval {ours[0]:6.2f} / {ours[1]:6.2f}   ssh-keygen -Y verify {theirs[0]:6.2f} / {theirs[1]:6.2f}")
PY
