#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install and uninstall, for the top-level Makefile's install targets: each
# part is staged in a temporary tree, then copied into DESTDIR, and every
# file and every directory it had to create is added to a manifest, so that
# "uninstall" removes exactly that and nothing a user or another package
# put beside it.
#
# usage: install.sh PART...      PART: modules, firmware, tools or dkms
#        install.sh uninstall
#
#   modules   the driver's modules (modules_install of KDIR) in
#             /lib/modules/RELEASE/extra/, signed with SIGN_KEY and
#             SIGN_CERT when given; depmod runs when the target has that
#             kernel's module tree (its modules.order)
#   firmware  jailhouse.bin in /lib/firmware, where request_firmware
#             looks (never under PREFIX)
#   tools     the CLI and ivshmem-demo in PREFIX/sbin, the config tools in
#             PREFIX/libexec/jailhouse, configurations and inmates in
#             PREFIX/share/jailhouse, the man pages of Documentation/man
#             and the bash completion
#   dkms      the driver's sources with dkms.conf in
#             /usr/src/jailhouse-VERSION, for "dkms add"
#
# The environment gives DESTDIR (default: none), PREFIX (default
# /usr/local), and for "modules"
# KDIR, MODULES (the directory the driver was built in, "make -C KDIR
# M=MODULES"; default this tree), ARCH, CROSS_COMPILE, SIGN_KEY and
# SIGN_CERT.  The manifest is PREFIX/share/jailhouse/install-manifest in
# DESTDIR.
set -euo pipefail

tree=$(cd "$(dirname "$0")/.." && pwd)
DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
# ../libexec/jailhouse from the CLI is where it looks for its helpers
# (tools/jailhouse.c: run_helper): these follow PREFIX, not each other.
sbindir=$PREFIX/sbin
libexecdir=$PREFIX/libexec/jailhouse
datadir=$PREFIX/share
manifest=$datadir/jailhouse/install-manifest

msg() { echo "install: $*" >&2; }
die() { msg "error: $*"; exit 1; }

