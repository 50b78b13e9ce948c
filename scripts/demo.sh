#!/usr/bin/env bash
# make demo: the whole ciauth story on this machine, with real binaries over loopback.
# A GitLab simulator runs the pipeline, a virtual security key stands in for the USB key, and
# every step is a real ciauth command. Exits non-zero if anything does not behave as told.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.build/debug"
work=$(mktemp -d "${TMPDIR:-/tmp}/ciauth-demo.XXXXXX")
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

bold=$'\033[1m'; green=$'\033[32m'; red=$'\033[31m'; plain=$'\033[0m'
if [ ! -t 1 ] || [ -n "${NO_COLOR:-}" ]; then bold=""; green=""; red=""; plain=""; fi
say() { printf '\n%s%s%s\n' "$bold" "$*" "$plain"; }
ok() { printf '  %s✓%s %s\n' "$green" "$plain" "$*"; }
fail() { printf '  %s✗ %s%s\n' "$red" "$*" "$plain"; exit 1; }
indent() { sed 's/^/    │ /'; }

# --- The stage: a repository, a GitLab, a security key -----------------------------------------
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
server="http://127.0.0.1:$port"

repo="$work/repo"
mkdir -p "$repo"
cat > "$repo/.ciauth.yml" <<YAML
# Verification policy, committed next to .gitlab-ci.yml: job variables cannot change it.
approvers: [alice, mallory]
approver_must_be_player: true
YAML
git -C "$repo" init -q -b main
git -C "$repo" -c user.name=Alice -c user.email=alice@example.org add .ciauth.yml
git -C "$repo" -c user.name=Alice -c user.email=alice@example.org commit -q -m "Release 1.2"
sha=$(git -C "$repo" rev-parse HEAD)

verify="ciauth verify --server $server --project acme/web --job-name deploy --environment production"
# The deploy host's side of chapter 4: its own policy, and a forced command (as in authorized_keys)
# that runs the deployment only through `ciauth gate exec`.
mkdir -p "$work/gate"
cat > "$work/gate/gate.yml" <<YAML
server: $server
audience: deploy.demo
project: acme/web
project_id: 100
environments: [production]
approvers: [alice]
keys_cache: $work/gate/keys.json
pass_store: $work/gate/passes.sqlite
audit_log: $work/gate/audit.jsonl
YAML
gate_send="printf '%s\\n%s\\n' \"\$CIAUTH_ID_TOKEN\" \"\$CIAUTH_APPROVAL\" | env -i PATH=/usr/bin:/bin $bin/ciauth gate exec --policy $work/gate/gate.yml -- /bin/sh -c 'echo \"deployed \$CIAUTH_COMMIT_SHA of \$CIAUTH_PROJECT_PATH, job \$CIAUTH_JOB_ID approved by @\$CIAUTH_APPROVER\" | tee -a $work/gate/deployed.log'"

python3 - "$work/seed.json" "$sha" "$repo" "$bin" "$verify" "$gate_send" <<'PY'
import json, sys
path, sha, repo, bin_dir, verify, gate_send = sys.argv[1:]
def job(id, name="deploy"):
    return {"id": id, "name": name, "stage": "deploy", "status": "manual", "when": "manual",
            "environment": "production", "script": verify, "allow_failure": False}
def gate_job(id):
    return {"id": id, "name": "deploy", "stage": "deploy", "status": "manual", "when": "manual",
            "environment": "production", "script": gate_send, "allow_failure": False,
            "id_tokens": {"CIAUTH_ID_TOKEN": {"aud": "deploy.demo"}}}
# GitLab serves the committed policy to approve's check before the touch, as verify reads it from git.
policy = open(repo + "/.ciauth.yml").read()
def pipeline(id, jobs, ref="main"):
    return {"id": id, "iid": id - 499, "ref": ref, "sha": sha, "source": "push", "user": "alice",
            "commit": {"title": "Release 1.2", "author_name": "Alice", "author_email": "alice@example.org",
                       "files": {".ciauth.yml": policy}},
            "jobs": jobs}
