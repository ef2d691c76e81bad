// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Starting more CPUs with PSCI CPU_ON.
 */
#include "lib.h"

#define SECONDARY_STACK		0x1000

/* per CPU index; the boot CPU's is used when it is started again */
static struct cpu_boot boot[MAX_CPUS];
/*
 * The boot CPU, started again, is off before, so its own stack is free:
 * the demo cells' 64 KiB have no room to spare.
 */
static u8 stacks[MAX_CPUS - 1][SECONDARY_STACK] __aligned(16);
extern u8 __stack_top[];
static unsigned int cpus_started;
static DEFINE_SPINLOCK(smp_lock);

/* Called by header.S, MMU on, stack set */
void __noreturn secondary_startup(void)
{
	struct cpu_boot *b = &boot[this_cpu_index()];

	gic_cpu_init();
	b->entry();
	idle();
}

/**
 * smp_cpu_on() - Start a CPU of the cell as CPU number @index.
 * @mpidr:	its MPIDR affinity (cpu_mpidr() as it will read it)
 * @index:	what this_cpu_index() will say on it, below MAX_CPUS; each
 *		index has its stack, so one CPU at a time may use it
 * @entry:	what it runs, at EL1 with interrupts masked; when the
 *		function returns, the CPU sleeps
 *
 * Also for a CPU that ran before and turned itself off (PSCI CPU_OFF).
 *
 * Return: the PSCI result of CPU_ON (PSCI_SUCCESS is 0).
 */
long smp_cpu_on(u64 mpidr, unsigned int index, void (*entry)(void))
{
	struct cpu_boot *b = &boot[index];

	mmu_fill_boot(b);
	b->stack_top = index ? (unsigned long)stacks[index - 1] +
		SECONDARY_STACK : (unsigned long)__stack_top;
	b->vbar = (unsigned long)vectors;
	b->index = index;
	b->entry = entry;
	/* the new CPU reads it with its MMU off */
	dcache_clean_range(b, sizeof(*b));

	return psci_call(PSCI_CPU_ON_64, mpidr, (unsigned long)secondary_entry,
			 (unsigned long)b);
}

/**
 * smp_start_cpu() - Start another CPU of the cell, numbered 1, 2, ...
 * @mpidr:	its MPIDR affinity (cpu_mpidr() as it will read it)
 * @entry:	as for smp_cpu_on()
 *
 * Return: 0, -ENOSPC past MAX_CPUS, or the negative PSCI error of CPU_ON.
 */
int smp_start_cpu(u64 mpidr, void (*entry)(void))
{
	unsigned int n;
	long ret;

	spin_lock(&smp_lock);
	if (cpus_started == MAX_CPUS - 1) {
		spin_unlock(&smp_lock);
		return -ENOSPC;
	}
	n = ++cpus_started;
	spin_unlock(&smp_lock);

	ret = smp_cpu_on(mpidr, n, entry);
	/* on failure the slot stays taken: the CPU may start after all */
	return ret == PSCI_SUCCESS ? 0 : ret;
}
