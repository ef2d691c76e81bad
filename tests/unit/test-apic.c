// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the local APIC of x86 cells (hypervisor/arch/x86/apic.c)
 * over a fake xAPIC page: the x2APIC mode of non-root cells (its MSRs,
 * their #GP cases and statistics, IA32_APIC_BASE), the IPIs of a cell
 * through the x2APIC's ICR and through the xAPIC page (physical, logical
 * flat, cluster and x2APIC cluster destinations, shorthands, delivery
 * modes), the MSIs of virtual devices, the APIC's reset, and the host in
 * x2APIC mode.  The fake APIC records each register write and each IPI
 * (destination APIC ID and ICR): the tests check exactly what reached it.
 *
 * apic.c is included, so that its static functions are reachable; the x86
 * headers come before the test's substitutes.  Its CPU instructions
 * (RDMSR, WRMSR, CPUID, PAUSE, this_cpu_data()'s stack pointer, the
 * STGI/STI and CLI/CLGI of x86_apic_reset()) are replaced by the test's
 * functions, by macros defined after the headers and before apic.c.
 */
#include "test.h"

#include <jailhouse/arch.h>
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/mmio.h>
#include <jailhouse/paging.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <jailhouse/unit.h>
#include <asm/control.h>
#include <asm/processor.h>
#include <asm/vcpu.h>

static u64 fake_read_msr(u32 msr);
static void fake_write_msr(u32 msr, u64 value);
static void fake_cpuid(u32 leaf, u32 subleaf, u32 *eax, u32 *ebx, u32 *ecx,
		       u32 *edx);
static void fake_cpu_relax(void);
static struct per_cpu *fake_this_cpu_data(void);
static void fake_asm(const char *insns);

#define read_msr	fake_read_msr
#define write_msr	fake_write_msr
#define cpuid		fake_cpuid
#define cpu_relax	fake_cpu_relax
#define this_cpu_data	fake_this_cpu_data
/* asm volatile("insns") becomes fake_asm("insns") */
#define asm
#define volatile(...)	fake_asm(__VA_ARGS__)

#include "../../hypervisor/arch/x86/apic.c"

#undef volatile
#undef asm
#undef this_cpu_data
#undef cpu_relax
#undef cpuid
#undef write_msr
#undef read_msr

#define NUM_CPUS	4
#define LAPIC_BASE	0xfee00000UL
/* IA32_APIC_BASE as Linux leaves it on an AP: enabled, xAPIC mode */
#define BASE_MSR	(LAPIC_BASE | 0x800)
#define APIC_ISR_REGS	8

/* the cell's x2APIC MSRs */
#define MSR_EOI		0x80b
#define MSR_ESR		0x828
#define MSR_ICR		0x830
#define MSR_SELF_IPI	0x83f

/* --- the fake APIC -------------------------------------------------------- */

struct reg_write {
	unsigned int reg;
	u32 value;
};

struct ipi {
	u32 apic_id;
	u32 icr;
};

static struct {
	u32 regs[PAGE_SIZE / APIC_REG_STRIDE];
	struct reg_write writes[64];
	unsigned int num_writes;
	struct ipi ipis[16];
	unsigned int num_ipis;
	/* ICR reads that show it busy; and after each ICR write */
	unsigned int busy_reads;
	unsigned int busy_after_send;
	unsigned int icr_reads;
} dev;
static u8 dev_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static bool map_fails;
static unsigned int maps;

static unsigned long reg_of(void *address)
{
	unsigned long off = (u8 *)address - dev_page;

	assert_true(off < PAGE_SIZE);
	assert_int_equal(off % APIC_REG_STRIDE, 0);
	return off;
}

u32 mmio_read32(void *address)
{
	unsigned long reg = reg_of(address);

	if (reg == APIC_ICR) {
		dev.icr_reads++;
		if (dev.busy_reads) {
			dev.busy_reads--;
			return dev.regs[reg / APIC_REG_STRIDE] | APIC_ICR_BUSY;
		}
	}
	return dev.regs[reg / APIC_REG_STRIDE];
}

/* An EOI ends the highest vector in service. */
static void fake_eoi(void)
{
	int n, bit;

	for (n = APIC_ISR_REGS - 1; n >= 0; n--) {
		u32 *isr = &dev.regs[APIC_ISR / APIC_REG_STRIDE + n];

		for (bit = 31; bit >= 0; bit--)
			if (*isr & (1U << bit)) {
				*isr &= ~(1U << bit);
				return;
			}
	}
}

void mmio_write32(void *address, u32 value)
{
	unsigned long reg = reg_of(address);

	assert_true(dev.num_writes < ARRAY_SIZE(dev.writes));
	dev.writes[dev.num_writes++] = (struct reg_write){ reg, value };
	if (reg == APIC_ICR) {
		assert_true(dev.num_ipis < ARRAY_SIZE(dev.ipis));
		dev.ipis[dev.num_ipis++] = (struct ipi){
			dev.regs[APIC_ICR_HIGH / APIC_REG_STRIDE] >>
				APIC_ICR_DEST_SHIFT,
			value,
		};
		dev.busy_reads = dev.busy_after_send;
	} else if (reg == APIC_EOI) {
		fake_eoi();
	}
	dev.regs[reg / APIC_REG_STRIDE] = value;
}

void *paging_map_device(unsigned long phys, unsigned long size)
{
	assert_int_equal(phys, LAPIC_BASE);
	assert_int_equal(size, PAGE_SIZE);
	if (map_fails)
		return NULL;
	maps++;
	return dev_page;
}

void paging_unmap_device(unsigned long phys, void *virt, unsigned long size)
{
	assert_int_equal(phys, LAPIC_BASE);
	assert_ptr_equal(virt, dev_page);
	assert_int_equal(size, PAGE_SIZE);
	assert_int_equal(maps, 1);
	maps--;
}

/* mmio.c's, on the fake's 32-bit registers */
enum mmio_result mmio_perform_access(void *base, struct mmio_access *mmio)
{
	assert_ptr_equal(base, dev_page);
	assert_int_equal(mmio->size, 4);
	if (mmio->is_write)
		mmio_write32(dev_page + mmio->address, mmio->value);
	else
		mmio->value = mmio_read32(dev_page + mmio->address);
	return MMIO_HANDLED;
}

static void check_writes(const struct reg_write *expected, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n && i < dev.num_writes; i++)
		if (dev.writes[i].reg != expected[i].reg ||
		    dev.writes[i].value != expected[i].value)
			fail_msg("write %u: 0x%x to 0x%x, expected 0x%x to "
				 "0x%x", i, dev.writes[i].value,
				 dev.writes[i].reg, expected[i].value,
				 expected[i].reg);
	assert_int_equal(dev.num_writes, n);
	dev.num_writes = 0;
}

/* exactly these register writes since the last check */
#define expect_writes(...)						\
	do {								\
		const struct reg_write w[] = { __VA_ARGS__ };		\
									\
		check_writes(w, ARRAY_SIZE(w));				\
	} while (0)

static void expect_no_writes(void)
{
	check_writes(NULL, 0);
	assert_int_equal(dev.num_ipis, 0);
}

