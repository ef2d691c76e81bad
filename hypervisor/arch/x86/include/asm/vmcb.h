/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The AMD SVM virtual machine control block (AMD64 APM vol. 2, appendix B)
 * and the constants of its fields.  Only svm*.c include this file.
 */
#ifndef _JAILHOUSE_ASM_VMCB_H
#define _JAILHOUSE_ASM_VMCB_H

#include <jailhouse/types.h>

/* intercept_misc1 */
#define SVM_INTERCEPT_INTR		(1U << 0)
#define SVM_INTERCEPT_NMI		(1U << 1)
#define SVM_INTERCEPT_INIT		(1U << 3)
#define SVM_INTERCEPT_RDPMC		(1U << 15)
#define SVM_INTERCEPT_CPUID		(1U << 18)
#define SVM_INTERCEPT_INVD		(1U << 22)
#define SVM_INTERCEPT_HLT		(1U << 24)
#define SVM_INTERCEPT_INVLPGA		(1U << 26)
#define SVM_INTERCEPT_IOIO_PROT		(1U << 27)
#define SVM_INTERCEPT_MSR_PROT		(1U << 28)
#define SVM_INTERCEPT_SHUTDOWN		(1U << 31)
/* intercept_misc2 */
#define SVM_INTERCEPT_VMRUN		(1U << 0)
#define SVM_INTERCEPT_VMMCALL		(1U << 1)
#define SVM_INTERCEPT_VMLOAD		(1U << 2)
#define SVM_INTERCEPT_VMSAVE		(1U << 3)
#define SVM_INTERCEPT_STGI		(1U << 4)
#define SVM_INTERCEPT_CLGI		(1U << 5)
#define SVM_INTERCEPT_SKINIT		(1U << 6)
#define SVM_INTERCEPT_WBINVD		(1U << 9)

/* tlb_control */
#define SVM_TLB_FLUSH_ALL		1
#define SVM_TLB_FLUSH_GUEST		3

/* np_enable */
#define SVM_NP_ENABLE			(1UL << 0)

/* event_inj */
#define SVM_EVENTINJ_VALID		(1UL << 31)
#define SVM_EVENTINJ_NMI		(2UL << 8)
#define SVM_EVENTINJ_EXCEPTION		(3UL << 8)
#define SVM_EVENTINJ_ERROR_CODE		(1UL << 11)

/* exit_info1 of a nested page fault */
#define SVM_NPF_WRITE			(1UL << 1)
#define SVM_NPF_FETCH			(1UL << 4)

/* exit codes */
#define SVM_EXIT_EXCP_BASE		0x040
#define SVM_EXIT_INTR			0x060
#define SVM_EXIT_NMI			0x061
#define SVM_EXIT_INIT			0x063
#define SVM_EXIT_RDPMC			0x06f
#define SVM_EXIT_CPUID			0x072
#define SVM_EXIT_INVD			0x076
#define SVM_EXIT_HLT			0x078
#define SVM_EXIT_INVLPGA		0x07a
#define SVM_EXIT_IOIO			0x07b
#define SVM_EXIT_MSR			0x07c
#define SVM_EXIT_SHUTDOWN		0x07f
#define SVM_EXIT_VMRUN			0x080
#define SVM_EXIT_VMMCALL		0x081
#define SVM_EXIT_VMLOAD			0x082
#define SVM_EXIT_VMSAVE			0x083
#define SVM_EXIT_STGI			0x084
#define SVM_EXIT_CLGI			0x085
#define SVM_EXIT_SKINIT			0x086
#define SVM_EXIT_WBINVD			0x089
#define SVM_EXIT_NPF			0x400
#define SVM_EXIT_INVALID		(~0ULL)

/* exit_info1 of an IOIO exit */
#define SVM_IOIO_IN			(1UL << 0)
#define SVM_IOIO_STR			(1UL << 2)
#define SVM_IOIO_REP			(1UL << 3)
#define SVM_IOIO_SIZE_SHIFT		4
#define SVM_IOIO_SIZE_MASK		(7UL << SVM_IOIO_SIZE_SHIFT)
#define SVM_IOIO_PORT_SHIFT		16

/* exit_info1 of an MSR exit */
#define SVM_MSR_WRITE			1

