// SPDX-License-Identifier: GPL-2.0
/*
 * PCI configuration space through the configuration ports (PCI Local Bus
 * spec 3.0, 3.2.2.3.2, configuration mechanism #1): a dword write to 0xcf8
 * sets CONFIG_ADDRESS (bit 31 enable, bits 23:16 bus, 15:11 device, 10:8
 * function, 7:2 register), accesses of 1, 2 or 4 bytes to 0xcfc-0xcff
 * then reach the selected dword of config space, at the byte of the port.
 * AMD's extension (BKDG, IOCF8 EnableCf8ExtCfg) puts register bits 11:8
 * in bits 27:24, for the extended config space; the hypervisor always
 * takes them, as no other use of those bits exists.
 *
 * The ports trap in every cell, the root included (svm.c): the accesses go
 * into the core's config space handling (jailhouse/pci.h), the same as
 * those of the cell's MMCONFIG, so that a cell sees and writes only its
 * own devices' config space; functions that are not the cell's read as
 * all ones.  CONFIG_ADDRESS is kept per CPU: a guest selects and accesses
 * on the same CPU under its own lock (Linux's pci_config_lock), and one
 * CPU's selection cannot steer another's access, in a cell or across.
 * Accesses of other sizes to 0xcf8-0xcfb are no configuration accesses;
 * those ports are no cell's (0xcf9 is the reset control of Intel's
 * chipsets): they read as all ones and ignore writes, as do data port
 * accesses while the enable bit is clear.
 */
#include <jailhouse/mmio.h>
#include <jailhouse/pci.h>
#include <asm/pci.h>

#define PCI_CONFIG_DATA		0xcfc

#define PCI_ADDR_ENABLE		0x80000000U
/* AMD: register bits 11:8 */
#define PCI_ADDR_EXT_REG	0x0f000000U
#define PCI_ADDR_EXT_REG_SHIFT	16
#define PCI_ADDR_BDF		0x00ffff00U
#define PCI_ADDR_BDF_SHIFT	8
#define PCI_ADDR_REG		0x000000fcU
/* bits 30:28 are reserved, 1:0 read as 0 */
#define PCI_ADDR_WRITABLE	(PCI_ADDR_ENABLE | PCI_ADDR_EXT_REG | \
				 PCI_ADDR_BDF | PCI_ADDR_REG)

void x86_pci_port_access(struct cell *cell, u32 *address, u16 port,
			 unsigned int size, bool is_write, u32 *value)
{
	unsigned int offset = port - PCI_CONFIG_DATA;
	struct mmio_access mmio = {
		.size = size, .is_write = is_write, .value = *value,
	};

	if (port < PCI_CONFIG_DATA) {
		if (port == PCI_CONFIG_PORT_FIRST && size == 4) {
			if (is_write)
				*address = *value & PCI_ADDR_WRITABLE;
			else
				*value = *address;
		} else if (!is_write) {
			*value = ~0U;
		}
		return;
	}

	if (!(*address & PCI_ADDR_ENABLE) || offset + size > 4) {
		if (!is_write)
			*value = ~0U;
		return;
	}
	mmio.address =
		(unsigned long)((*address & PCI_ADDR_BDF) >>
				PCI_ADDR_BDF_SHIFT) << 12 |
		(*address & PCI_ADDR_EXT_REG) >> PCI_ADDR_EXT_REG_SHIFT |
		(*address & PCI_ADDR_REG) | offset;
	pci_cfg_access(cell, &mmio);
	if (!is_write)
		*value = mmio.value;
}
