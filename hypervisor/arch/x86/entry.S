/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry from the driver's entry page and the way back (Documentation/
 * x86.md, "Entry").
 *
 * arch_entry - jumped to by the driver on every CPU, 64-bit mode, CPL 0,
 * interrupts off, CR3 on the driver's entry tables, which map the
 * hypervisor memory at JAILHOUSE_BASE and the entry page at its Linux
 * address.  Linux's GDT, IDT and CR4 are still loaded.
 *   rdi: CPU id
 *   rsi: Linux's CR3
 *   rdx: Linux's RSP for the leave code
 *   rcx: the leave code (Linux address, in the entry page)
 *   r8:  physical address of the entry page
 *   r9:  LAR of CS in bits 31:0, of SS in 63:32 (0: null selector)
 *   r10: LAR of DS and ES, the same way
 *   r11: physical address of the hypervisor memory
 * Everything else is scratch.
 *
 * The leave code gets rax = result, rdi = CR3 and rsi = RSP to load.
 */
#include <jailhouse/errno.h>
#include <asm/entry.h>
#include <asm/processor.h>
#include <generated/asm-defines.h>

	.section .text.entry, "ax"

	.global arch_entry
arch_entry:
	endbr64
	/* the hypervisor's indirect branches carry no ENDBR64 */
	mov	%cr4, %rbx
	mov	%rbx, %rax
	and	$~X86_CR4_CET, %rax
	mov	%rax, %cr4

	mov	__hv_start + HEADER_MAX_CPUS(%rip), %eax
	cmp	%rax, %rdi
	jae	.Lno_cpu_area

	mov	$PERCPU_SIZE, %rax
	imul	%rdi, %rax
	lea	__hv_core_end(%rip), %r12
	add	%rax, %r12

	/* the driver does not clear the per-CPU area, keep the stack */
	mov	%rdi, %r13
	mov	%rcx, %r14
	lea	PERCPU_STACK_END(%r12), %rdi
	mov	$((PERCPU_SIZE - PERCPU_STACK_END) / 8), %rcx
	xor	%eax, %eax
	rep stosq
	mov	%r13, %rdi
	mov	%r14, %rcx

	mov	%rsi, PERCPU_LINUX_CR3(%r12)
	mov	%rdx, PERCPU_LINUX_RSP(%r12)
	mov	%rcx, PERCPU_LINUX_LEAVE_RIP(%r12)
	mov	%r8, PERCPU_LINUX_ENTRY_PAGE(%r12)
	mov	%r9, PERCPU_LINUX_LAR_CS_SS(%r12)
	mov	%r10, PERCPU_LINUX_LAR_DS_ES(%r12)
	mov	%rbx, PERCPU_LINUX_CR4(%r12)
	mov	%r11, PERCPU_LINUX_PHYS_BASE(%r12)

	lea	(PERCPU_STACK_END - GUEST_REGS_SIZE)(%r12), %rsp
	mov	%r12, %rdi
	call	arch_entry_cpu
	mov	%r12, %rdi
	mov	PERCPU_LINUX_PHYS_BASE(%r12), %rsi
	call	entry
	/* entry() does not return */
1:	hlt
	jmp	1b

.Lno_cpu_area:
	mov	%rbx, %cr4
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	$-EINVAL, %rax
	jmp	*%rcx

/*
 * arch_leave_linux - back to Linux through the driver's leave code
 * rdi: struct linux_return, in the per-CPU area
 *
 * The caller loaded Linux's descriptor tables and the rest of its state;
 * CR4 last, here, as Linux's may turn on indirect branch tracking.
 */
	.global arch_leave_linux
arch_leave_linux:
	mov	LINUX_RETURN_RIP(%rdi), %rcx
	mov	LINUX_RETURN_CR4(%rdi), %rdx
	mov	LINUX_RETURN_RAX(%rdi), %rax
	mov	LINUX_RETURN_RSP(%rdi), %rsi
	mov	LINUX_RETURN_CR3(%rdi), %rdi
	mov	%rdx, %cr4
	jmp	*%rcx

/*
 * Exceptions taken in the hypervisor: a frame with the vector and an error
 * code (0 where the CPU pushes none) for x86_exception(), which stops.
 * NMIs go to nmi_entry, debug exceptions to debug_entry.
 */
.macro exception_stub vector
	.balign 16
	.if \vector == X86_EXC_NMI
	jmp	nmi_entry
	.elseif \vector == X86_EXC_DB
	jmp	debug_entry
	.else
	.if (\vector == 8 || (\vector >= 10 && \vector <= 14) || \
	     \vector == 17 || \vector == 21 || \vector == 29 || \vector == 30)
	.else
	push	$0
	.endif
	push	$\vector
	jmp	exception_common
	.endif
.endm

	.balign 16
	.global exception_stubs
exception_stubs:
	.irp vector, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, \
		16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	exception_stub \vector
	.endr

/*
 * Interrupts: only those that a CPU's former guest left pending in its
 * APIC, taken while x86_apic_reset() lets them in, to be dropped.
 */
	vector = X86_NUM_EXCEPTIONS
	.rept X86_NUM_VECTORS - X86_NUM_EXCEPTIONS
	.balign 16
	pushq	$vector
	jmp	irq_common
	vector = vector + 1
	.endr

irq_common:
	push	%rax
	push_gprs
	/* 21 words since the CPU aligned the stack: the ABI's 16 bytes */
	sub	$8, %rsp
	call	x86_apic_drop_irq
	add	$8, %rsp
	pop_gprs
	pop	%rax
	add	$8, %rsp
	iretq

/*
 * An NMI: the hypervisor's kick to a parked CPU (vcpu_wait_kick()), or one
 * of Linux's taken with GIF set outside guest mode, which is dropped.  A
 * kick that comes right before the park's HLT skips it (HLT is one byte).
 */
nmi_entry:
	push	%rax
	lea	svm_park_hlt(%rip), %rax
	cmp	%rax, 8(%rsp)
	jne	1f
	incq	8(%rsp)
1:	pop	%rax
	iretq

/*
 * A debug exception: a breakpoint of the guest's, on one of the two
 * instructions after VMRUN that disarm them (svm-vmrun.S).  Its DR0-DR3
 * stay loaded after the #VMEXIT, and QEMU's leaves its DR7 armed as well
 * (the VMCB keeps the guest's copy, which the next VMRUN loads).
 * Disarmed, the instruction of a breakpoint runs again without it; a
 * watchpoint's has run.
 */
debug_entry:
	push	%rax
	mov	$X86_DR7_RESET, %eax
	mov	%rax, %dr7
	pop	%rax
	/* RFLAGS.RF: the instruction runs (QEMU keeps the breakpoint) */
	orq	$X86_RFLAGS_RF, 16(%rsp)
	iretq

exception_common:
	push	%rax
	push_gprs
	mov	%rsp, %rdi
	and	$~15, %rsp
	call	x86_exception
	/* x86_exception() does not return */
2:	hlt
	jmp	2b
