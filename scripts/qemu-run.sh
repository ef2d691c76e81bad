#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the Debian arm64 kernel with our initramfs in QEMU's "virt" machine
# at EL2, the console on standard input and output (Ctrl-A x quits).
#
# usage: qemu-run.sh [options] [-- extra QEMU arguments]
#   -g N        GIC version, 2 or 3 (default 3)
#   -c N        number of CPUs (default 4)
#   -i FILE     initramfs (default build/initramfs.cpio.gz)
#   -k FILE     kernel (default $JH_CACHE/vmlinuz)
#   -d FILE     raw disk image on virtio-blk (default build/disk.img,
#               created when missing; "none" for no disk); the guest's
#               writes last for one boot, so several QEMUs can share it
#   -n          add a virtio network card on an isolated QEMU hub
#   -C CPU      CPU model (default cortex-a57; "max" has VHE)
#   -E          start Linux at EL1 (no virtualization extensions)
#   -K          leave KVM to Linux (no kvm-arm.mode=none): with -C max,
#               Linux then keeps EL2 for itself in VHE mode
#   -a ARGS     more kernel command line arguments
#   -s          wait for gdb on localhost:1234 before the first instruction
set -euo pipefail

JH_CACHE=${JH_CACHE:-/var/cache/jailhouse-qemu}
tree=$(cd "$(dirname "$0")/.." && pwd)

gic=3
cpus=4
initrd=$tree/build/initramfs.cpio.gz
kernel=$JH_CACHE/vmlinuz
disk=$tree/build/disk.img
net=
cpu=cortex-a57
virt=on
kvm=" kvm-arm.mode=none"
append=
gdb=()

usage()
{
	sed -n '/^# usage/,/^set /s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

while getopts "g:c:i:k:d:nC:EKa:sh" opt; do
	case $opt in
	g) gic=$OPTARG ;;
	c) cpus=$OPTARG ;;
	i) initrd=$OPTARG ;;
	k) kernel=$OPTARG ;;
	d) disk=$OPTARG ;;
	n) net=1 ;;
	C) cpu=$OPTARG ;;
	E) virt=off ;;
	K) kvm= ;;
	a) append="$append $OPTARG" ;;
	s) gdb=(-s -S) ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))

for f in "$kernel" "$initrd"; do
	[ -r "$f" ] || { echo "$0: missing $f (make, scripts/setup.sh)" >&2; \
		exit 1; }
done

machine="virt,gic-version=$gic,virtualization=$virt"
[ "$gic" != 3 ] || machine="$machine,its=off"

args=(-machine "$machine" -cpu "$cpu" -smp "$cpus" -m 1G
      -nographic -no-reboot
      -kernel "$kernel" -initrd "$initrd")

if [ "$disk" != none ]; then
	if [ ! -e "$disk" ]; then
		# A recognisable first sector, zeroes after it.
		mkdir -p "$(dirname "$disk")"
		truncate -s 16M "$disk"
		printf 'jailhouse test disk\n' |
			dd of="$disk" conv=notrunc status=none
	fi
	args+=(-drive "file=$disk,if=none,format=raw,id=disk0,snapshot=on"
	       -device virtio-blk-device,drive=disk0)
fi
if [ -n "$net" ]; then
	# A hub with no other port: the card is real, nothing leaves QEMU.
	args+=(-netdev hubport,id=net0,hubid=0
	       -device virtio-net-device,netdev=net0)
fi

# mem=768M keeps the top 256 MiB from Linux: hypervisor and cells use it.
# panic=-1 with -no-reboot ends QEMU on a guest panic instead of hanging.
cmdline="console=ttyAMA0$kvm mem=768M panic=-1$append"

exec qemu-system-aarch64 "${args[@]}" -append "$cmdline" "${gdb[@]}" "$@"