/* exactly these IPIs (and no other write) since the last check */
static void check_ipis(const struct ipi *expected, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n && i < dev.num_ipis; i++) {
		if (dev.ipis[i].apic_id != expected[i].apic_id ||
		    dev.ipis[i].icr != expected[i].icr)
			fail_msg("IPI %u: 0x%x to 0x%x, expected 0x%x to 0x%x",
				 i, dev.ipis[i].icr, dev.ipis[i].apic_id,
				 expected[i].icr, expected[i].apic_id);
		/* each with its destination written first */
		assert_int_equal(dev.writes[2 * i].reg, APIC_ICR_HIGH);
		assert_int_equal(dev.writes[2 * i].value,
				 expected[i].apic_id << APIC_ICR_DEST_SHIFT);
		assert_int_equal(dev.writes[2 * i + 1].reg, APIC_ICR);
	}
	assert_int_equal(dev.num_ipis, n);
	assert_int_equal(dev.num_writes, 2 * n);
	dev.num_ipis = dev.num_writes = 0;
}

#define expect_ipis(...)						\
	do {								\
		const struct ipi e[] = { __VA_ARGS__ };			\
									\
		check_ipis(e, ARRAY_SIZE(e));				\
	} while (0)

/* --- the CPU's instructions and the rest of the hypervisor ---------------- */

static struct {
	u64 apic_base;
	u32 x2apic_id;
	u32 cpuid_1_ecx;
	struct {
		u32 msr;
		u64 value;
	} msr_writes[4];
	unsigned int num_msr_writes;
	unsigned int relaxes;
	const char *insns[4];
	unsigned int num_insns;
	struct per_cpu *running;
} cpu;

static u64 fake_read_msr(u32 msr)
{
	switch (msr) {
	case MSR_IA32_APIC_BASE:
		return cpu.apic_base;
	case MSR_X2APIC_ID:
		return cpu.x2apic_id;
	}
	fail_msg("RDMSR 0x%x", msr);
	return 0;
}

static void fake_write_msr(u32 msr, u64 value)
{
	assert_true(cpu.num_msr_writes < ARRAY_SIZE(cpu.msr_writes));
	cpu.msr_writes[cpu.num_msr_writes].msr = msr;
	cpu.msr_writes[cpu.num_msr_writes++].value = value;
}

static void fake_cpuid(u32 leaf, u32 subleaf, u32 *eax, u32 *ebx, u32 *ecx,
		       u32 *edx)
{
	assert_int_equal(leaf, CPUID_FEATURES);
	*eax = *ebx = *edx = 0;
	*ecx = cpu.cpuid_1_ecx;
}

static void fake_cpu_relax(void)
{
	cpu.relaxes++;
}

static struct per_cpu *fake_this_cpu_data(void)
{
	assert_non_null(cpu.running);
	return cpu.running;
}

static void fake_asm(const char *insns)
{
	assert_true(cpu.num_insns < ARRAY_SIZE(cpu.insns));
	cpu.insns[cpu.num_insns++] = insns;
}

static void expect_msr_write(u32 msr, u64 value)
{
	assert_int_equal(cpu.num_msr_writes, 1);
	assert_int_equal(cpu.msr_writes[0].msr, msr);
	assert_int_equal(cpu.msr_writes[0].value, value);
	cpu.num_msr_writes = 0;
}

/* control.c's INIT and SIPI */
static struct {
	unsigned int cpu;
	bool sipi;
	u8 vector;
} sipis[4];
static unsigned int num_sipis;

void x86_cpu_init_sipi(unsigned int cpu_id, bool sipi, u8 vector)
{
	assert_true(num_sipis < ARRAY_SIZE(sipis));
	sipis[num_sipis].cpu = cpu_id;
	sipis[num_sipis].sipi = sipi;
	sipis[num_sipis++].vector = vector;
}

static void expect_sipi(unsigned int cpu_id, bool sipi, u8 vector)
{
	assert_int_equal(num_sipis, 1);
	assert_int_equal(sipis[0].cpu, cpu_id);
	assert_int_equal(sipis[0].sipi, sipi);
	assert_int_equal(sipis[0].vector, vector);
	num_sipis = 0;
}

/* svm.c's halt watch */
static struct per_cpu *watched;
static int watch;

void vcpu_watch_halt(struct per_cpu *cpu_data, bool on)
{
	watched = cpu_data;
	watch = on;
}

/* --- the trapped regions -------------------------------------------------- */

#include "fake-mmio.h"

/* --- the system ----------------------------------------------------------- */

struct per_cpu __hv_core_end[NUM_CPUS];
struct cell root_cell;
static struct cell cell;
static const struct jailhouse_cell_desc root_desc = { .name = "root" };
static const struct jailhouse_cell_desc cell_desc = { .name = "cell" };

/*
 * CPUs 0 and 1 are the root's, 2 and 3 the cell's.  Their APIC IDs put
 * CPU 1 (root) and CPU 2 (cell) in x2APIC cluster 1, CPU 3 in cluster 2.
 */
static const u32 apic_ids[NUM_CPUS] = { 0x00, 0x11, 0x12, 0x23 };
#define ROOT_ID		0x11
#define CPU2_ID		0x12
#define CPU3_ID		0x23

static int setup(void **state)
{
	unsigned int n;

	memset(&dev, 0, sizeof(dev));
	memset(&cpu, 0, sizeof(cpu));
	memset(regions, 0, sizeof(regions));
	map_fails = false;
	maps = 0;
	num_sipis = 0;
	watched = NULL;
	watch = -1;
	cpu.apic_base = BASE_MSR;
	cpu.cpuid_1_ecx = CPUID_1_ECX_TSC_DEADLINE;

	memset(&root_cell, 0, sizeof(root_cell));
	root_cell.config = &root_desc;
	root_cell.cpu_set[0] = 0x3;
	memset(&cell, 0, sizeof(cell));
	cell.config = &cell_desc;
	cell.cpu_set[0] = 0xc;
	for (n = 0; n < NUM_CPUS; n++) {
		struct per_cpu *c = per_cpu(n);

		memset(&c->arch, 0, sizeof(c->arch));
		memset(c->stats, 0, sizeof(c->stats));
		c->cpu_id = n;
		c->cell = n < 2 ? &root_cell : &cell;
		c->arch.apic_id = apic_ids[n];
		/* the root's as Linux sets them (flat), the cell's reset */
		c->arch.ldr = n < 2 ? (1U << n) << APIC_ICR_DEST_SHIFT : 0;
		c->arch.dfr = APIC_DFR_RESET;
	}
	cpu.running = per_cpu(2);

	assert_int_equal(apic_init(), 0);
	assert_ptr_equal(lapic, dev_page);
	assert_int_equal(apic_cell_init(&root_cell), 0);
	assert_int_equal(apic_cell_init(&cell), 0);
	printk_log_clear();
	return 0;
}

static int teardown(void **state)
{
	apic_cell_exit(&cell);
	apic_cell_exit(&root_cell);
	assert_null(region_of(&root_cell));
	assert_null(region_of(&cell));
	apic_shutdown();
	assert_null(lapic);
	assert_int_equal(maps, 0);
	return 0;
}

/* --- accesses of the cells ------------------------------------------------ */

/* An access of CPU @cpu_id to its APIC page. */
static u32 page_access(unsigned int cpu_id, unsigned int reg, bool write,
		       u32 value)
{
	struct per_cpu *c = per_cpu(cpu_id);
	struct region *r = region_of(c->cell);
	struct mmio_access mmio = {
		.address = reg, .size = 4, .is_write = write, .value = value,
	};

	assert_non_null(r);
	cpu.running = c;
	assert_int_equal(r->handler(r->arg, &mmio), MMIO_HANDLED);
	return mmio.value;
}

static u32 page_read(unsigned int cpu_id, unsigned int reg)
{
	return page_access(cpu_id, reg, false, 0);
}

static void page_write(unsigned int cpu_id, unsigned int reg, u32 value)
{
	page_access(cpu_id, reg, true, value);
}

/* An xAPIC ICR write of CPU @cpu_id: destination first. */
static void xapic_ipi(unsigned int cpu_id, u8 dest, u32 icr)
{
	page_write(cpu_id, APIC_ICR_HIGH, (u32)dest << APIC_ICR_DEST_SHIFT);
	page_write(cpu_id, APIC_ICR, icr);
}

static bool msr_read(unsigned int cpu_id, u32 msr, u64 *value)
{
	*value = 0xdeadbeefdeadbeefULL;
	return x86_x2apic_access(per_cpu(cpu_id), msr, false, value);
}

static bool msr_write(unsigned int cpu_id, u32 msr, u64 value)
{
	return x86_x2apic_access(per_cpu(cpu_id), msr, true, &value);
}

/* An x2APIC ICR write of CPU 2, which it accepts. */
static void x2apic_ipi(u32 dest, u32 icr)
{
	per_cpu(2)->arch.x2apic = true;
	assert_true(msr_write(2, MSR_ICR, (u64)dest << 32 | icr));
}

/* --- set-up, the host's APIC ---------------------------------------------- */

static void test_init(void **state)
{
	struct region *r = region_of(&cell);

	assert_int_equal(maps, 1);
	assert_int_equal(lapic_phys, LAPIC_BASE);
	assert_true(tsc_deadline);
	/* every cell traps the page */
	assert_non_null(r);
	assert_int_equal(r->start, LAPIC_BASE);
	assert_int_equal(r->size, PAGE_SIZE);
	assert_non_null(region_of(&root_cell));
	assert_int_equal(apic_mmio_count_regions(&cell), 1);
	apic_cell_reset(&cell);
	expect_no_writes();
	assert_string_equal(printk_log, "");

	/* no TSC deadline mode, another base */
	apic_cell_exit(&cell);
	apic_cell_exit(&root_cell);
	apic_shutdown();
	cpu.cpuid_1_ecx = 0;
	cpu.apic_base = LAPIC_BASE | 0x900;
	assert_int_equal(apic_init(), 0);
	assert_false(tsc_deadline);
	assert_int_equal(lapic_phys, LAPIC_BASE);
	assert_int_equal(apic_cell_init(&root_cell), 0);
	assert_int_equal(apic_cell_init(&cell), 0);
}

static void test_init_map_fails(void **state)
{
	apic_cell_exit(&cell);
	apic_cell_exit(&root_cell);
	apic_shutdown();
	map_fails = true;
	assert_int_equal(apic_init(), -ENOMEM);
	assert_null(lapic);
	map_fails = false;
}

/* Linux in x2APIC mode: no page, MSRs for the hypervisor's own use. */
static void test_host_x2apic(void **state)
{
	struct per_cpu *c = per_cpu(2);

	apic_cell_exit(&cell);
	apic_cell_exit(&root_cell);
	apic_shutdown();
	cpu.apic_base = BASE_MSR | APIC_BASE_EXTD;
	assert_int_equal(apic_init(), 0);
	assert_null(lapic);
	assert_int_equal(maps, 0);

	/* the root runs, non-root cells are refused */
	assert_int_equal(apic_cell_init(&root_cell), 0);
	assert_null(region_of(&root_cell));
	assert_int_equal(apic_cell_init(&cell), -ENOSYS);
	assert_string_equal(printk_log,
		"Cell \"cell\": non-root cells need the xAPIC mode, Linux "
		"runs in x2APIC mode\n");

	cpu.x2apic_id = 0x123;
	x86_apic_cpu_init(c);
	assert_int_equal(c->arch.apic_id, 0x123);
	x86_apic_send_nmi(0x123);
	expect_msr_write(MSR_X2APIC_ICR, 0x12300000000ULL | APIC_ICR_DM_NMI);
	x86_apic_quiesce();
	assert_int_equal(cpu.num_msr_writes, 0);
	assert_false(arch_vpci_raise_msi(&cell, 0xfee12000, 0x41));

	c->arch.x2apic = true;
	c->arch.icr_low = 0x41;
	c->arch.icr_high = 0x23;
	c->arch.ldr = 0x01000000;
	c->arch.dfr = 0x0fffffff;
	x86_apic_reset(c);
	assert_false(c->arch.x2apic);
	assert_int_equal(c->arch.icr_low, 0);
	assert_int_equal(c->arch.icr_high, 0);
	assert_int_equal(c->arch.ldr, 0);
	assert_int_equal(c->arch.dfr, APIC_DFR_RESET);
	assert_int_equal(cpu.num_insns, 0);
	apic_cell_exit(&root_cell);
	expect_no_writes();
}

static void test_cpu_init(void **state)
{
	struct per_cpu *c = per_cpu(1);

	dev.regs[APIC_ID / APIC_REG_STRIDE] = 0x23000000;
	dev.regs[APIC_LDR / APIC_REG_STRIDE] = 0x32000000;
	dev.regs[APIC_DFR / APIC_REG_STRIDE] = 0x0fffffff;
	x86_apic_cpu_init(c);
	assert_int_equal(c->arch.apic_id, 0x23);
	assert_int_equal(c->arch.ldr, 0x32000000);
	assert_int_equal(c->arch.dfr, 0x0fffffff);
	expect_no_writes();
}

/* The hypervisor's NMI: after the ICR is free, until it is free again. */
static void test_send_nmi(void **state)
{
	dev.busy_reads = 2;
	dev.busy_after_send = 3;
	x86_apic_send_nmi(CPU3_ID);
	expect_ipis({ CPU3_ID, APIC_ICR_DM_NMI });
	assert_int_equal(cpu.relaxes, 5);
	assert_int_equal(dev.icr_reads, 7);
	assert_int_equal(dev.busy_reads, 0);
}

static void test_quiesce(void **state)
{
	x86_apic_quiesce();
	expect_writes({ APIC_LVT_FIRST, APIC_LVT_MASKED }, { APIC_TMICT, 0 });
	expect_msr_write(MSR_TSC_DEADLINE, 0);

	tsc_deadline = false;
	x86_apic_quiesce();
	expect_writes({ APIC_LVT_FIRST, APIC_LVT_MASKED }, { APIC_TMICT, 0 });
	assert_int_equal(cpu.num_msr_writes, 0);
}

static void test_drop_irq(void **state)
{
	x86_apic_drop_irq();
	expect_writes({ APIC_EOI, 0 });
}

/*
 * As after INIT: the cell's view cleared, the device's LVTs masked, timer
 * stopped, TPR 0, no vector in service (0x31 and 0x45 were), what is
 * pending taken with interrupts on, logical destination and error status
 * cleared, software-disabled.
 */
