/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interrupt controller part of cells and CPUs on x86.  Every cell
 * gets physical interrupts directly in guest mode (no INTR intercept) and
 * its CPUs own their local APICs, so there is no state here; what the APIC
 * filtering keeps per CPU is in struct arch_per_cpu (apic.c).
 */
#ifndef _JAILHOUSE_ASM_IRQCHIP_H
#define _JAILHOUSE_ASM_IRQCHIP_H

struct cell;
struct per_cpu;

/* Per-CPU irqchip state, embedded in struct per_cpu as "irq". */
struct irqchip_percpu {
};

/* Per-cell irqchip state, embedded in struct cell as "irq". */
struct irqchip_cell {
};

#endif /* !_JAILHOUSE_ASM_IRQCHIP_H */
