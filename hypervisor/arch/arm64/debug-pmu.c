// SPDX-License-Identifier: GPL-2.0
/*
 * Debug and performance monitors of the cells (Documentation/design.md,
 * "Debug and PMU").
 *
 * Breakpoints, watchpoints and software step belong to the guest: their
 * exceptions target EL1 (MDCR_EL2.TDE clear), so they are never generated
 * while the CPU runs at EL2, and a CPU belongs to one cell at a time; the
 * state is reset at every handover (el1-reset.c).  What reaches beyond the
 * CPU's guest is trapped: the OS double lock and power-down request
 * (MDCR_EL2.TDOSA) and the debug ROM address (MDCR_EL2.TDRA).
 *
 * The PMU's counters all stay with the guests (MDCR_EL2.HPMN = PMCR_EL0.N),
 * but must not count at EL2.  Since PMUv3p5, MDCR_EL2.HPMD and HCCD say so
 * for the event counters and the cycle counter.  Before, HPMD (PMUv3p1)
 * leaves the cycle counter running unless the guest sets PMCR_EL0.DP, and
 * PMUv3 of Armv8.0 has no such control at all: every PMU access traps
 * (MDCR_EL2.TPM) and is carried out here, with the filter bit that would
 * count at EL2 (NSH) cleared in every event type and the cycle filter.
 */
#include <jailhouse/cell.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <asm/debug-pmu.h>
#include <asm/sysregs.h>
#include <asm/traps.h>

u64 arch_debug_pmu_mdcr(u64 stub_mdcr)
{
	/* profiling buffer ownership as the stub set it; TDE clear */
	u64 mdcr = (stub_mdcr & MDCR_E2PB_MASK) | MDCR_TDOSA | MDCR_TDRA;
	unsigned int version = pmu_version();

	if (!pmu_implemented())
		return mdcr;

	mdcr |= pmu_num_counters() & MDCR_HPMN_MASK;
	if (version >= PMUVER_V3P1)
		mdcr |= MDCR_HPMD;
	if (version >= PMUVER_V3P5)
		mdcr |= MDCR_HCCD;
	else
		mdcr |= MDCR_TPM;
	return mdcr;
}

#define PMU_REG(name)							\
	case ESR_SYS_##name:						\
		if (read)						\
			arm_read_sysreg(name, *val);			\
		else							\
			arm_write_sysreg(name, *val);			\
		break

/*
 * The counter or event type of PMSELR_EL0 (or @n, for PMEVCNTR<n>_EL0 and
 * PMEVTYPER<n>_EL0); one that does not exist reads as zero and ignores
 * writes.  PMSELR_EL0 = 31 selects PMCCFILTR_EL0 as event type.
 */
static void pmu_indirect(bool type, int n, bool read, u64 *val)
{
	u64 sel;

	arm_read_sysreg(PMSELR_EL0, sel);
	if (n < 0)
		n = sel & PMCR_N_MASK;
	if (n >= (int)pmu_num_counters() && !(type && n == PMSELR_CYCLE)) {
		if (read)
			*val = 0;
		return;
	}

	arm_write_sysreg(PMSELR_EL0, n);
	isb();
	if (type && read)
		arm_read_sysreg(PMXEVTYPER_EL0, *val);
	else if (type)
		arm_write_sysreg(PMXEVTYPER_EL0, *val & ~PMEVTYPER_NSH);
	else if (read)
		arm_read_sysreg(PMXEVCNTR_EL0, *val);
	else
		arm_write_sysreg(PMXEVCNTR_EL0, *val);
	arm_write_sysreg(PMSELR_EL0, sel);
	isb();
}

