#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prepare a Debian 12 host for building and testing: install the host
# packages, then fetch the Debian arm64 guest kernel, its headers (for
# building the driver) and busybox into a cache outside the git tree, and
# the other kernels the tests boot (the kernel matrix); the same for the
# x86 guest, Debian's amd64 kernel, headers and busybox.
#
# Idempotent and quick when everything is already in place.  Run as root
# on a fresh machine; as another user it only checks.
#
# Cache layout ($JH_CACHE, default /var/cache/jailhouse-qemu):
#   debs/      the downloaded packages (those of kernels no longer current
#              are removed)
#   root/      the stock kernel's packages unpacked (kernel, modules,
#              headers, busybox)
#   kdir       -> the arm64 headers, ready for "make -C kdir M=..."
#   vmlinuz    -> the arm64 kernel image
#   kernels/ABI/  another kernel's image, modules and headers unpacked
#              (boot/vmlinuz-ABI, lib/modules/ABI, usr/src/linux-headers-ABI)
#   kernels/ROLE  -> ABI, for the roles of the kernel matrix:
#       rt         the PREEMPT_RT flavour of the stock series
#                  (what linux-image-rt-arm64 depends on)
#       newest     the newest series the archive offers (the meta packages
#                  linux-image-SERIES-arm64 and the stock one, compared by
#                  version), and
#       newest-rt  its PREEMPT_RT flavour (linux-image-SERIES-rt-arm64)
#   All are found with apt-cache; "make driver KERNEL=ROLE" and
#   "make initramfs KERNEL=ROLE" build for them.
#   amd64/     the x86 guest, found the same way (linux-image-amd64):
#     root/    its kernel's packages and busybox unpacked
#     kdir     -> the amd64 headers ("make ARCH=x86" builds against them)
#     vmlinuz  -> the amd64 kernel image
#     .unpacked  what root/ holds
set -euo pipefail

JH_CACHE=${JH_CACHE:-/var/cache/jailhouse-qemu}

HOST_PACKAGES="make gcc clang gcc-aarch64-linux-gnu libc6-dev-arm64-cross
	qemu-system-arm qemu-system-x86 device-tree-compiler cpio kmod
	libcmocka-dev python3 python3-pytest python3-pexpect libelf1 libssl3
	sparse cppcheck dwarves xz-utils groff-base man-db
	build-essential dpkg-dev debhelper dh-dkms dkms openssl"

export DEBIAN_FRONTEND=noninteractive
apt_updated=
# The package files this run needs; the others in debs/ are removed.
wanted=()

# This host's apt keeps no binary cache, so every apt-cache call would parse
# all lists again; keep one for the length of this run.
apt_tmp=$(mktemp -d)
trap 'rm -rf "$apt_tmp"' EXIT
apt_cache()
{
	apt-cache -o Dir::Cache::pkgcache="$apt_tmp/pkgcache.bin" \
		-o Dir::Cache::srcpkgcache="$apt_tmp/srcpkgcache.bin" "$@"
}