static void test_reset(void **state)
{
	struct per_cpu *c = per_cpu(2);

	c->arch.x2apic = true;
	c->arch.icr_low = 0x841;
	c->arch.icr_high = 0x10004;
	c->arch.ldr = 0x21000000;
	c->arch.dfr = 0x0fffffff;
	dev.regs[APIC_ISR / APIC_REG_STRIDE + 1] = 1U << (0x31 - 32);
	dev.regs[APIC_ISR / APIC_REG_STRIDE + 2] = 1U << (0x45 - 64);
	x86_apic_reset(c);

	assert_false(c->arch.x2apic);
	assert_int_equal(c->arch.icr_low, 0);
	assert_int_equal(c->arch.icr_high, 0);
	assert_int_equal(c->arch.ldr, 0);
	assert_int_equal(c->arch.dfr, APIC_DFR_RESET);
	expect_writes({ 0x320, APIC_LVT_MASKED }, { 0x330, APIC_LVT_MASKED },
		      { 0x340, APIC_LVT_MASKED }, { 0x350, APIC_LVT_MASKED },
		      { 0x360, APIC_LVT_MASKED }, { 0x370, APIC_LVT_MASKED },
		      { APIC_LVT_FIRST, APIC_LVT_MASKED }, { APIC_TMICT, 0 },
		      { APIC_TPR, 0 }, { APIC_EOI, 0 }, { APIC_EOI, 0 },
		      { APIC_SVR, 0x1ff },
		      { APIC_LDR, 0 }, { APIC_DFR, 0xffffffff },
		      { APIC_ESR, 0 }, { APIC_ESR, 0 }, { APIC_SVR, 0xff });
	expect_msr_write(MSR_TSC_DEADLINE, 0);
	assert_int_equal(cpu.num_insns, 2);
	assert_string_equal(cpu.insns[0], "stgi; sti");
	assert_string_equal(cpu.insns[1], "cli; clgi");
	assert_int_equal(cpu.relaxes, IRQ_DRAIN_ROUNDS);
	assert_int_equal(dev.num_ipis, 0);
}

/* --- x2APIC registers ----------------------------------------------------- */

/* In xAPIC mode every x2APIC MSR is #GP, counted as nothing. */
static void test_x2apic_off(void **state)
{
	u32 msr;
	u64 value;

	for (msr = MSR_X2APIC_FIRST; msr <= MSR_X2APIC_LAST; msr++) {
		assert_false(msr_read(2, msr, &value));
		assert_false(msr_write(2, msr, 0));
	}
	assert_int_equal(per_cpu(2)->stats[JAILHOUSE_CPU_STAT_VMEXITS_XAPIC],
			 0);
	assert_int_equal(per_cpu(2)->stats
			 [JAILHOUSE_CPU_STAT_VMEXITS_MSR_X2APIC_ICR], 0);
	expect_no_writes();
	assert_string_equal(printk_log, "");
}

/* The registers an x2APIC MSR reads through to the xAPIC's. */
static bool passes_read(u32 msr)
{
	return msr == 0x803 ||				/* version */
		msr == 0x808 || msr == 0x80a ||		/* TPR, PPR */
		msr == 0x80f ||				/* SVR */
		(msr >= 0x810 && msr <= 0x827) ||	/* ISR, TMR, IRR */
		msr == MSR_ESR ||
		(msr >= 0x832 && msr <= 0x837) ||	/* LVTs */
		msr == 0x838 || msr == 0x839 ||		/* TMICT, TMCCT */
		msr == 0x83e;				/* TDCR */
}

static void test_x2apic_reads(void **state)
{
	struct per_cpu *c = per_cpu(2);
	unsigned int reg, n = 0;
	u32 msr;
	u64 value;

	for (reg = 0; reg < PAGE_SIZE; reg += APIC_REG_STRIDE)
		dev.regs[reg / APIC_REG_STRIDE] = 0xa5000000 | reg;
	c->arch.x2apic = true;
	for (msr = MSR_X2APIC_FIRST; msr <= MSR_X2APIC_LAST; msr++, n++) {
		bool ok = msr_read(2, msr, &value);

		switch (msr) {
		case MSR_X2APIC_ID:
			/* the 32-bit APIC ID */
			assert_true(ok);
			assert_int_equal(value, CPU2_ID);
			break;
		case MSR_X2APIC_LDR:
			/* cluster 1, bit 2 */
			assert_true(ok);
			assert_int_equal(value, 0x00010004);
			break;
		case MSR_ICR:
			assert_true(ok);
			assert_int_equal(value, 0);
			break;
		default:
			if (ok != passes_read(msr))
				fail_msg("MSR 0x%x: read %s", msr,
					 ok ? "taken" : "refused");
			if (ok)
				assert_int_equal(value, 0xa5000000 |
						 (msr - 0x800) * 16);
		}
	}
	/* the x2APIC ID and logical ID of other APIC IDs */
	c->arch.apic_id = 0x12345;
	assert_true(msr_read(2, MSR_X2APIC_ID, &value));
	assert_int_equal(value, 0x12345);
	assert_true(msr_read(2, MSR_X2APIC_LDR, &value));
	assert_int_equal(value, 0x12340020);
	c->arch.apic_id = 0x0f;
	assert_true(msr_read(2, MSR_X2APIC_LDR, &value));
	assert_int_equal(value, 0x00008000);

	assert_int_equal(c->stats[JAILHOUSE_CPU_STAT_VMEXITS_XAPIC], n + 3);
	assert_int_equal(c->stats[JAILHOUSE_CPU_STAT_VMEXITS_MSR_X2APIC_ICR],
			 0);
	expect_no_writes();
	assert_string_equal(printk_log, "");
}

/* The registers an x2APIC MSR write reaches (but the ICR, SELF IPI). */
static bool passes_write(u32 msr)
{
	return msr == 0x808 || msr == MSR_EOI || msr == 0x80f ||
		msr == MSR_ESR || (msr >= 0x832 && msr <= 0x838) ||
		msr == 0x83e;
}

static void test_x2apic_writes(void **state)
{
	struct per_cpu *c = per_cpu(2);
	unsigned int n = 0;
	u32 msr;

	c->arch.x2apic = true;
	/* 0 is fine for all that may be written; read-only, missing: #GP */
	for (msr = MSR_X2APIC_FIRST; msr <= MSR_X2APIC_LAST; msr++) {
		bool ok;

		if (msr == MSR_ICR || msr == MSR_SELF_IPI)
			continue;
		ok = msr_write(2, msr, 0);
		n++;
		if (ok != passes_write(msr))
			fail_msg("MSR 0x%x: write %s", msr,
				 ok ? "taken" : "refused");
		if (ok)
			expect_writes({ (msr - 0x800) * 16, 0 });
		else
			expect_no_writes();
	}
	/* not even the value it holds */
	assert_false(msr_write(2, MSR_X2APIC_LDR, 0x00010004));
	assert_false(msr_write(2, MSR_X2APIC_ID, CPU2_ID));
	n += 2;

	/* values through as they are, bits 63:32 reserved */
	assert_true(msr_write(2, 0x808, 0x20));
	assert_true(msr_write(2, 0x80f, 0x1ff));
	assert_true(msr_write(2, 0x832, 0x200ef));
	assert_true(msr_write(2, 0x837, 0xfe));
	assert_true(msr_write(2, 0x838, 0xffffffff));
	assert_true(msr_write(2, 0x83e, 0xb));
	expect_writes({ APIC_TPR, 0x20 }, { APIC_SVR, 0x1ff },
		      { 0x320, 0x200ef }, { 0x370, 0xfe },
		      { APIC_TMICT, 0xffffffff }, { APIC_TDCR, 0xb });
	assert_false(msr_write(2, 0x808, 1ULL << 32));
	assert_false(msr_write(2, 0x80f, 0x1000001ffULL));
	assert_false(msr_write(2, 0x832, 1ULL << 63));
	assert_false(msr_write(2, 0x838, 0x100000000ULL));
	assert_false(msr_write(2, 0x83e, 0xb00000000ULL));
	/* EOI and ESR: 0 only */
	assert_false(msr_write(2, MSR_EOI, 1));
	assert_false(msr_write(2, MSR_EOI, 1ULL << 32));
	assert_false(msr_write(2, MSR_ESR, 0x80));
	n += 14;
	expect_no_writes();

	assert_int_equal(c->stats[JAILHOUSE_CPU_STAT_VMEXITS_XAPIC], n);
	assert_int_equal(c->stats[JAILHOUSE_CPU_STAT_VMEXITS_MSR_X2APIC_ICR],
			 0);
	assert_string_equal(printk_log, "");
}

