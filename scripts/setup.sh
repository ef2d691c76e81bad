#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prepare a Debian 12 host for building and testing: install the host
# packages, then fetch the Debian arm64 guest kernel, its headers (for
# building the driver) and busybox into a cache outside the git tree.
#
# Idempotent and quick when everything is already in place.  Run as root
# on a fresh machine; as another user it only checks.
#
# Cache layout ($JH_CACHE, default /var/cache/jailhouse-qemu):
#   debs/      the downloaded packages
#   root/      the packages unpacked (kernel, modules, headers, busybox)
#   kdir       -> the arm64 headers, ready for "make -C kdir M=..."
#   vmlinuz    -> the arm64 kernel image
set -euo pipefail

JH_CACHE=${JH_CACHE:-/var/cache/jailhouse-qemu}

HOST_PACKAGES="make gcc clang gcc-aarch64-linux-gnu libc6-dev-arm64-cross
	qemu-system-arm qemu-system-x86 device-tree-compiler cpio kmod
	libcmocka-dev python3 python3-pytest python3-pexpect libelf1 libssl3
	sparse cppcheck"

export DEBIAN_FRONTEND=noninteractive
apt_updated=

# This host's apt keeps no binary cache, so every apt-cache call would parse
# all lists again; keep one for the length of this run.
apt_tmp=$(mktemp -d)
trap 'rm -rf "$apt_tmp"' EXIT
apt_cache()
{
	apt-cache -o Dir::Cache::pkgcache="$apt_tmp/pkgcache.bin" \
		-o Dir::Cache::srcpkgcache="$apt_tmp/srcpkgcache.bin" "$@"
}

msg() { echo "setup: $*" >&2; }
die() { msg "error: $*"; exit 1; }

need_root()
{
	[ "$(id -u)" = 0 ] || die "$1: run this script as root (sudo $0)"
}

apt_update()
{
	[ -z "$apt_updated" ] || return 0
	need_root "package lists are missing or stale"
	msg "apt-get update"
	apt-get update -qq
	apt_updated=1
}

