/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The inmate library for x86-64: what a bare-metal program running in a
 * Jailhouse cell (or directly on QEMU's q35 machine, as a multiboot
 * kernel) can use.
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

#define CMDLINE_OFFSET		0x1000
#define CMDLINE_SIZE		0x1000
#define CODE_OFFSET		(CMDLINE_OFFSET + CMDLINE_SIZE)
/* the image up to the reset vector's 16 bytes; what lies below it */
#define IMAGE_SIZE		0x10000
#define BSS_SIZE		0x30000

/* Where every x86 cell finds its comm region (a page) */
#define COMM_REGION_BASE	0x100000UL

/* CPUs one cell program can run on, boot CPU included */
#define MAX_CPUS		4

/* Interrupt vectors of the library; programs take others from 0x30 */
#define TIMER_VECTOR		0x20	/* the local APIC timer */
#define SPURIOUS_VECTOR		0xff
#define FIRST_USER_VECTOR	0x30
#define NUM_VECTORS		256

#ifndef __ASSEMBLY__

#include <jailhouse/types.h>
#include <jailhouse/hypercall.h>

#define __noreturn	__attribute__((noreturn))
#define __aligned(n)	__attribute__((aligned(n)))
#define __printf(a, b)	__attribute__((format(printf, a, b)))

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)

#define barrier()	asm volatile("" : : : "memory")
#define cpu_relax()	asm volatile("pause" : : : "memory")

/* errno values as Linux and the hypervisor use them */
#define EPERM		1
#define ENOENT		2
#define EIO		5
#define ENOMEM		12
#define EBUSY		16
#define ENODEV		19
#define EINVAL		22
#define ENOSPC		28
#define ENOSYS		38
#define ETIMEDOUT	110

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

/* Spinlocks */
typedef struct {
	volatile u32 locked;
} spinlock_t;

#define DEFINE_SPINLOCK(name)	spinlock_t name = { 0 }

static inline void spin_lock(spinlock_t *lock)
{
	while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE))
		while (lock->locked)
			cpu_relax();
}

static inline void spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

/* Strings */
void *memset(void *s, int c, size_t n);
void *memcpy(void *dest, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);

/* Console and output */
enum console_kind {
	CONSOLE_NONE,
	CONSOLE_8250,		/* port I/O or MMIO, as the descriptor says */
	CONSOLE_HYPERVISOR,	/* debug-console hypercall */
};

void printk(const char *fmt, ...) __printf(1, 2);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
enum console_kind console_kind(void);
const char *console_name(void);

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

extern struct platform platform;

/* NULL when running without a hypervisor */
extern struct jailhouse_comm_region *comm_region;

void inmate_main(void);

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

void comm_region_poll(void);
void comm_region_set_state(u32 state);

void __noreturn halt(void);
void __noreturn idle(void);

/* Command line ("key=value key2 key3=value" at CMDLINE_OFFSET) */
long long cmdline_parse_int(const char *param, long long defval);
bool cmdline_parse_bool(const char *param, bool defval);
const char *cmdline_parse_str(const char *param, char *buf, size_t size,
			      const char *defval);

/* CPUs */
u32 cpu_apic_id(void);

/* 0 for the boot CPU, 1.. for CPUs started with smp_start_cpu() */
static inline unsigned int this_cpu_index(void)
{
	unsigned long index;

	asm volatile("movq %%gs:0, %0" : "=r" (index));
	return index;
}

/* Interrupts: vectors of this CPU's local APIC */
typedef void (*irq_handler_t)(unsigned int vector);

int irq_register(unsigned int vector, irq_handler_t handler);
void irq_send_ipi(u32 apic_id, unsigned int vector);
/* Any IPI: @icr the ICR's low word (delivery mode, vector, level) */
void irq_send_icr(u32 apic_id, u32 icr);
void wait_for_interrupt(void);

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

/* Samples of the benches (stats.c) */
void sort_u32(u32 *v, unsigned int n);
u32 percentile_u32(const u32 *v, unsigned int n, unsigned int permille);

/*
 * Time: the TSC counts, the local APIC timer fires TIMER_VECTOR.  The
 * same calls as on arm64's virtual timer.
 */
u64 timer_get_frequency(void);
u64 timer_get_ticks(void);
u64 timer_ticks_to_ns(u64 ticks);
u64 timer_ns_to_ticks(u64 ns);
void timer_arm(u64 deadline);
void timer_stop(void);
const char *timer_mode_name(void);
void delay_us(u64 us);

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
