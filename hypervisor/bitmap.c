// SPDX-License-Identifier: GPL-2.0
/*
 * Bitmap searches and range operations (declared in jailhouse/bitops.h).
 * No architecture dependencies: host unit tests compile this file as is.
 */
#include <jailhouse/bitops.h>

unsigned long find_next_bit(const unsigned long *addr, unsigned long size,
			    unsigned long offset)
{
	unsigned long word;

	if (offset >= size)
		return size;

	word = addr[BIT_WORD(offset)] & (~0UL << (offset % BITS_PER_LONG));
	offset = offset - offset % BITS_PER_LONG;
	while (!word) {
		offset += BITS_PER_LONG;
		if (offset >= size)
			return size;
		word = addr[BIT_WORD(offset)];
	}
	offset += ffsl(word);
	return offset < size ? offset : size;
}

unsigned long find_next_zero_bit(const unsigned long *addr,
				 unsigned long size, unsigned long offset)
{
	unsigned long word;

	if (offset >= size)
		return size;

	word = ~addr[BIT_WORD(offset)] & (~0UL << (offset % BITS_PER_LONG));
	offset = offset - offset % BITS_PER_LONG;
	while (!word) {
		offset += BITS_PER_LONG;
		if (offset >= size)
			return size;
		word = ~addr[BIT_WORD(offset)];
	}
	offset += ffsl(word);
	return offset < size ? offset : size;
}

unsigned long bitmap_find_free_area(const unsigned long *addr,
				    unsigned long size, unsigned long nr,
				    unsigned long align,
				    unsigned long align_offset)
{
	unsigned long start = 0, next, mask = align - 1;

	if (nr == 0 || align == 0 || (align & mask))
		return size;

	while (1) {
		start = find_next_zero_bit(addr, size, start);
		start += (align - ((start + align_offset) & mask)) & mask;
		if (start >= size || nr > size - start)
			return size;
		next = find_next_bit(addr, start + nr, start);
		if (next >= start + nr)
			return start;
		start = next + 1;
	}
}

void bitmap_set(unsigned long *addr, unsigned long start, unsigned long nr)
{
	while (nr > 0 && start % BITS_PER_LONG) {
		__set_bit(start++, addr);
		nr--;
	}
	for (; nr >= BITS_PER_LONG; nr -= BITS_PER_LONG) {
		addr[BIT_WORD(start)] = ~0UL;
		start += BITS_PER_LONG;
	}
	while (nr-- > 0)
		__set_bit(start++, addr);
}

void bitmap_clear(unsigned long *addr, unsigned long start, unsigned long nr)
{
	while (nr > 0 && start % BITS_PER_LONG) {
		__clear_bit(start++, addr);
		nr--;
	}
	for (; nr >= BITS_PER_LONG; nr -= BITS_PER_LONG) {
		addr[BIT_WORD(start)] = 0;
		start += BITS_PER_LONG;
	}
	while (nr-- > 0)
		__clear_bit(start++, addr);
}
