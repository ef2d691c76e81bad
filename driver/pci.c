// SPDX-License-Identifier: GPL-2.0
/*
 * The root cell's side of the virtual PCI host (ABI: "the ivshmem v2 device
 * and the virtual PCI host"): while the hypervisor runs, a host bridge with
 * one bus over the ECAM that the hypervisor emulates, so that Linux finds
 * the root's ivshmem devices and binds their drivers.
 *
 * Debian's kernels have neither CONFIG_OF_DYNAMIC nor CONFIG_OF_OVERLAY,
 * so the host cannot be a device tree node added at run time; the driver
 * registers the host bridge itself with the PCI core's exported API, with
 * its own ECAM accessors and INTx mapping onto the GIC's SPIs.
 */
#define pr_fmt(fmt) "jailhouse: " fmt

#include <linux/acpi.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <dt-bindings/interrupt-controller/arm-gic.h>

#include <jailhouse/ivshmem.h>

#include "jailhouse.h"

#define VPCI_PINS	4

/*
 * The SPI of the highest INTx pin must exist: SPIs are interrupt ids 32 to
 * 1019 (the GIC's architectural limit).
 */
#define GIC_MAX_SPI	(1019 - 32)

/**
 * struct vpci - The virtual PCI host of the root cell.
 * @bridge:	the registered host bridge while its bus exists, else NULL
 * @ecam:	the configuration space, mapped
 * @ecam_res:	the configuration space, claimed in the iomem tree
 * @window:	the memory window where Linux places the BARs
 * @busn:	the bus number range: bus 0
 * @gic:	the GIC's device tree node, whose domain maps the SPIs
 * @domain:	the PCI domain (segment) of the host
 * @irq_base:	the root cell's vpci_irq_base: SPI of INTx pin 1
 * @irq_lock:	guards @irqs against concurrent probes
 * @irqs:	Linux interrupt of each INTx pin, once mapped, else 0
 */
