/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The xAPIC's logical destinations, which the ICR filter (apic.c) and the
 * IOAPIC filter (ioapic.c) resolve alike.
 */
#ifndef _JAILHOUSE_ASM_APIC_H
#define _JAILHOUSE_ASM_APIC_H

#include <jailhouse/types.h>

/* the logical APIC ID in LDR bits 31:24, the model in DFR bits 31:28 */
#define APIC_LDR_SHIFT		24
#define APIC_DFR_FLAT		0xf0000000U
/* every CPU of either model (Intel SDM vol. 3, 10.6.2.2) */
#define APIC_LOGICAL_ALL	0xff

/**
 * apic_logical_match() - does a logical destination name a CPU?
 * @ldr:	the CPU's LDR
 * @dfr:	its DFR
 * @dest:	the 8-bit destination of an IPI, MSI or IOAPIC entry
 *
 * Flat model: a bit in common.  Cluster model: the cluster in bits 7:4
 * the same and a CPU bit of 3:0 in common; all ones name every cluster.
 */
static inline bool apic_logical_match(u32 ldr, u32 dfr, u8 dest)
{
	u8 id = ldr >> APIC_LDR_SHIFT;

	if ((dfr & APIC_DFR_FLAT) == APIC_DFR_FLAT)
		return id & dest;
	if (dest == APIC_LOGICAL_ALL)
		return true;
	return (id >> 4) == (dest >> 4) && (id & dest & 0xf);
}

#endif /* !_JAILHOUSE_ASM_APIC_H */
