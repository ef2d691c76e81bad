// SPDX-License-Identifier: GPL-2.0
/*
 * Cells and hypercalls.
 *
 * The root cell (Linux) creates further cells from its CPUs, memory and
 * interrupts, and gets all of it back when it destroys them.  Management
 * calls run on a CPU of the root cell, one at a time.  They stop a cell by
 * asking each of its CPUs to park in the hypervisor and waiting until all
 * did; a CPU changes cells only while parked.
 *
 * A cell's state lives in its comm page: the hypervisor writes it when it
 * starts, stops or fails the cell, the cell while it runs (running,
 * running/locked, or its own verdict).
 */
#include <jailhouse/arch.h>
#include <jailhouse/cell.h>
#include <jailhouse/config.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/hypercall.h>
#include <jailhouse/memory.h>
#include <jailhouse/page_alloc.h>
#include <jailhouse/paging.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <jailhouse/spinlock.h>
#include <jailhouse/string.h>
#include <jailhouse/unit.h>
#include <jailhouse/utils.h>

struct jailhouse_system *system_config;
struct cell root_cell;
unsigned int num_cells;

/* A CPU that does not park in this time is stuck in the hypervisor. */
#define PARK_TIMEOUT_US			1000000

/* Largest cell config accepted: far above real ones, all in mem_pool. */
#define MAX_CELL_CONFIG_SIZE		(1UL << 20)

/* How long the CPUs that arrived to disable wait for the others. */
#define DISABLE_TIMEOUT_US		1000000

/* How long disabling waits for a parked CPU to leave the hypervisor. */
#define SHUTDOWN_TIMEOUT_US		1000000

static DEFINE_SPINLOCK(shutdown_lock);
static unsigned int shutdown_cpus;
static bool shutdown_started, shutdown_done;

/* Set while a management call is in progress. */
static bool management_busy;
/* The list of cells, for readers outside management calls. */
static DEFINE_SPINLOCK(cells_lock);

static void units_cell_exit(struct cell *cell, const struct unit *end)
{
	const struct unit *unit;

	for (unit = __unit_array_start; unit < end; unit++)
		unit->cell_exit(cell);
}

void cell_reset_devices(struct cell *cell)
{
	const struct unit *unit;

	for_each_unit(unit)
		unit->cell_reset(cell);
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

	err = cell_map_memory(cell);
	if (err)
		goto err_arch;

	for_each_unit(unit) {
		err = unit->cell_init(cell);
		if (err) {
			units_cell_exit(cell, unit);
			goto err_arch;
		}
	}
	return 0;

err_arch:
	arch_cell_destroy(cell);
err_mmio:
	mmio_cell_exit(cell);
	return err;
}

void cell_exit(struct cell *cell)
{
	units_cell_exit(cell, __unit_array_end);
	/* its stage 2 goes as a whole, not region by region */
	arch_cell_destroy(cell);
	mmio_cell_exit(cell);
}

bool cell_running(struct cell *cell)
{
	unsigned int cpu;

	for_each_cpu(cpu, cell)
		if (!arch_cpu_parked(cpu))
			return true;
	return false;
}

void cell_cpu_parking(struct cell *cell)
{
	bool failed = false;
	unsigned int cpu;
	u32 state;

	if (cell == &root_cell)
		return;
	for_each_cpu(cpu, cell) {
		if (!arch_cpu_parked(cpu))
			return;
		if (per_cpu(cpu)->failed)
			failed = true;
	}
	state = cell_state(cell);
	if (!failed || state == JAILHOUSE_CELL_SHUT_DOWN ||
	    state == JAILHOUSE_CELL_FAILED)
		return;
	cell_set_state(cell, JAILHOUSE_CELL_FAILED);
	printk("Cell \"%s\" failed: all its CPUs are stopped\n",
	       cell->config->name);
}

void cell_prepare_restart(struct cell *cell)
{
	unsigned int cpu;

	for_each_cpu(cpu, cell)
		per_cpu(cpu)->failed = false;
	spin_lock(&cell->lock);
	cell_set_state(cell, JAILHOUSE_CELL_RUNNING);
	spin_unlock(&cell->lock);
}

