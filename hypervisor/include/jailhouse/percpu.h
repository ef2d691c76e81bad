/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU areas: one per CPU id behind the hypervisor image, each holding
 * the CPU's stack, its bootstrap page tables, Linux's saved EL2 state and
 * its runtime data.  The driver does not clear them; the entry code does.
 */
#ifndef _JAILHOUSE_PERCPU_H
#define _JAILHOUSE_PERCPU_H

#include <jailhouse/types.h>
#include <asm/percpu.h>

#define PERCPU_STACK_SIZE	(16 * 1024)

struct cell;

struct per_cpu {
	u8 stack[PERCPU_STACK_SIZE] __attribute__((aligned(4096)));
	struct arch_per_cpu arch;

	unsigned int cpu_id;
	u64 mpidr;
	struct cell *cell;
	u32 stats[NUM_CPU_STATS];
	struct irqchip_percpu irq;

	/* irqchip_cpu_init succeeded: undo it when leaving */
	bool irqchip_initialized;
	/* the CPU stopped on an unrecoverable error of its cell */
	bool failed;
	/*
	 * The hypervisor is being disabled: the parked CPU leaves it for
	 * good once it looks at its requests.
	 */
	bool shutdown_requested;
} __attribute__((aligned(4096)));

static inline struct per_cpu *this_cpu_data(void)
{
	return arch_get_cpu_data();
}

static inline unsigned int this_cpu_id(void)
{
	return this_cpu_data()->cpu_id;
}

static inline struct cell *this_cell(void)
{
	return this_cpu_data()->cell;
}

/* Start of the per-CPU areas: the page-aligned end of the image. */
extern struct per_cpu __hv_core_end[];

static inline struct per_cpu *per_cpu(unsigned int cpu)
{
	return &__hv_core_end[cpu];
}

#endif /* !_JAILHOUSE_PERCPU_H */
