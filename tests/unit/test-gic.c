// SPDX-License-Identifier: GPL-2.0
/*
 * The interrupt controller's common code (hypervisor/arch/arm64/
 * gic-common.c) over a fake GIC driver: the list registers are an array,
 * the distributor is memory, acknowledges come from a script.  Covered:
 * injection and the duplicate rules, the queue and its refill on the
 * maintenance interrupt, the dispatch of physical interrupts, interrupt
 * ownership and SPI handover between cells, the per-CPU scrub and hand
 * back, the distributor bank filter, and the MSIs of virtual PCI devices
 * with gic-v2.c's virtual GICv2m frame.
 *
 * gic-common.c is included, so that its unit hooks (static) are reachable.
 */
#include "test.h"

#include "../../hypervisor/arch/arm64/gic-common.c"
#include "../../hypervisor/arch/arm64/gic-v2.c"

#define NUM_LRS		4
#define MAINT_IRQ	25

/* --- the fake driver ----------------------------------------------------- */

static struct gic_lr lrs[IRQCHIP_MAX_LRS];
static bool underflow;
/* what the fake acknowledges, in order; 1023 when used up */
static u32 acks[16];
static unsigned int num_acks, next_ack;
/* an interrupt that comes again and again once the script is used up */
static u32 ack_forever = GIC_SPURIOUS_INTID;
static unsigned int forever_acks;
#define FOREVER_GUARD	100000
static u32 deactivated[16];
static unsigned int num_deactivated;
static unsigned int sgis_pending[GIC_NUM_SGIS];
static unsigned int handovers[GIC_NUM_IRQS];
static unsigned int handover_cpu[GIC_NUM_IRQS];
static unsigned int fake_cell_inits, fake_cell_exits, fake_resets;
static unsigned int hypervisor_sgis;
/* the distributor (both kinds of interrupts, as on GICv2) */
static u32 gicd_regs[0x1000 / 4];

static int fake_init(void)
{
	return 0;
}

static void fake_shutdown(void)
{
}

static int fake_cpu_init(struct per_cpu *cpu_data)
{
	return NUM_LRS;
}

static void fake_cpu_shutdown(struct per_cpu *cpu_data)
{
}

static void fake_cpu_reset(struct per_cpu *cpu_data)
{
	fake_resets++;
}

static int fake_cell_init(struct cell *cell)
{
	fake_cell_inits++;
	return 0;
}

static void fake_cell_exit(struct cell *cell)
{
	fake_cell_exits++;
}

static unsigned int fake_mmio_count_regions(struct cell *cell)
{
	return 1;
}

static unsigned int fake_ack(u32 *iar, u8 *priority)
{
	u32 val = next_ack < num_acks ? acks[next_ack++] : ack_forever;

	/* the test's way out of a loop that would not end */
	if (val == ack_forever && ++forever_acks > FOREVER_GUARD)
		val = GIC_SPURIOUS_INTID;

	if (val < GIC_FIRST_SPECIAL_INTID) {
		*iar = val;
		*priority = 0xa0;
	}
	return val;
}

/* the first deactivations, all counted */
static void fake_deactivate(u32 iar)
{
	if (num_deactivated < ARRAY_SIZE(deactivated))
		deactivated[num_deactivated] = iar;
	num_deactivated++;
}

static void fake_read_lr(unsigned int n, struct gic_lr *lr)
{
	assert_true(n < NUM_LRS);
	*lr = lrs[n];
}

static void fake_write_lr(unsigned int n, const struct gic_lr *lr)
{
	assert_true(n < NUM_LRS);
	lrs[n] = *lr;
}

static u64 fake_empty_lrs(void)
{
	u64 empty = 0;
	unsigned int n;

	for (n = 0; n < NUM_LRS; n++)
		if (!lrs[n].pending && !lrs[n].active)
			empty |= BIT(n);
	return empty;
}

/* direct delivery */
static int direct_check_result;
static unsigned int direct_switches, direct_wfis, group0_intid;

static void fake_cpu_direct(struct per_cpu *cpu_data, bool on)
{
	direct_switches += on ? 1 : 0x100;
}

static int fake_check_direct(struct cell *cell)
{
	return direct_check_result;
}

static void fake_direct_wfi(void)
{
	direct_wfis++;
}

static unsigned int fake_ack_group0(void)
{
	return group0_intid;
}

static bool fake_inject_idle(u64 lrs_mask, unsigned int virq, u8 priority)
{
	if (~fake_empty_lrs() & lrs_mask)
		return false;
	lrs[0] = (struct gic_lr){ .virq = virq, .priority = priority,
				  .hw = true, .pending = true };
	return true;
}

static void fake_set_underflow_irq(bool enable)
{
	underflow = enable;
}

static void fake_send_sgi(unsigned int cpu, unsigned int sgi)
{
	if (sgi == SGI_HYPERVISOR)
		hypervisor_sgis++;
}

static void *fake_irq_frame(struct per_cpu *cpu_data, unsigned int irq)
{
	return gicd_regs;
}

static void fake_set_sgi_pending(struct per_cpu *cpu_data, unsigned int sgi)
{
	sgis_pending[sgi]++;
}

static void fake_spi_handover(unsigned int irq, unsigned int cpu)
{
	handovers[irq]++;
	handover_cpu[irq] = cpu;
}

static unsigned int confined[GIC_NUM_IRQS];
static unsigned long confined_cpus;

static void fake_spi_confine(unsigned int irq, const unsigned long *cpus)
{
	confined[irq]++;
	confined_cpus = cpus[0];
}

/* where the fake's cells send MSIs */
#define FAKE_MSI_ADDRESS	0x08000040UL

static unsigned long fake_msi_address(void)
{
	return FAKE_MSI_ADDRESS;
}

