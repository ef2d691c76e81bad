// SPDX-License-Identifier: GPL-2.0
/*
 * Cells and hypercalls.
 *
 * So far only the root cell exists; struct cell, cell_init() and
 * cell_exit() are what creating further cells will reuse.
 */
#include <jailhouse/arch.h>
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/hypercall.h>
#include <jailhouse/page_alloc.h>
#include <jailhouse/paging.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <jailhouse/string.h>
#include <jailhouse/unit.h>
#include <jailhouse/utils.h>
#include <asm/spinlock.h>

struct jailhouse_system *system_config;
struct cell root_cell;
unsigned int num_cells;

static DEFINE_SPINLOCK(shutdown_lock);
static unsigned int shutdown_cpus;
static bool shutdown_done;

static bool is_page_mapped_region(const struct jailhouse_memory *mem)
{
	return !((mem->virt_start | mem->size) & PAGE_OFFS_MASK) &&
		!(mem->flags & JAILHOUSE_MEM_COMM_REGION) && mem->size;
}

static void unmap_cell_memory(struct cell *cell, unsigned int count)
{
	const struct jailhouse_memory *mem =
		jailhouse_cell_mem_regions(cell->config);
	unsigned int n;

	for (n = 0; n < count; n++)
		if (is_page_mapped_region(&mem[n]))
			arch_unmap_memory_region(cell, &mem[n]);
}

static int map_cell_memory(struct cell *cell)
{
	const struct jailhouse_memory *mem =
		jailhouse_cell_mem_regions(cell->config);
	unsigned int n;
	int err;

	for (n = 0; n < cell->config->num_memory_regions; n++) {
		if (!is_page_mapped_region(&mem[n]))
			continue;
		err = arch_map_memory_region(cell, &mem[n]);
		if (err) {
			printk("Cell \"%s\": mapping memory region %u "
			       "failed (%d)\n", cell->config->name, n, err);
			unmap_cell_memory(cell, n);
			return err;
		}
	}
	return 0;
}

static void units_cell_exit(struct cell *cell, const struct unit *end)
{
	const struct unit *unit;

	for (unit = __unit_array_start; unit < end; unit++)
		unit->cell_exit(cell);
}

int cell_init(struct cell *cell)
{
	const unsigned long *cpus = jailhouse_cell_cpu_set(cell->config);
	unsigned int cpu, bits = cell->config->cpu_set_size * 8;
	const struct unit *unit;
	int err;

	memset(cell->cpu_set, 0, sizeof(cell->cpu_set));
	cell->num_cpus = 0;
	for (cpu = 0; cpu < bits && cpu < MAX_CPUS; cpu++)
		if (test_bit(cpu, cpus)) {
			__set_bit(cpu, cell->cpu_set);
			cell->num_cpus++;
		}

	err = mmio_cell_init(cell);
	if (err)
		return err;

	err = arch_cell_create(cell);
	if (err)
		goto err_mmio;

	err = map_cell_memory(cell);
	if (err)
		goto err_arch;

	for_each_unit(unit) {
		err = unit->cell_init(cell);
		if (err) {
			units_cell_exit(cell, unit);
			goto err_memory;
		}
	}
	return 0;

err_memory:
	unmap_cell_memory(cell, cell->config->num_memory_regions);
err_arch:
	arch_cell_destroy(cell);
err_mmio:
	mmio_cell_exit(cell);
	return err;
}

void cell_exit(struct cell *cell)
{
	units_cell_exit(cell, __unit_array_end);
	unmap_cell_memory(cell, cell->config->num_memory_regions);
	arch_cell_destroy(cell);
	mmio_cell_exit(cell);
}

static bool cpu_id_valid(unsigned long cpu)
{
	return cpu < hypervisor_header.max_cpus && cpu < MAX_CPUS &&
		cell_owns_cpu(&root_cell, cpu);
}

