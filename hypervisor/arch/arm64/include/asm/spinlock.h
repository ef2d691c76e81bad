/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ticket spinlock: fair between CPUs, which matters when a CPU spins at EL2
 * with interrupts masked.  Waiters sleep in WFE; the release is a store to
 * the lock word that the waiters monitor, which generates the wake-up event.
 */
#ifndef _JAILHOUSE_ASM_SPINLOCK_H
#define _JAILHOUSE_ASM_SPINLOCK_H

#include <jailhouse/types.h>

typedef struct {
	u16 owner;
	u16 next;
} spinlock_t;

#define DEFINE_SPINLOCK(name)	spinlock_t name = { 0, 0 }

static inline void spin_lock_init(spinlock_t *lock)
{
	lock->owner = 0;
	lock->next = 0;
}

static inline void spin_lock(spinlock_t *lock)
{
	u16 ticket = __atomic_fetch_add(&lock->next, 1, __ATOMIC_ACQUIRE);
	u32 owner;

	/* Arm the exclusive monitor on the lock, then sleep until it moves. */
	asm volatile("sevl");
	while (1) {
		asm volatile("wfe\n\t"
			     "ldaxrh %w0, %1"
			     : "=&r" (owner) : "Q" (lock->owner) : "memory");
		if ((u16)owner == ticket)
			break;
	}
}

static inline void spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->owner, lock->owner + 1, __ATOMIC_RELEASE);
}

#endif /* !_JAILHOUSE_ASM_SPINLOCK_H */
