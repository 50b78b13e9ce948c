#!/usr/bin/env bash
# Whole-process cost of the approval flow on loopback, release builds:
#   - `ciauth verify` inside a running simulated job (median of RUNS invocations in one job);
#   - `ciauth approve` of 1 job and of 50 jobs with one touch (virtual key touching at once),
#     with the GitLab requests it made per approved job, in a project whose history holds
#     STALE never-played deploy jobs with their `blocked` deployments (default 50,000).
#     The count includes approve's check before the touch (token, committed policy, keys, project
#     settings): a constant 4 per run, printed apart.
# Usage: Bench/flow.sh [RUNS] [STALE]
# FLOW_BIN=DIR uses already built binaries (e.g. .build/debug) instead of a static release build;
# request counts do not depend on the build, timings do.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
stale=${2:-50000}
if [ -n "${FLOW_BIN:-}" ]; then
    bin=$(cd "$FLOW_BIN" && pwd)
else
    # Statically linked, as `make install` builds ciauth.
    for product in ciauth gitlab-sim ciauth-virtual-key; do
        swift build -c release --static-swift-stdlib --scratch-path .build-static --product "$product" >/dev/null
    done
    bin="$PWD/.build-static/release"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/ciauth-bench.XXXXXX")
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
server="http://127.0.0.1:$port"
verify="ciauth verify --server $server --project acme/web --job-name deploy --no-checkout"
# The first job runs verify RUNS times, timing each invocation.
timed="for i in \$(seq $runs); do s=\$(date +%s%N); $verify >/dev/null 2>&1 || exit 1; e=\$(date +%s%N); echo \"verify-ns \$((e - s))\"; done"
python3 - "$work/seed.json" "$bin" "$timed" "$stale" <<'PY'
import json, sys
path, bin_dir, timed, stale = sys.argv[1:]
def job(id, name, script="true", environment=None):
    j = {"id": id, "name": name, "stage": "deploy", "status": "manual", "when": "manual", "script": script}
    if environment:
        j["environment"] = environment
    return j
# The commit carries a policy, so approve's check before the touch reads and evaluates one.
commit = {"title": "Release", "files": {".ciauth.yml": "approvers: [alice]\nmin_key_age: 1s\n"}}
pipelines = [
    {"id": 500, "ref": "main", "sha": "3f9c1a2b4d5e6f708192a3b4c5d6e7f8091a2b3c", "user": "alice", "commit": commit,
     "jobs": [job(9001, "deploy", timed)]},
    {"id": 600, "ref": "main", "sha": "3f9c1a2b4d5e6f708192a3b4c5d6e7f8091a2b3c", "user": "alice",
     "jobs": [job(20000 + i, f"deploy-{i:02d}") for i in range(50)]},
    {"id": 700, "ref": "main", "sha": "3f9c1a2b4d5e6f708192a3b4c5d6e7f8091a2b3c", "user": "alice",
     "jobs": [job(30000, "deploy", environment="production")]},
]
seed = {"users": [{"id": 2, "username": "alice", "name": "Alice", "tokens": ["alice-token"]}],
        "groups": [{"id": 10, "path": "acme", "members": [{"user_id": 2, "access_level": 40}]}],
        "projects": [{"id": 100, "path_with_namespace": "acme/web",
                      "ci_pipeline_variables_minimum_override_role": "developer", "pipelines": pipelines,
                      "stale_deployments": {"count": int(stale), "environment": "production"}}],
        "runner": {"path_prepend": [bin_dir], "timeout_seconds": 300}}
json.dump(seed, open(path, "w"))
PY
"$bin/gitlab-sim" --seed "$work/seed.json" --port "$port" > "$work/sim.out" 2>/dev/null & pids+=($!)
"$bin/ciauth-virtual-key" --socket "$work/key.sock" > /dev/null 2>&1 & pids+=($!)
for _ in $(seq 1200); do [ -s "$work/sim.out" ] && [ -S "$work/key.sock" ] && break; sleep 0.05; done
export CIAUTH_SERVER="$server" CIAUTH_TOKEN=alice-token XDG_CONFIG_HOME="$work/config" HOME="$work"
device="unix:$work/key.sock"
"$bin/ciauth" enroll --device "$device" > /dev/null 2>&1
sleep 1  # the policy asks for keys at least 1s old

requests() { curl -sS "$server/-/sim/requests" | python3 -c 'import json, sys; print(sum(1 for r in json.load(sys.stdin) if r["path"].startswith("/api/v4")))'; }
approve_ms() {  # approve JOBS ARGS...: prints milliseconds, API requests and requests per job
    local jobs=$1 start end count
    shift
    curl -sS -X DELETE "$server/-/sim/requests" > /dev/null
    start=$(date +%s%N)
    "$bin/ciauth" approve "$@" --project acme/web --yes --device "$device" > /dev/null 2>&1 || { echo "approve $* failed" >&2; exit 1; }
    end=$(date +%s%N)
    count=$(requests)
    check=$(curl -sS "$server/-/sim/requests" | python3 -c 'import json, sys
reads = ("/api/v4/personal_access_tokens/self", "/api/v4/users/2/keys", "/api/v4/projects/100")
print(sum(1 for r in json.load(sys.stdin) if r["path"] in reads or "/repository/files/" in r["path"]))')
    echo "$(( (end - start) / 1000000 )) ms, $count GitLab requests ($(python3 -c "print(f'{$count / $jobs:.2f}')") per job; $check of them the check before the touch)"
}
echo "project history: $stale stale deployments"
echo "approve 1 job:              $(approve_ms 1 30000)"
echo "approve 50 jobs, one touch: $(approve_ms 50 600 --all-manual --environment none)"
approve_ms 1 9001 --environment none > /dev/null
curl -sS -X POST "$server/-/sim/jobs/9001/wait?timeout=300" | python3 -c '
import json, statistics, sys
job = json.load(sys.stdin)
samples = sorted(int(line.split()[1]) / 1e6 for line in job["log"].splitlines() if line.startswith("verify-ns "))
if job["status"] != "success" or not samples:
    sys.exit("verify job failed:\n" + job["log"])
print(f"verify inside a job:        median {statistics.median(samples):.1f} ms, min {samples[0]:.1f} ms over {len(samples)} runs")'
