/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU helpers of the x86-64 hypervisor: control registers, MSRs, CPUID and
 * port I/O.
 */
#ifndef _JAILHOUSE_ASM_PROCESSOR_H
#define _JAILHOUSE_ASM_PROCESSOR_H

#define X86_CR0_PE		(1UL << 0)
/* after INIT: CD, NW and ET */
#define X86_CR0_RESET		0x60000010UL
#define X86_CR0_WP		(1UL << 16)
#define X86_CR0_PG		(1UL << 31)
/* after INIT: no breakpoint armed, none hit */
#define X86_DR6_RESET		0xffff0ff0UL
#define X86_DR7_RESET		0x400

#define X86_CR4_PAE		(1UL << 5)
#define X86_CR4_PGE		(1UL << 7)
#define X86_CR4_LA57		(1UL << 12)
#define X86_CR4_PCIDE		(1UL << 17)
#define X86_CR4_OSXSAVE		(1UL << 18)
#define X86_CR4_CET		(1UL << 23)

#define X86_RFLAGS_IF		(1UL << 9)
#define X86_RFLAGS_RF		(1 << 16)
/* bit 1 of RFLAGS always reads as one */
#define X86_RFLAGS_FIXED	(1UL << 1)

#define MSR_IA32_APIC_BASE	0x0000001b
/* the x2APIC's registers */
#define MSR_X2APIC_FIRST	0x00000800
#define MSR_X2APIC_LAST		0x000008ff
#define MSR_IA32_PAT		0x00000277
/* the PAT after reset */
#define X86_PAT_RESET		0x0007040600070406ULL
#define MSR_EFER		0xc0000080
#define MSR_TSC_AUX		0xc0000103
#define MSR_VM_CR		0xc0010114
#define MSR_VM_HSAVE_PA		0xc0010117

#define EFER_SCE		(1UL << 0)
#define EFER_LME		(1UL << 8)
#define EFER_LMA		(1UL << 10)
#define EFER_NXE		(1UL << 11)
#define EFER_SVME		(1UL << 12)

/* VM_CR.SVMDIS: the firmware locked SVM off */
#define VM_CR_SVMDIS		(1UL << 4)

/* CPUID leaves and bits */
#define CPUID_FEATURES		0x00000001
#define CPUID_ECX_X2APIC	(1U << 21)
#define CPUID_EXT_FEATURES	0x80000001
#define CPUID_EXT_ECX_SVM	(1U << 2)
#define CPUID_SVM_FEATURES	0x8000000a
#define CPUID_SVM_EDX_NPT	(1U << 0)
#define CPUID_SVM_EDX_NRIPS	(1U << 3)
#define CPUID_HV_SIGNATURE	0x40000000
/* XSAVE state components: subleaf 0 EDX:EAX those XCR0 may enable */
#define CPUID_XSTATE		0x0000000d

/* The hypervisor's GDT: the selectors Linux uses for its kernel. */
#define GDT_DESC_CODE		2
#define GDT_DESC_DATA		3
#define GDT_NUM_DESC		4
#define HV_CS			(GDT_DESC_CODE * 8)
#define HV_DS			(GDT_DESC_DATA * 8)

/* Exception vectors */
#define X86_NUM_EXCEPTIONS	32
#define X86_NUM_VECTORS		256
#define X86_EXC_DB		1
#define X86_EXC_NMI		2
#define X86_EXC_UD		6
#define X86_EXC_GP		13

#ifndef __ASSEMBLY__

#include <jailhouse/types.h>

static inline void cpu_relax(void)
{
	asm volatile("pause" : : : "memory");
}

/* Wait for an interrupt; the hypervisor runs with interrupts masked. */
static inline void wfi(void)
{
	asm volatile("hlt" : : : "memory");
}

static inline unsigned long read_cr0(void)
{
	unsigned long v;

	asm volatile("mov %%cr0, %0" : "=r" (v));
	return v;
}

static inline unsigned long read_cr2(void)
{
	unsigned long v;

	asm volatile("mov %%cr2, %0" : "=r" (v));
	return v;
}

static inline unsigned long read_cr3(void)
{
	unsigned long v;

	asm volatile("mov %%cr3, %0" : "=r" (v));
	return v;
}

static inline void write_cr3(unsigned long v)
{
	asm volatile("mov %0, %%cr3" : : "r" (v) : "memory");
}

/* Drop the calling CPU's translations of the page at @addr. */
static inline void invlpg(unsigned long addr)
{
	asm volatile("invlpg (%0)" : : "r" (addr) : "memory");
}

static inline unsigned long read_cr4(void)
{
	unsigned long v;

	asm volatile("mov %%cr4, %0" : "=r" (v));
	return v;
}

static inline void write_cr4(unsigned long v)
{
	asm volatile("mov %0, %%cr4" : : "r" (v) : "memory");
}

static inline u64 read_msr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a" (lo), "=d" (hi) : "c" (msr));
	return lo | ((u64)hi << 32);
}

static inline void write_msr(u32 msr, u64 v)
{
	asm volatile("wrmsr" : : "c" (msr), "a" ((u32)v),
		     "d" ((u32)(v >> 32)) : "memory");
}

static inline void cpuid(u32 leaf, u32 subleaf, u32 *eax, u32 *ebx,
			 u32 *ecx, u32 *edx)
{
	asm volatile("cpuid"
		     : "=a" (*eax), "=b" (*ebx), "=c" (*ecx), "=d" (*edx)
		     : "a" (leaf), "c" (subleaf));
}

static inline u64 read_tsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a" (lo), "=d" (hi));
	return lo | ((u64)hi << 32);
}

struct per_cpu;

/* apic.c: send an NMI to the local APIC @apic_id. */
void x86_apic_send_nmi(u32 apic_id);
/* apic.c: the calling CPU's APIC ID into its per-CPU area. */
void x86_apic_cpu_init(struct per_cpu *cpu_data);
/* apic.c: a non-root cell's IA32_APIC_BASE access (svm-msr.c). */
void x86_apic_base_access(struct per_cpu *cpu_data, bool write, u64 *value);
/* apic.c: a non-root cell's x2APIC MSR access; false: #GP. */
bool x86_x2apic_access(struct per_cpu *cpu_data, u32 msr, bool write,
		       u64 *value);

/* The operand of LGDT/LIDT and SGDT/SIDT. */
struct desc_table_reg {
	u16 limit;
	u64 base;
} __attribute__((packed));

static inline void read_gdtr(struct desc_table_reg *r)
{
	asm volatile("sgdt %0" : "=m" (*r));
}

static inline void read_idtr(struct desc_table_reg *r)
{
	asm volatile("sidt %0" : "=m" (*r));
}

static inline void write_gdtr(const struct desc_table_reg *r)
{
	asm volatile("lgdt %0" : : "m" (*r));
}

static inline void write_idtr(const struct desc_table_reg *r)
{
	asm volatile("lidt %0" : : "m" (*r));
}

#endif /* !__ASSEMBLY__ */

#endif /* !_JAILHOUSE_ASM_PROCESSOR_H */
