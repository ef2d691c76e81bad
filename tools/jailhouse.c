// SPDX-License-Identifier: GPL-2.0
/*
 * jailhouse - the management tool: talks to the driver through
 * /dev/jailhouse and reads its state from sysfs.  Configuration tooling and
 * other scripted commands live in helper programs next to this binary.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jailhouse/ioctl.h>

#include "jailhouse.h"

#ifndef JAILHOUSE_VERSION
#define JAILHOUSE_VERSION	"unknown"
#endif

/* Where installed helper programs (jailhouse-config-*, ...) live. */
#ifndef JAILHOUSE_EXEC_DIR
#define JAILHOUSE_EXEC_DIR	"/usr/libexec/jailhouse"
#endif

#define DEVICE_PATH	JAILHOUSE_ROOT_PREFIX JAILHOUSE_DEVICE
#define SYSFS_PATH	JAILHOUSE_ROOT_PREFIX JAILHOUSE_SYSFS_ROOT
#define CELLS_PATH	SYSFS_PATH "/cells"

#if defined(__aarch64__)
#define ARCH_NAME	"arm64"
#elif defined(__arm__)
#define ARCH_NAME	"arm"
#elif defined(__x86_64__)
#define ARCH_NAME	"x86"
#else
#define ARCH_NAME	"this architecture"
#endif

static const char *progname = "jailhouse";

/*
 * The commands, their arguments and what they do: the source of the
 * general usage and of each command's --help.
 */
static const struct command_help {
	const char *words;
	const char *args;
	const char *text;
} commands[] = {
	{ "enable", "SYSCONFIG",
	  "Start the hypervisor with the system configuration SYSCONFIG\n"
	  "(a .cell file); the running Linux becomes its root cell." },
	{ "disable", "",
	  "Stop the hypervisor, destroying all non-root cells; every CPU\n"
	  "goes back to Linux." },
	{ "console", "[-f | --follow]",
	  "Print the hypervisor's console buffer; with -f, keep printing\n"
	  "what it writes until interrupted." },
	{ "cell create", "CELLCONFIG",
	  "Create a cell from the cell configuration CELLCONFIG: its CPUs\n"
	  "and memory leave the root cell." },
	{ "cell list", "",
	  "List the cells: id, name, state, assigned and failed CPUs." },
	{ "cell load",
	  "{ ID | [--name] NAME } { IMAGE | { -s | --string } \"STRING\" }\n"
	  "[-a | --address ADDRESS] ...",
	  "Stop the cell and copy images, or strings (with their NUL),\n"
	  "into its memory, each at ADDRESS (default 0) of the cell." },
	{ "cell start", "{ ID | [--name] NAME }",
	  "Start (or restart) the cell at its entry point." },
	{ "cell shutdown", "{ ID | [--name] NAME }",
	  "Stop the cell, if it agrees through its communication region." },
	{ "cell destroy", "{ ID | [--name] NAME }",
	  "Destroy the cell: its CPUs and memory return to the root cell." },
	{ "cell stats", "{ ID | [--name] NAME } [-f | --follow]",
	  "Print the cell's exit counters, in sum and per CPU; with -f,\n"
	  "refresh every second with the rate per second." },
	{ "cell linux",
	  "CELLCONFIG KERNEL [-d | --dtb DTB] [-i | --initrd INITRD]\n"
	  "[-c | --cmdline \"CMDLINE\"] [-w | --write-dtb OUT.dtb]",
	  "Create a cell from CELLCONFIG and boot the arm64 Linux Image\n"
	  "KERNEL in it, with a device tree made from the configuration\n"
	  "(or DTB, patched), an initramfs and a command line; -w writes\n"
	  "the device tree given to the cell." },
	{ "config collect", "[FILE.tar.gz]",
	  "Pack what \"config create\" needs from this machine into FILE." },
	{ "config create", "[OPTIONS] FILE",
	  "Draft a system configuration for this machine (--help lists\n"
	  "the options)." },
	{ "config check", "SYSCONFIG [CELLCONFIG ...]",
	  "Check a system configuration and the cells to run with it." },
	{ "config show", "FILE ...",
	  "Print configurations (.cell or .toml) in readable form." },
	{ "config compile", "FILE.toml [-o FILE.cell]",
	  "Compile a configuration's TOML form into a .cell file." },
	{ "config decompile", "FILE.cell [-o FILE.toml]",
	  "Turn a .cell file into its TOML form." },
	{ "hardware check", "",
	  "Check that the CPUs can run the hypervisor; there is no such\n"
	  "check for arm64 yet." },
};

#define NUM_COMMANDS	(sizeof(commands) / sizeof(commands[0]))

