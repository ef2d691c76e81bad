// SPDX-License-Identifier: GPL-2.0
/*
 * uart-demo: a greeting, then a counter, one line a second.
 *
 * Command line: count=N (lines, 0 = forever), interval-ms=N (1000).
 */
#include <inmate.h>

void inmate_main(void)
{
	long long count = cmdline_parse_int("count", 0);
	long long interval = cmdline_parse_int("interval-ms", 1000);
	long long n;

	printk("\nuart-demo: running on %s, CPU 0x%llx, console %s\n",
	       platform.name, cpu_mpidr(), console_name());

	for (n = 1; count <= 0 || n <= count; n++) {
		printk("Hello %lld from cell!\n", n);
		delay_us(interval * 1000);
	}
	printk("uart-demo: done\n");
}
