/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86-64 parts of the hypervisor's linker script (hypervisor.lds.S):
 * the GOT, and the core end aligned to the per-CPU areas' 16 KiB
 * (PERCPU_ALIGN, asm/percpu.h).
 */
#define ARCH_LDS_OUTPUT							\
	OUTPUT_FORMAT("elf64-x86-64")					\
	OUTPUT_ARCH(i386:x86-64)

#define ARCH_LDS_TEXT

/* addresses the position-independent code loads, link-time values */
#define ARCH_LDS_RODATA		.got : { *(.got .got.plt) }

#define ARCH_LDS_UNITS_FIRST

#define ARCH_LDS_CORE_ALIGN	16384

#define ARCH_LDS_ASSERTS
