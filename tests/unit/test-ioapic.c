// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the IOAPIC filter (hypervisor/arch/x86/ioapic.c) over a
 * fake IOAPIC of 24 pins: pin ownership from the irqchip bitmaps, the
 * cell's own IOREGSEL, foreign pins, destinations (physical, logical flat
 * and cluster), delivery modes, EOI, and the pins going to a new cell and
 * back.  ioapic.c is included, so that its unit hooks (static) are
 * reachable; the x86 headers come before the test's substitutes.
 */
#include "test.h"

#include "../../hypervisor/arch/x86/ioapic.c"

#define IOAPIC_ADDR	0xfec00000UL
#define NUM_PINS	24
#define NUM_CPUS	4

/* --- the fake IOAPIC ------------------------------------------------------ */

static struct {
	u32 sel;
	u32 regs[0x100];
	u32 last_eoi;
	unsigned int eois;
} dev;
static char dev_page[IOAPIC_SIZE];

void mmio_write32(void *address, u32 value)
{
	unsigned long off = (char *)address - dev_page;

	assert_true(off < IOAPIC_SIZE);
	if (off == IOAPIC_REGSEL) {
		dev.sel = value & 0xff;
	} else if (off == IOAPIC_WINDOW) {
		/* delivery status and remote IRR are read-only */
		if (dev.sel >= IOAPIC_REG_REDIR && !(dev.sel & 1))
			value = (value & ~0x5000U) |
				(dev.regs[dev.sel] & 0x5000U);
		dev.regs[dev.sel] = value;
	} else if (off == IOAPIC_EOI) {
		dev.last_eoi = value;
		dev.eois++;
	} else {
		fail_msg("write at 0x%lx", off);
	}
}

u32 mmio_read32(void *address)
{
	unsigned long off = (char *)address - dev_page;

	assert_true(off == IOAPIC_WINDOW);
	return dev.regs[dev.sel];
}

void *paging_map_device(unsigned long phys, unsigned long size)
{
	assert_int_equal(phys, IOAPIC_ADDR);
	assert_int_equal(size, IOAPIC_SIZE);
	return dev_page;
}

void paging_unmap_device(unsigned long phys, void *virt, unsigned long size)
{
	assert_ptr_equal(virt, dev_page);
}

/* --- the trapped regions -------------------------------------------------- */

#include "fake-mmio.h"

/* --- the system ----------------------------------------------------------- */

struct per_cpu __hv_core_end[NUM_CPUS];
struct jailhouse_header hypervisor_header = { .max_cpus = NUM_CPUS };
struct cell root_cell;

struct sys_config {
	struct jailhouse_system sys;
	__u64 cpus[1];
	struct jailhouse_irqchip irqchips[1];
} __attribute__((packed));

static struct sys_config sys = {
	.sys.root_cell = {
		.name = "root",
		.cpu_set_size = sizeof(__u64),
		.num_irqchips = 1,
	},
	.cpus = { 0xf },
	.irqchips = {
		{ .address = IOAPIC_ADDR, .id = 0xff00,
		  .pin_bitmap = { 0xffffff } },
	},
};
struct jailhouse_system *system_config = &sys.sys;

struct cell_config {
	struct jailhouse_cell_desc desc;
	__u64 cpus[1];
	struct jailhouse_irqchip irqchips[1];
} __attribute__((packed));

/* CPUs 2 and 3, pins 3 and 5 */
static struct cell_config cell_cfg = {
	.desc = {
		.name = "cell",
		.cpu_set_size = sizeof(__u64),
		.num_irqchips = 1,
	},
	.cpus = { 0xc },
	.irqchips = {
		{ .address = IOAPIC_ADDR, .id = 0xff00,
		  .pin_bitmap = { 1 << 3 | 1 << 5 } },
	},
};
static struct cell cell;

static void set_cpus(struct cell *c, unsigned long mask)
{
	memset(c->cpu_set, 0, sizeof(c->cpu_set));
	c->cpu_set[0] = mask;
}