static bool pmu_access(u64 reg, bool read, u64 *val)
{
	switch (reg) {
	PMU_REG(PMCR_EL0);
	PMU_REG(PMCNTENSET_EL0);
	PMU_REG(PMCNTENCLR_EL0);
	PMU_REG(PMOVSCLR_EL0);
	PMU_REG(PMOVSSET_EL0);
	PMU_REG(PMSELR_EL0);
	PMU_REG(PMCCNTR_EL0);
	PMU_REG(PMUSERENR_EL0);
	PMU_REG(PMINTENSET_EL1);
	PMU_REG(PMINTENCLR_EL1);
	/* write-only and read-only ones: the other direction is UNDEFINED */
	case ESR_SYS_PMSWINC_EL0:
		if (read)
			return false;
		arm_write_sysreg(PMSWINC_EL0, *val);
		break;
	case ESR_SYS_PMCEID0_EL0:
		if (!read)
			return false;
		arm_read_sysreg(PMCEID0_EL0, *val);
		break;
	case ESR_SYS_PMCEID1_EL0:
		if (!read)
			return false;
		arm_read_sysreg(PMCEID1_EL0, *val);
		break;
	case ESR_SYS_PMMIR_EL1:
		if (!read)
			return false;
		arm_read_sysreg(S3_0_C9_C14_6, *val);
		break;
	case ESR_SYS_PMCCFILTR_EL0:
		pmu_indirect(true, PMSELR_CYCLE, read, val);
		break;
	case ESR_SYS_PMXEVTYPER_EL0:
		pmu_indirect(true, -1, read, val);
		break;
	case ESR_SYS_PMXEVCNTR_EL0:
		pmu_indirect(false, -1, read, val);
		break;
	default:
		/* counters beyond PMCR_EL0.N do not exist: UNDEFINED */
		if (ESR_SYS_PMEV_N(reg) >= pmu_num_counters())
			return false;
		if ((reg & ESR_SYS_PMEV_MASK) == ESR_SYS_PMEVTYPER)
			pmu_indirect(true, ESR_SYS_PMEV_N(reg), read, val);
		else if ((reg & ESR_SYS_PMEV_MASK) == ESR_SYS_PMEVCNTR)
			pmu_indirect(false, ESR_SYS_PMEV_N(reg), read, val);
		else
			return false;
		break;
	}
	return true;
}

/*
 * The OS lock concerns the CPU only and is the guest's; the double lock
 * and the power-down request speak to the power controller and external
 * debugger, which are not the guest's: read as zero, writes ignored.
 */
static bool os_lock_access(struct trap_context *ctx, u64 reg, bool read,
			   u64 *val)
{
	struct per_cpu *cpu_data = this_cpu_data();

	switch (reg) {
	case ESR_SYS_OSLAR_EL1:
		if (read)
			return false;
		arm_write_sysreg(OSLAR_EL1, *val);
		break;
	case ESR_SYS_OSLSR_EL1:
		if (!read)
			return false;
		arm_read_sysreg(OSLSR_EL1, *val);
		break;
	case ESR_SYS_OSDLR_EL1:
	case ESR_SYS_DBGPRCR_EL1:
		if (read) {
			*val = 0;
		} else if (*val && !cpu_data->arch.debug_write_reported) {
			cpu_data->arch.debug_write_reported = true;
			printk("%s write 0x%llx of CPU %u, cell \"%s\", "
			       "PC 0x%llx ignored: not the cell's\n",
			       reg == ESR_SYS_OSDLR_EL1 ? "OSDLR_EL1" :
			       "DBGPRCR_EL1", *val, cpu_data->cpu_id,
			       cpu_data->cell->config->name, ctx->elr);
		}
		break;
	case ESR_SYS_MDRAR_EL1:
		/* no ROM table: the system's debug components are not shown */
		if (!read)
			return false;
		*val = 0;
		break;
	default:
		return false;
	}
	return true;
}

bool arch_debug_pmu_access(struct trap_context *ctx, u64 reg, unsigned int rt,
			   bool read)
{
	u64 val = read ? 0 : ctx_get_reg(ctx, rt);

	if (!os_lock_access(ctx, reg, read, &val) &&
	    !(pmu_implemented() && pmu_access(reg, read, &val)))
		return false;
	if (read)
		ctx_set_reg(ctx, rt, val);
	return true;
}
