// SPDX-License-Identifier: GPL-2.0
/*
 * uart-demo (x86): a greeting, then a counter, one line a second.
 *
 * Command line: count=N (lines, 0 = forever), interval-ms=N (1000),
 * stamp (the greeting ends with the TSC as it was just before the
 * greeting began: bench/management.py times a cell's start to its first
 * output with it).
 */
#include <inmate.h>

void inmate_main(void)
{
	long long count = cmdline_parse_int("count", 0);
	long long interval = cmdline_parse_int("interval-ms", 1000);
	u64 now = timer_get_ticks();
	long long n;

	printk("\nuart-demo: running on %s, CPU %u (APIC ID %u), console %s",
	       platform.name, this_cpu_index(), cpu_apic_id(),
	       console_name());
	if (cmdline_parse_bool("stamp", false))
		printk(", counter %llu", now);
	printk("\n");

	for (n = 1; count <= 0 || n <= count; n++) {
		printk("Hello %lld from cell!\n", n);
		delay_us(interval * 1000);
	}
	printk("uart-demo: done\n");
}
