// SPDX-License-Identifier: GPL-2.0
/*
 * GICv3 driver (asm/gic.h): the system register CPU interface (ICC_*)
 * with its virtualization controls (ICH_*), the redistributors, and the
 * cells' views of the distributor and the redistributors, which trap and
 * are filtered by interrupt ownership.
 *
 * The physical interface serves the hypervisor with EOImode 1 (priority
 * drop and deactivation apart).  The CPU interface Linux programmed
 * before the hypervisor came in becomes the virtual one (ICH_VMCR_EL2),
 * and goes back on the way out.
 */
#include <jailhouse/bitops.h>
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/mmio.h>
#include <jailhouse/paging.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <jailhouse/spinlock.h>
#include <jailhouse/string.h>
#include <jailhouse/utils.h>
#include <asm/gic.h>
#include <asm/gic_v3.h>
#include <asm/irqchip.h>
#include <asm/processor.h>
#include <asm/sysregs.h>

/* Bounded wait for the distributor to finish a disable (GICD_CTLR.RWP). */
#define GIC_RWP_TIMEOUT		1000000

void *gic_v3_gicd;
void *gic_v3_gicr;
unsigned long gic_v3_gicr_size;
unsigned long gic_v3_gicr_stride;

/* What the driver keeps per CPU. */
struct gic_v3_cpu {
	/* the CPU's redistributor (RD_base) */
	void *gicr;
	/* ICH_AP<g>R<n>_EL2 registers in use */
	unsigned int num_aprs;
	/* EL2 and redistributor state handed back on shutdown */
	u64 saved_icc_sre_el2;
	u32 saved_hv_irqs_enabled;
	u8 saved_hv_irqs_prio[2];
};

static struct gic_v3_cpu gic_v3_cpus[MAX_CPUS];

void *gic_v3_redist(unsigned int cpu)
{
	return gic_v3_cpus[cpu].gicr;
}

static struct gic_v3_cpu *gic_v3_cpu(struct per_cpu *cpu_data)
{
	return &gic_v3_cpus[cpu_data->cpu_id];
}

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

/*
 * Zero the active priority registers of both groups, @num_aprs (1, 2 or
 * 4, by the priority bits implemented) of each: ICH_AP<g>R<n>_EL2 of the
 * virtual CPU interface (@pfx ICH, @el EL2) or ICC_AP<g>R<n>_EL1 of the
 * physical one.  A macro, as system registers are named in the code.
 */
