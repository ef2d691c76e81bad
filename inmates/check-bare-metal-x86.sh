#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boots the x86 inmates directly on QEMU q35 (no hypervisor; multiboot
# kernels, QEMU's -kernel with the command line in -append) and checks
# their output: the demos in xAPIC mode (QEMU's TCG has no x2APIC), the
# second CPU of smp-demo (INIT, SIPI, the real-mode trampoline), and the
# cell start-up path against a hand-made comm region at 0x100000: its
# console descriptor and frequencies, and a shutdown request it answers.
# Then the cell images (NAME.bin) as a cell starts them: from the reset
# vector in real mode, loaded at 0xf0000, with a firmware of our own
# (tests/x86/reset-rom.S) that only puts the image in RAM there.
# Ends with "N passed, N failed"; exits non-zero on a failure.
#
# usage: inmates/check-bare-metal-x86.sh    (after make -C inmates ARCH=x86)
set -uo pipefail

dir=$(cd "$(dirname "$0")" && pwd)/demos/x86
# shellcheck source=check-common.sh
. "$dir/../../check-common.sh"

# run CPUS PROGRAM CMDLINE [QEMU ARGS...]: the console output.  Programs
# end with "poweroff" on their command line (ACPI S5 without a comm
# region); $limit seconds is for those that cannot (a cell halts) or hang.
limit=20

run()
{
	local cpus=$1 prog=$2 cmdline=$3

	shift 3
	timeout "$limit" qemu-system-x86_64 -machine q35 -cpu max \
		-smp "$cpus" -m 1G -display none -monitor none -serial stdio \
		-no-reboot -kernel "$dir/$prog-qemu.elf" -append "$cmdline" \
		"$@" 2>&1 | tr -d '\r'
}

# comm_region [MSG [PM_TIMER [KHZ [MMCONFIG]]]]: a comm region as the
# hypervisor would fill it for a cell on this machine (shared/ABI.md,
# section 3): COM1 as an 8250 by port I/O, the PM timer at port PM_TIMER
# (0x608), 1 CPU, TSC and APIC timer at KHZ (1000000: QEMU's with -icount
# shift=0), MSG to the cell (0: none), the PCI host's MMCONFIG (0: none).
comm_region()
{
	/usr/bin/python3 - "${1:-0}" "${2:-0x608}" "${3:-1000000}" \
		"${4:-0}" "$tmp/comm" <<'EOF2'
import struct, sys
page = bytearray(4096)
page[0:6] = b"JHCOMM"
struct.pack_into("<HIII", page, 6, 2, 0, int(sys.argv[1]), 0)
struct.pack_into("<QIHHIIQQ", page, 24, 0x3f8, 8, 2, 0, 0, 0, 0,
                 int(sys.argv[4], 0))
khz = int(sys.argv[3])
struct.pack_into("<HHII", page, 64, int(sys.argv[2], 0), 1, khz, khz)
open(sys.argv[5], "wb").write(page)
EOF2
}

out=$(run 1 uart-demo "count=3 interval-ms=10 poweroff")
check "uart-demo" "$out" \
	'^uart-demo: running on QEMU q35, no hypervisor, CPU 0 \(APIC ID 0\), console 8250$' \
	'^Hello 3 from cell!$' '^uart-demo: done$'

out=$(run 1 apic-demo "count=20 period-us=1000 poweroff" "${icount[@]}")
check "apic-demo" "$out" \
	'^apic-demo: running on QEMU q35, no hypervisor, xAPIC, timer [0-9]+ Hz, period 1000 us, one-shot' \
	"$jitter" '^Jitter summary: count 20, min [0-9]+ ns, avg [0-9]+ ns'
check_count "apic-demo" "$out" 20
grep '^Jitter summary' <<< "$out" | sed 's/^/    bare metal, -icount shift=0: /'

out=$(run 2 smp-demo "count=2 interval-ms=10 poweroff")
check "smp-demo" "$out" \
	'^smp-demo: CPU 1 \(APIC ID 1\): line 2$' \
	'^smp-demo: CPU 0 \(APIC ID 0\): line 2$' \
	'^smp-demo: CPU 1 done$' '^smp-demo: CPU 0 done$'

# the test inmates run (nothing contains them here), and the exception
# report: past the 4 GiB of the start-up's page tables, and VMMCALL
# without SVM
out=$(run 1 ../../tests/x86/pio-access "port=0x3fd poweroff")
check "pio-access" "$out" \
	'^TEST pio-access: trying 1-byte read of port 0x3fd$' \
	'^TEST pio-access: result read 0x[0-9a-f]+ from port 0x3fd$'

