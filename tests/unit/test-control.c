// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of cell management and the hypercalls (hypervisor/control.c)
 * with memory.c, mmio.c, config.c and paging.c as they are, the shipped
 * QEMU configs, and fake arch hooks: CPUs that park when asked (or not),
 * stage 2 in the format of test-format.h, and inmates that answer the
 * messages of the hypervisor as each test tells them.
 */
#include "test.h"

#include <setjmp.h>

#include <jailhouse/arch.h>
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/page_alloc.h>
#include <jailhouse/paging.h>
#include <jailhouse/percpu.h>
#include <jailhouse/unit.h>
#include <jailhouse/utils.h>

#include "test-format.h"

#define config qemu_arm64
#include "../../configs/arm64/qemu-arm64.c"
#undef config
#define config demo1
#include "../../configs/arm64/qemu-arm64-inmate-demo.c"
#undef config
#define config demo2
#include "../../configs/arm64/qemu-arm64-inmate-demo2.c"
#undef config
#define config smp_demo
#include "../../configs/arm64/qemu-arm64-smp-demo.c"
#undef config

#define NUM_CPUS	4
#define POOL_PAGES	256

/* Where the root cell's driver put a cell config: root RAM. */
#define CONFIG_GPA	0x60000000UL
#define COMM_GPA	0x80000000UL

#define DEMO1_RAM	0x70000000UL
#define DEMO2_RAM	0x70100000UL
#define SMP_RAM		0x70200000UL
#define DEMO_RAM_SIZE	0x10000UL

struct per_cpu __hv_core_end[NUM_CPUS];
struct jailhouse_header hypervisor_header = {
	.max_cpus = NUM_CPUS,
	.online_cpus = NUM_CPUS,
};
void *test_cpu_data;

static typeof(qemu_arm64) sys;
static void *pool_memory;
static unsigned long pool_bitmap[BITS_TO_LONGS(POOL_PAGES)];
static unsigned long baseline;

/* --- CPUs ------------------------------------------------------------ */

static struct {
	struct cell *cell;
	bool parked;
	/* ignores requests to park, and parked, to leave the hypervisor */
	bool stuck;
	bool started;
	unsigned long entry;
	bool shut_down;
} cpus[NUM_CPUS];

/* a CPU that refuses to change cells, or NUM_CPUS */
static unsigned int assign_refused;
static bool park_requested;

bool arch_cpu_parked(unsigned int cpu)
{
	return cpus[cpu].parked;
}

/*
 * The two CPUs of a cell turn each other on and themselves off all the
 * time (inmates/tests/psci-pingpong.c): whenever the root looks at a
 * parked one, the other has just sent PSCI CPU_ON to it, which is refused
 * while the cell is stopping (arch/arm64/psci.c), and turned itself off.
 */
static bool pingpong;

bool arch_request_park(unsigned int cpu)
{
	bool parked = cpus[cpu].parked;
	unsigned int other = cpu ^ 1;

	if (pingpong && parked && !cpus[other].parked &&
	    cpus[other].cell == cpus[cpu].cell) {
		if (!cpus[cpu].cell->stopping)
			cpus[cpu].parked = false;
		cpus[other].parked = true;
		return true;
	}

	/* parks at once, seen the next time round */
	if (!cpus[cpu].stuck)
		cpus[cpu].parked = true;
	return parked;
}

bool arch_park_requested(struct per_cpu *cpu_data)
{
	return park_requested;
}

int arch_cpu_assign(unsigned int cpu, const struct cell *from,
		    struct cell *to)
{
	if (!cpus[cpu].parked || cpus[cpu].cell != from ||
	    cpu == assign_refused)
		return -EBUSY;
	cpus[cpu].cell = to;
	return 0;
}

void arch_cpu_start(unsigned int cpu, unsigned long entry)
{
	if (cpus[cpu].cell->stopping)
		return;
	cpus[cpu].parked = false;
	cpus[cpu].started = true;
	cpus[cpu].entry = entry;
}

static unsigned int memory_flushes;

void hypervisor_memory_flush(void)
{
	memory_flushes++;
}

/* interrupts the hypervisor sent, by CPU */
static unsigned int wakes[NUM_CPUS];

/* a parked CPU asked to leave the hypervisor does so when woken */
void arch_wake_cpu(unsigned int cpu)
{
	wakes[cpu]++;
	if (per_cpu(cpu)->shutdown_requested && !cpus[cpu].stuck)
		cpus[cpu].shut_down = true;
}

bool arch_cpu_shut_down(unsigned int cpu)
{
	return cpus[cpu].shut_down;
}

/* management calls and the disabling CPU drop other CPUs' unmappings */
static unsigned int paging_syncs;

void arch_paging_sync(void)
{
	paging_syncs++;
}

static jmp_buf left;
static unsigned int restored;

void arch_cpu_restore(struct per_cpu *cpu_data)
{
	restored++;
}

void arch_cpu_leave(struct per_cpu *cpu_data, int code)
{
	longjmp(left, 1);
}

void arch_panic_stop(void)
{
	longjmp(left, 2);
}

/* --- the inmates ------------------------------------------------------ */

/* How the inmate of cell id n answers a message. */
enum answer {
	APPROVE,
	DENY,
	SAY_RECEIVED,
	SILENT,
	/* sets its own state to "shut down" instead of answering */
	SHUT_ITSELF_DOWN,
};

static enum answer answers[8];
/* messages the inmates got, by cell id; one being answered */
static u32 messages[8][4];
static unsigned int num_messages[8];

static bool pending[8];

