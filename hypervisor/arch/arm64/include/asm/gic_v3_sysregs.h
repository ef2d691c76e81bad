/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The GICv3 CPU interface's system registers (ICC_*), for C and for the
 * exception vectors alike.
 */
#ifndef _JAILHOUSE_ASM_GIC_V3_SYSREGS_H
#define _JAILHOUSE_ASM_GIC_V3_SYSREGS_H

/*
 * System registers by encoding, so that the build does not depend on the
 * assembler knowing the GIC names.
 */
#define ICC_IAR0_EL1			S3_0_C12_C8_0
#define ICC_EOIR0_EL1			S3_0_C12_C8_1
#define ICC_AP0R0_EL1			S3_0_C12_C8_4
#define ICC_AP0R1_EL1			S3_0_C12_C8_5
#define ICC_AP0R2_EL1			S3_0_C12_C8_6
#define ICC_AP0R3_EL1			S3_0_C12_C8_7
#define ICC_AP1R0_EL1			S3_0_C12_C9_0
#define ICC_AP1R1_EL1			S3_0_C12_C9_1
#define ICC_AP1R2_EL1			S3_0_C12_C9_2
#define ICC_AP1R3_EL1			S3_0_C12_C9_3
#define ICC_IAR1_EL1			S3_0_C12_C12_0
#define ICC_EOIR1_EL1			S3_0_C12_C12_1
#define ICC_BPR1_EL1			S3_0_C12_C12_3
#define ICC_CTLR_EL1			S3_0_C12_C12_4
#define  ICC_CTLR_CBPR			(1 << 0)
#define  ICC_CTLR_EOIMODE		(1 << 1)
#define  ICC_CTLR_PRIBITS(ctlr)		((((ctlr) >> 8) & 0x7) + 1)
#define ICC_SRE_EL1			S3_0_C12_C12_5
#define ICC_IGRPEN0_EL1			S3_0_C12_C12_6
#define ICC_IGRPEN1_EL1			S3_0_C12_C12_7
#define ICC_DIR_EL1			S3_0_C12_C11_1
#define ICC_RPR_EL1			S3_0_C12_C11_3
#define ICC_SGI1R_EL1			S3_0_C12_C11_5
#define ICC_SGI0R_EL1			S3_0_C12_C11_7
#define ICC_BPR0_EL1			S3_0_C12_C8_3
#define ICC_PMR_EL1			S3_0_C4_C6_0
#define ICC_SRE_EL2			S3_4_C12_C9_5
#define  ICC_SRE_SRE			(1 << 0)
#define  ICC_SRE_DFB			(1 << 1)
#define  ICC_SRE_DIB			(1 << 2)
#define  ICC_SRE_ENABLE			(1 << 3)

#endif /* !_JAILHOUSE_ASM_GIC_V3_SYSREGS_H */
