/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The inmate library for x86-64: what a bare-metal program running in a
 * Jailhouse cell (or directly on QEMU's q35 machine, as a multiboot
 * kernel) can use (with inmate_common.h, the part every architecture
 * shares).
 *
 * A program defines inmate_main().  The library's start-up has by then
 * switched the CPU to 64-bit long mode with an identity map of the first
 * 4 GiB (the first GiB write-back, the rest uncached), found out where it
 * runs (the comm region at COMM_REGION_BASE, or QEMU's q35 without a
 * hypervisor), chosen the console, set up the local APIC, the interrupt
 * table and the timers, and told the hypervisor that the cell runs.  When
 * inmate_main() returns, the boot CPU idles and keeps answering the
 * hypervisor's messages, or, with "poweroff" on the command line, ends
 * QEMU (without a hypervisor) or shuts the cell down.
 *
 * Image layout (inmate.lds.S): linked at INMATE_BASE, 0xf0000 for a cell
 * ("jailhouse cell load NAME x.bin -a 0xf0000"), 0x40000 for QEMU; the
 * real-mode trampoline at +0 (SIPI vector INMATE_BASE >> 12), the command
 * line at +CMDLINE_OFFSET (zeros in the image), code from +0x2000, the
 * reset stub at +0xfff0 (the CPU's reset vector 0xffff0 in a cell); bss,
 * page tables and stacks in the 192 KiB below the image.
 */
#ifndef _INMATE_H
#define _INMATE_H

/* the image up to the reset vector's 16 bytes; what lies below it */
#define IMAGE_SIZE		0x10000
#define BSS_SIZE		0x30000

/* Where every x86 cell finds its comm region (a page) */
#define COMM_REGION_BASE	0x100000UL

/* Interrupt vectors of the library; programs take others from 0x30 */
#define TIMER_VECTOR		0x20	/* the local APIC timer */
/* MSI-X vector 0 of the ivshmem device (ivshmem_enable_irq()) */
#define IVSHMEM_VECTOR		0x21
#define SPURIOUS_VECTOR		0xff
#define FIRST_USER_VECTOR	0x30
#define NUM_VECTORS		256

/* The timer's interrupt by the name programs of both architectures use */
#define TIMER_IRQ		TIMER_VECTOR

#ifndef __ASSEMBLY__
/* The spinlocks of inmate_common.h spin with it */
#define cpu_relax()	asm volatile("pause" : : : "memory")
/*
 * Shared memory (inmate_common.h): x86 keeps loads in order with loads,
 * stores with stores, uncached MMIO writes included
 */
#define smp_rmb()	barrier()
#define wmb()		barrier()
#endif

#include <inmate_common.h>

#ifndef __ASSEMBLY__

/*
 * MMIO accessors: one plain MOV each, the form a hypervisor without
 * decode assists decodes.
 */
static inline u8 mmio_read8(unsigned long addr)
{
	u8 val;

	asm volatile("movb (%1), %0" : "=q" (val) : "r" (addr) : "memory");
	return val;
}

static inline u16 mmio_read16(unsigned long addr)
{
	u16 val;

	asm volatile("movw (%1), %0" : "=r" (val) : "r" (addr) : "memory");
	return val;
}

static inline u32 mmio_read32(unsigned long addr)
{
	u32 val;

	asm volatile("movl (%1), %0" : "=r" (val) : "r" (addr) : "memory");
	return val;
}

static inline u64 mmio_read64(unsigned long addr)
{
	u64 val;

	asm volatile("movq (%1), %0" : "=r" (val) : "r" (addr) : "memory");
	return val;
}

static inline void mmio_write8(unsigned long addr, u8 val)
{
	asm volatile("movb %0, (%1)" : : "q" (val), "r" (addr) : "memory");
}

static inline void mmio_write16(unsigned long addr, u16 val)
{
	asm volatile("movw %0, (%1)" : : "r" (val), "r" (addr) : "memory");
}

static inline void mmio_write32(unsigned long addr, u32 val)
{
	asm volatile("movl %0, (%1)" : : "r" (val), "r" (addr) : "memory");
}

static inline void mmio_write64(unsigned long addr, u64 val)
{
	asm volatile("movq %0, (%1)" : : "r" (val), "r" (addr) : "memory");
}

/* Port I/O */
static inline u8 inb(u16 port)
{
	u8 val;

	asm volatile("inb %1, %0" : "=a" (val) : "Nd" (port));
	return val;
}

static inline u16 inw(u16 port)
{
	u16 val;

	asm volatile("inw %1, %0" : "=a" (val) : "Nd" (port));
	return val;
}

static inline u32 inl(u16 port)
{
	u32 val;

	asm volatile("inl %1, %0" : "=a" (val) : "Nd" (port));
	return val;
}

static inline void outb(u8 val, u16 port)
{
	asm volatile("outb %0, %1" : : "a" (val), "Nd" (port));
}

static inline void outw(u16 val, u16 port)
{
	asm volatile("outw %0, %1" : : "a" (val), "Nd" (port));
}

static inline void outl(u32 val, u16 port)
{
	asm volatile("outl %0, %1" : : "a" (val), "Nd" (port));
}

/* Model-specific registers, CPUID, time stamp counter */
#define MSR_IA32_TSC_DEADLINE	0x000006e0
#define MSR_IA32_APIC_BASE	0x0000001b
#define MSR_X2APIC_BASE		0x00000800

static inline u64 read_msr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a" (lo), "=d" (hi) : "c" (msr) : "memory");
	return ((u64)hi << 32) | lo;
}

