// SPDX-License-Identifier: GPL-2.0
/*
 * The virtual PCI host (jailhouse/pci.h).  A cell with virtual devices
 * traps the 1 MiB of bus 0's ECAM; functions it has no device at read as
 * all-ones.  BAR 0 of a device is trapped where the cell puts it while
 * memory decoding is on, if that is not the cell's memory or another
 * trapped region.  Config space changes of a cell are serialised by its
 * PCI lock, which also covers the move of a BAR in its MMIO table.
 *
 * Physical PCI devices (device assignment) are not handled yet: a config
 * that lists one is refused.
 */
#include <jailhouse/arch.h>
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/ivshmem.h>
#include <jailhouse/page_alloc.h>
#include <jailhouse/pci.h>
#include <jailhouse/printk.h>
#include <jailhouse/string.h>
#include <jailhouse/unit.h>
#include <jailhouse/utils.h>

static unsigned long ecam_base(void)
{
	return system_config->platform_info.pci_mmconfig_base;
}

static struct pci_device *find_device(struct cell *cell, unsigned int devfn)
{
	unsigned int n;

	for (n = 0; n < cell->num_pci_devices; n++)
		if ((cell->pci_devices[n].info->bdf & 0xff) == devfn)
			return &cell->pci_devices[n];
	return NULL;
}

static bool in_cell_memory(const struct cell *cell, unsigned long start,
			   unsigned long size)
{
	const struct jailhouse_memory *mem =
		jailhouse_cell_mem_regions(cell->config);
	unsigned int n;

	for (n = 0; n < cell->config->num_memory_regions; n++, mem++)
		if (mem->size && ranges_overlap(start, size, mem->virt_start,
						mem->size))
			return true;
	return false;
}

/* Trap BAR 0 where the cell wants it now, if it may have it there. */
static void update_bar0(struct pci_device *dev)
{
	u32 mask = dev->info->bar_mask[0];
	unsigned long size = (u32)~mask + 1UL;
	unsigned long want = 0;

	if (dev->command & PCI_CMD_MEMORY)
		want = dev->bar0 & mask;
	if (want == dev->bar0_trapped)
		return;

	if (dev->bar0_trapped)
		mmio_region_unregister(dev->cell, dev->bar0_trapped);
	dev->bar0_trapped = 0;
	if (!want)
		return;
	if (in_cell_memory(dev->cell, want, size) ||
	    mmio_region_overlaps(dev->cell, want, size)) {
		printk("Cell \"%s\": PCI " PCI_BDF_FMT ": BAR 0 at 0x%lx "
		       "overlaps the cell's memory or another device, not "
		       "decoded\n", dev->cell->config->name,
		       PCI_BDF_ARGS(dev->info->bdf), want);
		return;
	}
	/* the table has a place for each device's BAR (count_regions) */
	if (!mmio_region_register(dev->cell, want, size,
				  ivshmem_register_access, dev))
		dev->bar0_trapped = want;
}

static unsigned long ones(unsigned int size)
{
	return size >= sizeof(unsigned long) ? ~0UL : (1UL << (8 * size)) - 1;
}

static enum mmio_result ecam_access(void *arg, struct mmio_access *mmio)
{
	struct cell *cell = arg;
	unsigned int reg = mmio->address & 0xfff;
	unsigned int shift = (reg & 3) * 8;
	struct pci_device *dev;
	u32 mask;

	dev = find_device(cell, mmio->address >> 12);
	/* no function here, or an access config space does not have */
	if (!dev || mmio->size > 4 || (reg & (mmio->size - 1))) {
		if (!mmio->is_write)
			mmio->value = ones(mmio->size);
		return MMIO_HANDLED;
	}

	spin_lock(&cell->pci_lock);
	if (mmio->is_write) {
		mask = ones(mmio->size) << shift;
		ivshmem_cfg_write(dev, reg & ~3u, (u32)mmio->value << shift,
				  mask);
		update_bar0(dev);
	} else {
		mmio->value = (ivshmem_cfg_read(dev, reg & ~3u) >> shift) &
			ones(mmio->size);
	}
	spin_unlock(&cell->pci_lock);
	return MMIO_HANDLED;
}

/* How many virtual devices the config has; 0 if it has none. */
static unsigned int count_devices(const struct jailhouse_cell_desc *config)
{
	const struct jailhouse_pci_device *info =
		jailhouse_cell_pci_devices(config);
	unsigned int n, count = 0;

	for (n = 0; n < config->num_pci_devices; n++)
		if (info[n].type == JAILHOUSE_PCI_TYPE_IVSHMEM)
			count++;
	return count;
}

