// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Starting more CPUs with PSCI CPU_ON.
 */
#include "lib.h"

#define SECONDARY_STACK		0x1000

static struct cpu_boot boot[MAX_CPUS - 1];
static u8 stacks[MAX_CPUS - 1][SECONDARY_STACK] __aligned(16);
static unsigned int cpus_started;
static DEFINE_SPINLOCK(smp_lock);

/* Called by header.S, MMU on, stack set */
void __noreturn secondary_startup(void)
{
	struct cpu_boot *b = &boot[this_cpu_index() - 1];

	gic_cpu_init();
	b->entry();
	idle();
}

/**
 * smp_start_cpu() - Start a CPU of the cell.
 * @mpidr:	its MPIDR affinity (cpu_mpidr() as it will read it)
 * @entry:	what it runs, at EL1 with interrupts masked; when the
 *		function returns, the CPU sleeps
 *
 * Return: 0, -ENOSPC past MAX_CPUS, or the negative PSCI error of CPU_ON.
 */
int smp_start_cpu(u64 mpidr, void (*entry)(void))
{
	struct cpu_boot *b;
	unsigned int n;
	long ret;

	spin_lock(&smp_lock);
	if (cpus_started == ARRAY_SIZE(boot)) {
		spin_unlock(&smp_lock);
		return -ENOSPC;
	}
	n = cpus_started++;
	spin_unlock(&smp_lock);

	b = &boot[n];
	mmu_fill_boot(b);
	b->stack_top = (unsigned long)stacks[n] + SECONDARY_STACK;
	b->vbar = (unsigned long)vectors;
	b->index = n + 1;
	b->entry = entry;
	/* the new CPU reads it with its MMU off */
	dcache_clean_range(b, sizeof(*b));

	ret = psci_call(PSCI_CPU_ON_64, mpidr, (unsigned long)secondary_entry,
			(unsigned long)b);
	/* on failure the slot stays taken: the CPU may start after all */
	return ret == PSCI_SUCCESS ? 0 : ret;
}
