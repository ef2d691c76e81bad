/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PSCI (Arm DEN 0022) and SMC Calling Convention (Arm DEN 0028) function
 * identifiers and return codes.
 */
#ifndef _JAILHOUSE_ASM_PSCI_H
#define _JAILHOUSE_ASM_PSCI_H

#define SMCCC_FAST_CALL			0x80000000
#define SMCCC_64			0x40000000
#define SMCCC_OWNER_SHIFT		24
#define SMCCC_OWNER_MASK		0x3f
#define SMCCC_OWNER_ARCH		0
#define SMCCC_OWNER_STANDARD		4
#define SMCCC_FUNC_MASK			0xffff

#define SMCCC_VERSION			0x80000000
#define SMCCC_ARCH_FEATURES		0x80000001
#define SMCCC_ARCH_SOC_ID		0x80000002
#define SMCCC_ARCH_WORKAROUND_1		0x80008000
#define SMCCC_ARCH_WORKAROUND_2		0x80007fff
#define SMCCC_ARCH_WORKAROUND_3		0x80003fff

#define SMCCC_VERSION_1_1		0x10001

#define SMCCC_SUCCESS			0
#define SMCCC_NOT_SUPPORTED		(-1)

/* PSCI, 32-bit IDs; the 64-bit variants have SMCCC_64 set */
#define PSCI_VERSION			0x84000000
#define PSCI_CPU_SUSPEND		0x84000001
#define PSCI_CPU_OFF			0x84000002
#define PSCI_CPU_ON			0x84000003
#define PSCI_AFFINITY_INFO		0x84000004
#define PSCI_MIGRATE			0x84000005
#define PSCI_MIGRATE_INFO_TYPE		0x84000006
#define PSCI_MIGRATE_INFO_UP_CPU	0x84000007
#define PSCI_SYSTEM_OFF			0x84000008
#define PSCI_SYSTEM_RESET		0x84000009
#define PSCI_FEATURES			0x8400000a

#define PSCI_CPU_ON_64			(PSCI_CPU_ON | SMCCC_64)
#define PSCI_AFFINITY_INFO_64		(PSCI_AFFINITY_INFO | SMCCC_64)

#define PSCI_VERSION_1_0		0x10000

#define PSCI_SUCCESS			0
#define PSCI_NOT_SUPPORTED		(-1)
#define PSCI_INVALID_PARAMETERS		(-2)
#define PSCI_DENIED			(-3)
#define PSCI_ALREADY_ON			(-4)
#define PSCI_ON_PENDING			(-5)
#define PSCI_INTERNAL_FAILURE		(-6)

#define PSCI_AFFINITY_ON		0
#define PSCI_AFFINITY_OFF		1
#define PSCI_AFFINITY_ON_PENDING	2

/* MIGRATE_INFO_TYPE: no Trusted OS that needs migration */
#define PSCI_TOS_NOT_PRESENT_MP		2

#ifndef __ASSEMBLY__

#include <jailhouse/types.h>

struct trap_context;

/* A trapped SMC (or HVC #0) of a guest with SMCCC function ID in x0. */
void smccc_handle_call(struct trap_context *ctx);

/* Call the firmware from EL2. */
static inline long smc_call(unsigned long fid, unsigned long a1,
			    unsigned long a2, unsigned long a3)
{
	register unsigned long x0 asm("x0") = fid;
	register unsigned long x1 asm("x1") = a1;
	register unsigned long x2 asm("x2") = a2;
	register unsigned long x3 asm("x3") = a3;

	asm volatile("smc #0"
		     : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)
		     : : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
		       "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	return x0;
}

#endif /* !__ASSEMBLY__ */

#endif /* !_JAILHOUSE_ASM_PSCI_H */
