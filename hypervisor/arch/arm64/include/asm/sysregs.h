/* SPDX-License-Identifier: GPL-2.0 */
/*
 * System register access and the register fields the arm64 code uses
 * (Arm ARM D17/D19).  Usable from C and assembly.
 */
#ifndef _JAILHOUSE_ASM_SYSREGS_H
#define _JAILHOUSE_ASM_SYSREGS_H

#include <jailhouse/utils.h>

#ifdef __ASSEMBLY__
#define _UL(x)			x
#else
#define _UL(x)			x##UL
#endif

/* Current EL */
#define CURRENTEL_EL2		(2 << 2)

/* PSTATE / SPSR_ELx */
#define PSR_MODE_EL0t		0x0
#define PSR_MODE_EL1t		0x4
#define PSR_MODE_EL1h		0x5
#define PSR_MODE_EL2t		0x8
#define PSR_MODE_EL2h		0x9
#define PSR_MODE_MASK		0xf
#define PSR_MODE_32BIT		0x10
#define PSR_F_BIT		(1 << 6)
#define PSR_I_BIT		(1 << 7)
#define PSR_A_BIT		(1 << 8)
#define PSR_D_BIT		(1 << 9)
#define PSR_PAN_BIT		(1 << 22)
#define PSR_DAIF_MASK	(PSR_D_BIT | PSR_A_BIT | PSR_I_BIT | PSR_F_BIT)

/* HCR_EL2 */
#define HCR_VM			(_UL(1) << 0)
#define HCR_SWIO		(_UL(1) << 1)
#define HCR_FMO			(_UL(1) << 3)
#define HCR_IMO			(_UL(1) << 4)
#define HCR_AMO			(_UL(1) << 5)
#define HCR_TWI			(_UL(1) << 13)
#define HCR_TWE			(_UL(1) << 14)
#define HCR_TSC			(_UL(1) << 19)
#define HCR_TIDCP		(_UL(1) << 20)
#define HCR_TACR		(_UL(1) << 21)
#define HCR_TSW			(_UL(1) << 22)
#define HCR_RW			(_UL(1) << 31)
#define HCR_APK			(_UL(1) << 40)
#define HCR_API			(_UL(1) << 41)

/* SCTLR_ELx */
#define SCTLR_M			(1 << 0)
#define SCTLR_A			(1 << 1)
#define SCTLR_C			(1 << 2)
#define SCTLR_SA		(1 << 3)
#define SCTLR_I			(1 << 12)
#define SCTLR_WXN		(1 << 19)
#define SCTLR_EE		(1 << 25)
#define SCTLR_EL1_SPAN		(_UL(1) << 23)
/* SCTLR_EL2 without VHE: bits 4, 5, 11, 16, 18, 22, 23, 28, 29 are RES1 */
#define SCTLR_EL2_RES1		0x30c50830
/* SCTLR_EL1: RES1 bits of ARMv8.0 (11, 20, 22, 23, 28, 29), MMU off */
#define SCTLR_EL1_RES1		0x30d00800

/* TCR_EL2 without VHE */
#define TCR_EL2_RES1		((_UL(1) << 31) | (_UL(1) << 23))
#define TCR_T0SZ(bits)		(64 - (bits))
#define TCR_IRGN0_WBWA		(1 << 8)
#define TCR_ORGN0_WBWA		(1 << 10)
#define TCR_SH0_INNER		(3 << 12)
#define TCR_TG0_4K		(0 << 14)
#define TCR_PS_SHIFT		16

/* VTCR_EL2 */
#define VTCR_RES1		(_UL(1) << 31)
#define VTCR_SL0_SHIFT		6
#define VTCR_PS_SHIFT		16
#define VTCR_CACHEABLE_SHARED	(TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | \
				 TCR_SH0_INNER)

#define VTTBR_VMID_SHIFT	48

/*
 * MAIR_EL2 and the AttrIndx values of the hypervisor's stage 1:
 * 0 normal write-back, 1 device nGnRE, 2 device nGnRnE, 3 normal
 * non-cacheable.
 */
