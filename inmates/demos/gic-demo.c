// SPDX-License-Identifier: GPL-2.0
/*
 * gic-demo: the virtual timer fires periodically; each interrupt reports
 * how late it came (from the deadline to the handler's first counter
 * read), with the minimum and maximum so far.
 *
 * Command line: period-us=N (100000), count=N (interrupts, then a summary
 * line and the timer stops; 0 = forever), quiet (no line per interrupt).
 */
#include <inmate.h>

void inmate_main(void)
{
	u64 period_us = cmdline_parse_int("period-us", 100000);
	unsigned long long count = cmdline_parse_int("count", 0);
	bool quiet = cmdline_parse_bool("quiet", false);

	printk("\ngic-demo: running on %s, GICv%u, timer %llu Hz, "
	       "period %llu us\n", platform.name, platform.gic_version,
	       timer_get_frequency(), period_us);

	timer_jitter(TIMER_IRQ, timer_ns_to_ticks(period_us * 1000), count,
		     quiet);
}
