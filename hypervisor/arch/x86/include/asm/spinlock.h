/* SPDX-License-Identifier: GPL-2.0 */
/* The wait of the ticket spinlock (jailhouse/spinlock.h). */
#ifndef _JAILHOUSE_ASM_SPINLOCK_H
#define _JAILHOUSE_ASM_SPINLOCK_H

#include <jailhouse/types.h>

/* Return once *@owner is @ticket, with acquire semantics. */
static inline void arch_spin_wait(u16 *owner, u16 ticket)
{
	while (__atomic_load_n(owner, __ATOMIC_ACQUIRE) != ticket)
		asm volatile("pause" : : : "memory");
}

#endif /* !_JAILHOUSE_ASM_SPINLOCK_H */
