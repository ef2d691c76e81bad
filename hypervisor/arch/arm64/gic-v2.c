// SPDX-License-Identifier: GPL-2.0
/*
 * GICv2 driver (asm/gic.h), for a GIC with the virtualization extensions
 * (GIC-400): distributor (GICD), CPU interface (GICC), virtual interface
 * control (GICH) and virtual CPU interface (GICV), all memory-mapped.
 *
 * The hypervisor owns GICC and GICH.  Each cell finds the GICV frame where
 * the system config puts the GICC (stage 2), so the guest's own GIC
 * driver talks to the virtual CPU interface unmodified.  The physical
 * interface runs with EOImode 1 (priority drop at acknowledge, HW list
 * registers let the guest deactivate).  The distributor traps and is
 * filtered by interrupt ownership, GICD_SGIR included.  Linux's CPU
 * interface settings move into GICH_VMCR on the way in and back out.
 * A cell with MSI-X devices gets a virtual GICv2m frame, which only
 * raises the cell's own MSI SPIs (Documentation/ivshmem.md).
 *
 * Register layout from the GIC architecture specification v2 (IHI 0048B).
 */
#include <jailhouse/arch.h>
#include <jailhouse/bitops.h>
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/ivshmem.h>
#include <jailhouse/mmio.h>
#include <jailhouse/paging.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <jailhouse/spinlock.h>
#include <jailhouse/string.h>
#include <jailhouse/utils.h>
#include <asm/gic.h>
#include <asm/irqchip.h>
#include <asm/sysregs.h>

/* Distributor, 4 KiB; the registers both versions have: asm/gic.h */
#define GICD_V2_SIZE			0x1000
#define  GICD_CTLR_ENABLE_MASK		0x3
#define GICD_SGIR			0x0f00
#define  GICD_SGIR_FILTER_SHIFT		24
#define  GICD_SGIR_FILTER_LIST		0
#define  GICD_SGIR_FILTER_OTHERS	1
#define  GICD_SGIR_FILTER_SELF		2
#define  GICD_SGIR_TARGETS_SHIFT	16
#define  GICD_SGIR_INTID_MASK		0xf
#define GICD_CPENDSGIR			0x0f10
#define GICD_SPENDSGIR			0x0f20
#define GICD_V2_IDREGS			0x0fd0
#define GICD_V2_PIDR2			0x0fe8
#define  GICD_V2_PIDR2_ARCH(pidr2)	(((pidr2) >> 4) & 0xf)

/*
 * GICv2m MSI frame (Arm Server Base System Architecture, appendix): the
 * type register gives the first INTID and the number of SPIs.
 */
#define V2M_MSI_TYPER			0x0008
#define  V2M_MSI_TYPER_BASE_SHIFT	16
#define V2M_MSI_SETSPI_NS		0x0040
#define  V2M_MSI_SETSPI_INTID_MASK	0x3ff
#define V2M_MSI_IIDR			0x0fcc

/* CPU interface: 8 KiB, GICC_DIR in the second page */
#define GICC_SIZE			0x2000
#define GICC_CTLR			0x0000
#define  GICC_CTLR_ENABLE		(1 << 0)
#define  GICC_CTLR_EOIMODE		(1 << 9)
#define GICC_PMR			0x0004
#define GICC_BPR			0x0008
#define GICC_IAR			0x000c
#define  GICC_IAR_INTID_MASK		0x3ff
#define GICC_EOIR			0x0010
#define GICC_RPR			0x0014
#define GICC_IIDR			0x00fc
#define GICC_DIR			0x1000
/*
 * A GIC-400 may show each 4 KiB page aliased over a 64 KiB window
 * (ZynqMP): the 8 KiB interface is then contiguous 60 KiB in, in a
 * 128 KiB frame.
 */
#define GIC_ALIAS_WINDOW		0x10000
#define GICC_ALIAS_OFFSET		0xf000
#define GICC_ALIASED_SIZE		0x20000

/*
 * Virtual interface control: the CPU's own, then (GIC-400) every CPU's by
 * number, which no cell may reach either
 */
#define GICH_SIZE			0x1000
#define GICH_FRAME_SIZE			0x2000
#define GICH_HCR			0x0000
#define  GICH_HCR_EN			(1 << 0)
#define  GICH_HCR_UIE			(1 << 1)
#define GICH_VTR			0x0004
#define  GICH_VTR_LISTREGS(vtr)		(((vtr) & 0x3f) + 1)
#define GICH_VMCR			0x0008
#define  GICH_VMCR_GRP0_EN		(1 << 0)
#define  GICH_VMCR_EOIMODE		(1 << 9)
#define  GICH_VMCR_BPR_SHIFT		21
#define  GICH_VMCR_BPR_MASK		0x7
#define  GICH_VMCR_PMR_SHIFT		27
#define  GICH_VMCR_PMR_MASK		0x1f
#define GICH_ELRSR0			0x0030
#define GICH_ELRSR1			0x0034
#define GICH_APR			0x00f0
#define GICH_LR(n)			(0x0100 + 4 * (n))
#define  GICH_LR_VIRQ_MASK		0x3ff
#define  GICH_LR_PHYS_SHIFT		10
#define  GICH_LR_PRIO_SHIFT		23
#define  GICH_LR_PRIO_MASK		0x1f
#define  GICH_LR_PENDING		(1U << 28)
#define  GICH_LR_ACTIVE			(1U << 29)
#define  GICH_LR_HW			(1U << 31)
/* priorities: 5 bits in list registers and GICH_VMCR */
#define GICH_PRIO_SHIFT			3

