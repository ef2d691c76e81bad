# SPDX-License-Identifier: GPL-2.0
#
# What check-bare-metal.sh and check-bare-metal-x86.sh share (sourced by
# both): a temporary directory, the checks of a program's console output,
# their count, and the timer demos' patterns.

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

passed=0
failed=0

# QEMU counting 1 ns an instruction: the timer demos' figures are exact
icount=(-icount shift=0,sleep=off)
jitter='^Timer fired, jitter: [0-9]+ ns, min: [0-9]+ ns, max: [0-9]+ ns$'

# fail MESSAGE: a check failed, as MESSAGE says.
fail()
{
	echo "FAIL: $1"
	failed=$((failed + 1))
}

# check NAME OUTPUT PATTERN...: every extended regex matches a line.
check()
{
	local name=$1 out=$2 pattern

	shift 2
	for pattern in "$@"; do
		if ! grep -Eq -- "$pattern" <<< "$out"; then
			fail "$name: no line matching '$pattern'"
			echo "$out" | tail -n 20 | sed 's/^/    /'
			return
		fi
	done
	echo "ok: $name"
	passed=$((passed + 1))
}

# check_silent NAME OUTPUT PATTERN: no line matches the extended regex.
check_silent()
{
	if grep -Eq -- "$3" <<< "$2"; then
		fail "$1: output seen"
	else
		echo "ok: $1"
		passed=$((passed + 1))
	fi
}

# check_count NAME OUTPUT N: the timer demo's N lines, one per interrupt.
check_count()
{
	if [ "$(grep -Ec "$jitter" <<< "$2")" != "$3" ]; then
		fail "$1: not $3 jitter lines"
	fi
}

# finish: the summary line; fails if a check did.
finish()
{
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
}
