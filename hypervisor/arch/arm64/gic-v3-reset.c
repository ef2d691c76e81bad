// SPDX-License-Identifier: GPL-2.0
/*
 * Stand-in, kept apart from gic-v3.c, for the GIC's part of starting a CPU
 * afresh in a cell: until gic-v3.c provides irqchip_cpu_reset() itself,
 * this minimal version gives the virtual CPU interface and the CPU's SGIs
 * and PPIs their reset state, so that nothing of the CPU's former guest
 * reaches the next one.  To be removed (with its Makefile entry) once
 * gic-v3.c has it.
 */
#include <jailhouse/bitops.h>
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/mmio.h>
#include <jailhouse/percpu.h>
#include <jailhouse/string.h>
#include <asm/gic_v3.h>
#include <asm/irqchip.h>
#include <asm/sysregs.h>

#define LR_CASE(n)						\
	case n:							\
		arm_read_sysreg(ICH_LR##n##_EL2, lr);		\
		arm_write_sysreg(ICH_LR##n##_EL2, 0);		\
		break

/* Empty list register @n; return what it held. */
static u64 take_lr(unsigned int n)
{
	u64 lr = 0;

	switch (n) {
	LR_CASE(0); LR_CASE(1); LR_CASE(2); LR_CASE(3);
	LR_CASE(4); LR_CASE(5); LR_CASE(6); LR_CASE(7);
	LR_CASE(8); LR_CASE(9); LR_CASE(10); LR_CASE(11);
	LR_CASE(12); LR_CASE(13); LR_CASE(14); LR_CASE(15);
	}
	return lr;
}

/*
 * An SPI injected with the HW bit is still active physically until the
 * guest deactivates it, which the CPU's old guest will not do any more.
 * One that changed cells was reset when it did and is left alone.
 */
static void drop_hw_spi(struct cell *cell, unsigned int intid)
{
	if (intid >= GIC_NUM_PRIVATE_IRQS && irqchip_irq_in_cell(cell, intid))
		arm_write_sysreg(ICC_DIR_EL1, intid);
}

void irqchip_cpu_reset(struct per_cpu *cpu_data)
{
	struct irqchip_percpu *irq = &cpu_data->irq;
	unsigned int n, maintenance_irq =
		system_config->platform_info.arm.maintenance_irq;
	u32 guest_irqs = ~(BIT(SGI_HYPERVISOR) | BIT(maintenance_irq));
	void *sgi_frame = irq->gicr + GICR_SGI_BASE;
	u64 lr, hcr;

	spin_lock(&irq->pending_lock);
	for (n = 0; n < irq->num_lrs; n++) {
		lr = take_lr(n);
		if ((lr & ICH_LR_HW) && (lr & ICH_LR_STATE_MASK))
			drop_hw_spi(cpu_data->cell, (u32)lr);
	}
	for_each_set_bit(n, irq->pending, IRQCHIP_NUM_IRQS)
		if (test_bit(n, irq->pending_hw))
			drop_hw_spi(cpu_data->cell, n);
	memset(irq->pending, 0, sizeof(irq->pending));
	memset(irq->pending_hw, 0, sizeof(irq->pending_hw));
	irq->num_pending = 0;
	spin_unlock(&irq->pending_lock);

	arm_read_sysreg(ICH_HCR_EL2, hcr);
	arm_write_sysreg(ICH_HCR_EL2, hcr & ~ICH_HCR_UIE);
	arm_write_sysreg(ICH_AP0R0_EL2, 0);
	arm_write_sysreg(ICH_AP1R0_EL2, 0);
	if (irq->num_aprs > 1) {
		arm_write_sysreg(ICH_AP0R1_EL2, 0);
		arm_write_sysreg(ICH_AP1R1_EL2, 0);
	}
	if (irq->num_aprs > 2) {
		arm_write_sysreg(ICH_AP0R2_EL2, 0);
		arm_write_sysreg(ICH_AP1R2_EL2, 0);
		arm_write_sysreg(ICH_AP0R3_EL2, 0);
		arm_write_sysreg(ICH_AP1R3_EL2, 0);
	}
	/* the virtual CPU interface as after reset: all off, EOImode 0 */
	arm_write_sysreg(ICH_VMCR_EL2, 0);

	mmio_write32(sgi_frame + GICR_ICENABLER0, guest_irqs);
	mmio_write32(sgi_frame + GICR_ICPENDR0, guest_irqs);
	mmio_write32(sgi_frame + GICR_ICACTIVER0, guest_irqs);
	isb();
}