static void inmates_act(void)
{
	struct jailhouse_comm_region *comm;
	struct cell *cell;

	for (cell = root_cell.next; cell; cell = cell->next) {
		comm = cell->comm_page;
		if (!pending[cell->id] ||
		    comm->reply_from_cell != JAILHOUSE_MSG_NONE)
			continue;
		switch (answers[cell->id]) {
		case APPROVE:
			comm->reply_from_cell = JAILHOUSE_MSG_REQUEST_APPROVED;
			break;
		case DENY:
			comm->reply_from_cell = JAILHOUSE_MSG_REQUEST_DENIED;
			break;
		case SAY_RECEIVED:
			comm->reply_from_cell = JAILHOUSE_MSG_RECEIVED;
			break;
		case SILENT:
			break;
		case SHUT_ITSELF_DOWN:
			comm->cell_state = JAILHOUSE_CELL_SHUT_DOWN;
			break;
		}
	}
}

static unsigned long now_us;

/* Time passes while the hypervisor waits; the inmates act meanwhile. */
unsigned long arch_time_us(void)
{
	inmates_act();
	now_us += 100;
	return now_us;
}

/*
 * The hypervisor pushes what it writes into a comm page out of the caches:
 * a new message is seen here.
 */
void arch_dcache_flush(const volatile void *addr, unsigned long size)
{
	struct cell *cell;
	u32 msg;

	for (cell = root_cell.next; cell; cell = cell->next) {
		if (addr != &cell->comm_page->msg_to_cell)
			continue;
		msg = cell->comm_page->msg_to_cell;
		pending[cell->id] = msg != JAILHOUSE_MSG_NONE;
		if (pending[cell->id] &&
		    num_messages[cell->id] < ARRAY_SIZE(messages[0]))
			messages[cell->id][num_messages[cell->id]++] = msg;
	}
}

void arch_zero_memory(void *addr, unsigned long size)
{
	memset(addr, 0, size);
}

/* --- cells, stage 2, memory -------------------------------------------- */

static unsigned int cell_create_failure;

int arch_cell_create(struct cell *cell)
{
	if (cell_create_failure)
		return -ENOMEM;
	return paging_init_structures(&cell->arch.stage2, &test_desc);
}

void arch_cell_destroy(struct cell *cell)
{
	paging_free_structures(&cell->arch.stage2);
}

static unsigned int maps, map_failure, unmaps, unmap_failure;

int arch_map_memory_region(struct cell *cell,
			   const struct jailhouse_memory *mem)
{
	unsigned long flags = 0;

	if (++maps == map_failure)
		return -ENOMEM;
	if (mem->flags & JAILHOUSE_MEM_READ)
		flags |= PAGE_FLAG_READ;
	if (mem->flags & JAILHOUSE_MEM_WRITE)
		flags |= PAGE_FLAG_WRITE;
	if (mem->flags & JAILHOUSE_MEM_EXECUTE)
		flags |= PAGE_FLAG_EXEC;
	if (mem->flags & JAILHOUSE_MEM_IO)
		flags |= PAGE_FLAG_DEVICE;
	return paging_create(&cell->arch.stage2, mem->phys_start, mem->size,
			     mem->virt_start, flags, PAGING_HUGE);
}

int arch_unmap_memory_region(struct cell *cell,
			     const struct jailhouse_memory *mem)
{
	if (++unmaps == unmap_failure)
		return -ENOMEM;
	return paging_destroy(&cell->arch.stage2, mem->virt_start, mem->size);
}

static unsigned int comm_inits;

void arch_comm_region_init(struct cell *cell,
			   struct jailhouse_comm_region *comm)
{
	comm_inits++;
}

/* The root's copy of a cell config, and cell RAM, as host buffers. */
static u8 config_buf[4096];
static u8 ram[3][DEMO_RAM_SIZE];
static const unsigned long ram_phys[3] = { DEMO1_RAM, DEMO2_RAM, SMP_RAM };
static unsigned int guest_maps, guest_map_calls, guest_map_failure;

static void *host_address(unsigned long phys, unsigned long size)
{
	unsigned int n;

	for (n = 0; n < ARRAY_SIZE(ram); n++)
		if (phys >= ram_phys[n] &&
		    phys + size <= ram_phys[n] + DEMO_RAM_SIZE)
			return ram[n] + (phys - ram_phys[n]);
	return NULL;
}

/* linked with --wrap: control.c's and memory.c's calls land here */
void *__wrap_paging_map_guest(const struct paging_structures *pg,
			      unsigned long gphys, unsigned long size,
			      unsigned long flags);
void *__wrap_paging_map_memory(unsigned long phys, unsigned long size);
void __wrap_paging_unmap_device(unsigned long phys, void *virt,
				unsigned long size);

void *__wrap_paging_map_guest(const struct paging_structures *pg,
			      unsigned long gphys, unsigned long size,
			      unsigned long flags)
{
	assert_ptr_equal(pg, &root_cell.arch.stage2);
	assert_int_equal(flags, PAGE_FLAG_READ);
	if (++guest_map_calls == guest_map_failure ||
	    gphys < CONFIG_GPA ||
	    gphys + size > CONFIG_GPA + sizeof(config_buf))
		return NULL;
	guest_maps++;
	return config_buf + (gphys - CONFIG_GPA);
}

void *__wrap_paging_map_memory(unsigned long phys, unsigned long size)
{
	void *host = host_address(phys, size);

	assert_non_null(host);
	guest_maps++;
	return host;
}

void __wrap_paging_unmap_device(unsigned long phys, void *virt,
				unsigned long size)
{
	guest_maps--;
}

/* --- a unit ---------------------------------------------------------- */

static unsigned int unit_cells, unit_cell_failure, unit_resets;

/*
 * Units come after the cell's stage 2 and its memory, and go before them
 * (jailhouse/unit.h): the first page-mapped region of the cell is there.
 */
