// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * arm64's side of the cell's PCI host: configuration space through the
 * ECAM at the comm region's pci_mmconfig_base (bus 0), the window of
 * virtual BARs after it and INTx as SPIs, by the conventions of the
 * virtual host (include/jailhouse/ivshmem.h).
 */
#include "lib.h"
#include <jailhouse/ivshmem.h>

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

/* The MiB after the ECAM, or the last one below 4 GiB (ivshmem.h) */
unsigned long pci_bar_window(void)
{
	return JAILHOUSE_VPCI_BAR_WINDOW(platform.pci_mmconfig_base);
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
