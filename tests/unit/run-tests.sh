#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run test programs that report like cmocka, show their output and end
# with the totals over all of them: "N passed, N failed".  A program that
# dies without its summary counts as one failure.

passed=0
failed=0

for test in "$@"; do
	log=$(mktemp)
	# each argument is a command line: program and its arguments
	$test 2>&1 | tee "$log"
	status=${PIPESTATUS[0]}
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\.$/\1/p' "$log" |
	    awk '{ s += $1 } END { print s + 0 }')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:$/\1/p' \
		"$log" | awk '{ s += $1 } END { print s + 0 }')
	rm -f "$log"
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$test: exited with status $status"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
