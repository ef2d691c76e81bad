/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interrupt controller interface of the arm64 arch code.  gic-common.c
 * implements it over the GIC version's driver (asm/gic.h); traps.c,
 * setup.c and control code call it.  The global and per-cell set-up are
 * not part of it: the interrupt controller is a unit (jailhouse/unit.h)
 * for those.
 *
 * The hypervisor takes every physical interrupt at EL2 (HCR_EL2.IMO/FMO),
 * acknowledges it, and injects it into the cell owning it through the
 * list registers.
 */
#ifndef _JAILHOUSE_ASM_IRQCHIP_H
#define _JAILHOUSE_ASM_IRQCHIP_H

#include <jailhouse/types.h>

struct cell;
struct per_cpu;

/* SGI the hypervisor uses between its CPUs; guests may not send it. */
#define SGI_HYPERVISOR		15

/* INTIDs the irqchip state covers: SGIs, PPIs and SPIs. */
#define IRQCHIP_NUM_IRQS	1024
/* List registers used at most (GICv3 has no more; GICv2 up to 64). */
#define IRQCHIP_MAX_LRS		16

/* Per-CPU irqchip state, embedded in struct per_cpu as "irq". */
struct irqchip_percpu {
	unsigned int num_lrs;
	/*
	 * Virtual interrupts waiting for a free list register.  One bit per
	 * INTID, so that nothing is ever lost and a repeated interrupt
	 * coalesces, as on the GIC itself.  Like the list registers, only
	 * the CPU itself touches them, at EL2 with interrupts masked: other
	 * CPUs reach it through the physical GIC (a pending SPI or SGI), so
	 * no lock.
	 */
	unsigned int num_pending;
	unsigned long pending[IRQCHIP_NUM_IRQS / BITS_PER_LONG];
	/* ... with an active physical interrupt behind (list register HW) */
	unsigned long pending_hw[IRQCHIP_NUM_IRQS / BITS_PER_LONG];
	u8 pending_priority[IRQCHIP_NUM_IRQS];
};

/* Per-cell irqchip state, embedded in struct cell as "irq". */
struct irqchip_cell {
	/* bit n set: SPI n belongs to the cell (SGIs/PPIs go with the CPU) */
	unsigned long irq_bitmap[IRQCHIP_NUM_IRQS / BITS_PER_LONG];
};

/* Per-CPU set-up: the CPU's GIC interfaces, EL2 virtual CPU interface. */
int irqchip_cpu_init(struct per_cpu *cpu_data);
/* Undo irqchip_cpu_init: hand pending interrupts back to EL1. */
void irqchip_cpu_shutdown(struct per_cpu *cpu_data);
/*
 * The calling CPU starts afresh in cpu_data->cell (PSCI CPU_ON, cell start
 * or reset): virtual CPU interface and the CPU's SGIs and PPIs as after
 * reset, nothing left of its former guest.
 */
void irqchip_cpu_reset(struct per_cpu *cpu_data);

/* An interrupt exit: acknowledge and inject or handle. */
void irqchip_handle_irq(void);
/* A FIQ exit: the hypervisor's SGI under direct delivery. */
void irqchip_handle_fiq(void);
/*
 * Direct delivery (JAILHOUSE_CELL_DIRECT_IRQS, which the cell init checked
 * the GIC can do) on the calling CPU, on when it starts in its cell, off
 * when it parks.
 */
void irqchip_cpu_direct(struct per_cpu *cpu_data, bool on);
/*
 * A WFI of a direct cell's CPU (HCR_EL2.TWI): the CPU waits here, where the
 * hypervisor's SGI ends the wait as well as the cell's interrupts.  A cell
 * that raised its running priority above that SGI's, which stops nothing
 * there, does not wait at all: a WFI may end at any time.
 */
void irqchip_direct_wfi(void);
/* Trapped write of ICC_SGI1R_EL1 by the current cell (GICv3). */
void irqchip_handle_sgi1r_write(u64 value);

/* Send SGI_HYPERVISOR to a CPU (management requests between CPUs). */
void irqchip_send_hypervisor_sgi(unsigned int cpu_id);

/* Is the interrupt owned by the cell? */
bool irqchip_irq_in_cell(struct cell *cell, unsigned int irq_id);

#endif /* !_JAILHOUSE_ASM_IRQCHIP_H */