static void *gicd;
static void *gicc;
static void *gich;
static unsigned long gicc_phys;
/* where the hypervisor's 8 KiB of GICC start in the frame (aliasing) */
static unsigned long gicc_offset;
/* GICV as the cells see it: at gicc_base, with GICC's layout */
static unsigned long gicv_phys, gicv_size;

/* What the driver keeps per CPU. */
struct gic_v2_cpu {
	/* the CPU interface's bit in ITARGETSR and GICD_SGIR */
	u8 target;
	/* Linux's settings handed back on shutdown */
	u32 saved_ctlr;
	u32 saved_hv_irqs_enabled;
	u8 saved_hv_irqs_prio[2];
};

static struct gic_v2_cpu gic_v2_cpus[MAX_CPUS];

static const struct gic_irq_bank gic_v2_banks[] = {
	/* groups: the firmware's, for the hypervisor's interface too */
	{ GICD_IGROUPR,		1, GIC_BANK_READ_ONLY, false },
	{ GICD_ISENABLER,	1, GIC_BANK_SET_CLEAR, false },
	{ GICD_ICENABLER,	1, GIC_BANK_SET_CLEAR, false },
	{ GICD_ISPENDR,		1, GIC_BANK_SET_CLEAR, false },
	{ GICD_ICPENDR,		1, GIC_BANK_SET_CLEAR, false },
	{ GICD_ISACTIVER,	1, GIC_BANK_SET_CLEAR, false },
	{ GICD_ICACTIVER,	1, GIC_BANK_SET_CLEAR, false },
	{ GICD_IPRIORITYR,	8, GIC_BANK_MODIFY, true },
	{ GICD_ITARGETSR,	8, GIC_BANK_MODIFY, true },
	{ GICD_ICFGR,		2, GIC_BANK_MODIFY, false },
};

static struct gic_v2_cpu *gic_v2_cpu(struct per_cpu *cpu_data)
{
	return &gic_v2_cpus[cpu_data->cpu_id];
}

static void gic_v2_read_lr(unsigned int n, struct gic_lr *lr)
{
	u32 val = mmio_read32(gich + GICH_LR(n));

	lr->virq = val & GICH_LR_VIRQ_MASK;
	lr->priority = ((val >> GICH_LR_PRIO_SHIFT) & GICH_LR_PRIO_MASK) <<
		GICH_PRIO_SHIFT;
	lr->hw = !!(val & GICH_LR_HW);
	lr->pending = !!(val & GICH_LR_PENDING);
	lr->active = !!(val & GICH_LR_ACTIVE);
}

/*
 * Group 0: the virtual interface has no security, and the guest's
 * GICC_CTLR.Enable (bit 0) enables group 0 there, signalled as vIRQ.
 * A virtual SGI names CPU interface 0 as its source.
 */
static u32 gic_v2_lr_value(const struct gic_lr *lr)
{
	u32 val;

	if (!lr->pending && !lr->active)
		return 0;
	val = lr->virq | ((u32)(lr->priority >> GICH_PRIO_SHIFT) <<
			  GICH_LR_PRIO_SHIFT);
	if (lr->pending)
		val |= GICH_LR_PENDING;
	if (lr->active)
		val |= GICH_LR_ACTIVE;
	if (lr->hw)
		val |= GICH_LR_HW | (lr->virq << GICH_LR_PHYS_SHIFT);
	return val;
}

static void gic_v2_write_lr(unsigned int n, const struct gic_lr *lr)
{
	mmio_write32(gich + GICH_LR(n), gic_v2_lr_value(lr));
}

static u64 gic_v2_empty_lrs(void)
{
	return mmio_read32(gich + GICH_ELRSR0) |
		((u64)mmio_read32(gich + GICH_ELRSR1) << 32);
}

static bool gic_v2_inject_idle(u64 lrs_mask, unsigned int virq, u8 priority)
{
	struct gic_lr lr = {
		.virq = virq,
		.priority = priority,
		.hw = true,
		.pending = true,
	};
	/* the second register only where more than 32 are implemented */
	u64 empty = mmio_read32(gich + GICH_ELRSR0);

	if ((u32)lrs_mask != lrs_mask)
		empty |= (u64)mmio_read32(gich + GICH_ELRSR1) << 32;
	if (~empty & lrs_mask)
		return false;
	mmio_write32(gich + GICH_LR(0), gic_v2_lr_value(&lr));
	return true;
}