const struct gic_ops gic_v3_ops = {
	.init = fake_init,
	.shutdown = fake_shutdown,
	.cpu_init = fake_cpu_init,
	.cpu_shutdown = fake_cpu_shutdown,
	.cpu_reset = fake_cpu_reset,
	.cpu_direct = fake_cpu_direct,
	.check_direct = fake_check_direct,
	.direct_wfi = fake_direct_wfi,
	.ack_group0 = fake_ack_group0,
	.cell_init = fake_cell_init,
	.cell_exit = fake_cell_exit,
	.mmio_count_regions = fake_mmio_count_regions,
	.ack = fake_ack,
	.deactivate = fake_deactivate,
	.read_lr = fake_read_lr,
	.write_lr = fake_write_lr,
	.empty_lrs = fake_empty_lrs,
	.inject_idle = fake_inject_idle,
	.set_underflow_irq = fake_set_underflow_irq,
	.send_sgi = fake_send_sgi,
	.irq_frame = fake_irq_frame,
	.set_sgi_pending = fake_set_sgi_pending,
	.spi_handover = fake_spi_handover,
	.spi_confine = fake_spi_confine,
	.msi_address = fake_msi_address,
};


void arch_handle_hypervisor_sgi(void)
{
	hypervisor_sgis++;
}

/*
 * What mmio.c needs beyond its accessors, which the test does not reach:
 * the hypervisor's mappings of sub-page regions, and the unit table
 * (-Wl,--defsym: empty; gic-common.c's own unit is called directly).
 */
const struct unit test_no_units[1];

/* The GIC's 512 KiB on a ZynqMP, for gic-v2.c to map and probe. */
#define BUS_BASE	0xf9000000UL
#define BUS_SIZE	0x80000
static u8 bus[BUS_SIZE] __attribute__((aligned(0x1000)));

void *paging_map_device(unsigned long phys, unsigned long size)
{
	if (phys < BUS_BASE || phys + size > BUS_BASE + BUS_SIZE)
		return NULL;
	return bus + (phys - BUS_BASE);
}

void paging_unmap_device(unsigned long phys, void *virt, unsigned long size)
{
}

/* gic-v2.c maps the virtual CPU interface into a cell's stage 2. */
int arch_map_memory_region(struct cell *cell,
			   const struct jailhouse_memory *mem)
{
	return 0;
}

int arch_unmap_memory_region(struct cell *cell,
			     const struct jailhouse_memory *mem)
{
	return 0;
}

/* --- the system, the cells, the CPU -------------------------------------- */

struct test_cell_desc {
	struct jailhouse_cell_desc desc;
	__u64 cpus[1];
	struct jailhouse_irqchip irqchips[1];
} __attribute__((packed));

static struct {
	struct jailhouse_system sys;
	__u64 root_cpus[1];
	struct jailhouse_memory root_mem[1];
} __attribute__((packed)) test_system;

struct jailhouse_system *system_config =
	(struct jailhouse_system *)&test_system;

static struct test_cell_desc root_desc, cell_desc;
struct cell root_cell;
static struct cell cell;
static struct per_cpu cpu;
void *test_cpu_data = &cpu;

static void set_irqchip(struct test_cell_desc *d, u64 address, u32 pin_base,
			u32 word0)
{
	memset(d, 0, sizeof(*d));
	d->desc.cpu_set_size = sizeof(d->cpus);
	d->desc.num_irqchips = 1;
	d->irqchips[0].address = address;
	d->irqchips[0].pin_base = pin_base;
	d->irqchips[0].pin_bitmap[0] = word0;
}

static void inject_script(const u32 *list, unsigned int num)
{
	memcpy(acks, list, num * sizeof(*list));
	num_acks = num;
	next_ack = 0;
}

/* the exits that the scripted interrupts cause, one each */
static void handle_script(void)
{
	while (next_ack < num_acks)
		irqchip_handle_irq();
}

static unsigned int used_lrs(void)
{
	return NUM_LRS - __builtin_popcountll(fake_empty_lrs());
}

static int setup(void **state)
{
	memset(lrs, 0, sizeof(lrs));
	memset(gicd_regs, 0, sizeof(gicd_regs));
	memset(sgis_pending, 0, sizeof(sgis_pending));
	memset(handovers, 0, sizeof(handovers));
	memset(confined, 0, sizeof(confined));
	memset(spi_holder, 0, sizeof(spi_holder));
	memset(foreign_irq_reported, 0, sizeof(foreign_irq_reported));
	underflow = false;
	num_acks = next_ack = num_deactivated = 0;
	ack_forever = GIC_SPURIOUS_INTID;
	forever_acks = 0;
	fake_cell_inits = fake_cell_exits = fake_resets = 0;
	hypervisor_sgis = 0;
	direct_check_result = 0;
	direct_switches = direct_wfis = 0;
	group0_intid = GIC_SPURIOUS_INTID;
	printk_log_clear();

	memset(&test_system, 0, sizeof(test_system));
	test_system.sys.platform_info.arm.gic_version = 3;
	test_system.sys.platform_info.arm.gicd_base = 0x08000000;
	test_system.sys.platform_info.arm.maintenance_irq = MAINT_IRQ;
	assert_int_equal(irqchip_init(), 0);

	/* the root owns SPIs 32..63, on CPUs 0 and 1 */
	set_irqchip(&root_desc, 0x08000000, 32, 0xffffffff);
	memset(&root_cell, 0, sizeof(root_cell));
	root_cell.config = &root_desc.desc;
	root_cell.cpu_set[0] = 0x3;
	assert_int_equal(irqchip_cell_init(&root_cell), 0);

	memset(&cell, 0, sizeof(cell));
	cell.id = 1;
	cell.config = &cell_desc.desc;
	cell.cpu_set[0] = 0x4;

	memset(&cpu, 0, sizeof(cpu));
	cpu.cell = &root_cell;
	assert_int_equal(irqchip_cpu_init(&cpu), 0);
	assert_int_equal(cpu.irq.num_lrs, NUM_LRS);
	return 0;
}

/* --- injection ----------------------------------------------------------- */

static void test_spi_injected_with_hw_bit(void **state)
{
	static const u32 script[] = { 40 };

	inject_script(script, 1);
	irqchip_handle_irq();

	assert_int_equal(lrs[0].virq, 40);
	assert_true(lrs[0].hw);
	assert_true(lrs[0].pending);
	assert_int_equal(lrs[0].priority, 0xa0);
	/* the guest deactivates it, not the hypervisor */
	assert_int_equal(num_deactivated, 0);
	assert_int_equal(cpu.stats[JAILHOUSE_CPU_STAT_VMEXITS_VIRQ], 1);
	assert_false(underflow);
}

