/* SPDX-License-Identifier: GPL-2.0 */
/*
 * I/O ports (x86): which ports each cell accesses without the hypervisor.
 *
 * Every cell has a bitmap of the 64 Ki ports, one bit per port, a set bit
 * meaning that the port is not the cell's and its accesses trap: the
 * meaning and layout of AMD's I/O permission map (its first 8 KiB) and of
 * Intel's two I/O bitmaps, so that the arch code copies it as it is.
 *
 * A cell has the ports of its config's PIO regions.  A non-root cell takes
 * them from the root cell (config_check_cell_in_root() made sure they are
 * the root's, config_check_cells_disjoint() that no other cell has them),
 * and gives them back when it is destroyed, as memory goes.  Unlike
 * memory, no port is shared.
 *
 * The x86 arch code calls pio_cell_init() from arch_cell_create() (and
 * for the root cell during set-up) and pio_cell_exit() from
 * arch_cell_destroy(), with the management of cells serialized, and puts
 * cell->pio_bitmap into its CPUs' permission maps.
 */
#ifndef _JAILHOUSE_PIO_H
#define _JAILHOUSE_PIO_H

#include <jailhouse/paging.h>

struct cell;

#define PIO_NUM_PORTS		0x10000
#define PIO_BITMAP_BYTES	(PIO_NUM_PORTS / 8)
#define PIO_BITMAP_PAGES	(PIO_BITMAP_BYTES / PAGE_SIZE)

/**
 * pio_cell_init() - the port bitmap of a new cell
 * @cell:	the cell, its config checked
 *
 * Allocates cell->pio_bitmap from the memory pool: only the ports of the
 * config's PIO regions are clear.  For a non-root cell, the root cell's
 * bits of those ports are set, and arch_pio_changed() tells the arch code
 * of the root cell's change before the new cell runs.
 *
 * Return: 0, or -ENOMEM.
 */
int pio_cell_init(struct cell *cell);

/**
 * pio_cell_exit() - the cell's ports go back
 * @cell:	a cell after pio_cell_init(), whose CPUs no longer run it
 *
 * For a non-root cell, the root cell gets back those of its ports that
 * its own config lists (arch_pio_changed() for the root).  The bitmap
 * goes back to the memory pool.
 */
void pio_cell_exit(struct cell *cell);

#endif /* !_JAILHOUSE_PIO_H */