static void gic_v2_set_underflow_irq(bool enable)
{
	u32 hcr = mmio_read32(gich + GICH_HCR);

	if (enable)
		hcr |= GICH_HCR_UIE;
	else
		hcr &= ~GICH_HCR_UIE;
	mmio_write32(gich + GICH_HCR, hcr);
}

static unsigned int gic_v2_ack(u32 *iar, u8 *priority)
{
	u32 val = mmio_read32(gicc + GICC_IAR);
	unsigned int intid = val & GICC_IAR_INTID_MASK;

	if (intid >= GIC_FIRST_SPECIAL_INTID)
		return intid;
	/* the group priority of the interrupt just acknowledged */
	*priority = mmio_read32(gicc + GICC_RPR);
	mmio_write32(gicc + GICC_EOIR, val);
	/* with the source CPU of an SGI, as GICC_DIR wants it */
	*iar = val;
	return intid;
}

static void gic_v2_deactivate(u32 iar)
{
	mmio_write32(gicc + GICC_DIR, iar);
}

static void gic_v2_send_sgi(unsigned int cpu, unsigned int sgi)
{
	mmio_write32(gicd + GICD_SGIR,
		     ((u32)gic_v2_cpus[cpu].target <<
		      GICD_SGIR_TARGETS_SHIFT) | sgi);
}

/* The distributor banks SGIs and PPIs per CPU: one frame for all. */
static void *gic_v2_irq_frame(struct per_cpu *cpu_data, unsigned int irq)
{
	return gicd;
}

/*
 * ISPENDR does not set SGIs: they are pending per source CPU.  The CPU
 * names itself as the source.  One byte, the SGI's own: QEMU's GIC marks
 * every SGI of a word write pending, zero bytes included, with no source,
 * and aborts when Linux acknowledges one of those.
 */
static void gic_v2_set_sgi_pending(struct per_cpu *cpu_data, unsigned int sgi)
{
	mmio_write8(gicd + GICD_SPENDSGIR + sgi, gic_v2_cpu(cpu_data)->target);
}

/* The CPU interfaces of the CPUs of @cell, as an ITARGETSR byte. */
static u8 gic_v2_cell_targets(struct cell *cell)
{
	unsigned int cpu;
	u8 targets = 0;

	for_each_cpu(cpu, cell)
		targets |= gic_v2_cpus[cpu].target;
	return targets;
}

/*
 * A GICD_SGIR write of the cell: SGIs go to the cell's own CPUs only, and
 * never as the hypervisor's.
 */
static void gic_v2_handle_sgir(struct cell *cell, u32 value)
{
	struct per_cpu *cpu_data = this_cpu_data();
	unsigned int sgi = value & GICD_SGIR_INTID_MASK;
	u8 targets;

	cpu_data->stats[JAILHOUSE_CPU_STAT_VMEXITS_VSGI]++;
	if (sgi == SGI_HYPERVISOR)
		return;

	switch ((value >> GICD_SGIR_FILTER_SHIFT) & 0x3) {
	case GICD_SGIR_FILTER_LIST:
		targets = value >> GICD_SGIR_TARGETS_SHIFT;
		break;
	case GICD_SGIR_FILTER_OTHERS:
		targets = ~gic_v2_cpu(cpu_data)->target;
		break;
	case GICD_SGIR_FILTER_SELF:
		targets = gic_v2_cpu(cpu_data)->target;
		break;
	default:
		return;
	}
	targets &= gic_v2_cell_targets(cell);
	if (targets)
		mmio_write32(gicd + GICD_SGIR,
			     ((u32)targets << GICD_SGIR_TARGETS_SHIFT) | sgi);
}

/*
 * The distributor banks a CPU's SGIs and PPIs: they are its cell's, except
 * that the hypervisor's SGI and the maintenance interrupt keep the
 * configuration the hypervisor gave them.
 */
static bool gicd_irq_owned(void *ctx, unsigned int irq, bool is_write)
{
	if (irq < GIC_NUM_PRIVATE_IRQS)
		return !(is_write && (gic_hv_irqs_mask() & BIT(irq)));
	return irqchip_irq_in_cell(ctx, irq);
}

/*
 * SPI targets stay among the cell's CPUs; a target the cell has not
 * becomes the writer.  The targets of SGIs and PPIs are read-only.
 */
static void gic_v2_limit_targets(struct cell *cell, struct mmio_access *mmio)
{
	u8 allowed = gic_v2_cell_targets(cell);
	u8 self = gic_v2_cpu(this_cpu_data())->target;
	unsigned int n;
	u8 byte;

	for (n = 0; n < mmio->size; n++) {
		byte = (mmio->value >> (8 * n)) & allowed;
		if (!byte)
			byte = self;
		mmio->value = (mmio->value & ~(0xffUL << (8 * n))) |
			((unsigned long)byte << (8 * n));
	}
}

