/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Every x86 inmate image, linked at INMATE_BASE (--defsym): 0xf0000 for
 * cells, 0x40000 for QEMU q35 without a hypervisor (multiboot).  The
 * sizes come from include/inmate.h (make runs this file through cpp).
 *
 *   +0x0000          .boot: real-mode trampoline (SIPI target), GDT,
 *                    multiboot header, 32-bit start-up
 *   +CMDLINE_OFFSET  command line, CMDLINE_SIZE bytes: not loaded, so the
 *                    flat binary has zeros there
 *   +CODE_OFFSET     code, read-only data, data
 *   +0xfff0          .reset: the reset vector of a cell's boot CPU
 *                    (0xffff0), the image's last 16 bytes
 *
 * bss, page tables and stacks lie in the BSS_SIZE bytes below the image:
 * the IMAGE_SIZE bytes up to the reset vector are for what the image
 * carries.
 */
#include <inmate.h>

ENTRY(multiboot_entry)

PHDRS
{
	bss PT_LOAD;
	boot PT_LOAD;
	text PT_LOAD;
	reset PT_LOAD;
}

SECTIONS
{
	. = INMATE_BASE - BSS_SIZE;
	.bss (NOLOAD) : {
		__bss_start = .;
		*(.bss.page_aligned)
		*(.bss .bss.*)
		*(COMMON)
		. = ALIGN(16);
		. += 0x2000;
		__stack_top = .;
		. = ALIGN(8);
		__bss_end = .;
	} :bss
	ASSERT(__bss_end <= INMATE_BASE, "bss larger than BSS_SIZE")

	. = INMATE_BASE;
	__image_start = .;
	__trampoline_segment = INMATE_BASE >> 4;
	.boot : {
		KEEP(*(.boot))
	} :boot
	ASSERT(. <= INMATE_BASE + CMDLINE_OFFSET, "start-up code too large")

	. = INMATE_BASE + CMDLINE_OFFSET;
	.cmdline (NOLOAD) : {
		__cmdline = .;
		. += CMDLINE_SIZE;
	} :NONE

	. = INMATE_BASE + CODE_OFFSET;
	.text : {
		*(.text .text.*)
	} :text
	.rodata : {
		*(.rodata .rodata.*)
	} :text

	. = ALIGN(16);
	.data : {
		*(.data .data.*)
	} :text
	ASSERT(. <= INMATE_BASE + IMAGE_SIZE - 16, "image larger than 64 KiB")

	. = INMATE_BASE + IMAGE_SIZE - 16;
	.reset : {
		KEEP(*(.reset))
	} :reset
	ASSERT(. == INMATE_BASE + IMAGE_SIZE, "reset stub not 16 bytes")

	/DISCARD/ : {
		*(.comment) *(.note*) *(.eh_frame*) *(.interp) *(.dynamic)
	}
}
