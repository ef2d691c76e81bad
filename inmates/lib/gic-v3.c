// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * GICv3: distributor and redistributors in memory, CPU interface through
 * system registers.  Interrupts are group 1, priority IRQ_PRIORITY.
 */
#include "lib.h"

#define GICD_CTLR_ENABLE_G1	(1 << 0)
#define GICD_CTLR_ENABLE_G1A	(1 << 1)
#define GICD_CTLR_ARE_NS	(1 << 4)
#define GICD_CTLR_RWP		(1U << 31)

#define GICR_TYPER		0x0008
#define GICR_TYPER_VLPIS	(1 << 1)
#define GICR_TYPER_LAST		(1 << 4)
#define GICR_WAKER		0x0014
#define GICR_WAKER_SLEEP	(1 << 1)
#define GICR_WAKER_ASLEEP	(1 << 2)
#define GICR_FRAME		0x20000
#define GICR_FRAME_VLPI		0x40000
#define GICR_SGI_BASE		0x10000

#define ICC_SRE_SRE		(1 << 0)

static unsigned long redist[MAX_CPUS];

/* Affinity as GICR_TYPER[63:32] and GICD_IROUTER have it */
static u32 mpidr_to_aff(u64 mpidr)
{
	return (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24;
}

static void wait_for_rwp(void)
{
	while (mmio_read32(platform.gicd_base + GICD_CTLR) & GICD_CTLR_RWP)
		cpu_relax();
}

/*
 * A cell finds the distributor enabled by the root; only on a machine of
 * its own does the program enable it.
 */
static int gic_v3_init(void)
{
	unsigned long ctlr = platform.gicd_base + GICD_CTLR;

	if (mmio_read32(ctlr) & GICD_CTLR_ENABLE_G1A)
		return 0;
	mmio_write32(ctlr, GICD_CTLR_ARE_NS);
	wait_for_rwp();
	mmio_write32(ctlr, GICD_CTLR_ARE_NS | GICD_CTLR_ENABLE_G1A |
		     GICD_CTLR_ENABLE_G1);
	wait_for_rwp();
	return 0;
}

/* The redistributor whose affinity is ours, as Linux finds it */
static unsigned long find_redist(u32 aff)
{
	unsigned long frame = platform.gicr_base;
	u32 typer;

	for (;;) {
		typer = mmio_read32(frame + GICR_TYPER);
		if (mmio_read32(frame + GICR_TYPER + 4) == aff)
			return frame;
		if (typer & GICR_TYPER_LAST)
			return 0;
		frame += typer & GICR_TYPER_VLPIS ? GICR_FRAME_VLPI :
			GICR_FRAME;
	}
}

static void gic_v3_cpu_init(void)
{
	unsigned long rd = find_redist(mpidr_to_aff(cpu_mpidr()));
	u32 waker;
	u64 sre;

	if (!rd) {
		printk("GICv3: no redistributor for CPU 0x%llx at 0x%lx\n",
		       cpu_mpidr(), platform.gicr_base);
		comm_region_set_state(JAILHOUSE_CELL_FAILED);
		halt();
	}
	redist[this_cpu_index()] = rd;

	waker = mmio_read32(rd + GICR_WAKER);
	if (waker & GICR_WAKER_SLEEP) {
		mmio_write32(rd + GICR_WAKER, waker & ~GICR_WAKER_SLEEP);
		while (mmio_read32(rd + GICR_WAKER) & GICR_WAKER_ASLEEP)
			cpu_relax();
	}

	/* under a hypervisor it is set already, and writing it may trap */
	sre = read_sysreg(icc_sre_el1);
	if (!(sre & ICC_SRE_SRE)) {
		write_sysreg(icc_sre_el1, sre | ICC_SRE_SRE);
		isb();
	}
	write_sysreg(icc_pmr_el1, 0xf0);
	write_sysreg(icc_bpr1_el1, 0);
	/* EOImode 0: writing EOIR also deactivates */
	write_sysreg(icc_ctlr_el1, 0);
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
}

static void gic_v3_enable(unsigned int irq, bool enable)
{
	unsigned long base = platform.gicd_base;
	u32 bit = 1U << (irq % 32);
	unsigned long reg = (irq / 32) * 4;
	u32 aff;

	if (irq < 32)
		base = redist[this_cpu_index()] + GICR_SGI_BASE;

	if (!enable) {
		mmio_write32(base + GICD_ICENABLER + reg, bit);
		return;
	}

	mmio_write32(base + GICD_IGROUPR + reg,
		     mmio_read32(base + GICD_IGROUPR + reg) | bit);
	mmio_write8(base + GICD_IPRIORITYR + irq, IRQ_PRIORITY);
	if (irq >= 32) {
		aff = mpidr_to_aff(cpu_mpidr());
		mmio_write32(base + GICD_IROUTER + irq * 8, aff & 0xffffff);
		mmio_write32(base + GICD_IROUTER + irq * 8 + 4, aff >> 24);
	}
	mmio_write32(base + GICD_ISENABLER + reg, bit);
}

static u32 gic_v3_ack(void)
{
	u32 iar = read_sysreg(icc_iar1_el1);

	/* the handler may read what the interrupt's source wrote */
	dsb(sy);
	return iar;
}

static void gic_v3_eoi(u32 iar)
{
	write_sysreg(icc_eoir1_el1, iar);
	isb();
}

/* Aff0 of the target must be below 16, as on every system we know */
static void gic_v3_send_sgi(u64 mpidr, unsigned int sgi)
{
	u64 val = (mpidr >> 32 & 0xff) << 48 | (mpidr >> 16 & 0xff) << 32 |
		(mpidr >> 8 & 0xff) << 16 | (u64)(sgi & 0xf) << 24 |
		1U << (mpidr & 0xf);

	dsb(ish);
	write_sysreg(icc_sgi1r_el1, val);
	isb();
}

const struct gic_ops gic_v3_ops = {
	.init = gic_v3_init,
	.cpu_init = gic_v3_cpu_init,
	.enable = gic_v3_enable,
	.ack = gic_v3_ack,
	.eoi = gic_v3_eoi,
	.send_sgi = gic_v3_send_sgi,
};
