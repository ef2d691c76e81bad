// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The EL1 virtual timer (CNTV_*) and its counter.
 */
#include "lib.h"

#define CNTV_CTL_ENABLE		(1 << 0)

#define NSEC_PER_SEC		1000000000ULL

/* a delay_us() in progress on a CPU */
static volatile bool delay_pending[MAX_CPUS];

u64 timer_get_frequency(void)
{
	return read_sysreg(cntfrq_el0);
}

u64 timer_get_ticks(void)
{
	/* no earlier instruction's counter read may come after this one */
	isb();
	return read_sysreg(cntvct_el0);
}

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
 * timer_arm() - Fire TIMER_IRQ on this CPU once the counter reaches
 *		 a value.
 * @deadline:	counter value (timer_get_ticks())
 */
void timer_arm(u64 deadline)
{
	write_sysreg(cntv_cval_el0, deadline);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	isb();
}

/* Also lowers the interrupt line, so call it before the end of interrupt */
void timer_stop(void)
{
	write_sysreg(cntv_ctl_el0, 0);
	isb();
}

/* From irq_handle(): the interrupt ends a delay_us() of this CPU */
bool timer_handle_delay_irq(void)
{
	unsigned int cpu = this_cpu_index();

	if (!delay_pending[cpu])
		return false;
	timer_stop();
	delay_pending[cpu] = false;
	return true;
}

/* How long the boot CPU may sleep before it looks for messages again */
#define MESSAGE_POLL_US		10000

/**
 * delay_us() - Sleep for a while.
 * @us:	microseconds
 *
 * The CPU sleeps in WFI until the virtual timer fires.  The boot CPU
 * answers the hypervisor's messages whenever its WFI ends: this
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
