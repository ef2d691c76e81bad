/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Port I/O of the x86 hypervisor.
 */
#ifndef _JAILHOUSE_ASM_IO_H
#define _JAILHOUSE_ASM_IO_H

#include <jailhouse/types.h>

static inline u8 inb(u16 port)
{
	u8 value;

	asm volatile("inb %1, %0" : "=a" (value) : "Nd" (port));
	return value;
}

static inline u32 inl(u16 port)
{
	u32 value;

	asm volatile("inl %1, %0" : "=a" (value) : "Nd" (port));
	return value;
}

static inline void outb(u8 value, u16 port)
{
	asm volatile("outb %0, %1" : : "a" (value), "Nd" (port));
}

#endif /* !_JAILHOUSE_ASM_IO_H */
