// SPDX-License-Identifier: GPL-2.0
/*
 * uio_ivshmem.ko: the ivshmem v2 device (ABI: "the ivshmem v2 device and
 * the virtual PCI host") for user space, through UIO.  It binds the links
 * of protocol 0 (undefined) and of the custom range; the others have
 * drivers of their own.
 *
 * The maps, in this order, each named, the empty ones left out (so a
 * program looks them up by name in /sys/class/uio/uioN/maps/mapM/name):
 *   "registers"       the register page (BAR 0), read/write
 *   "state_table"     one u32 per peer, read-only
 *   "rw_section"      the section every peer writes, read/write
 *   "input_sections"  the output sections of all peers, read-only
 *   "output_section"  this peer's own output section, read/write
 * A map that is read-only cannot be mapped with PROT_WRITE, nor made
 * writable later; the hypervisor would fault the write.  Shared maps only:
 * a private copy of shared memory tells nothing.
 *
 * The interrupt is the device's MSI-X vector 0, or its INTx where the
 * device or the cell's Linux has no MSI-X; read() on /dev/uioN waits for
 * it and
 * write() of 1 or 0 enables or disables it in the device's interrupt
 * control register.  Interrupts are enabled once the device is bound.  In
 * one-shot mode (module parameter one_shot) the device disables them on
 * each delivery until user space enables them again; otherwise they stay
 * enabled.
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/pci.h>
#include <linux/uio_driver.h>
#include <linux/version.h>

#include <jailhouse/cell-config.h>
#include <jailhouse/ivshmem.h>

#include "ivshmem-layout.h"

#define DRV_NAME	"uio_ivshmem"

/* The register page is always there, and first. */
#define REGS_MAP	0

static bool one_shot;
module_param(one_shot, bool, 0444);
MODULE_PARM_DESC(one_shot,
		 "disable the interrupt on each delivery until user space enables it again (default: off)");

/**
 * struct uio_ivshmem - One bound device.
 * @info:	its UIO device
 * @regs:	the register page, mapped
 * @writable:	bit n set: map n may be mapped writable
 */
struct uio_ivshmem {
	struct uio_info info;
	void __iomem *regs;
	unsigned long writable;
};

/*
 * The interrupt has no status to check or acknowledge: the device raised
 * it, unless another device shares the pin, which cannot be told apart.
 */
static irqreturn_t ivshm_handler(int irq, struct uio_info *info)
{
	return IRQ_HANDLED;
}

static int ivshm_irqcontrol(struct uio_info *info, s32 on)
{
	struct uio_ivshmem *ivshm = info->priv;

	writel(on ? IVSHMEM_INT_ENABLE : 0,
	       ivshm->regs + IVSHMEM_REG_INT_CTRL);
	return 0;
}

/*
 * The UIO core has checked the map index (the page offset) and the size;
 * this adds the access rights and the memory type: device memory for the
 * registers, normal cacheable memory for the shared memory, as the cells
 * map it.
 */
static int ivshm_mmap(struct uio_info *info, struct vm_area_struct *vma)
{
	struct uio_ivshmem *ivshm = info->priv;
	unsigned long map = vma->vm_pgoff;

	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (!test_bit(map, &ivshm->writable)) {
		if (vma->vm_flags & VM_WRITE)
			return -EACCES;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
		vm_flags_clear(vma, VM_MAYWRITE);
#else
		vma->vm_flags &= ~VM_MAYWRITE;
#endif
	}
	if (map == REGS_MAP)
		vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);

	return remap_pfn_range(vma, vma->vm_start,
			       info->mem[map].addr >> PAGE_SHIFT,
			       vma->vm_end - vma->vm_start, vma->vm_page_prot);
}

/**
 * struct ivshm_layout - The link as the vendor capability and the
 * registers describe it.
 * @shm:	the shared memory, from the vendor capability
 * @id:		this peer's id
 * @peers:	number of peers of the link
 */
struct ivshm_layout {
	struct ivshmem_layout shm;
	u32 id;
	u32 peers;
};

