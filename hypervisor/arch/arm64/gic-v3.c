// SPDX-License-Identifier: GPL-2.0
/*
 * GICv3 interrupt controller.
 *
 * Every physical interrupt is taken at EL2, acknowledged with a priority
 * drop only (EOImode 1) and handed to the cell owning it through a list
 * register.  SPIs and PPIs go in with the HW bit, so that the guest's
 * deactivation deactivates the physical interrupt; SGIs are deactivated
 * here and injected as purely virtual interrupts.  The cells' accesses to
 * the distributor and the redistributors trap and are filtered by interrupt
 * ownership.  The CPU interface Linux programmed before the hypervisor came
 * in becomes the virtual one (ICH_VMCR_EL2), and goes back on the way out.
 *
 * The GIC is a unit (jailhouse/unit.h) for its global and per-cell state.
 */
#include <jailhouse/arch.h>
#include <jailhouse/bitops.h>
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/mmio.h>
#include <jailhouse/paging.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <jailhouse/string.h>
#include <jailhouse/unit.h>
#include <jailhouse/utils.h>
#include <asm/control.h>
#include <asm/gic_v3.h>
#include <asm/irqchip.h>
#include <asm/spinlock.h>
#include <asm/sysregs.h>

/* Priority of interrupts without a physical source (Linux's default). */
#define GIC_VIRQ_PRIORITY	0xa0
/* Priority of the hypervisor's SGI and of the maintenance interrupt. */
#define GIC_HV_PRIORITY		0x80
/* The hypervisor masks nothing by priority on the physical interface. */
#define GIC_HV_PMR		0xff

/* Bounded wait for the distributor to finish a disable (GICD_CTLR.RWP). */
#define GIC_RWP_TIMEOUT		1000000

static void *gicd;
static void *gicr;
static unsigned long gicr_size;
static unsigned long gicr_stride;
static unsigned int maintenance_irq;

/* Serializes read-modify-write of GIC registers shared between cells. */
static DEFINE_SPINLOCK(gic_lock);

/* SPIs whose arrival on a CPU of another cell was already reported. */
static unsigned long foreign_irq_reported[BITS_TO_LONGS(GIC_NUM_IRQS)];

/* How a cell's write reaches a bank of per-interrupt registers. */
enum gic_bank_write {
	/* a 0 bit written leaves its interrupt alone */
	GIC_BANK_SET_CLEAR,
	/* plain fields: read-modify-write if shared */
	GIC_BANK_MODIFY,
	/*
	 * Interrupt groups: the hypervisor takes Non-secure Group 1 at EL2
	 * only, so the cells get their interrupts in that group and keep it.
	 */
	GIC_BANK_READ_ONLY,
};

/*
 * A bank of per-interrupt registers, the same layout in the distributor
 * (INTIDs 0..1023) and in the SGI frame of a redistributor (0..31 only).
 */
struct gic_irq_bank {
	unsigned long start;
	unsigned int bits;	/* per interrupt */
	enum gic_bank_write write;
};

static const struct gic_irq_bank gic_irq_banks[] = {
	{ GICD_IGROUPR,		1, GIC_BANK_READ_ONLY },
	{ GICD_ISENABLER,	1, GIC_BANK_SET_CLEAR },
	{ GICD_ICENABLER,	1, GIC_BANK_SET_CLEAR },
	{ GICD_ISPENDR,		1, GIC_BANK_SET_CLEAR },
	{ GICD_ICPENDR,		1, GIC_BANK_SET_CLEAR },
	{ GICD_ISACTIVER,	1, GIC_BANK_SET_CLEAR },
	{ GICD_ICACTIVER,	1, GIC_BANK_SET_CLEAR },
	{ GICD_IPRIORITYR,	8, GIC_BANK_MODIFY },
	{ GICD_ICFGR,		2, GIC_BANK_MODIFY },
	{ GICD_IGRPMODR,	1, GIC_BANK_READ_ONLY },
};

/* Decides, for one access, whether the cell may see/change @irq. */
typedef bool (*gic_owner_fn)(void *ctx, unsigned int irq, bool is_write);

