/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device accesses on behalf of a guest (arch_mmio_access()).
 *
 * The device may answer with a synchronous external abort (a register that
 * does not exist, a width it does not take), and an access the guest chose
 * may be unaligned, which Device memory answers with an alignment fault.
 * Either is the guest's doing, not a bug of the hypervisor: each load and
 * store here is listed in the device fixup table, and the EL2 exception
 * handler (arch_handle_hyp_fault()) resumes such a fault at the fixup with
 * the result in x0.
 */
#include <generated/asm-defines.h>

/* \insn, listed with the fixup \fixup for arch_handle_hyp_fault() */
.macro device_access fixup, insn:vararg
0:	\insn
	.pushsection .device_fixups, "a"
	.balign	8
	.quad	0b, \fixup
	.popsection
.endm

	.text

/*
 * enum mmio_result arch_mmio_access(void *addr, struct mmio_access *mmio)
 * x0: addr, x1: mmio; size 1, 2, 4 or 8 (8 for any other).
 */
	.global arch_mmio_access
	.type	arch_mmio_access, %function
arch_mmio_access:
	ldr	w2, [x1, #MMIO_ACCESS_SIZE]
	ldrb	w3, [x1, #MMIO_ACCESS_IS_WRITE]
	ldr	x4, [x1, #MMIO_ACCESS_VALUE]
	cbnz	w3, .Lwrite
	cmp	w2, #1
	b.eq	.Lread8
	cmp	w2, #2
	b.eq	.Lread16
	cmp	w2, #4
	b.eq	.Lread32
	device_access .Lfault, ldr x4, [x0]
	b	.Lread_done
.Lread8:
	device_access .Lfault, ldrb w4, [x0]
	b	.Lread_done
.Lread16:
	device_access .Lfault, ldrh w4, [x0]
	b	.Lread_done
.Lread32:
	device_access .Lfault, ldr w4, [x0]
.Lread_done:
	str	x4, [x1, #MMIO_ACCESS_VALUE]
	b	.Ldone

.Lwrite:
	cmp	w2, #1
	b.eq	.Lwrite8
	cmp	w2, #2
	b.eq	.Lwrite16
	cmp	w2, #4
	b.eq	.Lwrite32
	device_access .Lfault, str x4, [x0]
	b	.Ldone
.Lwrite8:
	device_access .Lfault, strb w4, [x0]
	b	.Ldone
.Lwrite16:
	device_access .Lfault, strh w4, [x0]
	b	.Ldone
.Lwrite32:
	device_access .Lfault, str w4, [x0]
.Ldone:
	mov	x0, #MMIO_HANDLED
	/* a fault resumes here, x0 set by the handler */
.Lfault:
	ret
	.size	arch_mmio_access, . - arch_mmio_access
