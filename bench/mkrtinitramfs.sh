#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build what bench/latency.py boots: Debian's arm64 cyclictest (package
# rt-tests) with the shared libraries it loads, and a script that runs it
# with the benchmark's parameters, packed three ways:
#
#   cell-initrd.cpio.gz  an initramfs of its own (static busybox, the
#                        libraries, cyclictest): its /init runs the
#                        measurement once, writes the result to /dev/kmsg
#                        and powers off.  Booted by QEMU directly (case 1)
#                        and as the Linux cell's initramfs (case 3).
#   root-cyclictest.cpio to append to a root initramfs of
#                        scripts/mkinitramfs.sh: the same programs, run
#                        from the root's shell (case 2).
#   root-cell.cpio       to append to a root initramfs: the cell's kernel
#                        and initramfs, /root/Image and
#                        /root/bench-initrd.cpio.gz (case 3).
#
# The measurement, /usr/bin/latency-run, prints every line of its result
# as "latency: LINE" with one write each, so that through /dev/kmsg every
# line is a record of its own: cyclictest's summary, the histogram's
# non-empty buckets, and its exit status; "latency: done" ends it.
#
# The packages come with apt-get download (the versions the host's apt
# lists offer) into OUTDIR/debs, which needs root on a fresh checkout.
#
# usage: mkrtinitramfs.sh -p "CYCLICTEST ARGS" [-k KERNEL] OUTDIR
#   -p      cyclictest's arguments, the same in every case
#   -k      the cell's kernel for root-cell.cpio (without: no root-cell.cpio)
set -euo pipefail

JH_CACHE=${JH_CACHE:-/var/cache/jailhouse-qemu}
params=
kernel=

usage()
{
	echo "usage: $0 -p \"CYCLICTEST ARGS\" [-k KERNEL] OUTDIR" >&2
	exit 2
}

die()
{
	echo "$0: $*" >&2
	exit 1
}

while getopts "p:k:" opt; do
	case $opt in
	p) params=$OPTARG ;;
	k) kernel=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] && [ -n "$params" ] || usage
mkdir -p "$1/debs"
out=$(cd "$1" && pwd)
busybox=$JH_CACHE/root/bin/busybox
[ -x "$busybox" ] || die "$JH_CACHE is not set up, run scripts/setup.sh"
[ -z "$kernel" ] || [ -r "$kernel" ] || die "no kernel $kernel"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# deb PACKAGE: the path of PACKAGE's arm64 .deb in OUTDIR/debs, fetched
# unless this version is there already.
deb()
{
	local name

	name=$(apt-cache show --no-all-versions "$1:arm64" 2>/dev/null | awk '
		/^Package: /	{ p = $2 }
		/^Version: /	{ v = $2; gsub(/:/, "%3a", v) }
		/^$/		{ exit }
		END { if (p != "" && v != "") print p "_" v "_arm64.deb" }')
	[ -n "$name" ] || die "apt knows no $1:arm64 (apt-get update?)"
	if [ ! -s "$out/debs/$name" ]; then
		echo "  apt-get download $1:arm64" >&2
		(cd "$out/debs" && apt-get download -qq -o APT::Sandbox::User=root "$1:arm64") ||
			die "apt-get download $1:arm64 failed"
	fi
	echo "$out/debs/$name"
}

# lib_depends PACKAGE: its shared-library dependencies.  Debian names
# library packages lib* (policy 8.1); the others rt-tests names (python3)
# serve its Python scripts, not cyclictest.
lib_depends()
{
	apt-cache depends "$1:arm64" 2>/dev/null |
		sed -n 's/^  Depends: \(lib[^:<>]*\)\(:arm64\)\?$/\1/p'
}

# rt-tests and the closure of its library dependencies, unpacked
pkgs=rt-tests
todo=$(lib_depends rt-tests)
while [ -n "$todo" ]; do
	next=
	for p in $todo; do
		case " $pkgs " in *" $p "*) continue ;; esac
		pkgs="$pkgs $p"
		next="$next $(lib_depends "$p")"
	done
	todo=$next
done
echo "packages:$(for p in $pkgs; do echo -n " $p"; done)" >&2
for p in $pkgs; do
	dpkg-deb -x "$(deb "$p")" "$stage/debs"
done