static void test_sgi_deactivated_and_virtual(void **state)
{
	static const u32 script[] = { 3 };

	inject_script(script, 1);
	irqchip_handle_irq();

	assert_int_equal(num_deactivated, 1);
	assert_int_equal(deactivated[0], 3);
	assert_int_equal(lrs[0].virq, 3);
	assert_false(lrs[0].hw);
}

static void test_sgi_again_while_active_is_pending_and_active(void **state)
{
	static const u32 script[] = { 3 };

	lrs[1] = (struct gic_lr){ .virq = 3, .active = true };
	inject_script(script, 1);
	irqchip_handle_irq();

	assert_true(lrs[1].pending && lrs[1].active);
	assert_int_equal(used_lrs(), 1);
}

static void test_hw_interrupt_again_replaces_stale_entry(void **state)
{
	static const u32 script[] = { 40 };

	lrs[2] = (struct gic_lr){ .virq = 40, .hw = true, .active = true };
	lrs[0] = (struct gic_lr){ .virq = 41, .hw = true, .pending = true };
	inject_script(script, 1);
	irqchip_handle_irq();

	assert_true(lrs[2].pending);
	assert_false(lrs[2].active);
	assert_int_equal(used_lrs(), 2);
}

/* --- the queue and its refill ------------------------------------------- */

static void fill_lrs(void)
{
	unsigned int n;

	for (n = 0; n < NUM_LRS; n++)
		lrs[n] = (struct gic_lr){ .virq = 50 + n, .hw = true,
					  .active = true };
}

static void test_queue_when_full_then_refill(void **state)
{
	static const u32 script[] = { 33, 34, 33 };
	static const u32 maintenance[] = { MAINT_IRQ };

	fill_lrs();
	inject_script(script, 3);
	handle_script();

	/* nothing lost, the repeated one coalesced */
	assert_int_equal(cpu.irq.num_pending, 2);
	assert_true(test_bit(33, cpu.irq.pending));
	assert_true(test_bit(34, cpu.irq.pending_hw));
	assert_true(underflow);

	/* the guest finished one: the maintenance interrupt refills */
	lrs[1] = (struct gic_lr){ 0 };
	inject_script(maintenance, 1);
	irqchip_handle_irq();
	assert_int_equal(lrs[1].virq, 33);
	assert_true(lrs[1].pending && lrs[1].hw);
	assert_int_equal(cpu.irq.num_pending, 1);
	assert_true(underflow);
	assert_int_equal(deactivated[num_deactivated - 1], MAINT_IRQ);
	assert_int_equal(cpu.stats[JAILHOUSE_CPU_STAT_VMEXITS_MAINTENANCE],
			 1);

	lrs[3] = (struct gic_lr){ 0 };
	inject_script(maintenance, 1);
	irqchip_handle_irq();
	assert_int_equal(lrs[3].virq, 34);
	assert_int_equal(cpu.irq.num_pending, 0);
	assert_false(underflow);
}

static void test_new_interrupt_waits_behind_queued_ones(void **state)
{
	static const u32 first[] = { 35 };
	static const u32 second[] = { 36 };

	fill_lrs();
	inject_script(first, 1);
	irqchip_handle_irq();
	assert_int_equal(cpu.irq.num_pending, 1);

	/* a list register frees up, but 35 came first */
	lrs[0] = (struct gic_lr){ 0 };
	inject_script(second, 1);
	irqchip_handle_irq();
	assert_int_equal(lrs[0].virq, 35);
	assert_true(test_bit(36, cpu.irq.pending));
}

static void test_hypervisor_sgi_handled_not_injected(void **state)
{
	static const u32 script[] = { SGI_HYPERVISOR };

	inject_script(script, 1);
	irqchip_handle_irq();

	assert_int_equal(hypervisor_sgis, 1);
	assert_int_equal(deactivated[0], SGI_HYPERVISOR);
	assert_int_equal(used_lrs(), 0);
	assert_int_equal(cpu.irq.num_pending, 0);
}

static void test_foreign_spi_deactivated_reported_once(void **state)
{
	static const u32 script[] = { 70, 70 };

	inject_script(script, 2);
	handle_script();

	assert_int_equal(used_lrs(), 0);
	assert_int_equal(num_deactivated, 2);
	assert_true(printk_log_contains("interrupt 70 is not its cell's"));
	printk_log_clear();
	inject_script(script, 1);
	irqchip_handle_irq();
	assert_false(printk_log_contains("interrupt 70"));
}

static void test_endless_foreign_interrupt_lets_cpu_go(void **state)
{
	/* a level SPI of another cell, asserted for good */
	ack_forever = 70;
	irqchip_handle_irq();

	assert_int_equal(forever_acks, 1);
	assert_int_equal(num_deactivated, 1);
	assert_int_equal(used_lrs(), 0);
}

/* --- ownership ----------------------------------------------------------- */

static void test_cell_takes_and_returns_spis(void **state)
{
	/* SPIs 40 and 41 (pin 8, 9 from 32) and the SGIs/PPIs (ignored) */
	set_irqchip(&cell_desc, 0x08000000, 32, 0x300);

	assert_int_equal(irqchip_cell_init(&cell), 0);
	assert_true(irqchip_irq_in_cell(&cell, 40));
	assert_true(irqchip_irq_in_cell(&cell, 41));
	assert_false(irqchip_irq_in_cell(&cell, 42));
	assert_false(irqchip_irq_in_cell(&root_cell, 40));
	assert_true(irqchip_irq_in_cell(&root_cell, 42));
	/* SGIs and PPIs go with the CPU */
	assert_true(irqchip_irq_in_cell(&cell, 27));
	assert_false(irqchip_irq_in_cell(&cell, 1020));
	assert_int_equal(handovers[40], 1);
	assert_int_equal(handover_cpu[40], 2);
	assert_int_equal(handovers[42], 0);

	irqchip_cell_exit(&cell);
	assert_true(irqchip_irq_in_cell(&root_cell, 40));
	assert_int_equal(handovers[41], 2);
	assert_int_equal(handover_cpu[41], 0);
	assert_int_equal(fake_cell_exits, 1);
}