static int setup(void **state)
{
	unsigned int cpu, pin;

	memset(&dev, 0, sizeof(dev));
	memset(regions, 0, sizeof(regions));
	fail_register = false;
	/* version 0x20, 24 entries, all masked as after reset */
	dev.regs[IOAPIC_REG_VERSION] = (NUM_PINS - 1) << 16 | 0x20;
	for (pin = 0; pin < NUM_PINS; pin++)
		dev.regs[redir_low(pin)] = REDIR_MASKED;
	/* APIC IDs 0, 2, 4, 6; Linux's flat logical IDs 1 << cpu */
	for (cpu = 0; cpu < NUM_CPUS; cpu++) {
		per_cpu(cpu)->arch.apic_id = 2 * cpu;
		per_cpu(cpu)->arch.ldr = (1U << cpu) << APIC_LDR_SHIFT;
		per_cpu(cpu)->arch.dfr = 0xffffffff;
		per_cpu(cpu)->cell = &root_cell;
	}

	memset(&root_cell, 0, sizeof(root_cell));
	root_cell.config = &sys.sys.root_cell;
	set_cpus(&root_cell, 0xf);
	memset(&cell, 0, sizeof(cell));
	cell.config = &cell_cfg.desc;
	set_cpus(&cell, 0xc);

	printk_log_clear();
	assert_int_equal(ioapic_init(), 0);
	assert_int_equal(ioapic_cell_init(&root_cell), 0);
	return 0;
}

static int teardown(void **state)
{
	ioapic_cell_exit(&root_cell);
	ioapic_shutdown();
	assert_int_equal(num_phys_ioapics, 0);
	return 0;
}

/* The cell's accesses, through its trapped region. */
static u32 cell_read(struct cell *c, unsigned long offset)
{
	struct region *r = region_of(c);
	struct mmio_access mmio = { .address = offset, .size = 4 };

	assert_non_null(r);
	assert_int_equal(r->handler(r->arg, &mmio), MMIO_HANDLED);
	return mmio.value;
}

static void cell_write(struct cell *c, unsigned long offset, u32 value)
{
	struct region *r = region_of(c);
	struct mmio_access mmio = {
		.address = offset, .size = 4, .is_write = true, .value = value,
	};

	assert_non_null(r);
	assert_int_equal(r->handler(r->arg, &mmio), MMIO_HANDLED);
}

static u32 reg_of(struct cell *c, unsigned int reg)
{
	cell_write(c, IOAPIC_REGSEL, reg);
	return cell_read(c, IOAPIC_WINDOW);
}

static void set_reg(struct cell *c, unsigned int reg, u32 value)
{
	cell_write(c, IOAPIC_REGSEL, reg);
	cell_write(c, IOAPIC_WINDOW, value);
}

/* as Linux writes an entry: the high half first */
static void set_entry(struct cell *c, unsigned int pin, u32 high, u32 low)
{
	set_reg(c, redir_low(pin) + 1, high);
	set_reg(c, redir_low(pin), low);
}

static void create_cell(void)
{
	assert_int_equal(ioapic_cell_init(&cell), 0);
	/* the core moves the CPUs after the units' cell_init */
	set_cpus(&root_cell, 0x3);
	per_cpu(2)->cell = per_cpu(3)->cell = &cell;
}

static void destroy_cell(void)
{
	per_cpu(2)->cell = per_cpu(3)->cell = &root_cell;
	set_cpus(&root_cell, 0xf);
	ioapic_cell_exit(&cell);
}

