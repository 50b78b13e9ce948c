#!/usr/bin/env bash
# make test-dist: the release artifacts in dist/ (make dist) tried where no Swift exists; in CI
# the same artifacts made from the development build (make dist DIST_CONFIG=debug).
#
# Two minimal Debian bookworm roots (debootstrap --variant=minbase: no Swift, no compiler) run
# the artifacts under chroot:
#   deb root:      apt installs dist/ciauth_VERSION_ARCH.deb with its Depends from the archive;
#                  `ciauth --version`, `man ciauth` and the bash completion are checked.
#   tarball root:  the tarball unpacked, the .deb's Depends installed except libfido2-1 (and
#                  libfido2 checked absent); an offline `ciauth check-approval` of the protocol's
#                  test vector must pass, and `ciauth devices` must fail with an error that names
#                  the package libfido2-1, with an exit status below 128 (not a crash, not the
#                  dynamic loader's 127).
# One `ok NAME` / `FAIL NAME: detail` line per check; the exit status is 0 only if all passed.
#
# Needs: root (chroot, mounts), debootstrap (installed when missing), Debian's package archive
# (DEBIAN_MIRROR, default http://deb.debian.org/debian). The bootstrapped root is kept in
# .cache/dist-root/ under a key made of everything that goes into it, and downloaded packages
# in .cache/dist-root/archives, so later runs need the archive only for what changed.
# TEST_DIST_DIR tries artifacts made elsewhere (default dist/).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dist=${TEST_DIST_DIR:-$root/dist}
cache="$root/.cache/dist-root"
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=bookworm
include=man-db,bash-completion
fixtures="$root/Tests/CIAuthCoreTests/Fixtures"

cannot() {
    echo "make test-dist: CANNOT RUN: $*" >&2
    echo "make test-dist: FAILED (the artifacts were not tried)" >&2
    exit 1
}
clock() { date +%s.%N; }
step() { awk -v label="$1" -v start="$2" -v now="$(clock)" 'BEGIN { printf "test-dist: %-52s %6.1f s\n", label, now - start }'; }

t0=$(clock)
# --- Preconditions ------------------------------------------------------------------------------
[ "$(id -u)" = 0 ] || cannot "chroot and the roots' mounts need root (run as root, or in a container that allows chroot and mount)"
if ! command -v debootstrap > /dev/null; then
    echo "test-dist: installing debootstrap"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap > /dev/null; } \
        || cannot "apt-get could not install debootstrap"
fi
for tool in chroot unshare mount dpkg-deb sha256sum tar; do command -v $tool > /dev/null || cannot "$tool is missing"; done
version=$(tr -d '[:space:]' < VERSION)
arch=$(dpkg --print-architecture)
machine=$(uname -m)
deb="$dist/ciauth_${version}_$arch.deb"
tarball="$dist/ciauth-$version-linux-$machine.tar.gz"
[ -f "$deb" ] && [ -f "$tarball" ] && [ -f "$dist/SHA256SUMS" ] || cannot "dist/ has no artifacts of version $version (run make dist)"
(cd "$dist" && sha256sum --quiet -c SHA256SUMS) || cannot "dist/SHA256SUMS does not match the artifacts"

# --- The bootstrapped root, cached under a key of what it contains -------------------------------
key=$(printf '%s\n' "$suite" minbase "$include" "$arch" "$mirror" "$(debootstrap --version)" | sha256sum | cut -c1-16)
base="$cache/$suite-$arch-$key.tar"
mkdir -p "$cache/archives"
if [ ! -f "$base" ]; then
    echo "test-dist: bootstrapping Debian $suite ($arch, minbase + $include) from $mirror"
    staging=$(mktemp -d "${TMPDIR:-/tmp}/ciauth-bootstrap.XXXXXX")
    trap 'rm -rf "$staging"' EXIT
    debootstrap --variant=minbase --include="$include" --arch="$arch" "$suite" "$staging" "$mirror" > "$cache/debootstrap.log" 2>&1 \
        || { tail -n 20 "$cache/debootstrap.log" >&2; cannot "debootstrap failed (log: .cache/dist-root/debootstrap.log)"; }
    tar -C "$staging" --numeric-owner -cf "$base.partial" . && mv "$base.partial" "$base"
    rm -rf "$staging"
    trap - EXIT
    # Roots of other keys are never used again.
    find "$cache" -maxdepth 1 -name '*.tar' ! -name "$(basename "$base")" -delete
fi
step "bootstrapped root ($(du -m "$base" | cut -f1) MB, key $key)" "$t0"

work=$(mktemp -d "${TMPDIR:-/tmp}/ciauth-test-dist.XXXXXX")
trap 'rm -rf "$work"' EXIT
new_root() {  # new_root NAME: a fresh copy of the bootstrapped root; prints its path
    local dir="$work/$1"
    mkdir -p "$dir"
    tar -C "$dir" --numeric-owner -xf "$base"
    cp /etc/resolv.conf "$dir/etc/resolv.conf"
    echo "$dir"
}
# in_root DIR COMMAND...: COMMAND under chroot, in a private mount namespace (the mounts vanish
# with it), with a clean environment; the package cache is shared between runs.
in_root() {
    local dir=$1
    shift
    unshare --mount --propagation private sh -c '
        dir=$1; archives=$2; shift 2
        mount -t proc proc "$dir/proc"
        mount --bind "$archives" "$dir/var/cache/apt/archives"
        exec chroot "$dir" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=/root LANG=C.UTF-8 \
            TERM=dumb DEBIAN_FRONTEND=noninteractive "$@"' in_root "$dir" "$cache/archives" "$@"
}
# apt_install DIR ARGS...: apt-get install from the lists of the last run, updated when that fails.
apt_install() {
    local dir=$1
    shift
    in_root "$dir" apt-get install -y -qq --no-install-recommends "$@" > "$work/apt.log" 2>&1 && return 0
    in_root "$dir" apt-get update -qq > "$work/apt.log" 2>&1 || { tail -n 20 "$work/apt.log" >&2; return 1; }
    in_root "$dir" apt-get install -y -qq --no-install-recommends "$@" > "$work/apt.log" 2>&1 || { tail -n 20 "$work/apt.log" >&2; return 1; }
}

