// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of configuration validation (hypervisor/config.c) as the x86
 * hypervisor builds it (JAILHOUSE_ARCH_ID = JAILHOUSE_X86): the x86 part
 * of the system config, PIO regions and IOAPIC irqchips.  The configs
 * under test are the shipped QEMU q35 ones, compiled in from configs/x86/;
 * each test breaks one thing and checks the verdict and the message.
 */
#include "test.h"

#include <jailhouse/config.h>
#include <jailhouse/errno.h>
#include <jailhouse/utils.h>

#define config qemu_x86
#include "../../configs/x86/qemu-x86.c"
#undef config
#define config inmate_demo
#include "../../configs/x86/qemu-x86-inmate-demo.c"
#undef config
#define config inmate_demo2
#include "../../configs/x86/qemu-x86-inmate-demo2.c"
#undef config
#define config smp_demo
#include "../../configs/x86/qemu-x86-smp-demo.c"
#undef config

static typeof(qemu_x86) sys;

/* a cell with a UART of its own (COM2) and its interrupt */
struct test_cell {
	struct jailhouse_cell_desc desc;
	__u64 cpus[1];
	struct jailhouse_memory mem[2];
	struct jailhouse_irqchip irqchips[1];
	struct jailhouse_pio pio[2];
} __attribute__((packed));

static struct test_cell cell, other;

static const struct test_cell cell_template = {
	.desc = {
		.signature = JAILHOUSE_CELL_DESC_SIGNATURE,
		.architecture = JAILHOUSE_X86,
		.revision = JAILHOUSE_CONFIG_REVISION,
		.name = "test-cell",
		.cpu_set_size = sizeof(cell.cpus),
		.num_memory_regions = ARRAY_SIZE(cell.mem),
		.num_irqchips = ARRAY_SIZE(cell.irqchips),
		.num_pio_regions = ARRAY_SIZE(cell.pio),
	},
	.cpus = { 0x4 },
	.mem = {
		/* RAM */ {
			.phys_start = 0x30600000,
			.virt_start = 0,
			.size = 0x100000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_LOADABLE,
		},
		/* comm region */ {
			.virt_start = 0x100000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_COMM_REGION,
		},
	},
	.irqchips = {
		/* IOAPIC pin 3 (COM2) */ {
			.address = 0xfec00000,
			.id = 0xff00,
			.pin_bitmap = { 1 << 3 },
		},
	},
	.pio = {
		PIO_RANGE(0x2f8, 8),	/* COM2 */
		PIO_RANGE(0x40, 4),	/* PIT */
	},
};

static int reset(void **state)
{
	memcpy(&sys, &qemu_x86, sizeof(sys));
	memcpy(&cell, &cell_template, sizeof(cell));
	memcpy(&other, &cell_template, sizeof(other));
	memcpy(other.desc.name, "other", sizeof("other"));
	other.cpus[0] = 0x8;
	other.mem[0].phys_start = 0x30700000;
	other.irqchips[0].pin_bitmap[0] = 1 << 4;
	other.pio[0] = (struct jailhouse_pio)PIO_RANGE(0x3e8, 8);
	other.pio[1] = (struct jailhouse_pio)PIO_RANGE(0x60, 1);
	printk_log_clear();
	return 0;
}

#include "test-config.h"

/* CPUs the root cell has in the in-root tests: all */
static const unsigned long root_cpus[1] = { 0xf };

static int check_in_root(void)
{
	return config_check_cell_in_root(&cell.desc, &sys.header.root_cell,
					 root_cpus, QEMU_CPUS);
}

static int check_disjoint(void)
{
	return config_check_cells_disjoint(&cell.desc, &other.desc);
}

