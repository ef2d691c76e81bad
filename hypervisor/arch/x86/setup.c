// SPDX-License-Identifier: GPL-2.0
/*
 * Taking over an x86 CPU and handing it back (Documentation/x86.md).
 *
 * The entry code saved what the driver passed in registers; arch_entry_cpu()
 * puts the hypervisor's own GDT and IDT in place before the core runs, and
 * arch_cpu_init() reads the rest of Linux's state before the vcpu backend
 * turns the virtualization extension on.
 */
#include <jailhouse/arch.h>
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/paging.h>
#include <jailhouse/percpu.h>
#include <jailhouse/printk.h>
#include <jailhouse/string.h>
#include <asm/entry.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <asm/vcpu.h>

/* Descriptors with Linux's kernel selectors (asm/processor.h). */
static const u64 gdt[GDT_NUM_DESC] __attribute__((aligned(16))) = {
	[GDT_DESC_CODE] = 0x00af9b000000ffffULL,	/* 64-bit code, DPL 0 */
	[GDT_DESC_DATA] = 0x00cf93000000ffffULL,	/* data, DPL 0 */
};

struct idt_gate {
	u16 offset_low;
	u16 selector;
	u16 type;
	u16 offset_mid;
	u32 offset_high;
	u32 reserved;
} __attribute__((packed));

/* present 64-bit interrupt gate, DPL 0, no IST */
#define IDT_GATE_INTERRUPT	0x8e00

static struct idt_gate idt[X86_NUM_VECTORS] __attribute__((aligned(16)));

/* entry.S: 16-byte stubs, one per vector (interrupts: irq_common) */
extern const char exception_stubs[];

/* The frame of exception_common (entry.S): RAX, then push_gprs. */
struct exception_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rdi, rsi, rbp, rdx, rcx, rbx, rax;
	u64 vector, error;
	u64 rip, cs, rflags, rsp, ss;
};

void __attribute__((noreturn)) x86_exception(struct exception_frame *frame);

/**
 * arch_entry_cpu() - the hypervisor's descriptor tables on the calling CPU
 * @cpu_data:	its per-CPU area
 *
 * Called by the entry code before entry(): Linux's GDT and IDT are not
 * mapped in the hypervisor, so from here on exceptions of the hypervisor
 * end in x86_exception().  The selectors stay Linux's kernel ones, and TR
 * keeps Linux's TSS: the hypervisor never changes privilege level.
 */
void arch_entry_cpu(struct per_cpu *cpu_data)
{
	struct linux_entry_state *ls = &cpu_data->arch.entry_state;
	const struct desc_table_reg gdtr = {
		.limit = sizeof(gdt) - 1,
		.base = (unsigned long)gdt,
	};
	const struct desc_table_reg idtr = {
		.limit = sizeof(idt) - 1,
		.base = (unsigned long)idt,
	};
	unsigned long stub;
	unsigned int n;

	read_gdtr(&ls->gdtr);
	read_idtr(&ls->idtr);
	asm volatile("mov %%cs, %0" : "=r" (ls->cs));
	asm volatile("mov %%ss, %0" : "=r" (ls->ss));
	asm volatile("mov %%ds, %0" : "=r" (ls->ds));
	asm volatile("mov %%es, %0" : "=r" (ls->es));

	/* every CPU writes the same gates: no ordering needed */
	for (n = 0; n < X86_NUM_VECTORS; n++) {
		stub = (unsigned long)exception_stubs + 16 * n;
		idt[n].offset_low = stub & 0xffff;
		idt[n].selector = HV_CS;
		idt[n].type = IDT_GATE_INTERRUPT;
		idt[n].offset_mid = (stub >> 16) & 0xffff;
		idt[n].offset_high = stub >> 32;
		idt[n].reserved = 0;
	}
	write_gdtr(&gdtr);
	write_idtr(&idtr);
}

void x86_exception(struct exception_frame *frame)
{
	panic_printk("FATAL: exception %llu (error 0x%llx) in the hypervisor "
		     "at 0x%llx, CR2 0x%lx, RSP 0x%llx\n", frame->vector,
		     frame->error, frame->rip, read_cr2(), frame->rsp);
	panic_printk("RAX 0x%llx RBX 0x%llx RCX 0x%llx RDX 0x%llx\n",
		     frame->rax, frame->rbx, frame->rcx, frame->rdx);
	panic_printk("RSI 0x%llx RDI 0x%llx RBP 0x%llx\n", frame->rsi,
		     frame->rdi, frame->rbp);
	panic_stop();
}

int arch_cpu_init(struct per_cpu *cpu_data)
{
	struct linux_entry_state *ls = &cpu_data->arch.entry_state;
	int err;

	/* Linux's values of what the hypervisor changes */
	ls->cr0 = read_cr0();
	ls->efer = read_msr(MSR_EFER);
	ls->pat = read_msr(MSR_IA32_PAT);
	asm volatile("mov %%dr7, %0" : "=r" (ls->dr7));
	/* none of Linux's breakpoints armed for the hypervisor's code */
	asm volatile("mov %0, %%dr7" : : "r" ((unsigned long)X86_DR7_RESET));
	ls->hsave_pa = read_msr(MSR_VM_HSAVE_PA);

	err = x86_guest_window_init(cpu_data);
	if (err)
		return err;
	x86_apic_cpu_init(cpu_data);
	return vcpu_init(cpu_data);
}

void arch_cpu_restore(struct per_cpu *cpu_data)
{
	vcpu_exit(cpu_data);
}

void arch_cpu_activate(struct per_cpu *cpu_data)
{
	cpu_data->arch.entered = true;
	vcpu_activate(cpu_data);
}

/**
 * arch_cpu_leave() - back to Linux through the driver's leave code
 * @cpu_data:	the calling CPU's per-CPU area
 * @code:	Linux's result: of the enable if the CPU never entered the
 *		root cell, of the disable otherwise
 *
 * The leave code loads Linux's CR3 and stack pointer and returns to the
 * driver's caller; the rest of Linux's state is loaded here: the state the
 * guest had at its exit, or the one of the entry.
 */
void arch_cpu_leave(struct per_cpu *cpu_data, int code)
{
	struct linux_entry_state *ls = &cpu_data->arch.entry_state;
	struct linux_return *ret = &cpu_data->arch.linux_return;

	if (cpu_data->arch.entered) {
		vcpu_linux_return_state(cpu_data);
	} else {
		ret->cr3 = ls->cr3;
		ret->rsp = ls->rsp;
		ret->cr4 = ls->cr4;
		asm volatile("mov %0, %%dr7" : : "r" (ls->dr7));
		write_gdtr(&ls->gdtr);
		write_idtr(&ls->idtr);
	}
	ret->rip = ls->leave_rip;
	ret->rax = code;
	arch_leave_linux(ret);
}

void arch_panic_stop(void)
{
	while (1)
		wfi();
}
