// SPDX-License-Identifier: GPL-2.0
/*
 * jailhouse cell linux: boot an arm64 Linux kernel in a new cell.
 *
 * Creates the cell, loads a boot stub, the kernel, its device tree and an
 * initramfs into the cell's RAM as Documentation/arm64/booting.rst wants
 * them, and starts the cell.  The device tree comes from cell-dt.c.
 * Documentation/linux-cell.md explains the choices.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jailhouse/ioctl.h>

#include "cell-linux.h"
#include "jailhouse.h"

#define SZ_4K		0x1000ULL
#define SZ_2M		0x200000ULL

/* Documentation/arm64/booting.rst: the header of an Image */
#define IMAGE_MAGIC		0x644d5241	/* "ARM\x64" */
#define IMAGE_HEADER_SIZE	64
#define IMAGE_FLAG_BE		0x1

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

bool is_ram(const struct jailhouse_memory *mem)
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
	p += desc->num_irqchips * sizeof(struct jailhouse_irqchip) +
		desc->num_pio_regions * sizeof(struct jailhouse_pio);
	info->pci = (const struct jailhouse_pci_device *)p;

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

bool cpu_in_set(const struct cell_info *info, unsigned int cpu)
{
	const uint8_t *set = (const uint8_t *)info->cpu_set;

	return cpu / 8 < info->desc->cpu_set_size &&
		(set[cpu / 8] & (1 << (cpu % 8)));
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
