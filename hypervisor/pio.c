// SPDX-License-Identifier: GPL-2.0
/*
 * I/O ports (x86): each cell's port bitmap, and the root cell's ports
 * going to non-root cells and back.  See jailhouse/pio.h.
 */
#include <jailhouse/arch.h>
#include <jailhouse/bitops.h>
#include <jailhouse/cell.h>
#include <jailhouse/errno.h>
#include <jailhouse/page_alloc.h>
#include <jailhouse/pio.h>
#include <jailhouse/string.h>
#include <jailhouse/utils.h>

/* Let the cell of @bitmap access the ports of @config's PIO regions. */
static void pio_allow(unsigned long *bitmap,
		      const struct jailhouse_cell_desc *config)
{
	const struct jailhouse_pio *pio = jailhouse_cell_pio(config);
	unsigned int n;

	/* config.c made sure each region lies within the 64 Ki ports */
	for (n = 0; n < config->num_pio_regions; n++, pio++)
		bitmap_clear(bitmap, pio->base, pio->length);
}

/* Take the ports of @config's PIO regions from the cell of @bitmap. */
static void pio_deny(unsigned long *bitmap,
		     const struct jailhouse_cell_desc *config)
{
	const struct jailhouse_pio *pio = jailhouse_cell_pio(config);
	unsigned int n;

	for (n = 0; n < config->num_pio_regions; n++, pio++)
		bitmap_set(bitmap, pio->base, pio->length);
}

/*
 * Give the root cell back the ports of @config's PIO regions that its own
 * config lists: a port the root never had stays trapped, whatever the
 * destroyed cell's config says.
 */
static void pio_return_to_root(const struct jailhouse_cell_desc *config)
{
	const struct jailhouse_cell_desc *root = root_cell.config;
	const struct jailhouse_pio *pio = jailhouse_cell_pio(config);
	const struct jailhouse_pio *rpio;
	unsigned int n, m;
	u32 start, end;

	for (n = 0; n < config->num_pio_regions; n++, pio++) {
		rpio = jailhouse_cell_pio(root);
		for (m = 0; m < root->num_pio_regions; m++, rpio++) {
			start = MAX(pio->base, rpio->base);
			end = MIN((u32)pio->base + pio->length,
				  (u32)rpio->base + rpio->length);
			if (start < end)
				bitmap_clear(root_cell.pio_bitmap, start,
					     end - start);
		}
	}
}

int pio_cell_init(struct cell *cell)
{
	cell->pio_bitmap = page_alloc(&mem_pool, PIO_BITMAP_PAGES);
	if (!cell->pio_bitmap)
		return -ENOMEM;

	memset(cell->pio_bitmap, 0xff, PIO_BITMAP_BYTES);
	pio_allow(cell->pio_bitmap, cell->config);

	if (cell != &root_cell) {
		pio_deny(root_cell.pio_bitmap, cell->config);
		arch_pio_changed(&root_cell);
	}
	return 0;
}

void pio_cell_exit(struct cell *cell)
{
	if (cell != &root_cell) {
		pio_return_to_root(cell->config);
		arch_pio_changed(&root_cell);
	}
	page_free(&mem_pool, cell->pio_bitmap, PIO_BITMAP_PAGES);
	cell->pio_bitmap = NULL;
}