int cell_park_cpus(struct cell *cell, struct per_cpu *caller)
{
	unsigned long start = arch_time_us();
	unsigned int cpu, busy;

	/*
	 * From now on no CPU of the cell leaves the park (arch_cpu_start(),
	 * PSCI CPU_ON): once seen parked, a CPU stays parked.
	 */
	if (!caller) {
		spin_lock(&cell->lock);
		cell->stopping = true;
		spin_unlock(&cell->lock);
	}

	do {
		if (caller && arch_park_requested(caller))
			return -EINTR;
		busy = MAX_CPUS;
		for_each_cpu(cpu, cell)
			if ((!caller || cpu != caller->cpu_id) &&
			    !arch_request_park(cpu))
				busy = cpu;
		if (busy == MAX_CPUS)
			break;
		cpu_relax();
	} while (arch_time_us() - start < PARK_TIMEOUT_US);

	if (busy != MAX_CPUS) {
		printk("Cell \"%s\": CPU %u does not stop\n",
		       cell->config->name, busy);
		return -ETIMEDOUT;
	}

	/* the last CPU to park has finished with the cell's state */
	spin_lock(&cell->lock);
	spin_unlock(&cell->lock);
	return 0;
}

/* Park all CPUs of @cell, for the root cell's management call. */
static int cell_stop(struct cell *cell)
{
	int err = cell_park_cpus(cell, NULL);

	if (!err)
		cell_reset_devices(cell);
	return err;
}

/* Start a stopped cell at its reset address on its first CPU. */
static void cell_launch(struct cell *cell)
{
	struct jailhouse_comm_region *comm = cell->comm_page;

	cell_prepare_restart(cell);
	spin_lock(&cell->lock);
	/* no message is in flight: the root's CPU sends them, and it is here */
	comm->msg_to_cell = JAILHOUSE_MSG_NONE;
	comm->reply_from_cell = JAILHOUSE_MSG_NONE;
	cell->stopping = false;
	spin_unlock(&cell->lock);
	arch_cpu_start(find_next_bit(cell->cpu_set, MAX_CPUS, 0),
		       cell->config->cpu_reset_address);
}

/*
 * @err of a message to @cell (comm.c): a cell that stayed silent is
 * stopped and failed, it holds up nobody.  Return: @err, but 0 (or the
 * stop's error) for a silent cell.
 */
static int cell_replied(struct cell *cell, int err)
{
	if (err != -ETIMEDOUT)
		return err;
	err = cell_stop(cell);
	spin_lock(&cell->lock);
	cell_set_state(cell, JAILHOUSE_CELL_FAILED);
	spin_unlock(&cell->lock);
	return err;
}

/*
 * Stop @cell for a management call: ask it first, then park its CPUs.
 * Return: 0, or negative errno with the cell as it was (or failed).
 */
static int cell_shut_down(struct cell *cell)
{
	int err;

	err = cell_replied(cell, cell_send_message(cell,
					JAILHOUSE_MSG_SHUTDOWN_REQUEST));
	if (err)
		return err;
	return cell_stop(cell);
}

/*
 * Tell every non-root cell that the set of cells changed: all at once, so
 * that however many are silent, the root waits one timeout.
 */
static void cells_reconfigured(void)
{
	const u32 msg = JAILHOUSE_MSG_RECONFIG_COMPLETED;
	unsigned long start;
	struct cell *cell;

	for (cell = root_cell.next; cell; cell = cell->next)
		cell->msg_posted = cell_post_message(cell, msg);
	start = arch_time_us();
	for (cell = root_cell.next; cell; cell = cell->next)
		if (cell->msg_posted)
			cell_replied(cell, cell_await_reply(cell, msg, start));
}

static struct cell *cell_find(unsigned long id)
{
	struct cell *cell;

	for (cell = root_cell.next; cell; cell = cell->next)
		if (cell->id == id)
			return cell;
	return NULL;
}

static unsigned int cell_free_id(void)
{
	unsigned int id = 1;
	struct cell *cell;

	for (cell = root_cell.next; cell; cell = cell->next)
		if (cell->id == id) {
			id++;
			cell = &root_cell;
		}
	return id;
}

/* Check a copied cell config against the root cell and the other cells. */
static int check_new_config(struct jailhouse_cell_desc *config, u64 size)
{
	unsigned int max_cpus = MIN(hypervisor_header.max_cpus, MAX_CPUS);
	struct cell *cell;
	int err;

	err = config_check_cell(config, size, max_cpus,
				&system_config->hypervisor_memory, false);
	if (err)
		return err;
	if (config->flags & JAILHOUSE_CELL_AARCH32) {
		printk("Invalid config \"%s\": AArch32 cells are not "
		       "supported\n", config->name);
		return -EINVAL;
	}
	for (cell = root_cell.next; cell; cell = cell->next) {
		if (strcmp(cell->config->name, config->name) == 0) {
			printk("Invalid config \"%s\": a cell of that name "
			       "exists\n", config->name);
			return -EEXIST;
		}
		err = config_check_cells_disjoint(config, cell->config);
		if (err)
			return err;
	}
	return config_check_cell_in_root(config, root_cell.config,
					 root_cell.cpu_set, max_cpus);
}

