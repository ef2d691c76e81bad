// SPDX-License-Identifier: GPL-2.0
/*
 * jailhouse cell linux: boot an arm64 Linux kernel in a new cell.
 *
 * Creates the cell, loads a boot stub, the kernel, its device tree and an
 * initramfs into the cell's RAM as Documentation/arm64/booting.rst wants
 * them, and starts the cell.  The device tree is built from the cell
 * configuration and the root's device tree (/proc/device-tree), or is the
 * user's with the cell's memory, initramfs and command line patched in.
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
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jailhouse/ioctl.h>

#include "fdt.h"
#include "jailhouse.h"

#define DT_PATH		JAILHOUSE_ROOT_PREFIX "/proc/device-tree"
#define CPU_PATH	JAILHOUSE_ROOT_PREFIX "/sys/devices/system/cpu"

#define SZ_4K		0x1000ULL
#define SZ_2M		0x200000ULL

/* Documentation/arm64/booting.rst: the header of an Image */
#define IMAGE_MAGIC		0x644d5241	/* "ARM\x64" */
#define IMAGE_HEADER_SIZE	64
#define IMAGE_FLAG_BE		0x1

/* Phandles of the nodes the tool makes: fixed, the tree is its own. */
#define PHANDLE_GIC		1
#define PHANDLE_CLK_BASE	2

/*
 * The boot stub, at the cell's reset address: the hypervisor starts the
 * first CPU there with x0 = 0; the kernel wants x0 = its device tree and
 * x1..x3 = 0.
 *
 *	ldr	x0, 1f
 *	ldr	x4, 2f
 *	mov	x1, xzr
 *	mov	x2, xzr
 *	mov	x3, xzr
 *	br	x4
 * 1:	.quad	device tree
 * 2:	.quad	kernel entry
 */
static const uint32_t stub_code[] = {
	0x580000c0, 0x580000e4, 0xaa1f03e1, 0xaa1f03e2, 0xaa1f03e3,
	0xd61f0080,
};

struct boot_stub {
	uint32_t code[6];
	uint64_t dtb;
	uint64_t kernel;
};

struct linux_args {
	const char *config, *kernel, *dtb, *initrd, *cmdline, *write_dtb;
};

struct cell_info {
	const struct jailhouse_cell_desc *desc;
	const uint64_t *cpu_set;
	const struct jailhouse_memory *mem;
	const struct jailhouse_irqchip *irqchips;
	const struct jailhouse_memory *ram;	/* holds the reset address */
};

struct layout {
	uint64_t stub, kernel, kernel_end, dtb, initrd;
};

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v = 0;
	int n;

	for (n = 7; n >= 0; n--)
		v = v << 8 | p[n];
	return v;
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
		(uint32_t)p[1] << 8 | p[0];
}

static uint64_t align_up(uint64_t v, uint64_t align)
{
	return (v + align - 1) & ~(align - 1);
}

static void parse_args(int argc, char *argv[], struct linux_args *args)
{
	const char **opt;
	int arg, pos = 0;

	memset(args, 0, sizeof(*args));
	for (arg = 3; arg < argc; arg++) {
		if (strcmp(argv[arg], "-d") == 0 ||
		    strcmp(argv[arg], "--dtb") == 0)
			opt = &args->dtb;
		else if (strcmp(argv[arg], "-i") == 0 ||
			 strcmp(argv[arg], "--initrd") == 0)
			opt = &args->initrd;
		else if (strcmp(argv[arg], "-c") == 0 ||
			 strcmp(argv[arg], "--cmdline") == 0)
			opt = &args->cmdline;
		else if (strcmp(argv[arg], "-w") == 0 ||
			 strcmp(argv[arg], "--write-dtb") == 0)
			opt = &args->write_dtb;
		else if (argv[arg][0] == '-')
			usage(1);
		else
			opt = NULL;

		if (!opt) {
			if (pos == 0)
				args->config = argv[arg];
			else if (pos == 1)
				args->kernel = argv[arg];
			else
				usage(1);
			pos++;
			continue;
		}
		if (++arg >= argc)
			usage(1);
		*opt = argv[arg];
	}
	if (pos != 2)
		usage(1);
}

