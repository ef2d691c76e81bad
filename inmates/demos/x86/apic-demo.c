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
 * x2APIC).
 */
#include <inmate.h>

static u64 period, deadline;
static unsigned long long count, fired;
static u64 min_ns = ~0ULL, max_ns, sum_ns;
static bool quiet;
static volatile bool done;

static void timer_handler(unsigned int vector)
{
	u64 jitter = timer_ticks_to_ns(timer_get_ticks() - deadline);

	fired++;
	sum_ns += jitter;
	if (jitter < min_ns)
		min_ns = jitter;
	if (jitter > max_ns)
		max_ns = jitter;
	if (!quiet)
		printk("Timer fired, jitter: %llu ns, min: %llu ns, "
		       "max: %llu ns\n", jitter, min_ns, max_ns);

	if (count && fired == count) {
		timer_stop();
		done = true;
		return;
	}
	/* a fixed schedule: lateness does not accumulate */
	deadline += period;
	timer_arm(deadline);
}

void inmate_main(void)
{
	u64 period_us = cmdline_parse_int("period-us", 100000);

	count = cmdline_parse_int("count", 0);
	quiet = cmdline_parse_bool("quiet", false);
	period = timer_ns_to_ticks(period_us * 1000);

	printk("\napic-demo: running on %s, %s, timer %llu Hz, "
	       "period %llu us, %s, APIC timer %u kHz\n", platform.name,
	       platform.x2apic ? "x2APIC" : "xAPIC", timer_get_frequency(),
	       period_us, timer_mode_name(), platform.apic_khz);

	irq_register(TIMER_VECTOR, timer_handler);

	local_irq_disable();
	deadline = timer_get_ticks() + period;
	timer_arm(deadline);
	while (!done) {
		wait_for_interrupt();
		comm_region_poll();
	}

	printk("Jitter summary: count %llu, min %llu ns, avg %llu ns, "
	       "max %llu ns\n", fired, min_ns, sum_ns / fired, max_ns);
}
