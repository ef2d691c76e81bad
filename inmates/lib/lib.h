/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Interfaces between the parts of the inmate library, not for programs.
 */
#ifndef _INMATE_LIB_H
#define _INMATE_LIB_H

/* struct exception_frame, shared with header.S */
#define FRAME_ELR	248
#define FRAME_SPSR	256
#define FRAME_SIZE	272

/* struct cpu_boot, read by header.S with the MMU off */
#define BOOT_MAIR	0
#define BOOT_TCR	8
#define BOOT_TTBR0	16
#define BOOT_SCTLR	24
#define BOOT_STACK	32
#define BOOT_VBAR	40
#define BOOT_INDEX	48

/* struct arrival, written by header.S with the MMU off */
#define ARRIVAL_GPRS	0
#define ARRIVAL_SP	8
#define ARRIVAL_TPIDR	16
#define ARRIVAL_VBAR	24
#define ARRIVAL_SCTLR	32
#define ARRIVAL_TTBR0	40
#define ARRIVAL_TCR	48
#define ARRIVAL_MAIR	56

#ifndef __ASSEMBLY__

#include "lib_common.h"

struct exception_frame {
	u64 regs[31];
	u64 elr;
	u64 spsr;
	u64 pad;
};

/*
 * Everything a secondary CPU needs before it can touch memory through the
 * caches; one per CPU started, cleaned to the point of coherency.
 */
struct cpu_boot {
	u64 mair;
	u64 tcr;
	u64 ttbr0;
	u64 sctlr;
	u64 stack_top;
	u64 vbar;
	u64 index;
	void (*entry)(void);
} __aligned(64);

/* Provided by the linker script */
extern char __image_start[], __end[], __cmdline[];
extern char vectors[];

/* header.S */
void secondary_entry(void);

/* mmu.c */
void mmu_init(void);
void mmu_fill_boot(struct cpu_boot *boot);
void dcache_clean_range(const void *start, size_t size);

/*
 * A message's load before the loads that follow it (DMB); a store done,
 * seen by the hypervisor on other CPUs, before what follows (DSB)
 */
#define comm_region_rmb()	dmb(ish)
#define comm_region_wmb()	dsb(ish)

/* setup.c */
bool probe_read32(unsigned long addr, u32 *val);
void poweroff(void);

/* gic.c, gic-v2.c, gic-v3.c */
struct gic_ops {
	int (*init)(void);
	void (*cpu_init)(void);
	void (*enable)(unsigned int irq, bool enable);
	u32 (*ack)(void);
	void (*eoi)(u32 irq);
	void (*send_sgi)(u64 mpidr, unsigned int sgi);
};

extern const struct gic_ops gic_v2_ops;
extern const struct gic_ops gic_v3_ops;

int gic_init(void);
void gic_cpu_init(void);
void irq_handle(void);

#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_IPRIORITYR		0x0400
#define GICD_ITARGETSR		0x0800
#define GICD_ICFGR		0x0c00
#define GICD_SGIR		0x0f00
#define GICD_IROUTER		0x6000

#define IRQ_PRIORITY		0xa0
#define IRQ_SPURIOUS		1020

/* timer.c */
bool timer_handle_delay_irq(void);

#endif /* !__ASSEMBLY__ */

#endif /* !_INMATE_LIB_H */
