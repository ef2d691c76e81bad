// SPDX-License-Identifier: GPL-2.0
/*
 * GICv3: the cells' views of the distributor and the redistributors.
 * Both trap (nothing of them is in a cell's stage 2) and are filtered by
 * interrupt ownership: a cell sees and changes only its own SPIs, the
 * SGIs and PPIs of its own CPUs, and no LPI machinery (its tables would
 * be memory outside the cell).
 */
#include <jailhouse/bitops.h>
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/mmio.h>
#include <jailhouse/percpu.h>
#include <jailhouse/spinlock.h>
#include <jailhouse/utils.h>
#include <asm/gic.h>
#include <asm/gic_v3.h>
#include <asm/irqchip.h>

static const struct gic_irq_bank gic_irq_banks[] = {
	/*
	 * Interrupt groups: the hypervisor takes Non-secure Group 1 at EL2
	 * only, so the cells get their interrupts in that group and keep it.
	 */
	{ GICD_IGROUPR,		1, GIC_BANK_READ_ONLY },
	{ GICD_ISENABLER,	1, GIC_BANK_SET_CLEAR },
	{ GICD_ICENABLER,	1, GIC_BANK_SET_CLEAR },
	{ GICD_ISPENDR,		1, GIC_BANK_SET_CLEAR },
	{ GICD_ICPENDR,		1, GIC_BANK_SET_CLEAR },
	{ GICD_ISACTIVER,	1, GIC_BANK_SET_CLEAR },
	{ GICD_ICACTIVER,	1, GIC_BANK_SET_CLEAR },
	{ GICD_IPRIORITYR,	8, GIC_BANK_MODIFY, true },
	{ GICD_ICFGR,		2, GIC_BANK_MODIFY },
	{ GICD_IGRPMODR,	1, GIC_BANK_READ_ONLY },
};

/*
 * SGIs and PPIs live in the redistributors; with affinity routing their
 * distributor fields are reserved, so no cell gets them here.
 */
static bool gicd_irq_owned(void *ctx, unsigned int irq, bool is_write)
{
	return irq >= GIC_NUM_PRIVATE_IRQS && irqchip_irq_in_cell(ctx, irq);
}

/* Keep an SPI with a CPU of its cell; other targets become the writer. */
static u64 gic_cell_route(struct cell *cell, u64 route)
{
	unsigned int cpu;

	route &= GICD_IROUTER_IRM | GICD_IROUTER_AFF_MASK;
	if (!(route & GICD_IROUTER_IRM))
		for_each_cpu(cpu, cell)
			if ((per_cpu(cpu)->mpidr & GICD_IROUTER_AFF_MASK) ==
			    route)
				return route;
	return this_cpu_data()->mpidr & GICD_IROUTER_AFF_MASK;
}

static enum mmio_result gicd_access_irouter(struct cell *cell,
					    struct mmio_access *mmio)
{
	unsigned long reg = mmio->address & ~7UL;
	unsigned int irq = (reg - GICD_IROUTER) / 8;
	struct mmio_access route = { .address = reg, .size = 8 };
	enum mmio_result result;

	if ((mmio->size != 8 && mmio->size != 4) || !gic_access_aligned(mmio))
		return gic_bad_access("GICD", mmio);
	if (!irqchip_irq_in_cell(cell, irq))
		return gic_raz_wi(mmio);
	if (!mmio->is_write)
		return mmio_perform_access(gic_v3_gicd, mmio);

	spin_lock(&gic_lock);
	result = mmio_perform_access(gic_v3_gicd, &route);
	if (result == MMIO_HANDLED) {
		if (mmio->size == 8)
			route.value = mmio->value;
		else if (mmio->address & 4)
			route.value = (route.value & 0xffffffffULL) |
				((u64)mmio->value << 32);
		else
			route.value = (route.value & ~0xffffffffULL) |
				(u32)mmio->value;
		route.value = gic_cell_route(cell, route.value);
		route.is_write = true;
		result = mmio_perform_access(gic_v3_gicd, &route);
	}
	spin_unlock(&gic_lock);
	return result;
}

/*
 * Message-based SPIs: only the cell's own may be raised or lowered.  They
 * go through the pending registers, so that they work whether or not the
 * physical distributor has message-based SPIs (GICD_TYPER.MBIS): the
 * cells' Linux may use GICD_SETSPI_NSR as its MSI doorbell (mbi-ranges,
 * Documentation/ivshmem.md).
 */
