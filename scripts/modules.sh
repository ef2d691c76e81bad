# SPDX-License-Identifier: GPL-2.0
#
# Kernel modules for the guests' initramfs images, sourced by
# mkinitramfs.sh (the root's) and mkcellinitramfs.sh (the Linux cell's):
# which files a module needs, and copies that busybox's insmod can load.

# module_deps MODDIR MODULE: the module's path (relative to the kernel's
# module tree MODDIR) and those of everything it needs, each after what it
# depends on, from MODDIR/modules.dep; nothing if the kernel has it built
# in (6.12 has virtio_pci).
module_deps()
{
	local line dep

	grep -qE "/$2\.ko\$" "$1/modules.builtin" && return 0
	line=$(grep -E "/$2\.ko(\.[a-z]+)?:" "$1/modules.dep") ||
		{ echo "$0: $(basename "$1") has no module $2" >&2; return 1; }
	# modules.dep lists the full closure, the most basic module last.
	for dep in ${line#*:}; do
		echo "$dep"
	done | tac
	echo "${line%%:*}"
}

# module_copy MODDIR PATH TO: the module MODDIR/PATH, unpacked, as the file
# TO (busybox's insmod loads no compressed module; 6.12's are xz-packed).
module_copy()
{
	case $2 in
	*.ko) cp "$1/$2" "$3" ;;
	*.ko.xz) xz -dc "$1/$2" > "$3" ;;
	*.ko.zst) zstd -qdc "$1/$2" > "$3" ;;
	*.ko.gz) gzip -dc "$1/$2" > "$3" ;;
	*) echo "$0: $2: a compression this script cannot undo" >&2
	   return 1 ;;
	esac
}
