/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Layout of the x86-64 hypervisor image: the header first, text, read-only
 * data, data, then bss up to the core end, aligned to the per-CPU areas'
 * 16 KiB (asm/percpu.h), behind which they start.
 */
#include <generated/asm-defines.h>

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(arch_entry)

SECTIONS
{
	. = HV_BASE;
	__hv_start = .;

	.header : { KEEP(*(.header)) }

	. = ALIGN(4096);
	.text : {
		__text_start = .;
		*(.text.entry)
		*(.text .text.*)
	}

	. = ALIGN(4096);
	__rodata_start = .;
	.rodata : { *(.rodata .rodata.*) }
	/* addresses the position-independent code loads, link-time values */
	.got : { *(.got .got.plt) }

	. = ALIGN(8);
	.units : {
		__unit_array_start = .;
		KEEP(*(.units))
		__unit_array_end = .;
	}

	. = ALIGN(4096);
	__data_start = .;
	.data : { *(.data .data.*) }

	. = ALIGN(4096);
	.console : { *(.console) }

	.bss (NOLOAD) : {
		*(.bss .bss.*)
		*(COMMON)
	}

	. = ALIGN(16384);
	__hv_core_end = .;

	/* Values for the header, filled in by the linker. */
	__core_size = ABSOLUTE(__hv_core_end - __hv_start);
	__entry_offset = ABSOLUTE(arch_entry - __hv_start);
	__console_offset = ABSOLUTE(console_page - __hv_start);

	/DISCARD/ : {
		*(.comment)
		*(.note .note.*)
		*(.eh_frame)
		*(.interp)
		*(.dynamic)
	}
}