static enum mmio_result gicd_handle_access(void *arg, struct mmio_access *mmio)
{
	struct cell *cell = arg;
	unsigned long reg = mmio->address;
	const struct gic_irq_bank *bank;

	bank = gic_find_irq_bank(gic_v2_banks, ARRAY_SIZE(gic_v2_banks), reg);
	if (bank) {
		if (bank->start == GICD_ITARGETSR && mmio->is_write) {
			if (reg < GICD_ITARGETSR + GIC_NUM_PRIVATE_IRQS)
				return MMIO_HANDLED;
			gic_v2_limit_targets(cell, mmio);
		}
		return gic_access_irq_bank(gicd, "GICD", bank, mmio,
					   gicd_irq_owned, cell);
	}
	if (reg >= GICD_V2_IDREGS && reg < GICD_V2_SIZE)
		return gic_read_only(gicd, "GICD", mmio);

	switch (reg) {
	case GICD_CTLR:
		return gic_access_ctlr(gicd, cell, mmio, GICD_CTLR_ENABLE_MASK);
	case GICD_TYPER:
	case GICD_IIDR:
		return gic_read_only(gicd, "GICD", mmio);
	case GICD_SGIR:
		if (mmio->size != 4)
			return gic_bad_access("GICD", mmio);
		if (mmio->is_write)
			gic_v2_handle_sgir(cell, mmio->value);
		else
			mmio->value = 0;
		return MMIO_HANDLED;
	}
	/*
	 * Reserved, Secure-only, the pending state of SGIs per source,
	 * implementation defined.
	 */
	return gic_raz_wi(mmio);
}

/*
 * An SPI changes hands: it starts disabled, inactive and not pending,
 * targeting @cpu.
 */
static void gic_v2_spi_handover(unsigned int irq, unsigned int cpu)
{
	unsigned long word = gic_irq_word(irq, 1);
	void *targets = gicd + GICD_ITARGETSR + gic_irq_word(irq, 8);
	unsigned int shift = (irq % 4) * 8;
	u32 bit = BIT(irq % 32);

	mmio_write32(gicd + GICD_ICENABLER + word, bit);
	mmio_write32(gicd + GICD_ICPENDR + word, bit);
	mmio_write32(gicd + GICD_ICACTIVER + word, bit);
	spin_lock(&gic_lock);
	mmio_write32(targets, (mmio_read32(targets) & ~(0xffU << shift)) |
		     ((u32)gic_v2_cpus[cpu].target << shift));
	spin_unlock(&gic_lock);
}

static void gic_v2_spi_confine(unsigned int irq, const unsigned long *cpus)
{
	void *reg = gicd + GICD_ITARGETSR + gic_irq_word(irq, 8);
	unsigned int cpu, shift = (irq % 4) * 8;
	u8 allowed = 0, targets;
	u32 word;

	for_each_set_bit(cpu, cpus, MAX_CPUS)
		allowed |= gic_v2_cpus[cpu].target;
	spin_lock(&gic_lock);
	word = mmio_read32(reg);
	targets = word >> shift;
	/* no target at all delivers nowhere: left as it is */
	if (targets & ~allowed) {
		targets &= allowed;
		if (!targets)
			targets = gic_v2_cpus[find_next_bit(cpus, MAX_CPUS,
							    0)].target;
		mmio_write32(reg, (word & ~(0xffU << shift)) |
			     ((u32)targets << shift));
	}
	spin_unlock(&gic_lock);
}

/*
 * Linux requests enable and disable by IPI, so on most CPUs it is inside
 * the handler of an SGI at that moment: that SGI is active (priority
 * already dropped), and so may be a PPI.  PPIs keep their physical active
 * state and go into list registers with the HW bit, as if injected by us,
 * for Linux to deactivate through the virtual interface.  SGIs are
 * deactivated right away: a virtual one would need the source CPU in its
 * list register to match Linux's GICC_DIR write, which is not known here,
 * and a deactivation that matches no list register changes nothing.
 */
static void gic_v2_adopt_active(unsigned int num_lrs)
{
	u32 active = mmio_read32(gicd + GICD_ISACTIVER);
	struct gic_lr lr = { .active = true, .hw = true };
	unsigned int intid, n = 0;

	for (intid = 0; intid < GIC_NUM_PRIVATE_IRQS; intid++) {
		if (!(active & BIT(intid)))
			continue;
		if (intid < GIC_NUM_SGIS || n >= num_lrs ||
		    (gic_hv_irqs_mask() & BIT(intid))) {
			mmio_write32(gicd + GICD_ICACTIVER, BIT(intid));
			continue;
		}
		lr.virq = intid;
		lr.priority = gic_read_priority(gicd, intid);
		gic_v2_write_lr(n++, &lr);
	}
}

