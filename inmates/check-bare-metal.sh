#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boots the inmates directly on QEMU "virt" (no hypervisor, EL1), with
# GICv3 and GICv2, and checks their output: the demos, the exception
# report, and the cell start-up path against a hand-made comm region at
# 0x80000000; then the console on the Cadence UART of QEMU's ZCU102 model.
# Ends with "N passed, N failed"; exits non-zero on a failure.
#
# usage: inmates/check-bare-metal.sh    (after make -C inmates)
set -uo pipefail

dir=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

passed=0
failed=0

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

# check NAME OUTPUT PATTERN...: every extended regex matches a line.
check()
{
	local name=$1 out=$2 pattern

	shift 2
	for pattern in "$@"; do
		if ! grep -Eq -- "$pattern" <<< "$out"; then
			echo "FAIL: $name: no line matching '$pattern'"
			echo "$out" | tail -n 20 | sed 's/^/    /'
			failed=$((failed + 1))
			return
		fi
	done
	echo "ok: $name"
	passed=$((passed + 1))
}

# comm_region GIC: a comm region as the hypervisor would fill it for a
# cell on this machine (shared/ABI.md, section 3).
comm_region()
{
	/usr/bin/python3 - "$1" "$tmp/comm" <<'EOF'
import struct, sys
gic = int(sys.argv[1])
page = bytearray(4096)
page[0:6] = b"JHCOMM"
struct.pack_into("<H", page, 6, 2)
struct.pack_into("<QIHHIIQ", page, 24, 0x09000000, 0x1000, 3, 1, 0, 0, 0)
struct.pack_into("<B", page, 64, gic)
struct.pack_into("<QQQ", page, 72, 0x08000000,
                 0x08010000 if gic == 2 else 0,
                 0x080a0000 if gic == 3 else 0)
open(sys.argv[2], "wb").write(page)
EOF
}

icount=(-icount shift=0,sleep=off)
jitter='^Timer fired, jitter: [0-9]+ ns, min: [0-9]+ ns, max: [0-9]+ ns$'

for gic in 3 2; do
	out=$(run $gic 1 1G demos/uart-demo "count=3 interval-ms=10 poweroff")
	check "uart-demo GICv$gic" "$out" \
		'^uart-demo: running on QEMU virt, no hypervisor' \
		'^Hello 3 from cell!$' '^uart-demo: done$'

	out=$(run $gic 1 1G demos/gic-demo "count=20 period-us=1000 poweroff" \
	      "${icount[@]}")
	check "gic-demo GICv$gic" "$out" "GICv$gic, timer" "$jitter" \
		'^Jitter summary: count 20, min [0-9]+ ns, avg [0-9]+ ns'
	if [ "$(grep -Ec "$jitter" <<< "$out")" != 20 ]; then
		echo "FAIL: gic-demo GICv$gic: not 20 jitter lines"
		failed=$((failed + 1))
	fi

	out=$(run $gic 2 1G demos/smp-demo "count=2 interval-ms=10 poweroff")
	check "smp-demo GICv$gic" "$out" \
		'^smp-demo: CPU 1 \(MPIDR 0x1\): line 2$' \
		'^smp-demo: CPU 0 \(MPIDR 0x0\): line 2$' \
		'^smp-demo: CPU 0 done$'

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
	if grep -Eq 'uart-demo|Hello' <<< "$out"; then
		echo "FAIL: con-type=NONE GICv$gic: output seen"
		failed=$((failed + 1))
	else
		echo "ok: con-type=NONE GICv$gic"
		passed=$((passed + 1))
	fi
	limit=20
done

# The Xilinx UART PS of the ZCU102 (RAM at 0 there, so the image at
# 0x40000000 loads as on virt).  Without a comm region the library assumes
# virt's GIC, which the ZCU102 does not have: no delays (interval-ms=0),
# and the program halts at its end.
limit=10
printf '%s\0' "count=3 interval-ms=0 con-type=XUARTPS con-base=0xff000000" \
	> "$tmp/cmdline"
out=$(timeout "$limit" qemu-system-aarch64 -machine xlnx-zcu102 -m 2G \
	-display none -monitor none -serial stdio -no-reboot \
	-audiodev none,id=snd0 -kernel "$dir/demos/uart-demo-qemu.elf" \
	-device loader,file="$tmp/cmdline",addr=0x40001000 2>&1 | tr -d '\r')
check "uart-demo on the ZCU102's Xilinx UART PS" "$out" \
	'^uart-demo: .*, console Xilinx UART PS$' '^Hello 3 from cell!$' \
	'^uart-demo: done$'

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
