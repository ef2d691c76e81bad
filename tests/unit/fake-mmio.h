/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake of mmio.c's region registry for the tests of units that trap
 * a device's page (apic.c, ioapic.c): a few slots that the tests look
 * into, and a switch that makes registering fail.  Each test program
 * includes it once and clears the slots and the switch before each test.
 */
#ifndef _FAKE_MMIO_H
#define _FAKE_MMIO_H

#include <jailhouse/mmio.h>

struct region {
	struct cell *cell;
	unsigned long start;
	unsigned long size;
	mmio_handler handler;
	void *arg;
};
static struct region regions[4];
static bool fail_register;

int mmio_region_register(struct cell *cell, unsigned long start,
			 unsigned long size, mmio_handler handler, void *arg)
{
	unsigned int n;

	if (fail_register)
		return -ENOMEM;
	for (n = 0; n < ARRAY_SIZE(regions); n++)
		if (!regions[n].cell) {
			regions[n] = (struct region){ cell, start, size,
						      handler, arg };
			return 0;
		}
	return -ENOMEM;
}

void mmio_region_unregister(struct cell *cell, unsigned long start)
{
	unsigned int n;

	for (n = 0; n < ARRAY_SIZE(regions); n++)
		if (regions[n].cell == cell && regions[n].start == start) {
			regions[n].cell = NULL;
			return;
		}
	fail_msg("no region at 0x%lx", start);
}

/* The first region of @cell, NULL if it has none. */
static struct region *region_of(struct cell *cell)
{
	unsigned int n;

	for (n = 0; n < ARRAY_SIZE(regions); n++)
		if (regions[n].cell == cell)
			return &regions[n];
	return NULL;
}

#endif /* !_FAKE_MMIO_H */
