/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMSAv8-64 translation table entries with a 4 KiB granule, for the
 * hypervisor's EL2 stage 1 and the cells' stage 2 (Arm ARM D8.3).
 */
#ifndef _JAILHOUSE_ASM_PAGING_H
#define _JAILHOUSE_ASM_PAGING_H

#include <asm/sysregs.h>

#define PTE_VALID		(_UL(1) << 0)
#define PTE_TABLE		(_UL(1) << 1)	/* at levels 0..2 */
#define PTE_PAGE		(_UL(1) << 1)	/* at level 3 */
#define PTE_TYPE_MASK		_UL(3)
#define PTE_TYPE_BLOCK		_UL(1)
#define PTE_TYPE_TABLE		_UL(3)
#define PTE_ADDR_MASK		_UL(0x0000fffffffff000)

/* lower attributes, both stages */
#define PTE_SH_INNER		(_UL(3) << 8)
#define PTE_AF			(_UL(1) << 10)
#define PTE_XN			(_UL(1) << 54)

/* stage 1, EL2 without VHE: AP[1] is RES1, AP[2] makes read-only */
#define PTE_S1_ATTRIDX(n)	(_UL(n) << 2)
#define PTE_S1_ATTRIDX_MASK	(_UL(7) << 2)
#define PTE_S1_AP_RES1		(_UL(1) << 6)
#define PTE_S1_AP_RO		(_UL(1) << 7)

/* stage 2 */
#define PTE_S2_MEMATTR_MASK	(_UL(0xf) << 2)
/* MemAttr: Device-nGnRE, Normal non-cacheable, Normal write-back */
#define PTE_S2_MEMATTR_DEVICE	(_UL(0x1) << 2)
#define PTE_S2_MEMATTR_NC	(_UL(0x5) << 2)
#define PTE_S2_MEMATTR_NORMAL	(_UL(0xf) << 2)
#define PTE_S2_READ		(_UL(1) << 6)
#define PTE_S2_WRITE		(_UL(1) << 7)

/* The bootstrap tables' block: normal write-back memory, RWX, EL2. */
#define BOOT_BLOCK_ATTR		(PTE_TYPE_BLOCK | PTE_S1_ATTRIDX(0) | \
				 PTE_S1_AP_RES1 | PTE_SH_INNER | PTE_AF)

/* TCR_EL2.T0SZ of the hypervisor: 48-bit virtual addresses, 4 levels. */
#define HV_VA_BITS		48

#define BLOCK_2M_SHIFT		21
#define BLOCK_2M_SIZE		(_UL(1) << BLOCK_2M_SHIFT)

#endif /* !_JAILHOUSE_ASM_PAGING_H */
