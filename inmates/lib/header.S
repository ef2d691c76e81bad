/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Image header, CPU start-up and exception vectors.
 *
 * The boot CPU enters at the image base (the cell's cpu_reset_address) at
 * EL1 with the MMU off (CPUs started later: smp-entry.S).
 */
#include "lib.h"

	.section .boot, "ax"

	.globl	__reset
__reset:
	b	start

start:
	msr	daifset, #0xf
	msr	spsel, #1
	/* x0 is the boot argument; x1..x3 are needed below (struct arrival) */
	orr	x4, x4, x1
	orr	x4, x4, x2
	orr	x4, x4, x3

	/*
	 * Clean and invalidate the whole image, bss and stacks included, to
	 * the point of coherency: everything until the MMU is on is written
	 * straight to memory, and no stale line (of whoever used this memory
	 * before) may hide it once the caches are on.
	 */
	adrp	x0, __image_start
	add	x0, x0, :lo12:__image_start
	adrp	x1, __end
	add	x1, x1, :lo12:__end
	mrs	x2, ctr_el0
	ubfx	x2, x2, #16, #4
	mov	x3, #4
	lsl	x3, x3, x2
1:	dc	civac, x0
	add	x0, x0, x3
	cmp	x0, x1
	b.lo	1b
	dsb	sy

	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
2:	cmp	x0, x1
	b.hs	3f
	str	xzr, [x0], #8
	b	2b

3:	/* the registers the start-up changes, as the CPU brought them */
	adrp	x0, arrival
	add	x0, x0, :lo12:arrival
	.irp	n, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, \
		19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
	orr	x4, x4, x\n
	.endr
	str	x4, [x0, #ARRIVAL_GPRS]
	mov	x1, sp
	str	x1, [x0, #ARRIVAL_SP]
	mrs	x1, tpidr_el1
	str	x1, [x0, #ARRIVAL_TPIDR]
	mrs	x1, vbar_el1
	str	x1, [x0, #ARRIVAL_VBAR]
	mrs	x1, sctlr_el1
	str	x1, [x0, #ARRIVAL_SCTLR]
	mrs	x1, ttbr0_el1
	str	x1, [x0, #ARRIVAL_TTBR0]
	mrs	x1, tcr_el1
	str	x1, [x0, #ARRIVAL_TCR]
	mrs	x1, mair_el1
	str	x1, [x0, #ARRIVAL_MAIR]

	adrp	x0, __stack_top
	add	x0, x0, :lo12:__stack_top
	mov	sp, x0
	msr	tpidr_el1, xzr
	adr	x0, vectors
	msr	vbar_el1, x0
	isb
	bl	inmate_startup
	b	.

	.macro	ventry, kind
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp]
	mov	x0, #\kind
	b	exception_common
	.endm

	.balign	0x800
	.globl	vectors
vectors:
	ventry	0	/* current EL, SP_EL0: sync */
	ventry	1	/* IRQ */
	ventry	2	/* FIQ */
	ventry	3	/* SError */
	ventry	4	/* current EL, SP_ELx: sync */
	ventry	5	/* IRQ */
	ventry	6	/* FIQ */
	ventry	7	/* SError */
	ventry	8	/* lower EL, AArch64: sync */
	ventry	9	/* IRQ */
	ventry	10	/* FIQ */
	ventry	11	/* SError */
	ventry	12	/* lower EL, AArch32: sync */
	ventry	13	/* IRQ */
	ventry	14	/* FIQ */
	ventry	15	/* SError */

	.text

exception_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x1, elr_el1
	stp	x30, x1, [sp, #240]
	mrs	x1, spsr_el1
	str	x1, [sp, #FRAME_SPSR]

	mov	x1, sp
	bl	handle_exception

	ldr	x1, [sp, #FRAME_SPSR]
	msr	spsr_el1, x1
	ldp	x30, x1, [sp, #240]
	msr	elr_el1, x1
	ldp	x28, x29, [sp, #224]
	ldp	x26, x27, [sp, #208]
	ldp	x24, x25, [sp, #192]
	ldp	x22, x23, [sp, #176]
	ldp	x20, x21, [sp, #160]
	ldp	x18, x19, [sp, #144]
	ldp	x16, x17, [sp, #128]
	ldp	x14, x15, [sp, #112]
	ldp	x12, x13, [sp, #96]
	ldp	x10, x11, [sp, #80]
	ldp	x8, x9, [sp, #64]
	ldp	x6, x7, [sp, #48]
	ldp	x4, x5, [sp, #32]
	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp]
	add	sp, sp, #FRAME_SIZE
	eret
