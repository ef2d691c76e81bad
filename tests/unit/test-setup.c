// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of enabling the hypervisor (hypervisor/setup.c): every CPU
 * enters entry(), the first does the global set-up, all wait for each
 * other and then enter the root cell, or all undo their part and leave
 * with the same error.
 *
 * The hypervisor memory is a host buffer laid out as the linker script
 * lays out the image (the linker symbols point into it), followed by the
 * per-CPU areas, the system config (the shipped QEMU one) and the page
 * pool.  The "CPUs" run on one thread: while the first waits for the
 * others, they enter (test_cpu_relax()), and each leaves entry() by a
 * longjmp from the fake arch_cpu_activate() or arch_cpu_leave().  A CPU
 * that waits on the way out would wait for one below it on the stack, so
 * failures are tested with one CPU.  setup.c keeps its state in static
 * variables: each scenario runs in a process of its own ("test-setup N"
 * runs scenario N, "test-setup" all of them, one by one).
 */
#include "test.h"

#include <setjmp.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

#include <jailhouse/arch.h>
#include <jailhouse/cell.h>
#include <jailhouse/config.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/page_alloc.h>
#include <jailhouse/paging.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <jailhouse/unit.h>
#include <jailhouse/utils.h>

#include "test-format.h"

#define config qemu_arm64
#include "../../configs/arm64/qemu-arm64.c"
#undef config

/* Layout of the image, as in the Makefile's --defsym options. */
#define IMAGE_PAGES	4
#define HV_SIZE		0x400000UL
#define HV_PHYS		0x7f000000UL
#define MAX_TEST_CPUS	4

void entry(struct per_cpu *cpu_data, unsigned long phys_base);
/* not <string.h>: its ffsl() clashes with the hypervisor's */
char *strstr(const char *haystack, const char *needle);

/* The hypervisor memory; __hv_start and friends point into it. */
u8 test_image[HV_SIZE] __attribute__((aligned(4096)));
extern char __hv_start[], __text_start[], __rodata_start[], __data_start[];

struct jailhouse_system *system_config;
struct cell root_cell;
unsigned int num_cells;
void *test_cpu_data;
struct jailhouse_console_page console_page __attribute__((aligned(4096)));

/* What may go wrong, and where. */
static struct {
	int console;
	int unit_init[2];	/* of the first and of the second unit */
	int arch_cpu_init;	/* on the CPU given below */
	unsigned int arch_cpu_init_cpu;
	int cell_init;
	int console_map;
} fail;

static unsigned int online, cpus_entered;
static jmp_buf cpu_jmp[MAX_TEST_CPUS];
static int left_with[MAX_TEST_CPUS];
static bool activated[MAX_TEST_CPUS], restored[MAX_TEST_CPUS];
static unsigned int activations, paging_activations;
static unsigned int units_ready, units_shut_down;
static bool unit_up[2];
static bool root_cell_alive;

/* --- fake arch hooks and the rest of the hypervisor -------------------- */

const struct paging_desc *arch_paging_init(void)
{
	return &test_desc;
}

void arch_paging_activate(void)
{
	paging_activations++;
}

int arch_cpu_init(struct per_cpu *cpu_data)
{
	if (fail.arch_cpu_init && cpu_data->cpu_id == fail.arch_cpu_init_cpu)
		return fail.arch_cpu_init;
	return 0;
}

void arch_cpu_restore(struct per_cpu *cpu_data)
{
	restored[cpu_data->cpu_id] = true;
}

void arch_cpu_activate(struct per_cpu *cpu_data)
{
	activated[cpu_data->cpu_id] = true;
	activations++;
	longjmp(cpu_jmp[cpu_data->cpu_id], 1);
}

void arch_cpu_leave(struct per_cpu *cpu_data, int code)
{
	left_with[cpu_data->cpu_id] = code;
	longjmp(cpu_jmp[cpu_data->cpu_id], 2);
}

int arch_map_memory_region(struct cell *cell,
			   const struct jailhouse_memory *mem)
{
	assert_ptr_equal(cell, &root_cell);
	/* the console page, read-only, 1:1 */
	assert_int_equal(mem->phys_start, paging_hvirt2phys(&console_page));
	assert_int_equal(mem->virt_start, mem->phys_start);
	assert_int_equal(mem->size, PAGE_SIZE);
	assert_int_equal(mem->flags, JAILHOUSE_MEM_READ);
	return fail.console_map;
}

/* what the last CPU to leave pushed out of the caches */
static const char *flushed_start, *flushed_end;

void arch_dcache_flush(const volatile void *addr, unsigned long size)
{
	flushed_start = (const char *)addr;
	flushed_end = flushed_start + size;
}

