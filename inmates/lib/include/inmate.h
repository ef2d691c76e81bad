/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The inmate library for arm64: what a bare-metal program running in a
 * Jailhouse cell (or directly on QEMU's "virt" or "xlnx-zcu102" machine)
 * can use (with inmate_common.h, the part every architecture shares).
 *
 * A program defines inmate_main().  The library's start-up has by then
 * turned on the MMU (identity map, caches on), found out where it runs (the
 * comm region at COMM_REGION_BASE, or the built-in description of the QEMU
 * machine that "machine=" names, virt by default), chosen the console, set
 * up the GIC on the boot CPU and told the hypervisor that the cell runs.
 * When inmate_main() returns, the boot CPU idles and keeps answering the
 * hypervisor's messages, or, with "poweroff" on the command line, calls
 * PSCI SYSTEM_OFF first.
 *
 * Image layout (inmate.lds.S): the image starts at guest-physical 0 (cell)
 * or 0x40000000 (QEMU), a branch at +0, exception vectors at +0x800, the
 * command line at +CMDLINE_OFFSET (zero in the image), code from +0x2000.
 */
#ifndef _INMATE_H
#define _INMATE_H

/* Where every cell finds its comm region (a page) */
#define COMM_REGION_BASE	0x80000000UL

/* Virtual timer interrupt (PPI 11), the same on every arm64 system */
#define TIMER_IRQ		27
/* Interrupt ID of SPI 0 */
#define GIC_SPI_BASE		32

#ifndef __ASSEMBLY__
/* The spinlocks of inmate_common.h spin with it; the caches are on */
#define cpu_relax()	asm volatile("yield" : : : "memory")
#endif

#include <inmate_common.h>

#ifndef __ASSEMBLY__

#define dmb(opt)	asm volatile("dmb " #opt : : : "memory")
#define dsb(opt)	asm volatile("dsb " #opt : : : "memory")
#define isb()		asm volatile("isb" : : : "memory")
#define wfi()		asm volatile("wfi" : : : "memory")

/* Shared memory (inmate_common.h) */
#define smp_rmb()	dmb(ish)
#define wmb()		dsb(ish)

#define read_sysreg(reg) ({					\
	u64 __val;						\
	asm volatile("mrs %0, " __stringify(reg) : "=r" (__val));	\
	__val;							\
})
#define write_sysreg(reg, val)					\
	asm volatile("msr " __stringify(reg) ", %0" : : "r" ((u64)(val)))

/*
 * MMIO accessors.  Single loads and stores without writeback, so that a
 * hypervisor that traps them gets a complete syndrome.
 */
static inline u8 mmio_read8(unsigned long addr)
{
	u8 val;

	asm volatile("ldrb %w0, [%1]" : "=r" (val) : "r" (addr) : "memory");
	return val;
}

static inline u16 mmio_read16(unsigned long addr)
{
	u16 val;

	asm volatile("ldrh %w0, [%1]" : "=r" (val) : "r" (addr) : "memory");
	return val;
}

static inline u32 mmio_read32(unsigned long addr)
{
	u32 val;

	asm volatile("ldr %w0, [%1]" : "=r" (val) : "r" (addr) : "memory");
	return val;
}

static inline u64 mmio_read64(unsigned long addr)
{
	u64 val;

	asm volatile("ldr %0, [%1]" : "=r" (val) : "r" (addr) : "memory");
	return val;
}

static inline void mmio_write8(unsigned long addr, u8 val)
{
	asm volatile("strb %w0, [%1]" : : "r" (val), "r" (addr) : "memory");
}

static inline void mmio_write16(unsigned long addr, u16 val)
{
	asm volatile("strh %w0, [%1]" : : "r" (val), "r" (addr) : "memory");
}

static inline void mmio_write32(unsigned long addr, u32 val)
{
	asm volatile("str %w0, [%1]" : : "r" (val), "r" (addr) : "memory");
}

static inline void mmio_write64(unsigned long addr, u64 val)
{
	asm volatile("str %0, [%1]" : : "r" (val), "r" (addr) : "memory");
}

/* Interrupt masking (PSTATE.I) */
static inline unsigned long local_irq_save(void)
{
	unsigned long flags = read_sysreg(daif);

	asm volatile("msr daifset, #2" : : : "memory");
	return flags;
}

static inline void local_irq_restore(unsigned long flags)
{
	write_sysreg(daif, flags);
}

static inline void local_irq_enable(void)
{
	asm volatile("msr daifclr, #2" : : : "memory");
}

static inline void local_irq_disable(void)
{
	asm volatile("msr daifset, #2" : : : "memory");
}

/* Consoles */
enum console_kind {
	CONSOLE_NONE,
	CONSOLE_PL011,
	CONSOLE_XUARTPS,	/* Xilinx UART PS (Cadence), ZynqMP */
	CONSOLE_HYPERVISOR,	/* debug-console hypercall */
};

