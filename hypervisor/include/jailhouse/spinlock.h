/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ticket spinlock: fair between CPUs, which matters when CPUs spin in the
 * hypervisor with interrupts masked.  How a waiter waits for its turn is
 * the architecture's (asm/spinlock.h).
 */
#ifndef _JAILHOUSE_SPINLOCK_H
#define _JAILHOUSE_SPINLOCK_H

#include <jailhouse/types.h>
#include <asm/spinlock.h>

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

	arch_spin_wait(&lock->owner, ticket);
}

static inline void spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->owner, lock->owner + 1, __ATOMIC_RELEASE);
}

#endif /* !_JAILHOUSE_SPINLOCK_H */