static enum mmio_result gicd_access_setclrspi(struct cell *cell,
					      struct mmio_access *mmio)
{
	unsigned int intid = mmio->value & GICD_SPI_INTID_MASK;

	if (mmio->size != 4)
		return gic_bad_access("GICD", mmio);
	if (!mmio->is_write)
		return gic_raz_wi(mmio);
	if (intid < GIC_NUM_PRIVATE_IRQS || !irqchip_irq_in_cell(cell, intid))
		return MMIO_HANDLED;
	if (mmio->address == GICD_SETSPI_NSR)
		gic_set_phys_pending(this_cpu_data(), intid);
	else
		mmio_write32(gic_v3_gicd + GICD_ICPENDR +
			     gic_irq_word(intid, 1), BIT(intid % 32));
	return MMIO_HANDLED;
}

/*
 * The distributor's type.  A cell with MSI-X devices has message-based
 * SPIs, emulated above, which its Linux uses with the mbi-ranges of its
 * device tree; the others see the hardware's bit, so that a Linux without
 * mbi-ranges does not look for them.
 */
static enum mmio_result gicd_access_typer(struct cell *cell,
					  struct mmio_access *mmio)
{
	enum mmio_result result = gic_read_only(gic_v3_gicd, "GICD", mmio);

	if (result == MMIO_HANDLED && !mmio->is_write &&
	    gic_cell_has_msix(cell))
		mmio->value |= GICD_TYPER_MBIS;
	return result;
}

/*
 * A direct cell's priorities stay below the hypervisor's SGI, which must
 * preempt whatever the cell handles (Documentation/direct-irqs.md).
 */
static void gic_clamp_priorities(struct cell *cell,
				 const struct gic_irq_bank *bank,
				 struct mmio_access *mmio)
{
	unsigned int n;
	u8 prio;

	if (bank->start != GICD_IPRIORITYR || !mmio->is_write ||
	    !(cell->config->flags & JAILHOUSE_CELL_DIRECT_IRQS))
		return;
	for (n = 0; n < mmio->size; n++) {
		prio = mmio->value >> (8 * n);
		if (prio < GIC_DIRECT_MIN_PRIORITY)
			mmio->value += (unsigned long)(GIC_DIRECT_MIN_PRIORITY -
						       prio) << (8 * n);
	}
}

static enum mmio_result gicd_handle_access(void *arg, struct mmio_access *mmio)
{
	struct cell *cell = arg;
	unsigned long reg = mmio->address;
	const struct gic_irq_bank *bank = gic_find_irq_bank(gic_irq_banks,
		ARRAY_SIZE(gic_irq_banks), reg);

	if (bank) {
		gic_clamp_priorities(cell, bank, mmio);
		return gic_access_irq_bank(gic_v3_gicd, "GICD", bank, mmio,
					   gicd_irq_owned, cell);
	}
	if (reg >= GICD_IROUTER + 8 * GIC_NUM_PRIVATE_IRQS &&
	    reg < GICD_IROUTER + 8 * GIC_FIRST_SPECIAL_INTID)
		return gicd_access_irouter(cell, mmio);
	if (reg >= GICD_IDREGS && reg < GICD_SIZE)
		return gic_read_only(gic_v3_gicd, "GICD", mmio);

	switch (reg) {
	case GICD_CTLR:
		/* routing and groups the hypervisor relies on stay on */
		return gic_access_ctlr(gic_v3_gicd, cell, mmio,
				       GICD_CTLR_ENABLE_GRP0 |
				       GICD_CTLR_ENABLE_GRP1NS |
				       GICD_CTLR_ENABLE_GRP1S |
				       GICD_CTLR_ARE_S | GICD_CTLR_ARE_NS);
	case GICD_TYPER:
		return gicd_access_typer(cell, mmio);
	case GICD_IIDR:
	case GICD_TYPER2:
		return gic_read_only(gic_v3_gicd, "GICD", mmio);
	case GICD_SETSPI_NSR:
	case GICD_CLRSPI_NSR:
		return gicd_access_setclrspi(cell, mmio);
	}
	/*
	 * Reserved, Secure-only, legacy (ITARGETSR, SGIR: reserved with
	 * affinity routing), extended-range and implementation defined.
	 */
	return gic_raz_wi(mmio);
}