enum console_kind console_kind(void);

/* The system the program runs on */
enum psci_conduit {
	PSCI_CONDUIT_HVC,
	PSCI_CONDUIT_SMC,
};

/*
 * PSCI conduit inside a cell: the hypervisor traps SMC from cells.  The one
 * place to change it.
 */
#define CELL_PSCI_CONDUIT	PSCI_CONDUIT_SMC

struct platform {
	const char *name;
	bool in_cell;			/* a comm region was found */
	unsigned int gic_version;	/* 2 or 3 */
	unsigned long gicd_base;
	unsigned long gicc_base;	/* GICv2 */
	unsigned long gicr_base;	/* GICv3 */
	struct jailhouse_console console;
	enum psci_conduit psci_conduit;
	/* the cell's virtual PCI host: ECAM of bus 0, 0 if there is none */
	unsigned long pci_mmconfig_base;
	/* the SPI of INTx pin 1 on that host */
	unsigned int vpci_irq_base;
};

/*
 * The boot CPU's registers as it arrived, before the start-up changed them
 * (all others are as they arrived until the program changes them).
 */
struct arrival {
	u64 gprs;	/* x1..x30 ORed together (x0 is the boot argument) */
	u64 sp_el1;
	u64 tpidr_el1;
	u64 vbar_el1;
	u64 sctlr_el1;
	u64 ttbr0_el1;
	u64 tcr_el1;
	u64 mair_el1;
};

extern struct arrival arrival;

/*
 * A program's handler of synchronous exceptions from EL1 (debug exceptions,
 * say): returns true if it dealt with the exception (it may change the
 * return address), false to have it reported as unexpected.
 */
extern bool (*sync_exception_hook)(u64 esr, u64 *elr);

/* CPUs */
static inline u64 cpu_mpidr(void)
{
	return read_sysreg(mpidr_el1) & 0xff00ffffffUL;
}

/* 0 for the boot CPU, 1.. for CPUs started with smp_start_cpu() */
static inline unsigned int this_cpu_index(void)
{
	return read_sysreg(tpidr_el1);
}

/* Interrupts (GICv2 or GICv3, as the platform says) */
int irq_register(unsigned int irq, irq_handler_t handler);
void irq_enable(unsigned int irq);
void irq_disable(unsigned int irq);
void irq_send_sgi(u64 mpidr, unsigned int sgi);
void irq_set_edge(unsigned int irq);

/*
 * The interrupt of INTx of a virtual device (its pin: SPI vpci_irq_base +
 * pin - 1); ivshmem devices interrupt through it
 */
int pci_intx_irq(u16 bdf);

/* PSCI */
#define PSCI_VERSION		0x84000000
#define PSCI_CPU_OFF		0x84000002
#define PSCI_CPU_ON_64		0xc4000003
#define PSCI_AFFINITY_INFO_64	0xc4000004
#define PSCI_SYSTEM_OFF		0x84000008
#define PSCI_SYSTEM_RESET	0x84000009

#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	-1
#define PSCI_INVALID_PARAMETERS	-2
#define PSCI_DENIED		-3
#define PSCI_ALREADY_ON		-4

long psci_call(u32 function, u64 arg0, u64 arg1, u64 arg2);
int smp_start_cpu(u64 mpidr, void (*entry)(void));
long smp_cpu_on(u64 mpidr, unsigned int index, void (*entry)(void));

/* Hypercalls */
static inline long jailhouse_call(unsigned long code)
{
	register unsigned long x0 asm("x0") = code;

	asm volatile("hvc #" __stringify(JAILHOUSE_HVC_CODE)
		     : "+r" (x0) : : "x1", "x2", "x3", "memory");
	return x0;
}

static inline long jailhouse_call_arg1(unsigned long code,
				       unsigned long arg1)
{
	register unsigned long x0 asm("x0") = code;
	register unsigned long x1 asm("x1") = arg1;

	asm volatile("hvc #" __stringify(JAILHOUSE_HVC_CODE)
		     : "+r" (x0), "+r" (x1) : : "x2", "x3", "memory");
	return x0;
}

static inline long jailhouse_call_arg2(unsigned long code,
				       unsigned long arg1, unsigned long arg2)
{
	register unsigned long x0 asm("x0") = code;
	register unsigned long x1 asm("x1") = arg1;
	register unsigned long x2 asm("x2") = arg2;

	asm volatile("hvc #" __stringify(JAILHOUSE_HVC_CODE)
		     : "+r" (x0), "+r" (x1), "+r" (x2) : : "x3", "memory");
	return x0;
}

#endif /* !__ASSEMBLY__ */

#endif /* !_INMATE_H */
