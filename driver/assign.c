// SPDX-License-Identifier: GPL-2.0
/*
 * PCI devices of the machine that a cell's configuration assigns to it
 * (type JAILHOUSE_PCI_TYPE_DEVICE): Linux lets go of them before the cell
 * is created and finds them again, by a rescan, once it is gone.
 *
 * The hypervisor moves the device and filters its config space, but it
 * does not know which interrupt line a device's INTx pin drives: the
 * root's device tree does.  A device is refused here unless its SPI is the
 * new cell's and no device that stays with Linux raises it too (the cell
 * would get, or starve, the root's interrupts).
 */
#define pr_fmt(fmt) "jailhouse: " fmt

#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/of.h>
#include <linux/of_irq.h>
#include <linux/of_pci.h>
#include <linux/pci.h>

#include "jailhouse.h"

/* SPIs are GIC interrupt ids 32 to 1019. */
#define GIC_SPI_FIRST	32
#define GIC_SPI_LAST	1019

/* The device of Linux's at @dev's address, with a reference, or NULL. */
static struct pci_dev *linux_dev(const struct jailhouse_pci_device *dev)
{
	return pci_get_domain_bus_and_slot(dev->domain, PCI_BUS_NUM(dev->bdf),
					   dev->bdf & 0xff);
}

/*
 * Whether the hypervisor shows the root cell all-ones at @pdev: a function
 * that the root's config does not list, which Linux found before enable.
 */
static bool hidden(struct pci_dev *pdev)
{
	u16 vendor;

	return pci_read_config_word(pdev, PCI_VENDOR_ID, &vendor) ||
		vendor == 0xffff;
}

static bool assigned(const struct jailhouse_cell_desc *config,
		     const struct pci_dev *pdev)
{
	const struct jailhouse_pci_device *dev =
		jailhouse_cell_pci_devices(config);
	unsigned int n;

	for (n = 0; n < config->num_pci_devices; n++)
		if (dev[n].type == JAILHOUSE_PCI_TYPE_DEVICE &&
		    dev[n].domain == pci_domain_nr(pdev->bus) &&
		    dev[n].bdf == PCI_DEVID(pdev->bus->number, pdev->devfn))
			return true;
	return false;
}

/**
 * intx_irq() - The GIC interrupt id that a device's INTx pin raises.
 * @pdev:	the device
 *
 * From the interrupt-map of its host's device tree node, the way Linux
 * maps it at probe (the mapping is Linux's from then on, as after a probe).
 *
 * Return: the interrupt id; 0 if the device has no INTx pin; -ENODEV if
 * the device tree does not say, or if it is no SPI of the GIC that is the
 * host's interrupt parent.
 */
static int intx_irq(struct pci_dev *pdev)
{
	struct pci_host_bridge *bridge = pci_find_host_bridge(pdev->bus);
	struct device_node *host, *gic;
	struct irq_data *data;
	int irq, ret = -ENODEV;

	if (!pdev->pin)
		return 0;
	host = bridge->dev.parent ? bridge->dev.parent->of_node : NULL;
	if (!host)
		return -ENODEV;
	gic = of_irq_find_parent(host);
	if (!gic)
		return -ENODEV;
	/* of_irq_parse_pci() is not exported; this one reports failures */
	irq = of_irq_parse_and_map_pci(pdev, 0, 0);
	data = irq ? irq_get_irq_data(irq) : NULL;
	if (data && data->domain &&
	    data->domain->fwnode == of_fwnode_handle(gic) &&
	    data->hwirq >= GIC_SPI_FIRST && data->hwirq <= GIC_SPI_LAST)
		ret = data->hwirq;
	of_node_put(gic);
	return ret;
}

static bool cell_has_irq(const struct jailhouse_cell_desc *config,
			 unsigned int irq)
{
	const struct jailhouse_irqchip *chip = jailhouse_cell_irqchips(config);
	unsigned int n, pin;

	for (n = 0; n < config->num_irqchips; n++, chip++) {
		if (irq < chip->pin_base || irq - chip->pin_base >= 128)
			continue;
		pin = irq - chip->pin_base;
		if (chip->pin_bitmap[pin / 32] & (1U << (pin % 32)))
			return true;
	}
	return false;
}

/*
 * A device staying with Linux that raises interrupt @irq, with a
 * reference, or NULL.  The root's ivshmem functions raise the root's own
 * SPIs, which the host's interrupt-map does not tell; a hidden function is
 * no longer the root's.
 */
static struct pci_dev *irq_sharer(const struct jailhouse_cell_desc *config,
				  int irq)
{
	struct pci_dev *other = NULL;

	for_each_pci_dev(other) {
		if (assigned(config, other) ||
		    jailhouse_pci_root_ivshmem(other) || !other->pin ||
		    hidden(other))
			continue;
		if (intx_irq(other) == irq)
			return other;
	}
	return NULL;
}

/* Whether Linux may let @pdev go to the new cell; each refusal says why. */
static int check_device(const struct jailhouse_cell_desc *config,
			struct pci_dev *pdev)
{
	struct pci_dev *other;
	int irq;

