#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Collect what "jailhouse config create" needs from a target into one
# tarball, with nothing but a POSIX shell and busybox: the device tree,
# /proc/iomem, /proc/cpuinfo and a few facts for the reader.  Run it as root
# (unprivileged readers of /proc/iomem see zero addresses), copy the
# tarball to a build host and run there
#
#	jailhouse config create --tarball jailhouse-config.tar.gz sysconfig.cell
#
# Usage: jailhouse-config-collect.sh [OUTPUT.tar.gz]
#
# The tarball is compressed when gzip is there, whatever its name says.
#
# JAILHOUSE_COLLECT_ROOT reads another root than / (for tests).

set -e

out=${1:-jailhouse-config.tar.gz}
root=${JAILHOUSE_COLLECT_ROOT:-}
top=jailhouse-config-collect

case "$out" in
-h|--help)
	sed -n '4,17s/^# \{0,1\}//p' "$0"
	exit 0
	;;
/*)	;;
*)	out=$(pwd)/$out ;;
esac

if [ -z "$root" ] && [ "$(id -u)" != 0 ]; then
	echo "$0: warning: not root, /proc/iomem shows no addresses" >&2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dir=$tmp/$top
mkdir -p "$dir/proc" "$dir/sys/firmware"

# /proc/device-tree is a link to /sys/firmware/devicetree/base; the "/."
# copies the directory it points to.  Property files there have their
# true sizes, unlike the /proc texts below.
if [ -d "$root/proc/device-tree/" ]; then
	mkdir "$dir/proc/device-tree"
	cp -R "$root/proc/device-tree/." "$dir/proc/device-tree/"
fi
# The flattened tree as the boot loader passed it (root only).
if [ -r "$root/sys/firmware/fdt" ]; then
	cat "$root/sys/firmware/fdt" > "$dir/sys/firmware/fdt"
fi
if [ ! -d "$dir/proc/device-tree" ] && [ ! -s "$dir/sys/firmware/fdt" ]; then
	echo "$0: no device tree in $root/proc/device-tree" >&2
	exit 1
fi

# /proc files report a size of 0, so they are read, not archived.
for f in iomem cpuinfo cmdline version; do
	if [ -r "$root/proc/$f" ]; then
		cat "$root/proc/$f" > "$dir/proc/$f"
	fi
done

if command -v gzip > /dev/null; then
	(cd "$tmp" && tar -cf - "$top" | gzip -c) > "$out"
else
	(cd "$tmp" && tar -cf "$out" "$top")
fi
echo "$out"
