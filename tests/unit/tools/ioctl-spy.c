// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD library for the tool tests: replaces ioctl() on the fake
 * device, writes what the tool passed to the file named by $IOCTL_LOG and
 * fails with $IOCTL_ERRNO if that is set.  This shows the structures the
 * tool builds for the driver without a driver.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <jailhouse/ioctl.h>

static void log_cell_id(FILE *log, const struct jailhouse_cell_id *cell_id)
{
	fprintf(log, " id=%d name=\"%s\"", cell_id->id,
		cell_id->id == JAILHOUSE_CELL_ID_UNUSED ? cell_id->name : "");
}

static void log_data(FILE *log, const unsigned char *data, __u64 size)
{
	__u64 n;

	fprintf(log, " data=");
	for (n = 0; n < size && n < 16; n++)
		fprintf(log, "%02x", data[n]);
}

static void log_ioctl(FILE *log, unsigned long request, void *arg)
{
	const struct jailhouse_system *sys = arg;
	const struct jailhouse_cell_create *create = arg;
	const struct jailhouse_cell_load *load = arg;
	const struct jailhouse_cell_desc *cell;
	__u32 n;

	switch (request) {
	case JAILHOUSE_ENABLE:
		fprintf(log, "ENABLE signature=%.5s root=\"%s\"\n",
			sys->signature, sys->root_cell.name);
		break;
	case JAILHOUSE_DISABLE:
		fprintf(log, "DISABLE\n");
		break;
	case JAILHOUSE_CELL_CREATE:
		cell = (const void *)(unsigned long)create->config_address;
		fprintf(log, "CELL_CREATE size=%u signature=%.5s name=\"%s\"\n",
			create->config_size, cell->signature, cell->name);
		break;
	case JAILHOUSE_CELL_LOAD:
		fprintf(log, "CELL_LOAD");
		log_cell_id(log, &load->cell_id);
		fprintf(log, " images=%u\n", load->num_preload_images);
		for (n = 0; n < load->num_preload_images; n++) {
			fprintf(log, "image size=%llu target=0x%llx",
				(unsigned long long)load->image[n].size,
				(unsigned long long)
				load->image[n].target_address);
			log_data(log, (const void *)(unsigned long)
				 load->image[n].source_address,
				 load->image[n].size);
			fprintf(log, "\n");
		}
		break;
	case JAILHOUSE_CELL_START:
		fprintf(log, "CELL_START");
		log_cell_id(log, arg);
		fprintf(log, "\n");
		break;
	case JAILHOUSE_CELL_DESTROY:
		fprintf(log, "CELL_DESTROY");
		log_cell_id(log, arg);
		fprintf(log, "\n");
		break;
	default:
		fprintf(log, "UNKNOWN 0x%lx\n", request);
	}
}

int ioctl(int fd, unsigned long request, ...)
{
	const char *path = getenv("IOCTL_LOG");
	const char *err = getenv("IOCTL_ERRNO");
	va_list ap;
	FILE *log;
	void *arg;

	(void)fd;
	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);

	if (path) {
		log = fopen(path, "a");
		if (log) {
			log_ioctl(log, request, arg);
			fclose(log);
		}
	}
	if (err) {
		errno = atoi(err);
		return -1;
	}
	return 0;
}
