/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bit operations on arrays of unsigned long, bit n of the array being bit
 * (n % 64) of word (n / 64).  Pure C with compiler atomics, so host unit
 * tests compile this header unchanged (the hypervisor is built with
 * -mno-outline-atomics so the atomics become exclusive load/store loops).
 */
#ifndef _JAILHOUSE_BITOPS_H
#define _JAILHOUSE_BITOPS_H

#include <jailhouse/types.h>

#define BIT_WORD(nr)		((nr) / BITS_PER_LONG)
#define BIT_MASK(nr)		(1UL << ((nr) % BITS_PER_LONG))
#define BITS_TO_LONGS(nr)	(((nr) + BITS_PER_LONG - 1) / BITS_PER_LONG)

static inline bool test_bit(unsigned long nr,
			    const volatile unsigned long *addr)
{
	return (addr[BIT_WORD(nr)] & BIT_MASK(nr)) != 0;
}

/* Non-atomic variants, for data under a lock or not yet shared. */
static inline void __set_bit(unsigned long nr, unsigned long *addr)
{
	addr[BIT_WORD(nr)] |= BIT_MASK(nr);
}

static inline void __clear_bit(unsigned long nr, unsigned long *addr)
{
	addr[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}

/* Atomic variants. */
static inline void set_bit(unsigned long nr, volatile unsigned long *addr)
{
	__atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr),
			  __ATOMIC_SEQ_CST);
}

static inline void clear_bit(unsigned long nr, volatile unsigned long *addr)
{
	__atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT_MASK(nr),
			   __ATOMIC_SEQ_CST);
}

static inline bool test_and_set_bit(unsigned long nr,
				    volatile unsigned long *addr)
{
	return (__atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr),
				  __ATOMIC_SEQ_CST) & BIT_MASK(nr)) != 0;
}

static inline bool test_and_clear_bit(unsigned long nr,
				      volatile unsigned long *addr)
{
	return (__atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT_MASK(nr),
				   __ATOMIC_SEQ_CST) & BIT_MASK(nr)) != 0;
}

/* Index of the least significant set bit; @word must not be 0. */
static inline unsigned int ffsl(unsigned long word)
{
	return __builtin_ctzl(word);
}

/* Index of the least significant clear bit; @word must not be ~0. */
static inline unsigned int ffzl(unsigned long word)
{
	return __builtin_ctzl(~word);
}

/* Index of the most significant set bit; @word must not be 0. */
static inline unsigned int flsl(unsigned long word)
{
	return BITS_PER_LONG - 1 - __builtin_clzl(word);
}

static inline unsigned int hweight_long(unsigned long word)
{
	return __builtin_popcountl(word);
}

/* bitmap.c */
unsigned long find_next_bit(const unsigned long *addr, unsigned long size,
			    unsigned long offset);
unsigned long find_next_zero_bit(const unsigned long *addr,
				 unsigned long size, unsigned long offset);
/*
 * First index of @nr consecutive clear bits at an index i with
 * (i + @align_offset) a multiple of @align (a power of two), or @size if
 * there is no such run.
 */
unsigned long bitmap_find_free_area(const unsigned long *addr,
				    unsigned long size, unsigned long nr,
				    unsigned long align,
				    unsigned long align_offset);
void bitmap_set(unsigned long *addr, unsigned long start, unsigned long nr);
void bitmap_clear(unsigned long *addr, unsigned long start, unsigned long nr);

#define for_each_set_bit(bit, addr, size)				\
	for ((bit) = find_next_bit((addr), (size), 0);			\
	     (bit) < (size);						\
	     (bit) = find_next_bit((addr), (size), (bit) + 1))

#endif /* !_JAILHOUSE_BITOPS_H */