/* The hypervisor's SGI and the maintenance interrupt: enabled, urgent. */
static void gic_v2_setup_hv_irqs(struct gic_v2_cpu *cpu)
{
	u32 mask = gic_hv_irqs_mask();

	cpu->saved_hv_irqs_enabled =
		mmio_read32(gicd + GICD_ISENABLER) & mask;
	cpu->saved_hv_irqs_prio[0] = gic_read_priority(gicd, SGI_HYPERVISOR);
	cpu->saved_hv_irqs_prio[1] = gic_read_priority(gicd,
						       gic_maintenance_irq);
	spin_lock(&gic_lock);
	gic_write_priority(gicd, SGI_HYPERVISOR, GIC_HV_PRIORITY);
	gic_write_priority(gicd, gic_maintenance_irq, GIC_HV_PRIORITY);
	spin_unlock(&gic_lock);
	mmio_write32(gicd + GICD_ISENABLER, mask);
}

static void gic_v2_restore_hv_irqs(struct gic_v2_cpu *cpu)
{
	u32 disable = gic_hv_irqs_mask() & ~cpu->saved_hv_irqs_enabled;

	if (disable)
		mmio_write32(gicd + GICD_ICENABLER, disable);
	/* a late request must not reach Linux as an interrupt of its own */
	mmio_write32(gicd + GICD_ICPENDR, BIT(gic_maintenance_irq));
	mmio_write32(gicd + GICD_CPENDSGIR + (SGI_HYPERVISOR & ~3),
		     0xffU << ((SGI_HYPERVISOR % 4) * 8));
	spin_lock(&gic_lock);
	gic_write_priority(gicd, SGI_HYPERVISOR, cpu->saved_hv_irqs_prio[0]);
	gic_write_priority(gicd, gic_maintenance_irq,
			   cpu->saved_hv_irqs_prio[1]);
	spin_unlock(&gic_lock);
}

static int gic_v2_cpu_init(struct per_cpu *cpu_data)
{
	struct gic_v2_cpu *cpu = gic_v2_cpu(cpu_data);
	u32 vtr, ctlr, pmr, bpr, vmcr;
	unsigned int num_lrs, n;

	/* the banked ITARGETSR of SGI 0 names the reading CPU */
	cpu->target = mmio_read32(gicd + GICD_ITARGETSR) & 0xff;
	if (!cpu->target) {
		printk("GIC: CPU %u: no CPU interface number\n",
		       cpu_data->cpu_id);
		return -ENODEV;
	}

	vtr = mmio_read32(gich + GICH_VTR);
	num_lrs = GICH_VTR_LISTREGS(vtr);

	/* Linux's settings go to the virtual interface */
	ctlr = mmio_read32(gicc + GICC_CTLR);
	pmr = mmio_read32(gicc + GICC_PMR);
	bpr = mmio_read32(gicc + GICC_BPR);
	cpu->saved_ctlr = ctlr;
	vmcr = ((pmr >> GICH_PRIO_SHIFT) & GICH_VMCR_PMR_MASK) <<
		GICH_VMCR_PMR_SHIFT;
	vmcr |= (bpr & GICH_VMCR_BPR_MASK) << GICH_VMCR_BPR_SHIFT;
	if (ctlr & GICC_CTLR_ENABLE)
		vmcr |= GICH_VMCR_GRP0_EN;
	if (ctlr & GICC_CTLR_EOIMODE)
		vmcr |= GICH_VMCR_EOIMODE;

	for (n = 0; n < num_lrs; n++)
		mmio_write32(gich + GICH_LR(n), 0);
	mmio_write32(gich + GICH_APR, 0);
	mmio_write32(gich + GICH_VMCR, vmcr);
	gic_v2_adopt_active(num_lrs);

	/* the physical interface serves the hypervisor, unmasked */
	mmio_write32(gicc + GICC_PMR, GIC_HV_PMR);
	mmio_write32(gicc + GICC_BPR, 0);
	mmio_write32(gicc + GICC_CTLR,
		     ctlr | GICC_CTLR_ENABLE | GICC_CTLR_EOIMODE);

	gic_v2_setup_hv_irqs(cpu);

	mmio_write32(gich + GICH_HCR, GICH_HCR_EN);
	return num_lrs;
}

