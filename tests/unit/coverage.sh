#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# usage: coverage.sh MIN OBJECT...
#
# Print the line coverage of the source file behind each object (compiled
# with --coverage, its tests run) and the total over all of them; fail if
# the total is below MIN percent.  A test that includes the file it tests
# (test-*.c) is such an object: its own lines do not count.
set -euo pipefail

min=$1
shift

report=$(mktemp)
trap 'rm -f "$report"' EXIT

for obj in "$@"; do
	# -n: no .gcov files; an object without .gcda counts as unexecuted.
	gcov -n -o "$(dirname "$obj")" "$obj" 2>/dev/null |
		awk -v obj="$obj" '
			/^File / { file = $2; gsub(/\047/, "", file) }
			# the last one, without "File", sums all files
			/^Lines executed:/ {
				split($2, a, ":")
				if (file ~ /\.c$/ && file !~ /(^|\/)test-[^\/]*\.c$/)
					printf "%s %d %d\n", file, \
						int(a[2] * $4 / 100 + 0.5), $4
				file = ""
			}' >> "$report"
done

awk -v min="$min" '
	{
		name = $1; sub(/.*\//, "", name)
		printf "%-16s %5d/%-5d %5.1f%%\n", name, $2, $3, \
			$3 ? 100 * $2 / $3 : 100
		run += $2; all += $3
	}
	END {
		pct = all ? 100 * run / all : 100
		printf "%-16s %5d/%-5d %5.1f%%\n", "total", run, all, pct
		if (pct < min) {
			printf "coverage below %d%%\n", min
			exit 1
		}
	}' "$report"