static void test_cell_cannot_take_foreign_spi(void **state)
{
	struct cell second = { .id = 2, .config = &cell_desc.desc };

	set_irqchip(&cell_desc, 0x08000000, 32, 0x100);
	assert_int_equal(irqchip_cell_init(&cell), 0);

	/* 40 is the first cell's now */
	second.cpu_set[0] = 0x8;
	printk_log_clear();
	assert_int_equal(irqchip_cell_init(&second), -EBUSY);
	assert_true(printk_log_contains("cell 2: interrupt 40 is not the "
					"root cell's"));
	assert_int_equal(handovers[40], 1);
}

/* --- direct delivery ---------------------------------------------------- */

static void test_direct_not_for_the_root(void **state)
{
	root_desc.desc.flags = JAILHOUSE_CELL_DIRECT_IRQS;
	assert_int_equal(irqchip_cell_init(&root_cell), -EINVAL);
	root_desc.desc.flags = 0;
	assert_true(printk_log_contains("the root cell cannot have direct "
					"interrupt delivery"));
}

static void test_direct_as_the_gic_can(void **state)
{
	set_irqchip(&cell_desc, 0x08000000, 32, 0x100);
	cell_desc.desc.flags = JAILHOUSE_CELL_DIRECT_IRQS;
	direct_check_result = -EINVAL;
	assert_int_equal(irqchip_cell_init(&cell), -EINVAL);
	direct_check_result = 0;
	assert_int_equal(irqchip_cell_init(&cell), 0);
	cell_desc.desc.flags = 0;

	/* the CPU's switch and its WFIs go to the GIC's driver */
	irqchip_cpu_direct(&cpu, true);
	irqchip_cpu_direct(&cpu, false);
	assert_int_equal(direct_switches, 0x101);
	irqchip_direct_wfi();
	assert_int_equal(direct_wfis, 1);
}

static void test_direct_refused_without_the_gic_op(void **state)
{
	gic.check_direct = NULL;
	gic.cpu_direct = NULL;
	cell_desc.desc.flags = JAILHOUSE_CELL_DIRECT_IRQS;
	assert_int_equal(irqchip_cell_init(&cell), -EINVAL);
	cell_desc.desc.flags = 0;
	assert_true(printk_log_contains("direct interrupt delivery needs a "
					"GICv3"));
}

static void test_fiq_is_the_hypervisor_sgi(void **state)
{
	group0_intid = SGI_HYPERVISOR;
	irqchip_handle_fiq();
	assert_int_equal(hypervisor_sgis, 1);

	/* anything else in group 0 is reported once, and dropped */
	group0_intid = 40;
	irqchip_handle_fiq();
	assert_true(printk_log_contains("group 0 interrupt 40"));
	printk_log_clear();
	irqchip_handle_fiq();
	assert_false(printk_log_contains("group 0 interrupt 40"));
	assert_int_equal(hypervisor_sgis, 1);

	group0_intid = GIC_SPURIOUS_INTID;
	irqchip_handle_fiq();
	assert_int_equal(hypervisor_sgis, 1);
}

static void test_fiq_without_group0_is_unexpected(void **state)
{
	gic.ack_group0 = NULL;
	irqchip_handle_fiq();
	assert_true(printk_log_contains("Unexpected FIQ exit on CPU"));
}

static void test_bad_irqchips_refused(void **state)
{
	set_irqchip(&cell_desc, 0x08010000, 32, 0x1);
	assert_int_equal(irqchip_cell_init(&cell), -EINVAL);
	assert_true(printk_log_contains("irqchip 8010000 is not the "
					"distributor"));

	set_irqchip(&cell_desc, 0x08000000, 1000, 0);
	cell_desc.irqchips[0].pin_bitmap[1] = 0x1000;	/* pin 44: 1044 */
	printk_log_clear();
	assert_int_equal(irqchip_cell_init(&cell), -EINVAL);
	assert_true(printk_log_contains("no interrupt 1044"));
	assert_true(irqchip_irq_in_cell(&root_cell, 40));
}

static void test_unknown_version_refused(void **state)
{
	test_system.sys.platform_info.arm.gic_version = 4;
	assert_int_equal(irqchip_init(), -ENODEV);
	assert_true(printk_log_contains("version 4 not supported"));

	test_system.sys.platform_info.arm.gic_version = 3;
	test_system.sys.platform_info.arm.maintenance_irq = 40;
	assert_int_equal(irqchip_init(), -EINVAL);
	assert_true(printk_log_contains("maintenance interrupt 40 is not a "
					"PPI"));
}

static void test_cell_create_confines_root_spis(void **state)
{
	/* CPU 2 is still the root's while the cell is set up */
	root_cell.cpu_set[0] = 0x7;
	set_irqchip(&cell_desc, 0x08000000, 32, 0x100);
	assert_int_equal(irqchip_cell_init(&cell), 0);

	/* every SPI the root keeps, to the CPUs it keeps */
	assert_int_equal(confined[33], 1);
	assert_int_equal(confined[63], 1);
	assert_int_equal(confined[40], 0);
	assert_int_equal(confined_cpus, 0x3);

	/* the root's own set-up confines nothing */
	memset(confined, 0, sizeof(confined));
	memset(spi_holder, 0, sizeof(spi_holder));
	assert_int_equal(irqchip_cell_init(&root_cell), 0);
	assert_int_equal(confined[33], 0);
}

/* --- GICv2: the driver over the fake distributor ------------------------- */

/* CPU n is CPU interface n; the common code runs gic-v2.c's ops. */
static void use_gic_v2(void)
{
	unsigned int n;

	gic = gic_v2_ops;
	gic.cell_init = fake_cell_init;
	gic.cell_exit = fake_cell_exit;
	gicd = gicd_regs;
	for (n = 0; n < 4; n++)
		gic_v2_cpus[n].target = BIT(n);
}

static u8 v2_targets(unsigned int irq)
{
	return ((u8 *)gicd_regs)[GICD_ITARGETSR + irq];
}

