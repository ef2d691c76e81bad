// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Start-up: where does the program run, then the program (run.c);
 * interrupts and exceptions.
 */
#include "lib.h"

#define MSR_GS_BASE		0xc0000101

/* QEMU q35 without a hypervisor: what SeaBIOS set up */
#define Q35_UART_PORT		0x3f8
#define PIC_MASTER_IMR		0x21
#define PIC_SLAVE_IMR		0xa1
#define Q35_PM_BASE		0x600
#define Q35_PM1_CNT		(Q35_PM_BASE + 0x04)
#define Q35_PM_TIMER		(Q35_PM_BASE + 0x08)
/* S5 is sleep type 0 on QEMU's machines */
#define PM1_CNT_SLP_EN		(1 << 13)

/* Multiboot information: flags, then the command line's address */
#define MULTIBOOT_INFO_CMDLINE	(1 << 2)
struct multiboot_info {
	u32 flags;
	u32 mem_lower, mem_upper;
	u32 boot_device;
	u32 cmdline;
};

/* The start-up's page tables (header.S builds them) */
u64 pml4[512] __page_aligned_bss;
u64 pdpt[512] __page_aligned_bss;
u64 pd[4][512] __page_aligned_bss;

struct idt_entry {
	u16 offset0;
	u16 selector;
	u16 flags;
	u16 offset1;
	u32 offset2;
	u32 reserved;
} __attribute__((packed));

#define IDT_INTERRUPT_GATE	0x8e00

static struct idt_entry idt[NUM_VECTORS] __aligned(16);
static irq_handler_t handlers[NUM_VECTORS];

/* Per CPU, at GS: this_cpu_index() reads the first word */
struct percpu {
	u64 index;
} __aligned(64);
static struct percpu percpu[MAX_CPUS];

bool hypercall_vmcall;
bool (*exception_hook)(unsigned int vector, u64 *rip);

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range", "invalid opcode", "device not available",
	"double fault", "coprocessor segment overrun", "invalid TSS",
	"segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 floating point", "alignment check",
	"machine check", "SIMD floating point", "virtualization",
	"control protection", "reserved", "reserved", "reserved",
	"reserved", "reserved", "reserved", "hypervisor injection",
	"VMM communication", "security", "reserved",
};

void __noreturn halt(void)
{
	local_irq_disable();
	for (;;)
		asm volatile("hlt");
}

/**
 * irq_register() - Call a function on an interrupt vector.
 * @vector:	TIMER_VECTOR (timer_arm()), IVSHMEM_VECTOR
 *		(ivshmem_enable_irq()), or FIRST_USER_VECTOR..0xfe
 * @handler:	called with interrupts masked; the library sends the end of
 *		interrupt to the local APIC after it
 *
 * Return: 0, or -EINVAL for a vector of the CPU or of the library.
 */
int irq_register(unsigned int vector, irq_handler_t handler)
{
	if (vector != TIMER_VECTOR && vector != IVSHMEM_VECTOR &&
	    (vector < FIRST_USER_VECTOR || vector >= SPURIOUS_VECTOR))
		return -EINVAL;
	handlers[vector] = handler;
	return 0;
}

/*
 * Call with interrupts masked: STI takes effect after the next
 * instruction, so an interrupt that comes in between ends the HLT rather
 * than being taken before it.
 */
void wait_for_interrupt(void)
{
	asm volatile("sti; hlt; cli" : : : "memory");
}

static void __noreturn report_exception(struct exception_frame *f)
{
	unsigned long cr2;

	asm volatile("mov %%cr2, %0" : "=r" (cr2));
	printk_emergency();
	printk("Unexpected exception: vector %llu (%s), error 0x%llx, "
	       "RIP 0x%llx, CR2 0x%lx, CPU %u\n", f->vector,
	       exception_names[f->vector], f->error, f->rip, cr2,
	       this_cpu_index());
	comm_region_set_state(JAILHOUSE_CELL_FAILED);
	halt();
}

/* Called by the stubs of header.S */
void handle_interrupt(struct exception_frame *frame)
{
	unsigned int vector = frame->vector;

	if (vector < 32) {
		if (exception_hook && exception_hook(vector, &frame->rip))
			return;
		report_exception(frame);
	}
	if (vector == SPURIOUS_VECTOR)
		return;

	/* the library's own: a delay_us(), or the timer came early */
	if (vector != TIMER_VECTOR || !timer_handle_irq()) {
		if (handlers[vector])
			handlers[vector](vector);
		else
			printk("Unexpected interrupt: vector %u, CPU %u\n",
			       vector, this_cpu_index());
	}
	apic_eoi();
}

