/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host substitute for the hypervisor's asm/spinlock.h: the unit tests run
 * single-threaded, so the lock only has to exist.
 */
#ifndef _TEST_ASM_SPINLOCK_H
#define _TEST_ASM_SPINLOCK_H

typedef struct {
	int unused;
} spinlock_t;

#define DEFINE_SPINLOCK(name)	spinlock_t name = { 0 }

static inline void spin_lock_init(spinlock_t *lock)
{
	(void)lock;
}

static inline void spin_lock(spinlock_t *lock)
{
	(void)lock;
}

static inline void spin_unlock(spinlock_t *lock)
{
	(void)lock;
}

#endif /* !_TEST_ASM_SPINLOCK_H */