static void assert_memory_mapped(struct cell *cell)
{
	const struct jailhouse_memory *mem =
		jailhouse_cell_mem_regions(cell->config);
	unsigned int n;

	for (n = 0; n < cell->config->num_memory_regions; n++, mem++)
		if (mem->size && !(mem->flags & JAILHOUSE_MEM_COMM_REGION) &&
		    !((mem->virt_start | mem->size) & PAGE_OFFS_MASK))
			break;
	assert_true(n < cell->config->num_memory_regions);
	assert_int_equal(paging_virt2phys(&cell->arch.stage2,
					  mem->virt_start, NULL),
			 mem->phys_start);
}

static int unit_cell_init(struct cell *cell)
{
	assert_memory_mapped(cell);
	if (unit_cell_failure)
		return -EIO;
	unit_cells++;
	return 0;
}

static void unit_cell_exit(struct cell *cell)
{
	assert_memory_mapped(cell);
	unit_cells--;
}

/* Devices are reset only while no CPU of the cell runs. */
static void unit_cell_reset(struct cell *cell)
{
	unsigned int cpu;

	for_each_cpu(cpu, cell)
		assert_true(cpus[cpu].parked);
	unit_resets++;
}

static unsigned int unit_mmio_count_regions(struct cell *cell)
{
	return 1;
}

const struct unit test_unit
	__attribute__((section("test_units"), used)) = {
	.name = "test",
	.cell_init = unit_cell_init,
	.cell_exit = unit_cell_exit,
	.cell_reset = unit_cell_reset,
	.mmio_count_regions = unit_mmio_count_regions,
};

/* The console output of cells. */
static char putc_buf[16];
static unsigned int putc_len;

void console_putc_from_cell(char c)
{
	if (putc_len + 1 < sizeof(putc_buf))
		putc_buf[putc_len++] = c;
}

/* --- helpers ---------------------------------------------------------- */

static long root_call(unsigned long code, unsigned long arg1,
		      unsigned long arg2)
{
	test_cpu_data = per_cpu(0);
	return hypercall(code, arg1, arg2);
}

/* Put @desc where the root cell's driver would, and create the cell. */
static long create(const void *desc, size_t size)
{
	assert_true(size <= sizeof(config_buf));
	memcpy(config_buf, desc, size);
	return root_call(JAILHOUSE_HC_CELL_CREATE, CONFIG_GPA, 0);
}

#define CREATE(desc)	create(&(desc), sizeof(desc))

static struct cell *find(unsigned int id)
{
	struct cell *cell;

	for (cell = root_cell.next; cell; cell = cell->next)
		if (cell->id == id)
			return cell;
	return NULL;
}

static unsigned long translate(struct cell *cell, unsigned long gphys)
{
	return paging_virt2phys(&cell->arch.stage2, gphys, NULL);
}

/* The state the root cell reads through "cell get state". */
static long cell_state_of(unsigned int id)
{
	return root_call(JAILHOUSE_HC_CELL_GET_STATE, id, 0);
}

/* Linux takes @cpu offline: it parks in the hypervisor. */
static void offline(unsigned int cpu)
{
	cpus[cpu].parked = true;
}

/* Nothing of any cell left, the root as after enabling. */
static void assert_pristine(void)
{
	unsigned int cpu;

	assert_null(root_cell.next);
	assert_int_equal(num_cells, 1);
	assert_int_equal(root_cell.num_cpus, NUM_CPUS);
	for (cpu = 0; cpu < NUM_CPUS; cpu++) {
		assert_true(cell_owns_cpu(&root_cell, cpu));
		assert_ptr_equal(cpus[cpu].cell, &root_cell);
	}
	assert_int_equal(translate(&root_cell, DEMO1_RAM), DEMO1_RAM);
	assert_int_equal(translate(&root_cell, DEMO2_RAM), DEMO2_RAM);
	assert_int_equal(mem_pool.used_pages, baseline);
	assert_int_equal(guest_maps, 0);
	assert_int_equal(unit_cells, 1);
}

static int setup(void **state)
{
	unsigned int cpu;

	pool_memory = aligned_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE);
	if (!pool_memory)
		return -1;
	/* the hypervisor's pool is scrubbed: the code may rely on it */
	memset(pool_memory, 0xa5, POOL_PAGES * PAGE_SIZE);
	hv_phys_offset = 0;
	page_pool_init(&mem_pool, pool_memory, POOL_PAGES, pool_bitmap,
		       PAGE_POOL_SCRUB);

	sys = qemu_arm64;
	system_config = (struct jailhouse_system *)&sys;
	memset(&root_cell, 0, sizeof(root_cell));
	root_cell.config = &system_config->root_cell;
	num_cells = 1;
	memset(cpus, 0, sizeof(cpus));
	memset(__hv_core_end, 0, sizeof(__hv_core_end));
	for (cpu = 0; cpu < NUM_CPUS; cpu++) {
		per_cpu(cpu)->cpu_id = cpu;
		per_cpu(cpu)->cell = &root_cell;
		cpus[cpu].cell = &root_cell;
	}
	assign_refused = NUM_CPUS;
	park_requested = false;
	memset(answers, 0, sizeof(answers));
	memset(messages, 0, sizeof(messages));
	memset(num_messages, 0, sizeof(num_messages));
	memset(pending, 0, sizeof(pending));
	memset(wakes, 0, sizeof(wakes));
	memory_flushes = 0;
	maps = map_failure = unmaps = unmap_failure = 0;
	cell_create_failure = unit_cell_failure = unit_cells = 0;
	guest_maps = guest_map_calls = guest_map_failure = 0;
	comm_inits = restored = putc_len = 0;
	memset(ram, 0x5a, sizeof(ram));

	if (cell_init(&root_cell))
		return -1;
	baseline = mem_pool.used_pages;
	maps = unmaps = 0;
	printk_log_clear();
	return 0;
}

