// SPDX-License-Identifier: GPL-2.0
/*
 * The root cell's side of PCI (ABI: "the ivshmem v2 device and the virtual
 * PCI host"), in the two modes a system configuration chooses:
 *
 * Virtual host (pci_is_virtual): while the hypervisor runs, a host bridge
 * with one bus over the ECAM that the hypervisor emulates, so that Linux
 * finds the root's ivshmem devices and binds their drivers.  Debian's
 * kernels have neither CONFIG_OF_DYNAMIC nor CONFIG_OF_OVERLAY, so the host
 * cannot be a device tree node added at run time; the driver registers the
 * host bridge itself with the PCI core's exported API, with its own ECAM
 * accessors and INTx mapping onto the GIC's SPIs.
 *
 * Physical host (pci_is_virtual 0, pci_mmconfig_base set): the machine's
 * own ECAM, whose host bridge Linux has already.  The hypervisor emulates
 * the root's ivshmem functions at free slots of its bus 0; the driver
 * rescans the bus to add them, with their INTx on the root's SPIs instead
 * of the host's interrupt-map, and removes them before the hypervisor
 * leaves.  Functions with MSI-X only (all of them on x86, where virtual
 * devices have no INTx) need nothing of the interrupt controller: Linux's
 * own MSI domain programs them, and such a host may be an ACPI machine's.
 */
#define pr_fmt(fmt) "jailhouse: " fmt

#include <linux/acpi.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/of_irq.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <dt-bindings/interrupt-controller/arm-gic.h>

#include <jailhouse/ivshmem.h>

#include "jailhouse.h"

#define VPCI_PINS	4
/* Device and function numbers on one bus */
#define BUS_DEVFNS	256

/*
 * The SPI of the highest INTx pin must exist: SPIs are interrupt ids 32 to
 * 1019 (the GIC's architectural limit).
 */
#define GIC_MAX_SPI	(1019 - 32)

/**
 * struct root_intx - INTx of the root's ivshmem functions.
 * @gic:	the GIC's device tree node, whose domain maps the SPIs
 * @irq_base:	the root cell's vpci_irq_base: SPI of INTx pin 1
 * @lock:	guards @irqs against concurrent probes
 * @irqs:	Linux interrupt of each INTx pin, once mapped, else 0
 */
struct root_intx {
	struct device_node *gic;
	u32 irq_base;
	struct mutex lock;
	unsigned int irqs[VPCI_PINS];
};

/*
 * INTx pin n of a root ivshmem function is SPI irq_base + n - 1, an edge
 * that the hypervisor raises; the mapping is made on the first probe of a
 * device with that pin and kept until intx_dispose().
 */
static int intx_map(struct root_intx *intx, const struct pci_dev *dev,
		    u8 pin)
{
	struct irq_fwspec spec = {
		.fwnode = of_fwnode_handle(intx->gic),
		.param_count = 3,
		.param = { GIC_SPI, intx->irq_base + pin - 1,
			   IRQ_TYPE_EDGE_RISING },
	};
	unsigned int irq;

	if (pin < 1 || pin > VPCI_PINS)
		return 0;

	mutex_lock(&intx->lock);
	irq = intx->irqs[pin - 1];
	if (!irq) {
		irq = irq_create_fwspec_mapping(&spec);
		intx->irqs[pin - 1] = irq;
	}
	mutex_unlock(&intx->lock);

	if (!irq)
		pci_err(dev, "cannot map INTx pin %u (SPI %u) in %pOF\n", pin,
			intx->irq_base + pin - 1, intx->gic);
	return irq;
}

/* Once the devices that used them are gone. */
static void intx_dispose(struct root_intx *intx)
{
	unsigned int pin;

	for (pin = 0; pin < VPCI_PINS; pin++) {
		if (intx->irqs[pin])
			irq_dispose_mapping(intx->irqs[pin]);
		intx->irqs[pin] = 0;
	}
}

static int check_irq_base(u32 irq_base)
{
	if (irq_base > GIC_MAX_SPI - (VPCI_PINS - 1)) {
		pr_err("root cell: vpci_irq_base %u leaves no room for the SPIs of 4 INTx pins\n",
		       irq_base);
		return -EINVAL;
	}
	return 0;
}