static long hypervisor_get_info(unsigned long type)
{
	switch (type) {
	case JAILHOUSE_INFO_MEM_POOL_SIZE:
		return mem_pool.pages;
	case JAILHOUSE_INFO_MEM_POOL_USED:
		return mem_pool.used_pages;
	case JAILHOUSE_INFO_REMAP_POOL_SIZE:
		return remap_pool.pages;
	case JAILHOUSE_INFO_REMAP_POOL_USED:
		return remap_pool.used_pages;
	case JAILHOUSE_INFO_NUM_CELLS:
		return num_cells;
	default:
		return -EINVAL;
	}
}

static long cell_get_state(unsigned long id)
{
	struct cell *cell;

	if (this_cell() != &root_cell)
		return -EPERM;

	for_each_cell(cell)
		if (cell->id == id)
			/* the root cell is the only one yet, and it runs */
			return JAILHOUSE_CELL_RUNNING;
	return -ENOENT;
}

static long cpu_get_info(unsigned long cpu, unsigned long type)
{
	struct per_cpu *cpu_data;

	if (!cpu_id_valid(cpu))
		return -EINVAL;
	/* a non-root cell may only ask about its own CPUs */
	if (this_cell() != &root_cell && !cell_owns_cpu(this_cell(), cpu))
		return -EPERM;

	cpu_data = per_cpu(cpu);
	if (type == JAILHOUSE_CPU_INFO_STATE)
		return READ_ONCE(cpu_data->failed) ? JAILHOUSE_CPU_FAILED :
			JAILHOUSE_CPU_RUNNING;
	if (type >= JAILHOUSE_CPU_INFO_STAT_BASE &&
	    type - JAILHOUSE_CPU_INFO_STAT_BASE < NUM_CPU_STATS)
		return READ_ONCE(cpu_data->stats[type -
					JAILHOUSE_CPU_INFO_STAT_BASE]);
	return -EINVAL;
}

static long debug_console_putc(unsigned long c)
{
	if (!CELL_FLAGS_VIRTUAL_CONSOLE_PERMITTED(this_cell()->config->flags))
		return -EPERM;
	console_putc_from_cell((char)c);
	return 0;
}

long hypervisor_disable(void)
{
	struct per_cpu *cpu_data = this_cpu_data();
	unsigned int cpu, expected = 0, arrived;

	if (num_cells > 1)
		return -EBUSY;

	/* Linux calls in on every online CPU; the offline ones are parked. */
	for_each_cpu(cpu, &root_cell)
		if (!arch_cpu_parked(cpu))
			expected++;

	spin_lock(&shutdown_lock);
	arrived = ++shutdown_cpus;
	spin_unlock(&shutdown_lock);

	if (arrived == expected) {
		printk("Shutting down hypervisor\n");
		cell_exit(&root_cell);
			for_each_cpu(cpu, &root_cell)
			if (arch_cpu_parked(cpu))
				arch_shutdown_parked_cpu(cpu);
		WRITE_ONCE(shutdown_done, true);
	}
	while (!READ_ONCE(shutdown_done))
		cpu_relax();

	arch_cpu_restore(cpu_data);
	arch_cpu_leave(cpu_data, 0);
}

long hypercall(unsigned long code, unsigned long arg1, unsigned long arg2)
{
	struct per_cpu *cpu_data = this_cpu_data();

	if (code <= JAILHOUSE_HC_CELL_DESTROY && cpu_data->cell != &root_cell)
		return -EPERM;

	switch (code) {
	case JAILHOUSE_HC_DISABLE:
		return hypervisor_disable();
	case JAILHOUSE_HC_HYPERVISOR_GET_INFO:
		return hypervisor_get_info(arg1);
	case JAILHOUSE_HC_CELL_GET_STATE:
		return cell_get_state(arg1);
	case JAILHOUSE_HC_CPU_GET_INFO:
		return cpu_get_info(arg1, arg2);
	case JAILHOUSE_HC_DEBUG_CONSOLE_PUTC:
		return debug_console_putc(arg1);
	default:
		/* cell management arrives with non-root cells */
		return -ENOSYS;
	}
}

void panic_stop(void)
{
	panic_printk("Stopping CPU %u\n", this_cpu_id());
	this_cpu_data()->failed = true;
	arch_panic_stop();
}
