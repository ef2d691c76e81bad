#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demonstration inside the QEMU guest, run by /init when the kernel
# command line has "jailhouse.demo" (scripts/demo.sh does that).  Every
# step is shown as if typed at the prompt; the first one that fails ends
# the demonstration.  The last line says "demo: OK" or "demo: FAILED".

SYSCONFIG=/etc/jailhouse/qemu-arm64.cell

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

say "Linux runs alone, at EL1 on $(nproc) CPUs, the hyp stub at EL2"
step "modprobe jailhouse"
step "jailhouse enable $SYSCONFIG"

say "Linux now runs as the root cell under the hypervisor"
step "cat /sys/devices/jailhouse/enabled"
step "jailhouse console"
step "dd if=/dev/vda of=/dev/null bs=64k"
step "jailhouse cell stats 0"
step "devmem 0x7f100000 32 || echo \"status \$?: hypervisor memory is" \
	"not the root cell's\""

say "handing the machine back to Linux"
step "jailhouse disable"
step "cat /sys/devices/jailhouse/enabled"
step "grep -c processor /proc/cpuinfo"

echo
echo "demo: OK"