static void set_v2_targets(unsigned int irq, u8 targets)
{
	((u8 *)gicd_regs)[GICD_ITARGETSR + irq] = targets;
}

static void test_v2_root_spis_leave_cell_cpus(void **state)
{
	use_gic_v2();
	root_cell.cpu_set[0] = 0x7;
	/* aimed by the root at CPU 2 before it left */
	set_v2_targets(50, BIT(2));
	set_v2_targets(51, BIT(1) | BIT(2));
	set_v2_targets(52, BIT(1));
	set_v2_targets(53, 0);
	set_irqchip(&cell_desc, 0x08000000, 32, 0x100);
	assert_int_equal(irqchip_cell_init(&cell), 0);

	assert_int_equal(v2_targets(50), BIT(0));
	assert_int_equal(v2_targets(51), BIT(1));
	assert_int_equal(v2_targets(52), BIT(1));
	assert_int_equal(v2_targets(53), 0);
	/* the cell's SPI goes to the cell's CPU */
	assert_int_equal(v2_targets(40), BIT(2));
}

/*
 * A ZynqMP's GIC-400 (GICD 0xf9010000, GICC 0xf9020000, GICH 0xf9040000,
 * GICV 0xf9060000), each 4 KiB page shown over 64 KiB if @aliased, and a
 * system config with @gicc and @gicv and a root region @root_mem.
 */
static void zynqmp_gic(bool aliased, unsigned long gicc, unsigned long gicv,
		       unsigned long root_mem)
{
	unsigned int copies = aliased ? 16 : 1, n;

	memset(bus, 0, sizeof(bus));
	for (n = 0; n < copies; n++) {
		*(u32 *)(bus + 0x10000 + n * 0x1000 + GICD_V2_PIDR2) = 0x2b;
		*(u32 *)(bus + 0x20000 + n * 0x1000 + GICC_IIDR) = 0x0202143b;
		*(u32 *)(bus + 0x40000 + n * 0x1000 + GICH_VTR) = 3;
	}
	test_system.sys.platform_info.arm.gic_version = 2;
	test_system.sys.platform_info.arm.gicd_base = 0xf9010000;
	test_system.sys.platform_info.arm.gicc_base = gicc;
	test_system.sys.platform_info.arm.gich_base = 0xf9040000;
	test_system.sys.platform_info.arm.gicv_base = gicv;
	test_system.sys.root_cell.cpu_set_size = sizeof(test_system.root_cpus);
	test_system.sys.root_cell.num_memory_regions = 1;
	test_system.root_mem[0].phys_start = root_mem;
	test_system.root_mem[0].virt_start = root_mem;
	test_system.root_mem[0].size = 0x1000;
	printk_log_clear();
}

static void test_v2_zynqmp_gicc_128k(void **state)
{
	zynqmp_gic(true, 0xf9020000, 0xf9060000, 0xff000000);
	assert_int_equal(gic_v2_init(), 0);
	/* the cells find the whole window pair, as in the device tree */
	assert_int_equal(gicv_size, 0x20000);
	/* the hypervisor uses the contiguous 8 KiB */
	assert_ptr_equal(gicc, bus + 0x2f000);
	assert_ptr_equal(gicd, bus + 0x10000);
}

/* Jailhouse's configs for the board name the contiguous 8 KiB. */
static void test_v2_zynqmp_gicc_8k_config(void **state)
{
	zynqmp_gic(true, 0xf902f000, 0xf906f000, 0xff000000);
	assert_int_equal(gic_v2_init(), 0);
	assert_int_equal(gicv_size, 0x2000);
	assert_int_equal(gicv_phys, 0xf906f000);
	assert_ptr_equal(gicc, bus + 0x2f000);
}

static void test_v2_root_refused_aliases_of_gicc(void **state)
{
	/* the copy of GICC's first page at the window's start */
	zynqmp_gic(true, 0xf902f000, 0xf906f000, 0xf9020000);
	assert_int_equal(gic_v2_init(), -EINVAL);
	assert_true(printk_log_contains("CPU interface's windows 0xf9020000 "
					"in root cell memory region 0"));

	zynqmp_gic(true, 0xf9020000, 0xf9060000, 0xf9034000);
	assert_int_equal(gic_v2_init(), -EINVAL);
	assert_true(printk_log_contains("in root cell memory region 0"));
}

static void test_v2_root_refused_aliases_of_gicd_gich_gicv(void **state)
{
	zynqmp_gic(true, 0xf9020000, 0xf9060000, 0xf9011000);
	assert_int_equal(gic_v2_init(), -EINVAL);
	assert_true(printk_log_contains("distributor's window 0xf9010000 in "
					"root cell memory region 0"));

	zynqmp_gic(true, 0xf9020000, 0xf9060000, 0xf904e000);
	assert_int_equal(gic_v2_init(), -EINVAL);
	assert_true(printk_log_contains("virtual interface control's "
					"windows 0xf9040000"));

	zynqmp_gic(true, 0xf902f000, 0xf906f000, 0xf9062000);
	assert_int_equal(gic_v2_init(), -EINVAL);
	assert_true(printk_log_contains("virtual CPU interface's windows "
					"0xf9060000"));
}

/* GIC-400: every CPU's virtual interface control right behind the own. */
static void test_v2_root_refused_gich_of_other_cpus(void **state)
{
	zynqmp_gic(false, 0xf9020000, 0xf9060000, 0xf9041000);
	assert_int_equal(gic_v2_init(), -EINVAL);
	assert_true(printk_log_contains("virtual interface control "
					"0xf9040000 in root cell memory "
					"region 0"));
}

/*
 * A 128 KiB view 60 KiB into the GICV window would map 60 KiB past it
 * into every cell.
 */
static void test_v2_aliased_gicv_elsewhere_in_window_refused(void **state)
{
	zynqmp_gic(true, 0xf9020000, 0xf906f000, 0xff000000);
	assert_int_equal(gic_v2_init(), -EINVAL);
	assert_true(printk_log_contains("at different offsets in their "
					"64 KiB windows"));
}

