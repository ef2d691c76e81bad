// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The EL1 virtual timer (CNTV_*) and its counter; delay_us() and the
 * conversions to ns are in delay.c.
 */
#include "lib.h"

#define CNTV_CTL_ENABLE		(1 << 0)

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
	if (!timer_end_delay())
		return false;
	timer_stop();
	return true;
}
