/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Fixed-width types of the inmate library.  This directory comes first in
 * the include path, so the ABI headers in include/jailhouse/ take their
 * __u8 .. __u64 from here rather than from Linux.
 */
#ifndef _JAILHOUSE_TYPES_H
#define _JAILHOUSE_TYPES_H

#ifndef __ASSEMBLY__

typedef signed char s8;
typedef unsigned char u8;
typedef signed short s16;
typedef unsigned short u16;
typedef signed int s32;
typedef unsigned int u32;
typedef signed long long s64;
typedef unsigned long long u64;

typedef s8 __s8;
typedef u8 __u8;
typedef s16 __s16;
typedef u16 __u16;
typedef s32 __s32;
typedef u32 __u32;
typedef s64 __s64;
typedef u64 __u64;

typedef __SIZE_TYPE__ size_t;

typedef _Bool bool;
#define true	1
#define false	0

#define NULL	((void *)0)

#endif /* !__ASSEMBLY__ */

#endif /* !_JAILHOUSE_TYPES_H */
