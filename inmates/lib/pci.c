// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * PCI on the cell's host, what both architectures share: finding a
 * device on bus 0, its capabilities, placing its BARs by the library's
 * convention (include/jailhouse/ivshmem.h).  Config space access, the BAR
 * window and INTx are the architecture's (pci-host.c).
 */
#include "lib.h"
#include <jailhouse/ivshmem.h>

#define PCI_CFG_SIZE		0x100
#define PCI_CAP_FIRST		0x40

#define PCI_BAR_IO		0x1
#define PCI_BAR_TYPE_64		0x4
#define PCI_BAR_FLAGS		0xf

/**
 * pci_find_device() - Find a function by its vendor and device id.
 * @vendor:	vendor id
 * @device:	device id
 * @start:	the first BDF to look at, so that a search can go on after
 *		the function found last (its BDF + 1)
 *
 * Functions 1-7 of a device are looked at only if its function 0 says
 * that it has more than one.
 *
 * Return: the BDF, or -ENODEV if there is none (or no virtual host).
 */
int pci_find_device(u16 vendor, u16 device, unsigned int start)
{
	unsigned int bdf;
	u32 id;

	if (!platform.pci_mmconfig_base)
		return -ENODEV;
	for (bdf = start; bdf < PCI_DEVFNS; bdf++) {
		if ((bdf & 7) && !(pci_read_config(bdf & ~7, PCI_CFG_HEADER_TYPE,
						   1) & PCI_HEADER_MULTI))
			continue;
		id = pci_read_config(bdf, PCI_CFG_VENDOR_ID, 4);
		if ((id & 0xffff) == vendor && (id >> 16) == device)
			return bdf;
	}
	return -ENODEV;
}

/**
 * pci_next_cap() - Walk a function's capability list.
 * @bdf:	the function
 * @pos:	the capability before, 0 for the first one
 *
 * The list is in no order; a broken one may loop, so a walk stops after
 * PCI_MAX_CAPS steps.
 *
 * Return: the offset of the next capability, 0 at the end (or where the
 * list leaves the standard configuration space).
 */
unsigned int pci_next_cap(u16 bdf, unsigned int pos)
{
	unsigned int next;

	if (pos == 0) {
		if (!(pci_read_config(bdf, PCI_CFG_STATUS, 2) & PCI_STS_CAPS))
			return 0;
		next = pci_read_config(bdf, PCI_CFG_CAP_PTR, 1);
	} else {
		next = pci_read_config(bdf, pos + 1, 1);
	}
	next &= ~3U;
	if (next < PCI_CAP_FIRST || next >= PCI_CFG_SIZE)
		return 0;
	return next;
}

/* Return: the offset of the first capability @cap, 0 if there is none. */
unsigned int pci_find_cap(u16 bdf, u8 cap)
{
	unsigned int pos = 0, steps;

	for (steps = 0; steps < PCI_MAX_CAPS; steps++) {
		pos = pci_next_cap(bdf, pos);
		if (!pos || pci_read_config(bdf, pos, 1) == cap)
			return pos;
	}
	return 0;
}

/**
 * pci_map_bar() - Place a memory BAR of a virtual device and decode it.
 * @bdf:	the function, on bus 0
 * @n:		the BAR, 0..5 (32-bit BARs; of a 64-bit one, its low half)
 * @offset:	from the start of the function's slot in the BAR window,
 *		a multiple of the BAR's size
 *
 * The device in slot s has its BARs from pci_bar_window() + s *
 * JAILHOUSE_VPCI_SLOT_BAR_STRIDE on.  Memory decoding is off while the
 * BAR moves.
 *
 * Return: the address of the BAR, or 0 if it is an I/O BAR, not aligned
 * at @offset, or runs past its slot (left where it was, decoding off).
 */
unsigned long pci_map_bar(u16 bdf, unsigned int n, unsigned long offset)
{
	unsigned long addr = pci_bar_window() +
		PCI_SLOT(bdf) * JAILHOUSE_VPCI_SLOT_BAR_STRIDE + offset;
	unsigned int reg = PCI_CFG_BAR0 + 4 * n;
	u16 cmd = pci_read_config(bdf, PCI_CFG_COMMAND, 2);
	u32 bar, size;

	pci_write_config(bdf, PCI_CFG_COMMAND, cmd & ~PCI_CMD_MEMORY, 2);
	bar = pci_read_config(bdf, reg, 4);
	pci_write_config(bdf, reg, ~0U, 4);
	size = ~(pci_read_config(bdf, reg, 4) & ~PCI_BAR_FLAGS) + 1;
	if ((bar & PCI_BAR_IO) || !size || (offset & (size - 1)) ||
	    size > JAILHOUSE_VPCI_SLOT_BAR_STRIDE - offset) {
		pci_write_config(bdf, reg, bar, 4);
		return 0;
	}

	pci_write_config(bdf, reg, addr, 4);
	if (bar & PCI_BAR_TYPE_64)
		pci_write_config(bdf, reg + 4, (u64)addr >> 32, 4);
	pci_write_config(bdf, PCI_CFG_COMMAND, cmd | PCI_CMD_MEMORY, 2);
	return addr;
}
