#!/usr/bin/env bash
# Whole-process cost of `ciauth gate check` next to `ciauth verify --allowed-signers`, in the
# same run on the same machine: one simulated job (played by `ciauth approve` with a virtual key)
# runs each command RUNS times against the same approval, keys from the same allowed_signers
# file; the gate's key set is cached after the first run, as on a deploy host. Release builds.
# Usage: Bench/gate.sh [RUNS]   (CIAUTH_BENCH_BIN=DIR uses binaries already built there;
# CIAUTH_BENCH_STORE=DIR puts the pass store there, e.g. on tmpfs to see what the durable write costs)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-50}
if [ -n "${CIAUTH_BENCH_BIN:-}" ]; then
    bin=$(cd "$CIAUTH_BENCH_BIN" && pwd)
else
    # Statically linked, as `make install` builds ciauth.
    for product in ciauth gitlab-sim ciauth-virtual-key; do
        swift build -c release --static-swift-stdlib --scratch-path .build-static --product "$product" >/dev/null
    done
    bin="$PWD/.build-static/release"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/ciauth-bench-gate.XXXXXX")
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
server="http://127.0.0.1:$port"
cat > "$work/gate.yml" <<YAML
server: $server
audience: bench
project: acme/web
project_id: 100
environments: [production]
allowed_signers: $work/allowed_signers
passes_per_job: 0
keys_cache: $work/keys.json
pass_store: ${CIAUTH_BENCH_STORE:-$work}/passes-$$.sqlite
YAML
# The two commands as the job runs them, each in a file of its own.
echo "exec $bin/ciauth verify --server $server --project acme/web --job-name deploy --environment production --no-checkout --allowed-signers $work/allowed_signers --audit-file $work/audit.json" > "$work/verify.sh"
echo "printf '%s\\n%s\\n' \"\$CIAUTH_ID_TOKEN\" \"\$CIAUTH_APPROVAL\" | exec $bin/ciauth gate check --policy $work/gate.yml" > "$work/gate.sh"
timed="for i in \$(seq $runs); do for c in verify gate; do s=\$(date +%s%N); sh $work/\$c.sh >/dev/null 2>&1 || { echo \"\$c failed\"; sh $work/\$c.sh; exit 1; }; e=\$(date +%s%N); echo \"\$c-ns \$((e - s))\"; done; done"
python3 - "$work/seed.json" "$bin" "$timed" <<'PY'
import json, sys
path, bin_dir, timed = sys.argv[1:]
job = {"id": 9001, "name": "deploy", "stage": "deploy", "status": "manual", "when": "manual", "environment": "production",
       "script": timed, "id_tokens": {"CIAUTH_ID_TOKEN": {"aud": "bench"}}}
seed = {"users": [{"id": 2, "username": "alice", "name": "Alice", "tokens": ["alice-token"]}],
        "groups": [{"id": 10, "path": "acme", "members": [{"user_id": 2, "access_level": 40}]}],
        "projects": [{"id": 100, "path_with_namespace": "acme/web", "protected_refs": ["main"],
                      "protected_environments": ["production"], "ci_pipeline_variables_minimum_override_role": "developer",
                      "pipelines": [{"id": 500, "ref": "main", "sha": "3f9c1a2b4d5e6f708192a3b4c5d6e7f8091a2b3c",
                                     "user": "alice", "jobs": [job]}]}],
        "runner": {"path_prepend": [bin_dir], "timeout_seconds": 600}}
json.dump(seed, open(path, "w"))
PY
"$bin/gitlab-sim" --seed "$work/seed.json" --port "$port" > "$work/sim.out" 2>/dev/null & pids+=($!)
"$bin/ciauth-virtual-key" --socket "$work/key.sock" > /dev/null 2>&1 & pids+=($!)
for _ in $(seq 100); do [ -s "$work/sim.out" ] && [ -S "$work/key.sock" ] && break; sleep 0.05; done
export CIAUTH_SERVER="$server" CIAUTH_TOKEN=alice-token XDG_CONFIG_HOME="$work/config" HOME="$work"
"$bin/ciauth" enroll --device "unix:$work/key.sock" > /dev/null 2>&1
"$bin/ciauth" keys export --allowed-signers --user alice > "$work/allowed_signers"
"$bin/ciauth" approve 9001 --project acme/web --yes --device "unix:$work/key.sock" > /dev/null 2>&1
curl -sS -X POST "$server/-/sim/jobs/9001/wait?timeout=900" > "$work/job.json"
python3 - "$work/job.json" "$runs" <<'PY'
import json, statistics, sys
job = json.load(open(sys.argv[1]))
if job["status"] != "success":
    sys.exit("the timing job failed:\n" + job["log"][-2000:])
samples = {"verify": [], "gate": []}
for line in job["log"].splitlines():
    name, _, value = line.partition("-ns ")
    if name in samples and value.isdigit():
        samples[name].append(int(value) / 1e6)
def stats(values):
    values = sorted(values)
    return statistics.median(values), values[int(len(values) * 0.9)]
verify, gate = stats(samples["verify"]), stats(samples["gate"])
print(f"whole process, {sys.argv[2]} runs each in one job (ms: median / p90)")
print(f"  ciauth verify --allowed-signers {verify[0]:7.2f} / {verify[1]:7.2f}   (GET /job to the simulator)")
print(f"  ciauth gate check               {gate[0]:7.2f} / {gate[1]:7.2f}   (key set cached, pass store write)")
print("  gate no slower than verify: " + ("yes" if gate[0] <= verify[0] else "NO"))
PY