/* The shipped root and demo cells pass, alone and together. */
static void test_shipped_configs(void **state)
{
	const struct jailhouse_cell_desc *demos[] = {
		&inmate_demo.cell, &inmate_demo2.cell, &smp_demo.cell,
	};
	const u64 sizes[] = {
		sizeof(inmate_demo), sizeof(inmate_demo2), sizeof(smp_demo),
	};
	unsigned int n;

	assert_accepted(check_sys());
	assert_int_equal(printk_log[0], '\0');
	for (n = 0; n < ARRAY_SIZE(demos); n++) {
		assert_accepted(config_check_cell(demos[n], sizes[n], QEMU_CPUS,
						  &sys.header.hypervisor_memory,
						  false));
		assert_accepted(config_check_cell_in_root(demos[n],
				&sys.header.root_cell, root_cpus, QEMU_CPUS));
	}
	/* the two inmate demos run together, the SMP demo alone */
	assert_accepted(config_check_cells_disjoint(&inmate_demo.cell,
						    &inmate_demo2.cell));
	assert_refused_err(config_check_cells_disjoint(&smp_demo.cell,
						       &inmate_demo.cell),
			   -EBUSY, "CPU 3 belongs to cell \"inmate-demo\"");
}

static void test_architecture(void **state)
{
	sys.header.architecture = JAILHOUSE_ARM64;
	assert_refused(check_sys(), "wrong architecture 2");
	cell.desc.architecture = JAILHOUSE_ARM64;
	assert_refused(check_cell(), "wrong architecture 2");
}

static void test_apic_mode(void **state)
{
	sys.header.platform_info.x86.apic_mode = JAILHOUSE_APIC_MODE_X2APIC;
	assert_accepted(check_sys());
	sys.header.platform_info.x86.apic_mode = 3;
	assert_refused(check_sys(),
		       "Invalid system config: unknown APIC mode 3");
}

static void test_pm_timer(void **state)
{
	sys.header.platform_info.x86.pm_timer_address = 0xfffd;
	assert_refused(check_sys(), "PM timer port 0xfffd goes beyond port "
		       "0xffff");
	sys.header.platform_info.x86.pm_timer_address = 0xfffc;
	assert_accepted(check_sys());

	/* without a PM timer, both frequencies must be given */
	sys.header.platform_info.x86.pm_timer_address = 0;
	assert_refused(check_sys(), "no PM timer (pm_timer_address) to "
		       "measure the TSC and APIC timer frequencies with");
	sys.header.platform_info.x86.tsc_khz = 2000000;
	assert_refused(check_sys(), "no PM timer");
	sys.header.platform_info.x86.apic_khz = 1000000;
	assert_accepted(check_sys());
	sys.header.platform_info.x86.tsc_khz = 0;
	assert_refused(check_sys(), "no PM timer");
}

static void test_debug_console_port(void **state)
{
	sys.header.debug_console.address = 0xfff9;
	assert_refused(check_sys(), "debug console port 0xfff9 goes beyond "
		       "port 0xffff");
	sys.header.debug_console.address = 0xfff8;
	assert_accepted(check_sys());
	/* memory-mapped, the address is no port */
	sys.header.debug_console.address = 0xfed00000;
	sys.header.debug_console.flags = JAILHOUSE_CON_ACCESS_MMIO;
	assert_accepted(check_sys());
}

static void test_iommu_types(void **state)
{
	struct jailhouse_iommu *unit =
		&sys.header.platform_info.iommu_units[7];

	unit->type = JAILHOUSE_IOMMU_AMD;
	assert_accepted(check_sys());
	unit->type = JAILHOUSE_IOMMU_INTEL;
	assert_accepted(check_sys());
	unit->type = JAILHOUSE_IOMMU_SMMUV3;
	assert_refused(check_sys(), "IOMMU unit 7 has type 3, no x86 IOMMU");
}

static void test_pio_regions(void **state)
{
	assert_accepted(check_cell());
	/* up to the last port */
	cell.pio[0] = (struct jailhouse_pio)PIO_RANGE(0xfff8, 8);
	assert_accepted(check_cell());
	cell.pio[0].length = 9;
	assert_refused(check_cell(), "Invalid config \"test-cell\": PIO region "
		       "0 (base 0xfff8, length 0x9) is empty or goes beyond "
		       "port 0xffff");
	cell.pio[0] = (struct jailhouse_pio)PIO_RANGE(0x0, 0xffff);
	cell.desc.num_pio_regions = 1;
	assert_accepted(check_cell());
	cell.pio[0] = (struct jailhouse_pio)PIO_RANGE(0x2f8, 0);
	assert_refused(check_cell(), "PIO region 0 (base 0x2f8, length 0x0) "
		       "is empty");

	/* one port in common */
	cell.desc.num_pio_regions = 2;
	cell.pio[0] = (struct jailhouse_pio)PIO_RANGE(0x40, 4);
	cell.pio[1] = (struct jailhouse_pio)PIO_RANGE(0x43, 2);
	assert_refused(check_cell(), "PIO regions 0 and 1 overlap");
	cell.pio[1].base = 0x44;
	assert_accepted(check_cell());
}

