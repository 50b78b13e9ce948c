#!/usr/bin/env bash
# Builds the libFuzzer harness for the SSHSig parsers and runs it for SECONDS (default 60).
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

SWIFT_BACKTRACE=enable=no "$fuzzer" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
    -artifact_prefix="$scratch/artifacts/" "$corpus"
