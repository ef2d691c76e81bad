#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Make the device tree for QEMU's xlnx-zcu102 machine from the one Debian's
# kernel package ships for the board (zynqmp-zcu102-rev1.0.dtb, in the
# kernel unpacked by scripts/setup.sh), patched for what the model lacks:
#
# * The platform management firmware: QEMU disables the zynqmp-firmware
#   node, and with it the clock, power domain and pin control providers
#   the UARTs and the SD controller refer to, so Linux would defer their
#   probe forever and have no console and no disk.  qemu.dtso gives them
#   fixed clocks; the power domain, pin control and IOMMU (the SMMU is
#   disabled) references are deleted here.
# * The PCIe controller: not modelled; its driver gives up after the
#   deferred probe timeout, printing on the console long after the boot.
# * CPU idle states: their PSCI power state is the firmware's, which
#   QEMU's PSCI refuses ("Invalid PSCI power state").
#
# usage: mkdtb.sh OUTPUT    (done again only when an input is newer)
set -euo pipefail

JH_CACHE=${JH_CACHE:-/var/cache/jailhouse-qemu}
here=$(cd "$(dirname "$0")" && pwd)

[ $# = 1 ] || { echo "usage: $0 OUTPUT" >&2; exit 2; }
out=$1

abi=$(basename "$(readlink "$JH_CACHE/vmlinuz")")
abi=${abi#vmlinuz-}
src=$JH_CACHE/root/usr/lib/linux-image-$abi/xilinx/zynqmp-zcu102-rev1.0.dtb
[ -r "$src" ] || { echo "$0: missing $src (scripts/setup.sh)" >&2; exit 1; }

if [ -s "$out" ] && [ "$out" -nt "$src" ] && [ "$out" -nt "$0" ] &&
   [ "$out" -nt "$here/qemu.dtso" ]; then
	exit 0
fi

mkdir -p "$(dirname "$out")"
tmp=$(mktemp -d "$out.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

dtc -q -@ -I dts -O dtb -o "$tmp/qemu.dtbo" "$here/qemu.dtso"
fdtoverlay -i "$src" -o "$tmp/out.dtb" "$tmp/qemu.dtbo"
for dev in /axi/serial@ff000000 /axi/serial@ff010000 /axi/mmc@ff170000; do
	for prop in power-domains pinctrl-names pinctrl-0; do
		fdtput -d "$tmp/out.dtb" "$dev" "$prop"
	done
done
fdtput -d "$tmp/out.dtb" /axi/mmc@ff170000 iommus
fdtput -t s "$tmp/out.dtb" /axi/pcie@fd0e0000 status disabled
for cpu in 0 1 2 3; do
	fdtput -d "$tmp/out.dtb" "/cpus/cpu@$cpu" cpu-idle-states
done
# Renamed into place: a QEMU starting meanwhile reads a whole file.
mv "$tmp/out.dtb" "$out"
