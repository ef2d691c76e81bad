// SPDX-License-Identifier: GPL-2.0
/*
 * apic-demo: the x86 counterpart of gic-demo.  The local APIC timer fires
 * periodically; each interrupt reports how late it came (from the TSC
 * deadline to the handler's first TSC read), with the minimum and maximum
 * so far, in gic-demo's format.
 *
 * Command line: period-us=N (100000), count=N (interrupts, then a summary
 * line and the timer stops; 0 = forever), quiet (no line per interrupt),
 * tsc-deadline (the APIC timer in TSC-deadline mode if the CPU has it,
 * else one-shot), xapic (without a hypervisor: xAPIC even if the CPU has
 * x2APIC), x2apic (in a cell: x2APIC mode).
 */
#include <inmate.h>

void inmate_main(void)
{
	u64 period_us = cmdline_parse_int("period-us", 100000);
	unsigned long long count = cmdline_parse_int("count", 0);
	bool quiet = cmdline_parse_bool("quiet", false);

	printk("\napic-demo: running on %s, %s, timer %llu Hz, "
	       "period %llu us, %s, APIC timer %u kHz\n", platform.name,
	       platform.x2apic ? "x2APIC" : "xAPIC", timer_get_frequency(),
	       period_us, timer_mode_name(), platform.apic_khz);

	timer_jitter(TIMER_VECTOR, timer_ns_to_ticks(period_us * 1000), count,
		     quiet);
}
