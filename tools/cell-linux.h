/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the parts of "jailhouse cell linux" share: cell-linux.c boots the
 * cell, cell-dt.c makes its device tree, cell-vpci.c its PCI host.
 */
#ifndef JAILHOUSE_TOOLS_CELL_LINUX_H
#define JAILHOUSE_TOOLS_CELL_LINUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jailhouse/cell-config.h>

#include "fdt.h"
#include "jailhouse.h"

/* A cell configuration, its arrays found. */
struct cell_info {
	const struct jailhouse_cell_desc *desc;
	const uint64_t *cpu_set;
	const struct jailhouse_memory *mem;
	const struct jailhouse_irqchip *irqchips;
	const struct jailhouse_pci_device *pci;
	const struct jailhouse_memory *ram;	/* holds the reset address */
};

/*
 * Phandles of the cell tree's GIC and of its virtual GICv2m frame (the
 * MSI controller of a cell with ivshmem MSI-X on GICv2), the GIC
 * interrupt specifier's type of an SPI, and the INTID of SPI 0
 */
#define PHANDLE_GIC		1
#define PHANDLE_V2M		2
#define GIC_SPI			0
#define GIC_SPI_BASE		32

/* cell-dt.c: the root's device tree, in /proc/device-tree */
#define DT_PATH		JAILHOUSE_ROOT_PREFIX "/proc/device-tree"

void *dt_read(const char *node, const char *prop, size_t *len);
bool dt_has_string(const char *node, const char *prop, const char *str);
uint32_t dt_cells(const char *node, const char *prop, uint32_t def);
uint64_t read_cells(const uint8_t *p, uint32_t num);
char *dt_find(const char *dir, bool (*match)(const char *node, void *arg),
	      void *arg);
bool match_phandle(const char *node, void *arg);
unsigned int dt_reg(const char *node, unsigned int max, uint32_t **cells);
uint64_t window_addr(const uint32_t *cells);
uint64_t window_size(const uint32_t *cells);

bool is_ram(const struct cell_info *info, unsigned int n);
bool cpu_in_set(const struct cell_info *info, unsigned int cpu);
/* Does the cell's irqchip bitmap have interrupt (INTID) @irq? */
bool cell_has_irq(const struct cell_info *info, unsigned int irq);

struct fdt_node *build_tree(const struct cell_info *info, char *cmdline,
			    size_t size);
struct fdt_node *patch_tree(const char *name, const struct cell_info *info);
/*
 * cell-vpci.c: the PCI host, if the cell has devices there, and the MSI
 * controller of its ivshmem devices in the cell's GIC node @gic
 */
void add_vpci(struct fdt_node *root, struct fdt_node *gic,
	      const struct cell_info *info);
void set_chosen(struct fdt_node *root, const char *cmdline, bool replace,
		uint64_t initrd, uint64_t initrd_size);

#endif
