#!/usr/bin/env bash
# make dist: the release artifacts in dist/ from a release build with the Swift runtime linked
# statically: a stripped binary with its debug symbols beside it, a tarball (binary, man page,
# completions, LICENSE, NOTICE, THIRD-PARTY, README), a Debian package whose Depends come from
# what the binary really links (dpkg-shlibdeps) plus SQLite, which it opens on first use, and
# SHA256SUMS.
#
# DIST_CONFIG=debug makes the same artifacts from the development build in .build instead,
# linked once more with the Swift runtime static: after `make test` that is a link of about 15 s
# where a release build from nothing takes about 6 minutes on two cores. CI's `make test-dist`
# uses it to try the packaging and a statically linked binary of the same tree; the optimised
# build is what `make dist` (the default, release) makes and the tag pipeline publishes. Debug
# artifacts are for trying only, never for release.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
for tool in dpkg-shlibdeps dpkg-deb objcopy strip; do
    command -v "$tool" >/dev/null || { echo "dist: $tool is missing (apt-get install dpkg-dev binutils)" >&2; exit 1; }
done
config=${DIST_CONFIG:-release}
case "$config" in release | debug) ;; *) echo "dist: DIST_CONFIG is release or debug, not $config" >&2; exit 1 ;; esac
version=$(tr -d '[:space:]' < VERSION)
arch=$(dpkg --print-architecture)
machine=$(uname -m)
out="$root/dist"
work="$root/.build-dist"
rm -rf "$out" "$work"
mkdir -p "$out" "$work"

# Linker flags that let the development build's objects link with the Swift runtime static. They
# were compiled against the toolchain's shared Foundation, whose modules name only the libraries
# of the shared build; the static Foundation also needs _FoundationICU, CoreFoundation,
# _FoundationCShims and _FoundationCollections (without them: undefined swift_unum_open and the
# like). The list comes from the toolchain: what a static `import Foundation` links, in one group
# because the archives refer to each other. A release build compiles with -static-stdlib and
# names them itself.
static_foundation_link_flags() {
    local probe="$work/probe" libraries
    mkdir -p "$probe"
    echo 'import Foundation' > "$probe/probe.swift"
    swiftc -static-stdlib -c "$probe/probe.swift" -o "$probe/probe.o" || return 1
    libraries=$(swift-autolink-extract "$probe/probe.o" -o -) && [ -n "$libraries" ] || return 1
    # libstdc++ inside the group too: linked from its archive (scripts/shipped-build.sh), it must
    # be searched again for what ICU, later in the link, needs.
    printf -- '-Xlinker %s\n' --start-group $libraries -lstdc++ --end-group
}

commit=$(scripts/build-commit.sh)
case "$config" in
    release)
        # A scratch directory of its own, so a release build never holds the development build's lock.
        scratch="$root/.build-release"
        scripts/shipped-build.sh release "$scratch"
        ;;
    debug)
        scratch="$root/.build"
        echo "dist: DIST_CONFIG=debug: the development build linked with the Swift runtime static, for trying the artifacts, not for release"
        # Whatever is out of date is compiled by the ordinary build first: an object compiled during
        # the static link below would name the static Foundation's libraries, and every later
        # development build that reused it would fail to link.
        ${SWIFT:-swift} build --product ciauth
        link_flags=$(static_foundation_link_flags) || { echo "dist: could not list the static Foundation's libraries" >&2; exit 1; }
        # shellcheck disable=SC2086 # one flag or library name a word
        scripts/shipped-build.sh debug "$scratch" $link_flags
        ;;
esac
binary="$work/ciauth"
cp "$scratch/$config/ciauth" "$binary"
# Debug symbols beside the binary, zlib-compressed (gdb reads them so).
objcopy --only-keep-debug --compress-debug-sections=zlib "$binary" "$out/ciauth-$version-linux-$machine.debug"
strip --strip-unneeded "$binary"
objcopy --add-gnu-debuglink="$out/ciauth-$version-linux-$machine.debug" "$binary"
# The oldest glibc the binary runs on stays 2.35 (Ubuntu 22.04, Debian 12): a newer symbol
# version pulled in by a dependency or the static C++ runtime fails here, not on a user's machine.
glibc_floor=35
needed=$(objdump -T "$binary" | grep -o 'GLIBC_2\.[0-9]*' | cut -d. -f2 | sort -n | tail -1)
[ "${needed:-0}" -le "$glibc_floor" ] || { echo "dist: the binary needs glibc 2.$needed, above the 2.$glibc_floor floor (objdump -T)" >&2; exit 1; }
# libfido2 and SQLite are opened on first use (CFIDO2Loader, CSQLiteLoader): a link that names
# either would load it at every start of every command.
if objdump -p "$binary" | grep -Eq 'NEEDED +(libfido2|libsqlite3)'; then
    echo "dist: the binary links libfido2 or libsqlite3 (objdump -p), which it must open on first use" >&2
    exit 1
