/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FP/SIMD state at a handover.  The C code is built without FP/SIMD
 * registers (-mgeneral-regs-only); CPTR_EL2.TFP is clear (setup.c).
 */

	.text

/* arch_fpsimd_reset: v0-v31 (the whole of each), FPCR and FPSR to zero */
	.global arch_fpsimd_reset
arch_fpsimd_reset:
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, \
		16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	movi	v\n\().2d, #0
	.endr
	msr	fpcr, xzr
	msr	fpsr, xzr
	isb
	ret
