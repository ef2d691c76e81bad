/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Layout of the hypervisor image: the header first, text, read-only data,
 * data, then bss up to the core end, behind which the per-CPU areas
 * start.  What the architectures add is in asm/hypervisor.lds.h.
 */
#include <generated/asm-defines.h>
#include <asm/hypervisor.lds.h>

ARCH_LDS_OUTPUT
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
		ARCH_LDS_TEXT
		*(.text .text.*)
	}

	. = ALIGN(4096);
	__rodata_start = .;
	.rodata : { *(.rodata .rodata.*) }
	ARCH_LDS_RODATA

	. = ALIGN(8);
	.units : {
		__unit_array_start = .;
		ARCH_LDS_UNITS_FIRST
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

	. = ALIGN(ARCH_LDS_CORE_ALIGN);
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

ARCH_LDS_ASSERTS