/* Can the hypervisor serve device @info of @cell?  Say why not. */
static int check_device(struct cell *cell,
			const struct jailhouse_pci_device *info)
{
	const char *why = NULL;

	if (info->type != JAILHOUSE_PCI_TYPE_IVSHMEM)
		why = "PCI device assignment is not supported yet";
	else if (info->bdf >> 8)
		why = "the virtual PCI host has bus 0 only";
	else if (info->domain != system_config->platform_info.pci_domain)
		why = "not in the virtual PCI host's domain";
	else if (info->num_msix_vectors || info->bar_mask[1] ||
		 (info->bar_mask[0] != 0xfffff000 &&
		  info->bar_mask[0] != 0xffff0000))
		why = "MSI-X is not available on this machine: use INTx "
		      "(JAILHOUSE_IVSHMEM_BAR_MASK_INTX or _INTX_64K)";
	else if (info->shmem_peers > IVSHMEM_MAX_PEERS)
		why = "more peers than the hypervisor supports";
	else if (!arch_vpci_intx_owned(cell,
				       JAILHOUSE_VPCI_INTX_PIN(info->bdf >> 3)))
		why = "the cell does not own the interrupt of its INTx pin "
		      "(vpci_irq_base + slot % 4)";
	if (!why)
		return 0;
	printk("Cell \"%s\": PCI %04x:" PCI_BDF_FMT ": %s\n",
	       cell->config->name, info->domain, PCI_BDF_ARGS(info->bdf),
	       why);
	return -EINVAL;
}

static int check_host(struct cell *cell)
{
	const struct jailhouse_system *sys = system_config;
	const char *why = NULL;

	if (!sys->platform_info.pci_is_virtual || !ecam_base())
		why = "the system config has no virtual PCI host "
		      "(pci_is_virtual, pci_mmconfig_base)";
	else if (in_cell_memory(cell, ecam_base(),
				JAILHOUSE_VPCI_ECAM_SIZE +
				JAILHOUSE_VPCI_BAR_WINDOW_SIZE))
		why = "memory of the cell covers the virtual PCI host's "
		      "ECAM or BAR window";
	if (!why)
		return 0;
	printk("Cell \"%s\": %s\n", cell->config->name, why);
	return -EINVAL;
}

static void free_devices(struct cell *cell, unsigned int linked)
{
	unsigned int n;

	for (n = 0; n < linked; n++)
		ivshmem_unlink_device(&cell->pci_devices[n]);
	page_free(&mem_pool, cell->pci_devices,
		  PAGES(count_devices(cell->config) *
			sizeof(struct pci_device)));
	cell->pci_devices = NULL;
	cell->num_pci_devices = 0;
}

static int pci_cell_init(struct cell *cell)
{
	const struct jailhouse_pci_device *info =
		jailhouse_cell_pci_devices(cell->config);
	unsigned int n, count = count_devices(cell->config);
	struct pci_device *dev;
	int err;

	spin_lock_init(&cell->pci_lock);
	cell->pci_devices = NULL;
	cell->num_pci_devices = 0;
	for (n = 0; n < cell->config->num_pci_devices; n++) {
		err = check_device(cell, &info[n]);
		if (err)
			return err;
	}
	if (count == 0)
		return 0;
	err = check_host(cell);
	if (err)
		return err;

	cell->pci_devices = page_alloc(&mem_pool,
				       PAGES(count * sizeof(*dev)));
	if (!cell->pci_devices)
		return -ENOMEM;
	memset(cell->pci_devices, 0, count * sizeof(*dev));
	for (n = 0; n < cell->config->num_pci_devices; n++) {
		dev = &cell->pci_devices[cell->num_pci_devices];
		dev->info = &info[n];
		dev->cell = cell;
		err = ivshmem_link_device(dev);
		if (err)
			goto error;
		cell->num_pci_devices++;
	}

	err = mmio_region_register(cell, ecam_base(),
				   JAILHOUSE_VPCI_ECAM_SIZE, ecam_access, cell);
	if (err)
		goto error;
	return 0;

error:
	free_devices(cell, cell->num_pci_devices);
	return err;
}

static void pci_cell_reset(struct cell *cell)
{
	struct pci_device *dev;
	unsigned int n;

	spin_lock(&cell->pci_lock);
	for (n = 0; n < cell->num_pci_devices; n++) {
		dev = &cell->pci_devices[n];
		dev->command = 0;
		dev->bar0 = 0;
		dev->int_line = 0;
		update_bar0(dev);
		ivshmem_reset(dev);
	}
	spin_unlock(&cell->pci_lock);
}

static void pci_cell_exit(struct cell *cell)
{
	unsigned int n;

	if (!cell->pci_devices)
		return;
	for (n = 0; n < cell->num_pci_devices; n++)
		if (cell->pci_devices[n].bar0_trapped)
			mmio_region_unregister(cell,
					cell->pci_devices[n].bar0_trapped);
	mmio_region_unregister(cell, ecam_base());
	free_devices(cell, cell->num_pci_devices);
}

/* The ECAM and one BAR per device. */
static unsigned int pci_mmio_count_regions(struct cell *cell)
{
	unsigned int count = count_devices(cell->config);

	return count ? 1 + count : 0;
}

static int pci_init(void)
{
	return 0;
}

static void pci_shutdown(void)
{
}

DEFINE_UNIT(pci);
