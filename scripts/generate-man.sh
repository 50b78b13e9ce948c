#!/usr/bin/env bash
# Writes the ciauth(1) manual to stdout: the command reference generated from the command
# definitions, followed by the hand-written sections in docs/man/ciauth-sections.mdoc.
# Usage: scripts/generate-man.sh PRODUCTS_DIR   (the directory holding ciauth and generate-manual)
set -euo pipefail
products=${1:?products directory}
root=$(cd "$(dirname "$0")/.." && pwd)
# A fixed date keeps the output reproducible; bump it with each release.
date=$(sed -n 's/^\.Dd-source //p' "$root/docs/man/ciauth-sections.mdoc")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$products/generate-manual" "$products/ciauth" --date "$date" --output-directory "$work" >/dev/null
# Drop the generic EXIT STATUS section; ours lists every status the tool uses. Then show defaults
# as --help does, leave hidden commands out, and describe --no-… forms (scripts/man-postprocess.py).
awk '/^\.Sh "EXIT STATUS"/ { skip = 1; next } skip && /^\.Sh / { skip = 0 } !skip' "$work/ciauth.1" \
  | python3 "$root/scripts/man-postprocess.py" "$products/ciauth"
grep -v '^\.Dd-source ' "$root/docs/man/ciauth-sections.mdoc"
