/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What keeps the cells' debug and performance monitor use away from EL2 and
 * from each other (Documentation/design.md, "Debug and PMU").
 */
#ifndef _JAILHOUSE_ASM_DEBUG_PMU_H
#define _JAILHOUSE_ASM_DEBUG_PMU_H

#include <jailhouse/types.h>
#include <asm/sysregs.h>

struct trap_context;

static inline unsigned int pmu_version(void)
{
	u64 dfr0;

	arm_read_sysreg(ID_AA64DFR0_EL1, dfr0);
	return (dfr0 >> ID_AA64DFR0_PMUVER_SHIFT) & 0xf;
}

/* A PMUv3 of any version; an IMPLEMENTATION DEFINED one is not known. */
static inline bool pmu_implemented(void)
{
	unsigned int version = pmu_version();

	return version != PMUVER_NONE && version != PMUVER_IMPDEF;
}

/* PMCR_EL0.N as EL2 sees it: all event counters of the PE */
static inline unsigned int pmu_num_counters(void)
{
	u64 pmcr;

	arm_read_sysreg(PMCR_EL0, pmcr);
	return (pmcr >> PMCR_N_SHIFT) & PMCR_N_MASK;
}

/* MDCR_EL2 for the cells, from the hyp stub's value @stub_mdcr. */
u64 arch_debug_pmu_mdcr(u64 stub_mdcr);

/*
 * arch_debug_pmu_access() - a trapped access to a PMU or OS lock register
 * @ctx:	the guest's frame
 * @reg:	the register (ESR_SYS_REG encoding)
 * @rt:		the guest's general register
 * @read:	MRS rather than MSR
 *
 * Return: true when the access was carried out (or ignored) as the
 * design page says; false for a register this code does not emulate.
 */
bool arch_debug_pmu_access(struct trap_context *ctx, u64 reg, unsigned int rt,
			   bool read);

#endif /* !_JAILHOUSE_ASM_DEBUG_PMU_H */
