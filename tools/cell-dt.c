// SPDX-License-Identifier: GPL-2.0
/*
 * jailhouse cell linux: the cell's device tree.
 *
 * Built from the cell configuration and the root's device tree
 * (/proc/device-tree): the cell's memory, CPUs, PSCI, GIC and timer, the
 * devices in the cell's own I/O regions, the console.  Or the user's tree
 * with the cell's memory, initramfs and command line patched in.
 * Documentation/linux-cell.md explains the choices.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cell-linux.h"
#include "jailhouse.h"

#define CPU_PATH	JAILHOUSE_ROOT_PREFIX "/sys/devices/system/cpu"

/*
 * Phandles of the nodes the tool makes: fixed, the tree is its own; the
 * clocks' after those of cell-linux.h.
 */
#define PHANDLE_CLK_BASE	3

/* A GIC interrupt specifier: type, number, flags (gic bindings). */
#define GIC_IRQ_CELLS		3

/* What building the tree collects on its way. */
struct tree {
	struct fdt_node *root;
	const struct cell_info *info;
	uint32_t next_clock;			/* phandle of the next one */
	struct fdt_node *console;		/* node of desc->console */
	bool virtio;				/* a virtio-mmio transport */
};

/* --- the root's device tree, in /proc/device-tree ----------------------- */

/* A property's value, or NULL if the node has none. */
void *dt_read(const char *node, const char *prop, size_t *len)
{
	char path[PATH_MAX];
	void *value;
	int fd;

	format_path(path, "%s/%s", node, prop);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	value = read_fd(fd, path, len);
	close(fd);
	return value;
}

static bool dt_has_prop(const char *node, const char *prop)
{
	char path[PATH_MAX];

	format_path(path, "%s/%s", node, prop);
	return access(path, F_OK) == 0;
}

bool dt_has_string(const char *node, const char *prop,
			  const char *str)
{
	size_t len, off = 0;
	char *value;
	bool found = false;

	value = dt_read(node, prop, &len);
	if (!value)
		return false;
	while (off < len && !found) {
		found = strcmp(value + off, str) == 0;
		off += strlen(value + off) + 1;
	}
	free(value);
	return found;
}

uint32_t dt_cells(const char *node, const char *prop, uint32_t def)
{
	size_t len;
	void *value = dt_read(node, prop, &len);
	uint32_t cells = def;

	if (value && len == 4)
		cells = fdt_be32(value);
	free(value);
	return cells;
}

uint64_t read_cells(const uint8_t *p, uint32_t num)
{
	uint64_t v = 0;

	while (num--) {
		v = v << 32 | fdt_be32(p);
		p += 4;
	}
	return v;
}

/*
 * Depth-first search under @dir for a node matching @match: its path
 * (malloc'ed), or NULL.  A @match that never matches visits every node.
 */
