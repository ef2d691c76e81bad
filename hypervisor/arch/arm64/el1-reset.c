// SPDX-License-Identifier: GPL-2.0
/*
 * The EL1/EL0 state a CPU has when it changes hands (asm/el1-reset.h).
 *
 * The list follows the AArch64 system registers of Armv8.0 that EL1 or EL0
 * can read and that hold state, plus the optional ones the ID registers
 * announce (pointer authentication keys).  Left alone, as they hold
 * nothing of a guest: identification registers, CNTFRQ_EL0 (the
 * firmware's), ACTLR_EL1 (IMPLEMENTATION DEFINED, trapped by HCR_EL2.TACR:
 * a guest reads the boot value and cannot write it), the GIC's CPU
 * interface (reset by the irqchip).
 */
#include <jailhouse/types.h>
#include <asm/debug-pmu.h>
#include <asm/el1-reset.h>
#include <asm/sysregs.h>

/* All bits of the 32-bit PMU enable, interrupt and overflow registers */
#define PMU_ALL_COUNTERS	0xffffffffUL

#define RESET_BREAKPOINT(n)						\
	case n:								\
		arm_write_sysreg(DBGBCR##n##_EL1, 0);			\
		arm_write_sysreg(DBGBVR##n##_EL1, 0);			\
		break

#define RESET_WATCHPOINT(n)						\
	case n:								\
		arm_write_sysreg(DBGWCR##n##_EL1, 0);			\
		arm_write_sysreg(DBGWVR##n##_EL1, 0);			\
		break

/* The system register names need the number in the instruction. */
static void reset_breakpoint(unsigned int n)
{
	switch (n) {
	RESET_BREAKPOINT(0); RESET_BREAKPOINT(1); RESET_BREAKPOINT(2);
	RESET_BREAKPOINT(3); RESET_BREAKPOINT(4); RESET_BREAKPOINT(5);
	RESET_BREAKPOINT(6); RESET_BREAKPOINT(7); RESET_BREAKPOINT(8);
	RESET_BREAKPOINT(9); RESET_BREAKPOINT(10); RESET_BREAKPOINT(11);
	RESET_BREAKPOINT(12); RESET_BREAKPOINT(13); RESET_BREAKPOINT(14);
	RESET_BREAKPOINT(15);
	}
}

static void reset_watchpoint(unsigned int n)
{
	switch (n) {
	RESET_WATCHPOINT(0); RESET_WATCHPOINT(1); RESET_WATCHPOINT(2);
	RESET_WATCHPOINT(3); RESET_WATCHPOINT(4); RESET_WATCHPOINT(5);
	RESET_WATCHPOINT(6); RESET_WATCHPOINT(7); RESET_WATCHPOINT(8);
	RESET_WATCHPOINT(9); RESET_WATCHPOINT(10); RESET_WATCHPOINT(11);
	RESET_WATCHPOINT(12); RESET_WATCHPOINT(13); RESET_WATCHPOINT(14);
	RESET_WATCHPOINT(15);
	}
}

/*
 * Self-hosted debug off: no breakpoint, watchpoint or step of the previous
 * guest, the OS lock and double lock released.  (The claim tags are left:
 * QEMU 7.2 does not implement DBGCLAIM*_EL1.)
 */
static void reset_debug(void)
{
	unsigned int n, brps, wrps;
	u64 dfr0;

	arm_read_sysreg(ID_AA64DFR0_EL1, dfr0);
	brps = ((dfr0 >> ID_AA64DFR0_BRPS_SHIFT) & 0xf) + 1;
	wrps = ((dfr0 >> ID_AA64DFR0_WRPS_SHIFT) & 0xf) + 1;

	arm_write_sysreg(MDSCR_EL1, 0);
	for (n = 0; n < brps; n++)
		reset_breakpoint(n);
	for (n = 0; n < wrps; n++)
		reset_watchpoint(n);
	arm_write_sysreg(MDCCINT_EL1, 0);
	arm_write_sysreg(OSDLR_EL1, 0);
	arm_write_sysreg(OSLAR_EL1, 0);
}

/* All counters stopped and zero, no interrupt, overflow or EL0 access. */
static void reset_pmu(void)
{
	unsigned int n, counters;

	if (!pmu_implemented())
		return;

	counters = pmu_num_counters();
	arm_write_sysreg(PMCNTENCLR_EL0, PMU_ALL_COUNTERS);
	arm_write_sysreg(PMINTENCLR_EL1, PMU_ALL_COUNTERS);
	arm_write_sysreg(PMOVSCLR_EL0, PMU_ALL_COUNTERS);
	for (n = 0; n < counters; n++) {
		arm_write_sysreg(PMSELR_EL0, n);
		isb();
		arm_write_sysreg(PMXEVTYPER_EL0, 0);
	}
	arm_write_sysreg(PMSELR_EL0, 0);
	arm_write_sysreg(PMCCFILTR_EL0, 0);
	arm_write_sysreg(PMUSERENR_EL0, 0);
	/* E, LC, DP, X, D clear; P and C zero every counter */
	arm_write_sysreg(PMCR_EL0, PMCR_P | PMCR_C);
}

/* APIA, APIB, APDA, APDB and APGA keys (FEAT_PAuth) */
static void reset_pauth_keys(void)
{
	u64 isar1;

	arm_read_sysreg(ID_AA64ISAR1_EL1, isar1);
	if (!(isar1 & ID_AA64ISAR1_PAUTH_MASK))
		return;

	arm_write_sysreg(S3_0_C2_C1_0, 0);
	arm_write_sysreg(S3_0_C2_C1_1, 0);
	arm_write_sysreg(S3_0_C2_C1_2, 0);
	arm_write_sysreg(S3_0_C2_C1_3, 0);
	arm_write_sysreg(S3_0_C2_C2_0, 0);
	arm_write_sysreg(S3_0_C2_C2_1, 0);
	arm_write_sysreg(S3_0_C2_C2_2, 0);
	arm_write_sysreg(S3_0_C2_C2_3, 0);
	arm_write_sysreg(S3_0_C2_C3_0, 0);
	arm_write_sysreg(S3_0_C2_C3_1, 0);
}

void arch_el1_quiesce(void)
{
	arm_write_sysreg(CNTV_CTL_EL0, 0);
	arm_write_sysreg(CNTP_CTL_EL0, 0);
	if (pmu_implemented()) {
		arm_write_sysreg(PMCNTENCLR_EL0, PMU_ALL_COUNTERS);
		arm_write_sysreg(PMINTENCLR_EL1, PMU_ALL_COUNTERS);
	}
	isb();
}

void arch_el1_reset(void)
{
	arch_el1_quiesce();

	/* translation and exceptions */
	arm_write_sysreg(SCTLR_EL1, SCTLR_EL1_RES1);
	arm_write_sysreg(TTBR0_EL1, 0);
	arm_write_sysreg(TTBR1_EL1, 0);
	arm_write_sysreg(TCR_EL1, 0);
	arm_write_sysreg(MAIR_EL1, 0);
	arm_write_sysreg(AMAIR_EL1, 0);
	arm_write_sysreg(CONTEXTIDR_EL1, 0);
	arm_write_sysreg(VBAR_EL1, 0);
	arm_write_sysreg(ELR_EL1, 0);
	arm_write_sysreg(SPSR_EL1, 0);
	arm_write_sysreg(ESR_EL1, 0);
	arm_write_sysreg(FAR_EL1, 0);
	arm_write_sysreg(AFSR0_EL1, 0);
	arm_write_sysreg(AFSR1_EL1, 0);
	arm_write_sysreg(PAR_EL1, 0);
	arm_write_sysreg(CSSELR_EL1, 0);
	/* FP/SIMD trapped at EL1 and EL0 until the guest enables it */
	arm_write_sysreg(CPACR_EL1, 0);

	/* stacks and thread pointers */
	arm_write_sysreg(SP_EL0, 0);
	arm_write_sysreg(SP_EL1, 0);
	arm_write_sysreg(TPIDR_EL0, 0);
	arm_write_sysreg(TPIDRRO_EL0, 0);
	arm_write_sysreg(TPIDR_EL1, 0);

	/* timers: off (above), compare values and EL0 access */
	arm_write_sysreg(CNTV_CVAL_EL0, 0);
	arm_write_sysreg(CNTP_CVAL_EL0, 0);
	arm_write_sysreg(CNTKCTL_EL1, 0);

	reset_debug();
	reset_pmu();
	reset_pauth_keys();
	arch_fpsimd_reset();
	isb();
}