static int teardown(void **state)
{
	struct cell *cell;

	/* whatever a test left: the pool goes as a whole */
	for (cell = root_cell.next; cell; cell = cell->next)
		cell->next = NULL;
	root_cell.next = NULL;
	free(pool_memory);
	return 0;
}

/* --- tests: the life of a cell ------------------------------------- */

static void test_root_cell(void **state)
{
	assert_int_equal(root_cell.num_cpus, NUM_CPUS);
	assert_int_equal(unit_cells, 1);
	assert_int_equal(translate(&root_cell, 0x40000000), 0x40000000);
	assert_int_equal(cell_state_of(0), JAILHOUSE_CELL_RUNNING);
	assert_int_equal(root_call(JAILHOUSE_HC_HYPERVISOR_GET_INFO,
				   JAILHOUSE_INFO_NUM_CELLS, 0), 1);
	assert_int_equal(root_call(JAILHOUSE_HC_HYPERVISOR_GET_INFO,
				   JAILHOUSE_INFO_MEM_POOL_SIZE, 0),
			 POOL_PAGES);
	assert_int_equal(root_call(JAILHOUSE_HC_HYPERVISOR_GET_INFO,
				   JAILHOUSE_INFO_MEM_POOL_USED, 0), baseline);
	assert_int_equal(root_call(JAILHOUSE_HC_HYPERVISOR_GET_INFO,
				   JAILHOUSE_INFO_REMAP_POOL_SIZE, 0),
			 remap_pool.pages);
	assert_int_equal(root_call(JAILHOUSE_HC_HYPERVISOR_GET_INFO,
				   JAILHOUSE_INFO_REMAP_POOL_USED, 0),
			 remap_pool.used_pages);
	assert_int_equal(root_call(JAILHOUSE_HC_HYPERVISOR_GET_INFO, 99, 0),
			 -EINVAL);
	assert_int_equal(root_call(99, 0, 0), -ENOSYS);
}

static void test_life_cycle(void **state)
{
	struct jailhouse_comm_region *comm;
	struct cell *cell;

	offline(3);
	assert_int_equal(CREATE(demo1), 1);
	assert_true(printk_log_contains("Created cell \"inmate-demo\" "
					"(id 1)"));
	cell = find(1);
	assert_non_null(cell);
	assert_int_equal(num_cells, 2);
	assert_int_equal(unit_cells, 2);
	assert_int_equal(comm_inits, 1);
	/* the root's copy of the config may change now: the cell's stays */
	memset(config_buf, 0, sizeof(config_buf));
	assert_string_equal(cell->config->name, "inmate-demo");
	assert_int_equal(guest_maps, 0);

	/* CPU 3 and the RAM left the root */
	assert_ptr_equal(cpus[3].cell, cell);
	assert_false(cell_owns_cpu(&root_cell, 3));
	assert_int_equal(root_cell.num_cpus, 3);
	assert_int_equal(translate(&root_cell, DEMO1_RAM), INVALID_PHYS_ADDR);
	assert_int_equal(translate(cell, 0x1234), DEMO1_RAM + 0x1234);
	/* the UART is shared */
	assert_int_equal(translate(&root_cell, 0x09000000), 0x09000000);
	assert_int_equal(translate(cell, 0x09000000), 0x09000000);

	/* the comm page: the hypervisor's, at the config's address */
	comm = cell->comm_page;
	assert_int_equal(translate(cell, COMM_GPA),
			 paging_hvirt2phys(comm));
	assert_memory_equal(comm->signature, JAILHOUSE_COMM_REGION_SIGNATURE,
			    sizeof(comm->signature));
	assert_int_equal(comm->revision, JAILHOUSE_COMM_REGION_ABI_REVISION);
	assert_int_equal(comm->flags, JAILHOUSE_COMM_FLAG_DBG_PUTC_PERMITTED);
	assert_int_equal(comm->console.address, 0x09000000);
	assert_int_equal(cell_state_of(1), JAILHOUSE_CELL_SHUT_DOWN);
	assert_int_equal(root_call(JAILHOUSE_HC_HYPERVISOR_GET_INFO,
				   JAILHOUSE_INFO_NUM_CELLS, 0), 2);

	/* load: the root sees the loadable RAM, 1:1 */
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_SET_LOADABLE, 1, 0), 0);
	assert_int_equal(translate(&root_cell, DEMO1_RAM), DEMO1_RAM);
	assert_true(cell->loadable);
	/* again: nothing changes */
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_SET_LOADABLE, 1, 0), 0);
	assert_false(cpus[3].started);
	assert_int_equal(cell_state_of(1), JAILHOUSE_CELL_SHUT_DOWN);

	/* start: the root loses it again, CPU 3 runs the inmate */
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_START, 1, 0), 0);
	assert_true(printk_log_contains("Started cell \"inmate-demo\""));
	assert_int_equal(translate(&root_cell, DEMO1_RAM), INVALID_PHYS_ADDR);
	assert_false(cell->loadable);
	assert_true(cpus[3].started);
	assert_false(cpus[3].parked);
	assert_int_equal(cpus[3].entry, demo1.cell.cpu_reset_address);
	assert_int_equal(cell_state_of(1), JAILHOUSE_CELL_RUNNING);

	/* destroy: asked, approved, everything back */
	ram[0][0x100] = 0x42;
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_DESTROY, 1, 0), 0);
	assert_int_equal(num_messages[1], 1);
	assert_int_equal(messages[1][0], JAILHOUSE_MSG_SHUTDOWN_REQUEST);
	/* its running CPU was woken for the request, no other CPU */
	assert_int_equal(wakes[3], 1);
	assert_int_equal(wakes[0] + wakes[1] + wakes[2], 0);
	assert_true(printk_log_contains("Destroyed cell \"inmate-demo\""));
	assert_true(cpus[3].parked);
	/* the inmate's data does not reach the root */
	assert_int_equal(ram[0][0x100], 0);
	assert_pristine();
	assert_int_equal(cell_state_of(1), -ENOENT);
}