seed = {
    "users": [
        {"id": 2, "username": "alice", "name": "Alice Approver", "tokens": ["alice-token"]},
        {"id": 3, "username": "mallory", "name": "Mallory Developer", "tokens": ["mallory-token"]},
    ],
    "groups": [{"id": 10, "path": "acme", "members": [
        {"user_id": 2, "access_level": 40}, {"user_id": 3, "access_level": 30}]}],
    "projects": [{"id": 100, "path_with_namespace": "acme/web", "default_branch": "main",
                  "ci_pipeline_variables_minimum_override_role": "developer",
                  "working_directory": repo,
                  "protected_refs": ["release"], "protected_environments": ["production"],
                  "pipelines": [pipeline(500, [job(9001)]), pipeline(501, [job(9101)]), pipeline(502, [job(9201)]),
                                pipeline(503, [gate_job(9301)], ref="release"), pipeline(504, [gate_job(9401)], ref="mallory-edit")]}],
    "runner": {"path_prepend": [bin_dir], "timeout_seconds": 60},
}
json.dump(seed, open(path, "w"), indent=2)
PY

"$bin/gitlab-sim" --seed "$work/seed.json" --port "$port" > "$work/sim.out" 2> "$work/sim.err" &
pids+=($!)
"$bin/ciauth-virtual-key" --socket "$work/alice-key.sock" --touch after=300ms > "$work/key.out" 2> "$work/key.err" &
pids+=($!)
"$bin/ciauth-virtual-key" --socket "$work/mallory-key.sock" > /dev/null 2>&1 &
pids+=($!)
for _ in $(seq 100); do
    [ -s "$work/sim.out" ] && [ -S "$work/alice-key.sock" ] && [ -S "$work/mallory-key.sock" ] && break
    sleep 0.05
done
[ -s "$work/sim.out" ] || fail "gitlab-sim did not start: $(cat "$work/sim.err")"

api() { curl -sS -H "PRIVATE-TOKEN: $1" -H 'Content-Type: application/json' "${@:2}"; }
wait_job() { curl -sS -X POST "$server/-/sim/jobs/$1/wait?timeout=60" > "$work/job-$1.json"; }
job_field() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$work/job-$1.json" "$2"; }
job_log() { job_field "$1" log | indent; }
# The lines of a job's log that tell the verdict: the checks passed, or the reason and the remedy.
job_verdict() { job_field "$1" log | grep -E '^(ok |APPROVED)' | indent || true; }
job_refusal() { job_field "$1" log | grep -E '^(error:|what to do:)' | indent || true; }
expect_job() {
    wait_job "$1"
    local status; status=$(job_field "$1" status)
    [ "$status" = "$2" ] || { job_log "$1"; fail "job $1 ended $status, expected $2"; }
}
as_alice=(env CIAUTH_SERVER="$server" CIAUTH_TOKEN=alice-token XDG_CONFIG_HOME="$work/alice" HOME="$work/alice")
as_mallory=(env CIAUTH_SERVER="$server" CIAUTH_TOKEN=mallory-token XDG_CONFIG_HOME="$work/mallory" HOME="$work/mallory")

say "ciauth demo — GitLab simulator at $server, two virtual security keys (TEST devices)"
echo "  Project acme/web has a manual 'deploy' job whose script is: $verify"
echo "  The job's definition pins the server, the project, the job and its environment; the"
echo "  repository's committed .ciauth.yml names the approvers."

# --- 1. Enroll ----------------------------------------------------------------------------------
say "1. Alice enrolls her security key"
"${as_alice[@]}" "$bin/ciauth" enroll --device "unix:$work/alice-key.sock" 2>&1 | indent \
    || fail "enroll failed"
ok "credential created on the key and registered on Alice's GitLab profile (usage: signing)"

# --- 2. Approve ---------------------------------------------------------------------------------
say "2. Alice approves job 9001 (one touch) — the job runs ciauth verify"
"${as_alice[@]}" "$bin/ciauth" approve 9001 --project acme/web --yes --reason "Release 1.2" \
    --device "unix:$work/alice-key.sock" 2>&1 | indent || fail "approve failed"
expect_job 9001 success
job_verdict 9001
ok "job 9001 verified Alice's approval and ran"

