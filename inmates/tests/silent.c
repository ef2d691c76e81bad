// SPDX-License-Identifier: GPL-2.0
/*
 * silent: a cell that stopped listening, as after a crash with interrupts
 * masked: it spins forever and never answers the hypervisor's messages.
 *
 * Command line: none.
 *
 * Expected: "spinning", then nothing.  Shutting down, restarting or
 * destroying the cell, or disabling the hypervisor, must still finish
 * within seconds.
 */
#include <inmate.h>

void inmate_main(void)
{
	printk("TEST silent: spinning with interrupts masked\n");
	local_irq_disable();
	for (;;)
		cpu_relax();
}