/**
 * struct vpci - The virtual PCI host of the root cell.
 * @bridge:	the registered host bridge while its bus exists, else NULL
 * @ecam:	the configuration space, mapped
 * @ecam_res:	the configuration space, claimed in the iomem tree
 * @window:	the memory window where Linux places the BARs
 * @busn:	the bus number range: bus 0
 * @domain:	the PCI domain (segment) of the host
 * @intx:	INTx of its devices
 */
struct vpci {
	struct pci_host_bridge *bridge;
	void __iomem *ecam;
	struct resource *ecam_res;
	struct resource window;
	struct resource busn;
	u16 domain;
	struct root_intx intx;
};

/* Under jailhouse_lock: set from prepare to release. */
static struct vpci *jailhouse_vpci;

static void __iomem *vpci_map_bus(struct pci_bus *bus, unsigned int devfn,
				  int where)
{
	struct vpci *vpci = bus->sysdata;

	/* The ECAM has bus 0 only, 4 KiB of config space per function. */
	if (bus->number != 0)
		return NULL;
	return vpci->ecam + (devfn << 12) + where;
}

static struct pci_ops vpci_ops = {
	.map_bus = vpci_map_bus,
	.read = pci_generic_config_read,
	.write = pci_generic_config_write,
};

/* Every device on the virtual host is an ivshmem function of the root. */
static int vpci_map_irq(const struct pci_dev *dev, u8 slot, u8 pin)
{
	struct vpci *vpci = dev->bus->sysdata;

	return intx_map(&vpci->intx, dev, pin);
}

/* Whether the root cell has devices on the virtual host. */
static bool root_has_virtual_devices(const struct jailhouse_cell_desc *root)
{
	const struct jailhouse_pci_device *dev =
		jailhouse_cell_pci_devices(root);
	unsigned int n;

	for (n = 0; n < root->num_pci_devices; n++)
		if (dev[n].type == JAILHOUSE_PCI_TYPE_IVSHMEM)
			return true;
	return false;
}

/* What must hold before anything is claimed; each refusal names why. */
static int check_vpci_config(const struct jailhouse_system *config)
{
	u64 base = config->platform_info.pci_mmconfig_base;
	u64 size = JAILHOUSE_VPCI_ECAM_SIZE + JAILHOUSE_VPCI_BAR_WINDOW_SIZE;
	u16 domain = config->platform_info.pci_domain;
	struct resource used;

	if (!acpi_disabled) {
		pr_err("the virtual PCI host needs a device tree machine, Linux booted with ACPI\n");
		return -ENODEV;
	}
	if (!base || !PAGE_ALIGNED(base) || base + size - 1 < base) {
		pr_err("platform_info.pci_mmconfig_base %#llx is no place for the virtual PCI host (ECAM and BAR window, %#llx bytes)\n",
		       base, size);
		return -EINVAL;
	}
	if (jailhouse_iomem_used(base, size, &used)) {
		pr_err("platform_info.pci_mmconfig_base %#llx: the virtual PCI host's ECAM and BAR window (%#llx bytes) overlap %pR, which Linux has\n",
		       base, size, &used);
		return -EBUSY;
	}
	if (pci_find_bus(domain, 0)) {
		pr_err("platform_info.pci_domain %u is a PCI domain of Linux already; the virtual PCI host needs its own\n",
		       domain);
		return -EBUSY;
	}
	return check_irq_base(config->root_cell.vpci_irq_base);
}

/*
 * Checks the configuration, finds the GIC, claims the ECAM and the BAR
 * window in the iomem tree and maps the ECAM.
 */