static void gic_v2_cpu_shutdown(struct per_cpu *cpu_data)
{
	struct gic_v2_cpu *cpu = gic_v2_cpu(cpu_data);
	u32 vmcr, ctlr;

	mmio_write32(gich + GICH_HCR, 0);
	vmcr = mmio_read32(gich + GICH_VMCR);
	mmio_write32(gich + GICH_APR, 0);

	gic_v2_restore_hv_irqs(cpu);

	/* Linux's settings, as it last made them on the virtual interface */
	mmio_write32(gicc + GICC_PMR,
		     ((vmcr >> GICH_VMCR_PMR_SHIFT) & GICH_VMCR_PMR_MASK) <<
		     GICH_PRIO_SHIFT);
	mmio_write32(gicc + GICC_BPR,
		     (vmcr >> GICH_VMCR_BPR_SHIFT) & GICH_VMCR_BPR_MASK);
	ctlr = cpu->saved_ctlr & ~(GICC_CTLR_ENABLE | GICC_CTLR_EOIMODE);
	if (vmcr & GICH_VMCR_GRP0_EN)
		ctlr |= GICC_CTLR_ENABLE;
	if (vmcr & GICH_VMCR_EOIMODE)
		ctlr |= GICC_CTLR_EOIMODE;
	mmio_write32(gicc + GICC_CTLR, ctlr);
	mmio_write32(gich + GICH_VMCR, 0);
}

static void gic_v2_cpu_reset(struct per_cpu *cpu_data)
{
	unsigned int n;

	/* SGIs pending from any source, but the hypervisor's */
	for (n = 0; n < GIC_NUM_SGIS / 4; n++)
		mmio_write32(gicd + GICD_CPENDSGIR + 4 * n,
			     n == SGI_HYPERVISOR / 4 ?
			     ~(0xffU << ((SGI_HYPERVISOR % 4) * 8)) : ~0U);
	mmio_write32(gich + GICH_APR, 0);
	/* the virtual CPU interface as after reset: all off, EOImode 0 */
	mmio_write32(gich + GICH_VMCR, 0);
}

/* The distributor traps; GICV is the cell's CPU interface. */
static unsigned long v2m_frame(void)
{
	return JAILHOUSE_VPCI_MSI_FRAME(
		system_config->platform_info.pci_mmconfig_base);
}

static unsigned long gic_v2_msi_address(void)
{
	return v2m_frame() + V2M_MSI_SETSPI_NS;
}

/*
 * The cell's virtual GICv2m frame: its MSI SPIs in the type register, an
 * identification of 0 (no quirks of an implementation), and SETSPI_NS
 * raising the cell's own SPIs only, like GICD_ISPENDR.
 */
static enum mmio_result v2m_handle_access(void *arg, struct mmio_access *mmio)
{
	struct cell *cell = arg;
	unsigned int first, num, intid;

	if (mmio->size != 4 || !gic_access_aligned(mmio))
		return gic_bad_access("GICv2m", mmio);
	if (mmio->is_write) {
		intid = mmio->value & V2M_MSI_SETSPI_INTID_MASK;
		if (mmio->address == V2M_MSI_SETSPI_NS &&
		    intid >= GIC_NUM_PRIVATE_IRQS &&
		    irqchip_irq_in_cell(cell, intid))
			gic_set_phys_pending(this_cpu_data(), intid);
		return MMIO_HANDLED;
	}
	if (mmio->address == V2M_MSI_TYPER) {
		num = gic_cell_msi_spis(cell, &first);
		mmio->value = (first << V2M_MSI_TYPER_BASE_SHIFT) | num;
	} else {
		mmio->value = 0;
	}
	return MMIO_HANDLED;
}

/* Is the frame outside the cell's memory?  Say so if not. */
static int v2m_check(struct cell *cell)
{
	const struct jailhouse_memory *mem =
		jailhouse_cell_mem_regions(cell->config);
	unsigned int n;

	for (n = 0; n < cell->config->num_memory_regions; n++, mem++)
		if (mem->size &&
		    ranges_overlap(v2m_frame(), JAILHOUSE_VPCI_MSI_FRAME_SIZE,
				   mem->virt_start, mem->size)) {
			printk("Cell \"%s\": memory of the cell covers the "
			       "virtual GICv2m frame of its MSI-X devices at "
			       "0x%lx (the page below pci_mmconfig_base)\n",
			       cell->config->name, v2m_frame());
			return -EINVAL;
		}
	return 0;
}

static int gic_v2_cell_init(struct cell *cell)
{
	unsigned long gicd_base = system_config->platform_info.arm.gicd_base;
	struct jailhouse_memory gicv = {
		.phys_start = gicv_phys,
		.virt_start = gicc_phys,
		.size = gicv_size,
		.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
			JAILHOUSE_MEM_IO,
	};
	int err;

	if (gic_cell_has_msix(cell)) {
		err = v2m_check(cell);
		if (err)
			return err;
	}
	err = mmio_region_register(cell, gicd_base, GICD_V2_SIZE,
				   gicd_handle_access, cell);
	if (err)
		return err;
	if (gic_cell_has_msix(cell)) {
		err = mmio_region_register(cell, v2m_frame(),
					   JAILHOUSE_VPCI_MSI_FRAME_SIZE,
					   v2m_handle_access, cell);
		if (err)
			goto err_gicd;
	}
	err = arch_map_memory_region(cell, &gicv);
	if (err)
		goto err_v2m;
	return 0;

err_v2m:
	if (gic_cell_has_msix(cell))
		mmio_region_unregister(cell, v2m_frame());
err_gicd:
	mmio_region_unregister(cell, gicd_base);
	return err;
}

