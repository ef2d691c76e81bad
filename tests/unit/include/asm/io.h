/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host substitute for the x86 hypervisor's asm/io.h: port I/O goes to the
 * test's fakes.
 */
#ifndef _TEST_ASM_IO_H
#define _TEST_ASM_IO_H

#include <jailhouse/types.h>

u8 inb(u16 port);
u32 inl(u16 port);
void outb(u8 value, u16 port);

#endif /* !_TEST_ASM_IO_H */
