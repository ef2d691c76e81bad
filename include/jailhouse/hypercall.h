/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Hypercall codes, their arguments and results, and the communication
 * region shared between the hypervisor and a non-root cell.
 *
 * arm64 calling convention: "hvc #JAILHOUSE_HVC_CODE", code in x0,
 * arguments in x1 and x2, result in x0 (negative errno on failure).
 * x86 (AMD): "vmmcall", code in rax, arguments in rdi and rsi, result in
 * rax.
 */
#ifndef _JAILHOUSE_HYPERCALL_H
#define _JAILHOUSE_HYPERCALL_H

#include <jailhouse/cell-config.h>

#define JAILHOUSE_HVC_CODE			0x4a48

#define JAILHOUSE_HC_DISABLE			0
#define JAILHOUSE_HC_CELL_CREATE		1
#define JAILHOUSE_HC_CELL_START			2
#define JAILHOUSE_HC_CELL_SET_LOADABLE		3
#define JAILHOUSE_HC_CELL_DESTROY		4
#define JAILHOUSE_HC_HYPERVISOR_GET_INFO	5
#define JAILHOUSE_HC_CELL_GET_STATE		6
#define JAILHOUSE_HC_CPU_GET_INFO		7
#define JAILHOUSE_HC_DEBUG_CONSOLE_PUTC		8

/* Hypervisor information type */
#define JAILHOUSE_INFO_MEM_POOL_SIZE		0
#define JAILHOUSE_INFO_MEM_POOL_USED		1
#define JAILHOUSE_INFO_REMAP_POOL_SIZE		2
#define JAILHOUSE_INFO_REMAP_POOL_USED		3
#define JAILHOUSE_INFO_NUM_CELLS		4

/* Cell states, also written by the cell into its comm region */
#define JAILHOUSE_CELL_RUNNING			0
#define JAILHOUSE_CELL_RUNNING_LOCKED		1
#define JAILHOUSE_CELL_SHUT_DOWN		2
#define JAILHOUSE_CELL_FAILED			3
#define JAILHOUSE_CELL_FAILED_COMM_REV		4

/* CPU information type and CPU states */
#define JAILHOUSE_CPU_INFO_STATE		0
#define JAILHOUSE_CPU_RUNNING			0
#define JAILHOUSE_CPU_FAILED			2
#define JAILHOUSE_CPU_INFO_STAT_BASE		1000

/* CPU statistics, common part */
#define JAILHOUSE_CPU_STAT_VMEXITS_TOTAL	0
#define JAILHOUSE_CPU_STAT_VMEXITS_MMIO		1
#define JAILHOUSE_CPU_STAT_VMEXITS_MANAGEMENT	2
#define JAILHOUSE_CPU_STAT_VMEXITS_HYPERCALL	3
#define JAILHOUSE_GENERIC_CPU_STATS		4

/* CPU statistics, arm and arm64 */
#define JAILHOUSE_CPU_STAT_VMEXITS_MAINTENANCE \
	(JAILHOUSE_GENERIC_CPU_STATS + 0)
#define JAILHOUSE_CPU_STAT_VMEXITS_VIRQ \
	(JAILHOUSE_GENERIC_CPU_STATS + 1)
#define JAILHOUSE_CPU_STAT_VMEXITS_VSGI \
	(JAILHOUSE_GENERIC_CPU_STATS + 2)
#define JAILHOUSE_CPU_STAT_VMEXITS_PSCI \
	(JAILHOUSE_GENERIC_CPU_STATS + 3)
#define JAILHOUSE_CPU_STAT_VMEXITS_SMCCC \
	(JAILHOUSE_GENERIC_CPU_STATS + 4)
#define JAILHOUSE_ARM_NUM_CPU_STATS \
	(JAILHOUSE_GENERIC_CPU_STATS + 5)

/* CPU statistics, x86 */
#define JAILHOUSE_CPU_STAT_VMEXITS_PIO		(JAILHOUSE_GENERIC_CPU_STATS + 0)
#define JAILHOUSE_CPU_STAT_VMEXITS_XAPIC	(JAILHOUSE_GENERIC_CPU_STATS + 1)
#define JAILHOUSE_CPU_STAT_VMEXITS_CR		(JAILHOUSE_GENERIC_CPU_STATS + 2)
#define JAILHOUSE_CPU_STAT_VMEXITS_CPUID	(JAILHOUSE_GENERIC_CPU_STATS + 3)
#define JAILHOUSE_CPU_STAT_VMEXITS_XSETBV	(JAILHOUSE_GENERIC_CPU_STATS + 4)
#define JAILHOUSE_CPU_STAT_VMEXITS_EXCEPTION	(JAILHOUSE_GENERIC_CPU_STATS + 5)
#define JAILHOUSE_CPU_STAT_VMEXITS_MSR_OTHER	(JAILHOUSE_GENERIC_CPU_STATS + 6)
#define JAILHOUSE_CPU_STAT_VMEXITS_MSR_X2APIC_ICR \
	(JAILHOUSE_GENERIC_CPU_STATS + 7)
#define JAILHOUSE_X86_NUM_CPU_STATS		(JAILHOUSE_GENERIC_CPU_STATS + 8)

/* Messages to a cell and its replies (comm region) */
#define JAILHOUSE_MSG_NONE			0
#define JAILHOUSE_MSG_SHUTDOWN_REQUEST		1
#define JAILHOUSE_MSG_RECONFIG_COMPLETED	2

#define JAILHOUSE_MSG_UNKNOWN			1
#define JAILHOUSE_MSG_REQUEST_DENIED		2
#define JAILHOUSE_MSG_REQUEST_APPROVED		3
#define JAILHOUSE_MSG_RECEIVED			4

#define JAILHOUSE_COMM_REGION_SIGNATURE		"JHCOMM"
#define JAILHOUSE_COMM_REGION_ABI_REVISION	2

/* comm region flags */
#define JAILHOUSE_COMM_FLAG_DBG_PUTC_PERMITTED	0x0001
#define JAILHOUSE_COMM_FLAG_DBG_PUTC_ACTIVE	0x0002

#define COMM_REGION_DBG_PUTC_PERMITTED(flags) \
	!!((flags) & JAILHOUSE_COMM_FLAG_DBG_PUTC_PERMITTED)
#define COMM_REGION_DBG_PUTC_ACTIVE(flags) \
	!!((flags) & JAILHOUSE_COMM_FLAG_DBG_PUTC_ACTIVE)

/*
 * The fields the cell reads or writes while it runs are volatile: the
 * hypervisor changes them behind the cell's back, and the other way round.
 */
struct jailhouse_comm_region {
	char signature[6];
	__u16 revision;
	volatile __u32 cell_state;
	volatile __u32 msg_to_cell;
	volatile __u32 reply_from_cell;
	__u32 flags;
	struct jailhouse_console console;
	__u64 pci_mmconfig_base;
	union {
		struct {
			__u8 gic_version;
			__u8 padding[7];
			__u64 gicd_base;
			__u64 gicc_base;
			__u64 gicr_base;
			__u32 vpci_irq_base;
		} __attribute__((packed)) arm;
		struct {
			__u16 pm_timer_address;
			__u16 num_cpus;
			__u32 tsc_khz;
			__u32 apic_khz;
		} __attribute__((packed)) x86;
	};
} __attribute__((packed));

#endif /* !_JAILHOUSE_HYPERCALL_H */