# these halt and run out their time: SeaBIOS alone takes seconds of it
# on a loaded machine
limit=8
out=$(run 1 ../../tests/x86/mem-access "addr=0x100000000")
check "exception report: page fault" "$out" \
	'^TEST mem-access: trying 4-byte read of 0x100000000$' \
	'^Unexpected exception: vector 14 \(page fault\), error 0x0, RIP 0x4[0-9a-f]+, CR2 0x100000000, CPU 0$'

out=$(run 1 ../../tests/x86/hypercalls "")
check "exception report: VMMCALL without a hypervisor" "$out" \
	'^TEST hypercalls: trying unknown hypercall 0x1234$' \
	'^Unexpected exception: vector 6 \(invalid opcode\), error 0x0, RIP 0x4[0-9a-f]+, CR2 0x0, CPU 0$'
limit=20

out=$(run 2 ipi-pingpong "count=100 poweroff" "${icount[@]}")
check "ipi-pingpong" "$out" \
	'^ipi-pingpong: running on QEMU q35, no hypervisor, xAPIC, counter [0-9]+ Hz, APIC ID 0 to 1$' \
	'^ipi-pingpong: round trip: count 100, min [0-9]+ ns, avg [0-9]+ ns, median [0-9]+ ns, 99th [0-9]+ ns, max [0-9]+ ns$'
grep 'round trip' <<< "$out" | sed 's/^/    bare metal, -icount shift=0: /'

out=$(run 1 smp-demo "count=1 interval-ms=10 poweroff")
check "smp-demo without a second CPU" "$out" \
	'^smp-demo: CPU with APIC ID 1 did not come up \(-110\)$'

# QEMU puts the multiboot data after the image; 0x100000 is free for the
# comm region.  In a cell "poweroff" halts the CPU: $limit ends QEMU.  A
# cell has no 8259s, but SeaBIOS set them up, and the library leaves them
# alone in a cell: no PIT (pit=off), whose request QEMU would still have
# pending once LINT0 is masked (an interrupt without a vector).  Without a
# PIT SeaBIOS takes long under -icount: these runs go without.
limit=5
comm_region
cell=(-machine pit=off
      -device loader,file="$tmp/comm",addr=0x100000,force-raw=on)
out=$(run 1 apic-demo "count=3 period-us=1000" "${cell[@]}")
check "apic-demo with a comm region" "$out" \
	'^apic-demo: running on Jailhouse cell, xAPIC, timer 1000000000 Hz, period 1000 us, one-shot, APIC timer 1000000 kHz$' \
	"$jitter" '^Jitter summary: count 3'

out=$(run 1 uart-demo "count=1 con-type=NONE" "${cell[@]}")
check_silent "con-type=NONE" "$out" 'uart-demo|Hello'

# no frequencies, and a PM timer (port 0x80) that does not count
comm_region 0 0x80 0
out=$(run 1 uart-demo "count=1" "${cell[@]}")
check "PM timer that does not count" "$out" \
	'^Timer: the PM timer at port 0x80 does not count$'

# a shutdown request waiting: answered at the first delay
comm_region 1
out=$(run 1 uart-demo "interval-ms=10" "${cell[@]}")
check "shutdown request" "$out" \
	'^uart-demo: running on Jailhouse cell, CPU 0 \(APIC ID 0\), console 8250$' \
	'^Hello 1 from cell!$' '^Shutdown request approved$'
if grep -q 'Hello 2' <<< "$out"; then
	fail "shutdown request: the program went on"
fi

out=$(run 1 uart-demo "interval-ms=10 deny-shutdown count=2 poweroff" \
      "${cell[@]}")
check "shutdown request denied" "$out" \
	'^Shutdown request denied$' '^Hello 2 from cell!$' '^uart-demo: done$'

# The PCI library through the ports 0xcf8/0xcfc on q35's own bus, once the
# comm region names a host (q35's MMCONFIG, left alone): the host bridge
# and the LPC bridge, capabilities of the e1000e (MSI-X 0x11 last in its
# list), absent functions all ones.  ivshmem-demo and ivshmem-pingpong
# find no device of their own there; without a PCI host ivshmem-demo says
# so.
out=$(run 1 ivshmem-demo "" "${cell[@]}")
check "ivshmem-demo without a PCI host" "$out" \
	'^ivshmem-demo: running on Jailhouse cell, xAPIC$' \
	'^ivshmem-demo: no PCI host$'
comm_region 0 0x608 1000000 0xb0000000
scan='^TEST pci-scan: result'
out=$(run 1 ../../tests/x86/pci-scan "" "${cell[@]}" -device e1000e,addr=5)
check "pci-scan through the ports" "$out" \
	'^TEST pci-scan: trying bus 0 at 0xb0000000$' \
	"$scan 00:00.0 8086:29c0 revision [0-9]+ class 0x060000 " \
	"$scan 00:05.0 8086:10d3 .* caps 0x01@0xc8 0x05@0xd0 0x10@0xe0 0x11@0xa0\$" \
	"$scan 00:1f.0 8086:2918 revision [0-9]+ class 0x060100 " \
	"$scan [0-9]+ functions, absent ones read 0xffffffff\$"