static void gic_v2_cell_exit(struct cell *cell)
{
	struct jailhouse_memory gicv = {
		.virt_start = gicc_phys,
		.size = gicv_size,
	};

	mmio_region_unregister(cell,
			       system_config->platform_info.arm.gicd_base);
	if (gic_cell_has_msix(cell))
		mmio_region_unregister(cell, v2m_frame());
	arch_unmap_memory_region(cell, &gicv);
}

/* The distributor, and the GICv2m frame of a cell with MSI-X devices */
static unsigned int gic_v2_mmio_count_regions(struct cell *cell)
{
	return gic_cell_has_msix(cell) ? 2 : 1;
}

/*
 * Is the CPU interface at @base aliased over 64 KiB per page?  Then its
 * identification register reads the same in the copy of its first page
 * at the other end of the window: 60 KiB further, or at the window's
 * start when the config names the copy that is contiguous with the second
 * page.  Elsewhere 8 KiB of an aliased interface are not contiguous.  A
 * root cell region there is read as well: it may be such a copy, which
 * gic_v2_check_aliases() then refuses.
 */
static bool gic_v2_aliased(unsigned long base)
{
	unsigned long other;
	u64 iidr, alias_iidr;
	void *page;
	bool aliased;

	switch (base % GIC_ALIAS_WINDOW) {
	case 0:
		other = base + GICC_ALIAS_OFFSET;
		break;
	case GICC_ALIAS_OFFSET:
		other = base - GICC_ALIAS_OFFSET;
		break;
	default:
		return false;
	}
	if (gic_frame_on_hypervisor(other, PAGE_SIZE))
		return false;
	page = paging_map_device(other, PAGE_SIZE);
	if (!page)
		return false;
	aliased = !gic_probe_read(page + GICC_IIDR, sizeof(u32),
				  &alias_iidr) &&
		!gic_probe_read(gicc + GICC_IIDR, sizeof(u32), &iidr) &&
		iidr && iidr == alias_iidr;
	paging_unmap_device(other, page, PAGE_SIZE);
	return aliased;
}

/*
 * Each page of an aliased GIC is all of its window: no copy of a frame
 * may be given to a cell, nor hold the hypervisor or its console.  The
 * cells' view of the CPU interface takes its place in the window from the
 * CPU interface's.
 */
static int gic_v2_check_aliases(unsigned long gicd_base,
				unsigned long gich_base)
{
	if (gicv_phys % GIC_ALIAS_WINDOW != gicc_phys % GIC_ALIAS_WINDOW) {
		printk("GIC: aliased CPU interface 0x%lx and virtual CPU "
		       "interface 0x%lx at different offsets in their 64 KiB "
		       "windows\n", gicc_phys, gicv_phys);
		return -EINVAL;
	}
	if (gic_check_frame("distributor's window",
			    gicd_base & ~(GIC_ALIAS_WINDOW - 1),
			    GIC_ALIAS_WINDOW) ||
	    gic_check_frame("CPU interface's windows",
			    gicc_phys & ~(GIC_ALIAS_WINDOW - 1),
			    2 * GIC_ALIAS_WINDOW) ||
	    gic_check_frame("virtual interface control's windows",
			    gich_base & ~(GIC_ALIAS_WINDOW - 1),
			    2 * GIC_ALIAS_WINDOW) ||
	    gic_check_frame("virtual CPU interface's windows",
			    gicv_phys & ~(GIC_ALIAS_WINDOW - 1),
			    2 * GIC_ALIAS_WINDOW))
		return -EINVAL;
	return 0;
}