int console_init(void)
{
	return fail.console;
}

int cell_init(struct cell *cell)
{
	const unsigned long *cpus = jailhouse_cell_cpu_set(cell->config);

	assert_ptr_equal(cell, &root_cell);
	assert_ptr_equal(cell->config, &system_config->root_cell);
	/* the root cell's unit state needs every unit up */
	assert_true(unit_up[0] && unit_up[1]);
	if (fail.cell_init)
		return fail.cell_init;
	/* only what setup.c looks at */
	memcpy(cell->cpu_set, cpus, sizeof(u64));
	cell->num_cpus = __builtin_popcountl(cell->cpu_set[0]);
	root_cell_alive = true;
	return 0;
}

void cell_exit(struct cell *cell)
{
	assert_ptr_equal(cell, &root_cell);
	assert_true(root_cell_alive);
	/* before the units shut down */
	assert_true(unit_up[0] && unit_up[1]);
	root_cell_alive = false;
}

static int unit_init(unsigned int n)
{
	/* in table order, each once */
	assert_int_equal(units_ready, n);
	assert_false(unit_up[n]);
	if (fail.unit_init[n])
		return fail.unit_init[n];
	unit_up[n] = true;
	units_ready++;
	return 0;
}

static void unit_shutdown(unsigned int n)
{
	/* only a unit whose init succeeded, and only once */
	assert_true(unit_up[n]);
	unit_up[n] = false;
	units_shut_down++;
}

static int first_unit_init(void)
{
	return unit_init(0);
}

static void first_unit_shutdown(void)
{
	unit_shutdown(0);
}

static int second_unit_init(void)
{
	return unit_init(1);
}

static void second_unit_shutdown(void)
{
	unit_shutdown(1);
}

const struct unit setup_units[2]
	__attribute__((section("test_units"), used)) = {
	{ .name = "first", .init = first_unit_init,
	  .shutdown = first_unit_shutdown },
	{ .name = "second", .init = second_unit_init,
	  .shutdown = second_unit_shutdown },
};

/* --- the CPUs ----------------------------------------------------------- */

static void cpu_enter(unsigned int cpu)
{
	void *waiting = test_cpu_data;

	cpus_entered++;
	test_cpu_data = per_cpu(cpu);
	if (setjmp(cpu_jmp[cpu]) == 0)
		entry(per_cpu(cpu), HV_PHYS);
	test_cpu_data = waiting;
}

/* A CPU waits for the others: the next one enters meanwhile. */
void test_cpu_relax(void)
{
	if (cpus_entered < online)
		cpu_enter(cpus_entered);
}

/* Lay out hypervisor memory as the driver leaves it, start the CPUs. */
static void enable(unsigned int cpus, void (*tweak)(void))
{
	typeof(qemu_arm64) *sys;

	hypervisor_header.max_cpus = MAX_TEST_CPUS;
	hypervisor_header.online_cpus = online = cpus;
	sys = (void *)per_cpu(MAX_TEST_CPUS);
	*sys = qemu_arm64;
	sys->header.hypervisor_memory.size = HV_SIZE;
	sys->header.hypervisor_memory.phys_start = HV_PHYS;
	if (tweak)
		tweak();
	cpu_enter(0);
	/* once the first CPU is through, every one is */
	assert_int_equal(cpus_entered, online);
}

static void assert_all_left_with(int err)
{
	unsigned int cpu;

	for (cpu = 0; cpu < online; cpu++) {
		assert_false(activated[cpu]);
		assert_int_equal(left_with[cpu], err);
	}
	assert_true(printk_log_contains("Enabling the hypervisor failed"));
	/* all that was written: image, per-CPU areas, config, used pool */
	assert_ptr_equal(flushed_start, __hv_start);
	assert_true(flushed_end >= (char *)system_config);
	if (mem_pool.base_address)
		assert_ptr_equal(flushed_end, (char *)mem_pool.base_address +
				 mem_pool.touched_pages * PAGE_SIZE);
	assert_false(root_cell_alive);
	assert_int_equal(units_shut_down, units_ready);
	assert_false(unit_up[0] || unit_up[1]);
}

/* --- scenarios -------------------------------------------------------- */

static void set_root_cpus(u64 cpus)
{
	typeof(qemu_arm64) *sys = (void *)per_cpu(MAX_TEST_CPUS);

	sys->cpus[0] = cpus;
}

static void two_root_cpus(void)
{
	set_root_cpus(0x3);
}