#define CLEAR_APRS(pfx, el, num_aprs)					\
	do {								\
		arm_write_sysreg(pfx##_AP0R0_##el, 0);			\
		arm_write_sysreg(pfx##_AP1R0_##el, 0);			\
		if ((num_aprs) > 1) {					\
			arm_write_sysreg(pfx##_AP0R1_##el, 0);		\
			arm_write_sysreg(pfx##_AP1R1_##el, 0);		\
		}							\
		if ((num_aprs) > 2) {					\
			arm_write_sysreg(pfx##_AP0R2_##el, 0);		\
			arm_write_sysreg(pfx##_AP1R2_##el, 0);		\
			arm_write_sysreg(pfx##_AP0R3_##el, 0);		\
			arm_write_sysreg(pfx##_AP1R3_##el, 0);		\
		}							\
	} while (0)

static void gic_clear_aprs(unsigned int num_aprs)
{
	CLEAR_APRS(ICH, EL2, num_aprs);
}

static void gic_v3_read_lr(unsigned int n, struct gic_lr *lr)
{
	u64 val = gic_read_lr(n);

	lr->virq = val & ICH_LR_VINTID_MASK;
	lr->priority = (val & ICH_LR_PRIORITY_MASK) >> ICH_LR_PRIORITY_SHIFT;
	lr->hw = !!(val & ICH_LR_HW);
	lr->pending = !!(val & ICH_LR_STATE_PENDING);
	lr->active = !!(val & ICH_LR_STATE_ACTIVE);
}

static u64 gic_lr_value(const struct gic_lr *lr)
{
	u64 val = lr->virq | ICH_LR_GROUP1 |
		((u64)lr->priority << ICH_LR_PRIORITY_SHIFT);

	if (!lr->pending && !lr->active)
		return 0;
	if (lr->pending)
		val |= ICH_LR_STATE_PENDING;
	if (lr->active)
		val |= ICH_LR_STATE_ACTIVE;
	if (lr->hw)
		val |= ICH_LR_HW | ((u64)lr->virq << ICH_LR_PINTID_SHIFT);
	return val;
}

static void gic_v3_write_lr(unsigned int n, const struct gic_lr *lr)
{
	gic_write_lr(n, gic_lr_value(lr));
}

static u64 gic_v3_empty_lrs(void)
{
	u64 elrsr;

	arm_read_sysreg(ICH_ELRSR_EL2, elrsr);
	return elrsr;
}

static bool gic_v3_inject_idle(u64 lrs_mask, unsigned int virq, u8 priority)
{
	struct gic_lr lr = {
		.virq = virq,
		.priority = priority,
		.hw = true,
		.pending = true,
	};

	if (~gic_v3_empty_lrs() & lrs_mask)
		return false;
	arm_write_sysreg(ICH_LR0_EL2, gic_lr_value(&lr));
	return true;
}

static void gic_v3_set_underflow_irq(bool enable)
{
	u64 hcr;

	arm_read_sysreg(ICH_HCR_EL2, hcr);
	if (enable)
		hcr |= ICH_HCR_UIE;
	else
		hcr &= ~ICH_HCR_UIE;
	arm_write_sysreg(ICH_HCR_EL2, hcr);
}

static unsigned int gic_v3_ack(u32 *iar, u8 *priority)
{
	unsigned int intid;
	u64 val, rpr;

	arm_read_sysreg(ICC_IAR1_EL1, val);
	intid = val & 0xffffff;
	if (intid >= GIC_FIRST_SPECIAL_INTID)
		return intid;
	/* the group priority of the interrupt just acknowledged */
	arm_read_sysreg(ICC_RPR_EL1, rpr);
	arm_write_sysreg(ICC_EOIR1_EL1, val);
	*iar = intid;
	*priority = rpr;
	return intid;
}

static void gic_v3_deactivate(u32 iar)
{
	arm_write_sysreg(ICC_DIR_EL1, iar);
}

/* Affinity as GICR_TYPER reports it: Aff3.Aff2.Aff1.Aff0. */
static u32 gic_mpidr_to_typer_aff(u64 mpidr)
{
	return (MPIDR_AFF3(mpidr) << 24) | (MPIDR_AFF2(mpidr) << 16) |
		(MPIDR_AFF1(mpidr) << 8) | MPIDR_AFF0(mpidr);
}

/* ICC_SGI0R_EL1/ICC_SGI1R_EL1 value for @sgi to the CPU of @mpidr */
static u64 gic_sgir_value(u64 mpidr, unsigned int sgi)
{
	unsigned int aff0 = MPIDR_AFF0(mpidr);

	return ((u64)sgi << ICC_SGI1R_INTID_SHIFT) |
		(MPIDR_AFF3(mpidr) << ICC_SGI1R_AFF3_SHIFT) |
		(MPIDR_AFF2(mpidr) << ICC_SGI1R_AFF2_SHIFT) |
		(MPIDR_AFF1(mpidr) << ICC_SGI1R_AFF1_SHIFT) |
		((u64)(aff0 >> 4) << ICC_SGI1R_RS_SHIFT) |
		BIT(aff0 & 0xf);
}

static void gic_send_sgi_mpidr(u64 mpidr, unsigned int sgi)
{
	arm_write_sysreg(ICC_SGI1R_EL1, gic_sgir_value(mpidr, sgi));
}

static void gic_v3_send_sgi(unsigned int cpu, unsigned int sgi)
{
	u64 mpidr = per_cpu(cpu)->mpidr;

	gic_send_sgi_mpidr(mpidr, sgi);
	/*
	 * With direct delivery the target has its hypervisor SGI in group 0,
	 * which SGI1R does not reach; a write for the other group is
	 * ignored, so one of the two lands, whichever mode the target is
	 * switching to meanwhile.
	 */
	if (sgi == SGI_HYPERVISOR)
		arm_write_sysreg(ICC_SGI0R_EL1, gic_sgir_value(mpidr, sgi));
}

/* Frame with the per-interrupt registers of @irq as @cpu_data sees them. */
static void *gic_v3_irq_frame(struct per_cpu *cpu_data, unsigned int irq)
{
	if (irq < GIC_NUM_PRIVATE_IRQS)
		return gic_v3_cpu(cpu_data)->gicr + GICR_SGI_BASE;
	return gic_v3_gicd;
}

static void gic_wait_dist_rwp(void)
{
	unsigned int n;

	for (n = 0; n < GIC_RWP_TIMEOUT; n++)
		if (!(mmio_read32(gic_v3_gicd + GICD_CTLR) & GICD_CTLR_RWP))
			return;
	printk("GIC: distributor write not completed\n");
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
		gic_send_sgi_mpidr(mpidr, sgi);
	}
	isb();
}

static void *gic_find_redist(u64 mpidr)
{
	u32 aff = gic_mpidr_to_typer_aff(mpidr);
	unsigned long offs;
	u64 typer;

	for (offs = 0; offs < gic_v3_gicr_size; offs += gic_v3_gicr_stride) {
		typer = mmio_read64(gic_v3_gicr + offs + GICR_TYPER);
		if (GICR_TYPER_AFFINITY(typer) == aff)
			return gic_v3_gicr + offs;
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
static void gic_adopt_active(void *gic_v3_gicr, unsigned int num_lrs)
{
	void *sgi_frame = gic_v3_gicr + GICR_SGI_BASE;
	u32 active = mmio_read32(sgi_frame + GICR_ISACTIVER0);
	struct gic_lr lr = { .active = true };
	unsigned int intid, n = 0;

	for (intid = 0; intid < GIC_NUM_PRIVATE_IRQS; intid++) {
		if (!(active & BIT(intid)))
			continue;
		/* no list register left, or ours: nobody else deactivates */
		if (n >= num_lrs || (gic_hv_irqs_mask() & BIT(intid))) {
			mmio_write32(sgi_frame + GICR_ICACTIVER0, BIT(intid));
			continue;
		}
		if (intid < GIC_NUM_SGIS)
			mmio_write32(sgi_frame + GICR_ICACTIVER0, BIT(intid));

		lr.virq = intid;
		lr.priority = gic_read_priority(sgi_frame, intid);
		lr.hw = intid >= GIC_NUM_SGIS;
		gic_v3_write_lr(n++, &lr);
	}
}

/*
 * The hypervisor's SGI and the maintenance interrupt: group 1, a priority
 * that passes the hypervisor's mask, enabled.  Linux configures all
 * interrupts as group 1, so only enable and priority are handed back.
 */
static void gic_setup_hv_irqs(struct gic_v3_cpu *cpu)
{
	void *sgi_frame = cpu->gicr + GICR_SGI_BASE;
	u32 mask = gic_hv_irqs_mask();

	cpu->saved_hv_irqs_enabled =
		mmio_read32(sgi_frame + GICR_ISENABLER0) & mask;
	cpu->saved_hv_irqs_prio[0] = gic_read_priority(sgi_frame,
						       SGI_HYPERVISOR);
	cpu->saved_hv_irqs_prio[1] = gic_read_priority(sgi_frame,
						       gic_maintenance_irq);

	spin_lock(&gic_lock);
	mmio_write32(sgi_frame + GICR_IGROUPR0,
		     mmio_read32(sgi_frame + GICR_IGROUPR0) | mask);
	mmio_write32(sgi_frame + GICR_IGRPMODR0,
		     mmio_read32(sgi_frame + GICR_IGRPMODR0) & ~mask);
	gic_write_priority(sgi_frame, SGI_HYPERVISOR, GIC_HV_PRIORITY);
	gic_write_priority(sgi_frame, gic_maintenance_irq, GIC_HV_PRIORITY);
	spin_unlock(&gic_lock);

	mmio_write32(sgi_frame + GICR_ISENABLER0, mask);
}

static void gic_restore_hv_irqs(struct gic_v3_cpu *cpu)
{
	void *sgi_frame = cpu->gicr + GICR_SGI_BASE;
	u32 disable = gic_hv_irqs_mask() & ~cpu->saved_hv_irqs_enabled;

	if (disable)
		mmio_write32(sgi_frame + GICR_ICENABLER0, disable);
	/* a late request must not reach Linux as an interrupt of its own */
	mmio_write32(sgi_frame + GICR_ICPENDR0, gic_hv_irqs_mask());

	spin_lock(&gic_lock);
	gic_write_priority(sgi_frame, SGI_HYPERVISOR,
			   cpu->saved_hv_irqs_prio[0]);
	gic_write_priority(sgi_frame, gic_maintenance_irq,
			   cpu->saved_hv_irqs_prio[1]);
	spin_unlock(&gic_lock);
}

static int gic_v3_cpu_init(struct per_cpu *cpu_data)
{
	struct gic_v3_cpu *cpu = gic_v3_cpu(cpu_data);
	u64 sre, vtr, ctlr, pmr, bpr0, bpr1, grpen0, grpen1, vmcr;
	unsigned int num_lrs, n;

	cpu->gicr = gic_find_redist(cpu_data->mpidr);
	if (!cpu->gicr) {
		printk("GIC: no redistributor for CPU %u (MPIDR %llx)\n",
		       cpu_data->cpu_id, cpu_data->mpidr);
		return -ENODEV;
	}

	arm_read_sysreg(ICC_SRE_EL2, sre);
	cpu->saved_icc_sre_el2 = sre;
	arm_write_sysreg(ICC_SRE_EL2, sre | ICC_SRE_SRE | ICC_SRE_ENABLE);
	isb();
	arm_read_sysreg(ICC_SRE_EL2, sre);
	if (!(sre & ICC_SRE_SRE)) {
		arm_write_sysreg(ICC_SRE_EL2, cpu->saved_icc_sre_el2);
		isb();
		printk("GIC: CPU %u: no system register interface\n",
		       cpu_data->cpu_id);
		return -ENODEV;
	}

	arm_read_sysreg(ICH_VTR_EL2, vtr);
	num_lrs = MIN(ICH_VTR_LISTREGS(vtr), ICH_MAX_LRS);
	cpu->num_aprs = 1 << (ICH_VTR_PREBITS(vtr) - 5);

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

	for (n = 0; n < num_lrs; n++)
		gic_write_lr(n, 0);
	gic_clear_aprs(cpu->num_aprs);
	arm_write_sysreg(ICH_VMCR_EL2, vmcr);
	gic_adopt_active(cpu->gicr, num_lrs);

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

	gic_setup_hv_irqs(cpu);

	arm_write_sysreg(ICH_HCR_EL2, ICH_HCR_EN);
	isb();
	return num_lrs;
}

static void gic_v3_cpu_shutdown(struct per_cpu *cpu_data)
{
	struct gic_v3_cpu *cpu = gic_v3_cpu(cpu_data);
	u64 vmcr, ctlr;

	arm_write_sysreg(ICH_HCR_EL2, 0);
	isb();
	arm_read_sysreg(ICH_VMCR_EL2, vmcr);
	gic_clear_aprs(cpu->num_aprs);

	gic_restore_hv_irqs(cpu);

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
	arm_write_sysreg(ICC_SRE_EL2, cpu->saved_icc_sre_el2);
	isb();
}

static void gic_v3_cpu_reset(struct per_cpu *cpu_data)
{
	gic_clear_aprs(gic_v3_cpu(cpu_data)->num_aprs);
	/* the virtual CPU interface as after reset: all off, EOImode 0 */
	arm_write_sysreg(ICH_VMCR_EL2, 0);
}

/*
 * The physical interface's active priorities.  Called at EL2 when the
 * hypervisor has nothing active: what is left there is a guest's.
 */
static void gic_clear_phys_aprs(void)
{
	unsigned int bits;
	u64 ctlr;

	arm_read_sysreg(ICC_CTLR_EL1, ctlr);
	bits = ICC_CTLR_PRIBITS(ctlr);
	/* one register for up to 5 bits, 2 for 6, 4 for 7 or 8 */
	CLEAR_APRS(ICC, EL1, bits > 6 ? 4 : bits > 5 ? 2 : 1);
}

/* No interrupt of a direct cell is as urgent as the hypervisor's SGI. */
static void gic_clamp_priority(void *frame, unsigned int irq)
{
	if (gic_read_priority(frame, irq) < GIC_DIRECT_MIN_PRIORITY)
		gic_write_priority(frame, irq, GIC_DIRECT_MIN_PRIORITY);
}

/*
 * What a direct cell acknowledged on the physical interface and left
 * active on this CPU: its SGIs and PPIs, and its SPIs routed here.
 */
static void gic_drop_direct_active(struct per_cpu *cpu_data)
{
	void *sgi_frame = gic_v3_cpu(cpu_data)->gicr + GICR_SGI_BASE;
	u64 route = cpu_data->mpidr & GICD_IROUTER_AFF_MASK;
	const unsigned long *owned = cpu_data->cell->irq.irq_bitmap;
	unsigned int irq;

	mmio_write32(sgi_frame + GICR_ICACTIVER0, ~gic_hv_irqs_mask());
	for_each_set_bit(irq, owned, GIC_NUM_IRQS) {
		if (irq < GIC_NUM_PRIVATE_IRQS ||
		    !(mmio_read32(gic_v3_gicd + GICD_ISACTIVER +
				  gic_irq_word(irq, 1)) & BIT(irq % 32)) ||
		    (mmio_read64(gic_v3_gicd + GICD_IROUTER + 8 * irq) &
		     (GICD_IROUTER_IRM | GICD_IROUTER_AFF_MASK)) != route)
			continue;
		mmio_write32(gic_v3_gicd + GICD_ICACTIVER +
			     gic_irq_word(irq, 1), BIT(irq % 32));
	}
}

static void gic_v3_cpu_direct(struct per_cpu *cpu_data, bool on)
{
	void *sgi_frame = gic_v3_cpu(cpu_data)->gicr + GICR_SGI_BASE;
	const unsigned long *owned = cpu_data->cell->irq.irq_bitmap;
	unsigned int irq;
	u32 group;
	u64 ctlr;

	if (!on)
		gic_drop_direct_active(cpu_data);
	gic_clear_phys_aprs();

	/* the guest's EOIR1 deactivates: its DIR reaches the ICV register */
	arm_read_sysreg(ICC_CTLR_EL1, ctlr);
	arm_write_sysreg(ICC_CTLR_EL1, on ? ctlr & ~ICC_CTLR_EOIMODE :
			 ctlr | ICC_CTLR_EOIMODE);

	spin_lock(&gic_lock);
	group = mmio_read32(sgi_frame + GICR_IGROUPR0);
	mmio_write32(sgi_frame + GICR_IGROUPR0,
		     on ? group & ~BIT(SGI_HYPERVISOR) :
		     group | BIT(SGI_HYPERVISOR));
	gic_write_priority(sgi_frame, SGI_HYPERVISOR,
			   on ? GIC_DIRECT_HV_PRIORITY : GIC_HV_PRIORITY);
	if (on) {
		for (irq = 0; irq < GIC_NUM_PRIVATE_IRQS; irq++)
			if (!(gic_hv_irqs_mask() & BIT(irq)))
				gic_clamp_priority(sgi_frame, irq);
		for_each_set_bit(irq, owned, GIC_NUM_IRQS)
			if (irq >= GIC_NUM_PRIVATE_IRQS)
				gic_clamp_priority(gic_v3_gicd, irq);
	}
	spin_unlock(&gic_lock);

	arm_write_sysreg(ICC_IGRPEN0_EL1, on);
	isb();
}

static int gic_v3_check_direct(struct cell *cell)
{
	/*
	 * With two security states, group 0 is Secure, the firmware's, and
	 * nothing is left for the hypervisor's SGI that the cell could not
	 * mask (Documentation/direct-irqs.md).
	 */
	if (!(mmio_read32(gic_v3_gicd + GICD_CTLR) & GICD_CTLR_DS)) {
		printk("GIC: cell \"%s\": direct interrupt delivery needs a "
		       "GIC with a single security state (GICD_CTLR.DS), "
		       "this one has two\n", cell->config->name);
		return -EINVAL;
	}
	return 0;
}

static void gic_v3_direct_wfi(void)
{
	u64 rpr;

	arm_read_sysreg(ICC_RPR_EL1, rpr);
	if (rpr >= GIC_DIRECT_MIN_PRIORITY)
		wfi();
}

static unsigned int gic_v3_ack_group0(void)
{
	unsigned int intid;
	u64 iar;

	arm_read_sysreg(ICC_IAR0_EL1, iar);
	intid = iar & 0xffffff;
	/* EOImode 0 in direct delivery: priority drop and deactivation */
	if (intid < GIC_FIRST_SPECIAL_INTID)
		arm_write_sysreg(ICC_EOIR0_EL1, iar);
	return intid;
}

/*
 * An SPI changes hands: it starts disabled, inactive and not pending, in
 * Non-secure Group 1, routed to @cpu.
 */
static void gic_v3_spi_handover(unsigned int irq, unsigned int cpu)
{
	unsigned long word = gic_irq_word(irq, 1);
	u32 bit = BIT(irq % 32);

	mmio_write32(gic_v3_gicd + GICD_ICENABLER + word, bit);
	gic_wait_dist_rwp();
	mmio_write32(gic_v3_gicd + GICD_ICPENDR + word, bit);
	mmio_write32(gic_v3_gicd + GICD_ICACTIVER + word, bit);
	spin_lock(&gic_lock);
	mmio_write32(gic_v3_gicd + GICD_IGROUPR + word,
		     mmio_read32(gic_v3_gicd + GICD_IGROUPR + word) | bit);
	mmio_write32(gic_v3_gicd + GICD_IGRPMODR + word,
		     mmio_read32(gic_v3_gicd + GICD_IGRPMODR + word) & ~bit);
	mmio_write64(gic_v3_gicd + GICD_IROUTER + 8 * irq,
		     per_cpu(cpu)->mpidr & GICD_IROUTER_AFF_MASK);
	spin_unlock(&gic_lock);
}

/* 1-of-N routing could pick any CPU: it goes to one of @cpus, too. */
static void gic_v3_spi_confine(unsigned int irq, const unsigned long *cpus)
{
	void *reg = gic_v3_gicd + GICD_IROUTER + 8 * irq;
	unsigned int cpu;
	u64 route;

	spin_lock(&gic_lock);
	route = mmio_read64(reg);
	if (!(route & GICD_IROUTER_IRM))
		for_each_set_bit(cpu, cpus, MAX_CPUS)
			if ((per_cpu(cpu)->mpidr & GICD_IROUTER_AFF_MASK) ==
			    (route & GICD_IROUTER_AFF_MASK))
				goto out;
	cpu = find_next_bit(cpus, MAX_CPUS, 0);
	mmio_write64(reg, per_cpu(cpu)->mpidr & GICD_IROUTER_AFF_MASK);
out:
	spin_unlock(&gic_lock);
}

static int check_gic_addresses(u64 gicd_base, u64 gicr_base, u64 gicr_size)
{
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
	if (gic_check_frame("distributor", gicd_base, GICD_SIZE) ||
	    gic_check_frame("redistributors", gicr_base, gicr_size))
		return -EINVAL;
	return 0;
}

/* Global set-up on the first CPU: map GICD/GICR, check the version. */
static int gic_v3_init(void)
{
	unsigned long gicd_base = system_config->platform_info.arm.gicd_base;
	unsigned long gicr_base = system_config->platform_info.arm.gicr_base;
	const struct jailhouse_cell_desc *root_config =
		&system_config->root_cell;
	const u8 *cpu_set = (const u8 *)jailhouse_cell_cpu_set(root_config);
	unsigned int cpu, num_cpus = 0;
	u64 pidr2, typer, pfr0;
	int err;

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

	gic_v3_gicd = paging_map_device(gicd_base, GICD_SIZE);
	if (!gic_v3_gicd)
		return -ENOMEM;
	if (gic_probe_read(gic_v3_gicd + GICD_PIDR2, sizeof(u32), &pidr2) ||
	    (GIC_PIDR2_ARCH(pidr2) != 3 && GIC_PIDR2_ARCH(pidr2) != 4)) {
		printk("GIC: no GICv3 distributor at %lx\n", gicd_base);
		err = -ENODEV;
		goto err_unmap_gicd;
	}

	/* a GICv4 redistributor has two more frames for virtual LPIs */
	gic_v3_gicr = paging_map_device(gicr_base, GICR_FRAME_SIZE);
	if (!gic_v3_gicr) {
		err = -ENOMEM;
		goto err_unmap_gicd;
	}
	err = gic_probe_read(gic_v3_gicr + GICR_TYPER, sizeof(u64), &typer);
	paging_unmap_device(gicr_base, gic_v3_gicr, GICR_FRAME_SIZE);
	if (err) {
		printk("GIC: no redistributor at %lx\n", gicr_base);
		goto err_unmap_gicd;
	}
	gic_v3_gicr_stride = (typer & GICR_TYPER_VLPIS) ? GICR_V4_STRIDE :
		GICR_V3_STRIDE;
	gic_v3_gicr_size = num_cpus * gic_v3_gicr_stride;
	/* a GICv4's frames reach further than checked above */
	err = check_gic_addresses(gicd_base, gicr_base, gic_v3_gicr_size);
	if (err)
		goto err_unmap_gicd;
	gic_v3_gicr = paging_map_device(gicr_base, gic_v3_gicr_size);
	if (!gic_v3_gicr) {
		err = -ENOMEM;
		goto err_unmap_gicd;
	}
	return 0;

err_unmap_gicd:
	paging_unmap_device(gicd_base, gic_v3_gicd, GICD_SIZE);
	return err;
}

static void gic_v3_shutdown(void)
{
	const struct jailhouse_system *sys = system_config;

	paging_unmap_device(sys->platform_info.arm.gicr_base, gic_v3_gicr,
			    gic_v3_gicr_size);
	paging_unmap_device(sys->platform_info.arm.gicd_base, gic_v3_gicd,
			    GICD_SIZE);
}

/* Linux's MSIs through the distributor (mbi-ranges): gic-v3-mmio.c */
static unsigned long gic_v3_msi_address(void)
{
	return system_config->platform_info.arm.gicd_base + GICD_SETSPI_NSR;
}

const struct gic_ops gic_v3_ops = {
	.init = gic_v3_init,
	.shutdown = gic_v3_shutdown,
	.cpu_init = gic_v3_cpu_init,
	.cpu_shutdown = gic_v3_cpu_shutdown,
	.cpu_reset = gic_v3_cpu_reset,
	.cpu_direct = gic_v3_cpu_direct,
	.check_direct = gic_v3_check_direct,
	.direct_wfi = gic_v3_direct_wfi,
	.ack_group0 = gic_v3_ack_group0,
	.cell_init = gic_v3_cell_init,
	.cell_exit = gic_v3_cell_exit,
	.mmio_count_regions = gic_v3_mmio_count_regions,
	.ack = gic_v3_ack,
	.deactivate = gic_v3_deactivate,
	.read_lr = gic_v3_read_lr,
	.write_lr = gic_v3_write_lr,
	.empty_lrs = gic_v3_empty_lrs,
	.inject_idle = gic_v3_inject_idle,
	.set_underflow_irq = gic_v3_set_underflow_irq,
	.send_sgi = gic_v3_send_sgi,
	.irq_frame = gic_v3_irq_frame,
	.set_sgi_pending = gic_set_phys_pending,
	.spi_handover = gic_v3_spi_handover,
	.spi_confine = gic_v3_spi_confine,
	.msi_address = gic_v3_msi_address,
};