static void test_ioapic_pins(void **state)
{
	/* pins 0-119 */
	cell.irqchips[0].pin_bitmap[3] = 0x00ffffff;
	assert_accepted(check_cell());
	cell.irqchips[0].pin_bitmap[3] = 0x01000000;
	assert_refused(check_cell(), "Invalid config \"test-cell\": irqchip 0: "
		       "IOAPIC pin 120, an IOAPIC has at most 120");
	/* pin_base moves the bitmap */
	cell.irqchips[0].pin_bitmap[3] = 0;
	cell.irqchips[0].pin_base = 100;
	cell.irqchips[0].pin_bitmap[0] = 1 << 19;
	assert_accepted(check_cell());
	cell.irqchips[0].pin_bitmap[0] = 1 << 20;
	assert_refused(check_cell(), "IOAPIC pin 120");
	/* without wrapping around */
	cell.irqchips[0].pin_base = 0xffffffff;
	cell.irqchips[0].pin_bitmap[0] = 1 << 1;
	assert_refused(check_cell(), "IOAPIC pin 4294967296");
}

static void test_ioapic_once(void **state)
{
	struct {
		struct jailhouse_cell_desc desc;
		__u64 cpus[1];
		struct jailhouse_irqchip irqchips[2];
	} __attribute__((packed)) two = {
		.desc = {
			.signature = JAILHOUSE_CELL_DESC_SIGNATURE,
			.architecture = JAILHOUSE_X86,
			.revision = JAILHOUSE_CONFIG_REVISION,
			.name = "two",
			.cpu_set_size = sizeof(two.cpus),
			.num_irqchips = 2,
		},
		.cpus = { 0x2 },
		.irqchips = {
			{ .address = 0xfec00000, .pin_bitmap = { 1 } },
			{ .address = 0xfec00000, .pin_bitmap = { 2 } },
		},
	};

	assert_refused(config_check_cell(&two.desc, sizeof(two), QEMU_CPUS,
					 NULL, false),
		       "irqchips 0 and 1 are the same IOAPIC");
	/* a second IOAPIC of a bigger machine */
	two.irqchips[1].address = 0xfec01000;
	assert_accepted(config_check_cell(&two.desc, sizeof(two), QEMU_CPUS,
					  NULL, false));
}

static void test_in_root_pio(void **state)
{
	assert_accepted(check_in_root());
	/* the hypervisor keeps the PCI configuration ports */
	cell.pio[0] = (struct jailhouse_pio)PIO_RANGE(0xcf8, 8);
	assert_refused(check_in_root(), "Invalid config \"test-cell\": PIO "
		       "region 0 (ports 0xcf8-0xcff) is not the root cell's");
	cell.pio[0] = (struct jailhouse_pio)PIO_RANGE(0xcf0, 9);
	assert_refused(check_in_root(), "(ports 0xcf0-0xcf8)");
	cell.pio[0].length = 8;
	assert_accepted(check_in_root());
	cell.pio[0] = (struct jailhouse_pio)PIO_RANGE(0xcff, 2);
	assert_refused(check_in_root(), "PIO region 0");
	cell.pio[0] = (struct jailhouse_pio)PIO_RANGE(0xd00, 0xf300);
	assert_accepted(check_in_root());

	/* two adjacent ranges of the root cover it together */
	sys.pio_regions[0] = (struct jailhouse_pio)PIO_RANGE(0x0, 0x2fc);
	sys.pio_regions[1] = (struct jailhouse_pio)PIO_RANGE(0x2fc, 0x100);
	cell.pio[0] = (struct jailhouse_pio)PIO_RANGE(0x2f8, 8);
	assert_accepted(check_in_root());
	cell.pio[0] = (struct jailhouse_pio)PIO_RANGE(0x3f8, 8);
	assert_refused(check_in_root(), "(ports 0x3f8-0x3ff) is not the root");

	/* a root without ports has none to give */
	sys.header.root_cell.num_pio_regions = 0;
	assert_refused(check_in_root(), "PIO region 0");
	cell.desc.num_pio_regions = 0;
	assert_accepted(check_in_root());
}