struct vpci {
	struct pci_host_bridge *bridge;
	void __iomem *ecam;
	struct resource *ecam_res;
	struct resource window;
	struct resource busn;
	struct device_node *gic;
	u16 domain;
	u32 irq_base;
	struct mutex irq_lock;
	unsigned int irqs[VPCI_PINS];
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

/*
 * INTx pin n of any device on the host is SPI irq_base + n - 1, an edge
 * that the hypervisor raises; the mapping is made on the first probe of a
 * device with that pin and kept until the host is removed.
 */
static int vpci_map_irq(const struct pci_dev *dev, u8 slot, u8 pin)
{
	struct vpci *vpci = dev->bus->sysdata;
	struct irq_fwspec spec = {
		.fwnode = of_fwnode_handle(vpci->gic),
		.param_count = 3,
		.param = { GIC_SPI, vpci->irq_base + pin - 1,
			   IRQ_TYPE_EDGE_RISING },
	};
	unsigned int irq;

	if (pin < 1 || pin > VPCI_PINS)
		return 0;

	mutex_lock(&vpci->irq_lock);
	irq = vpci->irqs[pin - 1];
	if (!irq) {
		irq = irq_create_fwspec_mapping(&spec);
		vpci->irqs[pin - 1] = irq;
	}
	mutex_unlock(&vpci->irq_lock);

	if (!irq)
		pci_err(dev, "cannot map INTx pin %u (SPI %u) in %pOF\n", pin,
			vpci->irq_base + pin - 1, vpci->gic);
	return irq;
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
	u32 irq_base = config->root_cell.vpci_irq_base;
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
	if (irq_base > GIC_MAX_SPI - (VPCI_PINS - 1)) {
		pr_err("root cell: vpci_irq_base %u leaves no room for the SPIs of 4 INTx pins\n",
		       irq_base);
		return -EINVAL;
	}
	return 0;
}

/**
 * jailhouse_vpci_prepare() - Claim what the root's virtual PCI host needs.
 * @config:	the system configuration, checked by the caller
 *
 * Before the hypervisor is entered, so that a host that cannot be set up
 * refuses the enable without side effects: checks the configuration, finds
 * the GIC, claims the ECAM and the BAR window in the iomem tree and maps
 * the ECAM.  Nothing is done without a virtual device in the root cell.
 * Called with jailhouse_lock held.
 *
 * Return: 0, or a negative errno (reported).
 */
int jailhouse_vpci_prepare(const struct jailhouse_system *config)
{
	const typeof(config->platform_info) *plat = &config->platform_info;
	u64 base = plat->pci_mmconfig_base;
	struct vpci *vpci;
	int err;

	if (!root_has_virtual_devices(&config->root_cell))
		return 0;
	/* The hypervisor would refuse it, too, but not in the kernel log. */
	if (!plat->pci_is_virtual) {
		pr_err("the root cell has ivshmem devices, but the system configuration has no virtual PCI host (pci_is_virtual 0)\n");
		return -EINVAL;
	}

	err = check_vpci_config(config);
	if (err)
		return err;

	vpci = kzalloc(sizeof(*vpci), GFP_KERNEL);
	if (!vpci)
		return -ENOMEM;
	mutex_init(&vpci->irq_lock);
	vpci->domain = plat->pci_domain;
	vpci->irq_base = config->root_cell.vpci_irq_base;

	err = -ENODEV;
	vpci->gic = jailhouse_find_gic(plat->arm.gic_version);
	if (!vpci->gic) {
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
	of_node_put(vpci->gic);
err_free:
	kfree(vpci);
	return err;
}

/**
 * jailhouse_vpci_release() - Undo jailhouse_vpci_prepare().
 *
 * The host must have been removed.  Called with jailhouse_lock held.
 */
void jailhouse_vpci_release(void)
{
	struct vpci *vpci = jailhouse_vpci;

	if (!vpci)
		return;
	iounmap(vpci->ecam);
	release_resource(&vpci->window);
	release_mem_region(vpci->ecam_res->start, JAILHOUSE_VPCI_ECAM_SIZE);
	of_node_put(vpci->gic);
	mutex_destroy(&vpci->irq_lock);
	kfree(vpci);
	jailhouse_vpci = NULL;
}

/**
 * jailhouse_vpci_add() - Register the root's virtual PCI host.
 * @parent:	the driver's device, parent of the host bridge
 *
 * Once the hypervisor emulates the ECAM: scans bus 0, places the BARs in
 * the window and adds the devices, whose drivers may bind at once.  A
 * no-op unless jailhouse_vpci_prepare() prepared a host.  Called with
 * jailhouse_lock held.
 *
 * Return: 0, or a negative errno (reported).
 */
int jailhouse_vpci_add(struct device *parent)
{
	struct vpci *vpci = jailhouse_vpci;
	struct pci_host_bridge *bridge;
	int err;

	if (!vpci)
		return 0;

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
		vpci->domain, vpci->ecam_res, &vpci->window, vpci->irq_base,
		vpci->irq_base + VPCI_PINS - 1);
	return 0;
}

/**
 * jailhouse_vpci_remove() - Remove the root's virtual PCI host.
 *
 * Unbinds the drivers and removes the devices and the bus, while the
 * hypervisor still emulates the ECAM; disposes of the INTx mappings.  A
 * no-op without a host.  Called with jailhouse_lock held.
 */
void jailhouse_vpci_remove(void)
{
	struct vpci *vpci = jailhouse_vpci;
	unsigned int pin;

	if (!vpci || !vpci->bridge)
		return;

	pci_lock_rescan_remove();
	pci_stop_root_bus(vpci->bridge->bus);
	pci_remove_root_bus(vpci->bridge->bus);
	pci_unlock_rescan_remove();
	pci_free_host_bridge(vpci->bridge);
	vpci->bridge = NULL;

	for (pin = 0; pin < VPCI_PINS; pin++) {
		if (vpci->irqs[pin])
			irq_dispose_mapping(vpci->irqs[pin]);
		vpci->irqs[pin] = 0;
	}
	pr_info("virtual PCI host (domain %u) removed\n", vpci->domain);
}