static void test_enable(void **state)
{
	unsigned long flags;
	unsigned int cpu;

	enable(2, two_root_cpus);
	for (cpu = 0; cpu < 2; cpu++) {
		assert_true(activated[cpu]);
		assert_false(restored[cpu]);
		assert_ptr_equal(per_cpu(cpu)->cell, &root_cell);
		assert_int_equal(per_cpu(cpu)->cpu_id, cpu);
	}
	assert_int_equal(activations, 2);
	assert_true(root_cell_alive);
	assert_int_equal(units_ready, 2);
	assert_int_equal(num_cells, 1);
	assert_ptr_equal(system_config, per_cpu(MAX_TEST_CPUS));
	assert_int_equal(hv_phys_offset,
			 HV_PHYS - (unsigned long)test_image);
	/* once in the global set-up, then on each CPU */
	assert_int_equal(paging_activations, 3);

	assert_true(printk_log_contains("Initializing Jailhouse hypervisor "
					"test on CPU 0"));
	assert_true(printk_log_contains("Activating hypervisor on 2 CPUs"));
	assert_true(printk_log_contains("Page pool usage after early setup"));

	/* the image mapped with the rights of each part */
	assert_int_equal(paging_virt2phys(&hv_paging,
					  (unsigned long)__hv_start, &flags),
			 HV_PHYS);
	assert_int_equal(flags, PAGE_READONLY_FLAGS);
	assert_int_equal(paging_virt2phys(&hv_paging,
					  (unsigned long)__text_start + 8,
					  &flags), HV_PHYS + PAGE_SIZE + 8);
	assert_int_equal(flags, PAGE_FLAG_READ | PAGE_FLAG_EXEC);
	paging_virt2phys(&hv_paging, (unsigned long)__rodata_start, &flags);
	assert_int_equal(flags, PAGE_READONLY_FLAGS);
	assert_int_equal(paging_virt2phys(&hv_paging,
					  (unsigned long)test_image +
					  HV_SIZE - 1, &flags),
			 HV_PHYS + HV_SIZE - 1);
	assert_int_equal(flags, PAGE_DEFAULT_FLAGS);
	assert_int_equal(paging_virt2phys(&hv_paging,
					  (unsigned long)test_image + HV_SIZE,
					  NULL), INVALID_PHYS_ADDR);

	/* the pools: memory behind the config, remap addresses */
	assert_true((u8 *)mem_pool.base_address > (u8 *)system_config);
	assert_ptr_equal((u8 *)mem_pool.base_address +
			 mem_pool.pages * PAGE_SIZE, test_image + HV_SIZE);
	assert_ptr_equal(remap_pool.base_address, (void *)REMAP_BASE);
	assert_int_equal(remap_pool.pages, REMAP_SIZE / PAGE_SIZE);
}

static void wrong_phys_base(void)
{
	typeof(qemu_arm64) *sys = (void *)per_cpu(MAX_TEST_CPUS);

	sys->header.hypervisor_memory.phys_start = HV_PHYS + HV_SIZE;
}

static void test_wrong_phys_base(void **state)
{
	enable(1, wrong_phys_base);
	/* nothing can be said without the checked layout */
	assert_int_equal(left_with[0], -EINVAL);
	assert_int_equal(paging_activations, 0);
	assert_true(printk_log_contains("Enabling the hypervisor failed "
					"(-22)"));
}

static void too_many_cpus(void)
{
	hypervisor_header.max_cpus = MAX_CPUS + 1;
}

static void test_too_many_cpus(void **state)
{
	enable(1, too_many_cpus);
	assert_int_equal(left_with[0], -EINVAL);
}

static void no_room_for_pool(void)
{
	typeof(qemu_arm64) *sys = (void *)per_cpu(MAX_TEST_CPUS);
	unsigned long areas = IMAGE_PAGES * PAGE_SIZE +
		MAX_TEST_CPUS * sizeof(struct per_cpu);
	u64 size;

	/* the config fills the hypervisor memory to the last page */
	config_system_size((void *)sys, &size);
	sys->header.hypervisor_memory.size = areas + ALIGN_UP(size, PAGE_SIZE);
}

static void test_no_room_for_pool(void **state)
{
	enable(1, no_room_for_pool);
	assert_int_equal(left_with[0], -ENOMEM);
}

static void bad_signature(void)
{
	typeof(qemu_arm64) *sys = (void *)per_cpu(MAX_TEST_CPUS);

	sys->header.signature[0] = 'X';
}

static void test_bad_config(void **state)
{
	enable(1, bad_signature);
	/* by now the console works: the reason is said */
	assert_true(printk_log_contains("Invalid system config: wrong "
					"signature"));
	assert_all_left_with(-EINVAL);
	/* even to fail, with the full map */
	assert_int_equal(paging_activations, 2);
}

static void console_fails(void)
{
	fail.console = -ENODEV;
}

static void test_console_fails(void **state)
{
	enable(1, console_fails);
	assert_all_left_with(-ENODEV);
}