/*
 * A CPU's SGIs and PPIs are its cell's, except that the hypervisor's SGI and
 * the maintenance interrupt keep the configuration the hypervisor gave them.
 */
static bool gicr_irq_owned(void *ctx, unsigned int irq, bool is_write)
{
	return irq < GIC_NUM_PRIVATE_IRQS &&
		!(is_write && (gic_hv_irqs_mask() & BIT(irq)));
}

/* RD_base frame; @own: the redistributor belongs to a CPU of the cell. */
static enum mmio_result gicr_access_rd(void *redist, bool own,
				       struct mmio_access *mmio)
{
	unsigned long reg = mmio->address;
	u64 typer;

	/* discovery walks every redistributor: TYPER and IDs for all */
	if (reg == GICR_TYPER || reg == GICR_TYPER + 4) {
		if ((mmio->size != 8 && mmio->size != 4) ||
		    !gic_access_aligned(mmio))
			return gic_bad_access("GICR", mmio);
		if (mmio->is_write)
			return MMIO_HANDLED;
		/* no LPIs: their tables would be memory outside the cell */
		typer = mmio_read64(redist + GICR_TYPER) &
			~(GICR_TYPER_PLPIS | GICR_TYPER_VLPIS |
			  GICR_TYPER_DIRECT_LPI);
		mmio->value = mmio->size == 8 ? typer :
			(u32)(typer >> ((reg & 4) * 8));
		return MMIO_HANDLED;
	}
	if (reg >= GICR_IDREGS && reg < GICR_FRAME_SIZE)
		return gic_read_only(redist, "GICR", mmio);
	if (!own)
		return gic_raz_wi(mmio);

	switch (reg) {
	case GICR_CTLR:
	case GICR_IIDR:
	/* the hypervisor keeps the redistributor awake */
	case GICR_WAKER:
		return gic_read_only(redist, "GICR", mmio);
	}
	/* LPI registers, STATUSR, implementation defined: RAZ/WI */
	return gic_raz_wi(mmio);
}

static enum mmio_result gicr_handle_access(void *arg, struct mmio_access *mmio)
{
	struct cell *cell = arg;
	unsigned long address = mmio->address;
	unsigned long reg = address % gic_v3_gicr_stride;
	void *redist = gic_v3_gicr + (address - reg);
	const struct gic_irq_bank *bank;
	enum mmio_result result;
	unsigned int cpu;
	bool own = false;

	for_each_cpu(cpu, cell)
		if (gic_v3_redist(cpu) == redist)
			own = true;

	if (reg < GICR_SGI_BASE) {
		mmio->address = reg;
		result = gicr_access_rd(redist, own, mmio);
	} else if (reg < GICR_SGI_BASE + GICR_FRAME_SIZE && own) {
		mmio->address = reg - GICR_SGI_BASE;
		bank = gic_find_irq_bank(gic_irq_banks,
					 ARRAY_SIZE(gic_irq_banks),
					 mmio->address);
		if (bank) {
			gic_clamp_priorities(cell, bank, mmio);
			result = gic_access_irq_bank(redist + GICR_SGI_BASE,
						     "GICR SGI", bank, mmio,
						     gicr_irq_owned, NULL);
		} else
			result = gic_raz_wi(mmio);
	} else {
		/* foreign SGI frames and GICv4 virtual LPI frames */
		result = gic_raz_wi(mmio);
	}
	mmio->address = address;
	return result;
}

/* The distributor and the redistributors trap. */
int gic_v3_cell_init(struct cell *cell)
{
	unsigned long gicd_base = system_config->platform_info.arm.gicd_base;
	unsigned long gicr_base = system_config->platform_info.arm.gicr_base;
	int err;

	err = mmio_region_register(cell, gicd_base, GICD_SIZE,
				   gicd_handle_access, cell);
	if (err)
		return err;
	err = mmio_region_register(cell, gicr_base, gic_v3_gicr_size,
				   gicr_handle_access, cell);
	if (err)
		mmio_region_unregister(cell, gicd_base);
	return err;
}

void gic_v3_cell_exit(struct cell *cell)
{
	mmio_region_unregister(cell,
			       system_config->platform_info.arm.gicd_base);
	mmio_region_unregister(cell,
			       system_config->platform_info.arm.gicr_base);
}

unsigned int gic_v3_mmio_count_regions(struct cell *cell)
{
	return 2;
}

