// SPDX-License-Identifier: GPL-2.0
/*
 * pci-assign: a cell given a physical PCI device tries to use it beyond
 * what its config allows.  The device is the first function on bus 0 of
 * the cell's PCI host whose vendor and device ids the command line names
 * ("vendor=0x1af4 device=0x1000"); "bar=N" is a 64-bit memory BAR of it
 * that the cell has as I/O memory, "outside=ADDR" an address that is not
 * the cell's.
 *
 * Each attempt prints "TEST pci-assign: result NAME VALUE", with VALUE
 * what the configuration space shows afterwards:
 *   other-function  vendor and device ids of slot 0 (not the cell's)
 *   hidden-bars     BAR 0 (I/O) and the expansion ROM, after writing ones
 *   bar-placed      the BAR after placing it at its own address, decoding
 *                   off
 *   decode-on       the command register after turning memory decoding on
 *   bar-move-live   the BAR after moving it to ADDR while decoding is on
 *   decode-outside  the command register after turning decoding on with
 *                   the BAR at ADDR (decoding was off while it moved)
 *   subsystem       the subsystem ids after writing others
 *   header-type     the header type after writing another
 *   msix-enable     the MSI-X control word after setting its enable bit,
 *                   or "none" without the capability
 *   master          the command register after turning bus mastering on
 * and "TEST pci-assign: result done" at the end.
 */
#include <inmate.h>

#define PCI_CMD_MASTER		0x0004
#define PCI_CFG_SUBSYS		0x2c
#define PCI_CFG_ROM		0x30
#define PCI_CAP_MSIX		0x11
#define PCI_MSIX_ENABLE		0x8000

static void result(const char *name, u64 value)
{
	printk("TEST pci-assign: result %s 0x%lx\n", name,
	       (unsigned long)value);
}

static void place_bar(u16 bdf, unsigned int reg, u64 addr)
{
	pci_write_config(bdf, reg, (u32)addr, 4);
	pci_write_config(bdf, reg + 4, addr >> 32, 4);
}

static u64 read_bar(u16 bdf, unsigned int reg)
{
	return (pci_read_config(bdf, reg, 4) & ~0xfULL) |
		(u64)pci_read_config(bdf, reg + 4, 4) << 32;
}

void inmate_main(void)
{
	unsigned int vendor = cmdline_parse_int("vendor", 0);
	unsigned int device = cmdline_parse_int("device", 0);
	unsigned int bar = cmdline_parse_int("bar", 4);
	u64 outside = cmdline_parse_int("outside", 0x10000000);
	unsigned int reg = PCI_CFG_BAR0 + 4 * bar, cap;
	u64 own;
	u16 cmd;
	int bdf;

	bdf = pci_find_device(vendor, device, 0);
	if (bdf < 0) {
		printk("TEST pci-assign: result no device %04x:%04x\n",
		       vendor, device);
		return;
	}
	if (bdf != 0)
		result("other-function",
		       pci_read_config(0, PCI_CFG_VENDOR_ID, 4));

	pci_write_config(bdf, PCI_CFG_BAR0, ~0U, 4);
	pci_write_config(bdf, PCI_CFG_ROM, ~0U, 4);
	result("hidden-bars", pci_read_config(bdf, PCI_CFG_BAR0, 4) |
	       pci_read_config(bdf, PCI_CFG_ROM, 4));

	/* where the root left it: the cell's I/O memory */
	cmd = pci_read_config(bdf, PCI_CFG_COMMAND, 2);
	own = read_bar(bdf, reg);
	place_bar(bdf, reg, own);
	result("bar-placed", read_bar(bdf, reg));
	pci_write_config(bdf, PCI_CFG_COMMAND, cmd | PCI_CMD_MEMORY, 2);
	result("decode-on", pci_read_config(bdf, PCI_CFG_COMMAND, 2));

	place_bar(bdf, reg, outside);
	result("bar-move-live", read_bar(bdf, reg));

	pci_write_config(bdf, PCI_CFG_COMMAND, cmd & ~PCI_CMD_MEMORY, 2);
	place_bar(bdf, reg, outside);
	pci_write_config(bdf, PCI_CFG_COMMAND, cmd | PCI_CMD_MEMORY, 2);
	result("decode-outside", pci_read_config(bdf, PCI_CFG_COMMAND, 2));
	place_bar(bdf, reg, own);

	pci_write_config(bdf, PCI_CFG_SUBSYS, 0x12345678, 4);
	pci_write_config(bdf, PCI_CFG_HEADER_TYPE, 0x7f, 1);
	result("subsystem", pci_read_config(bdf, PCI_CFG_SUBSYS, 4));
	result("header-type", pci_read_config(bdf, PCI_CFG_HEADER_TYPE, 1));

	cap = pci_find_cap(bdf, PCI_CAP_MSIX);
	if (cap) {
		pci_write_config(bdf, cap + 2, pci_read_config(bdf, cap + 2, 2) |
				 PCI_MSIX_ENABLE, 2);
		result("msix-enable", pci_read_config(bdf, cap + 2, 2));
	} else {
		printk("TEST pci-assign: result msix-enable none\n");
	}

	pci_write_config(bdf, PCI_CFG_COMMAND, PCI_CMD_MASTER, 2);
	result("master", pci_read_config(bdf, PCI_CFG_COMMAND, 2));
	printk("TEST pci-assign: result done\n");
}