static void test_in_root_ioapic(void **state)
{
	/* pin 3 is the root's */
	sys.irqchips[0].pin_bitmap[0] = 1 << 3;
	assert_accepted(check_in_root());
	sys.irqchips[0].pin_bitmap[0] = ~(1U << 3);
	assert_refused(check_in_root(), "Invalid config \"test-cell\": "
		       "irqchip 0: pin 3 of IOAPIC 0xfec00000 is not the root "
		       "cell's");
	sys.irqchips[0].pin_bitmap[0] = 0xffffff;

	/* the root's bitmap may start elsewhere */
	sys.irqchips[0].pin_base = 2;
	assert_accepted(check_in_root());
	sys.irqchips[0].pin_base = 4;
	assert_refused(check_in_root(), "pin 3 of IOAPIC");
	sys.irqchips[0].pin_base = 0;

	cell.irqchips[0].id = 0xa0;
	assert_refused(check_in_root(), "irqchip 0: IOAPIC 0xfec00000 with id "
		       "0xa0, the root cell's has 0xff00");
	cell.irqchips[0].id = 0xff00;

	cell.irqchips[0].address = 0xfec01000;
	assert_refused(check_in_root(), "pin 3 of IOAPIC 0xfec01000 is not");
	/* an IOAPIC without pins asks for nothing */
	cell.irqchips[0].pin_bitmap[0] = 0;
	assert_accepted(check_in_root());
}

static void test_disjoint_pio(void **state)
{
	assert_accepted(check_disjoint());
	other.pio[1] = (struct jailhouse_pio)PIO_RANGE(0x43, 1);
	assert_refused_err(check_disjoint(), -EBUSY, "Invalid config "
			   "\"test-cell\": PIO region 1 (ports 0x40-0x43) "
			   "overlaps ports of cell \"other\"");
	other.pio[1] = (struct jailhouse_pio)PIO_RANGE(0x44, 1);
	assert_accepted(check_disjoint());
}

static void test_disjoint_ioapic(void **state)
{
	other.irqchips[0].pin_bitmap[0] |= 1 << 3;
	assert_refused_err(check_disjoint(), -EBUSY, "Invalid config "
			   "\"test-cell\": irqchip 0: pin 3 of IOAPIC "
			   "0xfec00000 belongs to cell \"other\"");
	/* the same pin numbers of another IOAPIC are other pins */
	other.irqchips[0].address = 0xfec01000;
	assert_accepted(check_disjoint());
	other.irqchips[0].address = 0xfec00000;
	other.irqchips[0].pin_base = 3;
	other.irqchips[0].pin_bitmap[0] = 1;
	assert_refused_err(check_disjoint(), -EBUSY, "pin 3 of IOAPIC");
}

#define config_test(f)	cmocka_unit_test_setup(f, reset)

int main(void)
{
	const struct CMUnitTest tests[] = {
		config_test(test_shipped_configs),
		config_test(test_architecture),
		config_test(test_apic_mode),
		config_test(test_pm_timer),
		config_test(test_debug_console_port),
		config_test(test_iommu_types),
		config_test(test_pio_regions),
		config_test(test_ioapic_pins),
		config_test(test_ioapic_once),
		config_test(test_in_root_pio),
		config_test(test_in_root_ioapic),
		config_test(test_disjoint_pio),
		config_test(test_disjoint_ioapic),
	};

	return cmocka_run_group_tests_name("config-x86", tests, NULL, NULL);
}
