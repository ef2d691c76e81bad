/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The second half of a 128 KiB firmware image for QEMU q35 (-bios) that
 * starts a cell's inmate image (NAME.bin, 64 KiB, the first half, with its
 * command line at 0x1000) the way a cell's CPU starts: in real mode at
 * 0xffff0, the image in RAM at 0xf0000, RAM below it.
 * check-bare-metal-x86.sh builds it.
 *
 * The CPU comes out of reset here, at the top of 4 GiB, where the chipset
 * always shows the ROM; below 1 MiB it shows the ROM's halves at 0xe0000
 * and 0xf0000 until the PAM registers put RAM there.  This code, which
 * stays in its segment at 0xffff0000, makes 0xc0000-0xeffff and
 * 0xf0000-0xfffff RAM, copies the image from the ROM still at 0xe0000 to
 * 0xf0000, makes 0xe0000 RAM as well and jumps to the image's reset stub
 * at 0xffff0.
 */
#define PCI_CONFIG_ADDRESS	0xcf8
#define PCI_CONFIG_DATA		0xcfc
/*
 * q35 host bridge 00:00.0: PAM0 (0xf0000, bits 5:4), PAM1..PAM6
 * (0xc0000..0xeffff, 16 KiB a nibble), in two dwords of config space
 */
#define MCH_PAM0		0x90
#define PAM_RAM			0x33	/* reads and writes RAM */

	.code16
	.text
	.globl	_start
_start:
	cli
	cld
	/* all but 0xe0000-0xeffff, where the image is to be read */
	mov	$((PAM_RAM & 0xf0) | (PAM_RAM << 8) | (PAM_RAM << 16) | \
		  (PAM_RAM << 24)), %ebx
	mov	$PAM_RAM, %ecx
	call	set_pam

	mov	$0xe000, %ax
	mov	%ax, %ds
	mov	$0xf000, %ax
	mov	%ax, %es
	xor	%si, %si
	xor	%di, %di
	mov	$0x8000, %cx
	rep movsw

	mov	$(PAM_RAM | (PAM_RAM << 8) | (PAM_RAM << 16)), %ecx
	call	set_pam

	/* as after reset, for what the image sees (cpu-state) */
	xor	%eax, %eax
	mov	%ax, %ds
	mov	%ax, %es
	xor	%ebx, %ebx
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%edi, %edi
	ljmp	$0xf000, $0xfff0

/* EBX to PAM0..PAM3, ECX to PAM4..PAM6 */
set_pam:
	mov	$(0x80000000 | MCH_PAM0), %eax
	mov	$PCI_CONFIG_ADDRESS, %dx
	outl	%eax, %dx
	mov	$PCI_CONFIG_DATA, %dx
	mov	%ebx, %eax
	outl	%eax, %dx
	mov	$(0x80000000 | (MCH_PAM0 + 4)), %eax
	mov	$PCI_CONFIG_ADDRESS, %dx
	outl	%eax, %dx
	mov	$PCI_CONFIG_DATA, %dx
	mov	%ecx, %eax
	outl	%eax, %dx
	ret

	/* the reset vector: CS base 0xffff0000, IP 0xfff0; IP wraps to 0 */
	.org	0xfff0
	.byte	0xe9
	.word	_start - 0xfff3 + 0x10000
	.org	0x10000, 0xf4

	.section .note.GNU-stack, "", @progbits