static void test_x2apic_self_ipi(void **state)
{
	per_cpu(2)->arch.x2apic = true;
	assert_true(msr_write(2, MSR_SELF_IPI, 0x41));
	expect_ipis({ CPU2_ID, 0x41 });
	/* a vector only */
	assert_false(msr_write(2, MSR_SELF_IPI, 0x141));
	assert_false(msr_write(2, MSR_SELF_IPI, 0x4000041));
	assert_false(msr_write(2, MSR_SELF_IPI, 1ULL << 32));
	expect_no_writes();
	assert_int_equal(per_cpu(2)->stats[JAILHOUSE_CPU_STAT_VMEXITS_XAPIC],
			 4);
}

/* The ICR: written as one, read back as written, its own statistics. */
static void test_x2apic_icr(void **state)
{
	struct per_cpu *c = per_cpu(2);
	u64 value;

	x2apic_ipi(CPU3_ID, 0x4041);
	expect_ipis({ CPU3_ID, 0x4041 });
	assert_int_equal(c->arch.icr_low, 0x4041);
	assert_int_equal(c->arch.icr_high, CPU3_ID);
	assert_true(msr_read(2, MSR_ICR, &value));
	assert_int_equal(value, 0x0000002300004041ULL);
	/* also a refused one */
	x2apic_ipi(ROOT_ID, 0x42);
	assert_true(msr_read(2, MSR_ICR, &value));
	assert_int_equal(value, 0x0000001100000042ULL);
	/* there is no ICR high half */
	assert_false(msr_read(2, 0x831, &value));
	assert_false(msr_write(2, 0x831, CPU3_ID));
	expect_no_writes();

	assert_int_equal(c->stats[JAILHOUSE_CPU_STAT_VMEXITS_MSR_X2APIC_ICR],
			 2);
	assert_int_equal(c->stats[JAILHOUSE_CPU_STAT_VMEXITS_XAPIC], 4);
	/* the other CPUs counted nothing */
	assert_int_equal(per_cpu(3)->stats[JAILHOUSE_CPU_STAT_VMEXITS_XAPIC],
			 0);
	assert_int_equal(per_cpu(3)->stats
			 [JAILHOUSE_CPU_STAT_VMEXITS_MSR_X2APIC_ICR], 0);
}

/* --- IPIs through the x2APIC's ICR ---------------------------------------- */

static void test_x2apic_ipi_physical(void **state)
{
	/* a CPU of the cell, the sender itself too */
	x2apic_ipi(CPU3_ID, 0x41);
	expect_ipis({ CPU3_ID, 0x41 });
	x2apic_ipi(CPU2_ID, 0x42);
	expect_ipis({ CPU2_ID, 0x42 });
	assert_string_equal(printk_log, "");

	/* the root's CPU: dropped */
	x2apic_ipi(ROOT_ID, 0x43);
	expect_no_writes();
	assert_string_equal(printk_log,
		"Cell \"cell\": IPI to APIC ID destination 0x11 outside the "
		"cell dropped (ICR 0x43)\n");

	/* broadcast: the cell's CPUs, none else */
	x2apic_ipi(0xffffffff, 0x44);
	expect_ipis({ CPU2_ID, 0x44 }, { CPU3_ID, 0x44 });

	/* 0xff is no broadcast in x2APIC mode, only the xAPIC's */
	printk_log_clear();
	x2apic_ipi(0xff, 0x45);
	expect_no_writes();
	assert_true(printk_log_contains("destination 0xff outside"));
	/* all 32 bits count */
	printk_log_clear();
	x2apic_ipi(0x100 | CPU3_ID, 0x46);
	expect_no_writes();
	assert_true(printk_log_contains("destination 0x123 outside"));

	/* the ICR goes with its trigger mode and level */
	x2apic_ipi(CPU3_ID, 0xc047);
	expect_ipis({ CPU3_ID, 0xc047 });
}

static void test_x2apic_ipi_logical(void **state)
{
	/* cluster 1: CPU 2 has bit 2 (CPU 1, the root's, has bit 1) */
	x2apic_ipi(0x00010004, 0x841);
	expect_ipis({ CPU2_ID, 0x41 });
	x2apic_ipi(0x00010006, 0x842);
	expect_ipis({ CPU2_ID, 0x42 });
	x2apic_ipi(0x0001fffc, 0x843);
	expect_ipis({ CPU2_ID, 0x43 });
	/* cluster 2: CPU 3 has bit 3 */
	x2apic_ipi(0x00020008, 0x844);
	expect_ipis({ CPU3_ID, 0x44 });
	/* broadcast, as in physical mode: the cell's CPUs */
	x2apic_ipi(0xffffffff, 0x84a);
	expect_ipis({ CPU2_ID, 0x4a }, { CPU3_ID, 0x4a });
	x2apic_ipi(0xffffffff, 0x94b);
	expect_ipis({ CPU2_ID, 0x4b });
	assert_string_equal(printk_log, "");

	/* CPU 2's bit in another cluster, CPU 3's cluster with another bit */
	x2apic_ipi(0x00020004, 0x845);
	expect_no_writes();
	assert_string_equal(printk_log,
		"Cell \"cell\": IPI to logical destination 0x20004 outside the "
		"cell dropped (ICR 0x845)\n");
	printk_log_clear();
	x2apic_ipi(0x00020007, 0x846);
	expect_no_writes();
	assert_true(printk_log_contains("logical destination 0x20007 "));
	/* the bit of the root's CPU in the cluster of the cell's */
	printk_log_clear();
	x2apic_ipi(0x00010002, 0x847);
	expect_no_writes();
	assert_true(printk_log_contains("logical destination 0x10002 "));
	/* cluster 0: the root's CPU 0 only */
	printk_log_clear();
	x2apic_ipi(0x0000ffff, 0x848);
	expect_no_writes();
	assert_true(printk_log_contains("logical destination 0xffff "));
	/* a physical ID in logical mode: no cluster 0 bit of the cell */
	printk_log_clear();
	x2apic_ipi(CPU3_ID, 0x849);
	expect_no_writes();
	assert_true(printk_log_contains("logical destination 0x23 "));
}

/* The destination field does not count with a shorthand. */
static void test_x2apic_ipi_shorthands(void **state)
{
	x2apic_ipi(ROOT_ID, 0x40041);
	expect_ipis({ CPU2_ID, 0x41 });
	x2apic_ipi(ROOT_ID, 0x80842);
	expect_ipis({ CPU2_ID, 0x42 }, { CPU3_ID, 0x42 });
	x2apic_ipi(0, 0xc0043);
	expect_ipis({ CPU3_ID, 0x43 });
	/* from CPU 3: the others are CPU 2 */
	per_cpu(3)->arch.x2apic = true;
	assert_true(msr_write(3, MSR_ICR, 0xc0044));
	expect_ipis({ CPU2_ID, 0x44 });
	assert_string_equal(printk_log, "");
}

/* Lowest priority: one CPU of those named, as a fixed IPI. */
static void test_x2apic_ipi_lowest(void **state)
{
	x2apic_ipi(0xffffffff, 0x141);
	expect_ipis({ CPU2_ID, 0x41 });
	x2apic_ipi(0x00020008, 0x942);
	expect_ipis({ CPU3_ID, 0x42 });
	x2apic_ipi(0, 0x80143);
	expect_ipis({ CPU2_ID, 0x43 });
	x2apic_ipi(0, 0xc0144);
	expect_ipis({ CPU3_ID, 0x44 });
	x2apic_ipi(ROOT_ID, 0x145);
	expect_no_writes();
	assert_true(printk_log_contains("APIC ID destination 0x11 outside"));
}

