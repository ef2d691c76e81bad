// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The timer's lateness, measured as gic-demo and apic-demo report it (the
 * tests and bench/gic-jitter.py read their lines).
 */
#include <lib.h>

static u64 period, deadline;
static unsigned long long count, fired;
static u64 min_ns = ~0ULL, max_ns, sum_ns;
static bool quiet;
static volatile bool done;

static void timer_handler(unsigned int irq)
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

/**
 * timer_jitter() - Report how late the timer's interrupts come.
 * @irq:		the timer's interrupt (TIMER_IRQ, TIMER_VECTOR)
 * @period_ticks:	between deadlines
 * @interrupts:		how many, then a summary line and the timer stops;
 *			0: forever
 * @no_lines:		no line per interrupt
 *
 * Each interrupt's lateness is from the deadline to the handler's first
 * counter read, with the minimum and maximum so far.  Call once.
 */
void timer_jitter(unsigned int irq, u64 period_ticks,
		  unsigned long long interrupts, bool no_lines)
{
	period = period_ticks;
	count = interrupts;
	quiet = no_lines;
	irq_register(irq, timer_handler);

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
