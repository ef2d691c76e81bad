/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU helpers of the arm64 hypervisor.
 */
#ifndef _JAILHOUSE_ASM_PROCESSOR_H
#define _JAILHOUSE_ASM_PROCESSOR_H

#include <asm/sysregs.h>

#define CACHE_LINE_SIZE_MIN	16

#ifndef __ASSEMBLY__

static inline void cpu_relax(void)
{
	asm volatile("yield" : : : "memory");
}

static inline void wfi(void)
{
	asm volatile("wfi" : : : "memory");
}

static inline void wfe(void)
{
	asm volatile("wfe" : : : "memory");
}

static inline void sev(void)
{
	asm volatile("sev" : : : "memory");
}

static inline void memory_barrier(void)
{
	dmb(ish);
}

/* Stage-1 TLB of the hypervisor itself, this CPU only. */
static inline void arch_flush_hv_tlb_local(void)
{
	dsb(ishst);
	asm volatile("tlbi alle2" : : : "memory");
	dsb(ish);
	isb();
}

unsigned long dcache_line_size(void);

#endif /* !__ASSEMBLY__ */

#endif /* !_JAILHOUSE_ASM_PROCESSOR_H */
