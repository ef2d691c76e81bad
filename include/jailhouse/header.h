/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The header at the start of the hypervisor image (jailhouse.bin): the
 * contract between the driver that loads the image and the hypervisor.
 * See Documentation/design.md for the memory layout and the entry protocol.
 */
#ifndef _JAILHOUSE_HEADER_H
#define _JAILHOUSE_HEADER_H

#include <jailhouse/types.h>

/* 8 bytes with NUL */
#define JAILHOUSE_HEADER_SIGNATURE	"JHIMAGE"
#define JAILHOUSE_HEADER_REVISION	1

#define JAILHOUSE_PAGE_SIZE		0x1000

/*
 * Hypervisor virtual address of the image start: EL2 on arm64; on x86-64
 * in the hole of Linux's address space at -512 GiB, which Linux never
 * maps, so that the driver's entry tables can map the image and a page of
 * the driver's code side by side (Documentation/x86.md).
 */
#ifndef __x86_64__
#define JAILHOUSE_BASE			0x0000ffffc0200000ULL
#else
#define JAILHOUSE_BASE			0xffffff8000000000ULL
#endif

/*
 * Console ring buffer, one page, mapped read-only into the root cell so that
 * the driver can read it while the hypervisor runs.  The writer makes "busy"
 * odd while it changes the content; readers retry when they saw it odd or
 * changed.  "tail" counts every byte ever written; the byte n lives at
 * content[n % JAILHOUSE_CONSOLE_SIZE].
 */
#define JAILHOUSE_CONSOLE_SIZE		(JAILHOUSE_PAGE_SIZE - 8)

struct jailhouse_console_page {
	volatile __u32 busy;
	volatile __u32 tail;
	char content[JAILHOUSE_CONSOLE_SIZE];
} __attribute__((packed));

struct jailhouse_header {
	/* Set when the image is built. */
	char signature[8];
	__u32 revision;
	__u32 arch;		/* JAILHOUSE_ARM64, ... */
	__u64 core_size;	/* image size including bss, page aligned */
	__u64 percpu_size;	/* one CPU's per-CPU area, page aligned */
	__u64 entry;		/* entry code, offset from image start */
	__u64 console_page;	/* struct jailhouse_console_page, offset */
	char version[32];	/* NUL-terminated release string */

	/* Set by the driver before the first CPU enters. */
	__u32 max_cpus;		/* per-CPU areas of CPUs 0..max_cpus-1 */
	__u32 online_cpus;	/* CPUs that will call the entry */
} __attribute__((packed));

#endif /* !_JAILHOUSE_HEADER_H */
