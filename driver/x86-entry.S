/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The entry page: code that the CPUs run in both address spaces, Linux's
 * and the hypervisor's, both of which map this page at its Linux address
 * (Documentation/x86.md, "Entry").  It must not cross a page boundary;
 * x86.c checks.
 */
#include <linux/linkage.h>
#include <asm/nospec-branch.h>

/*
 * The frame of both functions: the registers that the C calling convention
 * preserves, and RFLAGS, with interrupts off while the hypervisor has the
 * CPU.  A granted disable leaves through .Lleave with the frame of
 * jailhouse_x86_disable(): the two must be the same.
 */
.macro enter_frame
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	pushfq
	cli
.endm

/* Back to the caller with what enter_frame saved. */
.macro leave_frame
	popfq
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	RET
.endm

	.section .text.jailhouse_entry, "ax"
	.balign 4096

/*
 * long jailhouse_x86_enter(unsigned long entry, unsigned long entry_cr3,
 *			    unsigned long cpu, unsigned long page_phys,
 *			    unsigned long hv_phys)
 *
 * Loads the entry tables and jumps to the hypervisor's entry at @entry
 * with the registers of its protocol (hypervisor/arch/x86/entry.S).  The
 * hypervisor comes back to .Lleave, from its own address space or as the
 * guest, with the result in rax, Linux's CR3 in rdi and the stack pointer
 * in rsi.
 */
SYM_FUNC_START(jailhouse_x86_enter)
	enter_frame

	mov	%rdi, %rax
	mov	%rsi, %rbx
	mov	%r8, %r11
	mov	%rcx, %r8
	mov	%rdx, %rdi

	/* access rights of the selectors, 0 for a null one */
	mov	%cs, %ecx
	lar	%cx, %ecx
	jz	1f
	xor	%ecx, %ecx
1:	mov	%ss, %edx
	lar	%dx, %edx
	jz	2f
	xor	%edx, %edx
2:	mov	%ecx, %r9d
	shl	$32, %rdx
	or	%rdx, %r9
	mov	%ds, %ecx
	lar	%cx, %ecx
	jz	3f
	xor	%ecx, %ecx
3:	mov	%es, %edx
	lar	%dx, %edx
	jz	4f
	xor	%edx, %edx
4:	mov	%ecx, %r10d
	shl	$32, %rdx
	or	%rdx, %r10

	mov	%cr3, %rsi
	mov	%rsp, %rdx
	lea	.Lleave(%rip), %rcx
	mov	%rbx, %cr3
	ANNOTATE_RETPOLINE_SAFE
	jmp	*%rax

.Lleave:
	/* ENDBR64: reached by an indirect jump of the hypervisor */
	.byte	0xf3, 0x0f, 0x1e, 0xfa
	mov	%rdi, %cr3
	mov	%rsi, %rsp
	leave_frame
SYM_FUNC_END(jailhouse_x86_enter)

/*
 * long jailhouse_x86_disable(void)
 *
 * The disable hypercall.  Refused, the hypervisor returns behind vmmcall;
 * granted, it leaves through .Lleave with this frame's stack pointer.
 */
SYM_FUNC_START(jailhouse_x86_disable)
	enter_frame
	/* JAILHOUSE_HC_DISABLE, no arguments */
	xor	%eax, %eax
	xor	%edi, %edi
	xor	%esi, %esi
	vmmcall
	leave_frame
SYM_FUNC_END(jailhouse_x86_disable)

SYM_CODE_START(jailhouse_x86_entry_page_end)
	int3
SYM_CODE_END(jailhouse_x86_entry_page_end)
