#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the initramfs for the QEMU guest: busybox, the Debian kernel modules
# for virtio disks and network, and whatever of the Jailhouse build exists
# in the tree (driver, hypervisor image, CLI and config collector, cell
# configs, inmates).
#
# usage: mkinitramfs.sh [-a ARCH] [-k ROLE] [-o OUTPUT] [-t TREE] [-d DESTDIR]
#   ARCH    arm64 (default) or x86: the x86 guest's (qemu-run.sh --machine
#           x86) with Debian's amd64 kernel and busybox ($JH_CACHE/amd64)
#           and what "make ARCH=x86" built: TREE/build/x86/driver/*.ko,
#           TREE/build/x86/hypervisor/jailhouse.bin,
#           TREE/build/x86/tools/jailhouse, configs/x86/*.cell,
#           inmates/{demos,tests}/x86/*.bin, the test programs of
#           tests/e2e/guest for x86 (TREE/build/x86/tests/e2e/guest);
#           OUTPUT default
#           TREE/build/x86/initramfs.cpio.gz
#   ROLE    a kernel of the test matrix (scripts/setup.sh: rt, newest,
#           newest-rt): its modules, and the driver "make driver
#           KERNEL=ROLE" built, TREE/build/kernels/ROLE/driver/jailhouse.ko
#           (required), uio_ivshmem.ko and ivshmem_net.ko; default the
#           stock kernel and TREE/driver/jailhouse.ko, uio_ivshmem.ko and
#           ivshmem_net.ko if built
#   OUTPUT  default TREE/build/initramfs.cpio.gz, with -k
#           TREE/build/kernels/ROLE/initramfs.cpio.gz
#   TREE    the source tree with the build results, default this checkout
#   DESTDIR an installation (make install DESTDIR=... prefix=/usr) whose
#           files go in instead of the tree's build results: the guest
#           then has the installed layout (tests/e2e/test_installed*.py)
set -euo pipefail

JH_CACHE=${JH_CACHE:-/var/cache/jailhouse-qemu}
tree=$(cd "$(dirname "$0")/.." && pwd)
. "$(dirname "$0")/modules.sh"
out=
role=
destdir=
arch=arm64

while getopts "a:k:o:t:d:" opt; do
	case $opt in
	a) arch=$OPTARG ;;
	k) role=$OPTARG ;;
	o) out=$OPTARG ;;
	t) tree=$(cd "$OPTARG" && pwd) ;;
	d) destdir=$(cd "$OPTARG" && pwd) ;;
	*) echo "usage: $0 [-a ARCH] [-k ROLE] [-o OUTPUT] [-t TREE]" \
		"[-d DESTDIR]" >&2
	   exit 2 ;;
	esac
done
case $arch in
arm64|x86) ;;
*) echo "$0: -a $arch: arm64 or x86" >&2; exit 2 ;;
esac
if [ "$arch" = x86 ] && [ -n "$role" ]; then
	echo "$0: the kernel matrix (-k) is arm64 only" >&2
	exit 2
fi

# Guest modules, in no particular order: dependencies are resolved below;
# those built into the kernel (virtio_pci in 6.12) are left out.
# sdhci-of-arasan: the SD card of the zcu102 machine (qemu-run.sh).
GUEST_MODULES="virtio_mmio virtio_pci virtio_blk virtio_net sdhci-of-arasan"
[ "$arch" = arm64 ] || GUEST_MODULES="virtio_pci virtio_blk virtio_net"
# Shipped but loaded only on demand (modprobe): uio for uio_ivshmem.
GUEST_MODULES_ON_DEMAND="uio"

if [ -n "$role" ]; then
	root="$JH_CACHE/kernels/$role"
	abi=$(readlink "$root") || {
		echo "$0: no kernel $role in $JH_CACHE, run scripts/setup.sh" >&2
		exit 1
	}
	drivers=$tree/build/kernels/$role/driver
	driver=$drivers/jailhouse.ko
	[ -f "$driver" ] || {
		echo "$0: no driver for the kernel $role: make driver" \
			"KERNEL=$role" >&2
		exit 1
	}
	out=${out:-$tree/build/kernels/$role/initramfs.cpio.gz}