#define MAIR_EL2_VALUE		_UL(0x440004ff)
#define MAIR_IDX_NORMAL		0
#define MAIR_IDX_DEVICE		1
#define MAIR_IDX_DEVICE_STRICT	2
#define MAIR_IDX_NORMAL_NC	3

/* CPTR_EL2 without VHE: RES1 bits 0..9, 12, 13; FP/SIMD not trapped */
#define CPTR_EL2_DEFAULT	0x33ff
#define CPTR_TFP		(1 << 10)

/* MDCR_EL2 */
#define MDCR_HPMN_MASK		0x1f
#define MDCR_TPM		(1 << 6)
#define MDCR_TDOSA		(1 << 10)
#define MDCR_TDRA		(1 << 11)
#define MDCR_E2PB_MASK		(3 << 12)
#define MDCR_HPMD		(1 << 17)
#define MDCR_HCCD		(1 << 23)

/* ID_AA64DFR0_EL1 */
#define ID_AA64DFR0_PMUVER_SHIFT	8
#define ID_AA64DFR0_BRPS_SHIFT		12
#define ID_AA64DFR0_WRPS_SHIFT		20
#define ID_AA64DFR0_TRACEFILT_SHIFT	40
/* PMUVer: none, PMUv3 (Armv8.0), v3p1, v3p5, IMPLEMENTATION DEFINED */
#define PMUVER_NONE		0x0
#define PMUVER_V3		0x1
#define PMUVER_V3P1		0x4
#define PMUVER_V3P5		0x6
#define PMUVER_IMPDEF		0xf

/* PMCR_EL0 */
#define PMCR_P			(1 << 1)
#define PMCR_C			(1 << 2)
#define PMCR_N_SHIFT		11
#define PMCR_N_MASK		0x1f
/* PMSELR_EL0.SEL of the cycle counter */
#define PMSELR_CYCLE		31
/* PMEVTYPER<n>_EL0, PMCCFILTR_EL0: count at EL2 */
#define PMEVTYPER_NSH		(1 << 27)

/* CNTHCTL_EL2 without VHE */
#define CNTHCTL_EL1PCTEN	(1 << 0)
#define CNTHCTL_EL1PCEN		(1 << 1)

/* ID_AA64PFR0_EL1.GIC: system register interface of a GICv3 or later */
#define ID_AA64PFR0_GIC_SHIFT		24
#define ID_AA64PFR0_GIC_MASK		0xf

/* ID_AA64MMFR0_EL1 */
#define ID_AA64MMFR0_PARANGE_MASK	0xf

/* ID_AA64MMFR1_EL1.PAN */
#define ID_AA64MMFR1_PAN_SHIFT	20

/* ID_AA64ISAR1_EL1 pointer authentication fields: APA, API, GPA, GPI */
#define ID_AA64ISAR1_PAUTH_MASK	_UL(0xff000ff0)

/* MPIDR_EL1 */
#define MPIDR_AFF_MASK		_UL(0xff00ffffff)
#define MPIDR_MT		(1 << 24)

/* ESR_ELx */
#define ESR_EC_SHIFT		26
#define ESR_EC(esr)		(((esr) >> ESR_EC_SHIFT) & 0x3f)
#define ESR_IL			(1 << 25)
#define ESR_ISS(esr)		((esr) & 0x1ffffff)

