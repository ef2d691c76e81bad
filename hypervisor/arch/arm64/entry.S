/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry from Linux's hyp stub and the way back (Documentation/design.md).
 *
 * Both run partly with the EL2 MMU off, where every data access is
 * Device-nGnRnE: all accesses here are naturally aligned.  This code lies
 * in the first 2 MiB of the image, the block the bootstrap tables map 1:1.
 */
#include <jailhouse/errno.h>
#include <asm/paging.h>
#include <asm/psci.h>
#include <asm/sysregs.h>
#include <generated/asm-defines.h>

	.section .text.entry, "ax"

/* \reg = size of the smallest data cache line, using \tmp */
.macro dcache_line_size reg, tmp
	mrs	\tmp, ctr_el0
	ubfx	\tmp, \tmp, #16, #4
	mov	\reg, #4
	lsl	\reg, \reg, \tmp
.endm

/*
 * arch_entry - called by the hyp stub at EL2, MMU off, physical address
 * x0: CPU id.  x1..x4 were clobbered by the stub, x5..x30 are Linux's.
 * ELR_EL2/SPSR_EL2 lead back behind the driver's hvc.
 */
	.global arch_entry
arch_entry:
	adrp	x1, __hv_start
	ldr	w2, [x1, #HEADER_MAX_CPUS]
	cmp	x0, x2
	b.hs	.Lno_cpu_area

	ldr	x3, [x1, #HEADER_PERCPU_SIZE]
	ldr	x4, [x1, #HEADER_CORE_SIZE]
	madd	x4, x0, x3, x4
	add	x4, x4, x1

	/* The driver does not clear the per-CPU areas; keep the stack. */
	ldr	x2, =PERCPU_STACK_END
	add	x2, x4, x2
	ldr	x3, =PERCPU_SIZE
	add	x3, x4, x3
1:	stp	xzr, xzr, [x2], #16
	cmp	x2, x3
	b.lo	1b

	ldr	x2, =PERCPU_LINUX_REGS
	add	x2, x4, x2
	stp	x5, x6, [x2, #0]
	stp	x7, x8, [x2, #16]
	stp	x9, x10, [x2, #32]
	stp	x11, x12, [x2, #48]
	stp	x13, x14, [x2, #64]
	stp	x15, x16, [x2, #80]
	stp	x17, x18, [x2, #96]
	stp	x19, x20, [x2, #112]
	stp	x21, x22, [x2, #128]
	stp	x23, x24, [x2, #144]
	stp	x25, x26, [x2, #160]
	stp	x27, x28, [x2, #176]
	stp	x29, x30, [x2, #192]

	mov	x19, x4			/* per-CPU area, physical */
	mov	x20, x1			/* image, physical */

	/* Linux's EL2 state the entry changes, in linux_el2_state order */
	ldr	x2, =PERCPU_LINUX_SP
	add	x2, x19, x2
	mov	x3, sp
	mrs	x4, elr_el2
	stp	x3, x4, [x2], #16
	mrs	x3, spsr_el2
	mrs	x4, vbar_el2
	stp	x3, x4, [x2], #16
	mrs	x3, hcr_el2
	mrs	x4, sctlr_el2
	stp	x3, x4, [x2], #16
	mrs	x3, tcr_el2
	mrs	x4, mair_el2
	stp	x3, x4, [x2], #16
	mrs	x3, ttbr0_el2
	mrs	x4, tpidr_el2
	stp	x3, x4, [x2], #16

	/*
	 * The system config lies behind the per-CPU areas; its header must
	 * be inside hypervisor memory, and that must fit in the one level-2
	 * table of the bootstrap map.
	 */
	ldr	w2, [x20, #HEADER_MAX_CPUS]
	ldr	x3, [x20, #HEADER_PERCPU_SIZE]
	ldr	x5, [x20, #HEADER_CORE_SIZE]
	madd	x5, x2, x3, x5
	add	x6, x20, x5
	ldr	w7, [x6, #SYSCONFIG_HV_SIZE]
	ldr	w8, [x6, #SYSCONFIG_HV_SIZE + 4]
	orr	x7, x7, x8, lsl #32
	add	x5, x5, #SYSCONFIG_SIZE
	cmp	x5, x7
	b.hi	.Lbad_layout

	ldr	x2, =PERCPU_PHYS_BASE
	add	x2, x19, x2
	str	x20, [x2]

	/* bootstrap tables: level 0, identity L1/L2, hypervisor L1/L2 */
	ldr	x2, =PERCPU_BOOT_PT
	add	x22, x19, x2
	add	x23, x22, #0x1000
	add	x24, x22, #0x2000
	add	x25, x22, #0x3000
	add	x26, x22, #0x4000

	ubfx	x2, x20, #39, #9
	orr	x3, x23, #PTE_TYPE_TABLE
	str	x3, [x22, x2, lsl #3]
	ubfx	x2, x20, #30, #9
	orr	x3, x24, #PTE_TYPE_TABLE
	str	x3, [x23, x2, lsl #3]
	ubfx	x2, x20, #21, #9
	ldr	x3, =BOOT_BLOCK_ATTR
	orr	x3, x3, x20
	str	x3, [x24, x2, lsl #3]

	ldr	x9, =HV_BASE
	ubfx	x2, x9, #39, #9
	orr	x3, x25, #PTE_TYPE_TABLE
	str	x3, [x22, x2, lsl #3]
	ubfx	x2, x9, #30, #9
	orr	x3, x26, #PTE_TYPE_TABLE
	str	x3, [x25, x2, lsl #3]
	ubfx	x2, x9, #21, #9
	ldr	x3, =(BLOCK_2M_SIZE - 1)
	add	x3, x7, x3
	lsr	x3, x3, #BLOCK_2M_SHIFT
	add	x10, x2, x3
	cmp	x10, #512
	b.hi	.Lbad_layout
	ldr	x11, =BOOT_BLOCK_ATTR
	orr	x11, x11, x20
2:	str	x11, [x26, x2, lsl #3]
	add	x11, x11, #BLOCK_2M_SIZE
	add	x2, x2, #1
	cmp	x2, x10
	b.lo	2b

	/*
	 * What was written with the MMU off must not be hidden by stale
	 * lines once caching is on; instructions of an earlier image must
	 * not survive in the instruction cache.
	 */
	dcache_line_size x3, x2
	ldr	x5, =PERCPU_STACK_END
	add	x5, x19, x5
	ldr	x6, =PERCPU_SIZE
	add	x6, x19, x6
3:	dc	ivac, x5
	add	x5, x5, x3
	cmp	x5, x6
	b.lo	3b
	dsb	sy
	ic	iallu
	dsb	nsh
	isb

	ldr	x2, =MAIR_EL2_VALUE
	msr	mair_el2, x2
	mrs	x3, id_aa64mmfr0_el1
	and	x3, x3, #ID_AA64MMFR0_PARANGE_MASK
	mov	x4, #5		/* no 52-bit output addresses */
	cmp	x3, x4
	csel	x3, x3, x4, ls
	ldr	x2, =(TCR_EL2_RES1 | TCR_T0SZ(HV_VA_BITS) | \
		      TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | \
		      TCR_SH0_INNER | TCR_TG0_4K)
	orr	x2, x2, x3, lsl #TCR_PS_SHIFT
	msr	tcr_el2, x2
	msr	ttbr0_el2, x22
	isb
	tlbi	alle2
	dsb	nsh
	isb
	ldr	x2, =(SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_I | \
		      SCTLR_SA)
	msr	sctlr_el2, x2
	isb

	/* on to the link address */
	ldr	x2, =HV_BASE
	sub	x2, x2, x20
	add	x19, x19, x2
	ldr	x3, =4f
	br	x3
4:
	/* from now on, faults are reported, not sent to Linux's stub */
	ldr	x2, =hyp_vectors
	msr	vbar_el2, x2
	isb
	msr	tpidr_el2, x19
	ldr	x3, =(PERCPU_STACK_END - CTX_SIZE)
	add	x3, x19, x3
	mov	sp, x3
	mov	x0, x19
	mov	x1, x20
	bl	entry
	/* entry() does not return */
5:	wfi
	b	5b

.Lbad_layout:
	ldr	x2, =PERCPU_LINUX_REGS
	add	x2, x19, x2
	ldp	x5, x6, [x2, #0]
	ldp	x7, x8, [x2, #16]
	ldp	x9, x10, [x2, #32]
	ldp	x11, x12, [x2, #48]
	ldp	x13, x14, [x2, #64]
	ldp	x15, x16, [x2, #80]
	ldp	x17, x18, [x2, #96]
	ldp	x19, x20, [x2, #112]
	ldp	x21, x22, [x2, #128]
	ldp	x23, x24, [x2, #144]
	ldp	x25, x26, [x2, #160]
	ldp	x27, x28, [x2, #176]
	ldp	x29, x30, [x2, #192]
.Lno_cpu_area:
	mov	x0, #-EINVAL
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	mov	x4, xzr
	eret

/*
 * arch_leave_hypervisor - back to Linux at EL1, or to the firmware
 * x0: per-CPU area, x1: frame to return to, x2: call PSCI CPU_OFF instead
 *
 * The caller restored everything but what the MMU switch needs.
 */
	.global arch_leave_hypervisor
arch_leave_hypervisor:
	mov	x19, x0
	mov	x20, x1
	mov	x21, x2
	ldr	x2, =PERCPU_PHYS_BASE
	ldr	x22, [x19, x2]

	/*
	 * Nothing of ours may stay dirty in the caches (design.md): the
	 * rest of the hypervisor memory that was written went to the point
	 * of coherency before the CPUs left, what this CPU may have written
	 * since lies in the image's data and bss or in its per-CPU area.
	 */
	dcache_line_size x3, x2
	ldr	x4, =__data_start
	ldr	x5, =__hv_core_end
1:	dc	civac, x4
	add	x4, x4, x3
	cmp	x4, x5
	b.lo	1b
	mov	x4, x19
	ldr	x5, =PERCPU_SIZE
	add	x5, x4, x5
3:	dc	civac, x4
	add	x4, x4, x3
	cmp	x4, x5
	b.lo	3b
	dsb	sy

	ldr	x2, =HV_BASE
	sub	x24, x22, x2
	add	x19, x19, x24
	add	x20, x20, x24

	/* the bootstrap tables map this code 1:1 */
	ldr	x2, =PERCPU_BOOT_PT
	add	x2, x19, x2
	msr	ttbr0_el2, x2
	isb
	tlbi	alle2
	dsb	nsh
	isb
	adr	x2, 2f
	add	x2, x2, x24
	br	x2
2:
	ldr	x2, =PERCPU_LINUX_SCTLR
	ldr	x3, [x19, x2]
	msr	sctlr_el2, x3
	isb
	tlbi	alle2
	dsb	nsh
	isb

	ldr	x2, =PERCPU_LINUX_TCR
	ldr	x3, [x19, x2]
	msr	tcr_el2, x3
	ldr	x2, =PERCPU_LINUX_MAIR
	ldr	x3, [x19, x2]
	msr	mair_el2, x3
	ldr	x2, =PERCPU_LINUX_TTBR0
	ldr	x3, [x19, x2]
	msr	ttbr0_el2, x3
	ldr	x2, =PERCPU_LINUX_TPIDR
	ldr	x3, [x19, x2]
	msr	tpidr_el2, x3
	ldr	x2, =PERCPU_LINUX_VBAR
	ldr	x3, [x19, x2]
	msr	vbar_el2, x3
	ldr	x2, =PERCPU_LINUX_SP
	ldr	x3, [x19, x2]
	mov	sp, x3
	isb

	cbnz	x21, .Lcpu_off

	ldp	x2, x3, [x20, #CTX_ELR]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldp	x2, x3, [x20, #16]
	ldp	x4, x5, [x20, #32]
	ldp	x6, x7, [x20, #48]
	ldp	x8, x9, [x20, #64]
	ldp	x10, x11, [x20, #80]
	ldp	x12, x13, [x20, #96]
	ldp	x14, x15, [x20, #112]
	ldp	x16, x17, [x20, #128]
	ldp	x18, x19, [x20, #144]
	ldp	x21, x22, [x20, #168]
	ldp	x23, x24, [x20, #184]
	ldp	x25, x26, [x20, #200]
	ldp	x27, x28, [x20, #216]
	ldp	x29, x30, [x20, #232]
	ldr	x1, [x20, #8]
	ldr	x0, [x20, #0]
	ldr	x20, [x20, #160]
	eret

.Lcpu_off:
	ldr	x0, =PSCI_CPU_OFF
	smc	#0
3:	wfi
	b	3b

	.ltorg
	.global arch_entry_end
arch_entry_end:
