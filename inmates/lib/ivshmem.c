// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The cell's ivshmem v2 device (shared/ABI.md, section 5): found on the
 * PCI host by its ids, its register page placed, its shared memory
 * mapped, its interrupt set up the architecture's way (ivshmem-irq.c:
 * INTx on arm64, MSI-X on x86).
 */
#include "lib.h"
#include <jailhouse/ivshmem.h>

static u64 cap_read64(u16 bdf, unsigned int field)
{
	unsigned int reg = IVSHMEM_CFG_VENDOR_CAP + field;

	return pci_read_config(bdf, reg, 4) |
		(u64)pci_read_config(bdf, reg + 4, 4) << 32;
}

/**
 * ivshmem_open() - Set up the first ivshmem device of the virtual host.
 * @dev:	filled in
 * @output_min:	bytes of its output section the caller needs at least
 *
 * Places BAR 0 by the library's convention (pci_map_bar()), finds the
 * device's interrupt (ivshmem_irq_init()) and maps the shared memory, from
 * the state table to the end of the last output section, as normal
 * memory like the other peers'.  The interrupt stays off:
 * ivshmem_enable_irq().
 *
 * Return: 0; -ENOENT if there is no host or no device; -ENODEV if the
 * device lacks the vendor capability, an interrupt the library can take
 * or BARs that fit its slot; -EINVAL if its id, peers, state table or
 * output sections are out of range; an error of mmu_map_normal().  From
 * -ENODEV on, @dev says what was found.
 */
int ivshmem_open(struct ivshmem_device *dev, unsigned long output_min)
{
	int found = pci_find_device(IVSHMEM_VENDOR_ID, IVSHMEM_DEVICE_ID, 0);
	u16 bdf;

	if (found < 0)
		return -ENOENT;
	bdf = dev->bdf = found;
	dev->irq = -ENODEV;
	dev->msix_table = 0;
	if (pci_find_cap(bdf, PCI_CAP_VENDOR) != IVSHMEM_CFG_VENDOR_CAP)
		return -ENODEV;
	dev->regs = pci_map_bar(bdf, 0, 0);
	if (!dev->regs || ivshmem_irq_init(dev))
		return -ENODEV;

	dev->id = mmio_read32(dev->regs + IVSHMEM_REG_ID);
	dev->max_peers = mmio_read32(dev->regs + IVSHMEM_REG_MAX_PEERS);
	dev->state_size = pci_read_config(bdf, IVSHMEM_CFG_VENDOR_CAP +
					  IVSHMEM_CFG_STATE_TAB_SZ, 4);
	dev->rw_size = cap_read64(bdf, IVSHMEM_CFG_RW_SECTION_SZ);
	dev->output_size = cap_read64(bdf, IVSHMEM_CFG_OUTPUT_SECTION_SZ);
	dev->shmem = cap_read64(bdf, IVSHMEM_CFG_ADDRESS);
	if (dev->id >= dev->max_peers || dev->max_peers > IVSHMEM_MAX_PEERS ||
	    dev->state_size < dev->max_peers * sizeof(u32) ||
	    dev->output_size < output_min)
		return -EINVAL;

	dev->state_table = (volatile u32 *)dev->shmem;
	return mmu_map_normal(dev->shmem, ivshmem_output(dev, dev->max_peers) -
			      dev->shmem);
}

/**
 * ivshmem_enable_irq() - Take the device's interrupt on the calling CPU.
 * @dev:	an open device
 * @handler:	called for each of its interrupts
 */
void ivshmem_enable_irq(struct ivshmem_device *dev, irq_handler_t handler)
{
	irq_register(dev->irq, handler);
	ivshmem_irq_enable(dev);
	mmio_write32(dev->regs + IVSHMEM_REG_INT_CTRL, IVSHMEM_INT_ENABLE);
}

void ivshmem_set_state(struct ivshmem_device *dev, u32 state)
{
	/* what the peers read once they see the state goes first */
	wmb();
	mmio_write32(dev->regs + IVSHMEM_REG_STATE, state);
}

void ivshmem_ring(struct ivshmem_device *dev, unsigned int peer)
{
	/* what the doorbell announces goes first */
	wmb();
	mmio_write32(dev->regs + IVSHMEM_REG_DOORBELL,
		     IVSHMEM_DOORBELL(peer, 0));
}
