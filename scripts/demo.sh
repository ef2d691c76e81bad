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

echo "demo: booting QEMU (Ctrl-A x quits), console kept in $log"
# --foreground: QEMU reads the terminal, so it must stay in the
# foreground process group.
timeout --foreground "${JH_DEMO_TIMEOUT:-600}" \
	scripts/qemu-run.sh -a "quiet jailhouse.demo" "$@" | tee "$log"

tail -n 5 "$log" | tr -d '\r' | grep -qx "demo: OK"