/* Not aliased: 8 KiB, and nothing read beyond the config's frames. */
static void test_v2_plain_gic_8k(void **state)
{
	zynqmp_gic(false, 0xf9020000, 0xf9060000, 0xf902f000);
	assert_int_equal(gic_v2_init(), 0);
	assert_int_equal(gicv_size, 0x2000);
	assert_ptr_equal(gicc, bus + 0x20000);
}

/* Each CPU's set-up reads GICC right away: an abort there is fatal. */
static void test_v2_aborting_gicc_refused(void **state)
{
	zynqmp_gic(false, 0xf9020000, 0xf9060000, 0xff000000);
	fake_device_abort_at = bus + 0x20000 + GICC_IIDR;
	assert_int_equal(gic_v2_init(), -ENODEV);
	fake_device_abort_at = NULL;
	assert_true(printk_log_contains("no CPU interface at f9020000"));
}

/* --- the CPU changes hands ---------------------------------------------- */

static void test_reset_scrubs_everything(void **state)
{
	u32 guest;

	set_irqchip(&cell_desc, 0x08000000, 32, 0x300);
	assert_int_equal(irqchip_cell_init(&cell), 0);
	cpu.cell = &cell;

	/*
	 * the cell's SPI, a PPI, an SGI, an SPI that changed cells since;
	 * the CPU acknowledged 40 and 41
	 */
	spi_holder[40] = spi_holder[41] = cpu.cpu_id + 1;
	lrs[0] = (struct gic_lr){ .virq = 40, .hw = true, .active = true };
	lrs[1] = (struct gic_lr){ .virq = 27, .hw = true, .pending = true };
	lrs[2] = (struct gic_lr){ .virq = 5, .pending = true };
	lrs[3] = (struct gic_lr){ .virq = 52, .hw = true, .active = true };
	gic_queue(&cpu.irq, &(struct gic_lr){ .virq = 41, .hw = true,
					     .pending = true });
	gic_queue(&cpu.irq, &(struct gic_lr){ .virq = 6, .pending = true });
	underflow = true;

	irqchip_cpu_reset(&cpu);

	assert_int_equal(used_lrs(), 0);
	assert_int_equal(cpu.irq.num_pending, 0);
	assert_false(test_bit(41, cpu.irq.pending));
	assert_false(underflow);
	/* the cell's SPIs its guest left behind: 40 and queued 41 */
	assert_int_equal(num_deactivated, 2);
	assert_int_equal(deactivated[0], 40);
	assert_int_equal(deactivated[1], 41);
	/* private interrupts off, but the hypervisor's */
	guest = ~(u32)(BIT(SGI_HYPERVISOR) | BIT(MAINT_IRQ));
	assert_int_equal(gicd_regs[GICD_ICENABLER / 4], guest);
	assert_int_equal(gicd_regs[GICD_ICPENDR / 4], guest);
	assert_int_equal(gicd_regs[GICD_ICACTIVER / 4], guest);
	assert_int_equal(fake_resets, 1);
}

static void test_reset_clears_private_priorities(void **state)
{
	u8 *prio = (u8 *)gicd_regs + GICD_IPRIORITYR;
	unsigned int irq;

	/* what the former guest set, and the hypervisor's own */
	memset(prio, 0x40, 40);
	prio[SGI_HYPERVISOR] = GIC_HV_PRIORITY;
	prio[MAINT_IRQ] = GIC_HV_PRIORITY;

	irqchip_cpu_reset(&cpu);

	for (irq = 0; irq < GIC_NUM_PRIVATE_IRQS; irq++)
		if (irq == SGI_HYPERVISOR || irq == MAINT_IRQ)
			assert_int_equal(prio[irq], GIC_HV_PRIORITY);
		else
			assert_int_equal(prio[irq], 0);
	/* SPIs are their cells' business */
	assert_int_equal(prio[32], 0x40);
}

/*
 * The root's Linux parked the CPU with one of its SPIs in a list register;
 * the CPU goes to a cell: the SPI must not stay active for good.
 */
static void test_reset_drops_root_spi_left_behind(void **state)
{
	static const u32 script[] = { 60 };

	inject_script(script, 1);
	irqchip_handle_irq();
	assert_int_equal(lrs[0].virq, 60);

	set_irqchip(&cell_desc, 0x08000000, 32, 0x100);
	assert_int_equal(irqchip_cell_init(&cell), 0);
	cpu.cell = &cell;
	irqchip_cpu_reset(&cpu);

	assert_int_equal(num_deactivated, 1);
	assert_int_equal(deactivated[0], 60);
}

/*
 * A cell's guest left its SPI in a list register; destroying the cell
 * reset the SPI, which the root may have active on another CPU when this
 * one comes back: no second deactivation.
 */
static void test_reset_leaves_spi_handed_over(void **state)
{
	static const u32 script[] = { 40 };

	set_irqchip(&cell_desc, 0x08000000, 32, 0x100);
	assert_int_equal(irqchip_cell_init(&cell), 0);
	cpu.cell = &cell;
	inject_script(script, 1);
	irqchip_handle_irq();
	assert_int_equal(lrs[0].virq, 40);

	irqchip_cell_exit(&cell);
	cpu.cell = &root_cell;
	irqchip_cpu_reset(&cpu);

	assert_int_equal(num_deactivated, 0);
	assert_int_equal(used_lrs(), 0);
}

static void test_reset_leaves_spi_of_other_cell(void **state)
{
	/* SPI 50 moved to another cell meanwhile: not this one's any more */
	set_irqchip(&cell_desc, 0x08000000, 32, 0x100);
	assert_int_equal(irqchip_cell_init(&cell), 0);
	cpu.cell = &cell;
	lrs[0] = (struct gic_lr){ .virq = 50, .hw = true, .active = true };

	irqchip_cpu_reset(&cpu);
	assert_int_equal(num_deactivated, 0);
}