#define ESR_EC_UNKNOWN		0x00
#define ESR_EC_WFX		0x01
#define ESR_EC_CP15_32		0x03
#define ESR_EC_CP15_64		0x04
#define ESR_EC_CP14_MR		0x05
#define ESR_EC_CP14_LS		0x06
#define ESR_EC_FP_ASIMD		0x07
#define ESR_EC_CP14_64		0x0c
#define ESR_EC_ILL		0x0e
#define ESR_EC_SVC32		0x11
#define ESR_EC_HVC32		0x12
#define ESR_EC_SMC32		0x13
#define ESR_EC_SVC64		0x15
#define ESR_EC_HVC64		0x16
#define ESR_EC_SMC64		0x17
#define ESR_EC_SYS64		0x18
#define ESR_EC_IABT_LOW		0x20
#define ESR_EC_IABT_CUR		0x21
#define ESR_EC_PC_ALIGN		0x22
#define ESR_EC_DABT_LOW		0x24
#define ESR_EC_DABT_CUR		0x25
#define ESR_EC_SP_ALIGN		0x26
#define ESR_EC_SERROR		0x2f

/* Data abort ISS */
#define ESR_DABT_ISV		(1 << 24)
#define ESR_DABT_SAS_SHIFT	22
#define ESR_DABT_SAS_MASK	0x3
#define ESR_DABT_SSE		(1 << 21)
#define ESR_DABT_SRT_SHIFT	16
#define ESR_DABT_SRT_MASK	0x1f
#define ESR_DABT_SF		(1 << 15)
#define ESR_DABT_EA		(1 << 9)
#define ESR_DABT_CM		(1 << 8)
#define ESR_DABT_S1PTW		(1 << 7)
#define ESR_DABT_WNR		(1 << 6)
#define ESR_DABT_DFSC_MASK	0x3f
/* fault status: synchronous external abort, not on a table walk */
#define ESR_FSC_EXTABT		0x10
/* fault status: alignment fault */
#define ESR_FSC_ALIGN		0x21

/* Trapped MSR/MRS/system instruction ISS (EC 0x18) */
#define ESR_SYS_OP0_SHIFT	20
#define ESR_SYS_OP2_SHIFT	17
#define ESR_SYS_OP1_SHIFT	14
#define ESR_SYS_CRN_SHIFT	10
#define ESR_SYS_RT_SHIFT	5
#define ESR_SYS_CRM_SHIFT	1
#define ESR_SYS_READ		(1 << 0)
/* op0, op1, CRn, CRm, op2 of a trapped access, Rt and direction masked */
#define ESR_SYS_REG_MASK	0x3ffc1e
#define ESR_SYS_REG(op0, op1, crn, crm, op2)		\
	(((op0) << ESR_SYS_OP0_SHIFT) |			\
	 ((op2) << ESR_SYS_OP2_SHIFT) |			\
	 ((op1) << ESR_SYS_OP1_SHIFT) |			\
	 ((crn) << ESR_SYS_CRN_SHIFT) |			\
	 ((crm) << ESR_SYS_CRM_SHIFT))

#define ESR_SYS_ICC_SGI1R_EL1	ESR_SYS_REG(3, 0, 12, 11, 5)
/* Performance monitors (trapped by MDCR_EL2.TPM) */
#define ESR_SYS_PMCR_EL0	ESR_SYS_REG(3, 3, 9, 12, 0)
#define ESR_SYS_PMCNTENSET_EL0	ESR_SYS_REG(3, 3, 9, 12, 1)
#define ESR_SYS_PMCNTENCLR_EL0	ESR_SYS_REG(3, 3, 9, 12, 2)
#define ESR_SYS_PMOVSCLR_EL0	ESR_SYS_REG(3, 3, 9, 12, 3)
#define ESR_SYS_PMSWINC_EL0	ESR_SYS_REG(3, 3, 9, 12, 4)
#define ESR_SYS_PMSELR_EL0	ESR_SYS_REG(3, 3, 9, 12, 5)
#define ESR_SYS_PMCEID0_EL0	ESR_SYS_REG(3, 3, 9, 12, 6)
#define ESR_SYS_PMCEID1_EL0	ESR_SYS_REG(3, 3, 9, 12, 7)
#define ESR_SYS_PMCCNTR_EL0	ESR_SYS_REG(3, 3, 9, 13, 0)
#define ESR_SYS_PMXEVTYPER_EL0	ESR_SYS_REG(3, 3, 9, 13, 1)
#define ESR_SYS_PMXEVCNTR_EL0	ESR_SYS_REG(3, 3, 9, 13, 2)
#define ESR_SYS_PMUSERENR_EL0	ESR_SYS_REG(3, 3, 9, 14, 0)
#define ESR_SYS_PMINTENSET_EL1	ESR_SYS_REG(3, 0, 9, 14, 1)
#define ESR_SYS_PMINTENCLR_EL1	ESR_SYS_REG(3, 0, 9, 14, 2)
#define ESR_SYS_PMOVSSET_EL0	ESR_SYS_REG(3, 3, 9, 14, 3)
#define ESR_SYS_PMMIR_EL1	ESR_SYS_REG(3, 0, 9, 14, 6)
#define ESR_SYS_PMCCFILTR_EL0	ESR_SYS_REG(3, 3, 14, 15, 7)
/*
 * PMEVCNTR<n>_EL0 and PMEVTYPER<n>_EL0: CRn 14, CRm 0b10:n[4:3] and
 * 0b11:n[4:3], op2 n[2:0]
 */
#define ESR_SYS_PMEV_MASK	(ESR_SYS_REG(3, 7, 15, 0, 0) | \
				 ESR_SYS_REG(0, 0, 0, 12, 0))
#define ESR_SYS_PMEVCNTR	ESR_SYS_REG(3, 3, 14, 8, 0)
#define ESR_SYS_PMEVTYPER	ESR_SYS_REG(3, 3, 14, 12, 0)
#define ESR_SYS_PMEV_N(reg)					\
	(((((reg) >> ESR_SYS_CRM_SHIFT) & 3) << 3) |		\
	 (((reg) >> ESR_SYS_OP2_SHIFT) & 7))
/* OS lock and power-down (MDCR_EL2.TDOSA), debug ROM (MDCR_EL2.TDRA) */
#define ESR_SYS_MDRAR_EL1	ESR_SYS_REG(2, 0, 1, 0, 0)
#define ESR_SYS_OSLAR_EL1	ESR_SYS_REG(2, 0, 1, 0, 4)
#define ESR_SYS_OSLSR_EL1	ESR_SYS_REG(2, 0, 1, 1, 4)
#define ESR_SYS_OSDLR_EL1	ESR_SYS_REG(2, 0, 1, 3, 4)
#define ESR_SYS_DBGPRCR_EL1	ESR_SYS_REG(2, 0, 1, 4, 4)
#define ESR_SYS_ACTLR_EL1	ESR_SYS_REG(3, 0, 1, 0, 1)
/* DC ISW, DC CSW, DC CISW */
#define ESR_SYS_DC_ISW		ESR_SYS_REG(1, 0, 7, 6, 2)
#define ESR_SYS_DC_CSW		ESR_SYS_REG(1, 0, 7, 10, 2)
#define ESR_SYS_DC_CISW		ESR_SYS_REG(1, 0, 7, 14, 2)

#ifndef __ASSEMBLY__

#include <jailhouse/types.h>

/*
 * @sysreg: a register name the assembler knows, or an S3_<op1>_C<n>_C<m>_<op2>
 * encoding.  Reading into a narrower variable truncates.
 */
#define arm_read_sysreg(sysreg, val)					\
	do {								\
		u64 __val;						\
		asm volatile("mrs %0, " __stringify(sysreg)		\
			     : "=r" (__val));				\
		(val) = __val;						\
	} while (0)

#define arm_write_sysreg(sysreg, val)					\
	asm volatile("msr " __stringify(sysreg) ", %0"		\
		     : : "r" ((u64)(val)))

static inline void isb(void)
{
	asm volatile("isb" : : : "memory");
}

#define dsb(domain)	asm volatile("dsb " #domain : : : "memory")
#define dmb(domain)	asm volatile("dmb " #domain : : : "memory")

#endif /* !__ASSEMBLY__ */

#endif /* !_JAILHOUSE_ASM_SYSREGS_H */
