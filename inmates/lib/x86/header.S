/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Start-up of every CPU, from 16-bit real mode (a cell's reset, or INIT
 * and SIPI) or 32-bit protected mode (a multiboot loader such as QEMU's
 * -kernel) to 64-bit long mode; the interrupt entry stubs.
 *
 * A cell's boot CPU starts at 0xffff0 (CS 0xf000, IP 0xfff0), the reset
 * stub at image offset 0xfff0, which jumps to boot_entry16: that records
 * the state the CPU arrived in (struct arrival), marks it the boot CPU
 * (ESI BOOT_CPU_MAGIC) and goes on at the trampoline.  Other CPUs come to
 * the trampoline's start at offset 0 by SIPI (vector INMATE_BASE >> 12),
 * which records their state in ap_arrival, with ESI as INIT left it (0;
 * anything but the magic would do).  The boot CPU clears bss and builds
 * the page tables; the others use them.
 */
#include "lib.h"

#define CR0_PE			(1 << 0)
#define CR0_NW			(1 << 29)
#define CR0_CD			(1 << 30)
#define CR0_PG			(1 << 31)
#define CR4_PAE			(1 << 5)
#define MSR_EFER		0xc0000080
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define EFER_LME		(1 << 8)


/* "BOOT": ESI on the boot CPU */
#define BOOT_CPU_MAGIC		0x544f4f42

#define MULTIBOOT_HEADER_MAGIC	0x1badb002
#define MULTIBOOT_BOOT_MAGIC	0x2badb002

	.section .boot, "ax"