/* The table, once by the boot CPU; on every CPU: load it */
void idt_load(void)
{
	struct {
		u16 limit;
		u64 base;
	} __attribute__((packed)) idtr = {
		.limit = sizeof(idt) - 1,
		.base = (unsigned long)idt,
	};
	unsigned long stub;
	unsigned int n;

	if (this_cpu_index() == 0) {
		for (n = 0; n < NUM_VECTORS; n++) {
			stub = (unsigned long)irq_stubs + n * IRQ_STUB_SIZE;
			idt[n].offset0 = stub;
			idt[n].selector = GDT_CODE64;
			idt[n].flags = IDT_INTERRUPT_GATE;
			idt[n].offset1 = stub >> 16;
			idt[n].offset2 = stub >> 32;
		}
	}
	asm volatile("lidt %0" : : "m" (idtr));
}

/* Per-CPU data at GS, for this_cpu_index() */
void percpu_init(unsigned int index)
{
	percpu[index].index = index;
	write_msr(MSR_GS_BASE, (unsigned long)&percpu[index]);
}

/*
 * The end of the program's run: in a cell its state shut down, then halt;
 * without a hypervisor ACPI S5 as QEMU's q35 takes it (QEMU ends).
 */
void __noreturn poweroff(void)
{
	if (comm_region) {
		/* a cell: the hypervisor sees it shut down */
		comm_region_set_state(JAILHOUSE_CELL_SHUT_DOWN);
		halt();
	}
	outw(PM1_CNT_SLP_EN, Q35_PM1_CNT);
	halt();
}

/*
 * Where the program runs: a cell, or QEMU's q35, where the comm region's
 * address is RAM without the signature.
 */
static void platform_init(void)
{
	if (comm_region_init()) {
		platform.name = "Jailhouse cell";
		platform.in_cell = true;
		platform.console = comm_region->console;
		platform.pm_timer_address = comm_region->x86.pm_timer_address;
		platform.num_cpus = comm_region->x86.num_cpus;
		platform.tsc_khz = comm_region->x86.tsc_khz;
		platform.apic_khz = comm_region->x86.apic_khz;
		platform.pci_mmconfig_base = comm_region->pci_mmconfig_base;
		return;
	}

	platform.name = "QEMU q35, no hypervisor";
	/*
	 * The firmware's 8259s, before their path to the CPU is masked in the
	 * APIC (LINT0): QEMU otherwise keeps the pending request it raised,
	 * and an interrupt without a vector comes when interrupts are on.
	 */
	outb(0xff, PIC_MASTER_IMR);
	outb(0xff, PIC_SLAVE_IMR);
	platform.console.address = Q35_UART_PORT;
	platform.console.size = 8;
	platform.console.type = JAILHOUSE_CON_TYPE_8250;
	platform.console.flags = JAILHOUSE_CON_ACCESS_PIO;
	platform.pm_timer_address = Q35_PM_TIMER;
}

/*
 * Without a hypervisor the command line comes from the multiboot loader
 * (QEMU's -append), with the kernel's name first: a word no key matches.
 */
static void multiboot_cmdline(const struct multiboot_info *mbi)
{
	const char *s;
	size_t len;

	if (!mbi || !(mbi->flags & MULTIBOOT_INFO_CMDLINE))
		return;
	s = (const char *)(unsigned long)mbi->cmdline;
	len = strlen(s);
	if (len >= CMDLINE_SIZE)
		len = CMDLINE_SIZE - 1;
	memcpy(__cmdline, s, len);
	__cmdline[len] = '\0';
}

/*
 * Called by header.S on the boot CPU, long mode, stack set, bss cleared;
 * @mbi: the multiboot information, or 0 (a cell).
 */
void __noreturn inmate_startup(u32 mbi)
{
	struct cpuid_regs vendor = cpuid(0, 0);
	int err;

	/* "GenuineIntel" in EBX, EDX, ECX */
	hypercall_vmcall = vendor.ebx == 0x756e6547 &&
		vendor.edx == 0x49656e69 && vendor.ecx == 0x6c65746e;
	multiboot_cmdline((const struct multiboot_info *)(unsigned long)mbi);
	percpu_init(0);
	idt_load();
	platform_init();
	console_init();

	apic_init();
	/* in its mode before the timer's calibration uses it */
	apic_cpu_init();
	err = timer_init();
	if (err) {
		comm_region_set_state(JAILHOUSE_CELL_FAILED);
		halt();
	}
	timer_cpu_init();

	inmate_run();
}