static inline void write_msr(u32 msr, u64 val)
{
	asm volatile("wrmsr" : : "c" (msr), "a" ((u32)val),
		     "d" ((u32)(val >> 32)) : "memory");
}

struct cpuid_regs {
	u32 eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(u32 leaf, u32 subleaf)
{
	struct cpuid_regs r;

	asm volatile("cpuid" : "=a" (r.eax), "=b" (r.ebx), "=c" (r.ecx),
		     "=d" (r.edx) : "a" (leaf), "c" (subleaf));
	return r;
}

/* CPUID 1 ECX */
#define CPUID1_ECX_X2APIC	(1 << 21)
#define CPUID1_ECX_TSC_DEADLINE	(1 << 24)
#define CPUID1_ECX_HYPERVISOR	(1U << 31)

/*
 * The counter, ordered after every earlier instruction (LFENCE), as a
 * measurement needs it.
 */
static inline u64 rdtsc(void)
{
	u32 lo, hi;

	asm volatile("lfence; rdtsc" : "=a" (lo), "=d" (hi) : : "memory");
	return ((u64)hi << 32) | lo;
}

/* Interrupt masking (RFLAGS.IF) */
#define X86_RFLAGS_IF		(1 << 9)

static inline unsigned long local_irq_save(void)
{
	unsigned long flags;

	asm volatile("pushfq; popq %0; cli" : "=r" (flags) : : "memory");
	return flags;
}

static inline void local_irq_restore(unsigned long flags)
{
	if (flags & X86_RFLAGS_IF)
		asm volatile("sti" : : : "memory");
	else
		asm volatile("cli" : : : "memory");
}

static inline void local_irq_enable(void)
{
	asm volatile("sti" : : : "memory");
}

static inline void local_irq_disable(void)
{
	asm volatile("cli" : : : "memory");
}

/* Consoles */
enum console_kind {
	CONSOLE_NONE,
	CONSOLE_8250,		/* port I/O or MMIO, as the descriptor says */
	CONSOLE_HYPERVISOR,	/* debug-console hypercall */
};

enum console_kind console_kind(void);

/* The system the program runs on */
struct platform {
	const char *name;
	bool in_cell;			/* a comm region was found */
	struct jailhouse_console console;
	u16 pm_timer_address;		/* ACPI PM timer port, 0: none */
	unsigned int num_cpus;		/* the cell's; 0 without hypervisor */
	u32 tsc_khz;			/* as given, else calibrated */
	u32 apic_khz;			/* the APIC timer's input clock */
	bool x2apic;			/* else xAPIC (MMIO) */
	bool tsc_deadline;		/* APIC timer in TSC-deadline mode */
	unsigned long pci_mmconfig_base; /* 0: none */
};

/*
 * The boot CPU of a cell as it came out of reset, before the start-up
 * changed anything (valid 0: it did not come from the reset vector, as
 * under a multiboot loader).
 */
struct arrival {
	u32 valid;
	u32 eax, ebx, ecx, edx, esi, edi, ebp, esp;
	u32 cr0, cr3, cr4;
	u64 efer, fs_base, gs_base;
	u16 cs, ds, es, fs, gs, ss;
} __attribute__((packed));

extern struct arrival arrival;
/*
 * The same of the CPU smp_start_cpu() started last, as its SIPI found it
 * (valid 0: none started yet)
 */
extern struct arrival ap_arrival;

/* CPUs */
u32 cpu_apic_id(void);

/* 0 for the boot CPU, 1.. for CPUs started with smp_start_cpu() */
static inline unsigned int this_cpu_index(void)
{
	unsigned long index;

	asm volatile("movq %%gs:0, %0" : "=r" (index));
	return index;
}

/*
 * An exception (vector 0-31) is reported and stops the cell as failed,
 * unless this hook, if set, returns true: it dealt with it, and moved
 * *rip past a faulting instruction if that is not to run again.
 */
extern bool (*exception_hook)(unsigned int vector, u64 *rip);

/* Interrupts: vectors of this CPU's local APIC */
int irq_register(unsigned int vector, irq_handler_t handler);
void irq_send_ipi(u32 apic_id, unsigned int vector);
/* Any IPI: @icr the ICR's low word (delivery mode, vector, level) */
void irq_send_icr(u32 apic_id, u32 icr);

/*
 * The I/O APIC (at 0xfec00000, or "ioapic-base=ADDR"): redirection
 * entries, 64 bits each
 */
#define IOAPIC_REDIR_MASKED	(1 << 16)

unsigned int ioapic_pins(void);
u64 ioapic_read_redir(unsigned int pin);
void ioapic_write_redir(unsigned int pin, u64 entry);
void ioapic_route(unsigned int pin, unsigned int vector, bool level);
void ioapic_mask(unsigned int pin);

/*
 * Time (inmate_common.h): the TSC counts, the local APIC timer fires
 * TIMER_VECTOR, in one-shot or TSC-deadline mode as this names it.
 */
const char *timer_mode_name(void);

/*
 * The ACPI PM timer, 3.579545 MHz, 24 or 32 bits wide: differences of
 * pm_timer_read() masked to 24 bits (PM_TIMER_MASK) hold for 4.6 s.  It
 * reads 0 where there is none (platform.pm_timer_address 0).
 */
#define PM_TIMER_HZ		3579545
#define PM_TIMER_MASK		0xffffff
u32 pm_timer_read(void);

/* SMP: INIT and SIPI to another CPU of the cell */
int smp_start_cpu(u32 apic_id, void (*entry)(void));

/* Ends QEMU without a hypervisor (isa-debug-exit or ACPI); else halts */
void __noreturn poweroff(void);

/*
 * Hypercalls: VMMCALL on AMD, VMCALL on Intel (the start-up looks at the
 * CPU's vendor), with the code in RAX, arguments in RDI and RSI, the
 * result in RAX.
 */
extern bool hypercall_vmcall;

#define JAILHOUSE_CALL(ret, inputs...)					\
	do {								\
		if (hypercall_vmcall)					\
			asm volatile("vmcall" : "=a" (ret) : inputs	\
				     : "memory");			\
		else							\
			asm volatile("vmmcall" : "=a" (ret) : inputs	\
				     : "memory");			\
	} while (0)

static inline long jailhouse_call(unsigned long code)
{
	long ret;

	JAILHOUSE_CALL(ret, "a" (code));
	return ret;
}

static inline long jailhouse_call_arg1(unsigned long code,
				       unsigned long arg1)
{
	long ret;

	JAILHOUSE_CALL(ret, "a" (code), "D" (arg1));
	return ret;
}

static inline long jailhouse_call_arg2(unsigned long code,
				       unsigned long arg1, unsigned long arg2)
{
	long ret;

	JAILHOUSE_CALL(ret, "a" (code), "D" (arg1), "S" (arg2));
	return ret;
}

#endif /* !__ASSEMBLY__ */

#endif /* !_INMATE_H */