static void test_two_cells(void **state)
{
	offline(2);
	offline(3);
	assert_int_equal(CREATE(demo1), 1);
	assert_int_equal(CREATE(demo2), 2);
	assert_int_equal(num_cells, 3);
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_START, 1, 0), 0);
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_START, 2, 0), 0);
	/* cell 1 did not run when cell 2 came: not told */
	assert_int_equal(num_messages[1], 0);

	/* cell 2 goes: cell 1 is told, keeps its memory and CPU */
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_DESTROY, 2, 0), 0);
	assert_int_equal(num_messages[1], 1);
	assert_int_equal(messages[1][0], JAILHOUSE_MSG_RECONFIG_COMPLETED);
	assert_int_equal(translate(&root_cell, DEMO2_RAM), DEMO2_RAM);
	assert_int_equal(translate(&root_cell, DEMO1_RAM), INVALID_PHYS_ADDR);
	assert_ptr_equal(cpus[3].cell, find(1));
	assert_false(cpus[3].parked);

	/* a new cell gets the lowest free id; the running one is told */
	offline(2);
	assert_int_equal(CREATE(demo2), 2);
	assert_int_equal(num_messages[1], 2);
	assert_int_equal(messages[1][1], JAILHOUSE_MSG_RECONFIG_COMPLETED);
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_DESTROY, 1, 0), 0);
	offline(3);
	assert_int_equal(CREATE(demo1), 1);
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_DESTROY, 2, 0), 0);
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_DESTROY, 1, 0), 0);
	assert_pristine();
}

static void test_load_failure(void **state)
{
	typeof(demo1) active = demo1;

	active.cell.flags |= JAILHOUSE_CELL_VIRTUAL_CONSOLE_ACTIVE;
	offline(3);
	assert_int_equal(CREATE(active), 1);
	assert_int_equal(find(1)->comm_page->flags,
			 JAILHOUSE_COMM_FLAG_DBG_PUTC_PERMITTED |
			 JAILHOUSE_COMM_FLAG_DBG_PUTC_ACTIVE);

	maps = 0;
	map_failure = 1;
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_SET_LOADABLE, 1, 0),
			 -ENOMEM);
	assert_true(printk_log_contains("Cell \"inmate-demo\": cannot map "
					"its loadable memory into the root "
					"cell"));
	assert_false(find(1)->loadable);
	assert_int_equal(translate(&root_cell, DEMO1_RAM), INVALID_PHYS_ADDR);
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_DESTROY, 1, 0), 0);
	assert_pristine();
}

static void test_restart(void **state)
{
	offline(3);
	assert_int_equal(CREATE(demo1), 1);
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_START, 1, 0), 0);
	cpus[3].started = false;
	unit_resets = 0;
	/* a running cell is asked before it restarts */
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_START, 1, 0), 0);
	assert_int_equal(messages[1][0], JAILHOUSE_MSG_SHUTDOWN_REQUEST);
	assert_true(cpus[3].started);
	/* its devices were reset while it was stopped */
	assert_int_equal(unit_resets, 1);

	answers[1] = DENY;
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_START, 1, 0), -EPERM);
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_SET_LOADABLE, 1, 0),
			 -EPERM);
	assert_false(cpus[3].parked);
	answers[1] = APPROVE;
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_DESTROY, 1, 0), 0);
	assert_pristine();
}

/* --- tests: answers to the shutdown request ---------------------------- */

static void create_and_start_demo1(void)
{
	offline(3);
	assert_int_equal(CREATE(demo1), 1);
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_START, 1, 0), 0);
	printk_log_clear();
}

static void test_shutdown_denied(void **state)
{
	create_and_start_demo1();
	answers[1] = DENY;
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_DESTROY, 1, 0), -EPERM);
	assert_true(printk_log_contains("Cell \"inmate-demo\" denied the "
					"shutdown request"));
	/* nothing changed */
	assert_false(cpus[3].parked);
	assert_int_equal(num_cells, 2);
	assert_int_equal(find(1)->comm_page->msg_to_cell,
			 JAILHOUSE_MSG_NONE);

	/* any other answer is a denial, too */
	answers[1] = SAY_RECEIVED;
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_DESTROY, 1, 0), -EPERM);
	assert_true(printk_log_contains("answered the shutdown request with "
					"4: denied"));

	/* shutting itself down is an answer */
	answers[1] = SHUT_ITSELF_DOWN;
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_DESTROY, 1, 0), 0);
	assert_pristine();
}

static void test_shutdown_silent(void **state)
{
	unsigned long start;

	create_and_start_demo1();
	answers[1] = SILENT;
	start = now_us;
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_SET_LOADABLE, 1, 0), 0);
	/* the default timeout, a second, then it is stopped as failed */
	assert_true(now_us - start >= 1000000);
	assert_true(now_us - start < 1100000);
	assert_true(printk_log_contains("Cell \"inmate-demo\" did not answer "
					"the shutdown request in 1000000 us: "
					"stopped as failed"));
	assert_true(cpus[3].parked);
	/* and then loaded: the load shuts it down */
	assert_int_equal(cell_state_of(1), JAILHOUSE_CELL_SHUT_DOWN);
	assert_int_equal(translate(&root_cell, DEMO1_RAM), DEMO1_RAM);

	/* a stopped cell is not asked */
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_DESTROY, 1, 0), 0);
	assert_int_equal(num_messages[1], 1);
	assert_pristine();
}

