/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI configuration space through the x86 configuration ports (pci.c).
 */
#ifndef _JAILHOUSE_ASM_PCI_H
#define _JAILHOUSE_ASM_PCI_H

#include <jailhouse/types.h>

struct cell;

/* CONFIG_ADDRESS (dword at 0xcf8) and CONFIG_DATA (0xcfc-0xcff) */
#define PCI_CONFIG_PORT_FIRST	0xcf8
#define PCI_CONFIG_PORT_LAST	0xcff

/**
 * x86_pci_port_access() - an access of @cell to a configuration port
 * @cell:	the cell
 * @address:	the CPU's CONFIG_ADDRESS latch
 * @port:	PCI_CONFIG_PORT_FIRST to PCI_CONFIG_PORT_LAST
 * @size:	1, 2 or 4 bytes
 * @is_write:	direction
 * @value:	value written; a read leaves the value read in it
 */
void x86_pci_port_access(struct cell *cell, u32 *address, u16 port,
			 unsigned int size, bool is_write, u32 *value);

#endif /* !_JAILHOUSE_ASM_PCI_H */
