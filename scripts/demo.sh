#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demonstration: set up the host, build everything, boot Debian's arm64
# Linux in QEMU and let the hypervisor take it over and give it back.  The
# guest side is scripts/guest-demo.sh; the whole console session is shown
# and kept in build/demo.log.  Run as root (the set-up installs packages).
#
# usage: demo.sh [qemu-run.sh options: --machine virt|virt-gicv2|zcu102,
#                 -a ARGS for the kernel, ...]
# JH_DEMO_TIMEOUT: seconds before a stuck guest is stopped (default 600)
set -euo pipefail

tree=$(cd "$(dirname "$0")/.." && pwd)
cd "$tree"
log=build/demo.log

scripts/setup.sh
make --no-print-directory initramfs
# The Linux cell's kernel and initramfs go into the root's initramfs,
# appended as a second archive (at a 4-byte boundary, where the kernel
# looks for it).
scripts/mkcellinitramfs.sh build/linux-cell > /dev/null
initrd=build/demo-initramfs.cpio.gz
cp build/initramfs.cpio.gz "$initrd"
truncate -s %4 "$initrd"
cat build/linux-cell/root-addon.cpio >> "$initrd"

# On the zcu102 the Linux cell has a UART of its own, QEMU's second
# serial: both UARTs share the terminal (Ctrl-A c switches the input).
qemu=()
sep=--
for arg in "$@"; do
	case $arg in
	--) sep= ;;
	esac
done
for arg in "$@"; do
	case $arg in
	zcu102|--machine=zcu102)
		qemu=($sep -chardev stdio,id=uarts,mux=on,signal=off
		      -serial chardev:uarts -serial chardev:uarts
		      -mon chardev=uarts) ;;
	esac
done

echo "demo: booting QEMU (Ctrl-A x quits), console kept in $log"
# --foreground: QEMU reads the terminal, so it must stay in the
# foreground process group.
timeout --foreground "${JH_DEMO_TIMEOUT:-600}" \
	scripts/qemu-run.sh -a "quiet jailhouse.demo" -i "$initrd" "$@" \
	"${qemu[@]}" | tee "$log"

tail -n 5 "$log" | tr -d '\r' | grep -qx "demo: OK"