/*
 * One command behind @lead; a line break in its arguments continues them
 * under their start.
 */
static void print_command(FILE *out, const char *lead,
			  const struct command_help *cmd)
{
	const char *p;

	fprintf(out, "%s%s", lead, cmd->words);
	if (cmd->args[0])
		fputc(' ', out);
	for (p = cmd->args; *p; p++) {
		fputc(*p, out);
		if (*p == '\n')
			fprintf(out, "%*s", (int)(strlen(lead) +
					strlen(cmd->words) + 1), "");
	}
	fputc('\n', out);
}

void usage(int status)
{
	FILE *out = status ? stderr : stdout;
	unsigned int n;

	fprintf(out, "Usage: %s { COMMAND | --help | --version }\n"
		"\nAvailable commands:\n", progname);
	for (n = 0; n < NUM_COMMANDS; n++)
		print_command(out, "   ", &commands[n]);
	fprintf(out, "\n\"%s COMMAND --help\" describes a command.\n",
		progname);
	exit(status);
}

static bool is_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

/*
 * "jailhouse WORDS --help": the usage of the command WORDS names, or of
 * every command of the group it names ("cell", "config"), on stdout.
 */
static void __attribute__((noreturn)) command_help(const char *words)
{
	const struct command_help *cmd;
	size_t len = strlen(words);
	unsigned int n, found = 0;

	for (n = 0; n < NUM_COMMANDS; n++) {
		cmd = &commands[n];
		if (strncmp(cmd->words, words, len) != 0 ||
		    (cmd->words[len] != '\0' && cmd->words[len] != ' '))
			continue;
		print_command(stdout, found++ ? "       jailhouse " :
			      "Usage: jailhouse ", cmd);
		if (cmd->words[len] == '\0')
			printf("\n%s\n", cmd->text);
	}
	if (!found)
		usage(1);
	exit(0);
}

/* "--help" (or -h) right behind the first @num_words arguments */
static void check_help(int argc, char *argv[], int num_words)
{
	char words[64];

	if (argc <= num_words + 1 || !is_help(argv[num_words + 1]))
		return;
	if (snprintf(words, sizeof(words), "%s%s%s", argv[1],
		     num_words > 1 ? " " : "", num_words > 1 ? argv[2] : "")
	    >= (int)sizeof(words))
		usage(1);
	command_help(words);
}

void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Format a path into a PATH_MAX buffer; a longer one is an error. */
void format_path(char *path, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(path, PATH_MAX, fmt, ap);
	va_end(ap);
	if (len < 0 || len >= PATH_MAX)
		fail("path too long: %s...", path);
}

static bool match_opt(const char *arg, const char *short_opt,
		      const char *long_opt)
{
	return strcmp(arg, short_opt) == 0 || strcmp(arg, long_opt) == 0;
}

/**
 * read_fd() - read everything from a file descriptor
 * @fd:		open file
 * @name:	file name for error messages
 * @size:	returns the number of bytes read
 *
 * Works for files whose size stat() does not know (sysfs, pipes).  The
 * buffer gets one extra NUL byte so that text can be used as a string.
 * Exits with a message naming the file on failure.
 */
char *read_fd(int fd, const char *name, size_t *size)
{
	size_t len = 0, cap = 4096;
	char *buf = NULL, *grown;
	ssize_t ret;

	for (;;) {
		if (!buf || len + 1 >= cap) {
			if (buf)
				cap *= 2;
			grown = realloc(buf, cap);
			if (!grown)
				fail("%s: %s", name, strerror(ENOMEM));
			buf = grown;
		}
		ret = read(fd, buf + len, cap - len - 1);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			fail("%s: %s", name, strerror(errno));
		}
		if (ret == 0)
			break;
		len += ret;
	}
	buf[len] = '\0';
	*size = len;
	return buf;
}