static void test_root_alone(void **state)
{
	assert_int_equal(phys_ioapics[0].pins, NUM_PINS);
	assert_int_equal(reg_of(&root_cell, IOAPIC_REG_VERSION),
			 (NUM_PINS - 1) << 16 | 0x20);
	/* IOREGSEL reads back, 8 bits */
	cell_write(&root_cell, IOAPIC_REGSEL, 0x1234);
	assert_int_equal(cell_read(&root_cell, IOAPIC_REGSEL), 0x34);

	/* owning every CPU, the root may name any: broadcast too */
	set_entry(&root_cell, 4, 0xff000000, 0x31);
	assert_int_equal(dev.regs[redir_low(4)], 0x31);
	assert_int_equal(dev.regs[redir_low(4) + 1], 0xff000000);
	assert_int_equal(reg_of(&root_cell, redir_low(4)), 0x31);
	set_entry(&root_cell, 1, 0x0f000000, REDIR_DEST_LOGICAL | 0x32);
	assert_int_equal(dev.regs[redir_low(1)], REDIR_DEST_LOGICAL | 0x32);
	assert_string_equal(printk_log, "");
}

static void test_pins_beyond_the_device(void **state)
{
	/* pin 24 does not exist: masked, writes go nowhere */
	set_reg(&root_cell, redir_low(NUM_PINS), 0x40);
	assert_true(printk_log_contains("pin 24 is not the cell's"));
	assert_int_equal(reg_of(&root_cell, redir_low(NUM_PINS)),
			 REDIR_MASKED);
	assert_int_equal(reg_of(&root_cell, redir_low(NUM_PINS) + 1), 0);
	assert_int_equal(dev.regs[redir_low(NUM_PINS)], 0);
}

static void test_identification_read_only(void **state)
{
	dev.regs[0] = 0x0f000000;
	set_reg(&root_cell, 0, 0x01000000);
	assert_int_equal(dev.regs[0], 0x0f000000);
	assert_int_equal(reg_of(&root_cell, 0), 0x0f000000);
	assert_true(printk_log_contains("register 0x0: write ignored"));
}

static void test_cell_takes_pins(void **state)
{
	/* the root's pin 3, live, goes to the cell masked */
	set_entry(&root_cell, 3, 0x00000000, 0x33);
	create_cell();
	assert_int_equal(dev.regs[redir_low(3)], 0x33 | REDIR_MASKED);
	assert_ptr_equal(phys_ioapics[0].owner[3], &cell);
	assert_ptr_equal(phys_ioapics[0].owner[5], &cell);
	assert_ptr_equal(phys_ioapics[0].owner[4], &root_cell);

	/* the root sees them masked and cannot write them */
	assert_int_equal(reg_of(&root_cell, redir_low(3)), REDIR_MASKED);
	set_entry(&root_cell, 5, 0, 0x35);
	assert_int_equal(dev.regs[redir_low(5)], REDIR_MASKED);
	assert_true(printk_log_contains(
		"Cell \"root\": IOAPIC 0xfec00000 pin 5 is not the cell's, "
		"write ignored"));

	/* the cell, the other way round */
	set_entry(&cell, 4, 0x04000000, 0x44);
	assert_int_equal(dev.regs[redir_low(4)], REDIR_MASKED);
	assert_true(printk_log_contains(
		"Cell \"cell\": IOAPIC 0xfec00000 pin 4 is not the cell's"));
	assert_int_equal(reg_of(&cell, redir_low(4)), REDIR_MASKED);
	destroy_cell();
}

static void test_own_regsel(void **state)
{
	create_cell();
	/* the root selects pin 4, the cell pin 3: each writes its own */
	cell_write(&root_cell, IOAPIC_REGSEL, redir_low(4));
	cell_write(&cell, IOAPIC_REGSEL, redir_low(3));
	cell_write(&root_cell, IOAPIC_WINDOW, 0x34);
	cell_write(&cell, IOAPIC_WINDOW, 0x43 | REDIR_MASKED);
	assert_int_equal(dev.regs[redir_low(4)], 0x34);
	assert_int_equal(dev.regs[redir_low(3)], 0x43 | REDIR_MASKED);
	assert_int_equal(cell_read(&root_cell, IOAPIC_REGSEL), redir_low(4));
	assert_int_equal(cell_read(&cell, IOAPIC_REGSEL), redir_low(3));
	destroy_cell();
}