static void test_x2apic_ipi_nmi(void **state)
{
	x2apic_ipi(CPU3_ID, 0x4400);
	expect_ipis({ CPU3_ID, 0x4400 });
	x2apic_ipi(0x00020008, 0x4c00);
	expect_ipis({ CPU3_ID, 0x4400 });
	x2apic_ipi(0, 0xc4400);
	expect_ipis({ CPU3_ID, 0x4400 });
}

/* INIT and SIPI are control.c's, never the device's. */
static void test_x2apic_init_sipi(void **state)
{
	x2apic_ipi(CPU3_ID, 0x4500);
	expect_sipi(3, false, 0);
	x2apic_ipi(CPU3_ID, 0x4698);
	expect_sipi(3, true, 0x98);
	x2apic_ipi(0, 0xc4500);
	expect_sipi(3, false, 0);
	x2apic_ipi(0x00020008, 0x4e9a);
	expect_sipi(3, true, 0x9a);
	expect_no_writes();
	assert_string_equal(printk_log, "");

	/* de-assert: nothing, silently */
	x2apic_ipi(CPU3_ID, 0x8500);
	assert_int_equal(num_sipis, 0);
	assert_string_equal(printk_log, "");

	/* nor to the root's CPUs */
	x2apic_ipi(ROOT_ID, 0x4500);
	x2apic_ipi(ROOT_ID, 0x4698);
	assert_int_equal(num_sipis, 0);
	assert_true(printk_log_contains("destination 0x11 outside the cell "
					"dropped (ICR 0x4500)"));
	assert_true(printk_log_contains("destination 0x11 outside the cell "
					"dropped (ICR 0x4698)"));
	expect_no_writes();
}

static void test_ipi_reserved_modes(void **state)
{
	x2apic_ipi(CPU3_ID, 0x4241);
	assert_string_equal(printk_log,
		"Cell \"cell\": IPI with delivery mode 2 dropped (ICR "
		"0x4241)\n");
	printk_log_clear();
	x2apic_ipi(CPU3_ID, 0x4341);
	assert_true(printk_log_contains("delivery mode 3 dropped"));
	printk_log_clear();
	x2apic_ipi(0, 0xc4741);
	assert_true(printk_log_contains("delivery mode 7 dropped "
					"(ICR 0xc4741)"));
	/* the xAPIC's ICR alike */
	printk_log_clear();
	xapic_ipi(3, CPU3_ID, 0x4200);
	assert_true(printk_log_contains("delivery mode 2 dropped"));
	expect_no_writes();
	assert_int_equal(num_sipis, 0);
}

/* --- IPIs through the xAPIC's page ---------------------------------------- */

static void test_xapic_ipi_physical(void **state)
{
	/* the destination stays with the CPU, out of the device */
	page_write(2, APIC_ICR_HIGH, CPU3_ID << APIC_ICR_DEST_SHIFT);
	expect_no_writes();
	assert_int_equal(page_read(2, APIC_ICR_HIGH),
			 CPU3_ID << APIC_ICR_DEST_SHIFT);
	assert_int_equal(page_read(3, APIC_ICR_HIGH), 0);
	page_write(2, APIC_ICR, 0x4041);
	expect_ipis({ CPU3_ID, 0x4041 });

	xapic_ipi(2, ROOT_ID, 0x42);
	expect_no_writes();
	assert_string_equal(printk_log,
		"Cell \"cell\": IPI to APIC ID destination 0x11 outside the "
		"cell dropped (ICR 0x42)\n");
	/* the xAPIC's broadcast */
	xapic_ipi(3, 0xff, 0x43);
	expect_ipis({ CPU2_ID, 0x43 }, { CPU3_ID, 0x43 });
	xapic_ipi(3, 0xff, 0x80044);
	expect_ipis({ CPU2_ID, 0x44 }, { CPU3_ID, 0x44 });
	xapic_ipi(3, 0, 0x4500);
	expect_no_writes();
	assert_true(printk_log_contains("destination 0x0 outside"));
	xapic_ipi(3, CPU2_ID, 0x4500);
	expect_sipi(2, false, 0);

	/* the ICR's read is the device's */
	dev.regs[APIC_ICR / APIC_REG_STRIDE] = 0x4044;
	assert_int_equal(page_read(2, APIC_ICR), 0x4044);
	expect_no_writes();
}

/* Flat model: a cell's CPUs by the logical IDs it gave them. */
static void test_xapic_ipi_flat(void **state)
{
	page_write(2, APIC_LDR, 0x01000000);
	page_write(3, APIC_LDR, 0x02000000);
	page_write(2, APIC_DFR, 0xffffffff);
	page_write(3, APIC_DFR, 0xffffffff);
	/* the root CPU 1 with a bit of its own, and one the cell uses */
	page_write(1, APIC_LDR, 0x06000000);
	expect_writes({ APIC_LDR, 0x06000000 });
	assert_int_equal(per_cpu(1)->arch.ldr, 0x06000000);
	assert_int_equal(per_cpu(2)->arch.ldr, 0x01000000);
	assert_int_equal(page_read(3, APIC_LDR), 0x02000000);
	assert_int_equal(page_read(3, APIC_DFR), 0xffffffff);

	xapic_ipi(2, 0x01, APIC_ICR_DEST_LOGICAL | 0x41);
	expect_ipis({ CPU2_ID, 0x41 });
	xapic_ipi(2, 0x03, APIC_ICR_DEST_LOGICAL | 0x42);
	expect_ipis({ CPU2_ID, 0x42 }, { CPU3_ID, 0x42 });
	xapic_ipi(2, 0x06, APIC_ICR_DEST_LOGICAL | 0x43);
	expect_ipis({ CPU3_ID, 0x43 });
	xapic_ipi(2, 0xff, APIC_ICR_DEST_LOGICAL | 0x44);
	expect_ipis({ CPU2_ID, 0x44 }, { CPU3_ID, 0x44 });
	xapic_ipi(2, 0x03, APIC_ICR_DEST_LOGICAL | 0x145);
	expect_ipis({ CPU2_ID, 0x45 });
	assert_string_equal(printk_log, "");
	/* the root's bit only */
	xapic_ipi(2, 0x04, APIC_ICR_DEST_LOGICAL | 0x46);
	expect_no_writes();
	assert_string_equal(printk_log,
		"Cell \"cell\": IPI to logical destination 0x4 outside the "
		"cell dropped (ICR 0x846)\n");
	/* the root's IPIs by its own LDRs: not the cell's CPUs */
	printk_log_clear();
	xapic_ipi(0, 0x03, APIC_ICR_DEST_LOGICAL | 0x47);
	expect_ipis({ 0x00, 0x47 }, { ROOT_ID, 0x47 });
	xapic_ipi(0, 0xff, 0x48);
	expect_ipis({ 0x00, 0x48 }, { ROOT_ID, 0x48 });
	assert_string_equal(printk_log, "");
}