char *read_file(const char *name, size_t *size)
{
	struct stat st;
	char *buf;
	int fd;

	fd = open(name, O_RDONLY);
	if (fd < 0)
		fail("%s: %s", name, strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
		fail("%s: %s", name, strerror(EISDIR));
	buf = read_fd(fd, name, size);
	close(fd);
	return buf;
}

/*
 * Read a one-line sysfs attribute without its newline.  Returns NULL with
 * errno set if it cannot be opened, so that callers decide how to report.
 */
static char *read_sysfs_attr(const char *path)
{
	size_t len;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	buf = read_fd(fd, path, &len);
	close(fd);
	while (len > 0 && isspace((unsigned char)buf[len - 1]))
		buf[--len] = '\0';
	return buf;
}

static int open_device(void)
{
	int fd = open(DEVICE_PATH, O_RDWR);

	if (fd < 0)
		fail("opening %s: %s", DEVICE_PATH, strerror(errno));
	return fd;
}

void device_ioctl(unsigned long request, const char *op, void *arg)
{
	int fd = open_device();

	if (ioctl(fd, request, arg) < 0)
		fail("%s: %s", op, strerror(errno));
	close(fd);
}

/**
 * read_config() - read a configuration file and check its frame
 * @name:	file name
 * @system:	true for a system configuration, false for a cell's
 * @size:	returns the file size
 *
 * The driver validates every configuration, but JAILHOUSE_ENABLE passes it
 * only a pointer: the driver learns the size from the header and cannot
 * tell a truncated file.  So the tool checks what it needs to trust the
 * size computed from the header (signature and revision, which fix the
 * layout) and that the file holds that many bytes.  Everything else, the
 * architecture included, is left to the driver.
 */
void *read_config(const char *name, bool system, size_t *size)
{
	const char *signature = system ? JAILHOUSE_SYSTEM_SIGNATURE :
					 JAILHOUSE_CELL_DESC_SIGNATURE;
	const char *kind = system ? "system" : "cell";
	size_t header_size = system ? sizeof(struct jailhouse_system) :
				      sizeof(struct jailhouse_cell_desc);
	const struct jailhouse_cell_desc *cell;
	uint64_t needed;
	char *buf;

	buf = read_file(name, size);
	/* Both headers start with signature and revision at the same place */
	cell = (const struct jailhouse_cell_desc *)buf;
	if (*size < offsetof(struct jailhouse_cell_desc, name) ||
	    memcmp(cell->signature, signature, JAILHOUSE_SIGNATURE_SIZE) != 0)
		fail("%s: not a %s configuration: wrong signature "
		     "(expected \"%s\")", name, kind, signature);
	if (cell->revision != JAILHOUSE_CONFIG_REVISION)
		fail("%s: configuration revision %u, this tool supports "
		     "revision %u", name, cell->revision,
		     JAILHOUSE_CONFIG_REVISION);
	if (*size < header_size)
		fail("%s: truncated %s configuration: %zu bytes, shorter than "
		     "its header (%zu bytes)", name, kind, *size, header_size);

	/* Sum in 64 bits: the counts come from an untrusted file. */
	if (system)
		cell = &((const struct jailhouse_system *)buf)->root_cell;
	needed = (uint64_t)header_size + cell->cpu_set_size +
		(uint64_t)cell->num_memory_regions *
			sizeof(struct jailhouse_memory) +
		(uint64_t)cell->num_cache_regions *
			sizeof(struct jailhouse_cache) +
		(uint64_t)cell->num_irqchips *
			sizeof(struct jailhouse_irqchip) +
		(uint64_t)cell->num_pio_regions * sizeof(struct jailhouse_pio) +
		(uint64_t)cell->num_pci_devices *
			sizeof(struct jailhouse_pci_device) +
		(uint64_t)cell->num_pci_caps *
			sizeof(struct jailhouse_pci_capability) +
		(uint64_t)cell->num_stream_ids *
			sizeof(union jailhouse_stream_id);
	if (needed > *size)
		fail("%s: truncated %s configuration: its header describes "
		     "%llu bytes, the file has %zu", name, kind,
		     (unsigned long long)needed, *size);
	return buf;
}

static int cmd_enable(int argc, char *argv[])
{
	size_t size;
	int fd;
	void *config;

	if (argc != 3)
		usage(1);
	config = read_config(argv[2], true, &size);
	fd = open_device();
	/* the errno alone rarely says which part of the config is wrong */
	if (ioctl(fd, JAILHOUSE_ENABLE, config) < 0)
		fail("JAILHOUSE_ENABLE: %s (why: the kernel log, \"dmesg\", "
		     "and the hypervisor's output, \"jailhouse console\")",
		     strerror(errno));
	close(fd);
	free(config);
	return 0;
}

static int cmd_disable(int argc, char *argv[])
{
	(void)argv;
	if (argc != 2)
		usage(1);
	device_ioctl(JAILHOUSE_DISABLE, "JAILHOUSE_DISABLE", NULL);
	return 0;
}

static void write_all(int fd, const char *buf, size_t len)
{
	ssize_t ret;

	while (len > 0) {
		ret = write(fd, buf, len);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			fail("writing output: %s", strerror(errno));
		}
		buf += ret;
		len -= ret;
	}
}

