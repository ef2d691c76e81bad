#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build what "jailhouse cell linux" boots in the demo cell: a tiny
# initramfs for the cell (static busybox; its /init prints a line that
# shows the cell's kernel, CPUs and memory, then idles, or powers the cell
# off when the kernel command line has "cell.poweroff"; with a console of
# its own, it runs a shell there), and an
# uncompressed cpio archive to append to the root's initramfs that holds
# it and the kernel, as /root/cell-initrd.cpio.gz and /root/Image.
#
# On a UART shared with the root the cell has no tty
# (Documentation/linux-cell.md): its init writes to /dev/kmsg, which
# reaches the early console there.
#
# usage: mkcellinitramfs.sh [-k KERNEL] OUTDIR
#   KERNEL  default $JH_CACHE/vmlinuz
#   OUTDIR  gets cell-initrd.cpio.gz and root-addon.cpio
set -euo pipefail

JH_CACHE=${JH_CACHE:-/var/cache/jailhouse-qemu}
kernel=$JH_CACHE/vmlinuz

while getopts "k:" opt; do
	case $opt in
	k) kernel=$OPTARG ;;
	*) echo "usage: $0 [-k KERNEL] OUTDIR" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || { echo "usage: $0 [-k KERNEL] OUTDIR" >&2; exit 2; }
mkdir -p "$1"
out=$(cd "$1" && pwd)
[ -x "$JH_CACHE/root/bin/busybox" ] && [ -r "$kernel" ] || {
	echo "$0: $JH_CACHE is not set up, run scripts/setup.sh" >&2
	exit 1
}

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage"/cell/{bin,dev,proc,sys} "$stage"/addon/root
cp "$JH_CACHE/root/bin/busybox" "$stage/cell/bin/busybox"
cat > "$stage/cell/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t devtmpfs dev /dev
mount -t proc proc /proc
mount -t sysfs sys /sys
exec >/dev/kmsg 2>&1
echo "Hello from the Linux cell: $(uname -r)," \
	"CPUs $(cat /sys/devices/system/cpu/online)," \
	"$(grep MemTotal /proc/meminfo | tr -s ' ')"
case " $(cat /proc/cmdline) " in
*" cell.poweroff "*)
	echo "Linux cell: poweroff"
	poweroff -f
	;;
esac
# A console of the cell's own (a UART it owns): a shell there.
if [ -n "$(cat /sys/class/tty/console/active)" ]; then
	echo "Linux cell: shell on $(cat /sys/class/tty/console/active)"
	while :; do
		setsid cttyhack sh -l </dev/console >/dev/console 2>&1
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