/*
 * Unpack a gzip file with the system's gzip (busybox has one): a static
 * tool for a minimal root file system carries no zlib.
 */
static char *gunzip_file(const char *name, size_t *size)
{
	int pipefd[2], status;
	char *data;
	pid_t pid;

	if (pipe(pipefd) < 0)
		fail("%s: %s", name, strerror(errno));
	pid = fork();
	if (pid < 0)
		fail("%s: %s", name, strerror(errno));
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		execlp("gzip", "gzip", "-dc", "--", name, (char *)NULL);
		fprintf(stderr, "%s: cannot run gzip to unpack it: %s\n",
			name, strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	data = read_fd(pipefd[0], name, size);
	close(pipefd[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		fail("%s: unpacking with gzip failed", name);
	return data;
}

/**
 * read_kernel() - read an arm64 Image, gzip-compressed or not
 * @name:		file name
 * @size:		returns the size of the (unpacked) Image
 * @text_offset:	returns its header's text_offset
 * @image_size:		returns its header's image_size (the memory it
 *			needs from its load address, bss included)
 */
static uint8_t *read_kernel(const char *name, size_t *size,
			    uint64_t *text_offset, uint64_t *image_size)
{
	uint8_t *image;

	image = (uint8_t *)read_file(name, size);
	if (*size >= 2 && image[0] == 0x1f && image[1] == 0x8b) {
		free(image);
		image = (uint8_t *)gunzip_file(name, size);
	}
	if (*size < IMAGE_HEADER_SIZE ||
	    get_le32(image + 56) != IMAGE_MAGIC)
		fail("%s: not an arm64 Linux Image (no \"ARM\\x64\" magic at "
		     "offset 56)", name);
	*text_offset = get_le64(image + 8);
	*image_size = get_le64(image + 16);
	if (get_le64(image + 24) & IMAGE_FLAG_BE)
		fail("%s: a big-endian kernel", name);
	if (*image_size == 0)
		fail("%s: image_size is 0 in its header (a kernel before "
		     "3.17): its memory needs are unknown", name);
	if (*image_size < *size)
		fail("%s: image_size 0x%llx in its header is smaller than "
		     "the file (0x%zx bytes)", name,
		     (unsigned long long)*image_size, *size);
	return image;
}

static bool overlaps(uint64_t a, uint64_t a_size, uint64_t b,
		     uint64_t b_size)
{
	return a < b + b_size && b < a + a_size;
}

/**
 * plan_layout() - place kernel, device tree and initramfs in the cell's RAM
 * @ram_start:		start of the RAM region (guest-physical)
 * @ram_size:		its size
 * @stub:		address of the boot stub (in the region)
 * @text_offset:	from the kernel's header
 * @image_size:		from the kernel's header
 * @dtb_size:		size of the device tree
 * @initrd_size:	size of the initramfs (0: none)
 * @layout:		filled in
 *
 * The kernel goes to the lowest 2 MiB boundary in the region (plus
 * text_offset) whose image_size window misses the stub, the device tree to
 * the next 2 MiB boundary behind the kernel's window (booting.rst: it must
 * not cross a 2 MiB boundary in old kernels; 2 MiB at most), the initramfs
 * to the next page behind it.  Exits with the sizes if they do not fit.
 */
static void plan_layout(uint64_t ram_start, uint64_t ram_size, uint64_t stub,
			uint64_t text_offset, uint64_t image_size,
			uint64_t dtb_size, uint64_t initrd_size,
			struct layout *layout)
{
	uint64_t ram_end = ram_start + ram_size, base, end;

	base = align_up(ram_start, SZ_2M);
	if (overlaps(base + text_offset, image_size, stub,
		     sizeof(struct boot_stub)))
		base = align_up(stub + sizeof(struct boot_stub), SZ_2M);
	layout->stub = stub;
	layout->kernel = base + text_offset;
	layout->kernel_end = layout->kernel + image_size;
	layout->dtb = align_up(layout->kernel_end, SZ_2M);
	layout->initrd = align_up(layout->dtb + dtb_size, SZ_4K);
	end = layout->initrd + initrd_size;
	if (dtb_size > SZ_2M)
		fail("device tree of %llu bytes: the kernel takes 2 MiB at "
		     "most", (unsigned long long)dtb_size);
	if (end > ram_end || end < ram_start ||
	    overlaps(layout->dtb, end - layout->dtb, stub,
		     sizeof(struct boot_stub)))
		fail("the cell's RAM 0x%llx-0x%llx cannot hold kernel "
		     "(0x%llx bytes at 0x%llx), device tree (0x%llx bytes) "
		     "and initramfs (0x%llx bytes) beside the boot stub at "
		     "0x%llx",
		     (unsigned long long)ram_start,
		     (unsigned long long)ram_end - 1,
		     (unsigned long long)image_size,
		     (unsigned long long)layout->kernel,
		     (unsigned long long)dtb_size,
		     (unsigned long long)initrd_size,
		     (unsigned long long)stub);
}

static bool is_ram(const struct jailhouse_memory *mem)
{
	return !(mem->flags & (JAILHOUSE_MEM_IO | JAILHOUSE_MEM_COMM_REGION)) &&
		(mem->flags & JAILHOUSE_MEM_READ) &&
		(mem->flags & JAILHOUSE_MEM_WRITE) && mem->size > 0;
}

static void cell_info(const void *config, struct cell_info *info,
		      const char *name)
{
	const struct jailhouse_cell_desc *desc = config;
	uint64_t reset = desc->cpu_reset_address;
	const uint8_t *p = config;
	unsigned int n;

	info->desc = desc;
	p += sizeof(*desc);
	info->cpu_set = (const uint64_t *)p;
	p += desc->cpu_set_size;
	info->mem = (const struct jailhouse_memory *)p;
	p += desc->num_memory_regions * sizeof(struct jailhouse_memory) +
		desc->num_cache_regions * sizeof(struct jailhouse_cache);
	info->irqchips = (const struct jailhouse_irqchip *)p;

	info->ram = NULL;
	for (n = 0; n < desc->num_memory_regions; n++)
		if (is_ram(&info->mem[n]) &&
		    (info->mem[n].flags & JAILHOUSE_MEM_LOADABLE) &&
		    reset >= info->mem[n].virt_start &&
		    reset - info->mem[n].virt_start < info->mem[n].size)
			info->ram = &info->mem[n];
	if (!info->ram)
		fail("%s: cpu_reset_address 0x%llx is in no loadable RAM "
		     "region of the cell: the boot stub goes there", name,
		     (unsigned long long)reset);
	if (reset % 8 || reset + sizeof(struct boot_stub) >
	    info->ram->virt_start + info->ram->size)
		fail("%s: cpu_reset_address 0x%llx: the boot stub needs %zu "
		     "bytes there, 8-byte aligned", name,
		     (unsigned long long)reset, sizeof(struct boot_stub));
}

static bool cpu_in_set(const struct cell_info *info, unsigned int cpu)
{
	const uint8_t *set = (const uint8_t *)info->cpu_set;

	return cpu / 8 < info->desc->cpu_set_size &&
		(set[cpu / 8] & (1 << (cpu % 8)));
}

/* --- the root's device tree, in /proc/device-tree ----------------------- */

/* A property's value, or NULL if the node has none. */
static void *dt_read(const char *node, const char *prop, size_t *len)
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

static bool dt_has_string(const char *node, const char *prop,
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

static uint32_t dt_cells(const char *node, const char *prop, uint32_t def)
{
	size_t len;
	void *value = dt_read(node, prop, &len);
	uint32_t cells = def;

	if (value && len == 4)
		cells = fdt_be32(value);
	free(value);
	return cells;
}

static uint64_t read_cells(const uint8_t *p, uint32_t num)
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
 * (malloc'ed), or NULL.
 */
static char *dt_find(const char *dir, bool (*match)(const char *node,
						     const void *arg),
		     const void *arg)
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

static bool match_compatible(const char *node, const void *arg)
{
	const char *const *compat;

	for (compat = arg; *compat; compat++)
		if (dt_has_string(node, "compatible", *compat))
			return true;
	return false;
}

static bool match_phandle(const char *node, const void *arg)
{
	uint32_t phandle = dt_cells(node, "phandle", 0);

	return phandle && phandle == *(const uint32_t *)arg;
}

/* A node with a register window starting at @arg (a uint64_t). */
static bool match_reg(const char *node, const void *arg)
{
	char parent[PATH_MAX];
	uint32_t ac;
	size_t len;
	uint8_t *reg;
	bool match;

	format_path(parent, "%s/..", node);
	ac = dt_cells(parent, "#address-cells", 2);
	reg = dt_read(node, "reg", &len);
	match = reg && ac >= 1 && ac <= 2 && len >= ac * 4 &&
		read_cells(reg, ac) == *(const uint64_t *)arg;
	free(reg);
	return match;
}

static char *dt_find_compatible(const char *const *compat)
{
	return dt_find(DT_PATH, match_compatible, compat);
}

/**
 * dt_reg() - a node's register windows as 2 + 2 cells each
 * @node:	node path
 * @max:	at most this many windows
 * @cells:	returns the cells (4 per window), malloc'ed
 *
 * Return: the number of windows.
 */
static unsigned int dt_reg(const char *node, unsigned int max,
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
	if (!reg || ac < 1 || ac > 2 || sc > 2 || len < stride)
		fail("%s: no usable \"reg\" property", node);
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

	snprintf(full, sizeof(full), "%s@%llx", name,
		 (unsigned long long)addr);
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
		if (!is_ram(&info->mem[n]))
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
 * cell does not virtualize.
 */
static void add_gic(struct fdt_node *root)
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
	if (!is_v3 && num < 2)
		fail("%s: a GICv2 without its CPU interface in \"reg\"", node);

	gic = new_node_at(root, "interrupt-controller",
			  (uint64_t)reg[0] << 32 | reg[1]);
	copy_prop(gic, node, "compatible");
	fdt_set_u32(gic, "#interrupt-cells", 3);
	fdt_set_u32(gic, "#address-cells", 2);
	fdt_set_u32(gic, "#size-cells", 2);
	fdt_set_empty(gic, "interrupt-controller");
	fdt_set_cells(gic, "reg", reg, num * 4);
	if (is_v3)
		copy_prop(gic, node, "#redistributor-regions");
	fdt_set_u32(gic, "phandle", PHANDLE_GIC);
	free(reg);
	free(node);
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

/*
 * Clocks of the root's console node, as fixed clocks of the same rates:
 * the cell has no clock controller.
 */
static void add_console_clocks(struct fdt_node *root, struct fdt_node *uart,
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
		snprintf(clk_name, sizeof(clk_name), "clock-%zu", n);
		clk = fdt_new_node(root, clk_name);
		fdt_set_string(clk, "compatible", "fixed-clock");
		fdt_set_u32(clk, "#clock-cells", 0);
		fdt_set_prop(clk, "clock-frequency", rate, 4);
		fdt_set_u32(clk, "phandle", PHANDLE_CLK_BASE + n);
		phandles[n] = PHANDLE_CLK_BASE + n;
		free(rate);
		free(clk_node);
	}
	fdt_set_cells(uart, "clocks", phandles, num);
	copy_prop(uart, node, "clock-names");
	free(phandles);
	free(clocks);
}

/**
 * add_console() - the cell's console, as Documentation/linux-cell.md says
 * @root:	the cell's tree
 * @info:	the cell config
 * @cmdline:	returns the command line naming the console ("" if none)
 * @size:	size of @cmdline
 *
 * A UART the cell shares with the root gets no node (the cell's driver
 * would reprogram the root's UART) but the polled early console.  One the
 * cell owns gets the root's node, with its clocks as fixed clocks.
 */
static void add_console(struct fdt_node *root, const struct cell_info *info,
			char *cmdline, size_t size)
{
	const struct jailhouse_console *con = &info->desc->console;
	const struct jailhouse_memory *region = NULL;
	struct fdt_node *uart, *chosen, *aliases;
	const char *earlycon = console_earlycon(con->type);
	char *node, path[PATH_MAX];
	unsigned int n, num;
	uint64_t addr = con->address;
	uint32_t *reg;

	cmdline[0] = '\0';
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
		snprintf(cmdline, size, "earlycon=%s,mmio32,0x%llx "
			 "keep_bootcon", earlycon, (unsigned long long)addr);
		return;
	}

	/* the root's node of the device, at its physical address */
	addr = region->phys_start + (addr - region->virt_start);
	node = dt_find(DT_PATH, match_reg, &addr);
	if (!node)
		fail("no device at 0x%llx in the root's device tree: cannot "
		     "describe the cell's console", (unsigned long long)addr);
	num = dt_reg(node, 1, &reg);
	reg[0] = con->address >> 32;
	reg[1] = con->address;
	uart = new_node_at(root, "serial", con->address);
	copy_prop(uart, node, "compatible");
	fdt_set_cells(uart, "reg", reg, num * 4);
	copy_prop(uart, node, "interrupts");
	copy_prop(uart, node, "current-speed");
	add_console_clocks(root, uart, node);
	free(reg);
	free(node);

	format_path(path, "/%s", uart->name);
	aliases = fdt_new_node(root, "aliases");
	fdt_set_string(aliases, "serial0", path);
	chosen = fdt_child(root, "chosen");
	fdt_set_string(chosen, "stdout-path", path);
	snprintf(cmdline, size, "console=%s", console_tty(con->type));
}

static struct fdt_node *build_tree(const struct cell_info *info,
				   char *cmdline, size_t size)
{
	struct fdt_node *root = fdt_new_node(NULL, "");

	fdt_set_u32(root, "#address-cells", 2);
	fdt_set_u32(root, "#size-cells", 2);
	fdt_set_string(root, "compatible", "jailhouse,cell");
	fdt_set_string(root, "model", info->desc->name);
	fdt_set_u32(root, "interrupt-parent", PHANDLE_GIC);
	fdt_new_node(root, "chosen");
	add_memory(root, info);
	add_cpus(root, info);
	add_psci(root);
	add_gic(root);
	add_timer(root);
	add_console(root, info, cmdline, size);
	return root;
}

/* The user's tree with the cell's memory in place of its memory nodes. */
static struct fdt_node *patch_tree(const char *name,
				   const struct cell_info *info)
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

static void set_chosen(struct fdt_node *root, const char *cmdline,
		       bool replace, uint64_t initrd, uint64_t initrd_size)
{
	struct fdt_node *chosen = fdt_child(root, "chosen");
	uint32_t cells[2];

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

static void write_file(const char *name, const void *data, size_t size)
{
	const char *p = data;
	ssize_t ret;
	int fd;

	fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		fail("%s: %s", name, strerror(errno));
	while (size > 0) {
		ret = write(fd, p, size);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0)
			fail("%s: %s", name, strerror(errno));
		p += ret;
		size -= ret;
	}
	if (close(fd) < 0)
		fail("%s: %s", name, strerror(errno));
}

static void set_image(struct jailhouse_preload_image *image, const void *src,
		      uint64_t size, uint64_t target)
{
	memset(image, 0, sizeof(*image));
	image->source_address = (unsigned long)src;
	image->size = size;
	image->target_address = target;
}

/*
 * Load and start the cell created from @info; on failure destroy it, so
 * that a failed boot leaves nothing behind.
 */
static void load_and_start(const struct cell_info *info,
			   struct jailhouse_cell_load *load)
{
	struct jailhouse_cell_id cell_id;
	const char *op;
	int fd, err;

	memset(&cell_id, 0, sizeof(cell_id));
	cell_id.id = JAILHOUSE_CELL_ID_UNUSED;
	snprintf(cell_id.name, sizeof(cell_id.name), "%.*s",
		 JAILHOUSE_CELL_NAME_MAXLEN, info->desc->name);
	load->cell_id = cell_id;

	fd = open(JAILHOUSE_ROOT_PREFIX JAILHOUSE_DEVICE, O_RDWR);
	if (fd < 0)
		fail("opening %s: %s", JAILHOUSE_ROOT_PREFIX JAILHOUSE_DEVICE,
		     strerror(errno));
	op = "JAILHOUSE_CELL_LOAD";
	if (ioctl(fd, JAILHOUSE_CELL_LOAD, load) < 0)
		goto destroy;
	op = "JAILHOUSE_CELL_START";
	if (ioctl(fd, JAILHOUSE_CELL_START, &cell_id) < 0)
		goto destroy;
	close(fd);
	return;

destroy:
	err = errno;
	if (ioctl(fd, JAILHOUSE_CELL_DESTROY, &cell_id) < 0)
		fail("%s: %s; destroying the cell failed too: %s", op,
		     strerror(err), strerror(errno));
	fail("%s: %s (the cell is destroyed again)", op, strerror(err));
}

int cmd_cell_linux(int argc, char *argv[])
{
	struct jailhouse_cell_create create;
	struct jailhouse_cell_load *load;
	char default_cmdline[128];
	size_t config_size, kernel_size, initrd_size = 0, dtb_size;
	uint64_t text_offset, image_size, dtb_estimate;
	struct boot_stub stub;
	struct linux_args args;
	struct cell_info info;
	struct layout layout;
	struct fdt_node *root;
	void *config, *dtb;
	uint8_t *kernel;
	char *initrd = NULL;
	unsigned int n;

	parse_args(argc, argv, &args);
	config = read_config(args.config, false, &config_size);
	if (config_size > UINT32_MAX)
		fail("%s: file too large", args.config);
	cell_info(config, &info, args.config);
	kernel = read_kernel(args.kernel, &kernel_size, &text_offset,
			     &image_size);
	if (args.initrd)
		initrd = read_file(args.initrd, &initrd_size);

	if (args.dtb) {
		root = patch_tree(args.dtb, &info);
		default_cmdline[0] = '\0';
	} else {
		root = build_tree(&info, default_cmdline,
				  sizeof(default_cmdline));
	}
	/*
	 * The tree's size depends on the initrd address only through the
	 * values of two fixed-size properties: place with a first version.
	 */
	set_chosen(root, args.cmdline ? args.cmdline : default_cmdline,
		   args.cmdline || !args.dtb, 0, initrd_size);
	dtb = fdt_write(root, &dtb_size);
	free(dtb);
	dtb_estimate = dtb_size;
	plan_layout(info.ram->virt_start, info.ram->size,
		    info.desc->cpu_reset_address, text_offset, image_size,
		    dtb_estimate, initrd_size, &layout);
	set_chosen(root, args.cmdline ? args.cmdline : default_cmdline,
		   args.cmdline || !args.dtb, layout.initrd, initrd_size);
	dtb = fdt_write(root, &dtb_size);
	fdt_free(root);
	if (args.write_dtb)
		write_file(args.write_dtb, dtb, dtb_size);

	for (n = 0; n < 6; n++)
		stub.code[n] = stub_code[n];
	stub.dtb = layout.dtb;
	stub.kernel = layout.kernel;

	printf("boot stub at 0x%llx, kernel at 0x%llx-0x%llx, device tree "
	       "at 0x%llx", (unsigned long long)layout.stub,
	       (unsigned long long)layout.kernel,
	       (unsigned long long)layout.kernel_end - 1,
	       (unsigned long long)layout.dtb);
	if (initrd_size)
		printf(", initramfs at 0x%llx-0x%llx",
		       (unsigned long long)layout.initrd,
		       (unsigned long long)(layout.initrd + initrd_size - 1));
	printf("\n");
	fflush(stdout);

	memset(&create, 0, sizeof(create));
	create.config_address = (unsigned long)config;
	create.config_size = config_size;
	device_ioctl(JAILHOUSE_CELL_CREATE, "JAILHOUSE_CELL_CREATE", &create);

	load = calloc(1, sizeof(*load) + 4 * sizeof(load->image[0]));
	if (!load)
		fail("%s", strerror(ENOMEM));
	set_image(&load->image[0], &stub, sizeof(stub), layout.stub);
	set_image(&load->image[1], kernel, kernel_size, layout.kernel);
	set_image(&load->image[2], dtb, dtb_size, layout.dtb);
	if (initrd_size)
		set_image(&load->image[3], initrd, initrd_size,
			  layout.initrd);
	load->num_preload_images = initrd_size ? 4 : 3;
	load_and_start(&info, load);

	free(load);
	free(dtb);
	free(initrd);
	free(kernel);
	free(config);
	return 0;
}
