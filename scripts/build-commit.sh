#!/bin/sh
# The commit a release build names in `ciauth --version`: the short hash of HEAD, with "-dirty"
# when tracked files differ from it; nothing outside a git checkout (a source tarball).
cd "$(dirname "$0")/.." || exit 0
commit=$(git rev-parse --short=12 HEAD 2>/dev/null) || exit 0
git diff --quiet HEAD -- 2>/dev/null || commit="$commit-dirty"
echo "$commit"