out=$(run 1 ivshmem-demo "" "${cell[@]}")
check "ivshmem-demo on a PCI host without its device" "$out" \
	'^ivshmem-demo: no ivshmem device \(110a:4106\) on the PCI host$'
out=$(run 1 ivshmem-pingpong "" "${cell[@]}")
check "ivshmem-pingpong on a PCI host without its device" "$out" \
	'^ivshmem-pingpong: running on Jailhouse cell, xAPIC, counter [0-9]+ Hz$' \
	'^ivshmem-pingpong: no usable ivshmem device \(-2\)$'
comm_region

# cell_rom PROGRAM CMDLINE: a firmware image that starts NAME.bin with
# CMDLINE at 0xf1000 from the reset vector (tests/x86/reset-rom.S)
cell_rom()
{
	gcc -m64 -c -o "$tmp/rom.o" "$dir/../../tests/x86/reset-rom.S" &&
	ld -Ttext=0 -o "$tmp/rom.elf" "$tmp/rom.o" &&
	objcopy -O binary "$tmp/rom.elf" "$tmp/rom.code" &&
	/usr/bin/python3 - "$dir/$1.bin" "$2" "$tmp/rom.code" \
		"$tmp/rom.bin" <<'EOF2'
import sys
image = bytearray(open(sys.argv[1], "rb").read())
assert len(image) == 0x10000, "a cell image is 64 KiB"
cmdline = sys.argv[2].encode() + b"\0"
image[0x1000:0x1000 + len(cmdline)] = cmdline
code = open(sys.argv[3], "rb").read()
open(sys.argv[4], "wb").write(bytes(image) + code)
EOF2
}

# run_cell CPUS PROGRAM CMDLINE [QEMU ARGS...]: the console output
run_cell()
{
	local cpus=$1 prog=$2 cmdline=$3

	shift 3
	cell_rom "$prog" "$cmdline" || return
	timeout "$limit" qemu-system-x86_64 -machine q35 -cpu max \
		-smp "$cpus" -m 1G -display none -monitor none -serial stdio \
		-no-reboot -bios "$tmp/rom.bin" "$@" 2>&1 | tr -d '\r'
}

comm_region
out=$(run_cell 1 apic-demo "count=20 period-us=1000" "${icount[@]}" \
      "${cell[@]}")
check "apic-demo.bin from the reset vector" "$out" \
	'^apic-demo: running on Jailhouse cell, xAPIC, timer 1000000000 Hz' \
	"$jitter" '^Jitter summary: count 20, min [0-9]+ ns'
grep '^Jitter summary' <<< "$out" | \
	sed 's/^/    cell start-up, no hypervisor, -icount shift=0: /'

out=$(run_cell 2 smp-demo "count=2 interval-ms=10" "${cell[@]}")
check "smp-demo.bin from the reset vector, SIPI vector 0xf0" "$out" \
	'^smp-demo: CPU 1 \(APIC ID 1\): line 2$' \
	'^smp-demo: CPU 0 \(APIC ID 0\): line 2$' '^smp-demo: CPU 1 done$'

out=$(run_cell 1 uart-demo "count=2 interval-ms=10" "${cell[@]}")
check "uart-demo.bin from the reset vector" "$out" \
	'^uart-demo: running on Jailhouse cell, CPU 0 \(APIC ID 0\), console 8250$' \
	'^Hello 2 from cell!$' '^uart-demo: done$'

out=$(run_cell 1 ../../tests/x86/cpu-state "" "${cell[@]}")
check "cpu-state.bin: the state it arrived in" "$out" \
	'^TEST cpu-state: CR0 0x60000010$' '^TEST cpu-state: CS 0xf000$' \
	'^TEST cpu-state: EFER 0x0$' '^TEST cpu-state: ESI 0x0$' \
	'^TEST cpu-state: DR7 0x400$' '^TEST cpu-state: done$'

# the second CPU leaves its pattern and halts, INIT and SIPI start it
# again at the trampoline, which records its state (struct ap_arrival)
out=$(run_cell 2 ../../tests/x86/cpu-state "cpu-on=1" "${cell[@]}")
check "cpu-state.bin cpu-on=1: the second CPU started twice" "$out" \
	'^TEST cpu-state: secondary$' '^TEST cpu-state: secondary end$' \
	'^TEST cpu-state: done$'

finish