static void test_shutdown_hands_back_pending(void **state)
{
	/* 40 edge-triggered, 41 level */
	gicd_regs[(GICD_ICFGR + gic_irq_word(40, 2)) / 4] =
		GIC_ICFGR_EDGE << ((40 % 16) * 2);
	lrs[0] = (struct gic_lr){ .virq = 40, .hw = true, .pending = true };
	lrs[1] = (struct gic_lr){ .virq = 41, .hw = true, .pending = true };
	lrs[2] = (struct gic_lr){ .virq = 2, .pending = true };
	lrs[3] = (struct gic_lr){ .virq = 42, .hw = true, .active = true };
	gic_queue(&cpu.irq, &(struct gic_lr){ .virq = 7, .pending = true });

	irqchip_cpu_shutdown(&cpu);

	assert_int_equal(gicd_regs[(GICD_ISPENDR + 4) / 4], BIT(40 % 32));
	assert_int_equal(num_deactivated, 2);
	assert_int_equal(deactivated[0], 40);
	assert_int_equal(deactivated[1], 41);
	assert_int_equal(sgis_pending[2], 1);
	assert_int_equal(sgis_pending[7], 1);
	assert_int_equal(used_lrs(), 0);
	assert_int_equal(cpu.irq.num_pending, 0);
}

/* --- the distributor bank filter ---------------------------------------- */

static const struct gic_irq_bank banks[] = {
	{ GICD_ISENABLER,	1, GIC_BANK_SET_CLEAR,	false },
	{ GICD_IGROUPR,		1, GIC_BANK_READ_ONLY,	false },
	{ GICD_IPRIORITYR,	8, GIC_BANK_MODIFY,	true },
	{ GICD_ICFGR,		2, GIC_BANK_MODIFY,	false },
};

/* interrupts 40 and 43 are the test's */
static bool owned(void *ctx, unsigned int irq, bool is_write)
{
	return irq == 40 || irq == 43;
}

static enum mmio_result access(unsigned long reg, unsigned int size,
			       bool is_write, unsigned long *value)
{
	struct mmio_access mmio = {
		.address = reg, .size = size, .is_write = is_write,
		.value = *value,
	};
	const struct gic_irq_bank *bank =
		gic_find_irq_bank(banks, ARRAY_SIZE(banks), reg);
	enum mmio_result result;

	assert_non_null(bank);
	result = gic_access_irq_bank(gicd_regs, "GICD", bank, &mmio, owned,
				     NULL);
	*value = mmio.value;
	return result;
}

static void test_bank_filters_by_ownership(void **state)
{
	unsigned long reg = GICD_ISENABLER + 4, val;

	gicd_regs[reg / 4] = 0xffffffff;
	val = 0;
	assert_int_equal(access(reg, 4, false, &val), MMIO_HANDLED);
	assert_int_equal(val, BIT(8) | BIT(11));

	gicd_regs[reg / 4] = 0;
	val = 0xffffffff;
	assert_int_equal(access(reg, 4, true, &val), MMIO_HANDLED);
	assert_int_equal(gicd_regs[reg / 4], BIT(8) | BIT(11));

	/* read-only: nothing changes */
	reg = GICD_IGROUPR + 4;
	gicd_regs[reg / 4] = 0;
	val = 0xffffffff;
	assert_int_equal(access(reg, 4, true, &val), MMIO_HANDLED);
	assert_int_equal(gicd_regs[reg / 4], 0);
}

static void test_bank_modify_keeps_other_fields(void **state)
{
	unsigned long reg = GICD_IPRIORITYR + 40, val;

	/* 40..43: only 40 and 43 are ours */
	gicd_regs[reg / 4] = 0x11223344;
	val = 0xaabbccdd;
	assert_int_equal(access(reg, 4, true, &val), MMIO_HANDLED);
	assert_int_equal(gicd_regs[reg / 4], 0xaa2233dd);

	/* a byte of a foreign interrupt: no change, reads 0 */
	val = 0x55;
	assert_int_equal(access(reg + 1, 1, true, &val), MMIO_HANDLED);
	assert_int_equal(gicd_regs[reg / 4], 0xaa2233dd);
	val = 0xff;
	assert_int_equal(access(reg + 1, 1, false, &val), MMIO_HANDLED);
	assert_int_equal(val, 0);
	val = 0x66;
	assert_int_equal(access(reg + 3, 1, true, &val), MMIO_HANDLED);
	assert_int_equal(gicd_regs[reg / 4], 0x662233dd);
}

static void test_bank_refuses_bad_sizes(void **state)
{
	unsigned long val = 0;

	/* bytes only where the fields are bytes, aligned only */
	assert_int_equal(access(GICD_ICFGR + 4, 1, true, &val), MMIO_ERROR);
	assert_true(printk_log_contains("unsupported 1-byte write of GICD"));
	assert_int_equal(access(GICD_IPRIORITYR + 42, 2, false, &val),
			 MMIO_ERROR);
	assert_int_equal(access(GICD_ISENABLER + 6, 4, false, &val),
			 MMIO_ERROR);
}

/* --- MSIs of virtual PCI devices ------------------------------------------ */

/* The cell owns SPIs 40 and 41, its MSI SPIs from vpci_irq_base 4 + 4. */
static void msi_cell(void)
{
	set_irqchip(&cell_desc, 0x08000000, 32, 0x300);
	cell_desc.desc.vpci_irq_base = 4;
	assert_int_equal(irqchip_cell_init(&cell), 0);
}

static bool spi_pending(unsigned int intid)
{
	return gicd_regs[(GICD_ISPENDR + gic_irq_word(intid, 1)) / 4] &
		BIT(intid % 32);
}

static void test_msi_raises_own_spi_only(void **state)
{
	msi_cell();
	assert_true(arch_vpci_raise_msi(&cell, FAKE_MSI_ADDRESS, 41));
	assert_true(spi_pending(41));

	gicd_regs[(GICD_ISPENDR + gic_irq_word(41, 1)) / 4] = 0;
	/* the root's SPI, a PPI of the CPU, beyond the SPIs, elsewhere */
	assert_false(arch_vpci_raise_msi(&cell, FAKE_MSI_ADDRESS, 42));
	assert_false(arch_vpci_raise_msi(&cell, FAKE_MSI_ADDRESS, 27));
	assert_false(arch_vpci_raise_msi(&cell, FAKE_MSI_ADDRESS, 1020));
	assert_false(arch_vpci_raise_msi(&cell, FAKE_MSI_ADDRESS + 0x1000,
					 41));
	assert_false(spi_pending(41));
	assert_false(spi_pending(42));
}