static int vpci_prepare(const struct jailhouse_system *config)
{
	const typeof(config->platform_info) *plat = &config->platform_info;
	u64 base = plat->pci_mmconfig_base;
	struct vpci *vpci;
	int err;

	err = check_vpci_config(config);
	if (err)
		return err;

	vpci = kzalloc(sizeof(*vpci), GFP_KERNEL);
	if (!vpci)
		return -ENOMEM;
	mutex_init(&vpci->intx.lock);
	vpci->domain = plat->pci_domain;
	vpci->intx.irq_base = config->root_cell.vpci_irq_base;

	err = -ENODEV;
	vpci->intx.gic = jailhouse_find_gic(plat->arm.gic_version);
	if (!vpci->intx.gic) {
		pr_err("the virtual PCI host's interrupts need the GICv%u node of the device tree, which has none\n",
		       plat->arm.gic_version);
		goto err_free;
	}

	err = -EBUSY;
	vpci->ecam_res = request_mem_region(base, JAILHOUSE_VPCI_ECAM_SIZE,
					    "jailhouse virtual PCI ECAM");
	if (!vpci->ecam_res) {
		pr_err("cannot claim the virtual PCI host's ECAM at %#llx\n",
		       base);
		goto err_put_gic;
	}
	/* Not DEFINE_RES_*(): 6.12's are compound literals, 6.1's not. */
	vpci->window.name = "jailhouse virtual PCI BARs";
	vpci->window.start = JAILHOUSE_VPCI_BAR_WINDOW(base);
	vpci->window.end = vpci->window.start +
		JAILHOUSE_VPCI_BAR_WINDOW_SIZE - 1;
	vpci->window.flags = IORESOURCE_MEM;
	err = request_resource(&iomem_resource, &vpci->window);
	if (err) {
		pr_err("cannot claim the virtual PCI host's BAR window %pR\n",
		       &vpci->window);
		goto err_release_ecam;
	}
	vpci->busn.name = "jailhouse virtual PCI bus";
	vpci->busn.flags = IORESOURCE_BUS;

	err = -ENOMEM;
	vpci->ecam = ioremap(base, JAILHOUSE_VPCI_ECAM_SIZE);
	if (!vpci->ecam) {
		pr_err("cannot map the virtual PCI host's ECAM at %#llx\n",
		       base);
		goto err_release_window;
	}

	jailhouse_vpci = vpci;
	return 0;

err_release_window:
	release_resource(&vpci->window);
err_release_ecam:
	release_mem_region(base, JAILHOUSE_VPCI_ECAM_SIZE);
err_put_gic:
	of_node_put(vpci->intx.gic);
err_free:
	kfree(vpci);
	return err;
}

/* The host must have been removed. */
static void vpci_release(void)
{
	struct vpci *vpci = jailhouse_vpci;

	iounmap(vpci->ecam);
	release_resource(&vpci->window);
	release_mem_region(vpci->ecam_res->start, JAILHOUSE_VPCI_ECAM_SIZE);
	of_node_put(vpci->intx.gic);
	mutex_destroy(&vpci->intx.lock);
	kfree(vpci);
	jailhouse_vpci = NULL;
}

/*
 * Registers the host bridge: scans bus 0, places the BARs in the window and
 * adds the devices, whose drivers may bind at once.
 */
static int vpci_add(struct device *parent)
{
	struct vpci *vpci = jailhouse_vpci;
	struct pci_host_bridge *bridge;
	int err;

	bridge = pci_alloc_host_bridge(0);
	if (!bridge)
		return -ENOMEM;
	bridge->dev.parent = parent;
	bridge->sysdata = vpci;
	bridge->ops = &vpci_ops;
	bridge->busnr = 0;
	/*
	 * Given, not allocated: the PCI core refuses to number a bus
	 * without a device tree node once the machine's hosts took their
	 * numbers from the device tree (QEMU virt's does).
	 */
	bridge->domain_nr = vpci->domain;
	bridge->map_irq = vpci_map_irq;
	pci_add_resource(&bridge->windows, &vpci->busn);
	pci_add_resource(&bridge->windows, &vpci->window);

	err = pci_host_probe(bridge);
	if (err) {
		pr_err("the virtual PCI host (domain %u) cannot be added: error %d\n",
		       vpci->domain, err);
		pci_free_host_bridge(bridge);
		return err;
	}
	vpci->bridge = bridge;
	pr_info("virtual PCI host: domain %u, ECAM %pR, BARs in %pR, INTx on SPIs %u-%u\n",
		vpci->domain, vpci->ecam_res, &vpci->window,
		vpci->intx.irq_base, vpci->intx.irq_base + VPCI_PINS - 1);
	return 0;
}

