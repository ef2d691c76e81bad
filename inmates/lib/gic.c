// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Interrupts: handler registration and dispatch over GICv2 or GICv3.
 */
#include "lib.h"

#define MAX_HANDLERS	8

static const struct gic_ops *gic;

static struct {
	unsigned int irq;
	irq_handler_t handler;
} handlers[MAX_HANDLERS];
static DEFINE_SPINLOCK(handlers_lock);

int gic_init(void)
{
	switch (platform.gic_version) {
	case 2:
		gic = &gic_v2_ops;
		break;
	case 3:
		gic = &gic_v3_ops;
		break;
	default:
		return -EINVAL;
	}
	return gic->init();
}

const char *irqchip_name(void)
{
	return platform.gic_version == 2 ? "GICv2" : "GICv3";
}

/* Every CPU, before it takes interrupts; the timer is always let through */
void gic_cpu_init(void)
{
	gic->cpu_init();
	gic->enable(TIMER_IRQ, true);
}

/**
 * irq_register() - Call a function for an interrupt.
 * @irq:	interrupt ID
 * @handler:	called with interrupts masked, before the end of interrupt
 *
 * A second registration for the same interrupt replaces the first.  The
 * interrupt still needs irq_enable() (except the timer), and the CPU must
 * unmask interrupts.
 *
 * Return: 0, or -ENOSPC when all slots are taken.
 */
int irq_register(unsigned int irq, irq_handler_t handler)
{
	int free = -1, n, err = 0;

	spin_lock(&handlers_lock);
	for (n = 0; n < MAX_HANDLERS; n++) {
		if (handlers[n].handler && handlers[n].irq == irq)
			break;
		if (!handlers[n].handler && free < 0)
			free = n;
	}
	if (n == MAX_HANDLERS)
		n = free;
	if (n < 0) {
		err = -ENOSPC;
	} else {
		handlers[n].irq = irq;
		handlers[n].handler = handler;
	}
	spin_unlock(&handlers_lock);
	return err;
}

static irq_handler_t handler_of(unsigned int irq)
{
	unsigned int n;

	for (n = 0; n < MAX_HANDLERS; n++)
		if (handlers[n].handler && handlers[n].irq == irq)
			return handlers[n].handler;
	return NULL;
}

/* SGIs and PPIs: of the calling CPU; SPIs: routed to the calling CPU */
void irq_enable(unsigned int irq)
{
	gic->enable(irq, true);
}

void irq_disable(unsigned int irq)
{
	gic->enable(irq, false);
}

void irq_send_sgi(u64 mpidr, unsigned int sgi)
{
	gic->send_sgi(mpidr, sgi);
}

/**
 * irq_set_edge() - Make an SPI edge-triggered.
 * @irq:	interrupt ID of an SPI
 *
 * Call while it is disabled.  GICv2 and GICv3 configure SPIs alike, two
 * bits per interrupt in the distributor's GICD_ICFGR.
 */
void irq_set_edge(unsigned int irq)
{
	unsigned long reg = platform.gicd_base + GICD_ICFGR + (irq / 16) * 4;

	mmio_write32(reg, mmio_read32(reg) | 2U << (irq % 16 * 2));
}

/**
 * wait_for_interrupt() - Sleep until an interrupt came and was handled.
 *
 * Call with interrupts masked: checking a condition and then sleeping with
 * them masked loses no wake-up, as WFI also ends on a masked interrupt.
 */
void wait_for_interrupt(void)
{
	wfi();
	local_irq_enable();
	isb();
	local_irq_disable();
}

/* From the IRQ vector */
void irq_handle(void)
{
	irq_handler_t handler;
	unsigned int irq;
	u32 iar;

	for (;;) {
		iar = gic->ack();
		irq = iar & 0x3ff;
		if (irq >= IRQ_SPURIOUS)
			break;

		if (irq != TIMER_IRQ || !timer_handle_delay_irq()) {
			handler = handler_of(irq);
			if (handler) {
				handler(irq);
			} else {
				/* would come again and again */
				printk("Unexpected interrupt %u, disabled\n",
				       irq);
				gic->enable(irq, false);
			}
		}
		gic->eoi(iar);
	}
}