static int cmd_console(int argc, char *argv[])
{
	bool follow = false;
	char buf[4096];
	ssize_t ret;
	int fd;

	if (argc == 3 && match_opt(argv[2], "-f", "--follow"))
		follow = true;
	else if (argc != 2)
		usage(1);

	/*
	 * read() on the device returns what the hypervisor has written since
	 * the last read, the buffer's content at first.  Without -f it does
	 * not wait: 0 (end of file) once nothing new is left.
	 */
	fd = open(DEVICE_PATH, O_RDONLY | (follow ? 0 : O_NONBLOCK));
	if (fd < 0)
		fail("opening %s: %s", DEVICE_PATH, strerror(errno));
	for (;;) {
		ret = read(fd, buf, sizeof(buf));
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			fail("reading %s: %s", DEVICE_PATH, strerror(errno));
		}
		if (ret == 0)
			break;
		write_all(STDOUT_FILENO, buf, ret);
	}
	close(fd);
	return 0;
}

/**
 * parse_cell_id() - parse "ID", "NAME" or "--name NAME"
 * @argc:	argument count
 * @argv:	arguments
 * @arg:	index of the first argument of the cell reference; advanced
 *		behind it
 * @cell_id:	filled in for the driver
 *
 * A purely numeric argument is an id; a cell whose name is a number is
 * named with --name.
 */
static void parse_cell_id(int argc, char *argv[], int *arg,
			  struct jailhouse_cell_id *cell_id)
{
	const char *ref;
	bool by_name = false;
	char *end;
	long id;

	if (*arg >= argc)
		usage(1);
	if (strcmp(argv[*arg], "--name") == 0) {
		by_name = true;
		(*arg)++;
		if (*arg >= argc)
			usage(1);
	}
	ref = argv[(*arg)++];

	memset(cell_id, 0, sizeof(*cell_id));
	if (!by_name && isdigit((unsigned char)ref[0])) {
		errno = 0;
		id = strtol(ref, &end, 10);
		if (*end == '\0') {
			if (errno || id > INT32_MAX)
				fail("invalid cell id: %s", ref);
			cell_id->id = id;
			return;
		}
	}
	if (ref[0] == '\0')
		fail("empty cell name");
	if (strlen(ref) > JAILHOUSE_CELL_NAME_MAXLEN)
		fail("cell name too long (at most %d characters): %s",
		     JAILHOUSE_CELL_NAME_MAXLEN, ref);
	cell_id->id = JAILHOUSE_CELL_ID_UNUSED;
	strcpy(cell_id->name, ref);
}

static int cell_create(int argc, char *argv[])
{
	struct jailhouse_cell_create create;
	size_t size;
	void *config;

	if (argc != 4)
		usage(1);
	config = read_config(argv[3], false, &size);
	if (size > UINT32_MAX)
		fail("%s: file too large", argv[3]);
	memset(&create, 0, sizeof(create));
	create.config_address = (unsigned long)config;
	create.config_size = size;
	device_ioctl(JAILHOUSE_CELL_CREATE, "JAILHOUSE_CELL_CREATE", &create);
	free(config);
	return 0;
}

uint64_t parse_address(const char *str)
{
	unsigned long long addr;
	char *end;

	errno = 0;
	addr = strtoull(str, &end, 0);
	if (str[0] == '\0' || str[0] == '-' || *end != '\0' || errno)
		fail("invalid address: %s", str);
	return addr;
}

/*
 * "cell load" with images and strings, or "cell shutdown": the driver
 * treats a load without images as a shutdown request.
 */
static int cell_load(int argc, char *argv[], bool shutdown)
{
	struct jailhouse_preload_image *image;
	struct jailhouse_cell_load *load, *grown;
	unsigned int num_images = 0, n;
	char **buffers;
	size_t size;
	int arg = 3;
	int first;

	load = calloc(1, sizeof(*load));
	if (!load)
		fail("%s", strerror(ENOMEM));
	parse_cell_id(argc, argv, &arg, &load->cell_id);

	if (shutdown) {
		if (arg != argc)
			usage(1);
		device_ioctl(JAILHOUSE_CELL_LOAD, "JAILHOUSE_CELL_LOAD", load);
		free(load);
		return 0;
	}

	/* Check the whole command line before reading any image. */
	first = arg;
	while (arg < argc) {
		if (match_opt(argv[arg], "-s", "--string")) {
			if (++arg >= argc)
				usage(1);
		} else if (argv[arg][0] == '-') {
			usage(1);
		}
		arg++;
		if (arg < argc && match_opt(argv[arg], "-a", "--address")) {
			if (++arg >= argc)
				usage(1);
			parse_address(argv[arg++]);
		}
		num_images++;
	}
	if (num_images == 0)
		usage(1);

	grown = realloc(load, sizeof(*load) + num_images * sizeof(*image));
	buffers = calloc(num_images, sizeof(*buffers));
	if (!grown || !buffers)
		fail("%s", strerror(ENOMEM));
	load = grown;
	load->num_preload_images = num_images;

	arg = first;
	for (n = 0; n < num_images; n++) {
		image = &load->image[n];
		memset(image, 0, sizeof(*image));
		if (match_opt(argv[arg], "-s", "--string")) {
			arg++;
			/* The NUL goes along: the cell parses a C string. */
			image->source_address = (unsigned long)argv[arg];
			image->size = strlen(argv[arg]) + 1;
		} else {
			buffers[n] = read_file(argv[arg], &size);
			image->source_address = (unsigned long)buffers[n];
			image->size = size;
		}
		arg++;
		if (arg < argc && match_opt(argv[arg], "-a", "--address")) {
			image->target_address = parse_address(argv[arg + 1]);
			arg += 2;
		}
	}

	device_ioctl(JAILHOUSE_CELL_LOAD, "JAILHOUSE_CELL_LOAD", load);

	for (n = 0; n < num_images; n++)
		free(buffers[n]);
	free(buffers);
	free(load);
	return 0;
}

