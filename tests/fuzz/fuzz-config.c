// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the hypervisor's validation of configurations
 * (hypervisor/config.c), built for the host with AddressSanitizer and
 * UndefinedBehaviorSanitizer.
 *
 * An input is a config file as the driver would pass it, or a system
 * config followed by cell configs, back to back: the cells are then
 * created one after another as "jailhouse cell create" would, each checked
 * against the cells before it and the root cell.
 *
 * Every config is copied into a buffer of exactly its size, so that a read
 * behind the end is caught.  When the validation accepts a config, every
 * byte the accessors of cell-config.h reach must lie inside it; the target
 * walks all arrays to let the sanitizer check that.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The hypervisor's string.h: libc's would clash with bitops.h's ffsl(). */
#include <jailhouse/bitops.h>
#include <jailhouse/config.h>
#include <jailhouse/string.h>

#define MAX_CPUS	64
#define MAX_CELLS	8

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
	      cell->num_stream_ids * sizeof(union jailhouse_stream_id));
}

static void *copy(const uint8_t *data, size_t size)
{
	void *buf = malloc(size ? size : 1);

	if (!buf)
		abort();
	memcpy(buf, data, size);
	return buf;
}

static bool has_cpu(const struct jailhouse_cell_desc *cell, unsigned int cpu)
{
	const uint8_t *set = (const uint8_t *)jailhouse_cell_cpu_set(cell);

	return cpu / 8 < cell->cpu_set_size && (set[cpu / 8] & (1 << cpu % 8));
}

/*
 * create_cells() - create the cells whose configs follow a system config
 * @sys:	the accepted system config, in a buffer of exactly its size
 * @data:	the bytes behind it
 * @size:	their number
 *
 * Like the hypervisor, a cell config is copied at the size its header
 * claims (or what is left of the input, if less) and validated alone,
 * then against every cell created before and the root cell.  A cell that
 * passes takes its CPUs from the root; the checks must have made sure that
 * the root had them, that CPU 0 is not among them and that the root keeps
 * one at least.
 */
static void create_cells(const struct jailhouse_system *sys,
			 const uint8_t *data, size_t size)
{
	struct jailhouse_cell_desc *cells[MAX_CELLS], *cell;
	unsigned long root_cpus[BITS_TO_LONGS(MAX_CPUS)] = { 0 };
	unsigned int num_cells = 0, n, cpu;
	struct jailhouse_cell_desc header;
	size_t avail;
	u64 need;
	int err;

	for (cpu = 0; cpu < MAX_CPUS; cpu++)
		if (has_cpu(&sys->root_cell, cpu))
			__set_bit(cpu, root_cpus);

	while (size >= sizeof(header) && num_cells < MAX_CELLS) {
		memcpy(&header, data, sizeof(header));
		if (config_cell_size(&header, &need))
			break;
		avail = need < size ? need : size;
		cell = copy(data, avail);
		if (config_check_cell(cell, avail, MAX_CPUS,
				      &sys->hypervisor_memory, false)) {
			free(cell);
			break;
		}
		if (need > avail)
			abort();
		walk_cell(cell);
		data += need;
		size -= need;

		for (n = 0, err = 0; n < num_cells && !err; n++)
			err = config_check_cells_disjoint(cell, cells[n]);
		if (!err)
			err = config_check_cell_in_root(cell, &sys->root_cell,
							root_cpus, MAX_CPUS);
		if (err) {
			free(cell);
			continue;
		}
		for (cpu = 0; cpu < MAX_CPUS; cpu++) {
			if (!has_cpu(cell, cpu))
				continue;
			if (cpu == 0 || !test_bit(cpu, root_cpus))
				abort();
			__clear_bit(cpu, root_cpus);
		}
		for (cpu = 0; cpu < MAX_CPUS; cpu++)
			if (test_bit(cpu, root_cpus))
				break;
		if (cpu == MAX_CPUS)
			abort();
		cells[num_cells++] = cell;
	}

	while (num_cells > 0)
		free(cells[--num_cells]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jailhouse_system *sys;
	uint8_t *buf = copy(data, size);
	u64 need;

	if (size >= JAILHOUSE_SIGNATURE_SIZE &&
	    !memcmp(buf, JAILHOUSE_SYSTEM_SIGNATURE,
		    JAILHOUSE_SIGNATURE_SIZE)) {
		if (config_check_system((const void *)buf, size,
					MAX_CPUS) == 0) {
			if (config_system_size((const void *)buf, &need) ||
			    need > size)
				abort();
			sys = copy(data, need);
			walk_cell(&sys->root_cell);
			create_cells(sys, data + need, size - need);
			free(sys);
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
