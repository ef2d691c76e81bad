// SPDX-License-Identifier: GPL-2.0
/*
 * Parked CPUs: a CPU that its cell turned off with PSCI CPU_OFF waits in
 * the hypervisor, interrupts masked, in WFI.  SGI_HYPERVISOR wakes it to
 * look at its requests: CPU_ON from its cell, or the hypervisor being
 * disabled, upon which it goes to the firmware for good.
 */
#include <jailhouse/arch.h>
#include <jailhouse/cell.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <jailhouse/string.h>
#include <asm/control.h>
#include <asm/irqchip.h>
#include <asm/processor.h>
#include <asm/psci.h>
#include <asm/sysregs.h>
#include <asm/traps.h>

/* How long disabling waits for a parked CPU to reach the firmware. */
#define CPU_OFF_TIMEOUT_MS	1000

void arch_handle_hypervisor_sgi(void)
{
	this_cpu_data()->stats[JAILHOUSE_CPU_STAT_VMEXITS_MANAGEMENT]++;
}

void arch_wake_cpu(unsigned int cpu)
{
	irqchip_send_hypervisor_sgi(cpu);
}

bool arch_cpu_parked(unsigned int cpu)
{
	return READ_ONCE(per_cpu(cpu)->arch.psci_state) != CPU_STATE_RUNNING;
}

/* The state PSCI CPU_ON promises at the entry point (DEN 0022, 6.4.3). */
static void reset_el1(struct trap_context *ctx, unsigned long entry,
		      unsigned long context)
{
	memset(ctx->regs, 0, sizeof(ctx->regs));
	ctx->regs[0] = context;
	ctx->elr = entry;
	ctx->spsr = PSR_MODE_EL1h | PSR_DAIF_MASK;

	arm_write_sysreg(SCTLR_EL1, SCTLR_EL1_RES1);
	arm_write_sysreg(CNTV_CTL_EL0, 0);
	arm_write_sysreg(CNTP_CTL_EL0, 0);
	isb();
	/* stale translations of the CPU's former life */
	asm volatile("tlbi vmalle1" : : : "memory");
	asm volatile("ic iallu" : : : "memory");
	dsb(nsh);
	isb();
}

static void __attribute__((noreturn))
leave_to_firmware(struct per_cpu *cpu_data, struct trap_context *ctx)
{
	arch_cpu_restore(cpu_data);
	arch_leave_hypervisor(cpu_data, ctx, true);
}

void arch_park_cpu(struct trap_context *ctx)
{
	struct per_cpu *cpu_data = this_cpu_data();
	unsigned long entry, context;

	spin_lock(&cpu_data->arch.control_lock);
	cpu_data->arch.psci_state = CPU_STATE_OFF;
	spin_unlock(&cpu_data->arch.control_lock);

	while (1) {
		spin_lock(&cpu_data->arch.control_lock);
		if (cpu_data->arch.shutdown_requested) {
			spin_unlock(&cpu_data->arch.control_lock);
			leave_to_firmware(cpu_data, ctx);
		}
		if (cpu_data->arch.psci_state == CPU_STATE_ON_PENDING) {
			entry = cpu_data->arch.psci_entry;
			context = cpu_data->arch.psci_context;
			cpu_data->arch.psci_state = CPU_STATE_RUNNING;
			spin_unlock(&cpu_data->arch.control_lock);
			break;
		}
		spin_unlock(&cpu_data->arch.control_lock);

		/* a pending SGI ends WFI even with interrupts masked */
		wfi();
		irqchip_handle_irq();
	}

	reset_el1(ctx, entry, context);
}

static u64 counter_ms(void)
{
	u64 count, freq;

	isb();
	arm_read_sysreg(CNTPCT_EL0, count);
	arm_read_sysreg(CNTFRQ_EL0, freq);
	return freq ? count / (freq / 1000 ? freq / 1000 : 1) : 0;
}

void arch_shutdown_parked_cpu(unsigned int cpu)
{
	struct per_cpu *cpu_data = per_cpu(cpu);
	u64 start;

	spin_lock(&cpu_data->arch.control_lock);
	cpu_data->arch.shutdown_requested = true;
	spin_unlock(&cpu_data->arch.control_lock);
	arch_wake_cpu(cpu);

	/* its hypervisor memory must be left alone before we return */
	start = counter_ms();
	while (smc_call(PSCI_AFFINITY_INFO_64, cpu_data->mpidr, 0, 0) !=
	       PSCI_AFFINITY_OFF) {
		if (counter_ms() - start > CPU_OFF_TIMEOUT_MS) {
			printk("CPU %u did not reach the firmware\n", cpu);
			return;
		}
		cpu_relax();
	}
}
