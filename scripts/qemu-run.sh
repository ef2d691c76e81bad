#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the Debian arm64 kernel with our initramfs in QEMU at EL2, or the
# Debian amd64 kernel on an x86 machine with AMD SVM, the console on
# standard input and output (Ctrl-A x quits).
#
# usage: qemu-run.sh [options] [-- extra QEMU arguments]
#   --machine M, -M M
#               virt (default): QEMU virt, GICv3, Cortex-A57, 1 GiB
#               virt-gicv2: the same with a GICv2
#               zcu102: QEMU xlnx-zcu102, four Cortex-A53, GIC-400,
#               Cadence UART, 2 GiB, Debian's ZCU102 device tree
#               patched for the model (scripts/zcu102/mkdtb.sh); no
#               virtio: the disk is an SD card (/dev/mmcblk0, not
#               /dev/vda), no network card (-n)
#               x86: QEMU q35 under TCG, -cpu max (AMD SVM with nested
#               paging), 1 GiB, Debian's amd64 kernel and
#               build/x86/initramfs.cpio.gz (make ARCH=x86 initramfs);
#               console ttyS0 (8250 at port 0x3f8, IRQ 4); Linux leaves
#               0x30000000-0x3bffffff alone (memmap=), the hypervisor's
#               and the cells' memory; virtio devices on PCI; no -g, -E,
#               -K or -L
#   -g N        GIC version of virt, 2 or 3: -g 2 is --machine virt-gicv2
#   -c N        number of CPUs (default 4)
#   -i FILE     initramfs (default build/initramfs.cpio.gz, on x86
#               build/x86/initramfs.cpio.gz)
#   -k FILE     kernel (default $JH_CACHE/vmlinuz, on x86
#               $JH_CACHE/amd64/vmlinuz)
#   -d FILE     raw disk image on virtio-blk, on zcu102 an SD card
#               (default build/disk.img, created when missing; "none" for
#               no disk); the guest's writes last for one boot, so
#               several QEMUs can share it
#   -n          add a virtio network card on an isolated QEMU hub
#   -C CPU      CPU model of virt (default cortex-a57; "max" has VHE), of
#               x86 (default max)
#   -E          start Linux at EL1 (no virtualization extensions)
#   -K          leave KVM to Linux (no kvm-arm.mode=none): with -C max,
#               Linux then keeps EL2 for itself in VHE mode
#   -a ARGS     more kernel command line arguments
#   -L SOCKET   a console for the Linux cell (configs/arm64/*-linux-demo.c)
#               on the Unix socket SOCKET (QEMU listens; "nc -U SOCKET"
#               or "socat -,raw,echo=0 UNIX-CONNECT:SOCKET" talks to it):
#               on virt a virtio console on virtio-mmio transport 0
#               (0x0a000000, SPI 16), which the root's device tree then
#               marks disabled; on zcu102 the second UART (0xff010000)
#   -s          wait for gdb on localhost:1234 before the first instruction
set -euo pipefail

JH_CACHE=${JH_CACHE:-/var/cache/jailhouse-qemu}
tree=$(cd "$(dirname "$0")/.." && pwd)

mach=virt
cpus=4
initrd=
kernel=
disk=$tree/build/disk.img
net=
cpu=
virt=on
kvm=" kvm-arm.mode=none"
append=
cell_console=
gdb=()

usage()
{
	sed -n '/^# usage/,/^set /s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

die()
{
	echo "$0: $*" >&2
	exit 1
}

# getopts knows no long options: --machine becomes -M.
opts=()
while [ $# -gt 0 ]; do
	case $1 in
	--machine) [ $# -ge 2 ] || usage; opts+=(-M "$2"); shift 2 ;;
	--machine=*) opts+=(-M "${1#--machine=}"); shift ;;
	--) break ;;
	*) opts+=("$1"); shift ;;
	esac
done
set -- "${opts[@]}" "$@"

while getopts "M:g:c:i:k:d:nC:EKa:L:sh" opt; do
	case $opt in
	M) mach=$OPTARG ;;
	g) case $OPTARG in
	   2) mach=virt-gicv2 ;;
	   3) mach=virt ;;
	   *) die "GIC version $OPTARG: 2 or 3" ;;
	   esac ;;
	c) cpus=$OPTARG ;;
	i) initrd=$OPTARG ;;
	k) kernel=$OPTARG ;;
	d) disk=$OPTARG ;;
	n) net=1 ;;
	C) cpu=$OPTARG ;;
	E) virt=off ;;
	K) kvm= ;;
	a) append="$append $OPTARG" ;;
	L) cell_console=$OPTARG ;;
	s) gdb=(-s -S) ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))

if [ "$mach" = x86 ]; then
	initrd=${initrd:-$tree/build/x86/initramfs.cpio.gz}
	kernel=${kernel:-$JH_CACHE/amd64/vmlinuz}
else
	initrd=${initrd:-$tree/build/initramfs.cpio.gz}
	kernel=${kernel:-$JH_CACHE/vmlinuz}
fi
for f in "$kernel" "$initrd"; do
	[ -r "$f" ] || die "missing $f (make, scripts/setup.sh)"
done