static void unit_fails(void)
{
	fail.unit_init[0] = -EIO;
}

static void test_unit_fails(void **state)
{
	enable(1, unit_fails);
	assert_true(printk_log_contains("Unit first failed (-5)"));
	assert_int_equal(units_ready, 0);
	assert_all_left_with(-EIO);
}

static void second_unit_fails(void)
{
	fail.unit_init[1] = -ENODEV;
}

static void test_second_unit_fails(void **state)
{
	enable(1, second_unit_fails);
	assert_true(printk_log_contains("Unit second failed (-19)"));
	/* the first one started and is shut down again, the second not */
	assert_int_equal(units_ready, 1);
	assert_false(unit_up[0]);
	assert_all_left_with(-ENODEV);
}

static void cell_init_fails(void)
{
	fail.cell_init = -ENOMEM;
}

static void test_cell_init_fails(void **state)
{
	enable(1, cell_init_fails);
	assert_all_left_with(-ENOMEM);
}

static void test_cpus_not_online(void **state)
{
	/* four CPUs in the root cell, but Linux has one online */
	enable(1, NULL);
	assert_true(printk_log_contains("Root cell has 4 CPUs, but 1 are "
					"online"));
	assert_all_left_with(-EINVAL);
}

static void one_root_cpu(void)
{
	set_root_cpus(0x1);
}

static void console_map_fails(void)
{
	one_root_cpu();
	fail.console_map = -ENOMEM;
}

static void test_console_map_fails(void **state)
{
	enable(1, console_map_fails);
	assert_all_left_with(-ENOMEM);
}

static void cpu_fails(void)
{
	one_root_cpu();
	fail.arch_cpu_init = -EIO;
	fail.arch_cpu_init_cpu = 0;
}

static void test_cpu_fails(void **state)
{
	enable(1, cpu_fails);
	assert_true(printk_log_contains("CPU 0: set-up failed (-5)"));
	/* it has nothing to undo */
	assert_false(restored[0]);
	assert_all_left_with(-EIO);
}

static void cpu_not_in_root(void)
{
	/* the root cell has CPU 1; CPU 0 enters */
	set_root_cpus(0x2);
}

static void test_cpu_not_in_root(void **state)
{
	enable(1, cpu_not_in_root);
	assert_true(printk_log_contains("CPU 0 is not in the root cell"));
	assert_all_left_with(-EINVAL);
}

/*
 * Run scenario @n in a process of its own, pass on what it says, and say
 * it failed if it ended without cmocka's verdict (a crash, a sanitizer).
 */
static bool run_scenario(const char *self, unsigned int n)
{
	char arg[16], buf[4096];
	bool verdict = false;
	int out[2], status;
	ssize_t len;
	pid_t pid;

	if (pipe(out))
		return false;
	pid = fork();
	if (pid == 0) {
		dup2(out[1], 1);
		dup2(out[1], 2);
		close(out[0]);
		snprintf(arg, sizeof(arg), "%u", n);
		execl(self, self, arg, (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	while ((len = read(out[0], buf, sizeof(buf) - 1)) > 0) {
		buf[len] = '\0';
		fputs(buf, stdout);
		if (strstr(buf, "[  PASSED  ]") || strstr(buf, "[  FAILED  ]"))
			verdict = true;
	}
	close(out[0]);
	fflush(stdout);
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		status = -1;
	if (!verdict) {
		printf("[  FAILED  ] 1 test(s), listed below:\n"
		       "[  FAILED  ] scenario %u (status %d)\n", n, status);
		return false;
	}
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int main(int argc, char *argv[])
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enable),
		cmocka_unit_test(test_wrong_phys_base),
		cmocka_unit_test(test_too_many_cpus),
		cmocka_unit_test(test_no_room_for_pool),
		cmocka_unit_test(test_bad_config),
		cmocka_unit_test(test_console_fails),
		cmocka_unit_test(test_unit_fails),
		cmocka_unit_test(test_second_unit_fails),
		cmocka_unit_test(test_cell_init_fails),
		cmocka_unit_test(test_cpus_not_online),
		cmocka_unit_test(test_console_map_fails),
		cmocka_unit_test(test_cpu_fails),
		cmocka_unit_test(test_cpu_not_in_root),
	};
	bool ok = true;
	unsigned int n;

	if (argc < 2) {
		for (n = 0; n < ARRAY_SIZE(tests); n++)
			ok &= run_scenario(argv[0], n);
		return ok ? 0 : 1;
	}
	n = atoi(argv[1]);
	if (n >= ARRAY_SIZE(tests))
		return 1;
	return _cmocka_run_group_tests(tests[n].name, &tests[n], 1, NULL,
				       NULL);
}
