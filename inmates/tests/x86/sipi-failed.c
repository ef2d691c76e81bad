// SPDX-License-Identifier: GPL-2.0
/*
 * sipi-failed: a CPU of the cell that the hypervisor stopped cannot be
 * started again by its sibling, only by the cell's next start; otherwise
 * a cell could fail and restart a CPU of its own in a loop, each round
 * reported on the console.
 *
 * The boot CPU starts the CPU with APIC ID cpu=N (its own + 1) with INIT
 * and SIPI, which makes the hypervisor stop it (string I/O on 0xcf8);
 * then it sends INIT and SIPI again: "TEST sipi-failed: result first
 * start E, second start E" (0: the CPU came up, -110: it did not in 1 s).
 */
#include <inmate.h>

#define PCI_CONFIG_ADDRESS	0xcf8
/* the sibling's time to fail */
#define FAIL_WAIT_US		300000

static const u8 outs_byte;

static void __noreturn fail(void)
{
	/* string I/O the hypervisor does not emulate: the CPU stops */
	asm volatile("outsb" : : "S" (&outs_byte), "d" (PCI_CONFIG_ADDRESS)
		     : "memory");
	printk("TEST sipi-failed: the sibling was not stopped\n");
	halt();
}

void inmate_main(void)
{
	u32 target = cmdline_parse_int("cpu", cpu_apic_id() + 1);
	int first, second;

	printk("TEST sipi-failed: trying INIT and SIPI to APIC ID %u once "
	       "stopped\n", target);
	first = smp_start_cpu(target, fail);
	delay_us(FAIL_WAIT_US);
	second = smp_start_cpu(target, fail);
	printk("TEST sipi-failed: result first start %d, second start %d\n",
	       first, second);
}
