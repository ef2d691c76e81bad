// SPDX-License-Identifier: GPL-2.0
/*
 * The system configuration against what Linux knows of the machine: the
 * hypervisor memory must be RAM by the firmware's description that Linux
 * does not use, and the devices the configuration names must be where the
 * firmware says (arch.h: the device tree on arm64), before the driver
 * writes to that memory or the hypervisor touches the devices.  A wrong
 * address would otherwise fault in the driver with its lock held, or in
 * the hypervisor before it has a console.
 */
#define pr_fmt(fmt) "jailhouse: " fmt

#include <linux/ioport.h>
#include <linux/mm.h>

#include "arch.h"
#include "jailhouse.h"

/* the callback type of walk_iomem_res_desc() fixes the signature */
// cppcheck-suppress constParameter
static int resource_found(struct resource *res, void *arg)
{
	*(struct resource *)arg = *res;
	return 1;
}

/*
 * The first resource that a Linux driver (or Linux's RAM) claims inside
 * [@start, @end), into @busy.  Return: whether there is one.
 */
static bool find_busy(u64 start, u64 end, struct resource *busy)
{
	return walk_iomem_res_desc(IORES_DESC_NONE,
				   IORESOURCE_MEM | IORESOURCE_BUSY, start,
				   end - 1, busy, resource_found) > 0;
}

/**
 * jailhouse_iomem_used() - Whether Linux has anything in a physical range.
 * @start:	physical start
 * @size:	bytes, not 0
 * @found:	the part of the first resource found inside the range
 *
 * Any memory resource counts, claimed by a driver or not: RAM, a bus
 * window, a device's registers.
 *
 * Return: whether there is one.
 */
bool jailhouse_iomem_used(u64 start, u64 size, struct resource *found)
{
	return walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_MEM, start,
				   start + size - 1, found,
				   resource_found) > 0;
}

/**
 * jailhouse_ports_in_use() - Whether Linux claimed ports of a range.
 * @base:	the first port
 * @length:	ports, not 0
 * @what:	how to name the range in the message
 *
 * The ports a non-root cell takes from the root cell must not be a Linux
 * driver's (the console's 8250, say): its next access would fail, with
 * its locks held.  Linux exports no walk of its port tree, so the range is
 * claimed and given back at once: the claim fails where anything busy
 * holds part of it, a driver or Linux itself (the PC's legacy devices).
 *
 * Return: 0, or -EBUSY (reported).
 */
int jailhouse_ports_in_use(u64 base, u64 length, const char *what)
{
	if (request_region(base, length, "jailhouse cell check")) {
		release_region(base, length);
		return 0;
	}
	pr_err("%s: ports %#llx-%#llx are in use by Linux (/proc/ioports); unbind the driver that holds them first\n",
	       what, base, base + length - 1);
	return -EBUSY;
}

static int check_hypervisor_memory(const struct jailhouse_memory *hv_mem)
{
	u64 start = hv_mem->phys_start, end = start + hv_mem->size;
	struct resource busy;

	if (region_intersects(start, hv_mem->size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT) {
		pr_err("hypervisor_memory %#llx-%#llx is used by Linux as RAM; keep it from Linux (e.g. mem= or a reserved-memory node)\n",
		       start, end - 1);
		return -EBUSY;
	}
	if (find_busy(start, end, &busy)) {
		pr_err("hypervisor_memory %#llx-%#llx overlaps %pR, which Linux uses\n",
		       start, end - 1, &busy);
		return -EBUSY;
	}
	if (!jailhouse_firmware_ram(start, hv_mem->size)) {
		pr_err("hypervisor_memory %#llx-%#llx is not RAM: the firmware (device tree memory nodes, EFI memory map) describes no RAM there\n",
		       start, end - 1);
		return -EINVAL;
	}
	return 0;
}

/**
 * jailhouse_check_platform() - Check a system configuration's addresses.
 * @sys:	the system configuration's header
 *
 * The hypervisor memory must be RAM by the firmware's description that
 * Linux does not use; then the architecture's checks of the devices.
 * Every refusal names the configuration field.
 *
 * Return: 0, -EINVAL, -EBUSY or -ENODEV.
 */
int jailhouse_check_platform(const struct jailhouse_system *sys)
{
	int err;

	err = check_hypervisor_memory(&sys->hypervisor_memory);
	if (err)
		return err;
	return jailhouse_arch_check_platform(sys);
}

/**
 * jailhouse_device_in_use() - Whether Linux drives a device of a region.
 * @start:	physical start of the region
 * @size:	its size
 * @what:	how to name the region in the message
 *
 * A region that a non-root cell takes from the root cell must not hold
 * registers that a Linux driver claimed: the driver would fault on its
 * next access (with its locks held, for the console UART) and could not
 * recover after the cell is gone.  Linux's RAM is the caller's to refuse
 * first: it is busy, too.
 *
 * Return: 0, or -EBUSY (reported) if a driver claimed part of the region.
 */
int jailhouse_device_in_use(u64 start, u64 size, const char *what)
{
	struct resource busy;

	if (!find_busy(start, start + size, &busy))
		return 0;
	jailhouse_arch_report_busy(&busy, what);
	return -EBUSY;
}