	/* Linux would not find it again after the cell. */
	if (hidden(pdev)) {
		pr_err("cell \"%s\": PCI device %s is not the root cell's: the hypervisor hides it from Linux (not in the root cell's config)\n",
		       config->name, pci_name(pdev));
		return -EINVAL;
	}
	irq = intx_irq(pdev);
	if (irq == 0)
		return 0;
	if (irq < 0) {
		pr_err("cell \"%s\": PCI device %s: the device tree does not tell which GIC SPI its INTx pin %u raises\n",
		       config->name, pci_name(pdev), pdev->pin);
		return -EINVAL;
	}
	if (!cell_has_irq(config, irq)) {
		pr_err("cell \"%s\": PCI device %s raises interrupt %d (SPI %d), which is not in the cell's irqchip bitmap\n",
		       config->name, pci_name(pdev), irq, irq - GIC_SPI_FIRST);
		return -EINVAL;
	}
	other = irq_sharer(config, irq);
	if (other) {
		pr_err("cell \"%s\": PCI device %s raises interrupt %d (SPI %d), like %s, which stays with Linux\n",
		       config->name, pci_name(pdev), irq, irq - GIC_SPI_FIRST,
		       pci_name(other));
		pci_dev_put(other);
		return -EINVAL;
	}
	return 0;
}

/**
 * jailhouse_pci_assigned_range() - Whether a new cell's memory region is
 * a BAR of a device the cell takes from Linux.
 * @config:	the configuration of the cell about to be created
 * @start:	physical start of the region
 * @size:	its size
 *
 * Such a region is in use by Linux until jailhouse_pci_take() removes the
 * device; it is the cell's to have.  Called with jailhouse_lock held.
 *
 * Return: true if [@start, @start + @size) lies in the pages of one memory
 * BAR of a device of @config that Linux has (a region is whole pages, a
 * BAR may be less).
 */
bool jailhouse_pci_assigned_range(const struct jailhouse_cell_desc *config,
				  u64 start, u64 size)
{
	const struct jailhouse_pci_device *dev =
		jailhouse_cell_pci_devices(config);
	const struct resource *res;
	struct pci_dev *pdev;
	bool inside = false;
	unsigned int n, bar;

	for (n = 0; n < config->num_pci_devices && !inside; n++) {
		if (dev[n].type != JAILHOUSE_PCI_TYPE_DEVICE)
			continue;
		pdev = linux_dev(&dev[n]);
		if (!pdev)
			continue;
		for (bar = 0; bar < PCI_STD_NUM_BARS && !inside; bar++) {
			res = &pdev->resource[bar];
			inside = resource_type(res) == IORESOURCE_MEM &&
				res->start &&
				start >= round_down(res->start, PAGE_SIZE) &&
				start + size <= round_up(res->end + 1,
							 PAGE_SIZE);
		}
		pci_dev_put(pdev);
	}
	return inside;
}

/**
 * jailhouse_pci_take() - Take a new cell's PCI devices away from Linux.
 * @config:	the configuration of the cell about to be created
 *
 * Checks every device that the cell is assigned and that Linux has, then
 * stops and removes them (their drivers unbind).  A device that Linux does
 * not have is the hypervisor's to check.  Called with jailhouse_lock held.
 *
 * Return: 0, or a negative errno with nothing removed (reported).
 */
int jailhouse_pci_take(const struct jailhouse_cell_desc *config)
{
	const struct jailhouse_pci_device *dev =
		jailhouse_cell_pci_devices(config);
	struct pci_dev *pdev;
	unsigned int n;
	int err;

	for (n = 0; n < config->num_pci_devices; n++) {
		if (dev[n].type != JAILHOUSE_PCI_TYPE_DEVICE)
			continue;
		pdev = linux_dev(&dev[n]);
		if (!pdev)
			continue;
		err = check_device(config, pdev);
		pci_dev_put(pdev);
		if (err)
			return err;
	}

	for (n = 0; n < config->num_pci_devices; n++) {
		if (dev[n].type != JAILHOUSE_PCI_TYPE_DEVICE)
			continue;
		pdev = linux_dev(&dev[n]);
		if (!pdev)
			continue;
		pr_info("cell \"%s\": PCI device %s leaves Linux\n",
			config->name, pci_name(pdev));
		pci_stop_and_remove_bus_device_locked(pdev);
		pci_dev_put(pdev);
	}
	return 0;
}

/**
 * jailhouse_pci_give_back() - Let Linux find a cell's PCI devices again.
 * @config:	the configuration of the cell that is gone, or that could
 *		not be created
 *
 * Rescans the bus of each device that the cell was assigned; Linux assigns
 * its BARs anew and binds its driver.  Called with jailhouse_lock held.
 */
void jailhouse_pci_give_back(const struct jailhouse_cell_desc *config)
{
	const struct jailhouse_pci_device *dev =
		jailhouse_cell_pci_devices(config);
	struct pci_dev *pdev;
	struct pci_bus *bus;
	unsigned int n;

	for (n = 0; n < config->num_pci_devices; n++) {
		if (dev[n].type != JAILHOUSE_PCI_TYPE_DEVICE)
			continue;
		pdev = linux_dev(&dev[n]);
		if (pdev) {
			pci_dev_put(pdev);
			continue;
		}
		bus = pci_find_bus(dev[n].domain, PCI_BUS_NUM(dev[n].bdf));
		if (!bus)
			continue;
		pci_lock_rescan_remove();
		pci_rescan_bus(bus);
		pci_unlock_rescan_remove();
		pdev = linux_dev(&dev[n]);
		if (pdev)
			pr_info("cell \"%s\": PCI device %s is back in Linux\n",
				config->name, pci_name(pdev));
		pci_dev_put(pdev);
	}
}
