#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demonstration: set up the host, build everything, boot Debian's arm64
# Linux in QEMU and let the hypervisor take it over and give it back.  The
# guest side is scripts/guest-demo.sh; the whole console session is shown
# and kept in build/demo.log, the Linux cell's own console (where
# scripts/demo-cell.py types into the cell's shell) in build/demo-cell.log.
# Run as root (the set-up installs packages).
# On x86 (--machine x86: q35, AMD SVM) there is no Linux cell yet: the root
# is Debian's amd64 kernel, the cells run the bare-metal demos.
#
# usage: demo.sh [qemu-run.sh options: --machine virt|virt-gicv2|zcu102|x86,
#                 -a ARGS for the kernel, ...]
# JH_DEMO_TIMEOUT: seconds before a stuck guest is stopped (default 600)
set -euo pipefail

tree=$(cd "$(dirname "$0")/.." && pwd)
cd "$tree"
log=build/demo.log

# The machine, as qemu-run.sh takes it from the options
mach=virt
prev=
for arg in "$@"; do
	case $prev in
	--machine|-M) mach=$arg ;;
	esac
	case $arg in
	--machine=*) mach=${arg#--machine=} ;;
	-M?*) mach=${arg#-M} ;;
	esac
	prev=$arg
done

scripts/setup.sh
cell=
if [ "$mach" = x86 ]; then
	make --no-print-directory ARCH=x86 initramfs
	qemu_args=()
else
	make --no-print-directory initramfs
	# The Linux cell: Debian's PREEMPT_RT kernel (scripts/setup.sh
	# fetched it as kernels/rt) and a small initramfs, with
	# ivshmem_net.ko built for that kernel, go into the root's
	# initramfs, appended as a second archive (at a 4-byte boundary,
	# where the kernel looks for it).
	rt=$(echo "${JH_CACHE:-/var/cache/jailhouse-qemu}"/kernels/rt/boot/vmlinuz-*)
	make --no-print-directory driver KERNEL=rt > /dev/null
	scripts/mkcellinitramfs.sh -k "$rt" build/linux-cell > /dev/null
	initrd=build/demo-initramfs.cpio.gz
	cp build/initramfs.cpio.gz "$initrd"
	truncate -s %4 "$initrd"
	cat build/linux-cell/root-addon.cpio >> "$initrd"

	# The cell's own console, a socket (qemu-run.sh -L), where
	# scripts/demo-cell.py waits for its shell and types into it.
	sock=build/demo-cell.sock
	rm -f "$sock"
	scripts/demo-cell.py "$sock" build/demo-cell.log &
	cell=$!
	trap 'kill $cell 2> /dev/null || true' EXIT
	qemu_args=(-i "$initrd" -L "$sock")
fi

echo "demo: booting QEMU (Ctrl-A x quits), console kept in $log"
# --foreground: QEMU reads the terminal, so it must stay in the
# foreground process group.
timeout --foreground "${JH_DEMO_TIMEOUT:-600}" \
	scripts/qemu-run.sh -a "quiet jailhouse.demo" "${qemu_args[@]}" "$@" |
	tee "$log"

[ -z "$cell" ] || wait $cell
tail -n 5 "$log" | tr -d '\r' | grep -qx "demo: OK"
