#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boots the inmates directly on QEMU "virt" (no hypervisor, EL1), with
# GICv3 and GICv2, and checks their output: the demos, the exception
# report, and the cell start-up path against a hand-made comm region at
# 0x80000000; the PCI library on virt's PCIe host as if it were a cell's
# virtual host (the comm region names its ECAM); then the demos on QEMU's
# ZCU102 model (machine=zcu102), and the refusal of a machine the library
# does not know.
# Ends with "N passed, N failed"; exits non-zero on a failure.
#
# usage: inmates/check-bare-metal.sh    (after make -C inmates)
set -uo pipefail

dir=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=check-common.sh
. "$dir/check-common.sh"

# run GIC CPUS MEM PROGRAM CMDLINE [QEMU ARGS...]: the console output.
# Programs end with "poweroff" on their command line; $limit seconds is for
# those that cannot (a reported exception; PSCI through SMC, as in a cell,
# which QEMU without EL2 does not take) or hang.
limit=20

run()
{
	local gic=$1 cpus=$2 mem=$3 prog=$4 cmdline=$5

	shift 5
	printf '%s\0' "$cmdline" > "$tmp/cmdline"
	timeout "$limit" qemu-system-aarch64 -machine virt,gic-version="$gic" \
		-cpu cortex-a57 -smp "$cpus" -m "$mem" -display none \
		-monitor none -serial stdio -no-reboot \
		-kernel "$dir/$prog-qemu.elf" \
		-device loader,file="$tmp/cmdline",addr=0x40001000 \
		"$@" 2>&1 | tr -d '\r'
}

# comm_region GIC [ECAM]: a comm region as the hypervisor would fill it
# for a cell on this machine (shared/ABI.md, section 3), with a PCI host
# at ECAM if given.
comm_region()
{
	/usr/bin/python3 - "$1" "${2:-0}" "$tmp/comm" <<'EOF'
import struct, sys
gic = int(sys.argv[1])
page = bytearray(4096)
page[0:6] = b"JHCOMM"
struct.pack_into("<H", page, 6, 2)
struct.pack_into("<QIHHIIQ", page, 24, 0x09000000, 0x1000, 3, 1, 0, 0, 0)
struct.pack_into("<Q", page, 56, int(sys.argv[2], 0))
struct.pack_into("<B", page, 64, gic)
struct.pack_into("<QQQ", page, 72, 0x08000000,
                 0x08010000 if gic == 2 else 0,
                 0x080a0000 if gic == 3 else 0)
open(sys.argv[3], "wb").write(page)
EOF
}

for gic in 3 2; do
	out=$(run $gic 1 1G demos/uart-demo "count=3 interval-ms=10 poweroff")
	check "uart-demo GICv$gic" "$out" \
		'^uart-demo: running on QEMU virt, no hypervisor' \
		'^Hello 3 from cell!$' '^uart-demo: done$'

	out=$(run $gic 1 1G demos/gic-demo "count=20 period-us=1000 poweroff" \
	      "${icount[@]}")
	check "gic-demo GICv$gic" "$out" "GICv$gic, timer" "$jitter" \
		'^Jitter summary: count 20, min [0-9]+ ns, avg [0-9]+ ns'
	check_count "gic-demo GICv$gic" "$out" 20

	out=$(run $gic 2 1G demos/smp-demo "count=2 interval-ms=10 poweroff")
	check "smp-demo GICv$gic" "$out" \
		'^smp-demo: CPU 1 \(MPIDR 0x1\): line 2$' \
		'^smp-demo: CPU 0 \(MPIDR 0x0\): line 2$' \
		'^smp-demo: CPU 0 done$'

	out=$(run $gic 2 1G demos/sgi-pingpong "count=20 poweroff")
	check "sgi-pingpong GICv$gic" "$out" \
		"^sgi-pingpong: running on QEMU virt, no hypervisor, GICv$gic, .*, CPU 0x0 to 0x1\$" \
		'^sgi-pingpong: round trip: count 20, min [0-9]+ ns, avg [0-9]+ ns, median [0-9]+ ns'

	limit=3
	out=$(run $gic 1 1G tests/mem-access "addr=0x80000000")
	check "exception report GICv$gic" "$out" \
		'^TEST mem-access: trying 4-byte read of 0x80000000$' \
		'^Unexpected exception: sync, ESR 0x96000010 \(EC 0x25\), ' \
		'ELR 0x4[0-9a-f]+, FAR 0x80000000, CPU 0x0$'

	# RAM at 0x80000000 (-m 3G) carries the comm region
	comm_region $gic
	out=$(run $gic 1 3G demos/gic-demo "count=3 period-us=1000" \
	      "${icount[@]}" \
	      -device loader,file="$tmp/comm",addr=0x80000000,force-raw=on)
	check "gic-demo with a comm region, GICv$gic" "$out" \
		"^gic-demo: running on Jailhouse cell, GICv$gic" "$jitter" \
		'^Jitter summary: count 3'

	out=$(run $gic 1 3G demos/uart-demo "count=1 con-type=NONE" \
	      -device loader,file="$tmp/comm",addr=0x80000000,force-raw=on)
	check_silent "con-type=NONE GICv$gic" "$out" 'uart-demo|Hello'
	limit=20
