/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers without architecture dependencies.
 */
#ifndef _JAILHOUSE_UTILS_H
#define _JAILHOUSE_UTILS_H

#include <jailhouse/types.h>

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

#define MIN(a, b)		((a) < (b) ? (a) : (b))
#define MAX(a, b)		((a) > (b) ? (a) : (b))

/* @a must be a power of two. */
#define ALIGN_UP(x, a)	(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)

#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))

#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
/* Bits @h down to @l set, both included. */
#define GENMASK_ULL(h, l) \
	((~0ULL << (l)) & (~0ULL >> (63 - (h))))

#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))

/* Ordering between CPUs (and the root cell's reader of the console). */
#define smp_mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_wmb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

#define __noreturn		__attribute__((noreturn))
#define __packed		__attribute__((packed))
#define __aligned(a)		__attribute__((aligned(a)))
#define __unused		__attribute__((unused))

/*
 * Overflow-checked arithmetic: true when the result did not fit.  Config
 * files come from user space, so sizes computed from their counts go
 * through these.
 */
#define check_add_overflow(a, b, res)	__builtin_add_overflow(a, b, res)
#define check_mul_overflow(a, b, res)	__builtin_mul_overflow(a, b, res)

#ifndef __ASSEMBLY__
/*
 * Do [@start1, +@size1) and [@start2, +@size2) share a byte?  Also for a
 * range that ends at the top of the address space.
 */
static inline bool ranges_overlap(u64 start1, u64 size1, u64 start2,
				  u64 size2)
{
	return size1 && size2 && start1 <= start2 + (size2 - 1) &&
		start2 <= start1 + (size1 - 1);
}
#endif

#endif /* !_JAILHOUSE_UTILS_H */