static void test_timeout_capped(void **state)
{
	typeof(demo1) slow = demo1;
	unsigned long start;

	slow.cell.msg_reply_timeout = 0xffffffff;
	offline(3);
	assert_int_equal(CREATE(slow), 1);
	assert_true(printk_log_contains("Cell \"inmate-demo\": "
					"msg_reply_timeout 4294967295 capped "
					"to 2000000 us"));
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_START, 1, 0), 0);
	answers[1] = SILENT;
	start = now_us;
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_DESTROY, 1, 0), 0);
	assert_true(now_us - start >= 2000000);
	assert_true(now_us - start < 2100000);
	assert_pristine();
}

static void test_silent_and_stuck(void **state)
{
	create_and_start_demo1();
	answers[1] = SILENT;
	cpus[3].stuck = true;
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_DESTROY, 1, 0),
			 -ETIMEDOUT);
	assert_true(printk_log_contains("Cell \"inmate-demo\": CPU 3 does "
					"not stop"));
	assert_int_equal(cell_state_of(1), JAILHOUSE_CELL_FAILED);
	assert_int_equal(num_cells, 2);

	/* it parks after all: now it goes, without being asked again */
	cpus[3].stuck = false;
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_DESTROY, 1, 0), 0);
	assert_int_equal(num_messages[1], 1);
	assert_pristine();
}

static void test_passive_cell(void **state)
{
	typeof(demo1) passive = demo1;

	passive.cell.flags |= JAILHOUSE_CELL_PASSIVE_COMMREG;
	offline(3);
	assert_int_equal(CREATE(passive), 1);
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_START, 1, 0), 0);
	answers[1] = DENY;
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_DESTROY, 1, 0), 0);
	assert_int_equal(num_messages[1], 0);
	assert_pristine();
}

static void test_running_locked(void **state)
{
	create_and_start_demo1();
	find(1)->comm_page->cell_state = JAILHOUSE_CELL_RUNNING_LOCKED;
	offline(2);
	assert_int_equal(CREATE(demo2), -EPERM);
	assert_true(printk_log_contains("Cell \"inmate-demo\" is "
					"running-locked: no cell management"));
	assert_int_equal(num_cells, 2);
	/* the locked cell itself is asked */
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_DESTROY, 1, 0), 0);
	assert_pristine();
}

static void test_cell_failed(void **state)
{
	struct cell *cell;

	create_and_start_demo1();
	cell = find(1);

	/* a CPU parks on its own, not failed: nothing to say */
	cpus[3].parked = true;
	cell_cpu_parking(cell);
	assert_int_equal(cell_state_of(1), JAILHOUSE_CELL_RUNNING);

	per_cpu(3)->failed = true;
	cell_cpu_parking(cell);
	assert_int_equal(cell_state_of(1), JAILHOUSE_CELL_FAILED);
	assert_true(printk_log_contains("Cell \"inmate-demo\" failed: all "
					"its CPUs are stopped"));
	assert_int_equal(root_call(JAILHOUSE_HC_CPU_GET_INFO, 3,
				   JAILHOUSE_CPU_INFO_STATE),
			 JAILHOUSE_CPU_FAILED);
	/* said once */
	printk_log_clear();
	cell_cpu_parking(cell);
	assert_string_equal(printk_log, "");
	cell_cpu_parking(&root_cell);

	/* a failed cell is not asked, and restarts afresh */
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_START, 1, 0), 0);
	assert_int_equal(num_messages[1], 0);
	assert_int_equal(cell_state_of(1), JAILHOUSE_CELL_RUNNING);
	assert_int_equal(root_call(JAILHOUSE_HC_CPU_GET_INFO, 3,
				   JAILHOUSE_CPU_INFO_STATE),
			 JAILHOUSE_CPU_RUNNING);
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_DESTROY, 1, 0), 0);
	assert_pristine();
}

static void test_smp_cell_park(void **state)
{
	struct cell *cell;

	offline(2);
	offline(3);
	assert_int_equal(CREATE(smp_demo), 1);
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_START, 1, 0), 0);
	cell = find(1);
	cpus[2].parked = false;

	/* the cell's CPU 2 parks CPU 3, unless the root stops the cell */
	assert_int_equal(cell_park_cpus(cell, per_cpu(2)), 0);
	assert_true(cpus[3].parked);
	assert_false(cpus[2].parked);
	cpus[3].parked = false;
	park_requested = true;
	assert_int_equal(cell_park_cpus(cell, per_cpu(2)), -EINTR);
	park_requested = false;

	/* one CPU does not change hands: none does */
	assign_refused = 3;
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_DESTROY, 1, 0), -EBUSY);
	assert_true(printk_log_contains("Cell \"smp-demo\": CPU 3 is not "
					"parked"));
	assert_ptr_equal(cpus[2].cell, cell);
	assert_ptr_equal(cpus[3].cell, cell);
	assert_int_equal(num_cells, 2);
	assign_refused = NUM_CPUS;
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_DESTROY, 1, 0), 0);
	assert_pristine();
}

/* A CPU seen parked stays parked: no CPU_ON gets through a stop. */
static void test_stop_races_cpu_on(void **state)
{
	offline(2);
	offline(3);
	assert_int_equal(CREATE(smp_demo), 1);
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_START, 1, 0), 0);
	/* CPU 3 runs and is about to start CPU 2 */
	cpus[2].parked = true;
	cpus[3].parked = false;
	pingpong = true;
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_DESTROY, 1, 0), 0);
	pingpong = false;
	assert_true(cpus[2].parked);
	assert_true(cpus[3].parked);
	assert_pristine();
}

/* --- tests: refused creations ------------------------------------------ */