static void test_physical_destination(void **state)
{
	create_cell();
	/* CPU 2 (APIC ID 4) is the cell's */
	set_entry(&cell, 3, 4 << REDIR_DEST_SHIFT, 0x50);
	assert_int_equal(dev.regs[redir_low(3)], 0x50);
	assert_int_equal(dev.regs[redir_low(3) + 1], 4 << REDIR_DEST_SHIFT);
	assert_string_equal(printk_log, "");

	/* CPU 1 (APIC ID 2) is the root's: written, masked */
	set_entry(&cell, 3, 2 << REDIR_DEST_SHIFT, 0x50);
	assert_int_equal(dev.regs[redir_low(3)], 0x50 | REDIR_MASKED);
	assert_true(printk_log_contains(
		"Cell \"cell\": IOAPIC 0xfec00000 pin 3: destination outside "
		"the cell's CPUs (0x0200000000000050), masked"));

	/* broadcast reaches the root's CPUs too */
	set_entry(&cell, 3, 4 << REDIR_DEST_SHIFT, 0x50);
	set_reg(&cell, redir_low(3) + 1, 0xff000000);
	assert_int_equal(dev.regs[redir_low(3)], 0x50 | REDIR_MASKED);
	assert_int_equal(dev.regs[redir_low(3) + 1], 0xff000000);

	/* the root may no longer name the cell's CPU */
	printk_log_clear();
	set_entry(&root_cell, 4, 6 << REDIR_DEST_SHIFT, 0x60);
	assert_int_equal(dev.regs[redir_low(4)], 0x60 | REDIR_MASKED);
	assert_true(printk_log_contains("Cell \"root\": IOAPIC 0xfec00000 "
					"pin 4: destination outside"));
	set_entry(&root_cell, 4, 2 << REDIR_DEST_SHIFT, 0x60);
	assert_int_equal(dev.regs[redir_low(4)], 0x60);
	destroy_cell();
}

static void test_logical_destination(void **state)
{
	unsigned int cpu;

	create_cell();
	/*
	 * flat: the cell's CPUs hold LDR 0 in their APICs (their cell's LDR
	 * is virtual, apic.c): its logical entries reach nothing of others
	 */
	set_entry(&cell, 5, 0x0c000000, REDIR_DEST_LOGICAL | 0x70);
	assert_int_equal(dev.regs[redir_low(5)], REDIR_DEST_LOGICAL | 0x70);
	set_entry(&cell, 5, 0x0d000000, REDIR_DEST_LOGICAL | 0x70);
	assert_int_equal(dev.regs[redir_low(5)],
			 REDIR_DEST_LOGICAL | 0x70 | REDIR_MASKED);
	set_entry(&root_cell, 4, 0x03000000, REDIR_DEST_LOGICAL | 0x71);
	assert_int_equal(dev.regs[redir_low(4)], REDIR_DEST_LOGICAL | 0x71);

	/* cluster: CPUs 0, 1 in cluster 1, CPUs 2, 3 in cluster 2 */
	for (cpu = 0; cpu < NUM_CPUS; cpu++) {
		per_cpu(cpu)->arch.dfr = 0x0fffffff;
		per_cpu(cpu)->arch.ldr = ((cpu < 2 ? 0x10 : 0x20) |
			(1U << (cpu % 2))) << APIC_LDR_SHIFT;
	}
	set_entry(&cell, 5, 0x23000000, REDIR_DEST_LOGICAL | 0x72);
	assert_int_equal(dev.regs[redir_low(5)], REDIR_DEST_LOGICAL | 0x72);
	set_entry(&cell, 5, 0x11000000, REDIR_DEST_LOGICAL | 0x72);
	assert_int_equal(dev.regs[redir_low(5)],
			 REDIR_DEST_LOGICAL | 0x72 | REDIR_MASKED);
	set_entry(&root_cell, 4, 0x13000000, REDIR_DEST_LOGICAL | 0x73);
	assert_int_equal(dev.regs[redir_low(4)], REDIR_DEST_LOGICAL | 0x73);
	/* all ones: every cluster, the root's CPUs among them */
	set_entry(&cell, 5, 0xff000000, REDIR_DEST_LOGICAL | 0x72);
	assert_int_equal(dev.regs[redir_low(5)],
			 REDIR_DEST_LOGICAL | 0x72 | REDIR_MASKED);
	/* the physical ID 0x11 is nobody's: a physical entry is fine */
	set_entry(&cell, 5, 0x11000000, 0x72);
	assert_int_equal(dev.regs[redir_low(5)], 0x72);
	destroy_cell();
}