elif [ "$arch" = x86 ]; then
	root="$JH_CACHE/amd64/root"
	abi=$(basename "$(readlink "$JH_CACHE/amd64/vmlinuz")")
	abi=${abi#vmlinuz-}
	drivers=$tree/build/x86/driver
	driver=$drivers/jailhouse.ko
	out=${out:-$tree/build/x86/initramfs.cpio.gz}
else
	root="$JH_CACHE/root"
	abi=$(basename "$(readlink "$JH_CACHE/vmlinuz")")
	abi=${abi#vmlinuz-}
	drivers=$tree/driver
	driver=$drivers/jailhouse.ko
	out=${out:-$tree/build/initramfs.cpio.gz}
fi
if [ "$arch" = x86 ]; then
	busybox=$JH_CACHE/amd64/root/bin/busybox
	image=$tree/build/x86/hypervisor/jailhouse.bin
	tools=$tree/build/x86/tools
	configs=$tree/configs/x86
	inmate_subdir=x86
else
	busybox=$JH_CACHE/root/bin/busybox
	image=$tree/hypervisor/jailhouse.bin
	tools=$tree/tools
	configs=$tree/configs/arm64
	inmate_subdir=
fi
moddir="lib/modules/$abi"
[ -x "$busybox" ] && [ -s "$root/$moddir/modules.dep" ] || {
	echo "$0: $JH_CACHE is not set up, run scripts/setup.sh" >&2
	exit 1
}

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,root} \
	"$stage"/{etc/jailhouse,lib/firmware,"$moddir"/extra}
cp "$busybox" "$stage/bin/busybox"

: > "$stage/etc/modules"
for m in $GUEST_MODULES; do
	module_deps "$root/$moddir" "$m"
done | awk '!seen[$0]++' | while read -r path; do
	mkdir -p "$stage/$moddir/$(dirname "$path")"
	path_ko=${path%.ko*}.ko
	module_copy "$root/$moddir" "$path" "$stage/$moddir/$path_ko"
	echo "$path_ko" >> "$stage/etc/modules"
done
for m in $GUEST_MODULES_ON_DEMAND; do
	module_deps "$root/$moddir" "$m"
done | awk '!seen[$0]++' | while read -r path; do
	mkdir -p "$stage/$moddir/$(dirname "$path")"
	module_copy "$root/$moddir" "$path" "$stage/$moddir/${path%.ko*}.ko"
done
cp "$root/$moddir"/modules.{order,builtin,builtin.modinfo} "$stage/$moddir/"

# install SRC DEST: copy one build result if it exists; none with -d,
# where the installation brings its own.
install()
{
	[ -z "$destdir" ] && [ -e "$1" ] || return 0
	mkdir -p "$(dirname "$stage/$2")"
	cp "$1" "$stage/$2"
	echo "  ${1#"$tree"/} -> /$2"
}

echo "initramfs: $out"
install "$driver" "$moddir/extra/jailhouse.ko"
install "$drivers/uio_ivshmem.ko" "$moddir/extra/uio_ivshmem.ko"
install "$drivers/ivshmem_net.ko" "$moddir/extra/ivshmem_net.ko"
install "$image" lib/firmware/jailhouse.bin
install "$tools/jailhouse" usr/sbin/jailhouse
install "$tools/ivshmem-demo" usr/sbin/ivshmem-demo
# "jailhouse config collect"; the other config tools need Python.
install "$tree/tools/jailhouse-config-collect" \
	usr/libexec/jailhouse/jailhouse-config-collect
for f in "$configs"/*.cell; do
	install "$f" "etc/jailhouse/$(basename "$f")"
done
for kind in demos tests; do
	# the x86 programs in a directory of their own (inmates/x86.mk)
	for f in "$tree/inmates/$kind${inmate_subdir:+/$inmate_subdir}"/*.bin; do
		install "$f" "usr/libexec/jailhouse/$kind/$(basename "$f")"
	done
done

install "$tree/scripts/guest-demo.sh" usr/share/jailhouse/demo.sh
# Linux programs of the end-to-end tests (make e2e-guest); x86 has those
# that use no arm64 registers, built in build/x86
if [ "$arch" = arm64 ]; then
	install "$tree/tests/e2e/guest/root-pattern" \
		usr/libexec/jailhouse/tests/root-pattern
	install "$tree/tests/e2e/guest/uio-ivshmem-check" \
		usr/libexec/jailhouse/tests/uio-ivshmem-check
	# bench/management.py's timer
	install "$tree/tests/e2e/guest/cntvct-run" \
		usr/libexec/jailhouse/tests/cntvct-run
else
	install "$tree/build/x86/tests/e2e/guest/root-pattern" \
		usr/libexec/jailhouse/tests/root-pattern
	install "$tree/build/x86/tests/e2e/guest/uio-ivshmem-check" \
		usr/libexec/jailhouse/tests/uio-ivshmem-check
fi
if [ -n "$destdir" ]; then
	cp -a "$destdir/." "$stage/"
	echo "  $destdir -> /"
fi

# modprobe in the guest ("modprobe jailhouse") uses this.
depmod -b "$stage" "$abi"

cat > "$stage/init" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s
export PATH=/sbin:/bin:/usr/sbin:/usr/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mkdir -p /dev/pts
mount -t devpts devpts /dev/pts

# Dependency order, resolved when the initramfs was built.
for m in \$(cat /etc/modules); do
	insmod /$moddir/\$m
done
# Give virtio devices a moment to appear.
mdev -s

hostname jailhouse
echo "jailhouse QEMU guest: \$(uname -r), \$(nproc) CPUs"
if grep -qw jailhouse.demo /proc/cmdline; then
	setsid cttyhack sh /usr/share/jailhouse/demo.sh
else
	# cttyhack makes the console the shell's terminal (Ctrl-C works).
	setsid cttyhack sh -l
fi
poweroff -f
INIT
chmod 755 "$stage/init"

cat > "$stage/etc/profile" <<'PROFILE'
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
PS1='\h:\w# '
PROFILE

mkdir -p "$(dirname "$out")"
# Written aside and renamed: a QEMU starting meanwhile reads a whole file.
tmp=$(mktemp "$out.XXXXXX")
trap 'rm -rf "$stage" "$tmp"' EXIT
{
	(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet)
	# The kernel opens /dev/console before /init runs; a device node
	# cannot be packed from an unprivileged file tree, so write it here.
	/usr/bin/python3 - <<'PY'
import sys


def entry(name, mode, rdev_major=0, rdev_minor=0):
	name = name.encode() + b"\0"
	hdr = "070701" + "".join("%08x" % v for v in (
		0, mode, 0, 0, 1, 0, 0, 0, 0, rdev_major, rdev_minor,
		len(name), 0))
	data = hdr.encode() + name
	return data + b"\0" * (-len(data) % 4)


sys.stdout.buffer.write(entry("dev/console", 0o020600, 5, 1) +
			entry("TRAILER!!!", 0))
PY
} | gzip -9n > "$tmp"
chmod 644 "$tmp"
mv "$tmp" "$out"
