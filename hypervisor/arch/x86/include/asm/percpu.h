/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 part of a CPU's per-CPU area.
 *
 * It is aligned to 16 KiB, the stack size, which makes the whole struct
 * per_cpu 16 KiB aligned with its stack first: the hypervisor finds its
 * per-CPU area from the stack pointer (arch_get_cpu_data()) and leaves the
 * segment registers and MSRs to the guest (Documentation/x86.md).
 */
#ifndef _JAILHOUSE_ASM_PERCPU_H
#define _JAILHOUSE_ASM_PERCPU_H

#include <jailhouse/types.h>
#include <jailhouse/hypercall.h>
#include <jailhouse/spinlock.h>
#include <asm/irqchip.h>
#include <asm/processor.h>
#include <asm/vmcb.h>

#define NUM_CPU_STATS		JAILHOUSE_X86_NUM_CPU_STATS

/* the per-CPU stack size (jailhouse/percpu.h), also its alignment */
#define PERCPU_ALIGN		(16 * 1024)

/*
 * Linux's state on entry (the driver's entry protocol, x86.md): what the
 * entry code got in registers, and what arch_cpu_init() read before the
 * hypervisor changed it.
 */
struct linux_entry_state {
	/* by the entry code */
	u64 cr3;
	u64 rsp;
	/* the driver's leave code, in its entry page */
	u64 leave_rip;
	u64 entry_page_phys;
	/* LAR results: access rights of CS, SS, DS and ES, 0 if null */
	u64 lar_cs_ss;
	u64 lar_ds_es;
	u64 cr4;
	u64 phys_base;
	/* by arch_cpu_init */
	struct desc_table_reg gdtr;
	struct desc_table_reg idtr;
	u64 cr0;
	u64 efer;
	u64 pat;
	u64 dr7;
	u64 hsave_pa;
	u16 cs, ss, ds, es;
};

/* What the leave code (entry.S) loads before it jumps back to Linux. */
struct linux_return {
	u64 rip;
	u64 rax;
	u64 cr3;
	u64 rsp;
	u64 cr4;
};

/*
 * Guest registers that VMRUN does not switch, saved at each exit (the
 * order of push_gprs, asm/entry.h).
 */
struct guest_regs {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rdi, rsi, rbp, rdx, rcx, rbx;
	/* for the VMRUN loop: physical address of the VMCB */
	u64 vmcb_pa;
	u64 padding;	/* keeps the stack 16-byte aligned */
};

struct arch_per_cpu {
	struct vmcb vmcb __attribute__((aligned(4096)));
	/* the processor's host state save area (VM_HSAVE_PA) */
	u8 host_save[4096] __attribute__((aligned(4096)));
	struct linux_entry_state entry_state;
	struct linux_return linux_return;
	/* EFER.SVME set by arch_cpu_init */
	bool svm_on;
	/* the CPU runs its cell: leaving returns Linux's state of the VMCB */
	bool entered;
	/* the cell's npt_generation this CPU's TLB is clean of */
	u32 npt_generation;
	/* the hv_paging generation this CPU's TLB is clean of (tlb.c) */
	unsigned long hv_generation;
	/* the CPU's window on guest memory and its page-table entry */
	void *guest_window;
	u64 *guest_window_pte;

	/* the CPU's local APIC ID */
	u32 apic_id;
	/*
	 * The cell's view of the APIC (apic.c): ICR bits 63:32, which the
	 * xAPIC's ICR write uses, the last x2APIC ICR write's bits 31:0,
	 * the x2APIC mode (non-root cells, emulated), and the logical
	 * destination (LDR, DFR) by which its logical IPIs find the CPU.  A
	 * non-root cell's LDR stays out of the APIC, which keeps 0 and so
	 * matches no logical destination of other cells' devices (nor of
	 * its own IOAPIC entries, ioapic.c).
	 */
	u32 icr_high;
	u32 icr_low;
	bool x2apic;
	u32 ldr;
	u32 dfr;
	/* the last CONFIG_ADDRESS written to port 0xcf8 (pci.c) */
	u32 pci_address;

	/*
	 * Parking (control.c): the fields below but nmi_kick under
	 * control_lock.  A parked CPU waits in the hypervisor for a start
	 * (cell start, or its cell's SIPI after an INIT) in real mode at
	 * start_cs:start_ip, or for the end of the hypervisor.
	 */
	spinlock_t control_lock;
	bool parked;
	bool park_requested;
	/* out of the hypervisor for good (arch_cpu_shut_down()) */
	bool shut_down;
	/* an INIT of the cell came: its SIPI starts the CPU */
	bool wait_for_sipi;
	bool start_pending;
	u16 start_cs;
	u16 start_ip;
	/*
	 * Linux soft-disabled the APIC of this root CPU (taking it
	 * offline): its HLT with interrupts off parks it (svm.c).
	 */
	bool dying;
	/* the hypervisor sent this CPU an NMI to make it exit */
	bool nmi_kick;
} __attribute__((aligned(PERCPU_ALIGN)));

static inline void *arch_get_cpu_data(void)
{
	unsigned long sp;

	asm volatile("mov %%rsp, %0" : "=r" (sp));
	return (void *)(sp & ~(PERCPU_ALIGN - 1UL));
}

#endif /* !_JAILHOUSE_ASM_PERCPU_H */