case $mach in
virt|virt-gicv2)
	if [ "$mach" = virt ]; then
		machine="virt,gic-version=3,its=off"
	else
		machine="virt,gic-version=2"
	fi
	args=(-machine "$machine,virtualization=$virt"
	      -cpu "${cpu:-cortex-a57}" -m 1G)
	drive=if=none,id=disk0
	disk_dev=(-device virtio-blk-device,drive=disk0)
	net_dev=virtio-net-device
	# A PCI network card at 00:02.0, for PCI device assignment
	# (configs/arm64/qemu-arm64-linux-demo.c takes it from the root):
	# no option ROM, so that its BARs are the same on every boot.  On
	# QEMU hub 0, with the card of -n if any.
	args+=(-netdev hubport,id=pcinet,hubid=0
	       -device virtio-net-pci,netdev=pcinet,addr=2,romfile=)
	# mem=768M keeps the top 256 MiB of the RAM at 0x40000000 from
	# Linux: the hypervisor and the cells use 0x70000000-0x7fffffff.
	cmdline="console=ttyAMA0 mem=768M"
	if [ -n "$cell_console" ]; then
		# virtio-mmio-bus.0 is the transport at 0x0a000000; the root's
		# disk and network card take the free ones from the top
		# (0x0a003e00 down), so transport 0's page holds the console
		# alone.  The root must not probe it: "cell create" refuses a
		# region a Linux driver holds, and the root's virtio_mmio,
		# once bound, cannot hand it over and take it back.  So the
		# root boots with QEMU's own device tree for this machine,
		# that transport disabled in it.  One port, not QEMU's 31:
		# the cell's driver sets up two virtqueues per port, in the
		# cell's little memory.
		dtb=$tree/build/$mach-$cpus-cell-console.dtb
		listen=server=on,wait=off
		ports=max_ports=1
		mkdir -p "$(dirname "$dtb")"
		out=$(qemu-system-aarch64 "${args[@]}" -smp "$cpus" \
		      -nographic -machine dumpdtb="$dtb" 2>&1) ||
			die "dumping the device tree of $mach: $out"
		fdtput -t s "$dtb" /virtio_mmio@a000000 status disabled
		args+=(-dtb "$dtb"
		       -chardev "socket,id=cellcon,path=$cell_console,$listen"
		       -device "virtio-serial-device,bus=virtio-mmio-bus.0,$ports"
		       -device virtconsole,chardev=cellcon)
	fi
	;;
zcu102)
	# What this guest lacks compared to virt: virtio (the disk is an SD
	# card, /dev/mmcblk0; no network card), a choice of CPU model (four
	# Cortex-A53, Armv8.0: no VHE, so -C max and -K mean nothing here),
	# more than 4 CPUs, a GICv3 (GIC-400 only).  The console is ttyPS0,
	# the Cadence UART 0 at 0xff000000.
	[ -z "$cpu" ] || die "zcu102: the CPUs are Cortex-A53, no -C"
	[ -z "$net" ] || die "zcu102: no virtio network card (-n)"
	[ "$cpus" -ge 1 ] && [ "$cpus" -le 4 ] ||
		die "zcu102: 1 to 4 CPUs (-c), not $cpus"
	dtb=$tree/build/zcu102.dtb
	"$tree/scripts/zcu102/mkdtb.sh" "$dtb"
	# 2 GiB: all of it at 0 (more would go to 0x800000000, which
	# QEMU's memory node for the kernel does not describe).  The DP
	# audio of the model needs a backend; this one plays nothing.
	args=(-machine "xlnx-zcu102,virtualization=$virt" -m 2G -dtb "$dtb"
	      -audiodev none,id=snd0)
	# the board's SD slot: the second SD controller, at 0xff170000
	drive=if=sd,index=1
	disk_dev=()
	# mem=1792M keeps 0x70000000-0x7fffffff from Linux, as on virt.
	cmdline="console=ttyPS0 mem=1792M"
	# UART 1, which the root's device tree leaves disabled (qemu.dtso)
	[ -z "$cell_console" ] ||
		args+=(-serial mon:stdio
		       -serial "unix:$cell_console,server=on,wait=off")
	;;
x86)
	# Options of the arm64 machines only: -g has set mach already.
	[ "$virt" = on ] || die "x86: no -E (SVM is always there)"
	[ -n "$kvm" ] || die "x86: no -K (for arm64's KVM)"
	[ -z "$cell_console" ] || die "x86: no -L yet"
	kvm=
	# "max" under TCG offers SVM with nested paging (no NRIP save, no
	# decode assists).  No network card but that of -n.
	args=(-machine q35 -cpu "${cpu:-max}" -m 1G -nic none)
	drive=if=none,id=disk0
	disk_dev=(-device virtio-blk-pci,drive=disk0)
	net_dev=virtio-net-pci
	# The hypervisor memory and the cells' RAM: 0x30000000-0x3bffffff,
	# which Linux sees as reserved.  q35's ACPI tables are at the top of
	# the 1 GiB, above it.
	cmdline="console=ttyS0 memmap=0xc000000\$0x30000000"
	;;
*)
	die "unknown machine $mach (virt, virt-gicv2, zcu102, x86)"
	;;
esac

args+=(-smp "$cpus" -nographic -no-reboot -kernel "$kernel" -initrd "$initrd")

if [ "$disk" != none ]; then
	if [ ! -e "$disk" ]; then
		# A recognisable first sector, zeroes after it.
		mkdir -p "$(dirname "$disk")"
		truncate -s 16M "$disk"
		printf 'jailhouse test disk\n' |
			dd of="$disk" conv=notrunc status=none
	fi
	args+=(-drive "file=$disk,$drive,format=raw,snapshot=on"
	       "${disk_dev[@]}")
fi
if [ -n "$net" ]; then
	# A hub with no other port: the card is real, nothing leaves QEMU.
	args+=(-netdev hubport,id=net0,hubid=0 -device "$net_dev,netdev=net0")
fi

# panic=-1 with -no-reboot ends QEMU on a guest panic instead of hanging.
cmdline="$cmdline$kvm panic=-1$append"

if [ "$mach" = x86 ]; then
	qemu=qemu-system-x86_64
else
	qemu=qemu-system-aarch64
fi
exec "$qemu" "${args[@]}" -append "$cmdline" "${gdb[@]}" "$@"
