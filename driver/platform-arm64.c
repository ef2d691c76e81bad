// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 side of the platform checks (arch.h): what the firmware's device
 * tree or EFI memory map says of the RAM, the GIC and the debug console.
 */
#define pr_fmt(fmt) "jailhouse: " fmt

#include <linux/efi.h>
#include <linux/ioport.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/overflow.h>
#include <linux/sizes.h>

#include "arch.h"
#include "jailhouse.h"

#define GICD_V3_SIZE		SZ_64K
/* Two 64 KiB frames per CPU (GICv4 has four: the smaller bound). */
#define GICR_V3_STRIDE		SZ_128K
#define GICV2_FRAME_SIZE	SZ_4K
/*
 * A GICv2 frame of 128 KiB in the device tree is two 4 KiB pages, each
 * aliased over 64 KiB (ZynqMP): its 8 KiB are contiguous 60 KiB in, where
 * Linux uses the CPU interface and Jailhouse's configs put it.
 */
#define GICV2_ALIAS_OFFSET	0xf000

/*
 * The end of the RAM range of the firmware's memory description that
 * contains @pos, 0 if there is none: the memory nodes of the device tree,
 * its no-map reserved-memory nodes (taken from Linux at boot) and the EFI
 * memory map's RAM (an EFI boot removes the memory nodes).
 */
static u64 ram_end_at(u64 pos)
{
	struct device_node *np;
	struct resource res;
	u64 end = 0, md_end;
	efi_memory_desc_t *md;
	unsigned int i;

	for_each_node_by_type(np, "memory") {
		if (!of_device_is_available(np))
			continue;
		for (i = 0; !of_address_to_resource(np, i, &res); i++)
			if (pos >= res.start && pos <= res.end)
				end = max_t(u64, end, (u64)res.end + 1);
	}

	np = of_find_node_by_path("/reserved-memory");
	if (np) {
		struct device_node *child;

		for_each_available_child_of_node(np, child) {
			if (!of_property_read_bool(child, "no-map"))
				continue;
			for (i = 0; !of_address_to_resource(child, i, &res);
			     i++)
				if (pos >= res.start && pos <= res.end)
					end = max_t(u64, end,
						    (u64)res.end + 1);
		}
		of_node_put(np);
	}

	if (!efi_enabled(EFI_MEMMAP))
		return end;
	for_each_efi_memory_desc(md) {
		switch (md->type) {
		case EFI_LOADER_CODE:
		case EFI_LOADER_DATA:
		case EFI_BOOT_SERVICES_CODE:
		case EFI_BOOT_SERVICES_DATA:
		case EFI_CONVENTIONAL_MEMORY:
			break;
		default:
			continue;
		}
		md_end = md->phys_addr + (md->num_pages << EFI_PAGE_SHIFT);
		if (md->attribute & EFI_MEMORY_WB && pos >= md->phys_addr &&
		    pos < md_end)
			end = max(end, md_end);
	}
	return end;
}

/* Whether the firmware describes all of [@start, @end) as RAM. */
static bool firmware_ram(u64 start, u64 end)
{
	u64 pos = start, next;

	while (pos < end) {
		next = ram_end_at(pos);
		if (next <= pos)
			return false;
		pos = next;
	}
	return true;
}

/*
 * Below a bus whose addresses have no size (I2C, SPI, MDIO), "reg" is no
 * CPU address; translating it would make Linux complain of the cell count
 * (the nvmem cells of an I2C EEPROM on the ZCU102, say).
 */
static bool on_cpu_bus(const struct device_node *np)
{
	const struct device_node *bus;
	u32 size_cells;

	for (bus = np->parent; bus; bus = bus->parent)
		if (!of_property_read_u32(bus, "#size-cells", &size_cells) &&
		    size_cells == 0)
			return false;
	return true;
}

/*
 * Whether @np may have registers that contain [@start, @end).  A node
 * straight under the root has CPU addresses in its "reg" already: they are
 * compared as they are, which spares most nodes of a device tree the
 * address translation of of_address_to_resource(), the costly part of a
 * walk over all of them.  Any other node may.
 */
static bool may_be_at(struct device_node *np, u64 start, u64 end)
{
	const __be32 *reg;
	int na, ns, len, n;
	u64 base, size;

	if (np->parent != of_root)
		return true;
	reg = of_get_property(np, "reg", &len);
	if (!reg)
		return false;
	na = of_n_addr_cells(np);
	ns = of_n_size_cells(np);
	if (na < 1 || na > 2 || ns > 2)
		return true;
	for (n = 0; (n + 1) * (na + ns) * (int)sizeof(*reg) <= len; n++) {
		base = of_read_number(reg + n * (na + ns), na);
		size = of_read_number(reg + n * (na + ns) + na, ns);
		if (start >= base && end - base <= size)
			return true;
	}
	return false;
}

/*
 * The device tree node whose registers contain [@start, @end), with a
 * reference, or NULL.  Memory nodes do not count.
 */
static struct device_node *device_at(u64 start, u64 end)
{
	struct device_node *np;
	struct resource res;
	unsigned int i;

	for (np = of_find_all_nodes(NULL); np; np = of_find_all_nodes(np)) {
		if (of_node_is_type(np, "memory") ||
		    !may_be_at(np, start, end) ||
		    !of_device_is_available(np) || !on_cpu_bus(np))
			continue;
		for (i = 0; !of_address_to_resource(np, i, &res); i++)
			if (start >= res.start && end - 1 <= res.end)
				return np;
	}
	return NULL;
}

