// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the hypervisor's validation of configurations
 * (hypervisor/config.c), built for the host with AddressSanitizer and
 * UndefinedBehaviorSanitizer.
 *
 * Each input is a whole config file as the driver would pass it.  The
 * input is copied into a buffer of exactly its size, so that a read
 * behind the end is caught.  When the validation accepts an input, every
 * byte the accessors of cell-config.h reach must lie inside it; the
 * target walks all arrays to let the sanitizer check that.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jailhouse/config.h>

#define MAX_CPUS	64

void printk(const char *fmt, ...)
{
	static char line[256];
	va_list ap;

	/* Formats the message, so that a bad %s argument is caught too. */
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
}

static volatile uint8_t sink;

static void touch(const void *start, size_t len)
{
	const volatile uint8_t *p = start;
	uint8_t sum = 0;
	size_t n;

	for (n = 0; n < len; n++)
		sum += p[n];
	sink = sum;
}

static void walk_cell(const struct jailhouse_cell_desc *cell)
{
	touch(jailhouse_cell_cpu_set(cell), cell->cpu_set_size);
	touch(jailhouse_cell_mem_regions(cell),
	      cell->num_memory_regions * sizeof(struct jailhouse_memory));
	touch(jailhouse_cell_cache_regions(cell),
	      cell->num_cache_regions * sizeof(struct jailhouse_cache));
	touch(jailhouse_cell_irqchips(cell),
	      cell->num_irqchips * sizeof(struct jailhouse_irqchip));
	touch(jailhouse_cell_pio(cell),
	      cell->num_pio_regions * sizeof(struct jailhouse_pio));
	touch(jailhouse_cell_pci_devices(cell),
	      cell->num_pci_devices * sizeof(struct jailhouse_pci_device));
	touch(jailhouse_cell_pci_caps(cell),
	      cell->num_pci_caps * sizeof(struct jailhouse_pci_capability));
	touch(jailhouse_cell_stream_ids(cell),
	      cell->num_stream_ids * sizeof(__u32));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct jailhouse_system *sys;
	uint8_t *buf = malloc(size ? size : 1);
	u64 need;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	sys = (const struct jailhouse_system *)buf;

	if (size >= JAILHOUSE_SIGNATURE_SIZE &&
	    !memcmp(buf, JAILHOUSE_SYSTEM_SIGNATURE,
		    JAILHOUSE_SIGNATURE_SIZE)) {
		if (config_check_system(sys, size, MAX_CPUS) == 0) {
			if (config_system_size(sys, &need) || need > size)
				abort();
			walk_cell(&sys->root_cell);
		}
	} else if (config_check_cell((const void *)buf, size, MAX_CPUS, NULL,
				     false) == 0) {
		if (config_cell_size((const void *)buf, &need) || need > size)
			abort();
		walk_cell((const void *)buf);
	}
	free(buf);
	return 0;
}