/* Unbinds the drivers, removes the devices and the bus, if registered. */
static void vpci_remove(void)
{
	struct vpci *vpci = jailhouse_vpci;

	if (!vpci->bridge)
		return;

	pci_lock_rescan_remove();
	pci_stop_root_bus(vpci->bridge->bus);
	pci_remove_root_bus(vpci->bridge->bus);
	pci_unlock_rescan_remove();
	pci_free_host_bridge(vpci->bridge);
	vpci->bridge = NULL;

	intx_dispose(&vpci->intx);
	pr_info("virtual PCI host (domain %u) removed\n", vpci->domain);
}

/**
 * struct phys_host - The root's ivshmem functions on the machine's host.
 * @bridge:	Linux's host bridge of the configured domain
 * @map_irq:	the bridge's own INTx mapping, for every other function
 * @added:	the functions were added to Linux (phys_add())
 * @wrapped:	@bridge maps INTx with phys_map_irq()
 * @domain:	the PCI domain (segment) of the host
 * @bus:	its bus 0, where the hypervisor puts the ivshmem functions
 * @devfns:	device and function numbers of the root's ivshmem functions
 * @intx:	INTx of the ivshmem functions; its @gic NULL if none has INTx
 *
 * Static, not allocated: a probe that read the bridge's map_irq just before
 * it was restored may still run phys_map_irq() and read it.
 */
struct phys_host {
	struct pci_host_bridge *bridge;
	int (*map_irq)(const struct pci_dev *dev, u8 slot, u8 pin);
	bool added;
	bool wrapped;
	u16 domain;
	struct pci_bus *bus;
	DECLARE_BITMAP(devfns, BUS_DEVFNS);
	struct root_intx intx;
};

static struct phys_host phys_host = {
	.intx.lock = __MUTEX_INITIALIZER(phys_host.intx.lock),
};

/* Under jailhouse_lock: phys_host is prepared. */
static bool phys_prepared;

static bool is_root_ivshmem(const struct phys_host *host,
			    const struct pci_dev *dev)
{
	return dev->bus == host->bus && test_bit(dev->devfn, host->devfns);
}

/*
 * The host's interrupt-map describes the machine's slots; the hypervisor
 * raises a root ivshmem function's INTx on the root's own SPIs instead.
 */
static int phys_map_irq(const struct pci_dev *dev, u8 slot, u8 pin)
{
	struct phys_host *host = &phys_host;

	if (is_root_ivshmem(host, dev))
		return intx_map(&host->intx, dev, pin);
	return host->map_irq ? host->map_irq(dev, slot, pin) : 0;
}

/* Does an ivshmem function of the root interrupt by INTx? */
static bool root_needs_intx(const struct jailhouse_cell_desc *root)
{
	const struct jailhouse_pci_device *dev =
		jailhouse_cell_pci_devices(root);
	unsigned int n;

	for (n = 0; n < root->num_pci_devices; n++)
		if (dev[n].type == JAILHOUSE_PCI_TYPE_IVSHMEM &&
		    !dev[n].num_msix_vectors)
			return true;
	return false;
}

#ifdef CONFIG_ACPI
/*
 * On an ACPI machine the firmware's MCFG table names each domain's ECAM
 * (its base is that of bus 0): the config's must be the one of
 * pci_domain's bus 0, which the hypervisor then traps.
 */