static int cell_simple(int argc, char *argv[], unsigned long request,
		       const char *op)
{
	struct jailhouse_cell_id cell_id;
	int arg = 3;

	parse_cell_id(argc, argv, &arg, &cell_id);
	if (arg != argc)
		usage(1);
	device_ioctl(request, op, &cell_id);
	return 0;
}

static int compare_uint(const void *a, const void *b)
{
	unsigned int ua = *(const unsigned int *)a;
	unsigned int ub = *(const unsigned int *)b;

	return ua < ub ? -1 : ua > ub;
}

/* Cell directories in sysfs, as ids sorted ascending. */
static unsigned int list_cells(unsigned int **ids)
{
	unsigned int count = 0, cap = 0;
	unsigned int *grown;
	struct dirent *ent;
	char *end;
	long id;
	DIR *dir;

	*ids = NULL;
	dir = opendir(CELLS_PATH);
	if (!dir) {
		if (errno == ENOENT && access(SYSFS_PATH, F_OK) == 0)
			/* driver loaded, hypervisor disabled */
			return 0;
		if (errno == ENOENT)
			fail("%s: %s (is the jailhouse driver loaded?)",
			     SYSFS_PATH, strerror(errno));
		fail("%s: %s", CELLS_PATH, strerror(errno));
	}
	while ((ent = readdir(dir)) != NULL) {
		if (!isdigit((unsigned char)ent->d_name[0]))
			continue;
		id = strtol(ent->d_name, &end, 10);
		if (*end != '\0')
			continue;
		if (count == cap) {
			cap = cap ? cap * 2 : 8;
			grown = realloc(*ids, cap * sizeof(**ids));
			if (!grown)
				fail("%s", strerror(ENOMEM));
			*ids = grown;
		}
		(*ids)[count++] = id;
	}
	closedir(dir);
	qsort(*ids, count, sizeof(**ids), compare_uint);
	return count;
}

static char *cell_attr(unsigned int id, const char *attr)
{
	char path[PATH_MAX];
	char *value;

	format_path(path, CELLS_PATH "/%u/%s", id, attr);
	value = read_sysfs_attr(path);
	if (!value)
		fail("%s: %s", path, strerror(errno));
	return value;
}

#define LIST_COLUMNS	5

/*
 * One line of "cell list": columns padded to their widths, at least one
 * blank between two, none behind the last non-empty one.
 */
static void print_row(const char *const columns[LIST_COLUMNS])
{
	static const int widths[LIST_COLUMNS - 1] = { 8, 24, 18, 24 };
	int n, last = LIST_COLUMNS - 1, len;

	while (last > 0 && columns[last][0] == '\0')
		last--;
	for (n = 0; n < last; n++) {
		len = strlen(columns[n]);
		printf("%s%*s", columns[n], len < widths[n] ?
		       widths[n] - len : 1, "");
	}
	printf("%s\n", columns[last]);
}

static int cell_list(int argc, char *argv[])
{
	static const char *const header[LIST_COLUMNS] = {
		"ID", "Name", "State", "Assigned CPUs", "Failed CPUs",
	};
	static const char *const attrs[LIST_COLUMNS - 1] = {
		"name", "state", "cpus_assigned_list", "cpus_failed_list",
	};
	char *columns[LIST_COLUMNS];
	unsigned int *ids, count, n, c;
	char idstr[16];

	(void)argv;
	if (argc != 3)
		usage(1);
	count = list_cells(&ids);

	print_row(header);
	for (n = 0; n < count; n++) {
		snprintf(idstr, sizeof(idstr), "%u", ids[n]);
		columns[0] = idstr;
		for (c = 1; c < LIST_COLUMNS; c++)
			columns[c] = cell_attr(ids[n], attrs[c - 1]);
		print_row((const char *const *)columns);
		for (c = 1; c < LIST_COLUMNS; c++)
			free(columns[c]);
	}
	free(ids);
	return 0;
}

