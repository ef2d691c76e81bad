// SPDX-License-Identifier: GPL-2.0
/*
 * cache-invd: INVD, which invalidates the caches without writing back
 * what is dirty in them: on a multi-core CPU also the caches its cores
 * share, and with them what other cells and the hypervisor wrote
 * (x86's counterpart of cache-setway).
 *
 * Command line: count=N (1).
 *
 * Contained: "result" (the hypervisor writes back first: WBINVD), and
 * the root and other cells run on with their data intact.
 */
#include <inmate.h>

void inmate_main(void)
{
	unsigned long n, count = cmdline_parse_int("count", 1);

	printk("TEST cache-invd: trying %lu INVD\n", count);
	for (n = 0; n < count; n++)
		asm volatile("invd" : : : "memory");
	printk("TEST cache-invd: result %lu INVD returned\n", count);
}
