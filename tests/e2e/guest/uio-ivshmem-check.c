// SPDX-License-Identifier: GPL-2.0
/*
 * uio-ivshmem-check /dev/uioN: what test_ivshmem_root.py asks of a device
 * of uio_ivshmem.ko, printed one fact a line for the test to judge:
 *
 *   map N NAME SIZE shared-rw=R shared-ro=R mprotect-rw=R private=R
 *	for each map, R "ok" or the errno's name: a shared read/write
 *	mapping, a shared read-only one, that one made writable with
 *	mprotect(), and a private mapping
 *   alias ok|differs
 *	a word written through "output_section" reads back through
 *	"input_sections" at this peer's slot (id from the registers)
 *   doorbell interrupts=N int_ctrl=V
 *	after ringing this peer's own doorbell: the interrupts read() counts
 *	within a second, and the interrupt control register then (0 once
 *	one-shot mode disabled it)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <jailhouse/ivshmem.h>

#define MAX_MAPS	5

struct map {
	char name[32];
	size_t size;
};

static const char *uio;
static int fd;
static struct map maps[MAX_MAPS];
static unsigned int num_maps;

static const char *result(int err)
{
	switch (err) {
	case 0:
		return "ok";
	case EACCES:
		return "EACCES";
	case EINVAL:
		return "EINVAL";
	case EPERM:
		return "EPERM";
	default:
		return strerror(err);
	}
}

static int read_map_attr(unsigned int n, const char *attr, char *buf,
			 size_t size)
{
	char path[128];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/sys/class/uio/%s/maps/map%u/%s",
		 uio, n, attr);
	f = fopen(path, "r");
	if (!f)
		return 0;
	ok = fgets(buf, size, f) != NULL;
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

static void read_maps(void)
{
	char buf[64];

	for (num_maps = 0; num_maps < MAX_MAPS; num_maps++) {
		if (!read_map_attr(num_maps, "name", maps[num_maps].name,
				   sizeof(maps[num_maps].name)) ||
		    !read_map_attr(num_maps, "size", buf, sizeof(buf)))
			break;
		maps[num_maps].size = strtoull(buf, NULL, 0);
	}
}

static void *map(unsigned int n, int prot, int flags, int *err)
{
	void *addr = mmap(NULL, maps[n].size, prot, flags, fd,
			  (off_t)n * getpagesize());

	*err = addr == MAP_FAILED ? errno : 0;
	return addr == MAP_FAILED ? NULL : addr;
}

static int index_of(const char *name)
{
	unsigned int n;

	for (n = 0; n < num_maps; n++)
		if (strcmp(maps[n].name, name) == 0)
			return n;
	return -1;
}

static void *find(const char *name, int prot)
{
	int n = index_of(name), err;

	return n < 0 ? NULL : map(n, prot, MAP_SHARED, &err);
}

static void check_rights(unsigned int n)
{
	int rw, ro, mp = -1, priv;
	void *addr;

	addr = map(n, PROT_READ | PROT_WRITE, MAP_SHARED, &rw);
	if (addr)
		munmap(addr, maps[n].size);
	addr = map(n, PROT_READ, MAP_SHARED, &ro);
	if (addr) {
		mp = mprotect(addr, maps[n].size, PROT_READ | PROT_WRITE) ?
			errno : 0;
		munmap(addr, maps[n].size);
	}
	addr = map(n, PROT_READ, MAP_PRIVATE, &priv);
	if (addr)
		munmap(addr, maps[n].size);
	printf("map %u %s %#zx shared-rw=%s shared-ro=%s mprotect-rw=%s private=%s\n",
	       n, maps[n].name, maps[n].size, result(rw), result(ro),
	       mp < 0 ? "-" : result(mp), result(priv));
}

static void check_alias(volatile uint32_t *regs)
{
	volatile uint32_t *out = find("output_section", PROT_READ | PROT_WRITE);
	const volatile uint32_t *in = find("input_sections", PROT_READ);
	size_t slot;
	uint32_t value = 0x600d0000 | (getpid() & 0xffff);

	if (!out || !in) {
		printf("alias no-maps\n");
		return;
	}
	slot = regs[IVSHMEM_REG_ID / 4] *
		(maps[index_of("output_section")].size / 4);
	out[0] = value;
	printf("alias %s\n", in[slot] == value ? "ok" : "differs");
}

static void check_doorbell(volatile uint32_t *regs)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint32_t on = 1, before = 0, after = 0;
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/uio/%s/event", uio);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%u", &before) != 1) {
		printf("doorbell no-event-count\n");
		return;
	}
	fclose(f);
	if (write(fd, &on, sizeof(on)) != sizeof(on)) {
		printf("doorbell irqcontrol=%s\n", result(errno));
		return;
	}
	regs[IVSHMEM_REG_DOORBELL / 4] =
		IVSHMEM_DOORBELL(regs[IVSHMEM_REG_ID / 4], 0);
	if (poll(&pfd, 1, 1000) == 1 &&
	    read(fd, &after, sizeof(after)) != sizeof(after))
		after = before;
	printf("doorbell interrupts=%u int_ctrl=%u\n",
	       after ? after - before : 0, regs[IVSHMEM_REG_INT_CTRL / 4]);
	/* leave it enabled, as the driver does */
	if (write(fd, &on, sizeof(on)) != sizeof(on))
		printf("doorbell irqcontrol=%s\n", result(errno));
}

int main(int argc, char *argv[])
{
	volatile uint32_t *regs;
	unsigned int n;

	if (argc != 2 || strncmp(argv[1], "/dev/", 5) != 0) {
		fprintf(stderr, "usage: %s /dev/uioN\n", argv[0]);
		return 2;
	}
	uio = argv[1] + 5;
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	read_maps();
	for (n = 0; n < num_maps; n++)
		check_rights(n);
	regs = find("registers", PROT_READ | PROT_WRITE);
	if (!regs) {
		printf("registers none\n");
		return 1;
	}
	check_alias(regs);
	check_doorbell(regs);
	return 0;
}