#define LR_READ_CASE(n)						\
	case n:							\
		arm_read_sysreg(ICH_LR##n##_EL2, val);		\
		break

#define LR_WRITE_CASE(n)					\
	case n:							\
		arm_write_sysreg(ICH_LR##n##_EL2, val);		\
		break

static u64 gic_read_lr(unsigned int n)
{
	u64 val = 0;

	switch (n) {
	LR_READ_CASE(0); LR_READ_CASE(1); LR_READ_CASE(2); LR_READ_CASE(3);
	LR_READ_CASE(4); LR_READ_CASE(5); LR_READ_CASE(6); LR_READ_CASE(7);
	LR_READ_CASE(8); LR_READ_CASE(9); LR_READ_CASE(10); LR_READ_CASE(11);
	LR_READ_CASE(12); LR_READ_CASE(13); LR_READ_CASE(14);
	LR_READ_CASE(15);
	}
	return val;
}

static void gic_write_lr(unsigned int n, u64 val)
{
	switch (n) {
	LR_WRITE_CASE(0); LR_WRITE_CASE(1); LR_WRITE_CASE(2);
	LR_WRITE_CASE(3); LR_WRITE_CASE(4); LR_WRITE_CASE(5);
	LR_WRITE_CASE(6); LR_WRITE_CASE(7); LR_WRITE_CASE(8);
	LR_WRITE_CASE(9); LR_WRITE_CASE(10); LR_WRITE_CASE(11);
	LR_WRITE_CASE(12); LR_WRITE_CASE(13); LR_WRITE_CASE(14);
	LR_WRITE_CASE(15);
	}
}

static void gic_clear_aprs(unsigned int num_aprs)
{
	arm_write_sysreg(ICH_AP0R0_EL2, 0);
	arm_write_sysreg(ICH_AP1R0_EL2, 0);
	if (num_aprs > 1) {
		arm_write_sysreg(ICH_AP0R1_EL2, 0);
		arm_write_sysreg(ICH_AP1R1_EL2, 0);
	}
	if (num_aprs > 2) {
		arm_write_sysreg(ICH_AP0R2_EL2, 0);
		arm_write_sysreg(ICH_AP1R2_EL2, 0);
		arm_write_sysreg(ICH_AP0R3_EL2, 0);
		arm_write_sysreg(ICH_AP1R3_EL2, 0);
	}
}

/* Empty list registers and no active virtual priorities. */
static void gic_clear_virtual_state(struct irqchip_percpu *irq)
{
	unsigned int n;

	for (n = 0; n < irq->num_lrs; n++)
		gic_write_lr(n, 0);
	gic_clear_aprs(irq->num_aprs);
}

static u64 gic_lr_value(unsigned int intid, u8 priority, bool hw)
{
	u64 lr = intid | ICH_LR_GROUP1 | ICH_LR_STATE_PENDING |
		((u64)priority << ICH_LR_PRIORITY_SHIFT);

	if (hw)
		lr |= ICH_LR_HW | ((u64)intid << ICH_LR_PINTID_SHIFT);
	return lr;
}

static u32 gic_hv_irqs_mask(void)
{
	return BIT(SGI_HYPERVISOR) | BIT(maintenance_irq);
}

/* Affinity as GICR_TYPER reports it: Aff3.Aff2.Aff1.Aff0. */
static u32 gic_mpidr_to_typer_aff(u64 mpidr)
{
	return (MPIDR_AFF3(mpidr) << 24) | (MPIDR_AFF2(mpidr) << 16) |
		(MPIDR_AFF1(mpidr) << 8) | MPIDR_AFF0(mpidr);
}

static void gic_send_sgi(u64 mpidr, unsigned int sgi)
{
	unsigned int aff0 = MPIDR_AFF0(mpidr);

	arm_write_sysreg(ICC_SGI1R_EL1,
			 ((u64)sgi << ICC_SGI1R_INTID_SHIFT) |
			 (MPIDR_AFF3(mpidr) << ICC_SGI1R_AFF3_SHIFT) |
			 (MPIDR_AFF2(mpidr) << ICC_SGI1R_AFF2_SHIFT) |
			 (MPIDR_AFF1(mpidr) << ICC_SGI1R_AFF1_SHIFT) |
			 ((u64)(aff0 >> 4) << ICC_SGI1R_RS_SHIFT) |
			 BIT(aff0 & 0xf));
}

/* The distributor register word holding @irq, @bits_per_irq wide. */
static unsigned int gic_irq_word(unsigned int irq, unsigned int bits_per_irq)
{
	return (irq * bits_per_irq / 32) * 4;
}

/* Frame with the per-interrupt registers of @irq as @cpu_data sees them. */
static void *gic_irq_frame(struct per_cpu *cpu_data, unsigned int irq)
{
	if (irq < GIC_NUM_PRIVATE_IRQS)
		return cpu_data->irq.gicr + GICR_SGI_BASE;
	return gicd;
}

static u8 gic_read_priority(void *frame, unsigned int irq)
{
	u32 word = mmio_read32(frame + GICD_IPRIORITYR + gic_irq_word(irq, 8));

	return word >> ((irq % 4) * 8);
}

/* Called with gic_lock held. */
static void gic_write_priority(void *frame, unsigned int irq, u8 priority)
{
	void *reg = frame + GICD_IPRIORITYR + gic_irq_word(irq, 8);
	unsigned int shift = (irq % 4) * 8;

	mmio_write32(reg, (mmio_read32(reg) & ~(0xffU << shift)) |
		     ((u32)priority << shift));
}

static bool gic_irq_is_edge(struct per_cpu *cpu_data, unsigned int irq)
{
	void *frame = gic_irq_frame(cpu_data, irq);
	u32 cfg = mmio_read32(frame + GICD_ICFGR + gic_irq_word(irq, 2));

	return (cfg >> ((irq % 16) * 2)) & GIC_ICFGR_EDGE;
}

static void gic_set_phys_pending(struct per_cpu *cpu_data, unsigned int irq)
{
	mmio_write32(gic_irq_frame(cpu_data, irq) + GICD_ISPENDR +
		     gic_irq_word(irq, 1), BIT(irq % 32));
}

static void gic_wait_dist_rwp(void)
{
	unsigned int n;

	for (n = 0; n < GIC_RWP_TIMEOUT; n++)
		if (!(mmio_read32(gicd + GICD_CTLR) & GICD_CTLR_RWP))
			return;
	printk("GIC: distributor write not completed\n");
}

/*
 * gic_lr_inject() - put a virtual interrupt into a free list register
 *
 * Return: false if all list registers are in use.
 */
static bool gic_lr_inject(struct irqchip_percpu *irq, u64 lr_val)
{
	unsigned int n, free = ICH_MAX_LRS;
	u64 elrsr, lr;

	arm_read_sysreg(ICH_ELRSR_EL2, elrsr);
	for (n = 0; n < irq->num_lrs; n++) {
		if (elrsr & BIT(n)) {
			if (free == ICH_MAX_LRS)
				free = n;
			continue;
		}
		lr = gic_read_lr(n);
		if ((u32)lr != (u32)lr_val)
			continue;
		/*
		 * A vINTID must not be in two list registers.  An SGI arriving
		 * while its predecessor is active becomes pending and active,
		 * as on the physical GIC.  A hardware interrupt can only come
		 * again if the guest deactivated it behind the list register
		 * (GICD_ICACTIVER): the new occurrence replaces the stale one.
		 */
		if (lr & ICH_LR_HW)
			gic_write_lr(n, lr_val);
		else
			gic_write_lr(n, lr | ICH_LR_STATE_PENDING);
		return true;
	}
	if (free == ICH_MAX_LRS)
		return false;
	gic_write_lr(free, lr_val);
	return true;
}

/* Note a virtual interrupt for later.  Called with pending_lock held. */
static void gic_queue(struct irqchip_percpu *irq, unsigned int intid,
		      u8 priority, bool hw)
{
	if (test_bit(intid, irq->pending))
		return;
	__set_bit(intid, irq->pending);
	if (hw)
		__set_bit(intid, irq->pending_hw);
	else
		__clear_bit(intid, irq->pending_hw);
	irq->pending_priority[intid] = priority;
	irq->num_pending++;
}

/*
 * Move queued interrupts into free list registers and ask for the underflow
 * maintenance interrupt while some are left.  Called on the CPU owning the
 * list registers, with pending_lock held.
 */
static void gic_flush_pending(struct irqchip_percpu *irq)
{
	unsigned int intid;
	u64 hcr;

	for_each_set_bit(intid, irq->pending, IRQCHIP_NUM_IRQS) {
		if (!gic_lr_inject(irq, gic_lr_value(intid,
				   irq->pending_priority[intid],
				   test_bit(intid, irq->pending_hw))))
			break;
		__clear_bit(intid, irq->pending);
		irq->num_pending--;
	}

	arm_read_sysreg(ICH_HCR_EL2, hcr);
	if (irq->num_pending)
		hcr |= ICH_HCR_UIE;
	else
		hcr &= ~ICH_HCR_UIE;
	arm_write_sysreg(ICH_HCR_EL2, hcr);
}

static void gic_flush_pending_locked(struct irqchip_percpu *irq)
{
	spin_lock(&irq->pending_lock);
	gic_flush_pending(irq);
	spin_unlock(&irq->pending_lock);
}

/* Inject into the current CPU's cell, behind interrupts still queued. */
static void gic_deliver(struct irqchip_percpu *irq, unsigned int intid,
			u8 priority, bool hw)
{
	spin_lock(&irq->pending_lock);
	if (irq->num_pending ||
	    !gic_lr_inject(irq, gic_lr_value(intid, priority, hw))) {
		gic_queue(irq, intid, priority, hw);
		gic_flush_pending(irq);
	}
	spin_unlock(&irq->pending_lock);
}

static void gic_deactivate(unsigned int intid)
{
	arm_write_sysreg(ICC_DIR_EL1, intid);
}

void irqchip_handle_irq(void)
{
	struct per_cpu *cpu_data = this_cpu_data();
	unsigned int intid;
	u64 iar, rpr;

	while (1) {
		arm_read_sysreg(ICC_IAR1_EL1, iar);
		intid = iar & 0xffffff;
		if (intid >= GIC_FIRST_SPECIAL_INTID &&
		    intid <= GIC_SPURIOUS_INTID)
			break;


		/* the group priority of the interrupt just acknowledged */
		arm_read_sysreg(ICC_RPR_EL1, rpr);
		arm_write_sysreg(ICC_EOIR1_EL1, iar);

		if (intid == SGI_HYPERVISOR) {
			gic_deactivate(intid);
			/* other CPUs may have queued interrupts for us */
			gic_flush_pending_locked(&cpu_data->irq);
			arch_handle_hypervisor_sgi();
		} else if (intid == maintenance_irq) {
			cpu_data->stats[
				JAILHOUSE_CPU_STAT_VMEXITS_MAINTENANCE]++;
			/* refill first: the interrupt is level-sensitive */
			gic_flush_pending_locked(&cpu_data->irq);
			gic_deactivate(intid);
		} else if (intid < GIC_NUM_SGIS) {
			gic_deactivate(intid);
			cpu_data->stats[JAILHOUSE_CPU_STAT_VMEXITS_VIRQ]++;
			gic_deliver(&cpu_data->irq, intid, rpr, false);
		} else if (irqchip_irq_in_cell(cpu_data->cell, intid)) {
			cpu_data->stats[JAILHOUSE_CPU_STAT_VMEXITS_VIRQ]++;
			gic_deliver(&cpu_data->irq, intid, rpr, true);
		} else {
			gic_deactivate(intid);
			if (intid < GIC_NUM_IRQS &&
			    !test_and_set_bit(intid, foreign_irq_reported))
				printk("GIC: CPU %u: interrupt %u is not its "
				       "cell's, ignored\n",
				       cpu_data->cpu_id, intid);
		}
	}
	isb();
}

void irqchip_handle_sgi1r_write(u64 value)
{
	struct per_cpu *cpu_data = this_cpu_data();
	unsigned int sgi = (value >> ICC_SGI1R_INTID_SHIFT) &
		ICC_SGI1R_INTID_MASK;
	unsigned int cpu, aff0;
	u64 mpidr;

	cpu_data->stats[JAILHOUSE_CPU_STAT_VMEXITS_VSGI]++;

	/* the hypervisor's own SGI is not the guest's to send */
	if (sgi == SGI_HYPERVISOR)
		return;

	for_each_cpu(cpu, cpu_data->cell) {
		mpidr = per_cpu(cpu)->mpidr;
		if (value & ICC_SGI1R_IRM) {
			if (cpu == cpu_data->cpu_id)
				continue;
		} else {
			aff0 = MPIDR_AFF0(mpidr);
			if (MPIDR_AFF3(mpidr) !=
			    ((value >> ICC_SGI1R_AFF3_SHIFT) &
			     ICC_SGI1R_AFF_MASK) ||
			    MPIDR_AFF2(mpidr) !=
			    ((value >> ICC_SGI1R_AFF2_SHIFT) &
			     ICC_SGI1R_AFF_MASK) ||
			    MPIDR_AFF1(mpidr) !=
			    ((value >> ICC_SGI1R_AFF1_SHIFT) &
			     ICC_SGI1R_AFF_MASK) ||
			    (aff0 >> 4) != ((value >> ICC_SGI1R_RS_SHIFT) &
					    ICC_SGI1R_RS_MASK) ||
			    !(value & BIT(aff0 & 0xf)))
				continue;
		}
		gic_send_sgi(mpidr, sgi);
	}
	isb();
}

void irqchip_send_hypervisor_sgi(unsigned int cpu_id)
{
	/* the request the SGI announces must be visible to the target */
	dsb(ish);
	gic_send_sgi(per_cpu(cpu_id)->mpidr, SGI_HYPERVISOR);
	isb();
}

bool irqchip_irq_in_cell(struct cell *cell, unsigned int irq_id)
{
	if (irq_id < GIC_NUM_PRIVATE_IRQS)
		return true;
	return irq_id < GIC_NUM_IRQS && test_bit(irq_id, cell->irq.irq_bitmap);
}

static void *gic_find_redist(u64 mpidr)
{
	u32 aff = gic_mpidr_to_typer_aff(mpidr);
	unsigned long offs;
	u64 typer;

	for (offs = 0; offs < gicr_size; offs += gicr_stride) {
		typer = mmio_read64(gicr + offs + GICR_TYPER);
		if (GICR_TYPER_AFFINITY(typer) == aff)
			return gicr + offs;
		if (typer & GICR_TYPER_LAST)
			break;
	}
	return NULL;
}

/*
 * Linux requests enable and disable by IPI, so on most CPUs it is inside
 * the handler of an SGI at that moment: that SGI is active (priority
 * already dropped) and Linux will deactivate it through what has become
 * the virtual interface.  Mirror the active SGIs and PPIs into list
 * registers; SGIs are deactivated physically right away, PPIs keep their
 * physical active state and get the HW bit, as if injected by us.
 */
static void gic_adopt_active(struct irqchip_percpu *irq)
{
	void *sgi_frame = irq->gicr + GICR_SGI_BASE;
	u32 active = mmio_read32(sgi_frame + GICR_ISACTIVER0);
	unsigned int intid, lr = 0;
	u64 lr_val;

	for (intid = 0; intid < GIC_NUM_PRIVATE_IRQS; intid++) {
		if (!(active & BIT(intid)))
			continue;
		/* no list register left, or ours: nobody else deactivates */
		if (lr >= irq->num_lrs || (gic_hv_irqs_mask() & BIT(intid))) {
			mmio_write32(sgi_frame + GICR_ICACTIVER0, BIT(intid));
			continue;
		}
		if (intid < GIC_NUM_SGIS)
			mmio_write32(sgi_frame + GICR_ICACTIVER0, BIT(intid));

		lr_val = gic_lr_value(intid,
				      gic_read_priority(sgi_frame, intid),
				      intid >= GIC_NUM_SGIS);
		gic_write_lr(lr++, (lr_val & ~ICH_LR_STATE_MASK) |
			     ICH_LR_STATE_ACTIVE);
	}
}

/*
 * The hypervisor's SGI and the maintenance interrupt: group 1, a priority
 * that passes the hypervisor's mask, enabled.  Linux configures all
 * interrupts as group 1, so only enable and priority are handed back.
 */
static void gic_setup_hv_irqs(struct irqchip_percpu *irq)
{
	void *sgi_frame = irq->gicr + GICR_SGI_BASE;
	u32 mask = gic_hv_irqs_mask();

	irq->saved_hv_irqs_enabled =
		mmio_read32(sgi_frame + GICR_ISENABLER0) & mask;
	irq->saved_hv_irqs_prio[0] = gic_read_priority(sgi_frame,
						       SGI_HYPERVISOR);
	irq->saved_hv_irqs_prio[1] = gic_read_priority(sgi_frame,
						       maintenance_irq);

	spin_lock(&gic_lock);
	mmio_write32(sgi_frame + GICR_IGROUPR0,
		     mmio_read32(sgi_frame + GICR_IGROUPR0) | mask);
	mmio_write32(sgi_frame + GICR_IGRPMODR0,
		     mmio_read32(sgi_frame + GICR_IGRPMODR0) & ~mask);
	gic_write_priority(sgi_frame, SGI_HYPERVISOR, GIC_HV_PRIORITY);
	gic_write_priority(sgi_frame, maintenance_irq, GIC_HV_PRIORITY);
	spin_unlock(&gic_lock);

	mmio_write32(sgi_frame + GICR_ISENABLER0, mask);
}

static void gic_restore_hv_irqs(struct irqchip_percpu *irq)
{
	void *sgi_frame = irq->gicr + GICR_SGI_BASE;
	u32 disable = gic_hv_irqs_mask() & ~irq->saved_hv_irqs_enabled;

	if (disable)
		mmio_write32(sgi_frame + GICR_ICENABLER0, disable);
	/* a late request must not reach Linux as an interrupt of its own */
	mmio_write32(sgi_frame + GICR_ICPENDR0, gic_hv_irqs_mask());

	spin_lock(&gic_lock);
	gic_write_priority(sgi_frame, SGI_HYPERVISOR,
			   irq->saved_hv_irqs_prio[0]);
	gic_write_priority(sgi_frame, maintenance_irq,
			   irq->saved_hv_irqs_prio[1]);
	spin_unlock(&gic_lock);
}

int irqchip_cpu_init(struct per_cpu *cpu_data)
{
	struct irqchip_percpu *irq = &cpu_data->irq;
	u64 sre, vtr, ctlr, pmr, bpr0, bpr1, grpen0, grpen1, vmcr;

	irq->gicr = gic_find_redist(cpu_data->mpidr);
	if (!irq->gicr) {
		printk("GIC: no redistributor for CPU %u (MPIDR %llx)\n",
		       cpu_data->cpu_id, cpu_data->mpidr);
		return -ENODEV;
	}
	spin_lock_init(&irq->pending_lock);
	memset(irq->pending, 0, sizeof(irq->pending));
	irq->num_pending = 0;

	arm_read_sysreg(ICC_SRE_EL2, sre);
	irq->saved_icc_sre_el2 = sre;
	arm_write_sysreg(ICC_SRE_EL2, sre | ICC_SRE_SRE | ICC_SRE_ENABLE);
	isb();
	arm_read_sysreg(ICC_SRE_EL2, sre);
	if (!(sre & ICC_SRE_SRE)) {
		arm_write_sysreg(ICC_SRE_EL2, irq->saved_icc_sre_el2);
		isb();
		printk("GIC: CPU %u: no system register interface\n",
		       cpu_data->cpu_id);
		return -ENODEV;
	}

	arm_read_sysreg(ICH_VTR_EL2, vtr);
	irq->num_lrs = MIN(ICH_VTR_LISTREGS(vtr), ICH_MAX_LRS);
	irq->num_aprs = 1 << (ICH_VTR_PREBITS(vtr) - 5);

	/*
	 * Linux runs at EL1 from now on and reaches the virtual interface
	 * with its ICC_* accesses: give it the settings it made.
	 */
	arm_read_sysreg(ICC_CTLR_EL1, ctlr);
	arm_read_sysreg(ICC_PMR_EL1, pmr);
	arm_read_sysreg(ICC_BPR0_EL1, bpr0);
	arm_read_sysreg(ICC_BPR1_EL1, bpr1);
	arm_read_sysreg(ICC_IGRPEN0_EL1, grpen0);
	arm_read_sysreg(ICC_IGRPEN1_EL1, grpen1);
	vmcr = ((pmr & ICH_VMCR_VPMR_MASK) << ICH_VMCR_VPMR_SHIFT) |
		((bpr0 & ICH_VMCR_VBPR_MASK) << ICH_VMCR_VBPR0_SHIFT) |
		((bpr1 & ICH_VMCR_VBPR_MASK) << ICH_VMCR_VBPR1_SHIFT);
	if (ctlr & ICC_CTLR_EOIMODE)
		vmcr |= ICH_VMCR_VEOIM;
	if (ctlr & ICC_CTLR_CBPR)
		vmcr |= ICH_VMCR_VCBPR;
	if (grpen0 & 1)
		vmcr |= ICH_VMCR_VENG0;
	if (grpen1 & 1)
		vmcr |= ICH_VMCR_VENG1;

	gic_clear_virtual_state(irq);
	arm_write_sysreg(ICH_VMCR_EL2, vmcr);
	gic_adopt_active(irq);

	/*
	 * The physical interface serves the hypervisor: split priority drop
	 * and deactivation, no priority mask, full priority in ICC_RPR_EL1.
	 */
	arm_write_sysreg(ICC_CTLR_EL1,
			 (ctlr & ~ICC_CTLR_CBPR) | ICC_CTLR_EOIMODE);
	arm_write_sysreg(ICC_BPR0_EL1, 0);
	arm_write_sysreg(ICC_BPR1_EL1, 0);
	arm_write_sysreg(ICC_PMR_EL1, GIC_HV_PMR);
	arm_write_sysreg(ICC_IGRPEN1_EL1, 1);
	isb();

	gic_setup_hv_irqs(irq);

	arm_write_sysreg(ICH_HCR_EL2, ICH_HCR_EN);
	isb();
	return 0;
}

/*
 * A pending virtual interrupt goes back to the GIC.  Active ones need
 * nothing: Linux deactivates them, now on the physical interface.
 */
static void gic_hand_back(struct per_cpu *cpu_data, unsigned int intid,
			  bool hw)
{
	if (hw) {
		/*
		 * Still active from our acknowledge.  A level interrupt
		 * becomes pending again by itself if its device still asks.
		 */
		if (gic_irq_is_edge(cpu_data, intid))
			gic_set_phys_pending(cpu_data, intid);
		gic_deactivate(intid);
	} else if (intid < GIC_NUM_SGIS) {
		gic_set_phys_pending(cpu_data, intid);
	}
	/* purely virtual interrupts have no physical state to go back to */
}

void irqchip_cpu_shutdown(struct per_cpu *cpu_data)
{
	struct irqchip_percpu *irq = &cpu_data->irq;
	u64 vmcr, ctlr, lr;
	unsigned int n;

	arm_write_sysreg(ICH_HCR_EL2, 0);
	isb();
	arm_read_sysreg(ICH_VMCR_EL2, vmcr);

	for (n = 0; n < irq->num_lrs; n++) {
		lr = gic_read_lr(n);
		if (lr & ICH_LR_STATE_PENDING)
			gic_hand_back(cpu_data, (u32)lr, lr & ICH_LR_HW);
	}
	spin_lock(&irq->pending_lock);
	for_each_set_bit(n, irq->pending, IRQCHIP_NUM_IRQS)
		gic_hand_back(cpu_data, n, test_bit(n, irq->pending_hw));
	memset(irq->pending, 0, sizeof(irq->pending));
	irq->num_pending = 0;
	spin_unlock(&irq->pending_lock);
	gic_clear_virtual_state(irq);

	gic_restore_hv_irqs(irq);

	/* Linux's settings, as it last made them on the virtual interface */
	arm_write_sysreg(ICC_BPR0_EL1,
			 (vmcr >> ICH_VMCR_VBPR0_SHIFT) & ICH_VMCR_VBPR_MASK);
	arm_write_sysreg(ICC_BPR1_EL1,
			 (vmcr >> ICH_VMCR_VBPR1_SHIFT) & ICH_VMCR_VBPR_MASK);
	arm_read_sysreg(ICC_CTLR_EL1, ctlr);
	ctlr &= ~(ICC_CTLR_EOIMODE | ICC_CTLR_CBPR);
	if (vmcr & ICH_VMCR_VEOIM)
		ctlr |= ICC_CTLR_EOIMODE;
	if (vmcr & ICH_VMCR_VCBPR)
		ctlr |= ICC_CTLR_CBPR;
	arm_write_sysreg(ICC_CTLR_EL1, ctlr);
	arm_write_sysreg(ICC_PMR_EL1,
			 (vmcr >> ICH_VMCR_VPMR_SHIFT) & ICH_VMCR_VPMR_MASK);
	arm_write_sysreg(ICC_IGRPEN0_EL1, !!(vmcr & ICH_VMCR_VENG0));
	arm_write_sysreg(ICC_IGRPEN1_EL1, !!(vmcr & ICH_VMCR_VENG1));

	arm_write_sysreg(ICH_VMCR_EL2, 0);
	arm_write_sysreg(ICC_SRE_EL2, irq->saved_icc_sre_el2);
	isb();
}

/*
 * An SPI injected with the HW bit stays active physically until the guest
 * deactivates it, which the CPU's former guest will not do any more.  One
 * that changed cells meanwhile was reset when it moved and is left alone.
 */
static void gic_drop_hw_spi(struct cell *cell, unsigned int intid)
{
	if (intid >= GIC_NUM_PRIVATE_IRQS && irqchip_irq_in_cell(cell, intid))
		arm_write_sysreg(ICC_DIR_EL1, intid);
}

/*
 * The CPU starts afresh in a cell: nothing of its former guest, injected
 * or queued, may reach the next one, and its SGIs and PPIs are as after a
 * reset, except the hypervisor's own.
 */
void irqchip_cpu_reset(struct per_cpu *cpu_data)
{
	struct irqchip_percpu *irq = &cpu_data->irq;
	u32 guest_irqs = ~gic_hv_irqs_mask();
	unsigned int n;
	void *sgi_frame = irq->gicr + GICR_SGI_BASE;
	u64 lr, hcr;

	spin_lock(&irq->pending_lock);
	for (n = 0; n < irq->num_lrs; n++) {
		lr = gic_read_lr(n);
		if ((lr & ICH_LR_HW) && (lr & ICH_LR_STATE_MASK))
			gic_drop_hw_spi(cpu_data->cell, (u32)lr);
	}
	for_each_set_bit(n, irq->pending, IRQCHIP_NUM_IRQS)
		if (test_bit(n, irq->pending_hw))
			gic_drop_hw_spi(cpu_data->cell, n);
	memset(irq->pending, 0, sizeof(irq->pending));
	memset(irq->pending_hw, 0, sizeof(irq->pending_hw));
	irq->num_pending = 0;
	spin_unlock(&irq->pending_lock);
	gic_clear_virtual_state(irq);

	arm_read_sysreg(ICH_HCR_EL2, hcr);
	arm_write_sysreg(ICH_HCR_EL2, hcr & ~ICH_HCR_UIE);
	/* the virtual CPU interface as after reset: all off, EOImode 0 */
	arm_write_sysreg(ICH_VMCR_EL2, 0);

	mmio_write32(sgi_frame + GICR_ICENABLER0, guest_irqs);
	mmio_write32(sgi_frame + GICR_ICPENDR0, guest_irqs);
	mmio_write32(sgi_frame + GICR_ICACTIVER0, guest_irqs);
	isb();
}

static enum mmio_result gic_bad_access(const char *frame,
				       struct mmio_access *mmio)
{
	printk("GIC: unsupported %u-byte %s of %s register %lx\n",
	       mmio->size, mmio->is_write ? "write" : "read", frame,
	       mmio->address);
	return MMIO_ERROR;
}

static enum mmio_result gic_raz_wi(struct mmio_access *mmio)
{
	if (!mmio->is_write)
		mmio->value = 0;
	return MMIO_HANDLED;
}

static bool gic_access_aligned(struct mmio_access *mmio)
{
	return (mmio->address & (mmio->size - 1)) == 0;
}

/* A 32-bit register the cell may read but not change. */
static enum mmio_result gic_read_only(void *frame, const char *name,
				      struct mmio_access *mmio)
{
	if (mmio->size != 4 || !gic_access_aligned(mmio))
		return gic_bad_access(name, mmio);
	if (!mmio->is_write)
		return mmio_perform_access(frame, mmio);
	return MMIO_HANDLED;
}

static const struct gic_irq_bank *gic_find_irq_bank(unsigned long reg)
{
	const struct gic_irq_bank *bank;

	for (bank = gic_irq_banks;
	     bank < gic_irq_banks + ARRAY_SIZE(gic_irq_banks); bank++)
		if (reg >= bank->start &&
		    reg < bank->start + GIC_BANK_SIZE(bank->bits))
			return bank;
	return NULL;
}

/*
 * gic_access_irq_bank() - emulate an access to per-interrupt registers
 * @frame:	hypervisor mapping of the register frame
 * @name:	frame name for messages
 * @bank:	the bank the access falls into
 * @mmio:	the access, address relative to @frame
 * @owned:	which interrupts the access may see or change
 * @ctx:	argument of @owned
 *
 * The fields of interrupts that are not the cell's read as zero and keep
 * their value on writes.  Plain fields are updated by read-modify-write
 * under gic_lock when only some of the register is the cell's.
 *
 * Return: MMIO_HANDLED, MMIO_ERROR on an access size the GIC does not
 * support for the bank, or the failure of the access to the GIC.
 */
static enum mmio_result gic_access_irq_bank(void *frame, const char *name,
					    const struct gic_irq_bank *bank,
					    struct mmio_access *mmio,
					    gic_owner_fn owned, void *ctx)
{
	unsigned int first = (mmio->address - bank->start) * 8 / bank->bits;
	unsigned int n, count = mmio->size * 8 / bank->bits;
	unsigned long field = BIT(bank->bits) - 1;
	unsigned long mask = 0, all;
	enum mmio_result result;
	struct mmio_access old;

	if ((mmio->size != 4 && !(bank->bits == 8 && mmio->size == 1)) ||
	    !gic_access_aligned(mmio))
		return gic_bad_access(name, mmio);

	for (n = 0; n < count; n++)
		if (owned(ctx, first + n, mmio->is_write))
			mask |= field << (n * bank->bits);

	if (!mmio->is_write) {
		result = mask ? mmio_perform_access(frame, mmio) :
			MMIO_HANDLED;
		mmio->value &= mask;
		return result;
	}

	if (!mask || bank->write == GIC_BANK_READ_ONLY)
		return MMIO_HANDLED;
	all = BIT(mmio->size * 8) - 1;
	if (bank->write == GIC_BANK_SET_CLEAR || mask == all) {
		mmio->value &= mask;
		return mmio_perform_access(frame, mmio);
	}

	spin_lock(&gic_lock);
	old = *mmio;
	old.is_write = false;
	result = mmio_perform_access(frame, &old);
	if (result == MMIO_HANDLED) {
		mmio->value = (old.value & ~mask) | (mmio->value & mask);
		result = mmio_perform_access(frame, mmio);
	}
	spin_unlock(&gic_lock);
	return result;
}

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
		return mmio_perform_access(gicd, mmio);

	spin_lock(&gic_lock);
	result = mmio_perform_access(gicd, &route);
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
		result = mmio_perform_access(gicd, &route);
	}
	spin_unlock(&gic_lock);
	return result;
}

