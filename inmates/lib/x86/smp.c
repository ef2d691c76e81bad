// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Starting more CPUs: INIT, then SIPI to the trampoline at the image's
 * start (header.S), one CPU at a time.
 */
#include "lib.h"

#define SECONDARY_STACK		0x2000

#define ICR_INIT		0x00004500	/* INIT, level assert */
#define ICR_SIPI		0x00004600	/* start-up, vector below */

static u8 stacks[MAX_CPUS - 1][SECONDARY_STACK] __aligned(16);
static unsigned int cpus_started;

/* The CPU being started: header.S takes the stack, smp_ap_entry the rest */
unsigned long smp_ap_stack;
static unsigned int ap_index;
static void (*ap_entry)(void);
static volatile bool ap_up;

/* Called by header.S on a CPU started by SIPI, long mode, stack set */
void __noreturn smp_ap_entry(void)
{
	void (*entry)(void) = ap_entry;

	percpu_init(ap_index);
	idt_load();
	apic_cpu_init();
	timer_cpu_init();
	/* from here on the boot CPU may start the next one */
	__atomic_store_n(&ap_up, true, __ATOMIC_RELEASE);

	entry();
	idle();
}

/**
 * smp_start_cpu() - Start another CPU of the cell, numbered 1, 2, ...
 * @apic_id:	its local APIC ID
 * @entry:	what it runs, interrupts masked; when it returns, the CPU
 *		sleeps
 *
 * INIT, 10 ms, SIPI, 200 us, SIPI (a CPU that took the first ignores the
 * second), as the processor manuals say to start a CPU; then it waits up
 * to a second for the CPU to come up.  Only the boot CPU calls it.
 *
 * Return: 0, -ENOSPC past MAX_CPUS, -ETIMEDOUT if it did not come up.
 */
int smp_start_cpu(u32 apic_id, void (*entry)(void))
{
	u32 vector = (unsigned long)__trampoline >> 12;
	u64 timeout;

	if (cpus_started == MAX_CPUS - 1)
		return -ENOSPC;

	/* on failure the slot stays taken: the CPU may start after all */
	ap_index = ++cpus_started;
	ap_entry = entry;
	smp_ap_stack = (unsigned long)stacks[ap_index - 1] + SECONDARY_STACK;
	ap_up = false;
	barrier();

	irq_send_icr(apic_id, ICR_INIT);
	delay_us(10000);
	irq_send_icr(apic_id, ICR_SIPI | vector);
	delay_us(200);
	if (!ap_up)
		irq_send_icr(apic_id, ICR_SIPI | vector);

	timeout = timer_get_ticks() + timer_ns_to_ticks(1000000000ULL);
	while (!__atomic_load_n(&ap_up, __ATOMIC_ACQUIRE))
		if (timer_get_ticks() > timeout)
			return -ETIMEDOUT;
	return 0;
}