char *dt_find(const char *dir, bool (*match)(const char *node, void *arg),
	      void *arg)
{
	char path[PATH_MAX], *found = NULL;
	struct dirent *ent;
	struct stat st;
	DIR *d;

	if (match(dir, arg)) {
		found = strdup(dir);
		if (!found)
			fail("%s", strerror(ENOMEM));
		return found;
	}
	d = opendir(dir);
	if (!d)
		return NULL;
	while (!found && (ent = readdir(d)) != NULL) {
		if (ent->d_name[0] == '.')
			continue;
		format_path(path, "%s/%s", dir, ent->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			found = dt_find(path, match, arg);
	}
	closedir(d);
	return found;
}

static bool match_compatible(const char *node, void *arg)
{
	const char *const *compat;

	for (compat = arg; *compat; compat++)
		if (dt_has_string(node, "compatible", *compat))
			return true;
	return false;
}

bool match_phandle(const char *node, void *arg)
{
	uint32_t phandle = dt_cells(node, "phandle", 0);

	return phandle && phandle == *(const uint32_t *)arg;
}

static char *dt_find_compatible(const char *const *compat)
{
	return dt_find(DT_PATH, match_compatible, (void *)compat);
}

/**
 * dt_reg() - a node's register windows as 2 + 2 cells each
 * @node:	node path
 * @max:	at most this many windows
 * @cells:	returns the cells (4 per window), malloc'ed, if there are any
 *
 * Return: the number of windows; 0 if the node has no "reg" the tool
 * understands (one or two cells per address and size).
 */
unsigned int dt_reg(const char *node, unsigned int max,
			   uint32_t **cells)
{
	char parent[PATH_MAX];
	uint32_t ac, sc, stride;
	unsigned int n, num;
	uint64_t addr, size;
	uint8_t *reg;
	size_t len;

	format_path(parent, "%s/..", node);
	ac = dt_cells(parent, "#address-cells", 2);
	sc = dt_cells(parent, "#size-cells", 1);
	reg = dt_read(node, "reg", &len);
	stride = (ac + sc) * 4;
	if (!reg || ac < 1 || ac > 2 || sc < 1 || sc > 2 || len < stride) {
		free(reg);
		return 0;
	}
	num = len / stride;
	if (num > max)
		num = max;
	*cells = calloc(num * 4, sizeof(**cells));
	if (!*cells)
		fail("%s", strerror(ENOMEM));
	for (n = 0; n < num; n++) {
		addr = read_cells(reg + n * stride, ac);
		size = read_cells(reg + n * stride + ac * 4, sc);
		(*cells)[n * 4] = addr >> 32;
		(*cells)[n * 4 + 1] = addr;
		(*cells)[n * 4 + 2] = size >> 32;
		(*cells)[n * 4 + 3] = size;
	}
	free(reg);
	return num;
}

uint64_t window_addr(const uint32_t *cells)
{
	return (uint64_t)cells[0] << 32 | cells[1];
}

uint64_t window_size(const uint32_t *cells)
{
	return (uint64_t)cells[2] << 32 | cells[3];
}

/*
 * Whether @node's "reg" addresses are physical addresses: every bus above
 * it maps its children's addresses 1:1 (an empty "ranges").
 */
static bool on_cpu_bus(const char *node)
{
	char path[PATH_MAX], *slash;
	size_t len;
	void *ranges;

	format_path(path, "%s", node);
	while ((slash = strrchr(path, '/')) != NULL) {
		*slash = '\0';
		if (strlen(path) <= strlen(DT_PATH))
			return true;
		ranges = dt_read(path, "ranges", &len);
		free(ranges);
		if (!ranges || len != 0)
			return false;
	}
	return true;
}

/* Copy a property of the root's node @node, if it has it. */
static void copy_prop(struct fdt_node *to, const char *node,
		      const char *prop)
{
	size_t len;
	void *value = dt_read(node, prop, &len);

	if (value)
		fdt_set_prop(to, prop, value, len);
	free(value);
}

static struct fdt_node *new_node_at(struct fdt_node *parent,
				    const char *name, uint64_t addr)
{
	char full[64];

	snprintf(full, sizeof(full), "%.*s@%llx", (int)strcspn(name, "@"),
		 name, (unsigned long long)addr);
	return fdt_new_node(parent, full);
}

/* --- the cell's device tree ---------------------------------------------- */

static void add_memory(struct fdt_node *root, const struct cell_info *info)
{
	unsigned int n, num = 0;
	struct fdt_node *mem;
	uint32_t *cells;
	uint64_t first = 0;

	cells = calloc(info->desc->num_memory_regions * 4, sizeof(*cells));
	if (!cells)
		fail("%s", strerror(ENOMEM));
	for (n = 0; n < info->desc->num_memory_regions; n++) {
		if (!is_ram(info, n))
			continue;
		if (num == 0)
			first = info->mem[n].virt_start;
		cells[num * 4] = info->mem[n].virt_start >> 32;
		cells[num * 4 + 1] = info->mem[n].virt_start;
		cells[num * 4 + 2] = info->mem[n].size >> 32;
		cells[num * 4 + 3] = info->mem[n].size;
		num++;
	}
	mem = new_node_at(root, "memory", first);
	fdt_set_string(mem, "device_type", "memory");
	fdt_set_cells(mem, "reg", cells, num * 4);
	free(cells);
}

/*
 * Linux sets aside a contiguous area for DMA buffers (CMA) as large as its
 * build says unless told otherwise: 64 MiB in Debian's arm64 kernels, half
 * of the demo cell, whose kernel then runs out of memory now and then.
 * The tree sizes the default area to the cell: a sixteenth of its RAM, in
 * whole 4 MiB blocks (CMA's granule is a page block: 2 or 4 MiB with
 * 4 KiB pages); a cell with less than 64 MiB gets none.  "cma=" on the
 * command line still overrides it.
 */
#define CMA_BLOCK	(4ULL << 20)

static void add_cma(struct fdt_node *root, const struct cell_info *info)
{
	const uint32_t block[2] = { 0, (uint32_t)CMA_BLOCK };
	struct fdt_node *resv, *cma;
	uint64_t ram = 0, size;
	uint32_t cells[2];
	unsigned int n;

	for (n = 0; n < info->desc->num_memory_regions; n++)
		if (is_ram(info, n))
			ram += info->mem[n].size;
	size = ram / 16 / CMA_BLOCK * CMA_BLOCK;
	if (size == 0)
		return;

	resv = fdt_new_node(root, "reserved-memory");
	fdt_set_u32(resv, "#address-cells", 2);
	fdt_set_u32(resv, "#size-cells", 2);
	fdt_set_empty(resv, "ranges");
	cma = fdt_new_node(resv, "linux,cma");
	fdt_set_string(cma, "compatible", "shared-dma-pool");
	fdt_set_empty(cma, "reusable");
	cells[0] = size >> 32;
	cells[1] = size;
	fdt_set_cells(cma, "size", cells, 2);
	fdt_set_cells(cma, "alignment", block, 2);
	fdt_set_empty(cma, "linux,cma-default");
}

static void add_cpus(struct fdt_node *root, const struct cell_info *info)
{
	char node[PATH_MAX], cpus_path[PATH_MAX];
	struct fdt_node *cpus, *cpu;
	uint32_t ac, mpidr_cells[2];
	unsigned int n;
	uint64_t mpidr;
	uint8_t *reg;
	size_t len;

	cpus = fdt_new_node(root, "cpus");
	fdt_set_u32(cpus, "#address-cells", 2);
	fdt_set_u32(cpus, "#size-cells", 0);
	for (n = 0; n < info->desc->cpu_set_size * 8; n++) {
		if (!cpu_in_set(info, n))
			continue;
		/* of_node stays while Linux has the CPU offline */
		format_path(node, CPU_PATH "/cpu%u/of_node", n);
		format_path(cpus_path, "%s/..", node);
		ac = dt_cells(cpus_path, "#address-cells", 2);
		reg = dt_read(node, "reg", &len);
		if (!reg || ac < 1 || ac > 2 || len < ac * 4)
			fail("CPU %u: no MPIDR in the root's device tree "
			     "(%s/reg)", n, node);
		mpidr = read_cells(reg, ac);
		free(reg);

		cpu = new_node_at(cpus, "cpu", mpidr);
		fdt_set_string(cpu, "device_type", "cpu");
		copy_prop(cpu, node, "compatible");
		mpidr_cells[0] = mpidr >> 32;
		mpidr_cells[1] = mpidr;
		fdt_set_cells(cpu, "reg", mpidr_cells, 2);
		fdt_set_string(cpu, "enable-method", "psci");
	}
}

static void add_psci(struct fdt_node *root)
{
	static const char *const compat[] = {
		"arm,psci-1.0", "arm,psci-0.2", "arm,psci", NULL,
	};
	static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2";
	struct fdt_node *psci;
	char *node, *method;
	size_t len;

	node = dt_find_compatible(compat);
	if (!node)
		fail("no PSCI node in the root's device tree (%s): the cell's "
		     "CPUs would have no way to start", DT_PATH);
	method = dt_read(node, "method", &len);
	psci = fdt_new_node(root, "psci");
	fdt_set_prop(psci, "compatible", psci_compat, sizeof(psci_compat));
	fdt_set_string(psci, "method", method ? method : "smc");
	free(method);
	free(node);
}

/*
 * The root's GIC, as the cell sees it: GICv3 distributor and
 * redistributors; GICv2 distributor and CPU interface (the hypervisor
 * maps the virtual CPU interface there).  No maintenance interrupt: the
 * cell does not virtualize.  Return: its node.
 */
static struct fdt_node *add_gic(struct fdt_node *root)
{
	static const char *const v3[] = { "arm,gic-v3", NULL };
	static const char *const v2[] = {
		"arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a9-gic",
		"arm,gic-v2", NULL,
	};
	struct fdt_node *gic;
	unsigned int num;
	uint32_t *reg;
	bool is_v3 = true;
	char *node;

	node = dt_find_compatible(v3);
	if (!node) {
		is_v3 = false;
		node = dt_find_compatible(v2);
	}
	if (!node)
		fail("no GICv2 or GICv3 in the root's device tree (%s)",
		     DT_PATH);
	num = dt_reg(node, is_v3 ? 16 : 2, &reg);
	if (num == 0)
		fail("%s: no usable \"reg\" property", node);
	if (!is_v3 && num < 2)
		fail("%s: a GICv2 without its CPU interface in \"reg\"", node);

	gic = new_node_at(root, "interrupt-controller", window_addr(reg));
	copy_prop(gic, node, "compatible");
	fdt_set_u32(gic, "#interrupt-cells", GIC_IRQ_CELLS);
	fdt_set_u32(gic, "#address-cells", 2);
	fdt_set_u32(gic, "#size-cells", 2);
	fdt_set_empty(gic, "interrupt-controller");
	fdt_set_cells(gic, "reg", reg, num * 4);
	if (is_v3)
		copy_prop(gic, node, "#redistributor-regions");
	fdt_set_u32(gic, "phandle", PHANDLE_GIC);
	free(reg);
	free(node);
	return gic;
}

static void add_timer(struct fdt_node *root)
{
	static const char *const compat[] = {
		"arm,armv8-timer", "arm,armv7-timer", NULL,
	};
	struct fdt_node *timer;
	char *node;

	node = dt_find_compatible(compat);
	if (!node)
		fail("no architected timer in the root's device tree (%s)",
		     DT_PATH);
	timer = fdt_new_node(root, "timer");
	copy_prop(timer, node, "compatible");
	copy_prop(timer, node, "interrupts");
	copy_prop(timer, node, "always-on");
	free(node);
}

/*
 * Clocks of the root's device node, as fixed clocks of the same rates:
 * the cell has no clock controller.
 */
static void add_clocks(struct tree *tree, struct fdt_node *dev,
		       const char *node)
{
	uint32_t phandle, *phandles, *rate;
	struct fdt_node *clk;
	char clk_name[32];
	size_t len, num, n;
	uint8_t *clocks;
	char *clk_node;

	clocks = dt_read(node, "clocks", &len);
	if (!clocks)
		return;
	num = len / 4;
	phandles = calloc(num, sizeof(*phandles));
	if (!phandles)
		fail("%s", strerror(ENOMEM));
	for (n = 0; n < num; n++) {
		phandle = fdt_be32(clocks + n * 4);
		clk_node = dt_find(DT_PATH, match_phandle, &phandle);
		rate = clk_node ? dt_read(clk_node, "clock-frequency", &len) :
				  NULL;
		if (!rate || len != 4 ||
		    dt_cells(clk_node, "#clock-cells", 0) != 0)
			fail("%s: clock %zu is no fixed clock: cannot describe "
			     "it to the cell", node, n);
		phandles[n] = tree->next_clock++;
		snprintf(clk_name, sizeof(clk_name), "clock-%u", phandles[n]);
		clk = fdt_new_node(tree->root, clk_name);
		fdt_set_string(clk, "compatible", "fixed-clock");
		fdt_set_u32(clk, "#clock-cells", 0);
		fdt_set_prop(clk, "clock-frequency", rate, 4);
		fdt_set_u32(clk, "phandle", phandles[n]);
		free(rate);
		free(clk_node);
	}
	fdt_set_cells(dev, "clocks", phandles, num);
	copy_prop(dev, node, "clock-names");
	free(phandles);
	free(clocks);
}

bool cell_has_irq(const struct cell_info *info, unsigned int irq)
{
	const struct jailhouse_irqchip *chip;
	unsigned int n, pin;

	for (n = 0; n < info->desc->num_irqchips; n++) {
		chip = &info->irqchips[n];
		if (irq < chip->pin_base || irq - chip->pin_base >= 128)
			continue;
		pin = irq - chip->pin_base;
		if (chip->pin_bitmap[pin / 32] & (1U << (pin % 32)))
			return true;
	}
	return false;
}

/*
 * The device's interrupts must be the cell's: its shared peripheral
 * interrupts in the cell's irqchip bitmap (private ones go with the CPUs).
 */
static void check_irqs(const struct tree *tree, const char *node)
{
	unsigned int n, irq;
	uint8_t *irqs;
	size_t len;

	if (dt_has_prop(node, "interrupts-extended"))
		fail("%s: \"interrupts-extended\" names other interrupt "
		     "controllers than the cell's GIC", node);
	irqs = dt_read(node, "interrupts", &len);
	if (!irqs)
		return;
	if (len % (GIC_IRQ_CELLS * 4))
		fail("%s: its \"interrupts\" are no GIC interrupts of %u "
		     "cells", node, GIC_IRQ_CELLS);
	for (n = 0; n < len / 4; n += GIC_IRQ_CELLS) {
		if (fdt_be32(irqs + n * 4) != GIC_SPI)
			continue;
		irq = GIC_SPI_BASE + fdt_be32(irqs + (n + 1) * 4);
		if (!cell_has_irq(tree->info, irq))
			fail("%s: its interrupt %u (SPI %u) is not in the "
			     "cell's irqchip bitmap", node, irq,
			     irq - GIC_SPI_BASE);
	}
	free(irqs);
}

/*
 * Properties of a device node that the cell's copy keeps besides
 * "compatible" and "reg": those that refer to no other node ("clocks" is
 * made over by add_clocks(); the interrupt parent is the cell's GIC, the
 * tree's default).
 */
static const char *const device_props[] = {
	"interrupts", "dma-coherent", "current-speed", "clock-frequency",
	"reg-shift", "reg-io-width",
};

/*
 * A device of the root's tree for the cell's tree if its registers lie in
 * one of the cell's own I/O regions (not shared with the root; the root's
 * node may be disabled, the root leaves it alone for the cell): its node
 * at the cell's address, its properties that stand alone, its clocks as
 * fixed clocks.
 */
static bool add_device(const char *node, void *arg)
{
	const struct jailhouse_memory *region = NULL, *mem;
	struct tree *tree = arg;
	const struct cell_info *info = tree->info;
	const struct jailhouse_console *con = &info->desc->console;
	unsigned int n, w, num;
	struct fdt_node *dev;
	uint64_t addr;
	uint32_t *reg;

	if (!dt_has_prop(node, "compatible") || !on_cpu_bus(node))
		return false;
	num = dt_reg(node, UINT_MAX, &reg);
	if (num == 0)
		return false;
	for (n = 0; n < info->desc->num_memory_regions && !region; n++) {
		mem = &info->mem[n];
		if ((mem->flags & (JAILHOUSE_MEM_IO |
				   JAILHOUSE_MEM_ROOTSHARED)) ==
		    JAILHOUSE_MEM_IO &&
		    window_addr(reg) - mem->phys_start < mem->size)
			region = mem;
	}
	if (!region) {
		free(reg);
		return false;
	}
	for (w = 0; w < num; w++) {
		addr = window_addr(&reg[w * 4]) - region->phys_start;
		if (addr >= region->size ||
		    window_size(&reg[w * 4]) > region->size - addr)
			fail("%s: register window %u is not inside the cell's "
			     "region 0x%llx-0x%llx", node, w,
			     (unsigned long long)region->phys_start,
			     (unsigned long long)(region->phys_start +
						  region->size - 1));
		addr += region->virt_start;
		reg[w * 4] = addr >> 32;
		reg[w * 4 + 1] = addr;
	}
	check_irqs(tree, node);

	dev = new_node_at(tree->root, strrchr(node, '/') + 1,
			  window_addr(reg));
	copy_prop(dev, node, "compatible");
	fdt_set_cells(dev, "reg", reg, num * 4);
	for (n = 0; n < sizeof(device_props) / sizeof(device_props[0]); n++)
		copy_prop(dev, node, device_props[n]);
	add_clocks(tree, dev, node);
	if (dt_has_string(node, "compatible", "virtio,mmio"))
		tree->virtio = true;
	if (con->type != JAILHOUSE_CON_TYPE_NONE &&
	    con->address - window_addr(reg) < window_size(reg))
		tree->console = dev;
	free(reg);
	return false;
}

static const char *console_earlycon(uint32_t type)
{
	switch (type) {
	case JAILHOUSE_CON_TYPE_PL011:
		return "pl011";
	case JAILHOUSE_CON_TYPE_XUARTPS:
		return "cdns";
	default:
		return NULL;
	}
}

static const char *console_tty(uint32_t type)
{
	return type == JAILHOUSE_CON_TYPE_PL011 ? "ttyAMA0" : "ttyPS0";
}

/**
 * add_console() - the cell's console, as Documentation/linux-cell.md says
 * @tree:	the cell's tree, its devices added
 * @cmdline:	returns the command line naming the console ("" if none)
 * @size:	size of @cmdline
 *
 * A UART the cell owns has its node among the devices: the console.  One
 * it shares with the root gets no node (the cell's driver would reprogram
 * the root's UART) but the polled early console; if the cell has a virtio
 * transport, hvc0 takes over from it (the tool cannot see the device
 * behind a transport, the root never probed it: a virtio console is what
 * a cell's transport is for here), else it stays.
 */
static void add_console(struct tree *tree, char *cmdline, size_t size)
{
	const struct jailhouse_console *con = &tree->info->desc->console;
	const struct cell_info *info = tree->info;
	const char *earlycon = console_earlycon(con->type);
	const struct jailhouse_memory *region = NULL;
	const char *hvc = tree->virtio ? "console=hvc0" : "";
	char path[PATH_MAX];
	unsigned int n;
	uint64_t addr = con->address;

	snprintf(cmdline, size, "%s", hvc);
	if (con->type == JAILHOUSE_CON_TYPE_NONE)
		return;
	if (!earlycon || !(con->flags & JAILHOUSE_CON_ACCESS_MMIO))
		fail("cell console type %u: this tool knows the PL011 and the "
		     "Xilinx UART PS only", con->type);
	for (n = 0; n < info->desc->num_memory_regions; n++)
		if ((info->mem[n].flags & JAILHOUSE_MEM_IO) &&
		    addr >= info->mem[n].virt_start &&
		    addr - info->mem[n].virt_start < info->mem[n].size)
			region = &info->mem[n];
	if (!region)
		fail("the cell's console at 0x%llx is in none of its I/O "
		     "regions", (unsigned long long)addr);

	if (region->flags & JAILHOUSE_MEM_ROOTSHARED) {
		snprintf(cmdline, size, "earlycon=%s,mmio32,0x%llx %s",
			 earlycon, (unsigned long long)addr,
			 tree->virtio ? hvc : "keep_bootcon");
		return;
	}
	if (!tree->console)
		fail("no device at 0x%llx in the root's device tree: cannot "
		     "describe the cell's console", (unsigned long long)addr);
	format_path(path, "/%s", tree->console->name);
	fdt_set_string(fdt_new_node(tree->root, "aliases"), "serial0", path);
	fdt_set_string(fdt_child(tree->root, "chosen"), "stdout-path", path);
	snprintf(cmdline, size, "console=%s", console_tty(con->type));
}

struct fdt_node *build_tree(const struct cell_info *info, char *cmdline,
			    size_t size)
{
	struct tree tree = {
		.root = fdt_new_node(NULL, ""),
		.info = info,
		.next_clock = PHANDLE_CLK_BASE,
	};
	struct fdt_node *root = tree.root, *gic;

	fdt_set_u32(root, "#address-cells", 2);
	fdt_set_u32(root, "#size-cells", 2);
	fdt_set_string(root, "compatible", "jailhouse,cell");
	fdt_set_string(root, "model", info->desc->name);
	fdt_set_u32(root, "interrupt-parent", PHANDLE_GIC);
	fdt_new_node(root, "chosen");
	add_memory(root, info);
	add_cma(root, info);
	add_cpus(root, info);
	add_psci(root);
	gic = add_gic(root);
	add_timer(root);
	add_vpci(root, gic, info);
	dt_find(DT_PATH, add_device, &tree);
	add_console(&tree, cmdline, size);
	return root;
}

/* The user's tree with the cell's memory in place of its memory nodes. */
struct fdt_node *patch_tree(const char *name, const struct cell_info *info)
{
	struct fdt_node *root, *child, *next;
	struct fdt_prop *type;
	size_t size;
	char *blob;

	blob = read_file(name, &size);
	if (fdt_parse(blob, size, &root) < 0)
		fail("%s: not a valid device tree blob (version 17)", name);
	free(blob);
	for (child = root->children; child; child = next) {
		next = child->next;
		type = fdt_prop(child, "device_type");
		if (type && type->len == sizeof("memory") &&
		    memcmp(type->value, "memory", type->len) == 0)
			fdt_delete_node(child);
	}
	add_memory(root, info);
	if (!fdt_child(root, "chosen"))
		fdt_new_node(root, "chosen");
	return root;
}

/*
 * No firmware seeds the cell kernel's random number generator: without a
 * seed it boots without KASLR and, until it has gathered entropy of its
 * own, takes the slow path of get_random_*() on every system call (for the
 * random kernel-stack offset), ~9 us each under QEMU (bench/README.md).
 * The seeds a boot loader passes in /chosen, from the root's generator,
 * give it both; a user's tree gets fresh ones too.
 */
#define RNG_SEED_SIZE	64
#define KASLR_SEED_SIZE	8

static void set_seeds(struct fdt_node *chosen)
{
	uint8_t seed[RNG_SEED_SIZE + KASLR_SEED_SIZE];

	if (getrandom(seed, sizeof(seed), 0) != (ssize_t)sizeof(seed))
		fail("getrandom: %s", strerror(errno));
	fdt_set_prop(chosen, "rng-seed", seed, RNG_SEED_SIZE);
	fdt_set_prop(chosen, "kaslr-seed", seed + RNG_SEED_SIZE,
		     KASLR_SEED_SIZE);
}

void set_chosen(struct fdt_node *root, const char *cmdline, bool replace,
		uint64_t initrd, uint64_t initrd_size)
{
	struct fdt_node *chosen = fdt_child(root, "chosen");
	uint32_t cells[2];

	set_seeds(chosen);

	if (replace || !fdt_prop(chosen, "bootargs"))
		fdt_set_string(chosen, "bootargs", cmdline);
	if (initrd_size) {
		cells[0] = initrd >> 32;
		cells[1] = initrd;
		fdt_set_cells(chosen, "linux,initrd-start", cells, 2);
		cells[0] = (initrd + initrd_size) >> 32;
		cells[1] = initrd + initrd_size;
		fdt_set_cells(chosen, "linux,initrd-end", cells, 2);
	} else {
		fdt_delete_prop(chosen, "linux,initrd-start");
		fdt_delete_prop(chosen, "linux,initrd-end");
	}
}
