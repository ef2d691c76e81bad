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
	DISK=/dev/mmcblk0	# no virtio: an SD card
elif grep -qs arm,gic-v3 /proc/device-tree/intc@*/compatible; then
	MACHINE=virt
	SYSCONFIG=/etc/jailhouse/qemu-arm64.cell
	CELLCONFIG=/etc/jailhouse/qemu-arm64-inmate-demo.cell
	DISK=/dev/vda
else
	MACHINE=virt-gicv2
	SYSCONFIG=/etc/jailhouse/qemu-arm64-gicv2.cell
	CELLCONFIG=/etc/jailhouse/qemu-arm64-inmate-demo.cell
	DISK=/dev/vda
fi
CELL=inmate-demo
GIC_DEMO=/usr/libexec/jailhouse/demos/gic-demo.bin

step()
{
	echo
	echo "jailhouse:/# $*"
	eval "$@" && return 0
	echo "demo: FAILED: $*"
	exit 1
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

say "handing the machine back to Linux"
step "jailhouse disable"
step "cat /sys/devices/jailhouse/enabled"
step "grep -c processor /proc/cpuinfo"

echo
echo "demo: OK"