/*
 * Copy the config at guest-physical @address of the root cell into *@copy
 * (@size bytes, in pool pages).  Return: 0 or negative errno, said why.
 */
static int copy_config(unsigned long address,
		       struct jailhouse_cell_desc **copy, u64 *size)
{
	const struct paging_structures *root_s2 = &root_cell.arch.stage2;
	struct jailhouse_cell_desc *config;
	const void *src;
	int err;

	src = paging_map_guest(root_s2, address,
			       sizeof(struct jailhouse_cell_desc),
			       PAGE_FLAG_READ);
	if (!src)
		goto not_root_memory;
	err = config_cell_size(src, size);
	paging_unmap_device(address, (void *)src,
			    sizeof(struct jailhouse_cell_desc));
	if (err || *size > MAX_CELL_CONFIG_SIZE) {
		printk("Cell config at 0x%lx: too large\n", address);
		return -EINVAL;
	}

	config = page_alloc(&mem_pool, PAGES(*size));
	if (!config) {
		printk("Cell config at 0x%lx: no memory for its copy\n",
		       address);
		return -ENOMEM;
	}
	/* from now on the root cell may change its copy as it likes */
	src = paging_map_guest(root_s2, address, *size, PAGE_FLAG_READ);
	if (!src) {
		page_free(&mem_pool, config, PAGES(*size));
		goto not_root_memory;
	}
	memcpy(config, src, *size);
	paging_unmap_device(address, (void *)src, *size);
	*copy = config;
	return 0;

not_root_memory:
	printk("Cell config at 0x%lx: not in the root cell's memory\n",
	       address);
	return -EINVAL;
}

static void free_cell(struct cell *cell)
{
	page_free(&mem_pool, cell->comm_page, 1);
	page_free(&mem_pool, (void *)cell->config, cell->config_pages);
	page_free(&mem_pool, cell, PAGES(sizeof(*cell)));
}

static void reset_cpu_data(unsigned int cpu)
{
	struct per_cpu *cpu_data = per_cpu(cpu);

	cpu_data->failed = false;
	memset(cpu_data->stats, 0, sizeof(cpu_data->stats));
}

static long cell_create(unsigned long config_address)
{
	struct jailhouse_cell_desc *config;
	unsigned int cpu;
	struct cell *cell;
	u64 size;
	int err;

	err = copy_config(config_address, &config, &size);
	if (err)
		return err;
	err = check_new_config(config, size);
	if (err) {
		page_free(&mem_pool, config, PAGES(size));
		return err;
	}

	cell = page_alloc(&mem_pool, PAGES(sizeof(*cell)));
	if (!cell) {
		page_free(&mem_pool, config, PAGES(size));
		return -ENOMEM;
	}
	cell->config = config;
	cell->config_pages = PAGES(size);
	cell->id = config->id = cell_free_id();
	spin_lock_init(&cell->lock);
	/* its CPUs wait for "cell start" */
	cell->stopping = true;
	cell->comm_page = page_alloc(&mem_pool, 1);
	if (!cell->comm_page) {
		err = -ENOMEM;
		goto err_free;
	}
	comm_page_init(cell);

	err = cell_init(cell);
	if (err)
		goto err_free;
	err = comm_page_map(cell);
	if (err)
		goto err_cell_exit;

	for_each_cpu(cpu, cell) {
		err = arch_cpu_assign(cpu, &root_cell, cell);
		if (err) {
			printk("Cell \"%s\": CPU %u is not offline in the root "
			       "cell\n", config->name, cpu);
			goto err_cpus;
		}
	}
	err = memory_take(cell);
	if (err)
		goto err_cpus;

	for_each_cpu(cpu, cell) {
		clear_bit(cpu, root_cell.cpu_set);
		root_cell.num_cpus--;
		reset_cpu_data(cpu);
	}

	spin_lock(&cells_lock);
	cell->next = root_cell.next;
	root_cell.next = cell;
	num_cells++;
	spin_unlock(&cells_lock);

	printk("Created cell \"%s\" (id %u)\n", config->name, cell->id);
	cells_reconfigured();
	return cell->id;

err_cpus:
	/* those that never left the root refuse, that is all */
	for_each_cpu(cpu, cell)
		arch_cpu_assign(cpu, cell, &root_cell);
err_cell_exit:
	cell_exit(cell);
err_free:
	free_cell(cell);
	return err;
}

