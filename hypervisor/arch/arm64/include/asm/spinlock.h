/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The wait of the ticket spinlock (jailhouse/spinlock.h): waiters sleep in
 * WFE; the release is a store to the lock word that the waiters monitor,
 * which generates the wake-up event.
 */
#ifndef _JAILHOUSE_ASM_SPINLOCK_H
#define _JAILHOUSE_ASM_SPINLOCK_H

#include <jailhouse/types.h>

/* Return once *@owner is @ticket, with acquire semantics. */
static inline void arch_spin_wait(u16 *owner, u16 ticket)
{
	u32 val;

	/* Arm the exclusive monitor on the lock, then sleep until it moves. */
	asm volatile("sevl");
	while (1) {
		asm volatile("wfe\n\t"
			     "ldaxrh %w0, %1"
			     : "=&r" (val) : "Q" (*owner) : "memory");
		if ((u16)val == ticket)
			break;
	}
}

#endif /* !_JAILHOUSE_ASM_SPINLOCK_H */
