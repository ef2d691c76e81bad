/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interrupt controller part of cells and CPUs on x86.  The root cell
 * gets physical interrupts directly in guest mode (no INTR intercept), so
 * there is no state yet; the LAPIC and IOAPIC virtualization of non-root
 * cells will live here (Documentation/x86.md, "Left to do").
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