static long cell_set_loadable(struct cell *cell)
{
	int err;

	err = cell_shut_down(cell);
	if (err)
		return err;

	spin_lock(&cell->lock);
	cell_set_state(cell, JAILHOUSE_CELL_SHUT_DOWN);
	spin_unlock(&cell->lock);

	if (cell->loadable)
		return 0;
	err = memory_map_loadable(cell);
	if (err)
		printk("Cell \"%s\": cannot map its loadable memory into the "
		       "root cell\n", cell->config->name);
	return err;
}

static long cell_start(struct cell *cell)
{
	int err;

	/* a restart of a running cell stops it first, if it agrees */
	err = cell_shut_down(cell);
	if (err)
		return err;
	if (cell->loadable)
		memory_unmap_loadable(cell);
	/* said first: the cell's own output may share the UART at once */
	printk("Started cell \"%s\"\n", cell->config->name);
	cell_launch(cell);
	return 0;
}

/*
 * Hand the CPUs of the stopped @from to @to.  Return: 0, or -EBUSY with
 * all of them left where they were.
 */
static int move_cpus(struct cell *from, struct cell *to)
{
	unsigned int cpu, undo;

	for_each_cpu(cpu, from) {
		if (arch_cpu_assign(cpu, from, to) == 0)
			continue;
		printk("Cell \"%s\": CPU %u is not parked\n",
		       from->config->name, cpu);
		for_each_cpu(undo, from) {
			if (undo == cpu)
				break;
			arch_cpu_assign(undo, to, from);
		}
		return -EBUSY;
	}
	return 0;
}

static long cell_destroy(struct cell *cell)
{
	struct cell **link;
	unsigned int cpu;
	int err;

	err = cell_shut_down(cell);
	if (err)
		return err;
	/* parked, until Linux turns them on again with PSCI CPU_ON */
	err = move_cpus(cell, &root_cell);
	if (err)
		return err;
	if (cell->loadable)
		memory_unmap_loadable(cell);

	for_each_cpu(cpu, cell) {
		reset_cpu_data(cpu);
		set_bit(cpu, root_cell.cpu_set);
		root_cell.num_cpus++;
	}

	spin_lock(&cells_lock);
	for (link = &root_cell.next; *link != cell; link = &(*link)->next)
		;
	*link = cell->next;
	num_cells--;
	spin_unlock(&cells_lock);

	cell_exit(cell);
	memory_give_back(cell);
	cell_printk_flush(cell);
	printk("Destroyed cell \"%s\"\n", cell->config->name);
	free_cell(cell);
	cells_reconfigured();
	return 0;
}

/*
 * A cell other than @target holds the lock of its comm region: it does
 * not want the system to change.  @target itself is asked, if at all.
 */
static bool other_cell_locked(const struct cell *target)
{
	struct cell *cell;

	for (cell = root_cell.next; cell; cell = cell->next)
		if (cell != target && cell_running(cell) &&
		    cell_state(cell) == JAILHOUSE_CELL_RUNNING_LOCKED) {
			printk("Cell \"%s\" is running-locked: no cell "
			       "management\n", cell->config->name);
			return true;
		}
	return false;
}

/* Management calls of the root cell, one at a time. */
static long cell_management(unsigned long code, unsigned long arg)
{
	struct cell *cell = NULL;
	long ret;

	if (__atomic_test_and_set(&management_busy, __ATOMIC_ACQUIRE))
		return -EBUSY;
	/* the last call may have been another CPU's, after this one's exit */
	arch_paging_sync();

	if (code != JAILHOUSE_HC_CELL_CREATE) {
		cell = cell_find(arg);
		if (!cell) {
			ret = arg == root_cell.id ? -EINVAL : -ENOENT;
			goto out;
		}
	}
	if (other_cell_locked(cell)) {
		ret = -EPERM;
		goto out;
	}

	switch (code) {
	case JAILHOUSE_HC_CELL_CREATE:
		ret = cell_create(arg);
		break;
	case JAILHOUSE_HC_CELL_START:
		ret = cell_start(cell);
		break;
	case JAILHOUSE_HC_CELL_SET_LOADABLE:
		ret = cell_set_loadable(cell);
		break;
	default:
		ret = cell_destroy(cell);
		break;
	}
out:
	__atomic_clear(&management_busy, __ATOMIC_RELEASE);
	return ret;
}

