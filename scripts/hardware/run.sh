#!/usr/bin/env bash
# make test-hardware: ciauth against a real Linux hidraw device, in a VM.
#
# A stock Debian kernel boots under QEMU (software emulation, no KVM needed); inside it,
# uhid-bridge turns ciauth-virtual-key into a USB FIDO HID device that the kernel's hid-generic
# driver exposes as /dev/hidrawN, and the built ciauth talks to it through libfido2 as it would
# to a USB security key. The guest prints one `ok NAME` / `FAIL NAME: detail` line per check.
#
# Needs: root (or the packages already installed), Debian's package archive, the built binaries
# in .build/debug. Downloaded packages are kept in .cache/hardware between runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin="$root/.build/debug"
cache="$root/.cache/hardware"
timeout_seconds=${HARDWARE_TIMEOUT:-240}
expected_checks=11

cannot() {
    echo "make test-hardware: CANNOT RUN: $*" >&2
    echo "make test-hardware: FAILED (the hidraw checks did not run)" >&2
    exit 1
}
step() { awk -v label="$1" -v start="$2" -v now="$(date +%s.%N)" 'BEGIN { printf "test-hardware: %-52s %6.1f s\n", label, now - start }'; }
clock() { date +%s.%N; }

t0=$(clock)
# --- Packages: qemu and cpio installed; kernel and busybox only downloaded ------------------
if ! command -v qemu-system-x86_64 > /dev/null || ! command -v cpio > /dev/null; then
    [ "$(id -u)" = 0 ] || cannot "qemu-system-x86_64 or cpio is missing and installing them needs root (apt-get install qemu-system-x86 cpio)"
    echo "test-hardware: installing qemu-system-x86 and cpio"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-system-x86 cpio > /dev/null; } \
        || cannot "apt-get could not install qemu-system-x86 and cpio"
fi
for tool in gcc dpkg-deb apt-get ldd strip; do
    command -v $tool > /dev/null || cannot "$tool is missing"
done
[ -e /usr/include/linux/uhid.h ] || cannot "linux/uhid.h is missing (package linux-libc-dev)"
for product in ciauth ciauth-virtual-key gitlab-sim; do
    [ -x "$bin/$product" ] || cannot "$bin/$product is not built (run swift build)"
done
step "packages" "$t0"

mkdir -p "$cache"
# The current Debian 6.1 kernel: the version linux-image-amd64 depends on, unsigned flavour.
kernel_package() {
    apt-cache depends linux-image-amd64 2> /dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1-unsigned/p' | head -n 1
}
package=$(kernel_package)
if [ -z "$package" ]; then
    [ "$(id -u)" = 0 ] && apt-get update -qq > /dev/null 2>&1 || true
    package=$(kernel_package)
fi
fetch() {  # fetch PACKAGE: the .deb in the cache, downloaded when missing; prints its path
    local found
    found=$(ls "$cache/$1"_*.deb 2> /dev/null | head -n 1 || true)
    if [ -z "$found" ]; then
        (cd "$cache" && apt-get download -qq "$1" > /dev/null 2>&1) || return 1
        found=$(ls "$cache/$1"_*.deb 2> /dev/null | head -n 1 || true)
    fi
    [ -n "$found" ] && echo "$found"
}
if [ -z "$package" ]; then
    # Offline: use a cached kernel package if there is one.
    package=$(ls "$cache" 2> /dev/null | sed -n 's/^\(linux-image-[^_]*-unsigned\)_.*\.deb$/\1/p' | tail -n 1)
    [ -n "$package" ] || cannot "no linux-image-amd64 in the package lists (apt-get update) and no kernel package in .cache/hardware"
fi
kernel_deb=$(fetch "$package") || cannot "apt-get download $package failed"
# Kernels the archive has moved past are not needed again.
for old in "$cache"/linux-image-*.deb; do [ "$old" = "$kernel_deb" ] || rm -f "$old"; done
busybox_deb=$(fetch busybox-static) || cannot "apt-get download busybox-static failed"
step "kernel and busybox packages ($package)" "$t0"

work=$(mktemp -d "${TMPDIR:-/tmp}/ciauth-hardware.XXXXXX")
trap 'rm -rf "$work"' EXIT
image="$work/root"
mkdir -p "$image"/{bin,dev,proc,sys,tmp,etc,lib/modules,opt/ciauth/bin}