done

# The PCI library on virt's PCIe host (ECAM at 0x4010000000), named in the
# comm region: the first function of each device, capabilities in the
# order of their list (e1000e's MSI-X comes last, below the others), the
# ids of an absent function all-ones.  ivshmem-demo and ivshmem-pingpong
# find no device of their own there; without a PCI host ivshmem-demo says
# so.
out=$(run 3 1 1G demos/ivshmem-demo "poweroff")
check "ivshmem-demo without a PCI host" "$out" \
	'^ivshmem-demo: no PCI host$'

limit=3
comm_region 3 0x4010000000
pci=(-device loader,file="$tmp/comm",addr=0x80000000,force-raw=on
     -device virtio-rng-pci,disable-legacy=on,addr=4 -device e1000e,addr=5)
scan='^TEST pci-scan: result'
out=$(run 3 1 3G tests/pci-scan "" "${pci[@]}")
check "pci-scan" "$out" \
	'^TEST pci-scan: trying bus 0 at 0x4010000000$' \
	"$scan 00:00.0 1b36:0008 revision 0 class 0x060000 " \
	"$scan 00:04.0 1af4:1044 .* caps 0x11@0x98( 0x09@0x[0-9a-f]{2})+\$" \
	"$scan 00:05.0 8086:10d3 .* caps 0x01@0xc8 0x05@0xd0 0x10@0xe0 0x11@0xa0\$" \
	"$scan [0-9]+ functions, absent ones read 0xffffffff\$"

out=$(run 3 1 3G demos/ivshmem-demo "" "${pci[@]}")
check "ivshmem-demo on a PCI host without its device" "$out" \
	'^ivshmem-demo: running on Jailhouse cell, GICv3$' \
	'^ivshmem-demo: no ivshmem device \(110a:4106\) on the PCI host$'
out=$(run 3 1 3G demos/ivshmem-pingpong "" "${pci[@]}")
check "ivshmem-pingpong on a PCI host without its device" "$out" \
	'^ivshmem-pingpong: running on Jailhouse cell, GICv3, counter [0-9]+ Hz$' \
	'^ivshmem-pingpong: no usable ivshmem device \(-2\)$'
limit=20

# QEMU's ZCU102 model (machine=zcu102): GIC-400, Xilinx UART PS, PSCI
# through SMC.  RAM at 0, so the image at 0x40000000 loads as on virt.
zcu102()
{
	local prog=$1 cmdline=$2

	shift 2
	printf '%s\0' "$cmdline" > "$tmp/cmdline"
	timeout "$limit" qemu-system-aarch64 -machine xlnx-zcu102 -m 2G \
		-display none -monitor none -serial stdio -no-reboot \
		-audiodev none,id=snd0 -kernel "$dir/$prog-qemu.elf" \
		-device loader,file="$tmp/cmdline",addr=0x40001000 \
		"$@" 2>&1 | tr -d '\r'
}

out=$(zcu102 demos/uart-demo "machine=zcu102 count=3 interval-ms=10 poweroff")
check "uart-demo on the ZCU102" "$out" \
	'^uart-demo: running on QEMU ZCU102, no hypervisor, ' \
	', console Xilinx UART PS$' \
	'^Hello 3 from cell!$' '^uart-demo: done$'

out=$(zcu102 demos/gic-demo "machine=zcu102 count=20 period-us=1000 poweroff" \
      "${icount[@]}")
check "gic-demo on the ZCU102" "$out" \
	'^gic-demo: running on QEMU ZCU102, no hypervisor, GICv2, timer' \
	"$jitter" '^Jitter summary: count 20, min [0-9]+ ns, avg [0-9]+ ns'
check_count "gic-demo on the ZCU102" "$out" 20

out=$(zcu102 demos/smp-demo "machine=zcu102 count=2 interval-ms=10 poweroff")
check "smp-demo on the ZCU102" "$out" \
	'^smp-demo: CPU 1 \(MPIDR 0x1\): line 2$' \
	'^smp-demo: CPU 0 \(MPIDR 0x0\): line 2$' \
	'^smp-demo: CPU 0 done$'

out=$(zcu102 demos/sgi-pingpong "machine=zcu102 count=20 poweroff")
check "sgi-pingpong on the ZCU102" "$out" \
	'^sgi-pingpong: round trip: count 20, min [0-9]+ ns, avg [0-9]+ ns'

# a machine the library does not know is refused, not guessed
limit=3
out=$(run 3 1 1G demos/uart-demo "machine=zcu103 count=1 poweroff")
check "machine=zcu103 refused" "$out" \
	'^machine=zcu103: unknown, not one of virt, zcu102$'
if grep -q Hello <<< "$out"; then
	fail "machine=zcu103: the program ran"
fi

finish