static int read_layout(struct pci_dev *pdev, void __iomem *regs,
		       struct ivshm_layout *l)
{
	u64 total;
	int err;

	err = ivshmem_read_layout(pdev, &l->shm);
	if (err)
		return err;

	l->id = readl(regs + IVSHMEM_REG_ID);
	l->peers = readl(regs + IVSHMEM_REG_MAX_PEERS);
	if (l->peers == 0 || l->peers > IVSHMEM_MAX_PEERS ||
	    l->id >= l->peers) {
		pci_err(pdev, "peer id %u of %u peers: out of range (at most %u peers)\n",
			l->id, l->peers, IVSHMEM_MAX_PEERS);
		return -ENODEV;
	}
	if (!PAGE_ALIGNED(l->shm.base) || !l->shm.state_table_size ||
	    !PAGE_ALIGNED(l->shm.state_table_size) ||
	    l->shm.state_table_size < l->peers * sizeof(u32) ||
	    !PAGE_ALIGNED(l->shm.rw_size) ||
	    !PAGE_ALIGNED(l->shm.output_size) ||
	    check_mul_overflow(l->shm.output_size, (u64)l->peers, &total) ||
	    check_add_overflow(total, l->shm.rw_size, &total) ||
	    check_add_overflow(total, (u64)l->shm.state_table_size, &total) ||
	    check_add_overflow(total, l->shm.base, &total)) {
		pci_err(pdev, "shared memory at %#llx not page-aligned or too large: state table %#x, read/write section %#llx, %u output sections of %#llx bytes\n",
			l->shm.base, l->shm.state_table_size,
			l->shm.rw_size, l->peers, l->shm.output_size);
		return -ENODEV;
	}
	return 0;
}

/* Appends a map unless it is empty; @writable: may be mapped so. */
static void add_map(struct uio_ivshmem *ivshm, unsigned int *n,
		    const char *name, phys_addr_t addr, resource_size_t size,
		    bool writable)
{
	struct uio_mem *mem = &ivshm->info.mem[*n];

	if (!size)
		return;
	mem->name = name;
	mem->addr = addr;
	mem->size = size;
	mem->memtype = UIO_MEM_PHYS;
	if (writable)
		__set_bit(*n, &ivshm->writable);
	(*n)++;
}

