// SPDX-License-Identifier: GPL-2.0
/*
 * Enabling the hypervisor: every CPU Linux had online arrives here from
 * the arch entry code, with the MMU on and the bootstrap tables loaded.
 * The first one does the global set-up, then each one takes over its CPU;
 * all wait until every CPU succeeded or one failed.  On failure every CPU
 * undoes its part and all return the same error to Linux.
 */
#include <jailhouse/arch.h>
#include <jailhouse/cell.h>
#include <jailhouse/config.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/page_alloc.h>
#include <jailhouse/paging.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <jailhouse/spinlock.h>
#include <jailhouse/string.h>
#include <jailhouse/unit.h>
#include <jailhouse/utils.h>
#include <generated/version.h>

/* Linker-defined layout of the image (see hypervisor.lds.S). */
extern char __hv_start[], __text_start[], __rodata_start[], __data_start[];
extern char __core_size[], __entry_offset[], __console_offset[];

struct jailhouse_header hypervisor_header
	__attribute__((section(".header"), used)) = {
	.signature = JAILHOUSE_HEADER_SIGNATURE,
	.revision = JAILHOUSE_HEADER_REVISION,
	.arch = JAILHOUSE_ARCH_ID,
	.core_size = (unsigned long)__core_size,
	.percpu_size = sizeof(struct per_cpu),
	.entry = (unsigned long)__entry_offset,
	.console_page = (unsigned long)__console_offset,
	.version = JAILHOUSE_VERSION,
};

/* Number of pages of hypervisor virtual addresses for remappings. */
#define REMAP_POOL_PAGES	(REMAP_SIZE / PAGE_SIZE)

static DEFINE_SPINLOCK(init_lock);
static bool global_init_done;
static unsigned int arrived_cpus, departed_cpus;
static bool cleanup_done;
static int init_error;
static bool hv_paging_ready;
static bool root_cell_ready;
static const struct unit *units_ready_end;

static int init_pools(unsigned long config_size)
{
	unsigned long hv_size = system_config->hypervisor_memory.size;
	char *pool_start, *hv_end = __hv_start + hv_size;
	unsigned long *remap_bitmap;
	int err;

	pool_start = (char *)system_config + ALIGN_UP(config_size, PAGE_SIZE);
	if (pool_start >= hv_end)
		return -ENOMEM;

	err = page_pool_init(&mem_pool, pool_start,
			     (hv_end - pool_start) / PAGE_SIZE, NULL,
			     PAGE_POOL_SCRUB);
	if (err)
		return err;

	remap_bitmap = page_alloc(&mem_pool,
				  PAGES(BITS_TO_LONGS(REMAP_POOL_PAGES) *
					sizeof(long)));
	if (!remap_bitmap)
		return -ENOMEM;
	return page_pool_init(&remap_pool, (void *)REMAP_BASE,
			      REMAP_POOL_PAGES, remap_bitmap, 0);
}

/* The hypervisor memory at JAILHOUSE_BASE, code and data protected. */
static int map_hypervisor(const struct paging_desc *desc)
{
	unsigned long phys = system_config->hypervisor_memory.phys_start;
	unsigned long size = system_config->hypervisor_memory.size;
	const struct {
		char *start, *end;
		unsigned long flags;
	} parts[] = {
		{ __hv_start, __text_start, PAGE_READONLY_FLAGS },
		{ __text_start, __rodata_start,
		  PAGE_FLAG_READ | PAGE_FLAG_EXEC },
		{ __rodata_start, __data_start, PAGE_READONLY_FLAGS },
		{ __data_start, __hv_start + size, PAGE_DEFAULT_FLAGS },
	};
	unsigned int n;
	int err;

	err = paging_init_structures(&hv_paging, desc);
	if (err)
		return err;

	for (n = 0; n < ARRAY_SIZE(parts); n++) {
		err = paging_create(&hv_paging,
				    phys + (parts[n].start - __hv_start),
				    parts[n].end - parts[n].start,
				    (unsigned long)parts[n].start,
				    parts[n].flags, PAGING_HUGE);
		if (err)
			return err;
	}
	return 0;
}

static int init_root_cell(void)
{
	unsigned long console_phys = paging_hvirt2phys(&console_page);
	/* the console ring, read-only, for the driver's console readers */
	const struct jailhouse_memory console_region = {
		.phys_start = console_phys,
		.virt_start = console_phys,
		.size = PAGE_SIZE,
		.flags = JAILHOUSE_MEM_READ,
	};
	int err;

	root_cell.id = 0;
	root_cell.config = &system_config->root_cell;
	num_cells = 1;

	err = cell_init(&root_cell);
	if (err)
		return err;

	if (root_cell.num_cpus != hypervisor_header.online_cpus) {
		printk("Root cell has %u CPUs, but %u are online\n",
		       root_cell.num_cpus, hypervisor_header.online_cpus);
		cell_exit(&root_cell);
		return -EINVAL;
	}

	err = arch_map_memory_region(&root_cell, &console_region);
	if (err)
		cell_exit(&root_cell);
	return err;
}

static int init_units(void)
{
	const struct unit *unit;
	int err;

	for_each_unit(unit) {
		err = unit->init();
		if (err) {
			printk("Unit %s failed (%d)\n", unit->name, err);
			units_ready_end = unit;
			return err;
		}
	}
	units_ready_end = __unit_array_end;
	return 0;
}

