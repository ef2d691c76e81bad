// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * x86: an ivshmem device interrupts through MSI-X (virtual devices have no
 * INTx here), its vector 0 (doorbells and state changes) as IVSHMEM_VECTOR
 * of the CPU that enables it.  The message is the local APIC's (Intel SDM
 * vol. 3, 11.11; AMD64 APM vol. 2, 16.7): address 0xfee00000 with the
 * destination's APIC ID in bits 19:12, physical mode; data the vector,
 * fixed delivery, edge.  The hypervisor delivers it as a fixed IPI to
 * that CPU if it is one of the cell's.
 */
#include "lib.h"
#include <jailhouse/ivshmem.h>

/* The MSI-X capability (PCI Local Bus spec 3.0, 6.8.2) */
#define MSIX_CTRL		0x02
#define MSIX_CTRL_ENABLE	0x8000
#define MSIX_CTRL_FMASK		0x4000
#define MSIX_TABLE		0x04
#define MSIX_BIR		0x7
/* a table entry: message address low and high, data, vector control */
#define MSIX_ENTRY_ADDR_LO	0x0
#define MSIX_ENTRY_ADDR_HI	0x4
#define MSIX_ENTRY_DATA		0x8
#define MSIX_ENTRY_CTRL		0xc
#define MSIX_ENTRY_MASKED	0x1

#define MSI_ADDRESS		0xfee00000U
#define MSI_ADDRESS_DEST_SHIFT	12

/* The table's BAR goes in the upper half of the slot, after BAR 0 */
#define MSIX_BAR_OFFSET		(JAILHOUSE_VPCI_SLOT_BAR_STRIDE / 2)

/**
 * ivshmem_irq_init() - Find the device's MSI-X table and place its BAR.
 * @dev:	the device, BAR 0 placed
 *
 * Return: 0, or -ENODEV without MSI-X or where its table's BAR does not
 * fit the upper half of the slot.
 */
int ivshmem_irq_init(struct ivshmem_device *dev)
{
	unsigned int cap = pci_find_cap(dev->bdf, PCI_CAP_MSIX);
	u32 table;
	unsigned long bar;

	if (!cap)
		return -ENODEV;
	table = pci_read_config(dev->bdf, cap + MSIX_TABLE, 4);
	bar = pci_map_bar(dev->bdf, table & MSIX_BIR, MSIX_BAR_OFFSET);
	if (!bar)
		return -ENODEV;
	dev->msix_table = bar + (table & ~MSIX_BIR);
	dev->irq = IVSHMEM_VECTOR;
	return 0;
}

/* Vector 0 to the calling CPU, unmasked; MSI-X on, the function unmasked */
void ivshmem_irq_enable(struct ivshmem_device *dev)
{
	unsigned int cap = pci_find_cap(dev->bdf, PCI_CAP_MSIX);
	u16 ctrl;

	mmio_write32(dev->msix_table + MSIX_ENTRY_ADDR_LO, MSI_ADDRESS |
		     cpu_apic_id() << MSI_ADDRESS_DEST_SHIFT);
	mmio_write32(dev->msix_table + MSIX_ENTRY_ADDR_HI, 0);
	mmio_write32(dev->msix_table + MSIX_ENTRY_DATA, dev->irq);
	mmio_write32(dev->msix_table + MSIX_ENTRY_CTRL, 0);
	ctrl = pci_read_config(dev->bdf, cap + MSIX_CTRL, 2);
	pci_write_config(dev->bdf, cap + MSIX_CTRL,
			 (ctrl | MSIX_CTRL_ENABLE) & ~MSIX_CTRL_FMASK, 2);
}