fi
built=$("$binary" --version)
expected=$version${commit:+ ($commit)}
[ "$built" = "$expected" ] || { echo "dist: the binary says $built, expected $expected (VERSION and the commit)" >&2; exit 1; }

# The resolved Swift packages and their licenses, next to NOTICE's summary.
third_party="$work/THIRD-PARTY"
{
    echo "Swift packages compiled into ciauth $version (name, resolved version, license):"
    for checkout in "$scratch"/checkouts/*; do
        name=$(basename "$checkout")
        resolved=$(git -C "$checkout" describe --tags --exact-match 2>/dev/null || git -C "$checkout" rev-parse --short HEAD)
        license=$(find "$checkout" -maxdepth 1 -iname 'license*' | head -1)
        kind=unknown
        if [ -n "$license" ]; then
            if grep -q 'Apache License' "$license"; then kind=Apache-2.0
            elif grep -q 'MIT License\|Permission is hereby granted' "$license"; then kind=MIT; fi
        fi
        echo "  $name $resolved $kind"
    done
    echo
    cat NOTICE
} > "$third_party"

# Tarball.
name="ciauth-$version-linux-$machine"
tree="$work/$name"
mkdir -p "$tree/completions"
cp "$binary" Man/ciauth.1 LICENSE NOTICE README.md "$third_party" "$tree/"
cp Completions/ciauth.bash Completions/_ciauth Completions/ciauth.fish "$tree/completions/"
tar -C "$work" --owner=0 --group=0 --sort=name -czf "$out/$name.tar.gz" "$name"

# Debian package: files in their standard places, Depends computed from the binary. libfido2 is
# opened with dlopen only by the commands that use a security key, so it is recommended, not required.
package="$work/deb"
install -D -m 0755 "$binary" "$package/usr/bin/ciauth"
install -D -m 0644 Man/ciauth.1 "$package/usr/share/man/man1/ciauth.1"
gzip -9n "$package/usr/share/man/man1/ciauth.1"
install -D -m 0644 Completions/ciauth.bash "$package/usr/share/bash-completion/completions/ciauth"
install -D -m 0644 Completions/_ciauth "$package/usr/share/zsh/vendor-completions/_ciauth"
install -D -m 0644 Completions/ciauth.fish "$package/usr/share/fish/vendor_completions.d/ciauth.fish"
install -D -m 0644 LICENSE "$package/usr/share/doc/ciauth/copyright"
install -D -m 0644 "$third_party" "$package/usr/share/doc/ciauth/THIRD-PARTY"
# dpkg-shlibdeps wants a debian/control of a source package; a minimal one in a scratch tree.
mkdir -p "$work/src/debian"
printf 'Source: ciauth\n\nPackage: ciauth\nArchitecture: any\n' > "$work/src/debian/control"
depends=$(cd "$work/src" && dpkg-shlibdeps -O "$package/usr/bin/ciauth" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "dist: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
# SQLite is opened with dlopen too, only by the gate's pass store, so dpkg-shlibdeps no longer sees
# it; the gate cannot record a pass without it and it is small: required. 3.16.2 is the first
# SQLite with SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, which the pass store sets (an older one refuses).
depends="$depends, libsqlite3-0 (>= 3.16.2)"
mkdir -p "$package/DEBIAN"
size=$(du -ks "$package/usr" | cut -f1)
cat > "$package/DEBIAN/control" <<CONTROL
Package: ciauth
Version: $version
Architecture: $arch
Maintainer: ciauth maintainers <maintainers@ciauth.invalid>
Installed-Size: $size
Depends: $depends
Recommends: libfido2-1 (>= 1.12)
Section: devel
Priority: optional
Description: FIDO2 security-key approvals for GitLab CI jobs
 ciauth puts a person, proven by a FIDO2 security key, in front of GitLab CI's
 most dangerous jobs: approve a job with one touch, and verify in the job that
 an enrolled person approved exactly this job.
CONTROL
# xz level 1: 7 s and 24 MB for the 84 MB binary, where dpkg-deb's default level 6 takes 40-60 s
# for 21 MB on a loaded 2-core machine (every `make dist`, `make test-dist` and CI run pays it).
dpkg-deb -Zxz -z1 --root-owner-group --build "$package" "$out/ciauth_${version}_$arch.deb" >/dev/null

(cd "$out" && sha256sum -- *.tar.gz *.deb *.debug > SHA256SUMS)
echo "dist: $(ls "$out" | tr '\n' ' ')"
echo "dist: binary $(stat -c %s "$scratch/$config/ciauth") bytes unstripped, $(stat -c %s "$binary") stripped; Depends: $depends"
