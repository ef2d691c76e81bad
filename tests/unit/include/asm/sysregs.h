/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host substitute for the hypervisor's asm/sysregs.h: barriers order
 * nothing in a single-threaded test.
 */
#ifndef _TEST_ASM_SYSREGS_H
#define _TEST_ASM_SYSREGS_H

static inline void isb(void)
{
}

#define dsb(domain)	do { } while (0)

#endif /* !_TEST_ASM_SYSREGS_H */