/*
 * Find a cell's sysfs directory by the id or name the user gave.  Returns
 * its id.
 */
static unsigned int resolve_cell(const struct jailhouse_cell_id *cell_id)
{
	unsigned int *ids, count, n, id;
	char *name;

	count = list_cells(&ids);
	for (n = 0; n < count; n++) {
		id = ids[n];
		if (cell_id->id != JAILHOUSE_CELL_ID_UNUSED) {
			if (id == (unsigned int)cell_id->id)
				goto found;
			continue;
		}
		name = cell_attr(id, "name");
		if (strcmp(name, cell_id->name) == 0) {
			free(name);
			goto found;
		}
		free(name);
	}
	free(ids);
	if (cell_id->id != JAILHOUSE_CELL_ID_UNUSED)
		fail("cell %d: %s", cell_id->id, strerror(ENOENT));
	fail("cell \"%s\": %s", cell_id->name, strerror(ENOENT));

found:
	free(ids);
	return id;
}

/* Counters in the order of the ABI's statistics numbers. */
static const char *const known_counters[] = {
	"vmexits_total", "vmexits_mmio", "vmexits_management",
	"vmexits_hypercall",
	"vmexits_maintenance", "vmexits_virt_irq", "vmexits_virt_sgi",
	"vmexits_psci", "vmexits_smccc",
	"vmexits_pio", "vmexits_xapic", "vmexits_cr", "vmexits_cpuid",
	"vmexits_xsetbv", "vmexits_exception", "vmexits_msr_other",
	"vmexits_msr_x2apic_icr",
};

#define NUM_KNOWN_COUNTERS \
	(sizeof(known_counters) / sizeof(known_counters[0]))

static int counter_rank(const char *name)
{
	unsigned int n;

	for (n = 0; n < NUM_KNOWN_COUNTERS; n++)
		if (strcmp(name, known_counters[n]) == 0)
			return n;
	return NUM_KNOWN_COUNTERS;
}

static int compare_counters(const void *a, const void *b)
{
	const char *const *ca = a, *const *cb = b;
	int ra = counter_rank(*ca), rb = counter_rank(*cb);

	if (ra != rb)
		return ra - rb;
	return strcmp(*ca, *cb);
}

struct stats {
	unsigned int num_counters, num_cpus;
	char **names;
	unsigned int *cpus;
	/* [counter][0] is the sum, [counter][1 + n] CPU cpus[n]'s value */
	unsigned long long *values;
};

static unsigned long long read_counter(const char *path)
{
	unsigned long long value;
	char *text, *end;

	text = read_sysfs_attr(path);
	if (!text)
		fail("%s: %s", path, strerror(errno));
	errno = 0;
	value = strtoull(text, &end, 10);
	if (text[0] == '\0' || *end != '\0' || errno)
		fail("%s: not a number: %s", path, text);
	free(text);
	return value;
}

/**
 * read_stats() - read a cell's counters from sysfs
 * @id:		cell id
 * @stats:	filled in; free with free_stats()
 *
 * Returns false if the cell is gone.
 */
