#!/usr/bin/env bash
# Whole-process start-up and verification, next to `ssh-keygen -Y verify` on the same signature:
# `ciauth check-approval` (P-256, Ed25519), `ciauth verify --version` and `/bin/true` (the cost of
# starting any process), interleaved run by run so that load on the machine hits all alike;
# median and 90th percentile. Then what every start pays: the binary's size (and stripped), the
# libraries it needs (DT_NEEDED) and the dynamic loader's relocation work (LD_DEBUG=statistics).
# Usage: Bench/whole-process.sh [RUNS] — or CIAUTH=path/to/ciauth Bench/whole-process.sh [RUNS]
# to measure a given binary (e.g. an older release) instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
binary=${CIAUTH:-}
if [ -z "$binary" ]; then
    # Built as `make install` and `make dist` build it.
    scripts/shipped-build.sh release .build-static >/dev/null
    binary=.build-static/release/ciauth
fi
fixtures=Tests/CIAuthCoreTests/Fixtures
python3 - "$runs" "$fixtures" "$binary" <<'PY'
import statistics, subprocess, sys, time
runs, fx, ciauth = int(sys.argv[1]), sys.argv[2], sys.argv[3]
namespace = "ciauth-approval-v2@ciauth.dev"
at = "2026-11-28T21:30:00Z"

def once(argv, stdin_path):
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    start = time.perf_counter()
    result = subprocess.run(argv, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = (time.perf_counter() - start) * 1000
    if result.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed with {result.returncode}")
    return elapsed

def measure(cases):
    """cases: name -> (argv, stdin); runs every case once per round, RUNS rounds."""
    samples = {name: [] for name in cases}
    for _ in range(runs):
        for name, (argv, stdin) in cases.items():
            samples[name].append(once(argv, stdin))
    result = {}
    for name, values in samples.items():
        values.sort()
        result[name] = (statistics.median(values), values[int(len(values) * 0.9)])
    return result

cases = {"true": (["/bin/true"], None), "version": ([ciauth, "verify", "--version"], None)}
for key in ("p256", "ed25519"):
    cases[f"ciauth-{key}"] = ([ciauth, "check-approval", "--allowed-signers", f"{fx}/allowed_signers-{key}",
                               "--approval", f"{fx}/approval-v2-{key}.transport", "--at", at], None)
    cases[f"ssh-{key}"] = (["ssh-keygen", "-Y", "verify", "-n", namespace, "-f", f"{fx}/allowed_signers-{key}",
                            "-I", "alice", "-s", f"{fx}/approval-v2-{key}.sig"], f"{fx}/statement-v2.txt")
m = measure(cases)
fmt = lambda pair: f"{pair[0]:6.2f} / {pair[1]:6.2f}"
print(f"whole-process, {runs} interleaved runs each (ms: median / p90), {ciauth}")
print(f"  process start  /bin/true {fmt(m['true'])}   ciauth verify --version {fmt(m['version'])}")
for key in ("p256", "ed25519"):
    ours, theirs = m[f"ciauth-{key}"], m[f"ssh-{key}"]
    print(f"  {key:8} ciauth check-approval {fmt(ours)}   ssh-keygen -Y verify {fmt(theirs)}   ratio {ours[0] / theirs[0]:.2f}")
PY
size=$(stat -c %s "$binary")
stripped=$(mktemp)
trap 'rm -f "$stripped"' EXIT
strip --strip-unneeded -o "$stripped" "$binary"
echo "  binary $((size / 1048576)) MB ($size bytes), stripped $(( $(stat -c %s "$stripped") / 1048576 )) MB ($(stat -c %s "$stripped") bytes)"
echo "  needs at every start: $(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')"
LD_DEBUG=statistics "$binary" --version 2>&1 >/dev/null | sed -n 's/^ *[0-9]*: *//; /relocations\|startup time/p' | sed 's/^/  loader: /'