/* Real-mode stores into the image: CS is its segment */
#define SAVE(reg, to, field) \
	mov	reg, %cs:(to - __trampoline + ARRIVAL_##field)

/*
 * The state the CPU arrived in, to @to; needs no stack, changes EAX, ECX
 * and EDX (after saving them)
 */
.macro	save_arrival to
	SAVE(%eax, \to, EAX)
	SAVE(%ebx, \to, EBX)
	SAVE(%ecx, \to, ECX)
	SAVE(%edx, \to, EDX)
	SAVE(%esi, \to, ESI)
	SAVE(%edi, \to, EDI)
	SAVE(%ebp, \to, EBP)
	SAVE(%esp, \to, ESP)
	mov	%cr0, %eax
	SAVE(%eax, \to, CR0)
	mov	%cr3, %eax
	SAVE(%eax, \to, CR3)
	mov	%cr4, %eax
	SAVE(%eax, \to, CR4)
	mov	$MSR_EFER, %ecx
	rdmsr
	SAVE(%eax, \to, EFER)
	SAVE(%edx, \to, EFER + 4)
	mov	$MSR_FS_BASE, %ecx
	rdmsr
	SAVE(%eax, \to, FS_BASE)
	SAVE(%edx, \to, FS_BASE + 4)
	mov	$MSR_GS_BASE, %ecx
	rdmsr
	SAVE(%eax, \to, GS_BASE)
	SAVE(%edx, \to, GS_BASE + 4)
	mov	%cs, %ax
	SAVE(%ax, \to, CS)
	mov	%ds, %ax
	SAVE(%ax, \to, DS)
	mov	%es, %ax
	SAVE(%ax, \to, ES)
	mov	%fs, %ax
	SAVE(%ax, \to, FS)
	mov	%gs, %ax
	SAVE(%ax, \to, GS)
	mov	%ss, %ax
	SAVE(%ax, \to, SS)
	movl	$1, %cs:(\to - __trampoline + ARRIVAL_VALID)
.endm

/*
 * Real mode, IP 0, any CS: nothing here depends on where the segment
 * starts (the far jump's target and the GDT's are linear addresses).
 * A CPU started by SIPI first records its state.
 */
	.code16
	.globl	__trampoline
__trampoline:
	save_arrival ap_arrival
trampoline_common:
	cli
	cld
	mov	%cs, %ax
	mov	%ax, %ds
	lgdtl	(gdt_ptr - __trampoline)
	mov	%cr0, %eax
	/* after reset the caches are off (CD, NW) */
	and	$~(CR0_CD | CR0_NW), %eax
	or	$CR0_PE, %eax
	mov	%eax, %cr0
	ljmpl	$GDT_CODE32, $start32

	.balign	8
gdt:
	.quad	0
	.quad	0x00cf9b000000ffff	/* GDT_CODE32: flat, 32-bit */
	.quad	0x00cf93000000ffff	/* GDT_DATA: flat */
	.quad	0x00af9b000000ffff	/* GDT_CODE64: long mode */
gdt_end:

gdt_ptr:
	.word	gdt_end - gdt - 1
	.long	gdt

/*
 * The boot CPU of a cell, from the reset stub: its state before anything
 * changes it, then the trampoline.
 */
boot_entry16:
	save_arrival arrival

	mov	$BOOT_CPU_MAGIC, %esi
	xor	%ebx, %ebx
	jmp	trampoline_common

	.balign	8
	.globl	arrival
arrival:
	.fill	ARRIVAL_SIZE, 1, 0
	.balign	8
	.globl	ap_arrival
ap_arrival:
	.fill	ARRIVAL_SIZE, 1, 0

	.balign	4
multiboot_header:
	.long	MULTIBOOT_HEADER_MAGIC
	.long	0
	.long	-MULTIBOOT_HEADER_MAGIC

	.code32
/*
 * Multiboot (v1): 32-bit protected mode, paging off, EAX the boot magic,
 * EBX the multiboot information (its command line).
 */
	.globl	multiboot_entry
multiboot_entry:
	cli
	cld
	cmp	$MULTIBOOT_BOOT_MAGIC, %eax
	je	1f
	xor	%ebx, %ebx
1:	lgdt	gdt_ptr
	ljmp	$GDT_CODE32, $2f
2:	mov	$BOOT_CPU_MAGIC, %esi

/* ESI: BOOT_CPU_MAGIC on the boot CPU; EBX: multiboot information or 0 */
start32:
	mov	$GDT_DATA, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	%ax, %fs
	mov	%ax, %gs

	cmp	$BOOT_CPU_MAGIC, %esi
	jne	enable_paging

	mov	$__bss_start, %edi
	mov	$__bss_end, %ecx
	sub	%edi, %ecx
	xor	%eax, %eax
	rep stosb

	/* PML4[0] -> PDPT, PDPT[0..3] -> the four PDs */
	mov	$pdpt + (PTE_P | PTE_RW), %eax
	mov	%eax, pml4
	mov	$pdpt, %edi
	mov	$pd + (PTE_P | PTE_RW), %eax
	mov	$4, %ecx
3:	mov	%eax, (%edi)
	add	$0x1000, %eax
	add	$8, %edi
	loop	3b

	mov	$pd, %edi
	mov	$(PTE_P | PTE_RW | PTE_PS), %eax
	mov	$PD_ENTRIES, %ecx
4:	mov	%eax, %edx
	cmp	$CACHED_LIMIT, %eax
	jb	5f
	or	$(PTE_PCD | PTE_PWT), %edx
5:	mov	%edx, (%edi)
	add	$0x200000, %eax
	add	$8, %edi
	loop	4b

enable_paging:
	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$pml4, %eax
	mov	%eax, %cr3
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	mov	%cr0, %eax
	or	$CR0_PG, %eax
	mov	%eax, %cr0
	ljmp	$GDT_CODE64, $start64

	.code64
start64:
	cmp	$BOOT_CPU_MAGIC, %esi
	jne	1f
	mov	$__stack_top, %rsp
	mov	%ebx, %edi
	call	inmate_startup
	jmp	halt

	/* smp.c set the stack before the SIPI */
1:	mov	smp_ap_stack(%rip), %rsp
	call	smp_ap_entry
	jmp	halt

/*
 * Interrupt entry: one stub per vector, IRQ_STUB_SIZE bytes apart, that
 * pushes an error code where the CPU does not, and the vector.
 */
	.text
	.balign	IRQ_STUB_SIZE
	.globl	irq_stubs
irq_stubs:
	.set	vector, 0
	.rept	256
	.balign	IRQ_STUB_SIZE
	/* exceptions 8, 10-14, 17, 21, 29 and 30 push an error code */
	.if	vector >= 32
	pushq	$0
	.elseif	((0x60227d00 >> vector) & 1) == 0
	pushq	$0
	.endif
	pushq	$vector
	jmp	irq_common
	.set	vector, vector + 1
	.endr

irq_common:
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	/* 22 words on the stack since the CPU aligned it: aligned again */
	mov	%rsp, %rdi
	cld
	call	handle_interrupt
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
	add	$16, %rsp
	iretq

/* The CPU's reset vector in a cell: image offset 0xfff0 */
	.section .reset, "ax"
	.code16
	.globl	__reset
__reset:
	ljmp	$__trampoline_segment, $(boot_entry16 - __trampoline)
	/* the image ends with the reset stub's 16 bytes */
	.balign	16, 0xf4

	.section .note.GNU-stack, "", @progbits