static bool read_stats(unsigned int id, struct stats *stats)
{
	unsigned int c, n, cols;
	char dir_path[PATH_MAX], path[PATH_MAX];
	unsigned long long *value;
	struct dirent *ent;
	struct stat st;
	void *grown;
	DIR *dir;

	memset(stats, 0, sizeof(*stats));
	format_path(dir_path, CELLS_PATH "/%u/statistics", id);
	dir = opendir(dir_path);
	if (!dir) {
		if (errno == ENOENT)
			return false;
		fail("%s: %s", dir_path, strerror(errno));
	}
	while ((ent = readdir(dir)) != NULL) {
		if (ent->d_name[0] == '.')
			continue;
		format_path(path, "%s/%s", dir_path, ent->d_name);
		if (stat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (strncmp(ent->d_name, "cpu", 3) != 0 ||
			    !isdigit((unsigned char)ent->d_name[3]))
				continue;
			grown = realloc(stats->cpus, (stats->num_cpus + 1) *
					sizeof(*stats->cpus));
			if (!grown)
				fail("%s", strerror(ENOMEM));
			stats->cpus = grown;
			stats->cpus[stats->num_cpus++] =
				strtoul(ent->d_name + 3, NULL, 10);
		} else {
			grown = realloc(stats->names,
					(stats->num_counters + 1) *
					sizeof(*stats->names));
			if (!grown)
				fail("%s", strerror(ENOMEM));
			stats->names = grown;
			stats->names[stats->num_counters] =
				strdup(ent->d_name);
			if (!stats->names[stats->num_counters++])
				fail("%s", strerror(ENOMEM));
		}
	}
	closedir(dir);
	qsort(stats->names, stats->num_counters, sizeof(*stats->names),
	      compare_counters);
	qsort(stats->cpus, stats->num_cpus, sizeof(*stats->cpus),
	      compare_uint);

	cols = 1 + stats->num_cpus;
	stats->values = calloc((size_t)stats->num_counters * cols,
			       sizeof(*stats->values));
	if (!stats->values && stats->num_counters)
		fail("%s", strerror(ENOMEM));
	/*
	 * The counters run while they are read: the sum shown is that of
	 * the CPU values shown, not the summed file read a moment earlier.
	 */
	for (c = 0; c < stats->num_counters; c++) {
		value = &stats->values[c * cols];
		if (stats->num_cpus == 0) {
			format_path(path, "%s/%s", dir_path, stats->names[c]);
			*value = read_counter(path);
		}
		for (n = 0; n < stats->num_cpus; n++) {
			format_path(path, "%s/cpu%u/%s", dir_path,
				    stats->cpus[n], stats->names[c]);
			value[1 + n] = read_counter(path);
			*value += value[1 + n];
		}
	}
	return true;
}

static void free_stats(struct stats *stats)
{
	unsigned int c;

	for (c = 0; c < stats->num_counters; c++)
		free(stats->names[c]);
	free(stats->names);
	free(stats->cpus);
	free(stats->values);
}

/*
 * Print the counters: the sum over the cell's CPUs, with -f the increase
 * of the sum per second, then each CPU's value.
 */
static void print_stats(const char *name, const struct stats *stats,
			const struct stats *prev)
{
	unsigned int c, n, p, cols = 1 + stats->num_cpus;
	unsigned long long now, before;
	char head[16];

	printf("Statistics for %s cell\n\n", name);
	printf("%-28s%12s", "COUNTER", "SUM");
	if (prev)
		printf("%10s", "PER SEC");
	for (n = 0; n < stats->num_cpus; n++) {
		snprintf(head, sizeof(head), "CPU%u", stats->cpus[n]);
		printf("%12s", head);
	}
	printf("\n");

	for (c = 0; c < stats->num_counters; c++) {
		printf("%-28s%12llu", stats->names[c], stats->values[c * cols]);
		if (prev) {
			now = stats->values[c * cols];
			before = now;
			for (p = 0; p < prev->num_counters; p++)
				if (strcmp(prev->names[p],
					   stats->names[c]) == 0)
					before = prev->values[p *
						(1 + prev->num_cpus)];
			printf("%10llu", now >= before ? now - before : 0);
		}
		for (n = 0; n < stats->num_cpus; n++)
			printf("%12llu", stats->values[c * cols + 1 + n]);
		printf("\n");
	}
}

static int cell_stats(int argc, char *argv[])
{
	struct jailhouse_cell_id cell_id;
	struct stats stats, prev;
	bool follow = false;
	unsigned int id;
	int arg = 3;
	char *name;

	if (arg < argc && match_opt(argv[arg], "-f", "--follow")) {
		follow = true;
		arg++;
	}
	parse_cell_id(argc, argv, &arg, &cell_id);
	if (arg < argc && !follow && match_opt(argv[arg], "-f", "--follow")) {
		follow = true;
		arg++;
	}
	if (arg != argc)
		usage(1);

	id = resolve_cell(&cell_id);
	name = cell_attr(id, "name");
	if (!read_stats(id, &stats))
		fail("cell \"%s\" has no statistics", name);
	if (!follow) {
		print_stats(name, &stats, NULL);
		free_stats(&stats);
		free(name);
		return 0;
	}

	/* Refresh every second until interrupted or the cell is gone. */
	for (;;) {
		prev = stats;
		sleep(1);
		if (!read_stats(id, &stats)) {
			free_stats(&prev);
			fail("cell \"%s\" was destroyed", name);
		}
		printf("\033[H\033[2J");
		print_stats(name, &stats, &prev);
		fflush(stdout);
		free_stats(&prev);
	}
}

static bool is_executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		access(path, X_OK) == 0;
}