static int check_mcfg(const struct jailhouse_system *config)
{
	const typeof(config->platform_info) *plat = &config->platform_info;
	const struct acpi_mcfg_allocation *entry, *end;
	struct acpi_table_header *table;
	u64 found = 0;

	if (ACPI_FAILURE(acpi_get_table(ACPI_SIG_MCFG, 0, &table))) {
		pr_err("platform_info.pci_mmconfig_base %#llx: the machine has no ACPI MCFG table, which names the ECAM of the PCI host of domain %u\n",
		       plat->pci_mmconfig_base, plat->pci_domain);
		return -ENODEV;
	}
	entry = (void *)table + sizeof(struct acpi_table_mcfg);
	end = (void *)table + table->length;
	for (; entry + 1 <= end; entry++)
		if (entry->pci_segment == plat->pci_domain &&
		    entry->start_bus_number == 0) {
			found = entry->address;
			break;
		}
	acpi_put_table(table);
	if (found != plat->pci_mmconfig_base) {
		pr_err("platform_info.pci_mmconfig_base %#llx is not the ECAM of the PCI host of domain %u, which the ACPI MCFG table puts at %#llx\n",
		       plat->pci_mmconfig_base, plat->pci_domain, found);
		return -EINVAL;
	}
	return 0;
}
#endif

/*
 * What must hold on Linux's side; each refusal names why.  The host's
 * ECAM is compared with the config's in the ACPI MCFG table on an ACPI
 * machine, in the device tree where a function needs INTx (@gic then set;
 * NULL if none does, and on a device tree machine without INTx functions
 * a wrong ECAM shows no functions, which phys_add() reports).
 */
static int check_phys_host(const struct jailhouse_system *config,
			   struct pci_bus **bus, struct device_node **gic)
{
	const typeof(config->platform_info) *plat = &config->platform_info;
	u64 base = plat->pci_mmconfig_base;
	struct pci_host_bridge *bridge;
	struct device_node *np;
	struct resource res;

	*gic = NULL;
	*bus = pci_find_bus(plat->pci_domain, 0);
	if (!*bus) {
		pr_err("platform_info.pci_domain %u: Linux has no PCI host with bus 0 in that domain, for the root cell's ivshmem devices\n",
		       plat->pci_domain);
		return -ENODEV;
	}
#ifdef CONFIG_ACPI
	if (!acpi_disabled) {
		int err = check_mcfg(config);

		if (err)
			return err;
	}
#endif
	if (!root_needs_intx(&config->root_cell))
		return 0;
	if (!acpi_disabled) {
		pr_err("the root cell's ivshmem devices with INTx need a device tree machine, Linux booted with ACPI (give them MSI-X)\n");
		return -ENODEV;
	}
	bridge = pci_find_host_bridge(*bus);
	np = bridge->dev.parent ? bridge->dev.parent->of_node : NULL;
	if (!np) {
		pr_err("the PCI host of domain %u has no device tree node\n",
		       plat->pci_domain);
		return -ENODEV;
	}
	if (of_address_to_resource(np, 0, &res) || res.start != base) {
		pr_err("platform_info.pci_mmconfig_base %#llx is not the ECAM of %pOF, the PCI host of domain %u\n",
		       base, np, plat->pci_domain);
		return -EINVAL;
	}
	*gic = of_irq_find_parent(np);
	if (!*gic) {
		pr_err("%pOF: no interrupt controller for the root cell's ivshmem devices\n",
		       np);
		return -ENODEV;
	}
	return 0;
}

/*
 * Checks the host and that Linux has nothing at the ivshmem functions'
 * addresses, and notes them.
 */
static int phys_prepare(const struct jailhouse_system *config)
{
	const struct jailhouse_cell_desc *root = &config->root_cell;
	const struct jailhouse_pci_device *dev =
		jailhouse_cell_pci_devices(root);
	struct phys_host *host = &phys_host;
	struct device_node *gic;
	struct pci_dev *pdev;
	struct pci_bus *bus;
	unsigned int n;
	int err;

	err = check_phys_host(config, &bus, &gic);
	if (err)
		return err;
	if (gic) {
		err = check_irq_base(root->vpci_irq_base);
		if (err)
			goto err_put_gic;
	}

	bitmap_zero(host->devfns, BUS_DEVFNS);
	for (n = 0; n < root->num_pci_devices; n++) {
		if (dev[n].type != JAILHOUSE_PCI_TYPE_IVSHMEM)
			continue;
		/* Where the hypervisor puts them: no bridge to swizzle. */
		if (PCI_BUS_NUM(dev[n].bdf) != 0) {
			pr_err("root cell: ivshmem device %02x:%02x.%x: on the machine's PCI host, ivshmem devices must be on bus 0\n",
			       PCI_BUS_NUM(dev[n].bdf), PCI_SLOT(dev[n].bdf),
			       PCI_FUNC(dev[n].bdf));
			err = -EINVAL;
			goto err_put_gic;
		}
		pdev = pci_get_slot(bus, dev[n].bdf & 0xff);
		if (pdev) {
			pr_err("root cell: ivshmem device %s is at the address of a device of Linux's\n",
			       pci_name(pdev));
			pci_dev_put(pdev);
			err = -EBUSY;
			goto err_put_gic;
		}
		set_bit(dev[n].bdf & 0xff, host->devfns);
	}

	host->bridge = pci_find_host_bridge(bus);
	host->bus = bus;
	host->domain = config->platform_info.pci_domain;
	host->intx.gic = gic;
	host->intx.irq_base = root->vpci_irq_base;
	phys_prepared = true;
	return 0;

err_put_gic:
	of_node_put(gic);
	return err;
}

