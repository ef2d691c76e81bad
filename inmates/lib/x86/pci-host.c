// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * x86's side of the cell's PCI host: configuration space through the
 * ports 0xcf8/0xcfc (PCI Local Bus spec 3.0, 3.2.2.3.2, configuration
 * mechanism #1), which trap in every cell, and the window of virtual
 * BARs.  The host's ECAM (the comm region's pci_mmconfig_base) is left
 * alone: it only says that there is a host.  Virtual devices have no
 * INTx on x86; ivshmem devices interrupt through MSI-X (ivshmem-irq.c).
 */
#include "lib.h"
#include <jailhouse/ivshmem.h>

#define PCI_CONFIG_ADDRESS	0xcf8
#define PCI_CONFIG_DATA		0xcfc
#define PCI_ADDR_ENABLE		0x80000000U

/* The ECAM of the most buses a host has (256 of 1 MiB) */
#define PCI_ECAM_MAX_SIZE	0x10000000UL

/* CONFIG_ADDRESS and the data access that follows it go together */
static DEFINE_SPINLOCK(cfg_lock);

static unsigned long cfg_select(u16 bdf, unsigned int reg)
{
	unsigned long flags = local_irq_save();

	spin_lock(&cfg_lock);
	outl(PCI_ADDR_ENABLE | (u32)bdf << 8 | (reg & 0xfc),
	     PCI_CONFIG_ADDRESS);
	return flags;
}

static void cfg_release(unsigned long flags)
{
	spin_unlock(&cfg_lock);
	local_irq_restore(flags);
}

/**
 * pci_read_config() - Read a register of a function's configuration space.
 * @bdf:	bus, device and function
 * @reg:	offset below 0x100, a multiple of @size
 * @size:	1, 2 or 4 bytes
 *
 * Return: the value; all-ones where no function answers.
 */
u32 pci_read_config(u16 bdf, unsigned int reg, unsigned int size)
{
	unsigned long flags = cfg_select(bdf, reg);
	u16 port = PCI_CONFIG_DATA + (reg & 3);
	u32 value;

	switch (size) {
	case 1:
		value = inb(port);
		break;
	case 2:
		value = inw(port);
		break;
	default:
		value = inl(port);
		break;
	}
	cfg_release(flags);
	return value;
}

void pci_write_config(u16 bdf, unsigned int reg, u32 value, unsigned int size)
{
	unsigned long flags = cfg_select(bdf, reg);
	u16 port = PCI_CONFIG_DATA + (reg & 3);

	switch (size) {
	case 1:
		outb(value, port);
		break;
	case 2:
		outw(value, port);
		break;
	default:
		outl(value, port);
		break;
	}
	cfg_release(flags);
}

/**
 * pci_bar_window() - Where the library places virtual BARs.
 *
 * The MiB after the host's ECAM at its largest, 256 buses (the cell traps
 * the ECAM of buses 0 to pci_mmconfig_end_bus, which its comm region does
 * not say), or the last MiB below 4 GiB where that is beyond; 0xc0000000
 * on QEMU's q35.  Past the first GiB, so uncached in the identity map.
 *
 * Return: its address.
 */
unsigned long pci_bar_window(void)
{
	return JAILHOUSE_VPCI_BAR_WINDOW(platform.pci_mmconfig_base +
					 PCI_ECAM_MAX_SIZE -
					 JAILHOUSE_VPCI_ECAM_SIZE);
}
