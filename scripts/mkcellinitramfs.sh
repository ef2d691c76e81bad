#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build what "jailhouse cell linux" boots in the demo cell: a tiny
# initramfs for the cell (static busybox, the kernel modules of the
# cell's console and this tree's virtual Ethernet driver, ivshmem_net.ko,
# if it is built for the cell's kernel (make driver, make kernels); its
# /init loads them, prints a line that shows the cell's kernel, CPUs and
# memory, then runs a shell on the cell's own console if it has one, or
# idles, or powers the cell off when the kernel command line has
# "cell.poweroff"), and an uncompressed cpio archive to append to the
# root's initramfs that holds it and the kernel, as
# /root/cell-initrd.cpio.gz and /root/Image.
#
# The cell's own console (Documentation/linux-cell.md) is a virtio console
# (hvc0, on virt; its modules come from the kernel's module tree) or a
# UART of its own (the ZCU102's UART 1).  Without one, on a UART shared
# with the root, the cell has no tty: its init writes to /dev/kmsg, which
# reaches the early console there.
#
# usage: mkcellinitramfs.sh [-k KERNEL] [-m MODDIR] OUTDIR
#   KERNEL  default $JH_CACHE/vmlinuz
#   MODDIR  the kernel's modules, /lib/modules/RELEASE of its tree;
#           default: DIR/lib/modules/RELEASE for a KERNEL (or the file
#           it links to) named DIR/boot/vmlinuz-RELEASE, as in an unpacked
#           Debian package ($JH_CACHE/root, $JH_CACHE/kernels/ABI)
#   OUTDIR  gets cell-initrd.cpio.gz and root-addon.cpio
set -euo pipefail

JH_CACHE=${JH_CACHE:-/var/cache/jailhouse-qemu}
tree=$(cd "$(dirname "$0")/.." && pwd)
. "$(dirname "$0")/modules.sh"
kernel=$JH_CACHE/vmlinuz
moddir=

# The modules of the cell's console and of the PCI network card it may be
# given (virtio-net); those the kernel has built in are
# left out, the others come with what they depend on.
CELL_MODULES="virtio_mmio virtio_console virtio_pci virtio_net"

usage()
{
	echo "usage: $0 [-k KERNEL] [-m MODDIR] OUTDIR" >&2
	exit 2
}

die()
{
	echo "$0: $*" >&2
	exit 1
}

while getopts "k:m:" opt; do
	case $opt in
	k) kernel=$OPTARG ;;
	m) moddir=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || usage
mkdir -p "$1"
out=$(cd "$1" && pwd)
[ -x "$JH_CACHE/root/bin/busybox" ] && [ -r "$kernel" ] ||
	die "$JH_CACHE is not set up, run scripts/setup.sh"

if [ -z "$moddir" ]; then
	image=$(readlink -f "$kernel")
	case $image in
	*/boot/vmlinuz-*)
		moddir=${image%/boot/vmlinuz-*}/lib/modules/${image##*/vmlinuz-}
		;;
	*)
		die "$kernel: not named DIR/boot/vmlinuz-RELEASE, so its" \
		    "modules are unknown: give their directory with -m"
		;;
	esac
fi
[ -s "$moddir/modules.dep" ] ||
	die "$moddir: no modules.dep there (the kernel's module tree?)"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage"/cell/{bin,dev,proc,sys,lib/modules} "$stage"/addon/root
cp "$JH_CACHE/root/bin/busybox" "$stage/cell/bin/busybox"

# The modules go in unpacked (newer Debian kernels ship them xz-packed),
# under their base names, their load order in /lib/modules/order.
: > "$stage/cell/lib/modules/order"
for m in $CELL_MODULES; do
	module_deps "$moddir" "$m"
done | awk '!seen[$0]++' | while read -r path; do
	name=$(basename "$path")
	module_copy "$moddir" "$path" \
		"$stage/cell/lib/modules/${name%.ko*}.ko"
	echo "${name%.ko*}.ko" >> "$stage/cell/lib/modules/order"
done
# The tree's ivshmem_net.ko of the cell's kernel: the stock kernel's in
# driver/, those of the matrix in build/kernels/ROLE/driver/.
release=$(basename "$moddir")
net=
for ko in "$tree/driver/ivshmem_net.ko" \
	  "$tree"/build/kernels/*/driver/ivshmem_net.ko; do
	if [ -f "$ko" ] &&
	   [ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$release" ]; then
		net=$ko
		break
	fi
done
if [ -n "$net" ]; then
	cp "$net" "$stage/cell/lib/modules/ivshmem_net.ko"
	echo ivshmem_net.ko >> "$stage/cell/lib/modules/order"
else
	echo "$0: no ivshmem_net.ko for $release in $tree (make driver," \
	     "make kernels): the cell has no network" >&2
fi

cat > "$stage/cell/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t devtmpfs dev /dev
mount -t proc proc /proc
mount -t sysfs sys /sys
# the cell's name, which the tool makes the tree's model
hostname "$(cat /proc/device-tree/model)"
exec >/dev/kmsg 2>&1
for m in $(cat /lib/modules/order); do
	insmod "/lib/modules/$m"
done
# The virtio console's device node comes from devtmpfs once the driver
# found the device (if the cell has one): give it a moment.
n=0
while [ ! -c /dev/hvc0 ] && [ -d /sys/bus/virtio/devices ] &&
      [ -n "$(ls /sys/bus/virtio/devices)" ] && [ $n -lt 20 ]; do
	sleep 0.1
	n=$((n + 1))
done
echo "Hello from the Linux cell: $(uname -r)," \
	"CPUs $(cat /sys/devices/system/cpu/online)," \
	"$(grep MemTotal /proc/meminfo | tr -s ' ')"
case " $(cat /proc/cmdline) " in
*" cell.poweroff "*)
	echo "Linux cell: poweroff"
	poweroff -f
	;;
esac
# A console of the cell's own: the virtio console, else the kernel's
# console if it is a tty (a UART the cell owns; an early console on the
# root's UART is none).
tty=
if [ -c /dev/hvc0 ]; then
	tty=hvc0
else
	for con in $(cat /sys/class/tty/console/active); do
		[ -c "/dev/$con" ] && tty=$con
	done
fi
if [ -n "$tty" ]; then
	echo "Linux cell: shell on $tty"
	# setsid: the shell's session gets the tty as its controlling
	# terminal when it opens it, so that ^C reaches what it runs.
	while :; do
		setsid sh -c "exec sh -l </dev/$tty >/dev/$tty 2>&1"
	done
fi
while :; do
	sleep 3600
done
INIT
chmod +x "$stage/cell/init"
(cd "$stage/cell" && find . | cpio -o -H newc --quiet | gzip -9) \
	> "$out/cell-initrd.cpio.gz"

cp "$out/cell-initrd.cpio.gz" "$stage/addon/root/cell-initrd.cpio.gz"
cp -L "$kernel" "$stage/addon/root/Image"
# Uncompressed: the root's kernel unpacks it without a 30 MiB gunzip.
(cd "$stage/addon" && find . | cpio -o -H newc --quiet) \
	> "$out/root-addon.cpio"
echo "$out/cell-initrd.cpio.gz, $out/root-addon.cpio"
