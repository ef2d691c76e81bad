/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtual PCI host: bus 0 of ECAM config space at the system config's
 * pci_mmconfig_base, emulated for each cell that has virtual devices in
 * its config (today: ivshmem links, ivshmem.c).  Each cell sees only its
 * own devices.
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
#define  PCI_CMD_INTX_DISABLE		0x0400
#define  PCI_STS_CAPS			0x0010
#define PCI_CFG_CLASS			0x08
#define PCI_CFG_BAR0			0x10
#define PCI_CFG_SUBSYS			0x2c
#define PCI_CFG_CAP_PTR			0x34
#define PCI_CFG_INT			0x3c
#define PCI_CAP_VENDOR			0x09

/* bus:device.function of a bdf, for messages */
#define PCI_BDF_FMT		"%02x:%02x.%x"
#define PCI_BDF_ARGS(bdf)	((bdf) >> 8), (((bdf) >> 3) & 0x1f), ((bdf) & 7)

struct cell;
struct ivshmem_link;

/* A device on a cell's virtual bus, and what the cell wrote to it. */
struct pci_device {
	const struct jailhouse_pci_device *info;
	struct cell *cell;

	u16 command;
	u8 int_line;
	u32 bar0;
	/* guest-physical address where BAR 0 is trapped, 0 if nowhere */
	unsigned long bar0_trapped;

	/* ivshmem: the link, and this peer's registers */
	struct ivshmem_link *link;
	u32 state;
	u32 int_ctrl;
	u8 priv_ctrl;
};

static inline unsigned int pci_slot(const struct pci_device *dev)
{
	return (dev->info->bdf >> 3) & 0x1f;
}

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