/* Cluster model: cluster in bits 7:4, a CPU bit in 3:0, 0xff all. */
static void test_xapic_ipi_cluster(void **state)
{
	page_write(2, APIC_DFR, 0x0fffffff);
	page_write(3, APIC_DFR, 0x0fffffff);
	page_write(2, APIC_LDR, 0x21000000);
	page_write(3, APIC_LDR, 0x32000000);
	expect_no_writes();
	per_cpu(1)->arch.dfr = 0x0fffffff;
	per_cpu(1)->arch.ldr = 0x22000000;

	xapic_ipi(2, 0x21, APIC_ICR_DEST_LOGICAL | 0x41);
	expect_ipis({ CPU2_ID, 0x41 });
	xapic_ipi(2, 0x2f, APIC_ICR_DEST_LOGICAL | 0x42);
	expect_ipis({ CPU2_ID, 0x42 });
	xapic_ipi(2, 0x32, APIC_ICR_DEST_LOGICAL | 0x43);
	expect_ipis({ CPU3_ID, 0x43 });
	assert_string_equal(printk_log, "");
	/* a wrong bit, a wrong cluster, the root's CPU */
	xapic_ipi(2, 0x31, APIC_ICR_DEST_LOGICAL | 0x44);
	xapic_ipi(2, 0x12, APIC_ICR_DEST_LOGICAL | 0x45);
	xapic_ipi(2, 0x22, APIC_ICR_DEST_LOGICAL | 0x46);
	expect_no_writes();
	assert_true(printk_log_contains("logical destination 0x31 outside"));
	assert_true(printk_log_contains("logical destination 0x12 outside"));
	assert_true(printk_log_contains("logical destination 0x22 outside"));

	/* all ones: every cluster, the cell's CPUs only */
	xapic_ipi(2, 0xff, APIC_ICR_DEST_LOGICAL | 0x48);
	expect_ipis({ CPU2_ID, 0x48 }, { CPU3_ID, 0x48 });

	/* each CPU by its own model */
	page_write(3, APIC_DFR, 0xffffffff);
	xapic_ipi(2, 0x23, APIC_ICR_DEST_LOGICAL | 0x47);
	expect_ipis({ CPU2_ID, 0x47 }, { CPU3_ID, 0x47 });
}

/* --- the rest of the page ------------------------------------------------- */

static void test_page_access(void **state)
{
	/* the APIC ID is the hypervisor's: reads pass, writes do not */
	dev.regs[APIC_ID / APIC_REG_STRIDE] = CPU2_ID << APIC_ID_SHIFT;
	assert_int_equal(page_read(2, APIC_ID), CPU2_ID << APIC_ID_SHIFT);
	page_write(2, APIC_ID, 0x05000000);
	page_write(0, APIC_ID, 0x05000000);
	expect_no_writes();

	/* the root's logical destination reaches the device */
	page_write(0, APIC_DFR, 0x0fffffff);
	expect_writes({ APIC_DFR, 0x0fffffff });
	assert_int_equal(per_cpu(0)->arch.dfr, 0x0fffffff);
	dev.regs[APIC_LDR / APIC_REG_STRIDE] = 0x11000000;
	assert_int_equal(page_read(0, APIC_LDR), 0x11000000);
	dev.regs[APIC_DFR / APIC_REG_STRIDE] = 0xffffffff;
	assert_int_equal(page_read(0, APIC_DFR), 0xffffffff);
	/* the cell's does not, its reads are of its own */
	page_write(2, APIC_DFR, 0x0fffffff);
	page_write(2, APIC_LDR, 0x21000000);
	expect_no_writes();
	assert_int_equal(page_read(2, APIC_LDR), 0x21000000);
	assert_int_equal(page_read(2, APIC_DFR), 0x0fffffff);

	/* everything else passes */
	page_write(2, APIC_TPR, 0x20);
	page_write(2, APIC_EOI, 0);
	page_write(2, APIC_TMICT, 0x1000);
	expect_writes({ APIC_TPR, 0x20 }, { APIC_EOI, 0 },
		      { APIC_TMICT, 0x1000 });
	dev.regs[APIC_TMCCT / APIC_REG_STRIDE] = 0x800;
	assert_int_equal(page_read(2, APIC_TMCCT), 0x800);
	assert_int_equal(per_cpu(2)->stats[JAILHOUSE_CPU_STAT_VMEXITS_XAPIC],
			 0);
}

/* A root CPU whose APIC Linux disables is dying; enabled, it is not. */
static void test_root_svr(void **state)
{
	page_write(1, APIC_SVR, 0xff);
	expect_writes({ APIC_SVR, 0xff });
	assert_true(per_cpu(1)->arch.dying);
	assert_ptr_equal(watched, per_cpu(1));
	assert_int_equal(watch, 1);
	page_write(1, APIC_SVR, 0x1ff);
	expect_writes({ APIC_SVR, 0x1ff });
	assert_false(per_cpu(1)->arch.dying);
	assert_int_equal(watch, 0);

	/* a non-root cell's disable is its own business */
	watched = NULL;
	page_write(2, APIC_SVR, 0xff);
	expect_writes({ APIC_SVR, 0xff });
	assert_false(per_cpu(2)->arch.dying);
	assert_null(watched);
	dev.regs[APIC_SVR / APIC_REG_STRIDE] = 0x1ff;
	assert_int_equal(page_read(1, APIC_SVR), 0x1ff);
	assert_null(watched);
}

/* --- IA32_APIC_BASE ------------------------------------------------------- */

static void test_apic_base(void **state)
{
	struct per_cpu *c = per_cpu(2);
	u64 value;

	/* xAPIC mode: as the CPU has it */
	x86_apic_base_access(c, false, &value);
	assert_int_equal(value, BASE_MSR);
	/* the same: nothing */
	value = BASE_MSR;
	x86_apic_base_access(c, true, &value);
	assert_false(c->arch.x2apic);
	assert_string_equal(printk_log, "");
	/* disabled, moved, the BSP flag: not taken */
	value = LAPIC_BASE;
	x86_apic_base_access(c, true, &value);
	assert_string_equal(printk_log,
		"Cell \"cell\": APIC base 0xfee00000 not taken\n");
	value = 0xfed00800;
	x86_apic_base_access(c, true, &value);
	assert_true(printk_log_contains("APIC base 0xfed00800 not taken"));
	value = BASE_MSR | 0x100;
	x86_apic_base_access(c, true, &value);
	assert_true(printk_log_contains("APIC base 0xfee00900 not taken"));
	/* nor EXTD with something else */
	value = (BASE_MSR & ~0x800) | APIC_BASE_EXTD;
	x86_apic_base_access(c, true, &value);
	assert_true(printk_log_contains("APIC base 0xfee00400 not taken"));
	assert_false(c->arch.x2apic);

	/* EXTD: x2APIC mode, EXTD reads back */
	printk_log_clear();
	value = BASE_MSR | APIC_BASE_EXTD;
	x86_apic_base_access(c, true, &value);
	assert_true(c->arch.x2apic);
	x86_apic_base_access(c, false, &value);
	assert_int_equal(value, BASE_MSR | APIC_BASE_EXTD);
	/* the other CPUs stay */
	x86_apic_base_access(per_cpu(3), false, &value);
	assert_int_equal(value, BASE_MSR);
	assert_false(per_cpu(3)->arch.x2apic);
	/* the same again: nothing */
	value = BASE_MSR | APIC_BASE_EXTD;
	x86_apic_base_access(c, true, &value);
	assert_true(c->arch.x2apic);
	assert_string_equal(printk_log, "");
	/* no way back but the reset */
	value = BASE_MSR;
	x86_apic_base_access(c, true, &value);
	assert_true(c->arch.x2apic);
	assert_string_equal(printk_log,
		"Cell \"cell\": APIC base 0xfee00800 not taken\n");
	value = LAPIC_BASE;
	x86_apic_base_access(c, true, &value);
	assert_true(c->arch.x2apic);
	expect_no_writes();

	x86_apic_reset(c);
	assert_false(c->arch.x2apic);
	x86_apic_base_access(c, false, &value);
	assert_int_equal(value, BASE_MSR);
	assert_false(x86_x2apic_access(c, MSR_X2APIC_ID, false, &value));
}