# --- 3. Attacks ---------------------------------------------------------------------------------
say "3a. Mallory re-plays the finished job: GitLab retries it as a new job and copies the approval"
api mallory-token -X POST "$server/api/v4/projects/100/jobs/9001/play" > /dev/null
new_job=$(curl -sS "$server/-/sim/jobs" | python3 -c '
import json, sys
jobs = json.load(sys.stdin)
print(next(j["id"] for j in jobs if j.get("retried_from_id", j.get("retriedFromId")) == 9001))')
expect_job "$new_job" failed
job_refusal "$new_job"
ok "job $new_job refused: the approval names job 9001, not $new_job"

say "3b. Mallory plays another deploy job with Alice's approval and forges CI_JOB_ID=9001"
approval=$(curl -sS "$server/-/sim/jobs/9001" | python3 -c '
import json, sys
job = json.load(sys.stdin)
variables = job.get("variables") or job.get("manual_variables") or []
print(next(v["value"] for v in variables if v["key"] == "CIAUTH_APPROVAL"))')
python3 -c 'import json, sys; print(json.dumps({"job_variables_attributes": [
    {"key": "CIAUTH_APPROVAL", "value": sys.argv[1]}, {"key": "CI_JOB_ID", "value": "9001"}]}))' "$approval" \
    > "$work/forged.json"
api mallory-token -X POST "$server/api/v4/projects/100/jobs/9101/play" --data @"$work/forged.json" > /dev/null
expect_job 9101 failed
job_refusal 9101
ok "job 9101 refused: GitLab says it is job 9101 whatever CI_JOB_ID claims"

say "3c. Mallory, a listed approver, tries to approve with a key that is no longer on her profile"
"${as_mallory[@]}" "$bin/ciauth" enroll --device "unix:$work/mallory-key.sock" > /dev/null 2>&1 \
    || fail "mallory's enroll failed"
for id in $(api mallory-token "$server/api/v4/user/keys" | python3 -c 'import json, sys; print(" ".join(str(k["id"]) for k in json.load(sys.stdin)))'); do
    api mallory-token -X DELETE "$server/api/v4/user/keys/$id" > /dev/null
done
if "${as_mallory[@]}" "$bin/ciauth" approve 9201 --project acme/web --yes --json \
    --device "unix:$work/mallory-key.sock" > "$work/mallory-approve.json" 2> /dev/null; then
    fail "approve with an unregistered key went ahead"
fi
reason=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["reason"])' "$work/mallory-approve.json")
[ "$reason" = "unknown-key" ] || fail "approve refused with $reason, expected unknown-key"
curl -sS "$server/-/sim/jobs/9201" > "$work/job-9201.json"
[ "$(job_field 9201 status)" = "manual" ] || fail "job 9201 is $(job_field 9201 status), expected manual"
ok "ciauth approve refused before the touch (unknown-key): job 9201 was never played, so the manual job is not used up"

# --- 4. The gate at the deploy target ----------------------------------------------------------
say "4a. The deploy host runs ciauth gate: Alice approves job 9301, which sends its ID token and approval"
echo "  The job's script pipes \$CIAUTH_ID_TOKEN (signed by GitLab) and \$CIAUTH_APPROVAL to a forced"
echo "  command on the deploy host: ciauth gate exec --policy gate.yml -- deploy. No ciauth verify in the job."
"${as_alice[@]}" "$bin/ciauth" approve 9301 --project acme/web --yes --reason "Release 1.2 via the gate" \
    --device "unix:$work/alice-key.sock" 2>&1 | indent || fail "approve failed"
expect_job 9301 success
job_log 9301
[ "$(wc -l < "$work/gate/deployed.log")" -eq 1 ] || fail "the protected command did not run exactly once"
ok "the gate checked GitLab's signature on the token, its own policy and Alice's approval; the deploy ran once"

say "4b. Mallory edits the pipeline on her branch to skip ciauth verify, reuses Alice's approval, and plays the deploy job"
approval=$(curl -sS "$server/-/sim/jobs/9301" | python3 -c '
import json, sys
job = json.load(sys.stdin)
variables = job.get("variables") or job.get("manual_variables") or []
print(next(v["value"] for v in variables if v["key"] == "CIAUTH_APPROVAL"))')
python3 -c 'import json, sys; print(json.dumps({"job_variables_attributes": [{"key": "CIAUTH_APPROVAL", "value": sys.argv[1]}]}))' \
    "$approval" > "$work/reused.json"
api mallory-token -X POST "$server/api/v4/projects/100/jobs/9401/play" --data @"$work/reused.json" > /dev/null
expect_job 9401 failed
job_field 9401 log | grep -E '^error:' | indent || true
[ "$(wc -l < "$work/gate/deployed.log")" -eq 1 ] || fail "the protected command ran for Mallory's job"
ok "job 9401 refused at the gate: the pipeline cannot reach the gate's policy, and the deploy did not run"

say "All steps behaved as shown."