prog=$stage/prog
mkdir -p "$prog"/{bin,usr/bin,lib/aarch64-linux-gnu}
install -m 755 "$stage/debs/usr/bin/cyclictest" "$prog/usr/bin/cyclictest"

# needed ELF: the shared libraries ELF names (its NEEDED entries)
needed()
{
	readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'
}

# The libraries cyclictest loads, and theirs; and libgcc_s.so.1, which
# glibc opens at run time when a thread exits.
libs=
todo="$(needed "$prog/usr/bin/cyclictest") libgcc_s.so.1"
while [ -n "$todo" ]; do
	# shellcheck disable=SC2086 # a list of words
	set -- $todo
	l=$1
	shift
	todo="$*"
	case " $libs " in *" $l "*) continue ;; esac
	f=$(find "$stage/debs" -name "$l" | head -n1)
	[ -n "$f" ] || die "no package of$pkgs has $l"
	cp -L "$f" "$prog/lib/aarch64-linux-gnu/$l"
	libs="$libs $l"
	todo="$todo $(needed "$f")"
done
# the interpreter cyclictest names
interp=$(readelf -l "$prog/usr/bin/cyclictest" |
	sed -n 's/.*interpreter: \(.*\)\]$/\1/p')
[ -e "$prog/lib/aarch64-linux-gnu/$(basename "$interp")" ] ||
	die "no $interp among$libs"
ln -sf "aarch64-linux-gnu/$(basename "$interp")" "$prog$interp"

echo "$params" > "$prog/usr/bin/latency-run.args"
cat > "$prog/usr/bin/latency-run" <<'RUN'
#!/bin/sh
# One measurement: cyclictest with the benchmark's parameters; its output
# line by line as "latency: LINE", the histogram's non-empty buckets
# (both threads' counts added) as "latency: hist US:COUNT ...", 16 a line.
out=/tmp/cyclictest.out
# cyclictest shares its statistics through POSIX shared memory
mkdir -p /tmp /dev/shm
grep -q ' /dev/shm ' /proc/mounts || mount -t tmpfs shm /dev/shm
echo "latency: kernel $(uname -r), CPUs $(cat /sys/devices/system/cpu/online)"
echo "latency: cyclictest $(cat /usr/bin/latency-run.args)"
# shellcheck disable=SC2046 # the arguments are words
cyclictest $(cat /usr/bin/latency-run.args) >$out 2>&1
echo "latency: status $?"
# cyclictest pads with zeros, which busybox awk would read as octal
awk 'function dec(s) { sub(/^0+/, "", s); return s + 0 }
	/^[0-9]/ {
		n = 0
		for (i = 2; i <= NF; i++)
			n += dec($i)
		if (n) {
			hist = hist " " dec($1) ":" n
			if (++k == 16) {
				print "hist" hist
				hist = ""
				k = 0
			}
		}
		next
	}
	{ print }
	END { if (k) print "hist" hist }' $out |
while read -r line; do
	echo "latency: $line"
done
echo "latency: done"
RUN
chmod 755 "$prog/usr/bin/latency-run"

# pack DIR: a newc archive of DIR on standard output, owned by root
pack()
{
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet)
}

cell=$stage/cell
cp -a "$prog" "$cell"
mkdir -p "$cell"/{dev,proc,sys,tmp}
cp "$busybox" "$cell/bin/busybox"
cat > "$cell/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin:/usr/bin
mount -t devtmpfs dev /dev
mount -t proc proc /proc
mount -t sysfs sys /sys
# On a UART shared with the root the cell has no console of its own
# (Documentation/linux-cell.md): the kernel's log reaches the early one.
exec >/dev/kmsg 2>&1
latency-run
poweroff -f
INIT
chmod 755 "$cell/init"
pack "$cell" | gzip -9n > "$out/cell-initrd.cpio.gz"
pack "$prog" > "$out/root-cyclictest.cpio"
echo "$out/cell-initrd.cpio.gz, $out/root-cyclictest.cpio"

if [ -n "$kernel" ]; then
	mkdir -p "$stage/addon/root"
	cp "$out/cell-initrd.cpio.gz" "$stage/addon/root/bench-initrd.cpio.gz"
	cp -L "$kernel" "$stage/addon/root/Image"
	# Uncompressed: the root's kernel unpacks it without a gunzip.
	pack "$stage/addon" > "$out/root-cell.cpio"
	echo "$out/root-cell.cpio"
fi