/* CPU ids of the system: those of the root cell as configured. */
static bool cpu_id_valid(unsigned long cpu)
{
	const struct jailhouse_cell_desc *root = &system_config->root_cell;
	const u8 *set = (const u8 *)jailhouse_cell_cpu_set(root);

	return cpu < hypervisor_header.max_cpus && cpu < MAX_CPUS &&
		cpu / 8 < root->cpu_set_size && (set[cpu / 8] & (1 << cpu % 8));
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
	long state;

	if (this_cell() != &root_cell)
		return -EPERM;
	if (id == root_cell.id)
		return JAILHOUSE_CELL_RUNNING;

	spin_lock(&cells_lock);
	cell = cell_find(id);
	if (cell)
		state = cell_state(cell);
	else
		state = -ENOENT;
	spin_unlock(&cells_lock);
	return state;
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

/*
 * Ask parked @cpu to leave the hypervisor for good and wait until it has:
 * the hypervisor memory must be left alone before it is flushed.
 */
static void shutdown_parked_cpu(unsigned int cpu)
{
	unsigned long start;

	WRITE_ONCE(per_cpu(cpu)->shutdown_requested, true);
	arch_wake_cpu(cpu);

	start = arch_time_us();
	while (!arch_cpu_shut_down(cpu)) {
		if (arch_time_us() - start > SHUTDOWN_TIMEOUT_US) {
			printk("CPU %u did not leave the hypervisor\n", cpu);
			return;
		}
		cpu_relax();
	}
}

long hypervisor_disable(void)
{
	struct per_cpu *cpu_data = this_cpu_data();
	unsigned int cpu, expected = 0;
	unsigned long start;
	bool last;

	if (num_cells > 1)
		return -EBUSY;

	/* Linux calls in on every online CPU; the offline ones are parked. */
	for_each_cpu(cpu, &root_cell)
		if (!arch_cpu_parked(cpu))
			expected++;

	spin_lock(&shutdown_lock);
	last = ++shutdown_cpus == expected;
	if (last)
		shutdown_started = true;
	spin_unlock(&shutdown_lock);

	if (last) {
		/* the others' last management calls are behind it */
		arch_paging_sync();
		printk("Shutting down hypervisor\n");
		cell_exit(&root_cell);
		for_each_cpu(cpu, &root_cell)
			if (arch_cpu_parked(cpu))
				shutdown_parked_cpu(cpu);
		hypervisor_memory_flush();
		WRITE_ONCE(shutdown_done, true);
	}

	/* a CPU that never comes must not hold the others for ever */
	start = arch_time_us();
	while (!READ_ONCE(shutdown_done)) {
		if (arch_time_us() - start > DISABLE_TIMEOUT_US) {
			spin_lock(&shutdown_lock);
			if (!shutdown_started) {
				shutdown_cpus--;
				spin_unlock(&shutdown_lock);
				printk("Disable: CPU %u waited for the other "
				       "CPUs in vain\n", cpu_data->cpu_id);
				return -ETIMEDOUT;
			}
			spin_unlock(&shutdown_lock);
		}
		cpu_relax();
	}

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
	case JAILHOUSE_HC_CELL_CREATE:
	case JAILHOUSE_HC_CELL_START:
	case JAILHOUSE_HC_CELL_SET_LOADABLE:
	case JAILHOUSE_HC_CELL_DESTROY:
		return cell_management(code, arg1);
	case JAILHOUSE_HC_HYPERVISOR_GET_INFO:
		return hypervisor_get_info(arg1);
	case JAILHOUSE_HC_CELL_GET_STATE:
		return cell_get_state(arg1);
	case JAILHOUSE_HC_CPU_GET_INFO:
		return cpu_get_info(arg1, arg2);
	case JAILHOUSE_HC_DEBUG_CONSOLE_PUTC:
		return debug_console_putc(arg1);
	default:
		return -ENOSYS;
	}
}

void panic_stop(void)
{
	panic_printk("Stopping CPU %u\n", this_cpu_id());
	this_cpu_data()->failed = true;
	arch_panic_stop();
}
