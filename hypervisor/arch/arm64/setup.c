// SPDX-License-Identifier: GPL-2.0
/*
 * Taking over an arm64 CPU and handing it back.
 *
 * Linux's EL2 state is saved in two steps: the entry code keeps what it
 * changes to turn the MMU on (asm/percpu.h, struct linux_el2_state), and
 * arch_cpu_init() the rest before it programs the CPU for the root cell.
 */
#include <jailhouse/arch.h>
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <jailhouse/string.h>
#include <asm/debug-pmu.h>
#include <asm/irqchip.h>
#include <asm/processor.h>
#include <asm/sysregs.h>
#include <asm/traps.h>

/*
 * Traps of the root cell (and of any cell): stage 2, interrupts taken at
 * EL2, SMC (PSCI), implementation-defined registers, ACTLR_EL1 and
 * set/way cache maintenance; WFI/WFE run natively.
 */
#define HCR_GUEST_FLAGS	(HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO |	\
			 HCR_AMO | HCR_TSC | HCR_TIDCP | HCR_TACR |	\
			 HCR_TSW | HCR_RW)

struct trap_context *guest_context(struct per_cpu *cpu_data)
{
	return (struct trap_context *)(cpu_data->stack +
				       PERCPU_STACK_SIZE) - 1;
}

int arch_cpu_init(struct per_cpu *cpu_data)
{
	struct linux_el2_state *saved = &cpu_data->arch.linux_el2;
	u64 hcr = HCR_GUEST_FLAGS, mpidr, midr, isar1;
	int err;

	spin_lock_init(&cpu_data->arch.control_lock);
	cpu_data->arch.psci_state = CPU_STATE_RUNNING;

	arm_read_sysreg(MPIDR_EL1, mpidr);
	arm_read_sysreg(MIDR_EL1, midr);
	cpu_data->mpidr = mpidr & MPIDR_AFF_MASK;

	arm_read_sysreg(CNTHCTL_EL2, saved->cnthctl);
	arm_read_sysreg(VTCR_EL2, saved->vtcr);
	arm_read_sysreg(VTTBR_EL2, saved->vttbr);
	arm_read_sysreg(VPIDR_EL2, saved->vpidr);
	arm_read_sysreg(VMPIDR_EL2, saved->vmpidr);
	arm_read_sysreg(MDCR_EL2, saved->mdcr);
	arm_read_sysreg(CPTR_EL2, saved->cptr);

	/* pointer authentication keys are the guest's business */
	arm_read_sysreg(ID_AA64ISAR1_EL1, isar1);
	if (isar1 & ID_AA64ISAR1_PAUTH_MASK)
		hcr |= HCR_API | HCR_APK;

	arm_write_sysreg(VPIDR_EL2, midr);
	arm_write_sysreg(VMPIDR_EL2, mpidr);
	/*
	 * Linux keeps its view of time: CNTVOFF_EL2 stays as the hyp stub
	 * set it, and the EL1 physical counter and timer remain accessible.
	 */
	arm_write_sysreg(CNTHCTL_EL2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
	/* handovers clear the FP/SIMD registers from EL2 (el1-reset.c) */
	arm_write_sysreg(CPTR_EL2, saved->cptr & ~CPTR_TFP);
	arm_write_sysreg(MDCR_EL2, arch_debug_pmu_mdcr(saved->mdcr));
	arch_cell_load_stage2(cpu_data->cell);
	arm_write_sysreg(HCR_EL2, hcr);
	isb();

	/* no stage-1-only translations of Linux may survive */
	asm volatile("tlbi alle1" : : : "memory");
	dsb(nsh);
	isb();

	err = irqchip_cpu_init(cpu_data);
	if (err) {
		arch_cpu_restore(cpu_data);
		return err;
	}
	cpu_data->irqchip_initialized = true;
	return 0;
}

void arch_cpu_restore(struct per_cpu *cpu_data)
{
	struct linux_el2_state *saved = &cpu_data->arch.linux_el2;

	if (cpu_data->irqchip_initialized)
		irqchip_cpu_shutdown(cpu_data);
	cpu_data->irqchip_initialized = false;

	arm_write_sysreg(HCR_EL2, saved->hcr);
	arm_write_sysreg(VTTBR_EL2, saved->vttbr);
	arm_write_sysreg(VTCR_EL2, saved->vtcr);
	arm_write_sysreg(VPIDR_EL2, saved->vpidr);
	arm_write_sysreg(VMPIDR_EL2, saved->vmpidr);
	arm_write_sysreg(CNTHCTL_EL2, saved->cnthctl);
	arm_write_sysreg(MDCR_EL2, saved->mdcr);
	arm_write_sysreg(CPTR_EL2, saved->cptr);
	isb();

	/* the stage-2 translations of the root cell go with it */
	asm volatile("tlbi alle1" : : : "memory");
	dsb(nsh);
	isb();
}

/* The frame Linux gets back behind its enabling hvc. */
static void prepare_linux_frame(struct per_cpu *cpu_data,
				struct trap_context *ctx)
{
	struct linux_el2_state *saved = &cpu_data->arch.linux_el2;

	memset(ctx, 0, sizeof(*ctx));
	memcpy(&ctx->regs[5], saved->regs, sizeof(saved->regs));
	ctx->elr = saved->elr;
	ctx->spsr = saved->spsr;
}

void arch_cpu_activate(struct per_cpu *cpu_data)
{
	struct trap_context *ctx = guest_context(cpu_data);

	prepare_linux_frame(cpu_data, ctx);
	cpu_data->arch.entered = true;
	vmreturn(ctx);
}

void arch_cpu_leave(struct per_cpu *cpu_data, int code)
{
	struct trap_context *ctx = guest_context(cpu_data);

	if (!cpu_data->arch.entered)
		prepare_linux_frame(cpu_data, ctx);
	ctx->regs[0] = code;
	arch_leave_hypervisor(cpu_data, ctx, false);
}

void arch_panic_stop(void)
{
	while (1)
		wfi();
}