static void test_msi_spis_of_cell(void **state)
{
	unsigned int first;

	msi_cell();
	assert_int_equal(gic_cell_msi_spis(&cell, &first), 2);
	assert_int_equal(first, 40);
	/* from SPI 41 on: the gap at 42 ends the range */
	cell_desc.desc.vpci_irq_base = 5;
	assert_int_equal(gic_cell_msi_spis(&cell, &first), 1);
	assert_int_equal(first, 41);
	/* none owned */
	cell_desc.desc.vpci_irq_base = 8;
	assert_int_equal(gic_cell_msi_spis(&cell, &first), 0);
}

static enum mmio_result v2m_access(unsigned long reg, unsigned int size,
				   bool is_write, unsigned long *value)
{
	struct mmio_access mmio = {
		.address = reg, .size = size, .is_write = is_write,
		.value = *value,
	};
	enum mmio_result result = v2m_handle_access(&cell, &mmio);

	*value = mmio.value;
	return result;
}

static void test_v2m_frame(void **state)
{
	unsigned long val = 0;

	msi_cell();
	test_system.sys.platform_info.pci_mmconfig_base = 0x4010000000UL;
	assert_int_equal(gic_v2_msi_address(), 0x400ffff040UL);

	assert_int_equal(v2m_access(V2M_MSI_TYPER, 4, false, &val),
			 MMIO_HANDLED);
	assert_int_equal(val, (40 << 16) | 2);
	assert_int_equal(v2m_access(V2M_MSI_IIDR, 4, false, &val),
			 MMIO_HANDLED);
	assert_int_equal(val, 0);

	/* SETSPI_NS from the cell's CPUs: its own SPIs only */
	val = 41;
	assert_int_equal(v2m_access(V2M_MSI_SETSPI_NS, 4, true, &val),
			 MMIO_HANDLED);
	assert_true(spi_pending(41));
	val = 42;
	v2m_access(V2M_MSI_SETSPI_NS, 4, true, &val);
	val = 27;
	v2m_access(V2M_MSI_SETSPI_NS, 4, true, &val);
	assert_false(spi_pending(42));
	assert_false(spi_pending(27));

	assert_int_equal(v2m_access(V2M_MSI_TYPER, 2, false, &val),
			 MMIO_ERROR);
	assert_true(printk_log_contains("unsupported 2-byte read of GICv2m"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_spi_injected_with_hw_bit, setup),
		cmocka_unit_test_setup(test_sgi_deactivated_and_virtual,
				       setup),
		cmocka_unit_test_setup(
			test_sgi_again_while_active_is_pending_and_active,
			setup),
		cmocka_unit_test_setup(
			test_hw_interrupt_again_replaces_stale_entry, setup),
		cmocka_unit_test_setup(test_queue_when_full_then_refill,
				       setup),
		cmocka_unit_test_setup(
			test_new_interrupt_waits_behind_queued_ones, setup),
		cmocka_unit_test_setup(test_hypervisor_sgi_handled_not_injected,
				       setup),
		cmocka_unit_test_setup(
			test_foreign_spi_deactivated_reported_once, setup),
		cmocka_unit_test_setup(
			test_endless_foreign_interrupt_lets_cpu_go, setup),
		cmocka_unit_test_setup(test_cell_takes_and_returns_spis,
				       setup),
		cmocka_unit_test_setup(test_cell_cannot_take_foreign_spi,
				       setup),
		cmocka_unit_test_setup(test_bad_irqchips_refused, setup),
		cmocka_unit_test_setup(test_direct_not_for_the_root, setup),
		cmocka_unit_test_setup(test_direct_as_the_gic_can, setup),
		cmocka_unit_test_setup(
			test_direct_refused_without_the_gic_op, setup),
		cmocka_unit_test_setup(test_fiq_is_the_hypervisor_sgi, setup),
		cmocka_unit_test_setup(test_fiq_without_group0_is_unexpected,
				       setup),
		cmocka_unit_test_setup(test_unknown_version_refused, setup),
		cmocka_unit_test_setup(test_cell_create_confines_root_spis,
				       setup),
		cmocka_unit_test_setup(test_v2_root_spis_leave_cell_cpus,
				       setup),
		cmocka_unit_test_setup(test_v2_zynqmp_gicc_128k, setup),
		cmocka_unit_test_setup(test_v2_zynqmp_gicc_8k_config, setup),
		cmocka_unit_test_setup(test_v2_root_refused_aliases_of_gicc,
				       setup),
		cmocka_unit_test_setup(
			test_v2_root_refused_aliases_of_gicd_gich_gicv, setup),
		cmocka_unit_test_setup(test_v2_root_refused_gich_of_other_cpus,
				       setup),
		cmocka_unit_test_setup(
			test_v2_aliased_gicv_elsewhere_in_window_refused,
			setup),
		cmocka_unit_test_setup(test_v2_plain_gic_8k, setup),
		cmocka_unit_test_setup(test_v2_aborting_gicc_refused, setup),
		cmocka_unit_test_setup(test_reset_scrubs_everything, setup),
		cmocka_unit_test_setup(test_reset_clears_private_priorities,
				       setup),
		cmocka_unit_test_setup(test_reset_drops_root_spi_left_behind,
				       setup),
		cmocka_unit_test_setup(test_reset_leaves_spi_handed_over,
				       setup),
		cmocka_unit_test_setup(test_reset_leaves_spi_of_other_cell,
				       setup),
		cmocka_unit_test_setup(test_shutdown_hands_back_pending,
				       setup),
		cmocka_unit_test_setup(test_bank_filters_by_ownership, setup),
		cmocka_unit_test_setup(test_bank_modify_keeps_other_fields,
				       setup),
		cmocka_unit_test_setup(test_bank_refuses_bad_sizes, setup),
		cmocka_unit_test_setup(test_msi_raises_own_spi_only, setup),
		cmocka_unit_test_setup(test_msi_spis_of_cell, setup),
		cmocka_unit_test_setup(test_v2m_frame, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
