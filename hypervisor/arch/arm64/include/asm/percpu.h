/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arm64 part of a CPU's per-CPU area.  Its first members are laid out
 * for the entry code, which fills them with the MMU off (offsets through
 * asm-defines.h).
 */
#ifndef _JAILHOUSE_ASM_PERCPU_H
#define _JAILHOUSE_ASM_PERCPU_H

#include <jailhouse/types.h>
#include <jailhouse/hypercall.h>
#include <jailhouse/spinlock.h>
#include <asm/irqchip.h>

#define NUM_CPU_STATS		JAILHOUSE_ARM_NUM_CPU_STATS

/*
 * Bootstrap tables: level 0, then levels 1 and 2 for the identity map of
 * the entry code and for the hypervisor at JAILHOUSE_BASE.
 */
#define BOOT_PT_L0		0
#define BOOT_PT_ID_L1		1
#define BOOT_PT_ID_L2		2
#define BOOT_PT_HV_L1		3
#define BOOT_PT_HV_L2		4
#define NUM_BOOT_PT		5

/* Linux's EL2 state, saved on entry and restored on the way out. */
struct linux_el2_state {
	/* by the entry code */
	u64 regs[26];		/* x5 .. x30 */
	u64 sp;
	u64 elr;
	u64 spsr;
	u64 vbar;
	u64 hcr;
	u64 sctlr;
	u64 tcr;
	u64 mair;
	u64 ttbr0;
	u64 tpidr;
	/* by arch_cpu_init */
	u64 cnthctl;
	u64 vtcr;
	u64 vttbr;
	u64 vpidr;
	u64 vmpidr;
	u64 mdcr;
	u64 cptr;
};

/* What a CPU is to do when it next looks at its requests. */
enum cpu_state {
	CPU_STATE_RUNNING,	/* in its cell */
	CPU_STATE_OFF,		/* parked in the hypervisor */
	CPU_STATE_ON_PENDING,	/* CPU_ON accepted, not yet running */
};

struct arch_per_cpu {
	u64 boot_pt[NUM_BOOT_PT][512] __attribute__((aligned(4096)));
	struct linux_el2_state linux_el2;
	/* where the entry code found the hypervisor */
	u64 phys_base;
	/* the CPU runs its cell: leaving returns to the guest frame */
	bool entered;

	/* PSCI and parking, under control_lock */
	spinlock_t control_lock;
	enum cpu_state psci_state;
	unsigned long psci_entry;
	unsigned long psci_context;
	/* the hypervisor stops the CPU's cell: park at the next exit */
	bool park_requested;
	/* interrupts go to the cell without the hypervisor (direct-irqs.md) */
	bool direct;
	/*
	 * An ignored debug register write was reported since the CPU last
	 * started: one message, not one per write of a looping guest.
	 */
	bool debug_write_reported;
};

static inline void *arch_get_cpu_data(void)
{
	void *cpu_data;

	asm volatile("mrs %0, tpidr_el2" : "=r" (cpu_data));
	return cpu_data;
}

#endif /* !_JAILHOUSE_ASM_PERCPU_H */
