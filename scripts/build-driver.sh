#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a copy of the driver against the arm64 headers of a kernel other
# than the tree's own (KDIR of the top-level Makefile), and check it: any
# compiler warning, build error or symbol the kernel does not export fails.
# "make driver KERNEL=ROLE" and scripts/build-driver-kernels.sh use it, and
# "make ARCH=x86 driver" with ARCH=x86 (the amd64 headers, native
# compiler), so that the x86 build leaves the tree's arm64 objects alone.
#
# usage: scripts/build-driver.sh KDIR OUTDIR
#   KDIR    the kernel's headers, ready for "make -C KDIR M=..."
#   OUTDIR  gets the copy of the sources and the modules,
#           OUTDIR/driver/jailhouse.ko, uio_ivshmem.ko and ivshmem_net.ko,
#           and the build log, OUTDIR/build.log
#
# Kernels that build BTF for modules (6.12) need pahole (package dwarves):
# without it their build deletes the .ko.
set -euo pipefail

tree=$(cd "$(dirname "$0")/.." && pwd)
ARCH=${ARCH:-arm64}
case $ARCH in
arm64) CROSS_COMPILE=${CROSS_COMPILE:-aarch64-linux-gnu-} ;;
x86) CROSS_COMPILE=${CROSS_COMPILE-} ;;
*) echo "build-driver: error: ARCH $ARCH: arm64 or x86" >&2; exit 2 ;;
esac

msg() { echo "build-driver: $*" >&2; }
die() { msg "error: $*"; exit 1; }

[ $# -eq 2 ] || { sed -n 's/^# \{0,1\}//; /^usage:/,/^$/p' "$0" >&2; exit 2; }
kdir=$1
out=$2
if [ ! -f "$kdir/Makefile" ] || [ ! -f "$kdir/Module.symvers" ]; then
	die "no kernel headers in $kdir: run scripts/setup.sh"
fi
if grep -q '^CONFIG_DEBUG_INFO_BTF_MODULES=y' "$kdir/.config" &&
   ! command -v pahole > /dev/null; then
	die "$kdir builds BTF for modules: install pahole (package dwarves)"
fi

# A copy: kbuild puts the objects beside the sources, and those of the
# tree belong to its own KDIR.  Only what changed is copied, so that make
# rebuilds only that.  Not what kbuild generates there: the tree's
# jailhouse.mod.c holds its KDIR's symbol CRCs, and once newer than the
# copy's it would be linked into this module, which the kernel then
# refuses ("invalid module format").
mkdir -p "$out/driver"
cp -pu "$tree/Kbuild" "$out/"
cp -rpu "$tree/include" "$out/"
find "$tree/driver" -maxdepth 1 \( -name Kbuild -o -name '*.[chS]' \) \
	! -name '*.mod.c' -exec cp -pu -t "$out/driver/" {} +

log=$out/build.log
if ! make -C "$kdir" M="$(cd "$out" && pwd)" ARCH="$ARCH" \
	CROSS_COMPILE="$CROSS_COMPILE" modules > "$log" 2>&1; then
	cat "$log" >&2
	die "build against $kdir failed"
fi
# The compiler's warnings: "FILE:LINE[:COL]: warning:", or, not tied to a
# line, from cc1 or the gcc driver; and modpost's ("WARNING: modpost:", a
# device table it cannot turn into aliases, say).  make's own messages
# are not the build's: "make[1]: warning: jobserver unavailable" comes
# whenever a parallel make runs this script without passing its jobserver
# on.
warning='^(([^ :]+:[0-9]+(:[0-9]+)?|cc1|[^ :]*gcc): warning:|WARNING: modpost:)'
if grep -Eq "$warning" "$log"; then
	grep -E -B2 -A4 "$warning" "$log" >&2
	# The next run compiles again and shows the warnings again.
	rm -f "$out"/driver/*.o
	die "the build against $kdir warns"
fi

for ko in "$out"/driver/jailhouse.ko "$out"/driver/uio_ivshmem.ko \
	 "$out"/driver/ivshmem_net.ko; do
	missing=$(comm -23 \
		<("${CROSS_COMPILE}nm" -u "$ko" | awk '{ print $2 }' |
			sort -u) \
		<(awk '{ print $2 }' "$kdir/Module.symvers" | sort -u))
	[ -z "$missing" ] ||
		die "$(basename "$ko"): symbols $kdir does not export:" \
			"$(echo "$missing" | tr '\n' ' ')"
	msg "$ko ($(modinfo -F vermagic "$ko"))"
done
