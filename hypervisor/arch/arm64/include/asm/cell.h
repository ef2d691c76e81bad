/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arm64 part of a cell.
 */
#ifndef _JAILHOUSE_ASM_CELL_H
#define _JAILHOUSE_ASM_CELL_H

#include <jailhouse/paging.h>
#include <asm/spinlock.h>

struct arch_cell {
	/* guest-physical to physical; the tag holds the VMID */
	struct paging_structures stage2;
	/*
	 * Changes of the stage 2 of a cell that runs (the root cell's)
	 * against the walks of its fault handler.
	 */
	spinlock_t stage2_lock;
};

struct cell;

/* Load the cell's stage 2 (VTCR_EL2, VTTBR_EL2) on the calling CPU. */
void arch_cell_load_stage2(struct cell *cell);

#endif /* !_JAILHOUSE_ASM_CELL_H */
