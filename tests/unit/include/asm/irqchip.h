/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host substitute for the hypervisor's asm/irqchip.h: the core only embeds
 * these structures, it never looks inside.
 */
#ifndef _TEST_ASM_IRQCHIP_H
#define _TEST_ASM_IRQCHIP_H

#include <jailhouse/types.h>

struct per_cpu;

#define IRQCHIP_NUM_IRQS	1024

struct irqchip_percpu {
	int unused;
};

struct irqchip_cell {
	unsigned long irq_bitmap[IRQCHIP_NUM_IRQS / BITS_PER_LONG];
};

#endif /* !_TEST_ASM_IRQCHIP_H */
