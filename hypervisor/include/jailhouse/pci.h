/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI: the ECAM config space at the system config's pci_mmconfig_base,
 * trapped for each cell with PCI devices in its config (pci.c).  Each cell
 * sees only its own functions: virtual ones (ivshmem links, ivshmem.c) and,
 * on a physical host, the machine's devices its config lists
 * (pci-assign.c).
 */
#ifndef _JAILHOUSE_PCI_H
#define _JAILHOUSE_PCI_H

#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>
#include <jailhouse/mmio.h>

/* Type 0 config header (PCI Local Bus spec 3.0, 6.1) */
#define PCI_CFG_ID			0x00
#define PCI_CFG_COMMAND			0x04
#define  PCI_CMD_IO			0x0001
#define  PCI_CMD_MEMORY			0x0002
#define  PCI_CMD_MASTER			0x0004
#define  PCI_CMD_PARITY			0x0040
#define  PCI_CMD_SERR			0x0100
#define  PCI_CMD_INTX_DISABLE		0x0400
#define PCI_CFG_STATUS			0x06
#define  PCI_STS_CAPS			0x0010
#define PCI_CFG_CLASS			0x08
#define PCI_CFG_CACHE_LINE		0x0c
#define PCI_CFG_LATENCY			0x0d
#define PCI_CFG_BAR0			0x10
#define  PCI_BAR_IO			0x1
#define  PCI_BAR_MEM_TYPE		0x6
#define  PCI_BAR_MEM64			0x4
#define PCI_CFG_BAR_END			0x28
#define PCI_CFG_SUBSYS			0x2c
#define PCI_CFG_ROM			0x30
#define PCI_CFG_CAP_PTR			0x34
#define PCI_CFG_INT			0x3c
#define PCI_CFG_HEADER_END		0x40
#define PCI_CAP_MSI			0x05
#define  PCI_MSI_CTRL_ENABLE		0x0001
#define PCI_CAP_VENDOR			0x09
#define PCI_CAP_MSIX			0x11
#define  PCI_MSIX_CTRL_ENABLE		0x8000
#define  PCI_MSIX_CTRL_FMASK		0x4000
/* table and pending bits: offset | BAR indicator */
#define PCI_MSIX_TABLE			0x04
#define PCI_MSIX_PBA			0x08
/* An MSI-X table entry (PCI Local Bus spec 3.0, 6.8.2) */
#define PCI_MSIX_ENTRY_SIZE		16
#define PCI_MSIX_ENTRY_ADDR_LO		0x0
#define PCI_MSIX_ENTRY_ADDR_HI		0x4
#define PCI_MSIX_ENTRY_DATA		0x8
#define PCI_MSIX_ENTRY_CTRL		0xc
#define  PCI_MSIX_ENTRY_MASKED		0x1

#define PCI_NUM_BARS			6
/* The BARs of a virtual device: registers, MSI-X table */
#define PCI_VIRT_BARS			2
#define PCI_CFG_SIZE			0x1000

/* bus:device.function of a bdf, for messages */
#define PCI_BDF_FMT		"%02x:%02x.%x"
#define PCI_BDF_ARGS(bdf)	((bdf) >> 8), (((bdf) >> 3) & 0x1f), ((bdf) & 7)

struct cell;
struct ivshmem_link;
struct ivshmem_msix;

/* A PCI function of a cell, and what the cell wrote to it. */
struct pci_device {
	const struct jailhouse_pci_device *info;
	struct cell *cell;

	/* physical device (pci-assign.c): its ECAM page, mapped */
	void *cfg;
	/* in a non-root cell: the root's entry of the same device */
	struct pci_device *root_dev;
	/* in the root: the cell that has the device now, or NULL */
	struct cell *lent_to;
	/* per BAR register: the size it decodes, PCI_BAR_* below */
	u64 bar_size[PCI_NUM_BARS];
	u8 bar_flags[PCI_NUM_BARS];
	/* a refused config write was reported */
	bool warned;