install_host_packages()
{
	local missing=() p

	for p in $HOST_PACKAGES; do
		[ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" \
			= installed ] || missing+=("$p")
	done
	[ ${#missing[@]} -gt 0 ] || return 0

	need_root "missing host packages: ${missing[*]}"
	msg "installing ${missing[*]}"
	# A package without candidate means the lists are missing or old.
	if ! apt-get install -y -qq --no-install-recommends "${missing[@]}"
	then
		apt_update
		apt-get install -y -qq --no-install-recommends "${missing[@]}"
	fi
}

enable_arm64_packages()
{
	dpkg --print-foreign-architectures | grep -qx arm64 && return 0
	need_root "arm64 is not a dpkg architecture yet"
	msg "dpkg --add-architecture arm64"
	dpkg --add-architecture arm64
	apt_updated=
	apt_update
}

# The kernel ABI name (e.g. 6.1.0-56-arm64) that Debian's meta package
# currently points at.
find_kernel_abi()
{
	local abi

	abi=$(meta_kernel_abi)
	[ -n "$abi" ] || { apt_update; abi=$(meta_kernel_abi); }
	[ -n "$abi" ] || die "cannot find the Debian arm64 kernel ABI"
	echo "$abi"
}

meta_kernel_abi()
{
	apt_cache depends linux-image-arm64:arm64 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\(.*-arm64\)\(:arm64\)\?$/\1/p' |
		head -n1
}

# field PACKAGE[:ARCH][=VERSION] FIELD: a field of the candidate version
field()
{
	apt_cache show --no-all-versions "$1" 2>/dev/null |
		sed -n "s/^$2: //p" | head -n1
}

# The name "apt-get download" gives the package file (epoch escaped).
deb_name()
{
	apt_cache show --no-all-versions "$1" 2>/dev/null | awk '
		/^Package: /	{ p = $2 }
		/^Version: /	{ v = $2; gsub(/:/, "%3a", v) }
		/^Architecture: / { a = $2 }
		/^$/		{ exit }
		END { if (p == "" || v == "" || a == "") exit 1
		      print p "_" v "_" a ".deb" }'
}

apt_download()
{
	# The cache may be a place the _apt user cannot write to.
	(cd "$JH_CACHE/debs" &&
	 apt-get download -qq -o APT::Sandbox::User=root "$1")
}

# download PACKAGE-SPEC: make sure its .deb is in debs/, print the file name
download()
{
	local spec=$1 file

	if ! file=$(deb_name "$spec"); then
		apt_update
		file=$(deb_name "$spec") || die "no package $spec"
	fi
	if [ ! -s "$JH_CACHE/debs/$file" ]; then
		need_root "$file is not in $JH_CACHE/debs"
		msg "downloading $spec"
		# A failed download usually means the lists name a version
		# the mirror no longer has.
		if ! apt_download "$spec"; then
			apt_update
			file=$(deb_name "$spec") || die "no package $spec"
			apt_download "$spec"
		fi
		[ -s "$JH_CACHE/debs/$file" ] || die "download of $spec failed"
	fi
	echo "$file"
}

fetch_guest()
{
	local abi=$1 common=${1%-arm64}-common ver kbuild manifest
	local -a debs=()

	mkdir -p "$JH_CACHE/debs"
	ver=$(field "linux-headers-$abi:arm64" Version)
	[ -n "$ver" ] || { apt_update; \
		ver=$(field "linux-headers-$abi:arm64" Version); }
	[ -n "$ver" ] || die "no package linux-headers-$abi:arm64"
	# The arm64 headers use the build tools of the host's architecture,
	# from the same kernel source version.
	kbuild=$(apt_cache depends "linux-headers-$abi:arm64" |
		sed -n 's/^ *Depends: \(linux-kbuild-[0-9.]*\)\(:arm64\)\?$/\1/p' |
		head -n1)
	[ -n "$kbuild" ] || die "cannot tell which linux-kbuild the headers use"

	debs+=("$(download "linux-image-$abi:arm64")")
	debs+=("$(download "linux-headers-$abi:arm64")")
	debs+=("$(download "linux-headers-$common=$ver")")
	debs+=("$(download "$kbuild=$ver")")
	debs+=("$(download busybox-static:arm64)")

	# Unpack into a fresh root/ whenever the set of packages changed, so
	# that a new kernel ABI does not leave the old one behind.
	manifest="$JH_CACHE/debs/.unpacked"
	if [ ! -d "$JH_CACHE/root" ] || [ ! -f "$manifest" ] ||
	   [ "$(printf '%s\n' "${debs[@]}")" != "$(cat "$manifest")" ]; then
		need_root "$JH_CACHE/root is not unpacked"
		msg "unpacking into $JH_CACHE/root"
		# Unpack beside the old tree and swap, so that a build using
		# the old one meanwhile does not see it half gone.
		rm -rf "$JH_CACHE/root.new" "$JH_CACHE/root.old" "$manifest"
		mkdir -p "$JH_CACHE/root.new"
		local d
		for d in "${debs[@]}"; do
			dpkg-deb -x "$JH_CACHE/debs/$d" "$JH_CACHE/root.new"
		done
		configure_guest "$abi" "$common" "$JH_CACHE/root.new"
		[ ! -e "$JH_CACHE/root" ] ||
			mv "$JH_CACHE/root" "$JH_CACHE/root.old"
		mv "$JH_CACHE/root.new" "$JH_CACHE/root"
		rm -rf "$JH_CACHE/root.old"
		printf '%s\n' "${debs[@]}" > "$manifest"
		# Packages of an older kernel are no longer needed.
		for d in "$JH_CACHE"/debs/*.deb; do
			grep -qxF "${d##*/}" "$manifest" || rm -f "$d"
		done
	fi

	configure_guest "$abi" "$common" "$JH_CACHE/root"
	link "root/usr/src/linux-headers-$abi" "$JH_CACHE/kdir"
	link "root/boot/vmlinuz-$abi" "$JH_CACHE/vmlinuz"
}

# configure_guest ABI COMMON TREE: make the unpacked TREE usable as
# $JH_CACHE/root: the arm64 headers include the common headers by absolute
# path, and the modules need a dependency list.
configure_guest()
{
	local abi=$1 common=$2 tree=$3 mk line mods

	mk="$tree/usr/src/linux-headers-$abi/Makefile"
	line="include $JH_CACHE/root/usr/src/linux-headers-$common/Makefile"
	if [ "$(cat "$mk")" != "$line" ]; then
		need_root "$mk does not point at the unpacked common headers"
		echo "$line" > "$mk"
	fi

	mods="$tree/lib/modules/$abi"
	if [ ! -s "$mods/modules.dep" ]; then
		need_root "$mods/modules.dep is missing"
		depmod -b "$tree" "$abi"
	fi
}

link()
{
	[ "$(readlink "$2" 2>/dev/null)" = "$1" ] && return 0
	need_root "$2 is not a link to $1"
	ln -sfn "$1" "$2"
}

main()
{
	local abi

	install_host_packages
	enable_arm64_packages

	mkdir -p "$JH_CACHE" 2>/dev/null ||
		die "cannot create $JH_CACHE (run as root or set JH_CACHE)"
	# Serialise concurrent runs (a test run and a demo, say).
	exec 9<"$JH_CACHE"
	flock 9

	abi=$(find_kernel_abi)
	fetch_guest "$abi"
	msg "ready: kernel $abi in $JH_CACHE"
}

main "$@"