static void test_delivery_modes(void **state)
{
	static const struct {
		u32 mode;
		bool allowed;
	} modes[] = {
		{ 0x000, true },	/* fixed */
		{ 0x100, true },	/* lowest priority */
		{ 0x200, false },	/* SMI */
		{ 0x300, false },
		{ 0x400, true },	/* NMI */
		{ 0x500, false },	/* INIT */
		{ 0x600, false },
		{ 0x700, false },	/* ExtINT */
	};
	unsigned int n;

	create_cell();
	for (n = 0; n < ARRAY_SIZE(modes); n++) {
		printk_log_clear();
		set_entry(&cell, 3, 4 << REDIR_DEST_SHIFT,
			  modes[n].mode | 0x30);
		assert_int_equal(dev.regs[redir_low(3)] & REDIR_MASKED,
				 modes[n].allowed ? 0 : REDIR_MASKED);
		assert_int_equal(printk_log_contains("delivery mode"),
				 !modes[n].allowed);
	}
	/* a masked entry may hold anything until it is unmasked */
	printk_log_clear();
	set_entry(&cell, 3, 4 << REDIR_DEST_SHIFT, 0x500 | REDIR_MASKED);
	assert_string_equal(printk_log, "");
	destroy_cell();
}

static void test_eoi(void **state)
{
	create_cell();
	set_entry(&cell, 3, 4 << REDIR_DEST_SHIFT, 0x8000 | 0x41);
	set_entry(&root_cell, 4, 0, 0x8000 | 0x42);
	cell_write(&cell, IOAPIC_EOI, 0x41);
	assert_int_equal(dev.eois, 1);
	assert_int_equal(dev.last_eoi, 0x41);
	/* the root's vector: not the cell's to end */
	cell_write(&cell, IOAPIC_EOI, 0x42);
	assert_int_equal(dev.eois, 1);
	cell_write(&root_cell, IOAPIC_EOI, 0x42);
	assert_int_equal(dev.eois, 2);
	/* write-only */
	assert_int_equal(cell_read(&cell, IOAPIC_EOI), 0);
	destroy_cell();
}

static void test_odd_accesses(void **state)
{
	struct region *r = region_of(&root_cell);
	struct mmio_access mmio = { .address = IOAPIC_WINDOW, .size = 1 };

	dev.regs[IOAPIC_REG_VERSION] = 0x170020;
	cell_write(&root_cell, IOAPIC_REGSEL, IOAPIC_REG_VERSION);
	r->handler(r->arg, &mmio);
	assert_int_equal(mmio.value, 0);
	mmio = (struct mmio_access){ .address = 0x20, .size = 4 };
	r->handler(r->arg, &mmio);
	assert_int_equal(mmio.value, 0);
	mmio = (struct mmio_access){ .address = 0x20, .size = 4,
				     .is_write = true, .value = 1 };
	r->handler(r->arg, &mmio);
	assert_int_equal(dev.sel, IOAPIC_REG_VERSION);
}

static void test_root_confined(void **state)
{
	/* the root's pins 1 (CPU 0) and 2 (CPU 3, leaving), 4 masked */
	set_entry(&root_cell, 1, 0 << REDIR_DEST_SHIFT, 0x51);
	set_entry(&root_cell, 2, 6 << REDIR_DEST_SHIFT, 0x52);
	set_entry(&root_cell, 4, 6 << REDIR_DEST_SHIFT, 0x54 | REDIR_MASKED);
	create_cell();
	assert_int_equal(dev.regs[redir_low(1)], 0x51);
	assert_int_equal(dev.regs[redir_low(2)], 0x52 | REDIR_MASKED);
	assert_int_equal(dev.regs[redir_low(4)], 0x54 | REDIR_MASKED);
	assert_true(printk_log_contains(
		"Cell \"cell\": IOAPIC 0xfec00000 pin 2 of the root cell "
		"aimed at the cell's CPUs, masked"));
	assert_false(printk_log_contains("pin 4"));
	destroy_cell();
}

