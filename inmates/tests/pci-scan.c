// SPDX-License-Identifier: GPL-2.0
/*
 * pci-scan: lists the functions on bus 0 of the cell's virtual PCI host,
 * as the configuration space shows them, without changing anything.
 *
 * Output: "TEST pci-scan: trying bus 0 at ADDR", then per function
 * "TEST pci-scan: result BB:DD.F VVVV:DDDD revision R class 0xCCCCCC
 * status 0xSSSS pin P caps ID@OFFSET ...", and at the end
 * "TEST pci-scan: result N functions, absent ones read 0xVALUE" (the
 * vendor and device ids of the first absent one, all-ones on a host
 * that follows the PCI rules).  Without a host: "TEST pci-scan: result
 * no PCI host".
 */
#include <inmate.h>

static void print_function(u16 bdf, u32 ids)
{
	char caps[PCI_MAX_CAPS * 10 + 1];
	unsigned int pos = 0, len = 0, steps;
	u32 class = pci_read_config(bdf, PCI_CFG_REVISION, 4);

	for (steps = 0; steps < PCI_MAX_CAPS; steps++) {
		pos = pci_next_cap(bdf, pos);
		if (!pos)
			break;
		len += snprintf(caps + len, sizeof(caps) - len, " 0x%02x@0x%02x",
				pci_read_config(bdf, pos, 1), pos);
	}
	printk("TEST pci-scan: result %02x:%02x.%x %04x:%04x revision %u "
	       "class 0x%06x status 0x%04x pin %u caps%s\n", bdf >> 8,
	       PCI_SLOT(bdf), PCI_FUNC(bdf), ids & 0xffff, ids >> 16,
	       class & 0xff, class >> 8,
	       pci_read_config(bdf, PCI_CFG_STATUS, 2),
	       pci_read_config(bdf, PCI_CFG_INT_PIN, 1), len ? caps : " none");
}

void inmate_main(void)
{
	unsigned int bdf, found = 0;
	u32 ids, absent = 0;
	bool have_absent = false;

	if (!platform.pci_mmconfig_base) {
		printk("TEST pci-scan: result no PCI host\n");
		return;
	}
	printk("TEST pci-scan: trying bus 0 at 0x%lx\n",
	       platform.pci_mmconfig_base);
	for (bdf = 0; bdf < PCI_DEVFNS; bdf++) {
		ids = pci_read_config(bdf, PCI_CFG_VENDOR_ID, 4);
		if ((ids & 0xffff) == 0xffff) {
			if (!have_absent) {
				absent = ids;
				have_absent = true;
			}
		} else {
			print_function(bdf, ids);
			found++;
		}
		/* the other functions of a device that has one only */
		if (PCI_FUNC(bdf) == 0 &&
		    !(pci_read_config(bdf, PCI_CFG_HEADER_TYPE, 1) &
		      PCI_HEADER_MULTI))
			bdf += 7;
	}
	printk("TEST pci-scan: result %u functions, absent ones read "
	       "0x%08x\n", found, absent);
}
