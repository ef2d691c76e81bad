/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shared memory of an ivshmem v2 device as its vendor capability
 * describes it (include/jailhouse/ivshmem.h), and its interrupt: alike for
 * the root's ivshmem drivers, uio_ivshmem.ko and ivshmem_net.ko.
 */
#ifndef _JAILHOUSE_DRIVER_IVSHMEM_LAYOUT_H
#define _JAILHOUSE_DRIVER_IVSHMEM_LAYOUT_H

#include <linux/pci.h>

#include <jailhouse/ivshmem.h>

/**
 * struct ivshmem_layout - The link's shared memory.
 * @cap:		config space offset of the vendor capability
 * @base:		physical address of the state table, where it starts
 * @state_table_size:	bytes of the state table
 * @rw_size:		bytes of the read/write section
 * @output_size:	bytes of each peer's output section
 */
struct ivshmem_layout {
	int cap;
	u64 base;
	u32 state_table_size;
	u64 rw_size;
	u64 output_size;
};

static inline int ivshmem_read_config_u64(struct pci_dev *pdev, int where,
					  u64 *val)
{
	u32 lo, hi;
	int err;

	err = pci_read_config_dword(pdev, where, &lo);
	if (!err)
		err = pci_read_config_dword(pdev, where + 4, &hi);
	if (err)
		return pcibios_err_to_errno(err);
	*val = (u64)hi << 32 | lo;
	return 0;
}

/* The layout from the vendor capability, unchecked but for its length. */
static inline int ivshmem_read_layout(struct pci_dev *pdev,
				      struct ivshmem_layout *l)
{
	u8 len;
	int err;

	l->cap = pci_find_capability(pdev, PCI_CAP_ID_VNDR);
	if (!l->cap) {
		pci_err(pdev, "no vendor capability: not an ivshmem v2 device\n");
		return -ENODEV;
	}
	err = pci_read_config_byte(pdev, l->cap + PCI_CAP_FLAGS, &len);
	if (!err)
		err = pci_read_config_dword(pdev,
					    l->cap + IVSHMEM_CFG_STATE_TAB_SZ,
					    &l->state_table_size);
	if (err)
		return pcibios_err_to_errno(err);
	if (len < IVSHMEM_CFG_VENDOR_CAP_LEN) {
		pci_err(pdev, "vendor capability of %u bytes has no shared memory address (needs %u)\n",
			len, IVSHMEM_CFG_VENDOR_CAP_LEN);
		return -ENODEV;
	}
	err = ivshmem_read_config_u64(pdev, l->cap + IVSHMEM_CFG_RW_SECTION_SZ,
				      &l->rw_size);
	if (!err)
		err = ivshmem_read_config_u64(pdev, l->cap +
					      IVSHMEM_CFG_OUTPUT_SECTION_SZ,
					      &l->output_size);
	if (!err)
		err = ivshmem_read_config_u64(pdev,
					      l->cap + IVSHMEM_CFG_ADDRESS,
					      &l->base);
	return err;
}

/* Kernels before 6.8 name INTx PCI_IRQ_LEGACY, later ones PCI_IRQ_INTX. */
#ifndef PCI_IRQ_INTX
#define PCI_IRQ_INTX	PCI_IRQ_LEGACY
#endif

/*
 * ivshmem_alloc_irq() - the one interrupt of the drivers: MSI-X vector 0
 * where the cell's Linux has an MSI controller for the device (the
 * doorbells and state changes the drivers use all come as vector 0), else
 * INTx (Documentation/ivshmem.md)
 *
 * Release with pci_free_irq_vectors().
 *
 * Return: the Linux interrupt number, or a negative errno after saying
 * why there is none.
 */
static inline int ivshmem_alloc_irq(struct pci_dev *pdev)
{
	int err = pci_alloc_irq_vectors(pdev, 1, 1,
					PCI_IRQ_MSIX | PCI_IRQ_INTX);

	if (err < 0) {
		pci_err(pdev, "no interrupt: neither MSI-X nor INTx (interrupt pin %u)\n",
			pdev->pin);
		return err;
	}
	return pci_irq_vector(pdev, 0);
}

#endif /* !_JAILHOUSE_DRIVER_IVSHMEM_LAYOUT_H */