static void shutdown_units(void)
{
	const struct unit *unit;

	if (!units_ready_end)
		return;
	for (unit = __unit_array_start; unit < units_ready_end; unit++)
		unit->shutdown();
}

static int init_global(unsigned long phys_base)
{
	unsigned long areas = hypervisor_header.core_size +
		(unsigned long)hypervisor_header.max_cpus *
		sizeof(struct per_cpu);
	const struct paging_desc *desc;
	u64 config_size;
	int err;

	system_config = (struct jailhouse_system *)
		per_cpu(hypervisor_header.max_cpus);

	/*
	 * Nothing can be said yet: the console needs the checked layout.
	 * The entry code made sure that the system config header lies
	 * within hypervisor memory.
	 */
	if (hypervisor_header.max_cpus > MAX_CPUS ||
	    system_config->hypervisor_memory.phys_start != phys_base ||
	    config_system_size(system_config, &config_size) ||
	    config_size > system_config->hypervisor_memory.size - areas)
		return -EINVAL;

	hv_phys_offset = phys_base - (unsigned long)__hv_start;

	err = init_pools(config_size);
	if (err)
		return err;

	desc = arch_paging_init();
	err = map_hypervisor(desc);
	if (err)
		return err;
	hv_paging_ready = true;
	arch_paging_activate();

	err = console_init();
	if (err)
		return err;

	printk("\nInitializing Jailhouse hypervisor %s on CPU %u\n",
	       JAILHOUSE_VERSION, this_cpu_id());
	printk("Code location: %p, memory: 0x%llx, %llu KiB\n", __hv_start,
	       system_config->hypervisor_memory.phys_start,
	       system_config->hypervisor_memory.size / 1024);

	err = config_check_system(system_config,
				  system_config->hypervisor_memory.size - areas,
				  hypervisor_header.max_cpus);
	if (err)
		return err;

	err = init_units();
	if (err)
		return err;

	err = init_root_cell();
	if (err)
		return err;
	root_cell_ready = true;

	printk("Page pool usage after early setup: mem %lu/%lu, remap "
	       "%lu/%lu\n", mem_pool.used_pages, mem_pool.pages,
	       remap_pool.used_pages, remap_pool.pages);
	return 0;
}

static int init_cpu(struct per_cpu *cpu_data)
{
	unsigned int cpu = cpu_data->cpu_id;
	int err;

	if (!cell_owns_cpu(&root_cell, cpu)) {
		printk("CPU %u is not in the root cell\n", cpu);
		return -EINVAL;
	}
	cpu_data->cell = &root_cell;

	err = arch_cpu_init(cpu_data);
	if (err)
		printk("CPU %u: set-up failed (%d)\n", cpu, err);
	return err;
}

/*
 * What the hypervisor wrote lies in the image, the per-CPU areas, the
 * system config and the pool pages it ever handed out (the pool follows
 * the config): the rest of its memory it never touched.
 */
void hypervisor_memory_flush(void)
{
	char *end = (char *)system_config;

	if (mem_pool.base_address)
		end = (char *)mem_pool.base_address +
			mem_pool.touched_pages * PAGE_SIZE;
	arch_dcache_flush(__hv_start, end - __hv_start);
}

/* Undo the global set-up once every CPU has undone its own. */
static void cleanup_global(void)
{
	if (root_cell_ready)
		cell_exit(&root_cell);
	shutdown_units();
}

/**
 * entry() - C entry of every CPU
 * @cpu_data:	the CPU's per-CPU area (hypervisor virtual address)
 * @phys_base:	physical address of the image, where the CPU found it
 *
 * Does not return: the CPU either enters the root cell or goes back to
 * Linux with the error.
 */
void __attribute__((noreturn)) entry(struct per_cpu *cpu_data,
				     unsigned long phys_base);

void entry(struct per_cpu *cpu_data, unsigned long phys_base)
{
	unsigned int online = hypervisor_header.online_cpus;
	bool cpu_ready = false, last;
	int err;

	cpu_data->cpu_id = cpu_data - per_cpu(0);

	spin_lock(&init_lock);
	if (!global_init_done) {
		init_error = init_global(phys_base);
		global_init_done = true;
	}
	/* even to fail: the console and the clean-up need the full map */
	if (hv_paging_ready)
		arch_paging_activate();
	if (!init_error) {
		err = init_cpu(cpu_data);
		if (err)
			init_error = err;
		else
			cpu_ready = true;
	}
	last = ++arrived_cpus == online;
	if (last && !init_error)
		printk("Activating hypervisor on %u CPUs\n", online);
	spin_unlock(&init_lock);

	while (READ_ONCE(arrived_cpus) < online)
		cpu_relax();
	smp_mb();

	if (!READ_ONCE(init_error))
		arch_cpu_activate(cpu_data);

	/* Failure: the CPU first, the global state after the last CPU. */
	if (cpu_ready)
		arch_cpu_restore(cpu_data);

	spin_lock(&init_lock);
	last = ++departed_cpus == online;
	if (last) {
		printk("Enabling the hypervisor failed (%d)\n", init_error);
		cleanup_global();
		hypervisor_memory_flush();
		WRITE_ONCE(cleanup_done, true);
	}
	spin_unlock(&init_lock);

	while (!READ_ONCE(cleanup_done))
		cpu_relax();
	smp_mb();

	arch_cpu_leave(cpu_data, init_error);
}
