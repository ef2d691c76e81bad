/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host substitute for the hypervisor's asm/processor.h.
 */
#ifndef _TEST_ASM_PROCESSOR_H
#define _TEST_ASM_PROCESSOR_H

static inline void cpu_relax(void)
{
}

static inline void wfi(void)
{
}

#endif /* !_TEST_ASM_PROCESSOR_H */