	u16 command;
	u8 int_line;
	/* a virtual device's BARs, and where each is trapped (0: nowhere) */
	u32 vbar[PCI_VIRT_BARS];
	unsigned long vbar_trapped[PCI_VIRT_BARS];

	/* ivshmem: the link, and this peer's registers */
	struct ivshmem_link *link;
	u32 state;
	u32 int_ctrl;
	u8 priv_ctrl;
	/* with MSI-X: the capability's control bits, the table */
	u16 msix_ctrl;
	struct ivshmem_msix *msix;
};

static inline unsigned int pci_slot(const struct pci_device *dev)
{
	return (dev->info->bdf >> 3) & 0x1f;
}

/* pci_device.bar_flags */
#define PCI_BAR_F_IO		0x1	/* I/O space */
#define PCI_BAR_F_MEM64		0x2	/* the lower half of a 64-bit BAR */
#define PCI_BAR_F_UPPER		0x4	/* the upper half of a 64-bit BAR */
#define PCI_BAR_F_HIDDEN	0x8	/* reads 0, writes ignored */

static inline bool pci_is_physical(const struct pci_device *dev)
{
	return dev->info->type == JAILHOUSE_PCI_TYPE_DEVICE;
}

/**
 * pci_cfg_access() - a config space access of @cell that did not come
 *		      through its ECAM (x86: the configuration ports)
 * @cell:	the cell
 * @mmio:	the access, its address as an offset into the ECAM of the
 *		system config's host (bus << 20 | device << 15 |
 *		function << 12 | register); a read leaves the value in it
 *
 * Filtered as the cell's ECAM accesses are: functions that are not the
 * cell's read as all ones, also in a cell without PCI devices.
 */
void pci_cfg_access(struct cell *cell, struct mmio_access *mmio);

/*
 * pci-assign.c: physical devices.  The root cell has every device its
 * config lists; another cell's config takes a device from the root while
 * the cell exists.  Config space accesses come under the cell's PCI lock,
 * aligned, of 1, 2 or 4 bytes.
 */
int pci_assign_root_init(struct pci_device *dev, unsigned long ecam);
int pci_assign_take(struct pci_device *dev);
void pci_assign_give_back(struct pci_device *dev);
/* all writes off: no decoding, no DMA, no MSI; as the cell stops */
void pci_assign_scrub(struct pci_device *dev);
/* Is @dev, of the root cell, with another cell now? */
static inline bool pci_assign_lent(const struct pci_device *dev)
{
	return dev->lent_to != NULL;
}
u32 pci_assign_cfg_read(struct pci_device *dev, unsigned int reg,
			unsigned int size);
void pci_assign_cfg_write(struct pci_device *dev, unsigned int reg,
			  unsigned int size, u32 value);

/*
 * ivshmem.c: the device behind a virtual PCI function.  Config space
 * accesses come as aligned dwords under the cell's PCI lock; @mask has the
 * bits the cell writes.
 */
u32 ivshmem_cfg_read(struct pci_device *dev, unsigned int reg);
void ivshmem_cfg_write(struct pci_device *dev, unsigned int reg, u32 value,
		       u32 mask);
/* BAR 0: the register page */
enum mmio_result ivshmem_register_access(void *arg,
					 struct mmio_access *mmio);
/* BAR 1: the MSI-X table and pending bits, with MSI-X */
enum mmio_result ivshmem_msix_access(void *arg, struct mmio_access *mmio);
/*
 * ivshmem_link_device() - join the link of @dev, creating it if needed
 *
 * Return: 0, or a negative errno after saying why the link refuses.
 */
int ivshmem_link_device(struct pci_device *dev);
/* The peer's registers as after reset; its state drops to 0 (told). */
void ivshmem_reset(struct pci_device *dev);
/* Leave the link: the peer's state drops to 0 and the others are told. */
void ivshmem_unlink_device(struct pci_device *dev);

#endif /* !_JAILHOUSE_PCI_H */
