/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU helpers of the arm64 hypervisor.
 */
#ifndef _JAILHOUSE_ASM_PROCESSOR_H
#define _JAILHOUSE_ASM_PROCESSOR_H

#include <asm/sysregs.h>

#ifndef __ASSEMBLY__

static inline void cpu_relax(void)
{
	asm volatile("yield" : : : "memory");
}

static inline void wfi(void)
{
	asm volatile("wfi" : : : "memory");
}

static inline void sev(void)
{
	asm volatile("sev" : : : "memory");
}

#endif /* !__ASSEMBLY__ */

#endif /* !_JAILHOUSE_ASM_PROCESSOR_H */
