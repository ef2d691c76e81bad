/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ticket spinlock: fair between CPUs, which matters when CPUs spin in the
 * hypervisor with interrupts masked.
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

	while (__atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE) != ticket)
		asm volatile("pause" : : : "memory");
}

static inline void spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->owner, lock->owner + 1, __ATOMIC_RELEASE);
}

#endif /* !_JAILHOUSE_ASM_SPINLOCK_H */