static void assert_refused(long ret, long err, const char *msg)
{
	assert_int_equal(ret, err);
	if (msg)
		assert_true(printk_log_contains(msg));
	assert_pristine();
	printk_log_clear();
}

static void test_create_bad_config(void **state)
{
	typeof(demo1) bad;

	offline(3);
	/* not in the root cell's memory, at either look */
	assert_refused(root_call(JAILHOUSE_HC_CELL_CREATE, 0x1000, 0),
		       -EINVAL, "Cell config at 0x1000: not in the root "
		       "cell's memory");
	guest_map_calls = 0;
	guest_map_failure = 2;
	assert_refused(CREATE(demo1), -EINVAL, "Cell config at 0x60000000: "
		       "not in the root cell's memory");
	guest_map_failure = 0;

	bad = demo1;
	bad.cell.num_memory_regions = 100000;
	assert_refused(CREATE(bad), -EINVAL, "Cell config at 0x60000000: too "
		       "large");

	bad = demo1;
	bad.cell.signature[0] = 'X';
	assert_refused(CREATE(bad), -EINVAL, NULL);

	bad = demo1;
	bad.cell.flags |= JAILHOUSE_CELL_AARCH32;
	assert_refused(CREATE(bad), -EINVAL, "Invalid config "
		       "\"inmate-demo\": AArch32 cells are not supported");

	/* a CPU the system does not have */
	bad = demo1;
	bad.cpus[0] = 0x10;
	assert_refused(CREATE(bad), -EINVAL, NULL);
}

static void test_create_conflicts(void **state)
{
	typeof(demo2) clash;

	offline(3);
	offline(2);
	assert_int_equal(CREATE(demo1), 1);

	clash = demo2;
	memcpy(clash.cell.name, "inmate-demo", sizeof("inmate-demo"));
	assert_int_equal(CREATE(clash), -EEXIST);
	assert_true(printk_log_contains("a cell of that name exists"));

	clash = demo2;
	clash.mem_regions[1].phys_start = DEMO1_RAM + 0x1000;
	assert_true(CREATE(clash) < 0);
	assert_int_equal(num_cells, 2);
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_DESTROY, 1, 0), 0);
	assert_pristine();
}

static void test_create_cpu_online(void **state)
{
	/* CPU 3 still runs Linux */
	assert_refused(CREATE(demo1), -EBUSY, "Cell \"inmate-demo\": CPU 3 is "
		       "not offline in the root cell");
}

static void test_create_out_of_resources(void **state)
{
	unsigned int n;
	long ret;

	offline(3);
	cell_create_failure = 1;
	assert_refused(CREATE(demo1), -ENOMEM, NULL);
	cell_create_failure = 0;

	unit_cell_failure = 1;
	assert_refused(CREATE(demo1), -EIO, NULL);
	unit_cell_failure = 0;

	/* the cell's own memory cannot be mapped */
	maps = 0;
	map_failure = 1;
	assert_refused(CREATE(demo1), -ENOMEM, "mapping memory region");

	/* the comm page cannot be mapped */
	maps = 0;
	map_failure = 3;
	assert_refused(CREATE(demo1), -ENOMEM, NULL);
	map_failure = 0;

	/* the root cannot let go of the RAM */
	unmaps = 0;
	unmap_failure = 1;
	assert_refused(CREATE(demo1), -ENOMEM, NULL);
	unmap_failure = 0;

	/* each allocation in turn fails: nothing kept */
	for (n = 0; n < 32; n++) {
		unsigned long hold = POOL_PAGES - baseline - n;
		void *held = page_alloc(&mem_pool, hold);

		assert_non_null(held);
		ret = CREATE(demo1);
		page_free(&mem_pool, held, hold);
		if (ret == 1)
			break;
		/* copy_config() says -EINVAL when it finds no page */
		assert_true(ret == -ENOMEM || ret == -EINVAL);
		assert_pristine();
	}
	assert_int_equal(ret, 1);
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_DESTROY, 1, 0), 0);
	assert_pristine();
}

/* --- tests: calls and who may make them ---------------------------------- */

static void test_management_calls(void **state)
{
	unsigned int syncs = paging_syncs;

	/* the root cell is no cell to manage, an unknown id none at all */
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_START, 0, 0), -EINVAL);
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_DESTROY, 7, 0), -ENOENT);
	/* every management call first, whatever it finds */
	assert_int_equal(paging_syncs, syncs + 2);
	assert_true(root_call(JAILHOUSE_HC_CELL_GET_STATE, 7, 0) < 0);
	assert_int_equal(paging_syncs, syncs + 2);

	offline(3);
	assert_int_equal(CREATE(demo1), 1);
	/* a non-root cell may not manage */
	test_cpu_data = per_cpu(3);
	per_cpu(3)->cell = find(1);
	assert_int_equal(hypercall(JAILHOUSE_HC_CELL_DESTROY, 1, 0), -EPERM);
	assert_int_equal(hypercall(JAILHOUSE_HC_DISABLE, 0, 0), -EPERM);
	assert_int_equal(hypercall(JAILHOUSE_HC_CELL_GET_STATE, 1, 0),
			 -EPERM);
	/* it may ask about its own CPUs only */
	assert_int_equal(hypercall(JAILHOUSE_HC_CPU_GET_INFO, 3,
				   JAILHOUSE_CPU_INFO_STATE),
			 JAILHOUSE_CPU_RUNNING);
	assert_int_equal(hypercall(JAILHOUSE_HC_CPU_GET_INFO, 0,
				   JAILHOUSE_CPU_INFO_STATE), -EPERM);
	/* and use the console, when its config permits */
	assert_int_equal(hypercall(JAILHOUSE_HC_DEBUG_CONSOLE_PUTC, 'h', 0),
			 0);
	assert_int_equal(putc_len, 1);
	assert_int_equal(putc_buf[0], 'h');
	/* the root's config does not */
	assert_int_equal(root_call(JAILHOUSE_HC_DEBUG_CONSOLE_PUTC, 'x', 0),
			 -EPERM);
	assert_int_equal(putc_len, 1);

	assert_int_equal(root_call(JAILHOUSE_HC_CELL_DESTROY, 1, 0), 0);
	assert_pristine();
}

