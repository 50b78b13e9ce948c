#!/usr/bin/env bash
# `ciauth keys prune --dry-run` (release build) over a group of MEMBERS members with 3 security
# keys each, served by gitlab-sim on loopback: wall time of the whole process (median and max of
# RUNS runs) and the number of API requests one run sends (at most one per member plus pagination).
# Usage: Bench/prune.sh [MEMBERS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
members=${1:-1000}
runs=${2:-5}
config=${CONFIG:-release}  # CONFIG=debug measures the debug build instead
swift build -c "$config" --product ciauth >/dev/null
swift build -c "$config" --product gitlab-sim >/dev/null
bin=$(swift build -c "$config" --show-bin-path)
work=$(mktemp -d)
trap 'kill "${sim_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

python3 - "$members" "$work/seed.json" <<'PY'
import base64, json, struct, sys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
members, path = int(sys.argv[1]), sys.argv[2]
def string(b): return struct.pack(">I", len(b)) + b
def sk_key():
    # A real Ed25519 point: random bytes are off the curve half the time, and ciauth (strictly)
    # would not count such a key as a security key.
    point = Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    blob = string(b"sk-ssh-ed25519@openssh.com") + string(point) + string(b"ssh:")
    return "sk-ssh-ed25519@openssh.com " + base64.b64encode(blob).decode()
users = [{"id": 1, "username": "root", "name": "Root", "admin": True, "tokens": ["root-token"]}]
for i in range(members):
    keys = [{"title": f"key-{k}", "key": sk_key(), "usage_type": "signing",
             "created_at": "2024-01-01T00:00:00Z" if k == 0 else "2026-06-01T00:00:00Z",
             "expires_at": "2025-01-01" if (i + k) % 7 == 0 else "2030-01-01"} for k in range(3)]
    users.append({"id": 100 + i, "username": f"m{i:04d}", "name": f"Member {i}",
                  "state": "blocked" if i % 10 == 0 else "active", "tokens": [], "keys": keys})
group = {"id": 10, "path": "bench", "members": [{"user_id": 100 + i, "access_level": 30} for i in range(members)]}
json.dump({"users": users, "groups": [group]}, open(path, "w"))
PY

"$bin/gitlab-sim" --seed "$work/seed.json" > "$work/sim.out" &
sim_pid=$!
started=$(date +%s)
for _ in $(seq 1200); do [ -s "$work/sim.out" ] && break; sleep 0.05; done  # a 1,000-member seed loads in under a second
echo "gitlab-sim ready after $(( $(date +%s) - started )) s" >&2
url=$(head -n1 "$work/sim.out")

export CIAUTH_SERVER="$url" CIAUTH_TOKEN=root-token
python3 - "$runs" "$bin/ciauth" "$url" "$members" <<'PY'
import json, statistics, subprocess, sys, time, urllib.request
runs, ciauth, url, members = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
argv = [ciauth, "keys", "prune", "--group", "bench", "--expired", "--owner-blocked", "--older-than", "365d",
        "--dry-run", "--json"]
samples = []
for _ in range(runs):
    urllib.request.urlopen(urllib.request.Request(url + "/-/sim/requests", method="DELETE")).read()
    start = time.perf_counter()
    result = subprocess.run(argv, capture_output=True)
    samples.append(time.perf_counter() - start)
    if result.returncode != 0:
        sys.exit(f"ciauth failed ({result.returncode}): {result.stderr.decode()}")
requests = json.loads(urllib.request.urlopen(url + "/-/sim/requests").read())
report = json.loads(result.stdout)
api = [r for r in requests if r["path"].startswith("/api/v4/")]
pages = sum(1 for r in api if r["path"].endswith("/members/all"))
keys = sum(1 for r in api if r["path"].endswith("/keys"))
print(f"keys prune --dry-run: {members} members, {members * 3} keys, {runs} runs")
print(f"  wall time: median {statistics.median(samples):.2f} s, max {max(samples):.2f} s")
print(f"  requests per run: {len(api)} ({pages} member pages + {keys} key listings; {members} members)")
print(f"  plan: {report['summary']['planned']} to revoke, {report['summary']['kept']} kept")
PY
