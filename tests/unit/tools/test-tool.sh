#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tests of the jailhouse tool on the host: command-line parsing, error
# messages, the structures handed to the driver (through ioctl-spy.so) and
# the output built from a fake sysfs tree.
#
# Usage: test-tool.sh TOOL SPY ROOT SYSCONFIG CELLCONFIG
#   TOOL	host build of tools/jailhouse.c with JAILHOUSE_ROOT_PREFIX=ROOT
#   SPY		ioctl-spy.so
#   ROOT	scratch directory that stands for / (recreated here)
#   SYSCONFIG, CELLCONFIG	valid configurations
#
# Prints its results the way cmocka does, so that the suite can total them.

TOOL=$1
SPY=$2
ROOT=$3
SYSCFG=$4
CELLCFG=$5

passed=0
failed=0
failed_names=()

rm -rf "$ROOT"
mkdir -p "$ROOT/dev" "$ROOT/work"
WORK=$ROOT/work
LOG=$WORK/ioctl.log
SYS=$ROOT/sys/devices/jailhouse

# run ARGS...: run the tool with the spy, output in $out, $err, status $rc
run()
{
	rm -f "$LOG"
	out=$(IOCTL_LOG=$LOG LD_PRELOAD=$SPY "$TOOL" "$@" 2>"$WORK/stderr")
	rc=$?
	err=$(cat "$WORK/stderr")
	ioctls=$(cat "$LOG" 2>/dev/null)
}

result()
{
	local name=$1 ok=$2 why=$3

	echo "[ RUN      ] $name"
	if [ "$ok" = 1 ]; then
		echo "[       OK ] $name"
		passed=$((passed + 1))
	else
		echo "$why"
		echo "  status: $rc"
		echo "  stdout: $out"
		echo "  stderr: $err"
		echo "  ioctls: $ioctls"
		echo "[  FAILED  ] $name"
		failed=$((failed + 1))
		failed_names+=("$name")
	fi
}