static int ivshm_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	u16 protocol = pdev->class & 0xffff;
	struct uio_ivshmem *ivshm;
	struct ivshm_layout l;
	phys_addr_t output;
	unsigned int n = 0;
	int irq, err;

	if (protocol != JAILHOUSE_SHMEM_PROTO_UNDEFINED &&
	    (protocol < JAILHOUSE_SHMEM_PROTO_CUSTOM ||
	     protocol >= JAILHOUSE_SHMEM_PROTO_VIRTIO_FRONT)) {
		pci_dbg(pdev, "protocol %#x is not for UIO\n", protocol);
		return -ENODEV;
	}

	ivshm = devm_kzalloc(&pdev->dev, sizeof(*ivshm), GFP_KERNEL);
	if (!ivshm)
		return -ENOMEM;

	err = pci_enable_device(pdev);
	if (err)
		return err;
	err = pci_request_region(pdev, 0, DRV_NAME);
	if (err)
		goto err_disable;
	err = -ENOMEM;
	ivshm->regs = pci_iomap(pdev, 0, PAGE_SIZE);
	if (!ivshm->regs)
		goto err_release;

	err = read_layout(pdev, ivshm->regs, &l);
	if (err)
		goto err_unmap;
	irq = ivshmem_alloc_irq(pdev);
	if (irq < 0) {
		err = irq;
		goto err_unmap;
	}
	err = -EBUSY;
	if (!devm_request_mem_region(&pdev->dev, l.shm.base,
				     l.shm.state_table_size + l.shm.rw_size +
				     l.peers * l.shm.output_size,
				     dev_name(&pdev->dev))) {
		pci_err(pdev, "shared memory at %#llx is in use\n", l.shm.base);
		goto err_free_irq;
	}

	err = pci_write_config_byte(pdev, l.shm.cap + IVSHMEM_CFG_PRIV_CNTL,
				    one_shot ? IVSHMEM_PRIV_CNTL_ONESHOT_INT :
					       0);
	if (err) {
		err = pcibios_err_to_errno(err);
		goto err_free_irq;
	}

	add_map(ivshm, &n, "registers", pci_resource_start(pdev, 0),
		pci_resource_len(pdev, 0), true);
	ivshm->info.mem[REGS_MAP].internal_addr = ivshm->regs;
	add_map(ivshm, &n, "state_table", l.shm.base,
		l.shm.state_table_size, false);
	add_map(ivshm, &n, "rw_section", l.shm.base + l.shm.state_table_size,
		l.shm.rw_size, true);
	output = l.shm.base + l.shm.state_table_size + l.shm.rw_size;
	add_map(ivshm, &n, "input_sections", output,
		l.peers * l.shm.output_size, false);
	add_map(ivshm, &n, "output_section", output + l.id * l.shm.output_size,
		l.shm.output_size, true);

	ivshm->info.name = DRV_NAME;
	ivshm->info.version = "2";
	ivshm->info.irq = irq;
	ivshm->info.irq_flags = IRQF_SHARED;
	ivshm->info.handler = ivshm_handler;
	ivshm->info.irqcontrol = ivshm_irqcontrol;
	ivshm->info.mmap = ivshm_mmap;
	ivshm->info.priv = ivshm;
	err = uio_register_device(&pdev->dev, &ivshm->info);
	if (err)
		goto err_free_irq;
	pci_set_drvdata(pdev, ivshm);

	writel(IVSHMEM_INT_ENABLE, ivshm->regs + IVSHMEM_REG_INT_CTRL);
	pci_info(pdev, "peer %u of %u, shared memory %#llx: state table %#x, read/write section %#llx, output sections %#llx bytes; interrupt %u (%s)%s\n",
		 l.id, l.peers, l.shm.base, l.shm.state_table_size,
		 l.shm.rw_size, l.shm.output_size, irq,
		 pdev->msix_enabled ? "MSI-X" : "INTx",
		 one_shot ? " (one-shot)" : "");
	return 0;

err_free_irq:
	pci_free_irq_vectors(pdev);
err_unmap:
	pci_iounmap(pdev, ivshm->regs);
err_release:
	pci_release_region(pdev, 0);
err_disable:
	pci_disable_device(pdev);
	return err;
}

/* The peer leaves the link: its state drops to 0, as if it went away. */
static void ivshm_remove(struct pci_dev *pdev)
{
	struct uio_ivshmem *ivshm = pci_get_drvdata(pdev);

	writel(0, ivshm->regs + IVSHMEM_REG_INT_CTRL);
	uio_unregister_device(&ivshm->info);
	pci_free_irq_vectors(pdev);
	writel(0, ivshm->regs + IVSHMEM_REG_STATE);
	pci_iounmap(pdev, ivshm->regs);
	pci_release_region(pdev, 0);
	pci_disable_device(pdev);
}

/*
 * Class 0xff, any protocol (sub-class and interface): a device table entry
 * cannot express the custom range (modpost takes only whole bytes of the
 * class mask); ivshm_probe() declines the protocols of other drivers.
 */
static const struct pci_device_id ivshm_ids[] = {
	{
		.vendor = IVSHMEM_VENDOR_ID, .device = IVSHMEM_DEVICE_ID,
		.subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID,
		.class = IVSHMEM_CLASS_BASE << 16, .class_mask = 0xff0000,
	},
	{ }
};
MODULE_DEVICE_TABLE(pci, ivshm_ids);

static struct pci_driver ivshm_driver = {
	.name = DRV_NAME,
	.id_table = ivshm_ids,
	.probe = ivshm_probe,
	.remove = ivshm_remove,
};
module_pci_driver(ivshm_driver);

MODULE_DESCRIPTION("UIO driver for ivshmem v2 devices of Jailhouse-compatible hypervisors");
MODULE_LICENSE("GPL");