/* Sizes of the permission maps. */
#define SVM_IOPM_PAGES			3
#define SVM_MSRPM_PAGES			2

/* Segment attributes: descriptor bits 47:40 and 55:52. */
#define SVM_SEG_ATTR_CODE64		0x0a9b	/* G, L, P, S, code RXA */
#define SVM_SEG_ATTR_DATA		0x0c93	/* G, D/B, P, S, data RWA */
#define SVM_SEG_ATTR_RM_CODE		0x009b	/* P, S, code RXA */
#define SVM_SEG_ATTR_RM_DATA		0x0093	/* P, S, data RWA */
#define SVM_SEG_ATTR_LDT		0x0082	/* P, LDT */
#define SVM_SEG_ATTR_TSS_BUSY		0x008b	/* P, busy TSS */
#define SVM_SEG_ATTR_L			0x0200	/* 64-bit code */
#define SVM_SEG_ATTR_DB			0x0400	/* 32-bit default size */

struct vmcb_segment {
	u16 selector;
	u16 attrib;
	u32 limit;
	u64 base;
};

struct vmcb {
	/* control area */
	u32 intercept_cr;
	u32 intercept_dr;
	u32 intercept_exceptions;
	u32 intercept_misc1;
	u32 intercept_misc2;
	u32 intercept_misc3;
	u8 reserved_018[0x03c - 0x018];
	u16 pause_filter_threshold;
	u16 pause_filter_count;
	u64 iopm_base_pa;
	u64 msrpm_base_pa;
	u64 tsc_offset;
	u32 guest_asid;
	u8 tlb_control;
	u8 reserved_05d[3];
	u64 int_ctl;
	u64 int_shadow;
	u64 exitcode;
	u64 exitinfo1;
	u64 exitinfo2;
	u64 exitintinfo;
	u64 np_enable;
	u64 avic_apic_bar;
	u64 ghcb_pa;
	u64 event_inj;
	u64 n_cr3;
	u64 lbr_virt;
	u32 clean_bits;
	u32 reserved_0c4;
	u64 next_rip;
	u8 insn_len;
	u8 insn_bytes[15];
	u8 reserved_0e0[0x400 - 0x0e0];

	/* state save area */
	struct vmcb_segment es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr;
	u8 reserved_4a0[0x4cb - 0x4a0];
	u8 cpl;
	u32 reserved_4cc;
	u64 efer;
	u8 reserved_4d8[0x548 - 0x4d8];
	u64 cr4;
	u64 cr3;
	u64 cr0;
	u64 dr7;
	u64 dr6;
	u64 rflags;
	u64 rip;
	u8 reserved_580[0x5d8 - 0x580];
	u64 rsp;
	u64 s_cet;
	u64 ssp;
	u64 isst_addr;
	u64 rax;
	u64 star;
	u64 lstar;
	u64 cstar;
	u64 sfmask;
	u64 kernel_gs_base;
	u64 sysenter_cs;
	u64 sysenter_esp;
	u64 sysenter_eip;
	u64 cr2;
	u8 reserved_648[0x668 - 0x648];
	u64 g_pat;
	u64 dbgctl;
	u64 br_from;
	u64 br_to;
	u64 last_excp_from;
	u64 last_excp_to;
	u8 reserved_698[0x1000 - 0x698];
};

/* Every field is naturally aligned: the layout needs no packing. */
_Static_assert(__builtin_offsetof(struct vmcb, exitcode) == 0x070 &&
	       __builtin_offsetof(struct vmcb, n_cr3) == 0x0b0 &&
	       __builtin_offsetof(struct vmcb, es) == 0x400 &&
	       __builtin_offsetof(struct vmcb, cpl) == 0x4cb &&
	       __builtin_offsetof(struct vmcb, efer) == 0x4d0 &&
	       __builtin_offsetof(struct vmcb, cr4) == 0x548 &&
	       __builtin_offsetof(struct vmcb, rsp) == 0x5d8 &&
	       __builtin_offsetof(struct vmcb, rax) == 0x5f8 &&
	       __builtin_offsetof(struct vmcb, g_pat) == 0x668 &&
	       sizeof(struct vmcb) == 0x1000, "VMCB layout");

#endif /* !_JAILHOUSE_ASM_VMCB_H */