/* --- MSIs of virtual devices ---------------------------------------------- */

static void test_msi_physical(void **state)
{
	assert_true(arch_vpci_raise_msi(&cell, 0xfee12000, 0x41));
	expect_ipis({ CPU2_ID, 0x41 });
	assert_true(arch_vpci_raise_msi(&cell, 0xfee23000, 0x142));
	expect_ipis({ CPU3_ID, 0x42 });
	/* the ICR gets the vector, fixed, nothing else of the data */
	assert_true(arch_vpci_raise_msi(&cell, 0xfee23000, 0xc043));
	expect_ipis({ CPU3_ID, 0x43 });
	/* low address bits besides */
	assert_true(arch_vpci_raise_msi(&cell, 0xfee23008, 0x44));
	expect_ipis({ CPU3_ID, 0x44 });
	/* broadcast: the cell's CPUs; one for lowest priority */
	assert_true(arch_vpci_raise_msi(&cell, 0xfeeff000, 0x45));
	expect_ipis({ CPU2_ID, 0x45 }, { CPU3_ID, 0x45 });
	assert_true(arch_vpci_raise_msi(&cell, 0xfeeff000, 0x146));
	expect_ipis({ CPU2_ID, 0x46 });
	/* the root's by its CPUs */
	assert_true(arch_vpci_raise_msi(&root_cell, 0xfeeff000, 0x47));
	expect_ipis({ 0x00, 0x47 }, { ROOT_ID, 0x47 });

	/* another cell's CPU, nobody's */
	assert_false(arch_vpci_raise_msi(&cell, 0xfee11000, 0x48));
	assert_false(arch_vpci_raise_msi(&root_cell, 0xfee12000, 0x48));
	assert_false(arch_vpci_raise_msi(&cell, 0xfee00000, 0x48));
	assert_false(arch_vpci_raise_msi(&cell, 0xfee55000, 0x48));
	expect_no_writes();
	assert_string_equal(printk_log, "");
}

static void test_msi_refused(void **state)
{
	/* not the APIC's address */
	assert_false(arch_vpci_raise_msi(&cell, 0xfed12000, 0x41));
	assert_false(arch_vpci_raise_msi(&cell, 0x1fee12000ULL, 0x41));
	assert_false(arch_vpci_raise_msi(&cell, 0xfef12000, 0x41));
	/* neither fixed nor lowest priority */
	assert_false(arch_vpci_raise_msi(&cell, 0xfee12000, 0x241));
	assert_false(arch_vpci_raise_msi(&cell, 0xfee12000, 0x441));
	assert_false(arch_vpci_raise_msi(&cell, 0xfee12000, 0x500));
	assert_false(arch_vpci_raise_msi(&cell, 0xfee12000, 0x641));
	assert_false(arch_vpci_raise_msi(&cell, 0xfee12000, 0x741));
	/* an exception's vector */
	assert_false(arch_vpci_raise_msi(&cell, 0xfee12000, 0x0f));
	assert_false(arch_vpci_raise_msi(&cell, 0xfee12000, 0x10f));
	assert_false(arch_vpci_raise_msi(&cell, 0xfee12000, 0));
	expect_no_writes();
	assert_true(arch_vpci_raise_msi(&cell, 0xfee12000, 0x10));
	expect_ipis({ CPU2_ID, 0x10 });
	assert_string_equal(printk_log, "");
}

static void test_msi_logical(void **state)
{
	/* flat */
	per_cpu(2)->arch.ldr = 0x01000000;
	per_cpu(3)->arch.ldr = 0x02000000;
	per_cpu(1)->arch.ldr = 0x06000000;
	assert_true(arch_vpci_raise_msi(&cell, 0xfee01004, 0x41));
	expect_ipis({ CPU2_ID, 0x41 });
	assert_true(arch_vpci_raise_msi(&cell, 0xfee07004, 0x42));
	expect_ipis({ CPU2_ID, 0x42 }, { CPU3_ID, 0x42 });
	assert_true(arch_vpci_raise_msi(&cell, 0xfee03004, 0x143));
	expect_ipis({ CPU2_ID, 0x43 });
	assert_false(arch_vpci_raise_msi(&cell, 0xfee04004, 0x44));
	assert_false(arch_vpci_raise_msi(&cell, 0xfee08004, 0x44));
	/* logical 0x10 is nobody, though physical 0x12 is CPU 2 */
	assert_false(arch_vpci_raise_msi(&cell, 0xfee10004, 0x44));

	/* cluster */
	per_cpu(2)->arch.dfr = per_cpu(3)->arch.dfr = 0x0fffffff;
	per_cpu(2)->arch.ldr = 0x21000000;
	per_cpu(3)->arch.ldr = 0x32000000;
	assert_true(arch_vpci_raise_msi(&cell, 0xfee32004, 0x45));
	expect_ipis({ CPU3_ID, 0x45 });
	assert_true(arch_vpci_raise_msi(&cell, 0xfee2f004, 0x46));
	expect_ipis({ CPU2_ID, 0x46 });
	assert_false(arch_vpci_raise_msi(&cell, 0xfee31004, 0x47));
	assert_false(arch_vpci_raise_msi(&cell, 0xfee22004, 0x47));
	expect_no_writes();
	/* the cell's CPUs in x2APIC mode: MSIs as before */
	per_cpu(3)->arch.x2apic = true;
	assert_true(arch_vpci_raise_msi(&cell, 0xfee32004, 0x48));
	expect_ipis({ CPU3_ID, 0x48 });
}

/* An IPI waits for the one before. */
static void test_ipi_waits(void **state)
{
	dev.busy_after_send = 2;
	x2apic_ipi(0xffffffff, 0x41);
	expect_ipis({ CPU2_ID, 0x41 }, { CPU3_ID, 0x41 });
	assert_int_equal(cpu.relaxes, 2);
}

#define apic_test(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		apic_test(test_init),
		apic_test(test_init_map_fails),
		apic_test(test_host_x2apic),
		apic_test(test_cpu_init),
		apic_test(test_send_nmi),
		apic_test(test_quiesce),
		apic_test(test_drop_irq),
		apic_test(test_reset),
		apic_test(test_x2apic_off),
		apic_test(test_x2apic_reads),
		apic_test(test_x2apic_writes),
		apic_test(test_x2apic_self_ipi),
		apic_test(test_x2apic_icr),
		apic_test(test_x2apic_ipi_physical),
		apic_test(test_x2apic_ipi_logical),
		apic_test(test_x2apic_ipi_shorthands),
		apic_test(test_x2apic_ipi_lowest),
		apic_test(test_x2apic_ipi_nmi),
		apic_test(test_x2apic_init_sipi),
		apic_test(test_ipi_reserved_modes),
		apic_test(test_xapic_ipi_physical),
		apic_test(test_xapic_ipi_flat),
		apic_test(test_xapic_ipi_cluster),
		apic_test(test_page_access),
		apic_test(test_root_svr),
		apic_test(test_apic_base),
		apic_test(test_msi_physical),
		apic_test(test_msi_refused),
		apic_test(test_msi_logical),
		apic_test(test_ipi_waits),
	};

	return cmocka_run_group_tests_name("apic", tests, NULL, NULL);
}
