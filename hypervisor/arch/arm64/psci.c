// SPDX-License-Identifier: GPL-2.0
/*
 * PSCI 1.0 and SMCCC 1.1 for the cells (Arm DEN 0022, DEN 0028).
 *
 * CPU_OFF parks the calling CPU in the hypervisor; CPU_ON wakes a parked
 * CPU of the same cell and sends it to the entry point at EL1 with its
 * MMU off.  SYSTEM_OFF and SYSTEM_RESET of the root cell go to the
 * firmware; a non-root cell shuts itself down (all its CPUs parked) or
 * restarts at its reset address.  Everything else is answered
 * NOT_SUPPORTED.
 */
#include <jailhouse/arch.h>
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <jailhouse/utils.h>
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
	if (cpu_data->cell != cell) {
		/* it left the cell (the root's CPUs) since we looked */
		spin_unlock(&cpu_data->arch.control_lock);
		return PSCI_INVALID_PARAMETERS;
	}
	switch (cpu_data->arch.psci_state) {
	case CPU_STATE_OFF:
		/* failed: until the cell is started again */
		if (cpu_data->failed || READ_ONCE(cell->stopping)) {
			result = PSCI_DENIED;
			break;
		}
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

/*
 * SYSTEM_OFF and SYSTEM_RESET of a non-root cell concern the cell only: it
 * is shut down, or started again at its reset address on its first CPU.
 * One CPU of the cell does it; another one calling at the same time parks.
 */
static void cell_system_power(struct trap_context *ctx, u32 fid)
{
	struct per_cpu *cpu_data = this_cpu_data();
	struct cell *cell = cpu_data->cell;
	unsigned long entry = cell->config->cpu_reset_address;
	unsigned int first = find_next_bit(cell->cpu_set, MAX_CPUS, 0);

	if (__atomic_test_and_set(&cell->power_op, __ATOMIC_ACQUIRE)) {
		arch_park_cpu(ctx);
		return;
	}
	if (cell_park_cpus(cell, cpu_data)) {
		__atomic_clear(&cell->power_op, __ATOMIC_RELEASE);
		arch_park_cpu(ctx);
		return;
	}
	cell_reset_devices(cell);

	if (fid == PSCI_SYSTEM_OFF) {
		printk("Cell \"%s\" shuts itself down (CPU %u)\n",
		       cell->config->name, cpu_data->cpu_id);
		spin_lock(&cell->lock);
		cell_set_state(cell, JAILHOUSE_CELL_SHUT_DOWN);
		spin_unlock(&cell->lock);
		__atomic_clear(&cell->power_op, __ATOMIC_RELEASE);
		arch_park_cpu(ctx);
		return;
	}

	cell_printk(cell,
		    "Cell \"%s\" resets itself (CPU %u)\n", cell->config->name,
		    cpu_data->cpu_id);
	cell_prepare_restart(cell);
	__atomic_clear(&cell->power_op, __ATOMIC_RELEASE);
	if (cpu_data->cpu_id == first) {
		arch_cpu_restart(ctx, entry, 0);
	} else {
		arch_cpu_start(first, entry);
		arch_park_cpu(ctx);
	}
}

static void root_system_power(u32 fid)
{
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
		if (this_cell() == &root_cell) {
			root_system_power(fid);
			return PSCI_DENIED;
		}
		cell_system_power(ctx, fid);
		/* the CPU comes back, if at all, with a new frame */
		return ctx->regs[0];
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