/* Global set-up on the first CPU: check and map the frames. */
static int gic_v2_init(void)
{
	const struct jailhouse_system *sys = system_config;
	unsigned long gicd_base = sys->platform_info.arm.gicd_base;
	unsigned long gich_base = sys->platform_info.arm.gich_base;
	int err = -ENOMEM;
	u64 val;

	gicc_phys = sys->platform_info.arm.gicc_base;
	gicv_phys = sys->platform_info.arm.gicv_base;
	if (gic_check_frame("distributor", gicd_base, GICD_V2_SIZE) ||
	    gic_check_frame("CPU interface", gicc_phys, GICC_SIZE) ||
	    gic_check_frame("virtual interface control", gich_base,
			    GICH_FRAME_SIZE) ||
	    gic_check_frame("virtual CPU interface", gicv_phys, GICC_SIZE))
		return -EINVAL;
	if (ranges_overlap(gicd_base, GICD_V2_SIZE, gicc_phys, GICC_SIZE) ||
	    ranges_overlap(gicd_base, GICD_V2_SIZE, gich_base,
			   GICH_FRAME_SIZE) ||
	    ranges_overlap(gicd_base, GICD_V2_SIZE, gicv_phys, GICC_SIZE) ||
	    ranges_overlap(gicc_phys, GICC_SIZE, gich_base, GICH_FRAME_SIZE) ||
	    ranges_overlap(gicc_phys, GICC_SIZE, gicv_phys, GICC_SIZE) ||
	    ranges_overlap(gich_base, GICH_FRAME_SIZE, gicv_phys, GICC_SIZE)) {
		printk("GIC: distributor 0x%lx, CPU interface 0x%lx, virtual "
		       "interface control 0x%lx and virtual CPU interface "
		       "0x%lx overlap\n", gicd_base, gicc_phys, gich_base,
		       gicv_phys);
		return -EINVAL;
	}

	gicd = paging_map_device(gicd_base, GICD_V2_SIZE);
	if (!gicd)
		return -ENOMEM;
	if (gic_probe_read(gicd + GICD_V2_PIDR2, sizeof(u32), &val) ||
	    GICD_V2_PIDR2_ARCH(val) != 2) {
		printk("GIC: no GICv2 distributor at %lx\n", gicd_base);
		err = -ENODEV;
		goto err_unmap_gicd;
	}

	gicc_offset = 0;
	gicv_size = GICC_SIZE;
	gicc = paging_map_device(gicc_phys, GICC_SIZE);
	if (!gicc)
		goto err_unmap_gicd;
	if (gic_v2_aliased(gicc_phys)) {
		err = gic_v2_check_aliases(gicd_base, gich_base);
		if (err)
			goto err_unmap_gicc;
		/* the cells' GICC as the device tree has it: 128 KiB */
		if (gicc_phys % GIC_ALIAS_WINDOW == 0) {
			paging_unmap_device(gicc_phys, gicc, GICC_SIZE);
			gicc_offset = GICC_ALIAS_OFFSET;
			gicv_size = GICC_ALIASED_SIZE;
			err = -ENOMEM;
			gicc = paging_map_device(gicc_phys + gicc_offset,
						 GICC_SIZE);
			if (!gicc)
				goto err_unmap_gicd;
		}
	}

	if (gic_probe_read(gicc + GICC_IIDR, sizeof(u32), &val)) {
		printk("GIC: no CPU interface at %lx\n", gicc_phys);
		err = -ENODEV;
		goto err_unmap_gicc;
	}

	err = -ENOMEM;
	gich = paging_map_device(gich_base, GICH_SIZE);
	if (!gich)
		goto err_unmap_gicc;
	if (gic_probe_read(gich + GICH_VTR, sizeof(u32), &val)) {
		printk("GIC: no virtual interface control at %lx\n",
		       gich_base);
		err = -ENODEV;
		goto err_unmap_gich;
	}
	return 0;

err_unmap_gich:
	paging_unmap_device(gich_base, gich, GICH_SIZE);
err_unmap_gicc:
	paging_unmap_device(gicc_phys + gicc_offset, gicc, GICC_SIZE);
err_unmap_gicd:
	paging_unmap_device(gicd_base, gicd, GICD_V2_SIZE);
	return err;
}

static void gic_v2_shutdown(void)
{
	const struct jailhouse_system *sys = system_config;

	paging_unmap_device(sys->platform_info.arm.gich_base, gich, GICH_SIZE);
	paging_unmap_device(gicc_phys + gicc_offset, gicc, GICC_SIZE);
	paging_unmap_device(sys->platform_info.arm.gicd_base, gicd,
			    GICD_V2_SIZE);
}

const struct gic_ops gic_v2_ops = {
	.init = gic_v2_init,
	.shutdown = gic_v2_shutdown,
	.cpu_init = gic_v2_cpu_init,
	.cpu_shutdown = gic_v2_cpu_shutdown,
	.cpu_reset = gic_v2_cpu_reset,
	.cell_init = gic_v2_cell_init,
	.cell_exit = gic_v2_cell_exit,
	.mmio_count_regions = gic_v2_mmio_count_regions,
	.ack = gic_v2_ack,
	.deactivate = gic_v2_deactivate,
	.read_lr = gic_v2_read_lr,
	.write_lr = gic_v2_write_lr,
	.empty_lrs = gic_v2_empty_lrs,
	.inject_idle = gic_v2_inject_idle,
	.set_underflow_irq = gic_v2_set_underflow_irq,
	.send_sgi = gic_v2_send_sgi,
	.irq_frame = gic_v2_irq_frame,
	.set_sgi_pending = gic_v2_set_sgi_pending,
	.spi_handover = gic_v2_spi_handover,
	.spi_confine = gic_v2_spi_confine,
	.msi_address = gic_v2_msi_address,
};
