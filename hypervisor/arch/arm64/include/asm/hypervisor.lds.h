/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arm64 parts of the hypervisor's linker script (hypervisor.lds.S):
 * the exception vectors beside the entry code, the fixup table of the
 * device accessor (mmio-access.S), the interrupt controller as the first
 * unit (jailhouse/unit.h), a page-aligned core end, and the entry code
 * within the first 2 MiB, the block the bootstrap identity map covers.
 */
#define ARCH_LDS_OUTPUT							\
	OUTPUT_FORMAT("elf64-littleaarch64")				\
	OUTPUT_ARCH(aarch64)

#define ARCH_LDS_TEXT	*(.text.vectors)

#define ARCH_LDS_RODATA							\
	. = ALIGN(8);							\
	.device_fixups : {						\
		__device_fixups_start = .;				\
		KEEP(*(.device_fixups))					\
		__device_fixups_end = .;				\
	}

#define ARCH_LDS_UNITS_FIRST	KEEP(*gic-common.o(.units))

#define ARCH_LDS_CORE_ALIGN	4096

#define ARCH_LDS_ASSERTS						\
	ASSERT(arch_entry_end - __hv_start <= 0x200000,			\
	       "entry code outside of the bootstrap identity map")