static enum mmio_result gicd_access_ctlr(const struct cell *cell,
					 struct mmio_access *mmio)
{
	if (mmio->size != 4)
		return gic_bad_access("GICD", mmio);
	if (!mmio->is_write)
		return mmio_perform_access(gicd, mmio);
	/* one distributor serves all cells: only the root configures it */
	if (cell != &root_cell)
		return MMIO_HANDLED;
	/* and cannot switch off routing or groups the hypervisor relies on */
	mmio->value |= mmio_read32(gicd + GICD_CTLR) &
		(GICD_CTLR_ENABLE_GRP0 | GICD_CTLR_ENABLE_GRP1NS |
		 GICD_CTLR_ENABLE_GRP1S | GICD_CTLR_ARE_S | GICD_CTLR_ARE_NS);
	return mmio_perform_access(gicd, mmio);
}

/* Message-based SPIs: only the cell's own may be raised or lowered. */
static enum mmio_result gicd_access_setclrspi(struct cell *cell,
					      struct mmio_access *mmio)
{
	unsigned int intid = mmio->value & GICD_SPI_INTID_MASK;

	if (mmio->size != 4)
		return gic_bad_access("GICD", mmio);
	if (!mmio->is_write)
		return gic_raz_wi(mmio);
	if (intid >= GIC_NUM_PRIVATE_IRQS && irqchip_irq_in_cell(cell, intid))
		return mmio_perform_access(gicd, mmio);
	return MMIO_HANDLED;
}

