/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The ivshmem v2 device as cells see it on the virtual PCI host: its ids,
 * config space, vendor capability and register page (BAR 0), and the
 * conventions of the virtual host on arm (Documentation/ivshmem.md).
 * Shared by the hypervisor, the root's drivers and tools, and inmates.
 */
#ifndef _JAILHOUSE_IVSHMEM_H
#define _JAILHOUSE_IVSHMEM_H

/* Virtual host: bus 0 only, ECAM at the system config's pci_mmconfig_base */
#define JAILHOUSE_VPCI_ECAM_SIZE		0x100000
/*
 * Where virtual BARs go by convention: the MiB after the ECAM, or the last
 * MiB below 4 GiB when that is out of a 32-bit BAR's reach (a physical
 * host's ECAM above 4 GiB).  The root's virtual host bridge offers it as
 * its memory window; the inmate library puts BAR 0 of the device in slot s
 * at JAILHOUSE_VPCI_BAR_WINDOW(base) + s * 0x10000.  The hypervisor traps
 * a virtual BAR wherever the cell has no RAM.
 */
#define JAILHOUSE_VPCI_BAR_WINDOW_SIZE		0x100000
#define JAILHOUSE_VPCI_BAR_WINDOW(mmconfig_base)			\
	((mmconfig_base) + JAILHOUSE_VPCI_ECAM_SIZE +			\
	 JAILHOUSE_VPCI_BAR_WINDOW_SIZE <= 0x100000000ULL ?		\
	 (mmconfig_base) + JAILHOUSE_VPCI_ECAM_SIZE :			\
	 0x100000000ULL - JAILHOUSE_VPCI_BAR_WINDOW_SIZE)
#define JAILHOUSE_VPCI_SLOT_BAR_STRIDE		0x10000
/*
 * INTx: the device in slot s raises pin (s & 3) + 1, i.e. SPI
 * vpci_irq_base + (s & 3) of its cell, edge-triggered.
 */
#define JAILHOUSE_VPCI_INTX_PIN(slot)		(((slot) & 3) + 1)
/*
 * MSI-X (Documentation/ivshmem.md): a cell's MSI SPIs are those it owns
 * from vpci_irq_base + JAILHOUSE_VPCI_MSI_FIRST on without a gap, at most
 * JAILHOUSE_VPCI_MAX_MSI_SPIS.  On GICv2 the hypervisor emulates a GICv2m
 * frame of one page for each cell with MSI-X devices, the page below the
 * ECAM.
 */
#define JAILHOUSE_VPCI_MSI_FIRST		4
#define JAILHOUSE_VPCI_MAX_MSI_SPIS		64
#define JAILHOUSE_VPCI_MSI_FRAME_SIZE		0x1000
#define JAILHOUSE_VPCI_MSI_FRAME(mmconfig_base)				\
	((mmconfig_base) - JAILHOUSE_VPCI_MSI_FRAME_SIZE)

#define IVSHMEM_VENDOR_ID			0x110a
#define IVSHMEM_DEVICE_ID			0x4106
#define IVSHMEM_CLASS_BASE			0xffU
/* at most this many peers on a link */
#define IVSHMEM_MAX_PEERS			16

/* Config space: the vendor capability and its fields */
#define IVSHMEM_CFG_VENDOR_CAP			0x40
#define IVSHMEM_CFG_VENDOR_CAP_LEN		0x20
#define IVSHMEM_CFG_PRIV_CNTL			0x03
#define IVSHMEM_PRIV_CNTL_ONESHOT_INT		0x01
#define IVSHMEM_CFG_STATE_TAB_SZ		0x04
#define IVSHMEM_CFG_RW_SECTION_SZ		0x08
#define IVSHMEM_CFG_OUTPUT_SECTION_SZ		0x10
#define IVSHMEM_CFG_ADDRESS			0x18
/*
 * With MSI-X: its capability after the vendor one; BAR 1 holds the table
 * (16 bytes per vector) at 0 and the pending bit array at
 * IVSHMEM_MSIX_PBA.
 */
#define IVSHMEM_CFG_MSIX_CAP			0x60
#define IVSHMEM_MAX_MSIX_VECTORS		64
#define IVSHMEM_MSIX_PBA			0x800

/* Register page (BAR 0): aligned 32-bit accesses */
#define IVSHMEM_REG_ID				0x00
#define IVSHMEM_REG_MAX_PEERS			0x04
#define IVSHMEM_REG_INT_CTRL			0x08
#define IVSHMEM_REG_DOORBELL			0x0c
#define IVSHMEM_REG_STATE			0x10

#define IVSHMEM_INT_ENABLE			0x1
/* doorbell: bits 31..16 target peer id, bits 15..0 vector */
#define IVSHMEM_DOORBELL(peer, vector)		(((peer) << 16) | (vector))

#endif /* !_JAILHOUSE_IVSHMEM_H */
