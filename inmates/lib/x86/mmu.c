// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The identity map of the start-up (header.S): 4 GiB of 2 MiB pages, the
 * first GiB write-back, the rest uncached.  A program may make more of it
 * write-back later, as memory it shares with others needs it.
 */
#include "lib.h"

/**
 * mmu_map_normal() - Map memory as normal, write-back.
 * @start:	first address
 * @size:	bytes
 *
 * What a program shares with others through the caches (ivshmem memory)
 * must be cached as theirs is.  The 2 MiB pages that hold the range are
 * made write-back: nothing else there may be a device.  The calling CPU's
 * TLB is flushed; other CPUs of the program see the change once they load
 * CR3 (start-up), so call it before they use the range.
 *
 * Return: 0, or -EINVAL if the range leaves the 4 GiB of the map.
 */
int mmu_map_normal(unsigned long start, unsigned long size)
{
	u64 *entries = &pd[0][0];
	unsigned long n, cr3;

	if (!size || start >= PD_ENTRIES * PAGE_SIZE_2M ||
	    size > PD_ENTRIES * PAGE_SIZE_2M - start)
		return -EINVAL;
	for (n = start / PAGE_SIZE_2M; n <= (start + size - 1) / PAGE_SIZE_2M;
	     n++)
		entries[n] &= ~(u64)(PTE_PCD | PTE_PWT);
	asm volatile("mov %%cr3, %0; mov %0, %%cr3" : "=r" (cr3) : : "memory");
	return 0;
}
