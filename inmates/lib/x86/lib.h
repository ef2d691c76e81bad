/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Interfaces between the parts of the x86 inmate library, not for
 * programs.
 */
#ifndef _INMATE_LIB_H
#define _INMATE_LIB_H

/* The start-up's GDT (header.S) */
#define GDT_CODE32		0x08
#define GDT_DATA		0x10
#define GDT_CODE64		0x18

/* struct arrival, written by header.S in real mode */
#define ARRIVAL_VALID		0
#define ARRIVAL_EAX		4
#define ARRIVAL_EBX		8
#define ARRIVAL_ECX		12
#define ARRIVAL_EDX		16
#define ARRIVAL_ESI		20
#define ARRIVAL_EDI		24
#define ARRIVAL_EBP		28
#define ARRIVAL_ESP		32
#define ARRIVAL_CR0		36
#define ARRIVAL_CR3		40
#define ARRIVAL_CR4		44
#define ARRIVAL_EFER		48
#define ARRIVAL_FS_BASE		56
#define ARRIVAL_GS_BASE		64
#define ARRIVAL_CS		72
#define ARRIVAL_DS		74
#define ARRIVAL_ES		76
#define ARRIVAL_FS		78
#define ARRIVAL_GS		80
#define ARRIVAL_SS		82
#define ARRIVAL_SIZE		84

/*
 * The identity map (header.S builds it, mmu.c changes it): 4 GiB of 2 MiB
 * pages in PD_ENTRIES entries; past the first GiB (CACHED_LIMIT) all is
 * uncached, as MMIO needs it
 */
#define PTE_P			(1 << 0)
#define PTE_RW			(1 << 1)
#define PTE_PWT			(1 << 3)
#define PTE_PCD			(1 << 4)
#define PTE_PS			(1 << 7)
#define PD_ENTRIES		2048
#define PAGE_SIZE_2M		0x200000UL
#define CACHED_LIMIT		0x40000000

/* Interrupt entry stubs (header.S), one per vector */
#define IRQ_STUB_SIZE		16

#ifndef __ASSEMBLY__

#include "../lib_common.h"

/* What the interrupt stubs of header.S push, lowest address first */
struct exception_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector;
	u64 error;
	/* pushed by the CPU */
	u64 rip, cs, rflags, rsp, ss;
};

/* Provided by the linker script and header.S */
extern char __image_start[], __cmdline[], __stack_top[];
extern char __trampoline[];
extern char irq_stubs[];	/* 256 entry points, IRQ_STUB_SIZE apart */

/*
 * x86 orders loads with loads and stores with stores: for the comm region
 * compiler barriers suffice
 */
#define comm_region_rmb()	barrier()
#define comm_region_wmb()	barrier()

/* setup.c */
extern u64 pd[4][512];

void idt_load(void);
void percpu_init(unsigned int index);

/* apic.c: registers by their xAPIC offset */
#define APIC_LVT_TIMER		0x320
#define APIC_TMICT		0x380
#define APIC_TMCCT		0x390
#define APIC_TDCR		0x3e0

u32 apic_read(unsigned int reg);
void apic_write(unsigned int reg, u32 val);
void apic_init(void);
void apic_cpu_init(void);
void apic_eoi(void);

/* timer.c */
int timer_init(void);
void timer_cpu_init(void);
bool timer_handle_irq(void);

/* smp.c */
void __noreturn smp_ap_entry(void);

#endif /* !__ASSEMBLY__ */

#endif /* !_INMATE_LIB_H */