passed=0
failed=0
ok() { echo "  ok $1"; passed=$((passed + 1)); }
fail() { echo "  FAIL $1: $2"; failed=$((failed + 1)); }
# check NAME EXPECTED_STDOUT_PATTERN DIR COMMAND...: the command succeeds and its output matches.
check() {
    local name=$1 pattern=$2 dir=$3
    shift 3
    local output status=0
    output=$(in_root "$dir" "$@" 2>&1) || status=$?
    if [ "$status" -ne 0 ]; then fail "$name" "exit status $status: $(printf '%s' "$output" | head -c 400)"
    elif ! printf '%s' "$output" | grep -Eq -- "$pattern"; then fail "$name" "output does not match /$pattern/: $(printf '%s' "$output" | head -c 400)"
    else ok "$name"; fi
}

# --- The Debian package, installed by apt ----------------------------------------------------
t1=$(clock)
deb_root=$(new_root deb)
cp "$deb" "$deb_root/tmp/"
if ! apt_install "$deb_root" "/tmp/$(basename "$deb")"; then
    fail "deb: apt installs the package and its Depends" "apt-get failed (above)"
    deb_root=""
else
    ok "deb: apt installs the package and its Depends"
fi
step "deb root" "$t1"
if [ -n "$deb_root" ]; then
    check "deb: ciauth --version prints $version" "^$version([^0-9.]|\$)" "$deb_root" ciauth --version
    check "deb: man ciauth" "ciauth" "$deb_root" sh -c 'MANWIDTH=80 man -P cat ciauth 2>&1 | head -n 20'
    # The completion bash-completion loads on demand for `ciauth`, asked to complete `ciauth ver`.
    check "deb: bash completion completes subcommands" "^verify\$" "$deb_root" bash -c '
        . /usr/share/bash-completion/bash_completion
        __load_completion ciauth || exit 1
        complete -p ciauth >&2
        COMP_WORDS=(ciauth ver); COMP_CWORD=1; COMP_LINE="ciauth ver"; COMP_POINT=${#COMP_LINE}
        function=$(complete -p ciauth | sed -n "s/.*-F \([^ ]*\) .*/\1/p")
        "$function" ciauth ver ciauth
        printf "%s\n" "${COMPREPLY[@]}"'
fi

# --- The tarball, in a root without libfido2 ------------------------------------------------------
t2=$(clock)
tar_root=$(new_root tarball)
mkdir -p "$tar_root/opt/ciauth" "$tar_root/tmp/fixtures"
tar -C "$tar_root/opt/ciauth" --strip-components=1 --no-same-owner -xzf "$tarball"
cp "$fixtures/allowed_signers-ed25519" "$fixtures/approval-v2-ed25519.transport" "$tar_root/tmp/fixtures/"
# What the binary needs besides libfido2: the .deb's Depends without libfido2-1.
others=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/^ *//; s/[ (].*//' | grep -v '^$' | grep -v '^libfido2-1$' || true)
if [ -n "$others" ] && ! apt_install "$tar_root" $others; then
    fail "tarball: the Depends other than libfido2-1 install" "apt-get failed (above)"
fi
if in_root "$tar_root" sh -c 'ldconfig -p | grep -q libfido2 || ls /usr/lib/*/libfido2* > /dev/null 2>&1'; then
    fail "tarball: the root has no libfido2" "libfido2 is installed (the root is not what this test needs)"
else
    ok "tarball: the root has no libfido2"
fi
step "tarball root" "$t2"
check "tarball: ciauth --version without libfido2" "^$version([^0-9.]|\$)" "$tar_root" /opt/ciauth/ciauth --version
check "tarball: offline check-approval of the Ed25519 test vector" "^approved by alice with SHA256:" "$tar_root" \
    /opt/ciauth/ciauth check-approval --allowed-signers /tmp/fixtures/allowed_signers-ed25519 \
    --approval /tmp/fixtures/approval-v2-ed25519.transport --at 2026-11-28T21:30:00Z
# A command that needs a security key: a clear error naming the package, a status below 128.
devices_status=0
devices_output=$(in_root "$tar_root" /opt/ciauth/ciauth devices 2>&1 > /dev/null) || devices_status=$?
if [ "$devices_status" -eq 0 ] || [ "$devices_status" -ge 128 ] || [ "$devices_status" -eq 127 ]; then
    fail "tarball: ciauth devices without libfido2 fails cleanly" "exit status $devices_status: $(printf '%s' "$devices_output" | head -c 300)"
elif ! printf '%s' "$devices_output" | grep -q 'libfido2-1'; then
    fail "tarball: ciauth devices without libfido2 names the package libfido2-1" "$(printf '%s' "$devices_output" | head -c 300)"
else
    ok "tarball: ciauth devices without libfido2 names libfido2-1 (exit status $devices_status)"
fi
step "total" "$t0"

if [ "$failed" -ne 0 ]; then
    echo "make test-dist: FAILED: $passed checks passed, $failed failed" >&2
    exit 1
fi
echo "make test-dist: all $passed checks passed"
