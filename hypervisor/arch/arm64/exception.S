/* SPDX-License-Identifier: GPL-2.0 */
/*
 * EL2 exception vectors.
 *
 * While a guest runs, SP_EL2 is the top of the CPU's stack, so the frame a
 * guest exit saves is always the top-of-stack struct trap_context that the
 * C code finds with guest_context().  The hypervisor itself runs with all
 * exceptions masked.  An exception taken from EL2 is a hypervisor bug,
 * except for a fault of a device access on a guest's behalf
 * (mmio-access.S), which returns to its fixup.
 */
#include <asm/gic_v3_sysregs.h>
#include <asm/sysregs.h>
#include <asm/traps.h>
#include <generated/asm-defines.h>

	.section .text.vectors, "ax"

/* x2-x18 and x30: what a C call may clobber (AAPCS64) besides x0/x1 */
.macro save_caller_saved
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	str	x18, [sp, #144]
	str	x30, [sp, #240]
.endm

/* the rest of the frame: x19-x29, ELR_EL2, SPSR_EL2 */
.macro save_callee_saved
	str	x19, [sp, #152]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [sp, #CTX_ELR]
.endm

.macro save_frame
	save_caller_saved
	save_callee_saved
.endm

/* the two halves back, but for x0/x1 and SP, each its save's mirror */
.macro restore_caller_saved
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldr	x18, [sp, #144]
	ldr	x30, [sp, #240]
.endm

.macro restore_callee_saved
	ldr	x19, [sp, #152]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
.endm

/* One 128-byte vector slot: open a frame, record the kind, branch. */
.macro vector target, kind
	.align	7
	sub	sp, sp, #CTX_SIZE
	stp	x0, x1, [sp]
	mov	x1, #\kind
	b	\target
.endm

	.align	11
	.global hyp_vectors
hyp_vectors:
	/* current EL, SP_EL0: never used */
	vector	hyp_fault, EXIT_SYNC
	vector	hyp_fault, EXIT_IRQ
	vector	hyp_fault, EXIT_FIQ
	vector	hyp_fault, EXIT_SERROR
	/* current EL, SP_EL2 */
	vector	hyp_fault, EXIT_SYNC
	vector	hyp_fault, EXIT_IRQ
	vector	hyp_fault, EXIT_FIQ
	vector	hyp_fault, EXIT_SERROR
	/*
	 * lower EL, AArch64; synchronous: a WFI trapped from a direct cell
	 * (HCR_EL2.TWI, Documentation/direct-irqs.md) is waited for right
	 * here, so that its interrupt reaches the cell one ERET after the
	 * wake-up, as near to bare metal as the trap allows.  Only if the
	 * cell raised its running priority above the hypervisor's SGI, which
	 * could then not end the wait, the WFI ends at once.
	 */
	.align	7
	sub	sp, sp, #CTX_SIZE
	stp	x0, x1, [sp]
	mrs	x0, esr_el2
	lsr	x1, x0, #ESR_EC_SHIFT
	cmp	x1, #ESR_EC_WFX
	mov	x1, #EXIT_SYNC
	b.ne	guest_exit
	/* counted as an exit, which it is */
	mrs	x0, tpidr_el2
	add	x0, x0, #(PERCPU_VMEXITS_TOTAL & ~0xfff)
	ldr	w1, [x0, #(PERCPU_VMEXITS_TOTAL & 0xfff)]
	add	w1, w1, #1
	str	w1, [x0, #(PERCPU_VMEXITS_TOTAL & 0xfff)]
	mrs	x0, ICC_RPR_EL1
	cmp	x0, #GIC_DIRECT_MIN_PRIO
	mrs	x0, elr_el2
	add	x0, x0, #4
	msr	elr_el2, x0
	ldp	x0, x1, [sp]
	add	sp, sp, #CTX_SIZE
	b.lo	1f
	wfi
1:	eret
	vector	guest_irq, EXIT_IRQ
	vector	guest_irq, EXIT_FIQ
	vector	guest_exit, EXIT_SERROR
	/* lower EL, AArch32 (user space of the root cell, say) */
	vector	guest_exit, EXIT_SYNC
	vector	guest_irq, EXIT_IRQ
	vector	guest_irq, EXIT_FIQ
	vector	guest_exit, EXIT_SERROR

/*
 * The interrupt exits (IRQ, and FIQ under direct delivery), the path a
 * cell's latency depends on: C preserves x19-x29, and nothing on it
 * touches ELR_EL2/SPSR_EL2, so only the registers C may clobber are saved.
 * A CPU that must park completes the frame for arch_park_cpu(), which may
 * give it a new context.
 */
guest_irq:
	save_caller_saved
	mov	x0, x1
	bl	arch_handle_irq
	cbnz	x0, 1f
	restore_caller_saved
	ldp	x0, x1, [sp]
	add	sp, sp, #CTX_SIZE
	eret
1:	save_callee_saved
	mov	x0, sp
	bl	arch_park_cpu
	mov	x0, sp
	b	vmreturn

guest_exit:
	save_frame
	mov	x0, sp
	bl	arch_handle_exit
	mov	x0, sp
	/* fall through */

/*
 * vmreturn(ctx): ctx must be the top-of-stack frame, or that of a fault
 * at EL2 (returning into the hypervisor)
 */
	.global vmreturn
vmreturn:
	mov	sp, x0
	ldp	x2, x3, [sp, #CTX_ELR]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	restore_caller_saved
	restore_callee_saved
	ldp	x0, x1, [sp]
	add	sp, sp, #CTX_SIZE
	eret

/* arch_handle_hyp_fault() returns only from a fault it recovered */
hyp_fault:
	save_frame
	mov	x0, sp
	bl	arch_handle_hyp_fault
	mov	x0, sp
	b	vmreturn
