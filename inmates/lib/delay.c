// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * What every architecture's timer (timer.c) shares: conversions between
 * the counter's ticks and ns, and delay_us().
 */
#include <lib.h>

#define NSEC_PER_SEC		1000000000ULL

/* How long the boot CPU may sleep before it looks for messages again */
#define MESSAGE_POLL_US		10000

/* a delay_us() in progress on a CPU */
static volatile bool delay_pending[MAX_CPUS];

/* Both without overflow for any frequency below 2^32 Hz */
u64 timer_ticks_to_ns(u64 ticks)
{
	u64 freq = timer_get_frequency();

	return ticks / freq * NSEC_PER_SEC +
		ticks % freq * NSEC_PER_SEC / freq;
}

u64 timer_ns_to_ticks(u64 ns)
{
	u64 freq = timer_get_frequency();

	return ns / NSEC_PER_SEC * freq + ns % NSEC_PER_SEC * freq /
		NSEC_PER_SEC;
}

/**
 * timer_end_delay() - The timer's interrupt, for delay_us().
 *
 * Return: true if the interrupt ends a delay_us() of this CPU, false if
 * it is the program's.
 */
bool timer_end_delay(void)
{
	unsigned int cpu = this_cpu_index();

	if (!delay_pending[cpu])
		return false;
	delay_pending[cpu] = false;
	return true;
}

/**
 * delay_us() - Sleep for a while.
 * @us:	microseconds
 *
 * The CPU sleeps in wait_for_interrupt() until the timer fires.  The boot
 * CPU answers the hypervisor's messages whenever its sleep ends: this
 * hypervisor ends it with an exit when it posts a message; and it wakes
 * up at least every MESSAGE_POLL_US for a hypervisor that sends nothing
 * with a message and waits only msg_reply_timeout for the answer.  The
 * timer must not be in use by the caller.
 */
void delay_us(u64 us)
{
	u64 deadline = timer_get_ticks() + timer_ns_to_ticks(us * 1000);
	u64 slice = timer_ns_to_ticks(MESSAGE_POLL_US * 1000);
	unsigned int cpu = this_cpu_index();
	unsigned long flags;
	u64 now;

	flags = local_irq_save();
	while ((now = timer_get_ticks()) < deadline) {
		delay_pending[cpu] = true;
		timer_arm(cpu == 0 && deadline - now > slice ?
			  now + slice : deadline);
		while (delay_pending[cpu]) {
			wait_for_interrupt();
			if (cpu == 0)
				comm_region_poll();
		}
	}
	local_irq_restore(flags);
}
