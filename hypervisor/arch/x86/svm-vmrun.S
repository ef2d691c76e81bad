/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMRUN loop.  VMRUN switches RAX, RSP and RIP with the VMCB; the
 * other general-purpose registers of the guest live in struct guest_regs
 * on the top of the CPU's stack while the hypervisor runs.  The state that
 * VMLOAD and VMSAVE would switch (FS, GS, TR, LDTR, KernelGSBase, the
 * SYSCALL and SYSENTER MSRs) stays the guest's in the CPU: the hypervisor
 * never uses it (Documentation/x86.md).
 */
#include <asm/entry.h>
#include <asm/processor.h>

	.text

/* svm_vmrun_loop - rdi: struct guest_regs at the top of the stack */
	.global svm_vmrun_loop
svm_vmrun_loop:
	mov	%rdi, %rsp
1:
	pop_gprs
	/* rsp: the VMCB address, which VMRUN leaves in the host's RAX */
	mov	(%rsp), %rax
	vmrun	%rax
	/*
	 * #VMEXIT: host RSP and RAX as they were, GIF clear.  First the
	 * guest's breakpoints disarmed, which may still be armed (entry.S,
	 * debug_entry); the VMCB keeps its DR7.
	 */
	mov	$X86_DR7_RESET, %eax
	mov	%rax, %dr7
	push_gprs
	mov	%rsp, %rdi
	call	svm_handle_exit
	jmp	1b

/*
 * vcpu_wait_kick - halt until an NMI, GIF open.  An NMI that comes between
 * STGI and HLT would leave the HLT waiting for the next: the NMI handler
 * (entry.S) resumes behind svm_park_hlt instead.  CLGI closes GIF again
 * for the hypervisor.
 */
	.global vcpu_wait_kick
vcpu_wait_kick:
	stgi
	.global svm_park_hlt
svm_park_hlt:
	hlt
	clgi
	ret
