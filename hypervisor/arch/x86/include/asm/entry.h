/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The entry from the driver and the way back (entry.S, setup.c), and the
 * registers that the hypervisor's entries save (entry.S, svm-vmrun.S).
 */
#ifndef _JAILHOUSE_ASM_ENTRY_H
#define _JAILHOUSE_ASM_ENTRY_H

#ifdef __ASSEMBLY__

/*
 * The general-purpose registers but RAX and RSP, pushed so that they lie
 * in memory in the order of struct guest_regs (asm/percpu.h), R15 first:
 * a guest's at #VMEXIT, whose RAX and RSP the VMCB keeps, and the
 * hypervisor's own at an exception (struct exception_frame, setup.c) and
 * at an interrupt it drops (entry.S).
 */
.macro push_gprs
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rbp
	push	%rsi
	push	%rdi
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
.endm

/* Load what push_gprs saved, and drop it from the stack. */
.macro pop_gprs
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rdi
	pop	%rsi
	pop	%rbp
	pop	%rdx
	pop	%rcx
	pop	%rbx
.endm

#else /* !__ASSEMBLY__ */

struct per_cpu;
struct linux_return;

/* setup.c: the hypervisor's GDT and IDT, called by the entry code. */
void arch_entry_cpu(struct per_cpu *cpu_data);

/* entry.S: load @ret and jump to the driver's leave code. */
void __attribute__((noreturn)) arch_leave_linux(struct linux_return *ret);

#endif /* !__ASSEMBLY__ */

#endif /* !_JAILHOUSE_ASM_ENTRY_H */
