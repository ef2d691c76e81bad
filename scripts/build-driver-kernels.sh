#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the driver against the arm64 headers of other Debian kernels than
# the one scripts/setup.sh fetches, and check that it uses only symbols
# those kernels export.  Not part of "make test": it downloads about 30 MB
# per kernel.
#
# usage: scripts/build-driver-kernels.sh [-d DIR] ABI...
#   ABI   a Debian arm64 kernel ABI, e.g. 6.12.117+deb12-arm64 or
#         6.12.117+deb12-rt-arm64; the newest of a series is what its meta
#         package depends on:
#           apt-cache depends linux-headers-6.12-arm64:arm64
#   -d    where the packages are downloaded, unpacked and the driver is
#         built (default ${TMPDIR:-/tmp}/jailhouse-kernels)
#
# Needs the arm64 dpkg architecture (scripts/setup.sh adds it) and, for
# kernels with BTF for modules (6.12), pahole (package dwarves).
# Per ABI it fetches linux-headers-ABI, the common headers it depends on
# and linux-kbuild of the host's architecture, unpacks them into DIR/ABI,
# points the headers' Makefile at the unpacked common headers (as setup.sh
# does), and builds and checks a copy of the driver there with
# scripts/build-driver.sh: any compiler warning, build error or unexported
# symbol fails the run.  The kernels of the test matrix are in
# scripts/setup.sh's cache already: "make driver KERNEL=ROLE" builds
# against them.
set -euo pipefail

tree=$(cd "$(dirname "$0")/.." && pwd)
dir=${TMPDIR:-/tmp}/jailhouse-kernels

msg() { echo "build-driver-kernels: $*" >&2; }
die() { msg "error: $*"; exit 1; }

usage()
{
	sed -n 's/^# \{0,1\}//; /^usage:/,/^$/p' "$0" >&2
	exit 2
}

# depends PACKAGE REGEX: the first package that PACKAGE depends on whose
# name matches the extended REGEX in full
depends()
{
	apt-cache show --no-all-versions "$1" 2>/dev/null |
		sed -n 's/^Depends: //p' | head -n1 | tr ',|' '\n' |
		awk '{ print $1 }' | grep -xE "$2" | head -n1
}

# fetch SPEC...: download the packages into $dir/debs unless there
fetch()
{
	local -a opts=()

	# apt's sandbox user may not write to the download directory.
	[ "$(id -u)" != 0 ] || opts=(-o APT::Sandbox::User=root)
	(cd "$dir/debs" && apt-get download -qq "${opts[@]}" "$@")
}

# prepare ABI: print the headers tree of ABI, fetched and unpacked
prepare()
{
	local abi=$1 hdr=linux-headers-$1:arm64 ver common kbuild root
	local kdir pkg deb

	ver=$(apt-cache show --no-all-versions "$hdr" 2>/dev/null |
		sed -n 's/^Version: //p' | head -n1)
	[ -n "$ver" ] || die "no package $hdr (apt-get update?)"
	common=$(depends "$hdr" 'linux-headers-.*-common(-.*)?')
	kbuild=$(depends "$hdr" 'linux-kbuild-.*')
	if [ -z "$common" ] || [ -z "$kbuild" ]; then
		die "cannot tell which common headers and kbuild $hdr uses"
	fi

	root=$dir/$abi
	kdir=$root/usr/src/linux-headers-$abi
	if [ ! -f "$root/.unpacked" ] ||
	   [ "$(cat "$root/.unpacked")" != "$ver" ]; then
		msg "fetching $hdr, $common, $kbuild ($ver)"
		mkdir -p "$dir/debs"
		fetch "$hdr=$ver" "$common=$ver" "$kbuild=$ver" >&2
		rm -rf "$root"
		mkdir -p "$root"
		# apt-get download names the files so, the epoch escaped
		for pkg in "$hdr" "$common" "$kbuild"; do
			for deb in "$dir/debs/${pkg%:arm64}_${ver//:/%3a}"_*.deb
			do
				dpkg-deb -x "$deb" "$root"
			done
		done
		echo "$ver" > "$root/.unpacked"
	fi
	# The headers include their common part by absolute path.
	echo "include $root/usr/src/$common/Makefile" > "$kdir/Makefile"
	[ -f "$kdir/Module.symvers" ] || die "$kdir has no Module.symvers"
	echo "$kdir"
}

main()
{
	local opt abi kdir failed=0

	while getopts d:h opt; do
		case $opt in
		d) dir=$OPTARG ;;
		*) usage ;;
		esac
	done
	shift $((OPTIND - 1))
	[ $# -gt 0 ] || usage
	dpkg --print-foreign-architectures | grep -qx arm64 ||
		die "arm64 is no dpkg architecture: run scripts/setup.sh"
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)

	for abi in "$@"; do
		kdir=$(prepare "$abi")
		msg "$abi: building"
		"$tree/scripts/build-driver.sh" "$kdir" "$dir/build-$abi" ||
			failed=$((failed + 1))
	done
	[ "$failed" -eq 0 ] || die "$failed of $# kernels failed"
}

main "$@"
