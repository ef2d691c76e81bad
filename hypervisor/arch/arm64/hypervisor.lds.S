/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Layout of the hypervisor image: the header first, the entry code within
 * the first 2 MiB (the bootstrap identity map covers only that block),
 * text, read-only data, data, then bss up to the page-aligned core end,
 * behind which the per-CPU areas start.
 */
#include <generated/asm-defines.h>

OUTPUT_FORMAT("elf64-littleaarch64")
OUTPUT_ARCH(aarch64)
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
		*(.text.vectors)
		*(.text .text.*)
	}

	. = ALIGN(4096);
	__rodata_start = .;
	.rodata : { *(.rodata .rodata.*) }

	. = ALIGN(8);
	.device_fixups : {
		__device_fixups_start = .;
		KEEP(*(.device_fixups))
		__device_fixups_end = .;
	}

	. = ALIGN(8);
	.units : {
		__unit_array_start = .;
		/* the interrupt controller first (jailhouse/unit.h) */
		KEEP(*gic-common.o(.units))
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

	. = ALIGN(4096);
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

ASSERT(arch_entry_end - __hv_start <= 0x200000,
       "entry code outside of the bootstrap identity map")