# show PACKAGE[:ARCH][=VERSION]: what "apt-cache show" says of the
# candidate version; asked once per run, as every kernel needs several
# fields of several packages.
show()
{
	local f="$apt_tmp/show/$1"

	if [ ! -f "$f" ]; then
		mkdir -p "$apt_tmp/show"
		apt_cache show --no-all-versions "$1" > "$f.tmp" 2>/dev/null ||
			{ rm -f "$f.tmp"; return 1; }
		mv "$f.tmp" "$f"
	fi
	cat "$f"
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
	rm -rf "$apt_tmp/show"
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

# find_kernel_abi [ARCH]: the kernel ABI name (e.g. 6.1.0-56-arm64) that
# Debian's meta package for ARCH (default arm64) currently points at.
find_kernel_abi()
{
	local arch=${1:-arm64} abi

	abi=$(meta_kernel_abi "linux-image-$arch" "$arch")
	[ -n "$abi" ] || {
		apt_update
		abi=$(meta_kernel_abi "linux-image-$arch" "$arch")
	}
	[ -n "$abi" ] || die "cannot find the Debian $arch kernel ABI"
	echo "$abi"
}

# meta_kernel_abi [META [ARCH]]: the ABI the meta package (linux-image-ARCH
# by default) of ARCH (default arm64) depends on
meta_kernel_abi()
{
	local arch=${2:-arm64} image

	image=$(depends "${1:-linux-image-$arch}:$arch" \
		"linux-image-.*-$arch")
	echo "${image#linux-image-}"
}

# depends PACKAGE REGEX: the first package PACKAGE depends on whose name
# matches the extended REGEX in full; nothing (and success, as callers
# check) when PACKAGE or such a dependency is unknown
depends()
{
	show "$1" | sed -n 's/^Depends: //p' | head -n1 | tr ',|' '\n' |
		awk '{ print $1 }' | grep -xE "$2" | head -n1 || true
}

# field PACKAGE[:ARCH][=VERSION] FIELD: a field of the candidate version;
# nothing when the package is unknown
field()
{
	show "$1" | sed -n "s/^$2: //p" | head -n1 || true
}

# The name "apt-get download" gives the package file (epoch escaped).
deb_name()
{
	show "$1" | awk '
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

# kernel_packages ABI [ARCH]: download the kernel ABI's image and headers
# of ARCH (default arm64), with the common headers and the linux-kbuild
# they use; add the package files to the array debs.
kernel_packages()
{
	local abi=$1 arch=${2:-arm64} ver common kbuild
	local hdr=linux-headers-$abi:$arch

	ver=$(field "$hdr" Version)
	[ -n "$ver" ] || { apt_update; ver=$(field "$hdr" Version); }
	[ -n "$ver" ] || die "no package $hdr"
	common=$(depends "$hdr" 'linux-headers-.*-common(-rt)?')
	# The headers use the build tools of the host's architecture.
	kbuild=$(depends "$hdr" 'linux-kbuild-.*')
	if [ -z "$common" ] || [ -z "$kbuild" ]; then
		die "cannot tell which common headers and kbuild $hdr uses"
	fi
	# Both from the same kernel source version as the headers.
	debs+=("$(download "linux-image-$abi:$arch")")
	debs+=("$(download "$hdr")")
	debs+=("$(download "$common=$ver")")
	debs+=("$(download "$kbuild=$ver")")
}

# unpack TREE MANIFEST ABI: unpack the packages of the array debs into
# TREE and configure it, unless MANIFEST says that they are already
# there.  A new set of packages is unpacked beside the old tree which is
# then swapped for it, so that a build using the old one meanwhile does not
# see it half gone, and a new kernel ABI does not leave the old one behind.
unpack()
{
	local tree=$1 manifest=$2 abi=$3 d

	if [ ! -d "$tree" ] || [ ! -f "$manifest" ] ||
	   [ "$(printf '%s\n' "${debs[@]}")" != "$(cat "$manifest")" ]; then
		need_root "$tree is not unpacked"
		msg "unpacking into $tree"
		rm -rf "$tree.new" "$tree.old" "$manifest"
		mkdir -p "$tree.new"
		for d in "${debs[@]}"; do
			dpkg-deb -x "$JH_CACHE/debs/$d" "$tree.new"
		done
		configure_guest "$abi" "$tree.new" "$tree"
		[ ! -e "$tree" ] || mv "$tree" "$tree.old"
		mv "$tree.new" "$tree"
		rm -rf "$tree.old"
		printf '%s\n' "${debs[@]}" > "$manifest"
	fi
	configure_guest "$abi" "$tree" "$tree"
}

# fetch_guest ABI [ARCH DIR MANIFEST]: the stock kernel of ARCH (default
# arm64) and busybox, in DIR/root/ (default $JH_CACHE/root/), with the links
# DIR/kdir and DIR/vmlinuz; MANIFEST (default debs/.unpacked) lists what
# root/ holds.
fetch_guest()
{
	local abi=$1 arch=${2:-arm64} dir=${3:-$JH_CACHE}
	local manifest=${4:-$JH_CACHE/debs/.unpacked}
	local -a debs=()

	mkdir -p "$JH_CACHE/debs" "$dir"
	kernel_packages "$abi" "$arch"
	debs+=("$(download "busybox-static:$arch")")
	wanted+=("${debs[@]}")

	unpack "$dir/root" "$manifest" "$abi"
	link "root/usr/src/linux-headers-$abi" "$dir/kdir"
	link "root/boot/vmlinuz-$abi" "$dir/vmlinuz"
}

# fetch_x86_guest: the stock amd64 kernel, its headers and busybox for the
# x86 QEMU guest, in amd64/
fetch_x86_guest()
{
	local abi

	abi=$(find_kernel_abi amd64)
	fetch_guest "$abi" amd64 "$JH_CACHE/amd64" \
		"$JH_CACHE/amd64/.unpacked"
	msg "x86 guest: kernel $abi in $JH_CACHE/amd64"
}

# fetch_kernel ABI: a kernel of the matrix, in kernels/ABI/
fetch_kernel()
{
	local abi=$1
	local -a debs=()

	mkdir -p "$JH_CACHE/kernels"
	kernel_packages "$abi"
	wanted+=("${debs[@]}")
	unpack "$JH_CACHE/kernels/$abi" "$JH_CACHE/kernels/.$abi.unpacked" \
		"$abi"
}

# newest_series: the meta package of the newest kernel series for arm64,
# of linux-image-arm64 (the stock series) and the linux-image-SERIES-arm64
# the archive offers, by the version of the kernels they depend on.
newest_series()
{
	local meta abi ver best=linux-image-arm64 best_ver

	best_ver=$(field "linux-image-$(meta_kernel_abi):arm64" Version)
	for meta in $(apt_cache search --names-only \
			'^linux-image-[0-9.]+-arm64$' | awk '{ print $1 }'); do
		abi=$(meta_kernel_abi "$meta")
		[ -n "$abi" ] || continue
		ver=$(field "linux-image-$abi:arm64" Version)
		if dpkg --compare-versions "$ver" gt "$best_ver"; then
			best=$meta
			best_ver=$ver
		fi
	done
	echo "$best"
}

# fetch_matrix: the kernels of the matrix and their role links; kernels
# of no role any more are removed.
fetch_matrix()
{
	local newest role abi d
	declare -A roles

	newest=$(newest_series)
	roles[rt]=$(meta_kernel_abi linux-image-rt-arm64)
	roles[newest]=$(meta_kernel_abi "$newest")
	roles[newest-rt]=$(meta_kernel_abi "${newest%-arm64}-rt-arm64")
	for role in rt newest newest-rt; do
		[ -n "${roles[$role]}" ] ||
			die "cannot find the kernel ABI of the role $role"
	done

	for role in rt newest newest-rt; do
		abi=${roles[$role]}
		fetch_kernel "$abi"
		link "$abi" "$JH_CACHE/kernels/$role"
		msg "kernel $role: $abi"
	done
	for d in "$JH_CACHE"/kernels/*/; do
		abi=$(basename "$d")
		[ ! -L "${d%/}" ] || continue
		printf '%s\n' "${roles[@]}" | grep -qxF "$abi" && continue
		need_root "$d belongs to no kernel of the matrix"
		msg "removing the old kernel $abi"
		rm -rf "$d" "$JH_CACHE/kernels/.$abi.unpacked"
	done
}

# configure_guest ABI TREE HOME: make the unpacked TREE usable where it
# ends up, at HOME: the headers include the common headers by absolute
# path, and the modules need a dependency list.
configure_guest()
{
	local abi=$1 tree=$2 home=$3 mk line mods common

	common=$(cd "$tree/usr/src" && echo linux-headers-*-common*)
	[ -d "$tree/usr/src/$common" ] ||
		die "$tree: not one set of common headers: $common"
	mk="$tree/usr/src/linux-headers-$abi/Makefile"
	line="include $home/usr/src/$common/Makefile"
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

# tidy: remove the package files no kernel needs any more
tidy()
{
	local d

	for d in "$JH_CACHE"/debs/*.deb; do
		printf '%s\n' "${wanted[@]}" | grep -qxF "${d##*/}" && continue
		need_root "$d is no longer needed"
		rm -f "$d"
	done
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
	fetch_matrix
	fetch_x86_guest
	tidy
	msg "ready: kernel $abi in $JH_CACHE"
}

main "$@"
