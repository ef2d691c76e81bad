/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The EL1/EL0 state of a CPU at a handover (Documentation/design.md, "Cells
 * and CPU handover").
 */
#ifndef _JAILHOUSE_ASM_EL1_RESET_H
#define _JAILHOUSE_ASM_EL1_RESET_H

/*
 * arch_el1_reset() - give the calling CPU's next guest a CPU as from reset
 *
 * Every EL1/EL0 register that holds state and that EL1 can read is set to
 * a fixed value (SCTLR_EL1 to its RES1 bits with the MMU off, everything
 * else to 0), the timers are off, breakpoints, watchpoints and the PMU
 * are off with their counters cleared, v0-v31, FPCR and FPSR are zero.
 * Nothing of the CPU's previous guest, of another cell or the root cell,
 * survives.
 */
void arch_el1_reset(void);

/*
 * A parked CPU's guest may still have its timers and PMU counters armed:
 * turn them off, so that they raise no interrupt meanwhile.
 */
void arch_el1_quiesce(void);

/* fpsimd.S: zero v0-v31, FPCR and FPSR (EL2 must not trap FP/SIMD). */
void arch_fpsimd_reset(void);

#endif /* !_JAILHOUSE_ASM_EL1_RESET_H */