static void phys_release(void)
{
	struct phys_host *host = &phys_host;

	of_node_put(host->intx.gic);
	host->intx.gic = NULL;
	phys_prepared = false;
}

/* Removes the root's ivshmem functions, then gives back the INTx map. */
static void phys_remove(void)
{
	struct phys_host *host = &phys_host;
	struct pci_dev *pdev;
	unsigned int devfn;

	if (!host->added)
		return;
	for_each_set_bit(devfn, host->devfns, BUS_DEVFNS) {
		pdev = pci_get_slot(host->bus, devfn);
		if (!pdev)
			continue;
		pci_stop_and_remove_bus_device_locked(pdev);
		pci_dev_put(pdev);
	}
	host->added = false;
	if (host->wrapped) {
		WRITE_ONCE(host->bridge->map_irq, host->map_irq);
		host->wrapped = false;
		intx_dispose(&host->intx);
	}
	pr_info("root cell's ivshmem devices removed from the PCI host of domain %u\n",
		host->domain);
}

/*
 * Takes over the host's INTx mapping and rescans bus 0: the hypervisor
 * shows the root's ivshmem functions now, Linux adds them and places their
 * BARs in the host's window.
 */
static int phys_add(void)
{
	struct phys_host *host = &phys_host;
	struct pci_dev *pdev;
	unsigned int devfn;

	if (host->intx.gic) {
		host->map_irq = host->bridge->map_irq;
		/* Probes on other CPUs see the state before the new map_irq. */
		smp_wmb();
		WRITE_ONCE(host->bridge->map_irq, phys_map_irq);
		host->wrapped = true;
	}
	host->added = true;

	pci_lock_rescan_remove();
	pci_rescan_bus(host->bus);
	pci_unlock_rescan_remove();

	for_each_set_bit(devfn, host->devfns, BUS_DEVFNS) {
		pdev = pci_get_slot(host->bus, devfn);
		if (!pdev) {
			pr_err("root cell: the hypervisor does not show ivshmem device %04x:00:%02x.%x\n",
			       host->domain, PCI_SLOT(devfn), PCI_FUNC(devfn));
			phys_remove();
			return -ENODEV;
		}
		pci_dev_put(pdev);
	}
	if (!host->intx.gic)
		pr_info("root cell: %u ivshmem devices on the PCI host of domain %u, MSI-X only\n",
			bitmap_weight(host->devfns, BUS_DEVFNS), host->domain);
	else
		pr_info("root cell: %u ivshmem devices on the PCI host of domain %u, INTx on SPIs %u-%u\n",
			bitmap_weight(host->devfns, BUS_DEVFNS), host->domain,
			host->intx.irq_base,
			host->intx.irq_base + VPCI_PINS - 1);
	return 0;
}

static bool in_root_config(const struct jailhouse_cell_desc *root,
			   const struct pci_dev *pdev)
{
	const struct jailhouse_pci_device *dev =
		jailhouse_cell_pci_devices(root);
	unsigned int n;

	for (n = 0; n < root->num_pci_devices; n++)
		if (dev[n].domain == pci_domain_nr(pdev->bus) &&
		    dev[n].bdf == PCI_DEVID(pdev->bus->number, pdev->devfn))
			return true;
	return false;
}

