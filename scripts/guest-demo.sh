#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demonstration inside the QEMU guest, run by /init when the kernel
# command line has "jailhouse.demo" (scripts/demo.sh does that).  Every
# step is shown as if typed at the prompt; the first one that fails ends
# the demonstration.  The last line says "demo: OK" or "demo: FAILED".

# The configurations for the machine QEMU models (qemu-run.sh --machine),
# told by its device tree.
if grep -qs xlnx,zynqmp-zcu102 /proc/device-tree/compatible; then
	MACHINE=zcu102
	SYSCONFIG=/etc/jailhouse/zynqmp-zcu102.cell
	CELLCONFIG=/etc/jailhouse/zynqmp-zcu102-inmate-demo.cell
	LINUXCONFIG=/etc/jailhouse/zynqmp-zcu102-linux-demo.cell
	# The cell's console: UART 1, its own.
	LINUXCMDLINE="console=ttyPS0"
	DISK=/dev/mmcblk0	# no virtio: an SD card
elif grep -qs arm,gic-v3 /proc/device-tree/intc@*/compatible; then
	MACHINE=virt
	SYSCONFIG=/etc/jailhouse/qemu-arm64.cell
	CELLCONFIG=/etc/jailhouse/qemu-arm64-inmate-demo.cell
	LINUXCONFIG=/etc/jailhouse/qemu-arm64-linux-demo.cell
	# The cell's console: a virtio console of its own, hvc0, after the
	# early one on the root's UART (Documentation/linux-cell.md).
	LINUXCMDLINE="earlycon=pl011,mmio32,0x9000000 console=hvc0"
	DISK=/dev/vda
else
	MACHINE=virt-gicv2
	SYSCONFIG=/etc/jailhouse/qemu-arm64-gicv2.cell
	CELLCONFIG=/etc/jailhouse/qemu-arm64-inmate-demo.cell
	LINUXCONFIG=/etc/jailhouse/qemu-arm64-linux-demo.cell
	# The cell's console: a virtio console of its own, hvc0, after the
	# early one on the root's UART (Documentation/linux-cell.md).
	LINUXCMDLINE="earlycon=pl011,mmio32,0x9000000 console=hvc0"
	DISK=/dev/vda
fi
CELL=inmate-demo
GIC_DEMO=/usr/libexec/jailhouse/demos/gic-demo.bin
LINUXCELL=linux-demo

step()
{
	echo
	echo "jailhouse:/# $*"
	eval "$@" && return 0
	echo "demo: FAILED: $*"
	exit 1
}

# wait_shut_down NAME SECONDS: until the cell NAME has shut itself down
wait_shut_down()
{
	local n=0

	while [ "$n" -lt "$2" ]; do
		for c in /sys/devices/jailhouse/cells/*; do
			[ "$(cat "$c/name")" = "$1" ] &&
			[ "$(cat "$c/state")" = "shut down" ] && return 0
		done
		sleep 1
		n=$((n + 1))
	done
	echo "cell $1 did not shut down in $2 s"
	return 1
}

say()
{
	echo
	echo "---- $* ----"
}

say "$MACHINE: Linux runs alone, at EL1 on $(nproc) CPUs, the hyp stub at" \
	"EL2"
step "modprobe jailhouse"
step "jailhouse enable $SYSCONFIG"

say "Linux now runs as the root cell under the hypervisor"
step "cat /sys/devices/jailhouse/enabled"
step "jailhouse console"
[ -z "$DISK" ] || step "dd if=$DISK of=/dev/null bs=64k"
step "jailhouse cell stats 0"
step "devmem 0x7f100000 32 || echo \"status \$?: hypervisor memory is" \
	"not the root cell's\""

say "a cell beside Linux: CPU 3 and 64 KiB of RAM leave the root cell"
step "jailhouse cell create $CELLCONFIG"
step "jailhouse cell list"
step "cat /sys/devices/system/cpu/online"

say "gic-demo in the cell: 30 timer interrupts, 100 ms apart, each with" \
	"how late it came"
step "jailhouse cell load $CELL $GIC_DEMO -s 'count=30 period-us=100000'" \
	"-a 0x1000"
step "jailhouse cell start $CELL"
# The cell prints on the UART while Linux waits.
step "sleep 4"
step "jailhouse cell list"
step "jailhouse cell stats $CELL"

say "the cell approves its shutdown; destroyed, it gives CPU 3 back"
step "jailhouse cell shutdown $CELL"
step "jailhouse cell destroy $CELL"
step "jailhouse cell list"
step "cat /sys/devices/system/cpu/online"

say "a real-time Linux in a cell: CPUs 2-3 and 128 MiB of RAM leave the" \
	"root cell"
# loglevel=5: the cell's kernel says only what matters.  Its shell runs
# on its own console, where demo.sh's user types a few commands and
# "poweroff".
step "jailhouse cell linux $LINUXCONFIG /root/Image" \
	"-i /root/cell-initrd.cpio.gz -c '$LINUXCMDLINE loglevel=5'"
step "cat /sys/devices/system/cpu/online"
step "jailhouse cell list"
# The root's shell stays quiet while the cell speaks.
step "wait_shut_down $LINUXCELL 300"
step "jailhouse cell list"
step "jailhouse cell destroy $LINUXCELL"
step "cat /sys/devices/system/cpu/online"

say "handing the machine back to Linux"
step "jailhouse disable"
step "cat /sys/devices/jailhouse/enabled"
step "grep -c processor /proc/cpuinfo"

echo
echo "demo: OK"
