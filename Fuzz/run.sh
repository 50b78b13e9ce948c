#!/usr/bin/env bash
# Builds the libFuzzer harnesses for the SSHSig parsers and for the approval protocol's parsers
# (statement, transport, plain form, policy) and runs each for SECONDS (default 60), then prints
# each one's executions per second.
# Usage: Fuzz/run.sh [SECONDS]   (crash inputs are kept in .build-fuzz/artifacts/)
set -euo pipefail
seconds="${1:-60}"
source "$(dirname "$0")/common.sh"
fuzzer="$scratch/sshsig-fuzz"
# shellcheck disable=SC2086
swiftc -O -sanitize=fuzzer -parse-as-library -module-name SSHSigFuzz -I "$products/Modules" $module_flags \
    $sshsig_sources "$root/Fuzz/FuzzSSHSig.swift" $crypto_objects -lstdc++ -o "$fuzzer"

# Seed corpus: the committed fixtures, each prefixed with the selector byte of its parser.
corpus="$scratch/corpus"
mkdir -p "$corpus" "$scratch/artifacts"
fixtures="$root/Tests/SSHSigTests/Fixtures"
# The last field of an SSHSIG envelope (skip magic, version and four strings).
signature_blob() {
    python3 -c 'import sys
b = sys.stdin.buffer.read(); i = 10
for _ in range(4): i += 4 + int.from_bytes(b[i:i + 4], "big")
sys.stdout.buffer.write(b[i + 4:])'
}
# seed SELECTOR NAME < input
seed() { { printf "\\$(printf '%03o' "$1")"; cat; } > "$corpus/seed-$1-$2"; }
for sig in "$fixtures"/*.sig; do
    seed 1 "$(basename "$sig")" < "$sig"
    sed '1d;$d' "$sig" | base64 -d | seed 0 "$(basename "$sig")"
    sed '1d;$d' "$sig" | base64 -d | signature_blob | seed 4 "$(basename "$sig")"
done
for pub in "$fixtures"/*.pub; do
    seed 2 "$(basename "$pub")" < "$pub"
    { printf 'alice,ops-* namespaces="ciauth",valid-after="20250101Z" '; cat "$pub"; } | seed 3 "$(basename "$pub")"
done
for key in "$fixtures"/*-sk.key "$fixtures"/*-uv.key; do
    sed '1d;$d' "$key" | base64 -d | seed 5 "$(basename "$key")"
done

# The approval harness and its seeds: the protocol's test vectors and policy examples.
approval_fuzzer="$scratch/approval-fuzz"
# shellcheck disable=SC2086
swiftc -O -sanitize=fuzzer -parse-as-library -module-name ApprovalFuzz -I "$products/Modules" $module_flags \
    $sshsig_sources $approval_sources "$root/Fuzz/FuzzApproval.swift" $crypto_objects $yams_objects -lstdc++ -o "$approval_fuzzer"
approval_corpus="$scratch/approval-corpus"
mkdir -p "$approval_corpus"
vectors="$root/Tests/CIAuthCoreTests/Fixtures"
aseed() { { printf "\\$(printf '%03o' "$1")"; cat; } > "$approval_corpus/seed-$1-$2"; }
aseed 0 statement < "$vectors/statement-v2.txt"
for key in ed25519 p256; do
    aseed 1 "$key" < "$vectors/approval-v2-$key.transport"
    cat "$vectors/statement-v2.txt" "$vectors/approval-v2-$key.sig" | aseed 2 "$key"
done
printf 'server: https://gitlab.example.com\nproject: acme/web\napprovers: [alice, bob#42]\nrequire_uv: true\nmax_age: 1h\n' | aseed 3 flat
printf 'approver_groups:\n  - group: acme/release\n    min_access: maintainer\nmin_key_age: 1d12h\nallow_self_approval: false\nread_token_variable: T\n' | aseed 3 groups

run() {
    local status=0
    SWIFT_BACKTRACE=enable=no "$1" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
        -artifact_prefix="$scratch/artifacts/" "$2" > "$scratch/$3.log" 2>&1 || status=$?
    grep -E '^(==|Done|stat::)' "$scratch/$3.log" || true
    [ "$status" -eq 0 ] || { tail -30 "$scratch/$3.log"; echo "fuzz: $3 found a failing input (see $scratch/artifacts/)"; exit 1; }
}
run "$fuzzer" "$corpus" sshsig
run "$approval_fuzzer" "$approval_corpus" approval
for name in sshsig approval; do
    echo "fuzz $name: $(grep -E '^stat::number_of_executed_units' "$scratch/$name.log" | awk '{print $2}') runs," \
        "$(grep -E '^stat::average_exec_per_sec' "$scratch/$name.log" | awk '{print $2}') exec/s in $seconds s"
done