static void test_destroy_gives_back(void **state)
{
	create_cell();
	set_entry(&cell, 3, 4 << REDIR_DEST_SHIFT, 0x50);
	destroy_cell();
	assert_null(region_of(&cell));
	assert_int_equal(dev.regs[redir_low(3)], 0x50 | REDIR_MASKED);
	assert_ptr_equal(phys_ioapics[0].owner[3], &root_cell);
	assert_ptr_equal(phys_ioapics[0].owner[5], &root_cell);
	set_entry(&root_cell, 3, 0, 0x60);
	assert_int_equal(dev.regs[redir_low(3)], 0x60);
}

/* A pin the root's config does not list is nobody's after the cell. */
static void test_root_gets_only_its_own(void **state)
{
	ioapic_cell_exit(&root_cell);
	sys.irqchips[0].pin_bitmap[0] = 0xffffff & ~(1U << 5);
	assert_int_equal(ioapic_cell_init(&root_cell), 0);
	assert_null(phys_ioapics[0].owner[5]);
	create_cell();
	destroy_cell();
	assert_ptr_equal(phys_ioapics[0].owner[3], &root_cell);
	assert_null(phys_ioapics[0].owner[5]);
	sys.irqchips[0].pin_bitmap[0] = 0xffffff;
}

static void test_reset(void **state)
{
	create_cell();
	set_entry(&cell, 3, 4 << REDIR_DEST_SHIFT, 0x50);
	cell_write(&cell, IOAPIC_REGSEL, redir_low(5));
	ioapic_cell_reset(&cell);
	assert_int_equal(dev.regs[redir_low(3)], 0x50 | REDIR_MASKED);
	assert_int_equal(cell_read(&cell, IOAPIC_REGSEL), 0);
	destroy_cell();
}

static void test_refused_cells(void **state)
{
	struct cell other = { .config = &cell_cfg.desc };

	/* an IOAPIC the root does not have */
	cell_cfg.irqchips[0].address = 0xfec01000;
	assert_int_equal(ioapic_cell_init(&other), -EINVAL);
	assert_true(printk_log_contains("irqchip 0: IOAPIC 0xfec01000 is not "
					"the root cell's"));
	cell_cfg.irqchips[0].address = IOAPIC_ADDR;

	/* no room for its region: takes nothing */
	fail_register = true;
	assert_int_equal(ioapic_cell_init(&other), -ENOMEM);
	fail_register = false;
	assert_ptr_equal(phys_ioapics[0].owner[3], &root_cell);

	cell_cfg.desc.num_irqchips = X86_MAX_IOAPICS + 1;
	assert_int_equal(ioapic_cell_init(&other), -EINVAL);
	assert_true(printk_log_contains("more than 8 IOAPICs"));
	cell_cfg.desc.num_irqchips = 1;
	assert_int_equal(ioapic_mmio_count_regions(&other), 1);
}

#define ioapic_test(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		ioapic_test(test_root_alone),
		ioapic_test(test_pins_beyond_the_device),
		ioapic_test(test_identification_read_only),
		ioapic_test(test_cell_takes_pins),
		ioapic_test(test_own_regsel),
		ioapic_test(test_physical_destination),
		ioapic_test(test_logical_destination),
		ioapic_test(test_delivery_modes),
		ioapic_test(test_eoi),
		ioapic_test(test_odd_accesses),
		ioapic_test(test_root_confined),
		ioapic_test(test_destroy_gives_back),
		ioapic_test(test_root_gets_only_its_own),
		ioapic_test(test_reset),
		ioapic_test(test_refused_cells),
	};

	return cmocka_run_group_tests_name("ioapic", tests, NULL, NULL);
}
