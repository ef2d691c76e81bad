// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * arm64: an ivshmem device interrupts through its INTx, an SPI of the
 * cell, edge-triggered on the virtual host (include/jailhouse/ivshmem.h).
 * MSI-X is not taken: a device with it has no pin.
 */
#include "lib.h"

int ivshmem_irq_init(struct ivshmem_device *dev)
{
	dev->irq = pci_intx_irq(dev->bdf);
	return dev->irq < 0 ? -ENODEV : 0;
}

void ivshmem_irq_enable(struct ivshmem_device *dev)
{
	irq_set_edge(dev->irq);
	irq_enable(dev->irq);
}