static void test_cpu_info(void **state)
{
	per_cpu(1)->stats[JAILHOUSE_CPU_STAT_VMEXITS_TOTAL] = 1234;
	per_cpu(1)->stats[NUM_CPU_STATS - 1] = 5;
	assert_int_equal(root_call(JAILHOUSE_HC_CPU_GET_INFO, 1,
				   JAILHOUSE_CPU_INFO_STAT_BASE), 1234);
	assert_int_equal(root_call(JAILHOUSE_HC_CPU_GET_INFO, 1,
				   JAILHOUSE_CPU_INFO_STAT_BASE +
				   NUM_CPU_STATS - 1), 5);
	assert_int_equal(root_call(JAILHOUSE_HC_CPU_GET_INFO, 1,
				   JAILHOUSE_CPU_INFO_STAT_BASE +
				   NUM_CPU_STATS), -EINVAL);
	assert_int_equal(root_call(JAILHOUSE_HC_CPU_GET_INFO, 1, 1),
			 -EINVAL);
	assert_int_equal(root_call(JAILHOUSE_HC_CPU_GET_INFO, NUM_CPUS,
				   JAILHOUSE_CPU_INFO_STATE), -EINVAL);
	assert_int_equal(root_call(JAILHOUSE_HC_CPU_GET_INFO, ~0UL,
				   JAILHOUSE_CPU_INFO_STATE), -EINVAL);

	/* the stats start from 0 in a new cell */
	per_cpu(3)->stats[0] = 99;
	offline(3);
	assert_int_equal(CREATE(demo1), 1);
	assert_int_equal(root_call(JAILHOUSE_HC_CPU_GET_INFO, 3,
				   JAILHOUSE_CPU_INFO_STAT_BASE), 0);
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_DESTROY, 1, 0), 0);
}

static void test_panic_stop(void **state)
{
	test_cpu_data = per_cpu(2);
	if (setjmp(left) == 0)
		panic_stop();
	assert_true(per_cpu(2)->failed);
	assert_true(printk_log_contains("Stopping CPU 2\n"));
}

static void test_disable_alone(void **state)
{
	unsigned long start = now_us;

	/* CPU 1 calls in, CPU 0 never does: CPU 1 gives up, stays */
	offline(2);
	offline(3);
	test_cpu_data = per_cpu(1);
	assert_int_equal(hypercall(JAILHOUSE_HC_DISABLE, 0, 0), -ETIMEDOUT);
	assert_true(now_us - start >= 1000000);
	assert_true(now_us - start < 1100000);
	assert_true(printk_log_contains("Disable: CPU 1 waited for the other "
					"CPUs in vain"));
	assert_int_equal(restored, 0);
	assert_int_equal(memory_flushes, 0);
	assert_pristine();
}

/* Last: the hypervisor leaves for good. */
static void test_disable(void **state)
{
	unsigned int syncs;
	unsigned long start;

	offline(3);
	assert_int_equal(CREATE(demo1), 1);
	assert_int_equal(root_call(JAILHOUSE_HC_DISABLE, 0, 0), -EBUSY);
	assert_int_equal(root_call(JAILHOUSE_HC_CELL_DESTROY, 1, 0), 0);

	/*
	 * CPU 1 calls in, the last of those running: 0 counts as parked
	 * here, 2 and 3 are offline; 2 does not leave when asked.
	 */
	offline(0);
	offline(2);
	cpus[2].stuck = true;
	test_cpu_data = per_cpu(1);
	start = now_us;
	syncs = paging_syncs;
	if (setjmp(left) == 0)
		hypercall(JAILHOUSE_HC_DISABLE, 0, 0);
	assert_true(printk_log_contains("Shutting down hypervisor"));
	/* the CPU that takes the root cell down */
	assert_int_equal(paging_syncs, syncs + 1);
	assert_int_equal(restored, 1);
	/* the memory once, by the last CPU to arrive */
	assert_int_equal(memory_flushes, 1);
	/* the parked ones go back to the firmware, 2 after its second */
	assert_true(cpus[3].shut_down);
	assert_true(cpus[0].shut_down);
	assert_false(cpus[2].shut_down);
	assert_true(printk_log_contains("CPU 2 did not leave the hypervisor"));
	assert_true(now_us - start >= 1000000);
	assert_true(now_us - start < 1100000);
	assert_false(cpus[1].shut_down);
	/* the root cell is gone */
	assert_int_equal(unit_cells, 0);
	assert_int_equal(mem_pool.used_pages, 0);
}

int main(void)
{
#define TEST(t)	cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
		TEST(test_root_cell),
		TEST(test_life_cycle),
		TEST(test_two_cells),
		TEST(test_load_failure),
		TEST(test_restart),
		TEST(test_shutdown_denied),
		TEST(test_shutdown_silent),
		TEST(test_timeout_capped),
		TEST(test_silent_and_stuck),
		TEST(test_passive_cell),
		TEST(test_running_locked),
		TEST(test_cell_failed),
		TEST(test_stop_races_cpu_on),
		TEST(test_smp_cell_park),
		TEST(test_create_bad_config),
		TEST(test_create_conflicts),
		TEST(test_create_cpu_online),
		TEST(test_create_out_of_resources),
		TEST(test_management_calls),
		TEST(test_cpu_info),
		TEST(test_panic_stop),
		TEST(test_disable_alone),
		TEST(test_disable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
