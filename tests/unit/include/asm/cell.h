/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host substitute for the hypervisor's asm/cell.h: a cell's stage 2 is a
 * paging_structures of the test's own format (or left unused), as on
 * arm64.
 */
#ifndef _TEST_ASM_CELL_H
#define _TEST_ASM_CELL_H

#include <jailhouse/paging.h>
#include <asm/spinlock.h>

struct arch_cell {
	struct paging_structures stage2;
	spinlock_t stage2_lock;
};

#endif /* !_TEST_ASM_CELL_H */
