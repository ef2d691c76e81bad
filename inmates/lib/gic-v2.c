// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * GICv2: distributor and CPU interface in memory (in a cell, the CPU
 * interface is the virtual one the hypervisor maps there).
 */
#include "lib.h"

#define GICD_CTLR_ENABLE	(1 << 0)

#define GICC_CTLR		0x0000
#define GICC_CTLR_ENABLE	(1 << 0)
#define GICC_PMR		0x0004
#define GICC_BPR		0x0008
#define GICC_IAR		0x000c
#define GICC_EOIR		0x0010

static int gic_v2_init(void)
{
	unsigned long ctlr = platform.gicd_base + GICD_CTLR;

	if (!platform.gicc_base)
		return -EINVAL;
	/* a cell finds the distributor enabled by the root */
	if (!(mmio_read32(ctlr) & GICD_CTLR_ENABLE))
		mmio_write32(ctlr, GICD_CTLR_ENABLE);
	return 0;
}

static void gic_v2_cpu_init(void)
{
	mmio_write32(platform.gicc_base + GICC_PMR, 0xf0);
	mmio_write32(platform.gicc_base + GICC_BPR, 0);
	mmio_write32(platform.gicc_base + GICC_CTLR, GICC_CTLR_ENABLE);
}

static void gic_v2_enable(unsigned int irq, bool enable)
{
	unsigned long base = platform.gicd_base;
	unsigned long reg = (irq / 32) * 4;
	u32 bit = 1U << (irq % 32);

	if (!enable) {
		mmio_write32(base + GICD_ICENABLER + reg, bit);
		return;
	}

	mmio_write8(base + GICD_IPRIORITYR + irq, IRQ_PRIORITY);
	/* the banked ITARGETSR of interrupt 0 names the reading CPU */
	if (irq >= 32)
		mmio_write8(base + GICD_ITARGETSR + irq,
			    mmio_read8(base + GICD_ITARGETSR));
	mmio_write32(base + GICD_ISENABLER + reg, bit);
}

static u32 gic_v2_ack(void)
{
	u32 iar = mmio_read32(platform.gicc_base + GICC_IAR);

	dsb(sy);
	return iar;
}

static void gic_v2_eoi(u32 iar)
{
	mmio_write32(platform.gicc_base + GICC_EOIR, iar);
}

/* CPU interface number = Aff0, as on QEMU "virt" (at most 8 CPUs) */
static void gic_v2_send_sgi(u64 mpidr, unsigned int sgi)
{
	dsb(ish);
	mmio_write32(platform.gicd_base + GICD_SGIR,
		     1U << (16 + (mpidr & 0x7)) | (sgi & 0xf));
}

const struct gic_ops gic_v2_ops = {
	.init = gic_v2_init,
	.cpu_init = gic_v2_cpu_init,
	.enable = gic_v2_enable,
	.ack = gic_v2_ack,
	.eoi = gic_v2_eoi,
	.send_sgi = gic_v2_send_sgi,
};