/*
 * On a physical host the hypervisor shows the root only the functions its
 * config lists: a device of Linux's that it does not list reads all-ones
 * from then on, its driver would see it broken.  Allowed (the config
 * decides), but said.
 */
static void warn_hidden(const struct jailhouse_system *config)
{
	const typeof(config->platform_info) *plat = &config->platform_info;
	struct pci_dev *pdev = NULL;

	if (!config->root_cell.num_pci_devices)
		return;
	for_each_pci_dev(pdev)
		if (pci_domain_nr(pdev->bus) == plat->pci_domain &&
		    pdev->bus->number <= plat->pci_mmconfig_end_bus &&
		    !in_root_config(&config->root_cell, pdev))
			pr_warn("PCI device %s is not in the root cell's config: the hypervisor hides it from Linux%s\n",
				pci_name(pdev),
				pdev->dev.driver ? ", which drives it" : "");
}

/**
 * jailhouse_vpci_prepare() - Check and claim what the root's PCI side needs.
 * @config:	the system configuration, checked by the caller
 *
 * Before the hypervisor is entered, so that a PCI side that cannot be set
 * up refuses the enable without side effects; on a physical host, warns of
 * the devices of Linux's that the hypervisor will hide.  Nothing is
 * claimed without an ivshmem device in the root cell.  Called with
 * jailhouse_lock held.
 *
 * Return: 0, or a negative errno (reported).
 */
int jailhouse_vpci_prepare(const struct jailhouse_system *config)
{
	const typeof(config->platform_info) *plat = &config->platform_info;

	if (!plat->pci_is_virtual && plat->pci_mmconfig_base)
		warn_hidden(config);
	if (!root_has_virtual_devices(&config->root_cell))
		return 0;
	if (plat->pci_is_virtual)
		return vpci_prepare(config);
	if (plat->pci_mmconfig_base)
		return phys_prepare(config);
	/* The hypervisor would refuse it, too, but not in the kernel log. */
	pr_err("the root cell has ivshmem devices, but the system configuration has no PCI host (pci_mmconfig_base 0)\n");
	return -EINVAL;
}

/**
 * jailhouse_vpci_release() - Undo jailhouse_vpci_prepare().
 *
 * The devices must have been removed.  Called with jailhouse_lock held.
 */
void jailhouse_vpci_release(void)
{
	if (jailhouse_vpci)
		vpci_release();
	if (phys_prepared)
		phys_release();
}

/**
 * jailhouse_vpci_add() - Show the root's ivshmem devices to Linux.
 * @parent:	the driver's device, parent of a virtual host bridge
 *
 * Once the hypervisor emulates them: registers the virtual host, or
 * rescans the physical one; their drivers may bind at once.  A no-op
 * unless jailhouse_vpci_prepare() prepared them.  Called with
 * jailhouse_lock held.
 *
 * Return: 0, or a negative errno (reported).
 */
int jailhouse_vpci_add(struct device *parent)
{
	if (jailhouse_vpci)
		return vpci_add(parent);
	if (phys_prepared)
		return phys_add();
	return 0;
}

/**
 * jailhouse_vpci_remove() - Remove the root's ivshmem devices from Linux.
 *
 * While the hypervisor still emulates them: unbinds the drivers, removes
 * the devices (and a virtual host's bus) and disposes of the INTx
 * mappings.  A no-op without them.  Called with jailhouse_lock held.
 */
void jailhouse_vpci_remove(void)
{
	if (jailhouse_vpci)
		vpci_remove();
	if (phys_prepared)
		phys_remove();
}

/**
 * jailhouse_pci_root_ivshmem() - Whether a function is a root ivshmem one.
 * @dev:	a PCI device of Linux's
 *
 * Called with jailhouse_lock held.
 *
 * Return: true if the hypervisor emulates @dev for the root on the
 * machine's PCI host.
 */
bool jailhouse_pci_root_ivshmem(const struct pci_dev *dev)
{
	return phys_prepared && is_root_ivshmem(&phys_host, dev);
}
