// SPDX-License-Identifier: GPL-2.0
/*
 * PSCI 1.0 and SMCCC 1.1 for the cells (Arm DEN 0022, DEN 0028).
 *
 * CPU_OFF parks the calling CPU in the hypervisor; CPU_ON wakes a parked
 * CPU of the same cell and sends it to the entry point at EL1 with its
 * MMU off.  SYSTEM_OFF and SYSTEM_RESET of the root cell go to the
 * firmware.  Everything else is answered NOT_SUPPORTED.
 */
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <asm/control.h>
#include <asm/psci.h>
#include <asm/sysregs.h>
#include <asm/traps.h>

static bool is_64bit_call(u32 fid)
{
	return fid & SMCCC_64;
}

static long psci_cpu_on(struct trap_context *ctx, bool is64)
{
	struct cell *cell = this_cell();
	unsigned long target = ctx->regs[1] & MPIDR_AFF_MASK;
	unsigned long entry = ctx->regs[2], context = ctx->regs[3];
	struct per_cpu *cpu_data;
	unsigned int cpu;
	long result;

	if (!is64) {
		target &= 0xffffffff;
		entry &= 0xffffffff;
		context &= 0xffffffff;
	}

	for_each_cpu(cpu, cell)
		if (per_cpu(cpu)->mpidr == target)
			break;
	if (cpu >= MAX_CPUS)
		return PSCI_INVALID_PARAMETERS;

	cpu_data = per_cpu(cpu);
	spin_lock(&cpu_data->arch.control_lock);
	switch (cpu_data->arch.psci_state) {
	case CPU_STATE_OFF:
		cpu_data->arch.psci_entry = entry;
		cpu_data->arch.psci_context = context;
		cpu_data->arch.psci_state = CPU_STATE_ON_PENDING;
		result = PSCI_SUCCESS;
		break;
	case CPU_STATE_ON_PENDING:
		result = PSCI_ON_PENDING;
		break;
	default:
		result = PSCI_ALREADY_ON;
		break;
	}
	spin_unlock(&cpu_data->arch.control_lock);

	if (result == PSCI_SUCCESS)
		arch_wake_cpu(cpu);
	return result;
}

static long psci_affinity_info(struct trap_context *ctx, bool is64)
{
	unsigned long target = ctx->regs[1] & MPIDR_AFF_MASK;
	unsigned int cpu;

	if (!is64)
		target &= 0xffffffff;
	/* only level 0, single CPUs, is meaningful for the cells */
	if (ctx->regs[2] != 0)
		return PSCI_INVALID_PARAMETERS;

	for_each_cpu(cpu, this_cell())
		if (per_cpu(cpu)->mpidr == target)
			break;
	if (cpu >= MAX_CPUS)
		return PSCI_INVALID_PARAMETERS;

	switch (READ_ONCE(per_cpu(cpu)->arch.psci_state)) {
	case CPU_STATE_OFF:
		return PSCI_AFFINITY_OFF;
	case CPU_STATE_ON_PENDING:
		return PSCI_AFFINITY_ON_PENDING;
	default:
		return PSCI_AFFINITY_ON;
	}
}

static bool psci_supported(u32 fid)
{
	switch (fid) {
	case PSCI_VERSION:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON:
	case PSCI_CPU_ON_64:
	case PSCI_AFFINITY_INFO:
	case PSCI_AFFINITY_INFO_64:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
	case SMCCC_VERSION:
		return true;
	default:
		return false;
	}
}

static void psci_system_power(u32 fid)
{
	if (this_cell() != &root_cell) {
		/* non-root cells: their own life cycle, not the machine's */
		return;
	}
	printk("Root cell requests system %s\n",
	       fid == PSCI_SYSTEM_OFF ? "power-off" : "reset");
	smc_call(fid, 0, 0, 0);
}

static long psci_dispatch(struct trap_context *ctx, u32 fid)
{
	switch (fid) {
	case PSCI_VERSION:
		return PSCI_VERSION_1_0;
	case PSCI_CPU_OFF:
		arch_park_cpu(ctx);
		/* woken by CPU_ON: the frame now holds the new state */
		return ctx->regs[0];
	case PSCI_CPU_ON:
	case PSCI_CPU_ON_64:
		return psci_cpu_on(ctx, is_64bit_call(fid));
	case PSCI_AFFINITY_INFO:
	case PSCI_AFFINITY_INFO_64:
		return psci_affinity_info(ctx, is_64bit_call(fid));
	case PSCI_MIGRATE_INFO_TYPE:
		return PSCI_TOS_NOT_PRESENT_MP;
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		psci_system_power(fid);
		return PSCI_DENIED;
	case PSCI_FEATURES:
		return psci_supported(ctx->regs[1]) ? PSCI_SUCCESS :
			PSCI_NOT_SUPPORTED;
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

void smccc_handle_call(struct trap_context *ctx)
{
	struct per_cpu *cpu_data = this_cpu_data();
	u32 fid = ctx->regs[0];
	unsigned int owner = (fid >> SMCCC_OWNER_SHIFT) & SMCCC_OWNER_MASK;

	if (!(fid & SMCCC_FAST_CALL)) {
		ctx->regs[0] = SMCCC_NOT_SUPPORTED;
		return;
	}

	if (owner == SMCCC_OWNER_STANDARD && (fid & SMCCC_FUNC_MASK) < 0x20) {
		cpu_data->stats[JAILHOUSE_CPU_STAT_VMEXITS_PSCI]++;
		ctx->regs[0] = psci_dispatch(ctx, fid);
		return;
	}

	cpu_data->stats[JAILHOUSE_CPU_STAT_VMEXITS_SMCCC]++;
	switch (fid) {
	case SMCCC_VERSION:
		ctx->regs[0] = SMCCC_VERSION_1_1;
		break;
	case SMCCC_ARCH_FEATURES:
		/* no firmware workarounds or SoC ID are offered to cells */
		ctx->regs[0] = SMCCC_NOT_SUPPORTED;
		break;
	default:
		ctx->regs[0] = SMCCC_NOT_SUPPORTED;
		break;
	}
}
