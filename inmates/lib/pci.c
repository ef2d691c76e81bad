// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * PCI on the cell's virtual host: configuration space through the ECAM
 * at the comm region's pci_mmconfig_base (bus 0), finding a device, its
 * capabilities, its BAR 0 and its INTx by the host's conventions
 * (include/jailhouse/ivshmem.h).
 */
#include "lib.h"
#include <jailhouse/ivshmem.h>

#define PCI_CFG_SIZE		0x100
#define PCI_CAP_FIRST		0x40

#define PCI_BAR_IO		0x1
#define PCI_BAR_TYPE_64		0x4
#define PCI_BAR_FLAGS		0xf

static unsigned long cfg_address(u16 bdf, unsigned int reg)
{
	return platform.pci_mmconfig_base + ((unsigned long)bdf << 12) + reg;
}

/**
 * pci_read_config() - Read a register of a function's configuration space.
 * @bdf:	bus, device and function (bus 0 only)
 * @reg:	offset, a multiple of @size
 * @size:	1, 2 or 4 bytes
 *
 * Return: the value; all-ones where no function answers.
 */
u32 pci_read_config(u16 bdf, unsigned int reg, unsigned int size)
{
	unsigned long addr = cfg_address(bdf, reg);

	switch (size) {
	case 1:
		return mmio_read8(addr);
	case 2:
		return mmio_read16(addr);
	default:
		return mmio_read32(addr);
	}
}

void pci_write_config(u16 bdf, unsigned int reg, u32 value, unsigned int size)
{
	unsigned long addr = cfg_address(bdf, reg);

	switch (size) {
	case 1:
		mmio_write8(addr, value);
		break;
	case 2:
		mmio_write16(addr, value);
		break;
	default:
		mmio_write32(addr, value);
		break;
	}
}

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
 * pci_map_bar0() - Place a virtual device's BAR 0 and decode it.
 * @bdf:	the function, on the virtual host
 *
 * The virtual host's convention: BAR 0 of the device in slot s at
 * JAILHOUSE_VPCI_BAR_WINDOW(pci_mmconfig_base) + s * 64 KiB.  Memory
 * decoding is off while the BAR moves.
 *
 * Return: the address of BAR 0, or 0 if it is an I/O BAR or larger than
 * its slot's 64 KiB (left where it was, decoding off).
 */
unsigned long pci_map_bar0(u16 bdf)
{
	unsigned long addr = JAILHOUSE_VPCI_BAR_WINDOW(platform.pci_mmconfig_base)
		+ PCI_SLOT(bdf) * JAILHOUSE_VPCI_SLOT_BAR_STRIDE;
	u16 cmd = pci_read_config(bdf, PCI_CFG_COMMAND, 2);
	u32 bar, size;

	pci_write_config(bdf, PCI_CFG_COMMAND, cmd & ~PCI_CMD_MEMORY, 2);
	bar = pci_read_config(bdf, PCI_CFG_BAR0, 4);
	pci_write_config(bdf, PCI_CFG_BAR0, ~0U, 4);
	size = ~(pci_read_config(bdf, PCI_CFG_BAR0, 4) & ~PCI_BAR_FLAGS) + 1;
	if ((bar & PCI_BAR_IO) || size > JAILHOUSE_VPCI_SLOT_BAR_STRIDE) {
		pci_write_config(bdf, PCI_CFG_BAR0, bar, 4);
		return 0;
	}

	pci_write_config(bdf, PCI_CFG_BAR0, addr, 4);
	if (bar & PCI_BAR_TYPE_64)
		pci_write_config(bdf, PCI_CFG_BAR0 + 4, (u64)addr >> 32, 4);
	pci_write_config(bdf, PCI_CFG_COMMAND, cmd | PCI_CMD_MEMORY, 2);
	return addr;
}

/**
 * pci_intx_irq() - The interrupt of a virtual device's INTx.
 * @bdf:	the function, on the virtual host
 *
 * Pin n (1..4, config space) is SPI vpci_irq_base + n - 1 of the cell.
 *
 * Return: the interrupt ID, or -ENODEV if the function uses no pin.
 */
int pci_intx_irq(u16 bdf)
{
	unsigned int pin = pci_read_config(bdf, PCI_CFG_INT_PIN, 1);

	if (pin < 1 || pin > 4)
		return -ENODEV;
	return GIC_SPI_BASE + platform.vpci_irq_base + pin - 1;
}