bool jailhouse_firmware_ram(u64 start, u64 size)
{
	u64 end;

	return (of_root || efi_enabled(EFI_MEMMAP)) &&
		!check_add_overflow(start, size, &end) &&
		firmware_ram(start, end);
}

/**
 * jailhouse_find_gic() - The GIC's node in the device tree.
 * @version:	2 or 3
 *
 * Return: the node of the first GIC of that version, with a reference, or
 * NULL.
 */
struct device_node *jailhouse_find_gic(unsigned int version)
{
	static const char *const v2[] = {
		"arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a9-gic",
		"arm,cortex-a7-gic", NULL,
	};
	struct device_node *np;

	if (version == 3) {
		np = of_find_compatible_node(NULL, NULL, "arm,gic-v3");
		if (np)
			return np;
	} else {
		unsigned int i;

		for (i = 0; v2[i]; i++) {
			np = of_find_compatible_node(NULL, NULL, v2[i]);
			if (np)
				return np;
		}
	}
	return NULL;
}

/*
 * @field at @base must be register frame @index of the GIC's node; for
 * GICv3 redistributors any of @count frames from @index, with room for
 * @size bytes.
 */
static int check_gic_frame(struct device_node *gic, const char *field,
			   u64 base, u64 size, unsigned int index,
			   unsigned int count)
{
	struct resource res;
	unsigned int i;

	for (i = index; i < index + count; i++) {
		if (of_address_to_resource(gic, i, &res))
			break;
		if (base < res.start || base > res.end ||
		    (count == 1 && base != res.start &&
		     !(resource_size(&res) == SZ_128K &&
		       base == res.start + GICV2_ALIAS_OFFSET)))
			continue;
		if (base + size - 1 <= res.end)
			return 0;
		pr_err("platform_info.arm.%s %#llx: %#llx bytes do not fit into %pR of %pOF\n",
		       field, base, size, &res, gic);
		return -EINVAL;
	}
	if (of_address_to_resource(gic, index, &res))
		pr_err("platform_info.arm.%s %#llx: %pOF has no register frame %u\n",
		       field, base, gic, index);
	else
		pr_err("platform_info.arm.%s %#llx is not where the device tree has it: %pR (%pOF, reg %u)\n",
		       field, base, &res, gic, index);
	return -EINVAL;
}

static int check_gic(const struct jailhouse_system *sys)
{
	const typeof(sys->platform_info) *plat = &sys->platform_info;
	u64 gicr_size = (u64)nr_cpu_ids * GICR_V3_STRIDE;
	unsigned int version = plat->arm.gic_version;
	struct device_node *gic;
	u32 redist_regions = 1;
	int err;

	if (version != 2 && version != 3) {
		pr_err("platform_info.arm.gic_version %u: only 2 and 3 exist\n",
		       version);
		return -EINVAL;
	}
	gic = jailhouse_find_gic(version);
	if (!gic) {
		pr_err("platform_info.arm.gic_version %u: the device tree has no GICv%u\n",
		       version, version);
		return -ENODEV;
	}

	err = check_gic_frame(gic, "gicd_base", plat->arm.gicd_base,
			      version == 3 ? GICD_V3_SIZE : GICV2_FRAME_SIZE,
			      0, 1);
	if (err)
		goto out;
	if (version == 3) {
		of_property_read_u32(gic, "#redistributor-regions",
				     &redist_regions);
		err = check_gic_frame(gic, "gicr_base", plat->arm.gicr_base,
				      gicr_size, 1, max(redist_regions, 1U));
		goto out;
	}
	err = check_gic_frame(gic, "gicc_base", plat->arm.gicc_base,
			      GICV2_FRAME_SIZE, 1, 1);
	if (!err)
		err = check_gic_frame(gic, "gich_base", plat->arm.gich_base,
				      GICV2_FRAME_SIZE, 2, 1);
	if (!err)
		err = check_gic_frame(gic, "gicv_base", plat->arm.gicv_base,
				      GICV2_FRAME_SIZE, 3, 1);
out:
	of_node_put(gic);
	return err;
}

static int check_debug_console(const struct jailhouse_console *con)
{
	u64 size = con->size ? con->size : PAGE_SIZE;
	struct device_node *np;

	if (con->type == JAILHOUSE_CON_TYPE_NONE || !CON_IS_MMIO(con->flags))
		return 0;
	np = device_at(con->address, con->address + size);
	if (!np) {
		pr_err("debug_console.address %#llx-%#llx is no device of the device tree\n",
		       con->address, con->address + size - 1);
		return -EINVAL;
	}
	of_node_put(np);
	return 0;
}

/*
 * Where Linux booted with a device tree, the GIC frames must be those of
 * its GIC node and the debug console inside a device's registers; ACPI
 * machines leave these to the configuration.
 */
int jailhouse_arch_check_platform(const struct jailhouse_system *sys)
{
	int err;

	if (!of_root)
		return 0;
	err = check_gic(sys);
	if (err)
		return err;
	return check_debug_console(&sys->debug_console);
}

void jailhouse_arch_report_busy(const struct resource *busy,
				const char *what)
{
	struct device_node *np;

	np = device_at(busy->start, busy->end + 1);
	if (np)
		pr_err("%s: %pR is in use by Linux, device %pOF; unbind its driver first, or share the region with the root cell (JAILHOUSE_MEM_ROOTSHARED)\n",
		       what, busy, np);
	else
		pr_err("%s: %pR is in use by a Linux driver; unbind it first, or share the region with the root cell (JAILHOUSE_MEM_ROOTSHARED)\n",
		       what, busy);
	of_node_put(np);
}