# expect NAME RC [stdout|stderr|ioctls PATTERN]...: check the last run
expect()
{
	local name=$1 want_rc=$2 what pattern
	shift 2

	if [ "$rc" != "$want_rc" ]; then
		result "$name" 0 "  expected status $want_rc"
		return
	fi
	while [ $# -gt 0 ]; do
		what=$1 pattern=$2
		shift 2
		if ! grep -qE -- "$pattern" <<<"${!what}"; then
			result "$name" 0 "  $what does not match: $pattern"
			return
		fi
	done
	result "$name" 1
}

# expect_none NAME VAR PATTERN: the variable must not match
expect_none()
{
	if grep -qE -- "$3" <<<"${!2}"; then
		result "$1" 0 "  $2 matches: $3"
	else
		result "$1" 1
	fi
}

echo "[==========] Running tests of the jailhouse tool."

# --- general command line ---------------------------------------------

run --version
expect version 0 out '^Jailhouse management tool .+'

run --help
expect help 0 out '^Usage: ' out 'cell load' out 'config create'

run
expect no_arguments 1 err '^Usage: '
expect_none no_arguments_quiet_stdout out '.'

run frobnicate
expect unknown_command 1 err '^Usage: '

# Every command answers --help (and -h) with its own usage, on stdout.
for words in enable disable console "cell create" "cell list" "cell load" \
	     "cell start" "cell shutdown" "cell destroy" "cell stats" \
	     "cell linux" "hardware check"; do
	for opt in --help -h; do
		# shellcheck disable=SC2086 # the words are the arguments
		run $words $opt
		expect "help_${words// /_}$opt" 0 \
			out "^Usage: jailhouse $words( |\$)" out '^[A-Z][a-z]'
		expect_none "help_${words// /_}${opt}_quiet" err '.'
	done
done
for group in cell config hardware; do
	run $group --help
	expect "help_$group" 0 out "^Usage: jailhouse $group " \
		out "^       jailhouse $group |^Usage: jailhouse hardware check"
done
run cell frobnicate --help
expect help_unknown_cell_command 1 err '^Usage: '

run cell frobnicate
expect unknown_cell_command 1 err '^Usage: '

# --- enable / disable ---------------------------------------------------

touch "$ROOT/dev/jailhouse"

run enable "$SYSCFG"
expect enable_passes_config 0 \
	ioctls '^ENABLE signature=JHSYS root="qemu-arm64"$'

IOCTL_ERRNO=22 run enable "$SYSCFG"
expect enable_ioctl_error 1 err \
	'^JAILHOUSE_ENABLE: Invalid argument \(why: the kernel log, "dmesg", .*"jailhouse console"\)$'

run enable "$WORK/missing.cell"
expect enable_missing_file 1 \
	err "missing.cell: No such file or directory" ioctls '^$'

run enable "$WORK"
expect enable_directory 1 err "work: Is a directory" ioctls '^$'

run enable
expect enable_needs_file 1 err '^Usage: ' ioctls '^$'

run enable "$SYSCFG" extra
expect enable_one_file_only 1 err '^Usage: ' ioctls '^$'

run enable "$CELLCFG"
expect enable_refuses_cell_config 1 \
	err 'not a system configuration: wrong signature' ioctls '^$'

head -c 100 "$SYSCFG" > "$WORK/short.cell"
run enable "$WORK/short.cell"
expect enable_refuses_short_file 1 \
	err 'short.cell: truncated system configuration: 100 bytes, shorter' \
	ioctls '^$'

head -c 7 "$SYSCFG" > "$WORK/tiny.cell"
run enable "$WORK/tiny.cell"
expect enable_refuses_tiny_file 1 err 'tiny.cell: not a system configuration' \
	ioctls '^$'

size=$(stat -c %s "$SYSCFG")
head -c $((size - 1)) "$SYSCFG" > "$WORK/truncated.cell"
run enable "$WORK/truncated.cell"
expect enable_refuses_truncated 1 \
	err "truncated.cell: truncated system configuration: its header" \
	err "describes $size bytes, the file has $((size - 1))" \
	ioctls '^$'

# root cell's num_memory_regions (356 + 52) = 0xffffffff: size overflows
cp "$SYSCFG" "$WORK/huge.cell"
printf '\xff\xff\xff\xff' | dd of="$WORK/huge.cell" bs=1 seek=408 \
	conv=notrunc status=none
run enable "$WORK/huge.cell"
expect enable_refuses_count_overflow 1 err 'truncated system configuration' \
	ioctls '^$'

cp "$SYSCFG" "$WORK/rev.cell"
printf '\x0d' | dd of="$WORK/rev.cell" bs=1 seek=6 conv=notrunc status=none
run enable "$WORK/rev.cell"
expect enable_refuses_revision 1 \
	err 'configuration revision 13, this tool supports revision 14' \
	ioctls '^$'

# the architecture is the driver's to check
cp "$SYSCFG" "$WORK/arch.cell"
printf '\x00' | dd of="$WORK/arch.cell" bs=1 seek=5 conv=notrunc status=none
run enable "$WORK/arch.cell"
expect enable_leaves_arch_to_driver 0 ioctls '^ENABLE '

run disable
expect disable 0 ioctls '^DISABLE$'

IOCTL_ERRNO=16 run disable
expect disable_ioctl_error 1 err '^JAILHOUSE_DISABLE: Device or resource busy$'

run disable now
expect disable_no_arguments 1 err '^Usage: ' ioctls '^$'

rm "$ROOT/dev/jailhouse"
run enable "$SYSCFG"
expect enable_without_driver 1 \
	err "^opening $ROOT/dev/jailhouse: No such file or directory$"
touch "$ROOT/dev/jailhouse"

# --- cell create / start / shutdown / destroy ------------------------

csize=$(stat -c %s "$CELLCFG")
run cell create "$CELLCFG"
expect cell_create 0 \
	ioctls "^CELL_CREATE size=$csize signature=JHCLL name=\"test-cell\"$"

IOCTL_ERRNO=17 run cell create "$CELLCFG"
expect cell_create_ioctl_error 1 err '^JAILHOUSE_CELL_CREATE: File exists$'

run cell create "$SYSCFG"
expect cell_create_refuses_system_config 1 \
	err 'not a cell configuration: wrong signature' ioctls '^$'

head -c $((csize - 8)) "$CELLCFG" > "$WORK/cell-trunc.cell"
run cell create "$WORK/cell-trunc.cell"
expect cell_create_refuses_truncated 1 err 'truncated cell configuration' \
	ioctls '^$'

run cell start 3
expect cell_start_by_id 0 ioctls '^CELL_START id=3 name=""$'

run cell start test-cell
expect cell_start_by_name 0 ioctls '^CELL_START id=-1 name="test-cell"$'

run cell start --name 42
expect cell_start_numeric_name 0 ioctls '^CELL_START id=-1 name="42"$'

run cell start 3x
expect cell_start_name_with_digit 0 ioctls '^CELL_START id=-1 name="3x"$'

run cell start 99999999999
expect cell_start_id_out_of_range 1 err 'invalid cell id' ioctls '^$'

run cell start abcdefghijklmnopqrstuvwxyz0123456
expect cell_name_too_long 1 err 'cell name too long' ioctls '^$'

run cell start abcdefghijklmnopqrstuvwxyz01234
expect cell_name_longest 0 \
	ioctls '^CELL_START id=-1 name="abcdefghijklmnopqrstuvwxyz01234"$'

run cell start
expect cell_start_needs_cell 1 err '^Usage: ' ioctls '^$'

run cell start 1 2
expect cell_start_one_cell_only 1 err '^Usage: ' ioctls '^$'

IOCTL_ERRNO=2 run cell start nosuch
expect cell_start_ioctl_error 1 \
	err '^JAILHOUSE_CELL_START: No such file or directory$'

run cell destroy --name test-cell
expect cell_destroy 0 ioctls '^CELL_DESTROY id=-1 name="test-cell"$'

IOCTL_ERRNO=1 run cell destroy 0
expect cell_destroy_ioctl_error 1 \
	err '^JAILHOUSE_CELL_DESTROY: Operation not permitted$'

run cell shutdown 2
expect cell_shutdown_is_empty_load 0 ioctls '^CELL_LOAD id=2 name="" images=0$'

run cell shutdown 2 image.bin
expect cell_shutdown_takes_no_image 1 err '^Usage: ' ioctls '^$'

# --- cell load ----------------------------------------------------------

printf 'ABCDEFGH' > "$WORK/image.bin"
printf 'xyz' > "$WORK/second.bin"

run cell load test-cell "$WORK/image.bin"
expect cell_load_image_default_address 0 \
	ioctls '^CELL_LOAD id=-1 name="test-cell" images=1$' \
	ioctls '^image size=8 target=0x0 data=4142434445464748$'

run cell load 1 "$WORK/image.bin" -a 0x1000 -s "hi there" --address 4096 \
	"$WORK/second.bin" --string x
expect cell_load_images_and_strings 0 \
	ioctls '^CELL_LOAD id=1 name="" images=4$' \
	ioctls '^image size=8 target=0x1000 data=4142434445464748$' \
	ioctls '^image size=9 target=0x1000 data=6869207468657265(00)$' \
	ioctls '^image size=3 target=0x0 data=78797a$' \
	ioctls '^image size=2 target=0x0 data=7800$'

run cell load 1 -s "" -a 0xffffffffffffffff
expect cell_load_empty_string_high_address 0 \
	ioctls '^image size=1 target=0xffffffffffffffff data=00$'

run cell load 1
expect cell_load_needs_image 1 err '^Usage: ' ioctls '^$'

run cell load 1 -a 0x1000
expect cell_load_address_needs_image 1 err '^Usage: ' ioctls '^$'

run cell load 1 "$WORK/image.bin" -a
expect cell_load_address_missing 1 err '^Usage: ' ioctls '^$'

run cell load 1 -s
expect cell_load_string_missing 1 err '^Usage: ' ioctls '^$'

run cell load 1 "$WORK/image.bin" -a 0x10zz
expect cell_load_bad_address 1 err '^invalid address: 0x10zz$' ioctls '^$'

run cell load 1 "$WORK/image.bin" -a -5
expect cell_load_negative_address 1 err '^invalid address: -5$' ioctls '^$'

run cell load 1 "$WORK/image.bin" -a 0x10000000000000000
expect cell_load_address_overflow 1 err 'invalid address' ioctls '^$'

run cell load 1 "$WORK/image.bin" -x
expect cell_load_unknown_option 1 err '^Usage: ' ioctls '^$'

run cell load 1 "$WORK/image.bin" "$WORK/nonexistent.bin"
expect cell_load_missing_image 1 \
	err 'nonexistent.bin: No such file or directory' ioctls '^$'

IOCTL_ERRNO=22 run cell load 1 -s abc
expect cell_load_ioctl_error 1 err '^JAILHOUSE_CELL_LOAD: Invalid argument$'

# --- console ------------------------------------------------------------

rm -f "$ROOT/dev/jailhouse"
run console
expect console_without_driver 1 \
	err "$ROOT/dev/jailhouse: No such file or directory"

mkdir -p "$SYS"
echo 1 > "$SYS/enabled"
printf 'Initializing Jailhouse hypervisor\nActivating hypervisor\n' \
	> "$ROOT/dev/jailhouse"
run console
expect console_prints_buffer 0 out '^Initializing Jailhouse hypervisor$' \
	out '^Activating hypervisor$'

printf 'from the device\n' > "$ROOT/dev/jailhouse"
run console -f
expect console_follow_reads_device 0 out '^from the device$'
run console --follow
expect console_follow_long 0 out '^from the device$'
: > "$ROOT/dev/jailhouse"

run console -x
expect console_bad_option 1 err '^Usage: '

# --- cell list / stats -------------------------------------------------

run cell list
expect cell_list_no_cells 0 out '^ID +Name +State +Assigned CPUs +Failed CPUs$'

rm -rf "$ROOT/sys"
run cell list
expect cell_list_without_driver 1 err 'is the jailhouse driver loaded'
mkdir -p "$SYS"

# make_cell ID NAME STATE CPUS FAILED
make_cell()
{
	local d=$SYS/cells/$1
	mkdir -p "$d/statistics"
	echo "$2" > "$d/name"
	echo "$3" > "$d/state"
	echo "$4" > "$d/cpus_assigned_list"
	echo "$5" > "$d/cpus_failed_list"
}

# stat CELL CPU|"" COUNTER VALUE
stat_counter()
{
	local d=$SYS/cells/$1/statistics
	[ -n "$2" ] && d=$d/cpu$2
	mkdir -p "$d"
	echo "$4" > "$d/$3"
}

make_cell 0 qemu-arm64 running 0-1 ""
make_cell 10 a-cell-with-a-rather-long-name "running/locked" 3 ""
make_cell 2 inmate-demo failed 2 2
run cell list
expect cell_list 0 \
	out '^ID      Name                    State             Assigned CPUs           Failed CPUs$' \
	out '^0       qemu-arm64              running           0-1$' \
	out '^2       inmate-demo             failed            2                       2$' \
	out '^10      a-cell-with-a-rather-long-name running/locked    3$'
order=$(echo "$out" | cut -c1-3 | tr -d ' \n')
[ "$order" = "ID0210" ]
result cell_list_sorted_by_id $((1 - $?)) "  order: $order"

run cell list extra
expect cell_list_no_arguments 1 err '^Usage: '

for c in vmexits_total vmexits_mmio vmexits_psci vmexits_hypercall; do
	stat_counter 0 "" $c 0
	stat_counter 0 0 $c 0
	stat_counter 0 1 $c 0
done
stat_counter 0 "" vmexits_total 4000000000
stat_counter 0 0 vmexits_total 3999999000
stat_counter 0 1 vmexits_total 1000
# the sum shown is that of the CPU values shown, read in one go
stat_counter 0 "" vmexits_mmio 999
stat_counter 0 0 vmexits_mmio 3
stat_counter 0 1 vmexits_mmio 4
stat_counter 0 "" vmexits_psci 2
stat_counter 0 1 vmexits_psci 2

run cell stats 0
expect cell_stats 0 out '^Statistics for qemu-arm64 cell$' \
	out '^COUNTER +SUM +CPU0 +CPU1$' \
	out '^vmexits_total +4000000000 +3999999000 +1000$' \
	out '^vmexits_mmio +7 +3 +4$' \
	out '^vmexits_psci +2 +0 +2$'
order=$(echo "$out" | grep ^vmexits | cut -d' ' -f1 | tr '\n' ' ')
[ "$order" = "vmexits_total vmexits_mmio vmexits_hypercall vmexits_psci " ]
result cell_stats_abi_order $((1 - $?)) "  order: $order"

run cell stats --name qemu-arm64
expect cell_stats_by_name 0 out '^vmexits_mmio +7 +3 +4$'

run cell stats inmate-demo
expect cell_stats_empty 0 out '^Statistics for inmate-demo cell$' \
	out '^COUNTER +SUM$'

# without per-CPU values the summed file is shown
stat_counter 2 "" vmexits_total 55
run cell stats inmate-demo
expect cell_stats_sum_only 0 out '^vmexits_total +55$'

run cell stats 5
expect cell_stats_unknown_id 1 err '^cell 5: No such file or directory$'

run cell stats nosuch
expect cell_stats_unknown_name 1 \
	err '^cell "nosuch": No such file or directory$'

echo garbage > "$SYS/cells/0/statistics/cpu1/vmexits_mmio"
run cell stats 0
expect cell_stats_bad_counter 1 err 'cpu1/vmexits_mmio: not a number'

# --- helpers ------------------------------------------------------------

run config create out.c
expect config_helper_missing 1 err 'jailhouse-config-create not found'

helper=$(cd "$(dirname "$TOOL")" && pwd)/jailhouse-config-test
printf '#!/bin/sh\necho "helper $0 args: $*"\nexit 3\n' > "$helper"
chmod +x "$helper"
run config test -x "a b"
expect config_runs_helper 3 out "^helper $helper args: -x a b$"
printf '#!/nonexistent/python3\n' > "$helper"
run config test
expect config_helper_interpreter_missing 1 \
	err "jailhouse-config-test: cannot run it, its interpreter is missing"
rm -f "$helper"

run config ../../bin/sh
expect config_rejects_path 1 err 'invalid command name'

run config
expect config_needs_command 1 err '^Usage: '

run hardware check
expect hardware_check 1 err 'hardware check: not supported on'

# "cell linux" is the tool's own (tests/config/test_cell_linux.py tests it)
run cell linux "$WORK/missing.cell" kernel
expect cell_linux_built_in 1 err 'missing.cell: No such file or directory'

# --- summary ------------------------------------------------------------

echo "[==========] $((passed + failed)) test(s) run."
echo "[  PASSED  ] $passed test(s)."
if [ $failed -gt 0 ]; then
	echo "[  FAILED  ] $failed test(s), listed below:"
	for n in "${failed_names[@]}"; do
		echo "[  FAILED  ] $n"
	done
	exit 1
fi
exit 0
