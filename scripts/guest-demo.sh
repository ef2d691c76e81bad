#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demonstration inside the QEMU guest, run by /init when the kernel
# command line has "jailhouse.demo" (scripts/demo.sh does that).  Every
# step is shown as if typed at the prompt; the first one that fails ends
# the demonstration.  The last line says "demo: OK" or "demo: FAILED".

# The configurations for the machine QEMU models (qemu-run.sh --machine),
# told by its device tree; x86 has none.  Per machine: where the cells'
# images are loaded (-a, none: at 0) and their command line (at +0x1000,
# inmates/README.md), the timer demo, the RAM a demo cell takes and an
# address in the hypervisor's memory.
IMAGE_AT=
ARGS_AT=0x1000
TIMER_DEMO=gic-demo
CELLRAM="64 KiB"
HVMEM=0x7f100000
if [ "$(uname -m)" = x86_64 ]; then
	MACHINE=x86
	SYSCONFIG=/etc/jailhouse/qemu-x86.cell
	CELLCONFIG=/etc/jailhouse/qemu-x86-inmate-demo.cell
	# no Linux cell on x86 yet (Documentation/x86.md)
	LINUXCONFIG=
	DISK=/dev/vda
	# x86 cells start in real mode at 0xffff0 (Documentation/x86.md)
	IMAGE_AT=" -a 0xf0000"
	ARGS_AT=0xf1000
	TIMER_DEMO=apic-demo
	CELLRAM="1 MiB"
	HVMEM=0x30000000
elif grep -qs xlnx,zynqmp-zcu102 /proc/device-tree/compatible; then
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
DEMOS=/usr/libexec/jailhouse/demos
LINUXCELL=linux-demo

step()
{
	echo
	echo "jailhouse:/# $*"
	eval "$@" && return 0
	finish "FAILED: $*"
	exit 1
}

# finish RESULT: the last line.  /init powers off right behind it, which
# cuts off what the console's UART has not sent yet (Linux sends from a
# buffer, by interrupt; on x86 the line was lost that way): a second for
# it to go out.
finish()
{
	echo "demo: $*"
	sleep 1
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

# wait_console TEXT SECONDS: until the hypervisor's console has TEXT
wait_console()
{
	local n=0

	while [ "$n" -lt "$2" ]; do
		jailhouse console | grep -q "$1" && return 0
		sleep 1
		n=$((n + 1))
	done
	echo "\"$1\" not in the hypervisor's console in $2 s"
	return 1
}

say()
{
	echo
	echo "---- $* ----"
}

if [ "$MACHINE" = x86 ]; then
	say "x86: Linux runs alone on $(nproc) CPUs, AMD SVM unused"
else
	say "$MACHINE: Linux runs alone, at EL1 on $(nproc) CPUs, the hyp" \
		"stub at EL2"
fi
step "modprobe jailhouse"
step "jailhouse enable $SYSCONFIG"

say "Linux now runs as the root cell under the hypervisor"
step "cat /sys/devices/jailhouse/enabled"
step "jailhouse console"
[ -z "$DISK" ] || step "dd if=$DISK of=/dev/null bs=64k"
step "jailhouse cell stats 0"
step "devmem $HVMEM 32 || echo \"status \$?: hypervisor memory is" \
	"not the root cell's\""

say "a cell beside Linux: CPU 3 and $CELLRAM of RAM leave the root cell"
step "jailhouse cell create $CELLCONFIG"
step "jailhouse cell list"
step "cat /sys/devices/system/cpu/online"

if [ "$MACHINE" = x86 ]; then
	say "uart-demo in the cell: 5 lines, 100 ms apart"
	step "jailhouse cell load $CELL $DEMOS/uart-demo.bin$IMAGE_AT" \
		"-s 'count=5 interval-ms=100' -a $ARGS_AT"
	step "jailhouse cell start $CELL"
	step "sleep 2"
fi

say "$TIMER_DEMO in the cell: 30 timer interrupts, 100 ms apart, each" \
	"with how late it came"
step "jailhouse cell load $CELL $DEMOS/$TIMER_DEMO.bin$IMAGE_AT" \
	"-s 'count=30 period-us=100000' -a $ARGS_AT"
step "jailhouse cell start $CELL"
# The cell prints on the UART while Linux waits.  On x86 it prints through
# the hypervisor's console, where its summary line tells that it is done
# (the one-shot timer runs in host time under TCG, often late on a loaded
# host).
if [ "$MACHINE" = x86 ]; then
	step "wait_console 'Jitter summary' 60"
else
	step "sleep 4"
fi
step "jailhouse cell list"
step "jailhouse cell stats $CELL"

say "the cell approves its shutdown; destroyed, it gives CPU 3 back"
step "jailhouse cell shutdown $CELL"
step "jailhouse cell destroy $CELL"
step "jailhouse cell list"
step "cat /sys/devices/system/cpu/online"

if [ -n "$LINUXCONFIG" ]; then
	say "a real-time Linux in a cell: CPUs 2-3 and 128 MiB of RAM" \
		"leave the root cell"
	# loglevel=5: the cell's kernel says only what matters.  Its shell
	# runs on its own console, where demo.sh's user types a few
	# commands and "poweroff".
	step "jailhouse cell linux $LINUXCONFIG /root/Image" \
		"-i /root/cell-initrd.cpio.gz -c '$LINUXCMDLINE loglevel=5'"
	step "cat /sys/devices/system/cpu/online"
	step "jailhouse cell list"
	# The root's shell stays quiet while the cell speaks.
	step "wait_shut_down $LINUXCELL 300"
	step "jailhouse cell list"
	step "jailhouse cell destroy $LINUXCELL"
	step "cat /sys/devices/system/cpu/online"
fi

say "handing the machine back to Linux"
step "jailhouse disable"
step "cat /sys/devices/jailhouse/enabled"
step "grep -c processor /proc/cpuinfo"

echo
finish OK
