/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host substitute for the hypervisor's asm/spinlock.h: the unit tests run
 * single-threaded, so the lock only has to exist and nobody waits.
 */
#ifndef _TEST_ASM_SPINLOCK_H
#define _TEST_ASM_SPINLOCK_H

#include <jailhouse/types.h>

static inline void arch_spin_wait(u16 *owner, u16 ticket)
{
	(void)owner;
	(void)ticket;
}

#endif /* !_TEST_ASM_SPINLOCK_H */