/**
 * run_helper() - run a helper program for a scripted command
 * @helper:	program name, like "jailhouse-config-create"
 * @argc:	number of arguments for it
 * @argv:	its arguments (argv[0] is replaced)
 * @missing:	message if no helper is installed, NULL for a generic one
 *
 * Helpers are looked up next to this binary (the build tree, or an
 * installation into one directory) and then in JAILHOUSE_EXEC_DIR.
 */
static int run_helper(const char *helper, int argc, char *argv[],
		      const char *missing)
{
	char self[PATH_MAX], path[2][PATH_MAX];
	unsigned int n, num_paths = 0;
	const char *p;
	char **args;
	ssize_t len;

	for (p = helper; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p)
		    && *p != '-' && *p != '_')
			fail("invalid command name: %s", helper);

	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len > 0) {
		self[len] = '\0';
		format_path(path[num_paths++], "%s/%s", dirname(self),
			    helper);
	}
	format_path(path[num_paths++], "%s/%s", JAILHOUSE_EXEC_DIR, helper);

	args = calloc(argc + 1, sizeof(*args));
	if (!args)
		fail("%s", strerror(ENOMEM));
	memcpy(args, argv, argc * sizeof(*args));

	for (n = 0; n < num_paths; n++) {
		if (!is_executable(path[n]))
			continue;
		args[0] = path[n];
		execv(path[n], args);
		/* The file is there: a script whose interpreter is not. */
		if (errno == ENOENT)
			fail("%s: cannot run it, its interpreter is missing "
			     "(the config tools need python3)", path[n]);
		fail("%s: %s", path[n], strerror(errno));
	}
	if (missing)
		fail("%s", missing);
	fail("%s not found (looked for %s%s%s)", helper, path[0],
	     num_paths > 1 ? " and " : "", num_paths > 1 ? path[1] : "");
}

static int cmd_cell(int argc, char *argv[])
{
	const char *sub;

	if (argc < 3)
		usage(1);
	sub = argv[2];

	if (strcmp(sub, "create") == 0)
		return cell_create(argc, argv);
	if (strcmp(sub, "list") == 0)
		return cell_list(argc, argv);
	if (strcmp(sub, "load") == 0)
		return cell_load(argc, argv, false);
	if (strcmp(sub, "shutdown") == 0)
		return cell_load(argc, argv, true);
	if (strcmp(sub, "start") == 0)
		return cell_simple(argc, argv, JAILHOUSE_CELL_START,
				   "JAILHOUSE_CELL_START");
	if (strcmp(sub, "destroy") == 0)
		return cell_simple(argc, argv, JAILHOUSE_CELL_DESTROY,
				   "JAILHOUSE_CELL_DESTROY");
	if (strcmp(sub, "stats") == 0)
		return cell_stats(argc, argv);
	if (strcmp(sub, "linux") == 0)
		return cmd_cell_linux(argc, argv);
	usage(1);
}

static int cmd_config(int argc, char *argv[])
{
	char helper[64];

	if (argc < 3 || argv[2][0] == '-')
		usage(1);
	if (snprintf(helper, sizeof(helper), "jailhouse-config-%s",
		     argv[2]) >= (int)sizeof(helper))
		fail("invalid command name: %s", argv[2]);
	return run_helper(helper, argc - 2, argv + 2, NULL);
}

static int cmd_hardware(int argc, char *argv[])
{
	if (argc != 3 || strcmp(argv[2], "check") != 0)
		usage(1);
	return run_helper("jailhouse-hardware-check", argc - 2, argv + 2,
			  "hardware check: not supported on " ARCH_NAME
			  " yet");
}

int main(int argc, char *argv[])
{
	const char *cmd;

	if (argc < 2)
		usage(1);
	cmd = argv[1];

	if (is_help(cmd))
		usage(0);
	if (match_opt(cmd, "-V", "--version")) {
		printf("Jailhouse management tool %s\n", JAILHOUSE_VERSION);
		return 0;
	}
	check_help(argc, argv, 1);
	if (strcmp(cmd, "enable") == 0)
		return cmd_enable(argc, argv);
	if (strcmp(cmd, "disable") == 0)
		return cmd_disable(argc, argv);
	if (strcmp(cmd, "console") == 0)
		return cmd_console(argc, argv);
	/* "config SUB --help" is the helper's to answer */
	if (strcmp(cmd, "config") == 0)
		return cmd_config(argc, argv);
	check_help(argc, argv, 2);
	if (strcmp(cmd, "cell") == 0)
		return cmd_cell(argc, argv);
	if (strcmp(cmd, "hardware") == 0)
		return cmd_hardware(argc, argv);
	usage(1);
}