# --- Kernel and modules -----------------------------------------------------------------------
mkdir -p "$work/kernel"
# tar reads to the end of its input (--ignore-zeros): stopping at the archive's end marker could
# leave dpkg-deb writing the padding into a closed pipe, and pipefail would end the run with 141.
dpkg-deb --fsys-tarfile "$kernel_deb" | tar -x --ignore-zeros -C "$work/kernel" --wildcards './boot/vmlinuz-*' '*/kernel/drivers/hid/hid.ko*' \
    '*/kernel/drivers/hid/hid-generic.ko*' '*/kernel/drivers/hid/uhid.ko*'
vmlinuz=$(ls "$work"/kernel/boot/vmlinuz-* | head -n 1)
for module in hid hid-generic uhid; do
    file=$(find "$work/kernel" -name "$module.ko*" | head -n 1)
    [ -n "$file" ] || cannot "$module.ko is not in $package"
    case "$file" in
        *.ko.xz) xz -dc "$file" > "$image/lib/modules/$module.ko" ;;
        *.ko.zst) zstd -qdc "$file" > "$image/lib/modules/$module.ko" ;;
        *) cp "$file" "$image/lib/modules/$module.ko" ;;
    esac
done
dpkg-deb --fsys-tarfile "$busybox_deb" | tar -x --ignore-zeros -C "$work" ./bin/busybox
mv "$work/bin/busybox" "$image/bin/busybox"

# --- The programs under test, their libraries at the host's paths, the bridge ----------------
gcc -O2 -Wall -static -o "$image/opt/ciauth/bin/uhid-bridge" "$root/scripts/hardware/uhid-bridge.c" \
    || cannot "the uhid bridge does not compile"
for product in ciauth ciauth-virtual-key gitlab-sim; do
    strip --strip-debug -o "$image/opt/ciauth/bin/$product" "$bin/$product"
done
# ciauth opens libfido2 with dlopen (no DT_NEEDED, so ldd does not list it): named here, with its own libraries.
fido2=$(ldconfig -p | awk '$1 == "libfido2.so.1" && /x86-64/ { print $NF; exit }')
[ -n "$fido2" ] || cannot "libfido2.so.1 is not installed (package libfido2-1)"
{ ldd "$bin/ciauth" "$bin/ciauth-virtual-key" "$bin/gitlab-sim" "$fido2" | awk '/=> \// { print $3 } /^\t\/[^ ]+ \(/ { print $1 }'; echo "$fido2"; } | sort -u |
    while read -r library; do
        mkdir -p "$image$(dirname "$library")"
        strip --strip-debug -o "$image$library" "$(readlink -f "$library")" 2> /dev/null || cp -L "$library" "$image$library"
    done
cp "$root/scripts/hardware/guest-init.sh" "$image/init"
chmod 0755 "$image/init"
(cd "$image" && find . | cpio -o -H newc --quiet) > "$work/initrd"
step "guest image ($(du -m "$work/initrd" | cut -f1) MB)" "$t0"

# --- Boot and run the checks -------------------------------------------------------------------
echo "test-hardware: booting $(basename "$vmlinuz") under qemu (tcg)"
boot=$(clock)
set +e
timeout "$timeout_seconds" nice -n 10 qemu-system-x86_64 -m 2048 -smp 2 -cpu max -accel tcg,thread=multi \
    -display none -monitor none -serial stdio -nic none -no-reboot \
    -kernel "$vmlinuz" -initrd "$work/initrd" -append "console=ttyS0 quiet panic=-1" \
    < /dev/null 2>&1 | sed -u 's/\r$//' | tee "$work/console.log" | grep -E --line-buffered '^(ok |FAIL |checks )' | sed -u 's/^/  /'
qemu_status=${PIPESTATUS[0]}
set -e
step "boot and checks" "$boot"
step "total" "$t0"

passed=$(grep -c '^ok ' "$work/console.log" || true)
failed=$(grep -c '^FAIL ' "$work/console.log" || true)
if [ "$qemu_status" = 124 ]; then
    tail -n 30 "$work/console.log" >&2
    echo "make test-hardware: FAILED: the guest did not finish within $timeout_seconds s" >&2
    exit 1
fi
if ! grep -q '^checks done' "$work/console.log"; then
    tail -n 30 "$work/console.log" >&2
    echo "make test-hardware: FAILED: the guest stopped before the end of the checks (qemu status $qemu_status)" >&2
    exit 1
fi
if [ "$failed" -ne 0 ] || [ "$passed" -ne "$expected_checks" ]; then
    echo "make test-hardware: FAILED: $passed of $expected_checks checks passed, $failed failed" >&2
    exit 1
fi
echo "make test-hardware: all $passed checks passed through /dev/hidraw"
