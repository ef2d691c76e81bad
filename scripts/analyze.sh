#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Static analysis: gcc -fanalyzer over the hypervisor with its own flags,
# sparse over the driver (a kernel build with C=2), cppcheck over the C of
# hypervisor/, driver/ and tools/.  Prints every finding and exits 1 if
# there is any; cppcheck's accepted ones are listed, with why, in
# scripts/analyze/cppcheck.supp.
#
# usage: scripts/analyze.sh    (JH_CACHE, KDIR, CROSS_COMPILE as for make)
set -uo pipefail

tree=$(cd "$(dirname "$0")/.." && pwd)
cd "$tree" || exit 1

JH_CACHE=${JH_CACHE:-/var/cache/jailhouse-qemu}
KDIR=${KDIR:-$JH_CACHE/kdir}
CROSS_COMPILE=${CROSS_COMPILE:-aarch64-linux-gnu-}

log=$(mktemp)
trap 'rm -f "$log"' EXIT
bad=0

# "file:line:col: severity: ...", as compilers, sparse and (with the
# template below) cppcheck print findings.
FINDING='^[^ :]+:[0-9]+:[0-9]+: (warning|error|style|performance|portability):'

# check NAME COMMAND...: run one analyser, count its findings; failing
# without one counts as one.
check()
{
	local name=$1 status n

	shift
	echo "== $name"
	"$@" > "$log" 2>&1
	status=$?
	# with the notes and continuation lines that go with them
	grep -E '^[^ :]+:[0-9]+:[0-9]+: ' "$log"
	n=$(grep -cE "$FINDING" "$log")
	if [ "$status" -ne 0 ] && [ "$n" -eq 0 ]; then
		cat "$log"
		n=1
	fi
	echo "$name: $n finding(s)"
	bad=$((bad + n))
}

check "gcc -fanalyzer (hypervisor)" \
	make --no-print-directory -C hypervisor CROSS_COMPILE="$CROSS_COMPILE" \
		analyze

if [ -f "$KDIR/Makefile" ]; then
	check "sparse (driver)" \
		make --no-print-directory -C "$KDIR" M="$tree" ARCH=arm64 \
			CROSS_COMPILE="$CROSS_COMPILE" C=2 CHECK=sparse modules
else
	echo "no kernel headers in $KDIR: run scripts/setup.sh or set KDIR"
	bad=$((bad + 1))
fi

CPPCHECK=(cppcheck --std=c11 --quiet --error-exitcode=1
	--enable=warning,style,performance,portability --inline-suppr
	--suppressions-list=scripts/analyze/cppcheck.supp
	--template='{file}:{line}:{column}: {severity}: {message} [{id}]')
# Not the assembly-only parts of the headers.
# The core with each architecture's headers, that architecture's files.
check "cppcheck (hypervisor, arm64)" \
	"${CPPCHECK[@]}" -U__ASSEMBLY__ -Iinclude -Ihypervisor/include \
		-Ihypervisor/arch/arm64/include -ihypervisor/arch/x86 hypervisor
check "cppcheck (hypervisor, x86)" \
	"${CPPCHECK[@]}" -U__ASSEMBLY__ -Iinclude -Ihypervisor/include \
		-Ihypervisor/arch/x86/include -ihypervisor/arch/arm64 hypervisor
check "cppcheck (driver)" \
	"${CPPCHECK[@]}" --library=scripts/analyze/kernel.cfg -Iinclude \
		$(ls driver/*.c | grep -v '\.mod\.c$')
check "cppcheck (tools)" "${CPPCHECK[@]}" -Iinclude tools

echo "static analysis: $bad finding(s)"
[ "$bad" -eq 0 ]