static enum mmio_result gicd_handle_access(void *arg, struct mmio_access *mmio)
{
	struct cell *cell = arg;
	unsigned long reg = mmio->address;
	const struct gic_irq_bank *bank = gic_find_irq_bank(reg);

	if (bank)
		return gic_access_irq_bank(gicd, "GICD", bank, mmio,
					   gicd_irq_owned, cell);
	if (reg >= GICD_IROUTER + 8 * GIC_NUM_PRIVATE_IRQS &&
	    reg < GICD_IROUTER + 8 * GIC_FIRST_SPECIAL_INTID)
		return gicd_access_irouter(cell, mmio);
	if (reg >= GICD_IDREGS && reg < GICD_SIZE)
		return gic_read_only(gicd, "GICD", mmio);

	switch (reg) {
	case GICD_CTLR:
		return gicd_access_ctlr(cell, mmio);
	case GICD_TYPER:
	case GICD_IIDR:
	case GICD_TYPER2:
		return gic_read_only(gicd, "GICD", mmio);
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
	unsigned long reg = address % gicr_stride;
	void *redist = gicr + (address - reg);
	const struct gic_irq_bank *bank;
	enum mmio_result result;
	unsigned int cpu;
	bool own = false;

	for_each_cpu(cpu, cell)
		if (per_cpu(cpu)->irq.gicr == redist)
			own = true;

	if (reg < GICR_SGI_BASE) {
		mmio->address = reg;
		result = gicr_access_rd(redist, own, mmio);
	} else if (reg < GICR_SGI_BASE + GICR_FRAME_SIZE && own) {
		mmio->address = reg - GICR_SGI_BASE;
		bank = gic_find_irq_bank(mmio->address);
		if (bank)
			result = gic_access_irq_bank(redist + GICR_SGI_BASE,
						     "GICR SGI", bank, mmio,
						     gicr_irq_owned, NULL);
		else
			result = gic_raz_wi(mmio);
	} else {
		/* foreign SGI frames and GICv4 virtual LPI frames */
		result = gic_raz_wi(mmio);
	}
	mmio->address = address;
	return result;
}

/*
 * An SPI changes hands: it starts disabled, inactive and not pending, in
 * Non-secure Group 1, routed to the first CPU of its new cell.
 */
static void gic_spi_handover(unsigned int irq, struct cell *cell)
{
	unsigned long word = gic_irq_word(irq, 1);
	unsigned int cpu = find_next_bit(cell->cpu_set, MAX_CPUS, 0);
	u32 bit = BIT(irq % 32);

	mmio_write32(gicd + GICD_ICENABLER + word, bit);
	gic_wait_dist_rwp();
	mmio_write32(gicd + GICD_ICPENDR + word, bit);
	mmio_write32(gicd + GICD_ICACTIVER + word, bit);
	spin_lock(&gic_lock);
	mmio_write32(gicd + GICD_IGROUPR + word,
		     mmio_read32(gicd + GICD_IGROUPR + word) | bit);
	mmio_write32(gicd + GICD_IGRPMODR + word,
		     mmio_read32(gicd + GICD_IGRPMODR + word) & ~bit);
	mmio_write64(gicd + GICD_IROUTER + 8 * irq,
		     per_cpu(cpu)->mpidr & GICD_IROUTER_AFF_MASK);
	spin_unlock(&gic_lock);
}

/* Interrupt ownership from the config, GICD/GICR traps. */
static int irqchip_cell_init(struct cell *cell)
{
	const struct jailhouse_irqchip *chip =
		jailhouse_cell_irqchips(cell->config);
	unsigned long gicd_base = system_config->platform_info.arm.gicd_base;
	unsigned long gicr_base = system_config->platform_info.arm.gicr_base;
	unsigned int n, pin, irq;
	int err;

	memset(&cell->irq, 0, sizeof(cell->irq));
	for (n = 0; n < cell->config->num_irqchips; n++, chip++) {
		if (chip->address != gicd_base) {
			printk("GIC: cell %u: irqchip %llx is not the "
			       "distributor\n", cell->id, chip->address);
			return -EINVAL;
		}
		for (pin = 0; pin < 128; pin++) {
			if (!(chip->pin_bitmap[pin / 32] & BIT(pin % 32)))
				continue;
			irq = chip->pin_base + pin;
			/* SGIs and PPIs go with the CPUs */
			if (irq < GIC_NUM_PRIVATE_IRQS)
				continue;
			if (irq > GIC_MAX_SPI) {
				printk("GIC: cell %u: no interrupt %u\n",
				       cell->id, irq);
				return -EINVAL;
			}
			if (cell != &root_cell &&
			    !test_bit(irq, root_cell.irq.irq_bitmap)) {
				printk("GIC: cell %u: interrupt %u is not the "
				       "root cell's\n", cell->id, irq);
				return -EBUSY;
			}
			__set_bit(irq, cell->irq.irq_bitmap);
		}
	}

	err = mmio_region_register(cell, gicd_base, GICD_SIZE,
				   gicd_handle_access, cell);
	if (err)
		return err;
	err = mmio_region_register(cell, gicr_base, gicr_size,
				   gicr_handle_access, cell);
	if (err) {
		mmio_region_unregister(cell, gicd_base);
		return err;
	}

	if (cell != &root_cell)
		for_each_set_bit(irq, cell->irq.irq_bitmap, GIC_NUM_IRQS) {
			clear_bit(irq, root_cell.irq.irq_bitmap);
			gic_spi_handover(irq, cell);
		}
	return 0;
}

static void irqchip_cell_exit(struct cell *cell)
{
	unsigned int irq;

	mmio_region_unregister(cell,
			       system_config->platform_info.arm.gicd_base);
	mmio_region_unregister(cell,
			       system_config->platform_info.arm.gicr_base);

	if (cell == &root_cell)
		return;
	/* cell_init took only interrupts of the root: all go back there */
	for_each_set_bit(irq, cell->irq.irq_bitmap, GIC_NUM_IRQS) {
		gic_spi_handover(irq, &root_cell);
		set_bit(irq, root_cell.irq.irq_bitmap);
	}
}

/*
 * What the configuration alone tells about the GIC frames, checked before
 * the first access to them: reading the distributor's ID registers on
 * another device, or in a hole, aborts at EL2.  Where they really are can
 * only be checked by the driver, against the device tree.
 */
static int check_gic_addresses(u64 gicd_base, u64 gicr_base, u64 gicr_size)
{
	const struct jailhouse_memory *hv_mem =
		&system_config->hypervisor_memory;
	const struct jailhouse_console *con = &system_config->debug_console;
	const struct jailhouse_cell_desc *root = &system_config->root_cell;
	const struct jailhouse_memory *mem = jailhouse_cell_mem_regions(root);
	u64 con_size = con->size ? con->size : PAGE_SIZE;
	unsigned int n;

	if (gicd_base & (GICD_SIZE - 1) || gicr_base & (GICR_FRAME_SIZE - 1)) {
		printk("GIC: distributor 0x%llx or redistributors 0x%llx not "
		       "64 KiB aligned\n", gicd_base, gicr_base);
		return -EINVAL;
	}
	if (ranges_overlap(gicd_base, GICD_SIZE, gicr_base, gicr_size)) {
		printk("GIC: distributor 0x%llx and redistributors 0x%llx "
		       "overlap\n", gicd_base, gicr_base);
		return -EINVAL;
	}
	if (ranges_overlap(gicd_base, GICD_SIZE, hv_mem->phys_start,
			   hv_mem->size) ||
	    ranges_overlap(gicr_base, gicr_size, hv_mem->phys_start,
			   hv_mem->size) ||
	    (con->type != JAILHOUSE_CON_TYPE_NONE &&
	     (ranges_overlap(gicd_base, GICD_SIZE, con->address, con_size) ||
	      ranges_overlap(gicr_base, gicr_size, con->address,
			     con_size)))) {
		printk("GIC: distributor 0x%llx or redistributors 0x%llx on "
		       "the hypervisor memory or the debug console\n",
		       gicd_base, gicr_base);
		return -EINVAL;
	}
	/* the root cell reaches the GIC only through the hypervisor */
	for (n = 0; n < root->num_memory_regions; n++, mem++)
		if (!(mem->flags & JAILHOUSE_MEM_COMM_REGION) &&
		    (ranges_overlap(gicd_base, GICD_SIZE, mem->phys_start,
				    mem->size) ||
		     ranges_overlap(gicr_base, gicr_size, mem->phys_start,
				    mem->size))) {
			printk("GIC: distributor 0x%llx or redistributors "
			       "0x%llx in root cell memory region %u\n",
			       gicd_base, gicr_base, n);
			return -EINVAL;
		}
	return 0;
}

/*
 * Read an ID register of what the config says is the GIC: a device that
 * answers with an abort, or none, is no GIC (and must not stop the CPU).
 */
static int probe_read(void *addr, unsigned int size, u64 *value)
{
	struct mmio_access mmio = { .size = size };

	if (arch_mmio_access(addr, &mmio) != MMIO_HANDLED)
		return -ENODEV;
	*value = mmio.value;
	return 0;
}

/* Global set-up on the first CPU: map GICD/GICR, check the version. */
static int irqchip_init(void)
{
	unsigned long gicd_base = system_config->platform_info.arm.gicd_base;
	unsigned long gicr_base = system_config->platform_info.arm.gicr_base;
	const struct jailhouse_cell_desc *root_config =
		&system_config->root_cell;
	const u8 *cpu_set = (const u8 *)jailhouse_cell_cpu_set(root_config);
	unsigned int cpu, num_cpus = 0;
	u64 pidr2, typer, pfr0;
	int err;

	if (system_config->platform_info.arm.gic_version != 3) {
		printk("GIC: version %u not supported, only GICv3\n",
		       system_config->platform_info.arm.gic_version);
		return -ENODEV;
	}
	maintenance_irq = system_config->platform_info.arm.maintenance_irq;
	if (maintenance_irq < GIC_NUM_SGIS ||
	    maintenance_irq >= GIC_NUM_PRIVATE_IRQS) {
		printk("GIC: maintenance interrupt %u is not a PPI\n",
		       maintenance_irq);
		return -EINVAL;
	}

	/*
	 * Without the system register interface there is no GICv3 at all,
	 * and the distributor's ID registers may lie in a hole that aborts.
	 */
	arm_read_sysreg(ID_AA64PFR0_EL1, pfr0);
	if (!((pfr0 >> ID_AA64PFR0_GIC_SHIFT) & ID_AA64PFR0_GIC_MASK)) {
		printk("GIC: the configuration says GICv3, but the CPUs have "
		       "no GICv3 system register interface\n");
		return -ENODEV;
	}

	/* one redistributor per CPU of the system, all the root's now */
	for (cpu = 0; cpu < root_config->cpu_set_size * 8; cpu++)
		if (cpu_set[cpu / 8] & BIT(cpu % 8))
			num_cpus = cpu + 1;
	err = check_gic_addresses(gicd_base, gicr_base,
				  num_cpus * GICR_V3_STRIDE);
	if (err)
		return err;

	gicd = paging_map_device(gicd_base, GICD_SIZE);
	if (!gicd)
		return -ENOMEM;
	if (probe_read(gicd + GICD_PIDR2, sizeof(u32), &pidr2) ||
	    (GIC_PIDR2_ARCH(pidr2) != 3 && GIC_PIDR2_ARCH(pidr2) != 4)) {
		printk("GIC: no GICv3 distributor at %lx\n", gicd_base);
		err = -ENODEV;
		goto err_unmap_gicd;
	}

	/* a GICv4 redistributor has two more frames for virtual LPIs */
	gicr = paging_map_device(gicr_base, GICR_FRAME_SIZE);
	if (!gicr) {
		err = -ENOMEM;
		goto err_unmap_gicd;
	}
	err = probe_read(gicr + GICR_TYPER, sizeof(u64), &typer);
	paging_unmap_device(gicr_base, gicr, GICR_FRAME_SIZE);
	if (err) {
		printk("GIC: no redistributor at %lx\n", gicr_base);
		goto err_unmap_gicd;
	}
	gicr_stride = (typer & GICR_TYPER_VLPIS) ? GICR_V4_STRIDE :
		GICR_V3_STRIDE;
	gicr_size = num_cpus * gicr_stride;
	/* a GICv4's frames reach further than checked above */
	err = check_gic_addresses(gicd_base, gicr_base, gicr_size);
	if (err)
		goto err_unmap_gicd;
	gicr = paging_map_device(gicr_base, gicr_size);
	if (!gicr) {
		err = -ENOMEM;
		goto err_unmap_gicd;
	}
	return 0;

err_unmap_gicd:
	paging_unmap_device(gicd_base, gicd, GICD_SIZE);
	return err;
}

/* Undo irqchip_init() when enabling fails after it. */
static void irqchip_shutdown(void)
{
	paging_unmap_device(system_config->platform_info.arm.gicr_base, gicr,
			    gicr_size);
	paging_unmap_device(system_config->platform_info.arm.gicd_base, gicd,
			    GICD_SIZE);
}

/* The distributor and the redistributors trap: two regions. */
static unsigned int irqchip_mmio_count_regions(struct cell *cell)
{
	return 2;
}

/*
 * The global and per-cell state come and go with the other units'; the
 * per-CPU hooks (asm/irqchip.h) are called by the arch code, as units have
 * none.
 */
DEFINE_UNIT(irqchip);