[ $# -gt 0 ] || { sed -n 's/^# \{0,1\}//; /^usage:/,/^$/p' "$0" >&2; exit 2; }
case $PREFIX in
/*) ;;
*) die "PREFIX must be an absolute path, not $PREFIX" ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The parts' files, at their paths on the target
stage=$work/root
# What this run made in DESTDIR, for the manifest
entries=$work/entries

# put MODE SRC DEST: stage the file SRC as DEST (a path on the target).
put()
{
	[ -f "$2" ] || die "$2 is not built: run make first"
	install -D -m "$1" "$2" "$stage$3"
}

# The kernel release the driver was built for: the name of its directory
# in /lib/modules.  Not KDIR's include/config/kernel.release: Debian's
# headers have the upstream version there (6.1.192), the modules'
# vermagic and /lib/modules use the package's (6.1.0-57-arm64).
kernel_release()
{
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
		"$KDIR/include/generated/utsrelease.h"
}

# sign MODULE: sign the staged MODULE (.ko or .ko.xz) with SIGN_KEY.
sign()
{
	case $1 in
	*.ko) "$KDIR/scripts/sign-file" sha256 "$SIGN_KEY" "$SIGN_CERT" "$1" ;;
	*.ko.xz)
		xz -d "$1"
		sign "${1%.xz}"
		# kbuild's settings: the kernel's decompressor wants these.
		xz --check=crc32 --lzma2=dict=1MiB "${1%.xz}" ;;
	*) die "$1: cannot sign a module compressed this way" ;;
	esac
}

stage_modules()
{
	local modules=${MODULES:-$tree} release ko

	[ -f "$KDIR/include/generated/utsrelease.h" ] ||
		die "no kernel headers in KDIR=$KDIR"
	[ -f "$modules/driver/jailhouse.ko" ] ||
		die "$modules/driver/jailhouse.ko is not built: run make first"
	release=$(kernel_release)
	# CONFIG_MODULE_SIG_ALL off: it would sign with the kernel's build
	# key, which only the kernel's own build tree has; SIGN_KEY signs
	# below instead.  Compression (CONFIG_MODULE_COMPRESS_ALL, 6.12)
	# stays the kernel's choice.  kbuild's depmod is skipped (the headers
	# have no System.map): depmod_if_kernel runs it.
	make -s -C "$KDIR" M="$modules" ARCH="$ARCH" \
		CROSS_COMPILE="$CROSS_COMPILE" INSTALL_MOD_PATH="$stage" \
		INSTALL_MOD_DIR=extra KERNELRELEASE="$release" \
		CONFIG_MODULE_SIG_ALL= modules_install 2>&1 |
		{ grep -v "System.map\|Skipping depmod" || true; } >&2
	[ -n "${SIGN_KEY:-}" ] || return 0
	[ -n "${SIGN_CERT:-}" ] || die "SIGN_KEY needs SIGN_CERT"
	find "$stage/lib/modules" -name '*.ko*' | while read -r ko; do
		sign "$ko"
	done
}

stage_firmware()
{
	put 644 "$tree/hypervisor/jailhouse.bin" /lib/firmware/jailhouse.bin
}

stage_tools()
{
	local f kind

	put 755 "$tree/tools/jailhouse" "$sbindir/jailhouse"
	put 755 "$tree/tools/ivshmem-demo" "$sbindir/ivshmem-demo"
	for f in "$tree"/tools/jailhouse-config-*; do
		put 755 "$f" "$libexecdir/$(basename "$f")"
	done
	for f in "$tree"/tools/pyjailhouse/*.py; do
		put 644 "$f" "$libexecdir/pyjailhouse/$(basename "$f")"
	done
	for f in "$tree"/configs/arm64/*.cell; do
		put 644 "$f" "$datadir/jailhouse/configs/$(basename "$f")"
	done
	for kind in demos tests; do
		for f in "$tree/inmates/$kind"/*.bin; do
			put 644 "$f" \
			    "$datadir/jailhouse/inmates/$kind/$(basename "$f")"
		done
	done
	for f in "$tree"/Documentation/man/*.[58]; do
		[ -e "$f" ] || continue
		put 644 "$f" "$datadir/man/man${f##*.}/$(basename "$f")"
	done
	f=$tree/tools/jailhouse-completion.bash
	[ ! -e "$f" ] ||
		put 644 "$f" "$datadir/bash-completion/completions/jailhouse"
}

stage_dkms()
{
	local version dir f

	version=$(cat "$tree/VERSION")
	dir=/usr/src/jailhouse-$version
	# The version written out, for tools that read dkms.conf without
	# running it (dh_dkms); the tree's copy reads VERSION when run.
	mkdir -p "$stage$dir"
	sed "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$version\"/" \
		"$tree/dkms.conf" > "$stage$dir/dkms.conf"
	chmod 644 "$stage$dir/dkms.conf"
	put 644 "$tree/Kbuild" "$dir/Kbuild"
	put 644 "$tree/driver/Kbuild" "$dir/driver/Kbuild"
	for f in "$tree"/driver/*.[ch]; do
		case $f in
		*.mod.c) continue ;;	# kbuild's, for the tree's KDIR
		esac
		put 644 "$f" "$dir/driver/$(basename "$f")"
	done
	for f in "$tree"/include/jailhouse/*.h; do
		put 644 "$f" "$dir/include/jailhouse/$(basename "$f")"
	done
}

# depmod_if_kernel RELEASE: refresh the module index of the target's
# kernel RELEASE, if the target has that kernel.  Only then: the index of
# a partial tree (a package being built) would list these modules and
# none of the kernel's.
depmod_if_kernel()
{
	[ -f "$DESTDIR/lib/modules/$1/modules.order" ] || return 0
	msg "depmod $1"
	depmod -b "${DESTDIR:-/}" "$1"
}

# merge: copy the staged tree into DESTDIR.  What it makes goes into the
# manifest as it is made: a failed install can be undone as well.
merge()
{
	local path

	# The manifest's directory is made like the rest, whatever the parts.
	mkdir -p "$stage$datadir/jailhouse"
	[ -z "$DESTDIR" ] || mkdir -p "$DESTDIR"
	[ ! -f "$DESTDIR$manifest" ] || cp "$DESTDIR$manifest" "$entries"
	trap 'write_manifest; rm -rf "$work"' EXIT
	# Sorted: a directory comes before what is in it.
	while read -r path; do
		if [ -d "$stage$path" ]; then
			[ ! -d "$DESTDIR$path" ] || continue
			mkdir -m 755 "$DESTDIR$path"
			echo "d $path" >> "$entries"
		else
			cp --preserve=mode "$stage$path" "$DESTDIR$path"
			echo "f $path" >> "$entries"
			echo "  $DESTDIR$path" >&2
		fi
	done < <(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
		 sed 's/^\.//')
}

write_manifest()
{
	[ -f "$entries" ] && [ -d "$DESTDIR$(dirname "$manifest")" ] ||
		return 0
	awk '!seen[$0]++' "$entries" > "$DESTDIR$manifest"
}

uninstall()
{
	local list=$work/manifest path release

	[ -f "$DESTDIR$manifest" ] ||
		die "nothing to uninstall: no $DESTDIR$manifest"
	mv "$DESTDIR$manifest" "$list"
	sed -n 's/^f //p' "$list" | while read -r path; do
		rm -f "$DESTDIR$path"
	done
	# Deepest first; a directory that holds something not ours stays.
	sed -n 's/^d //p' "$list" | LC_ALL=C sort -r | while read -r path; do
		rmdir --ignore-fail-on-non-empty "$DESTDIR$path"
	done
	sed -n 's|^f /lib/modules/\([^/]*\)/.*|\1|p' "$list" | sort -u |
		while read -r release; do
			depmod_if_kernel "$release"
		done
}

if [ "$1" = uninstall ]; then
	[ $# -eq 1 ] || die "uninstall takes no parts"
	uninstall
	exit 0
fi
for part in "$@"; do
	case $part in
	modules|firmware|tools|dkms) "stage_$part" ;;
	*) die "no part $part (modules, firmware, tools, dkms)" ;;
	esac
done
merge
for release in "$stage"/lib/modules/*; do
	[ ! -d "$release" ] || depmod_if_kernel "$(basename "$release")"
done
