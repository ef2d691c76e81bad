/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GICv3 register layout: distributor, redistributor and the system
 * register CPU interface (ICC_*) with its virtualization controls (ICH_*).
 * Names and offsets follow the GICv3/v4 architecture specification.
 */
#ifndef _JAILHOUSE_ASM_GIC_V3_H
#define _JAILHOUSE_ASM_GIC_V3_H

#include <asm/gic.h>
#include <asm/gic_v3_sysregs.h>

/* Distributor (GICD), 64 KiB; the registers of both versions: asm/gic.h */
#define GICD_SIZE			0x10000

/* GICD_CTLR */
#define  GICD_CTLR_ENABLE_GRP0		(1 << 0)
#define  GICD_CTLR_ENABLE_GRP1NS	(1 << 1)
#define  GICD_CTLR_ENABLE_GRP1S		(1 << 2)
#define  GICD_CTLR_ARE_S		(1 << 4)
#define  GICD_CTLR_ARE_NS		(1 << 5)
#define  GICD_CTLR_DS			(1 << 6)
#define  GICD_CTLR_RWP			(1U << 31)
#define  GICD_TYPER_MBIS		(1 << 16)
#define GICD_TYPER2			0x000c
#define GICD_STATUSR			0x0010
#define GICD_SETSPI_NSR			0x0040
#define GICD_CLRSPI_NSR			0x0048
#define  GICD_SPI_INTID_MASK		0x1fff
#define GICD_IGRPMODR			0x0d00
/* GICD_IROUTER<n> is at + 8 * n, for INTIDs n >= 32 */
#define GICD_IROUTER			0x6000
#define  GICD_IROUTER_IRM		(1ULL << 31)
#define  GICD_IROUTER_AFF_MASK		0x000000ff00ffffffULL
#define GICD_IDREGS			0xffd0
#define GICD_PIDR2			0xffe8
#define  GIC_PIDR2_ARCH(pidr2)		(((pidr2) >> 4) & 0xf)

/* Redistributor (GICR): RD_base frame, then SGI_base frame (+64 KiB) */
#define GICR_FRAME_SIZE			0x10000
#define GICR_V3_STRIDE			(2 * GICR_FRAME_SIZE)
#define GICR_V4_STRIDE			(4 * GICR_FRAME_SIZE)
#define GICR_SGI_BASE			GICR_FRAME_SIZE

#define GICR_CTLR			0x0000
#define GICR_IIDR			0x0004
#define GICR_TYPER			0x0008
#define  GICR_TYPER_PLPIS		(1ULL << 0)
#define  GICR_TYPER_VLPIS		(1ULL << 1)
#define  GICR_TYPER_DIRECT_LPI		(1ULL << 3)
#define  GICR_TYPER_LAST		(1ULL << 4)
#define  GICR_TYPER_AFFINITY(typer)	((u32)((typer) >> 32))
#define GICR_STATUSR			0x0010
#define GICR_WAKER			0x0014
#define  GICR_WAKER_PROCESSOR_SLEEP	(1 << 1)
#define  GICR_WAKER_CHILDREN_ASLEEP	(1 << 2)
#define GICR_PROPBASER			0x0070
#define GICR_PENDBASER			0x0078
#define GICR_IDREGS			GICD_IDREGS
#define GICR_PIDR2			GICD_PIDR2

/* In the SGI_base frame; same layout as the first GICD register of a bank */
#define GICR_IGROUPR0			GICD_IGROUPR
#define GICR_ISENABLER0			GICD_ISENABLER
#define GICR_ICENABLER0			GICD_ICENABLER
#define GICR_ISPENDR0			GICD_ISPENDR
#define GICR_ICPENDR0			GICD_ICPENDR
#define GICR_ISACTIVER0			GICD_ISACTIVER
#define GICR_ICACTIVER0			GICD_ICACTIVER
#define GICR_IPRIORITYR			GICD_IPRIORITYR
#define GICR_ICFGR0			GICD_ICFGR
#define GICR_IGRPMODR0			GICD_IGRPMODR
/* end of the per-interrupt registers of the SGI frame (ICFGR1 incl.) */
#define GICR_SGI_ICFGR_END		(GICR_ICFGR0 + 8)

/* MPIDR affinity fields as packed by GICR_TYPER, GICD_IROUTER, SGI1R */
#define MPIDR_AFF0(mpidr)		((mpidr) & 0xff)
#define MPIDR_AFF1(mpidr)		(((mpidr) >> 8) & 0xff)
#define MPIDR_AFF2(mpidr)		(((mpidr) >> 16) & 0xff)
#define MPIDR_AFF3(mpidr)		(((mpidr) >> 32) & 0xff)

#define ICH_AP0R0_EL2			S3_4_C12_C8_0
#define ICH_AP0R1_EL2			S3_4_C12_C8_1
#define ICH_AP0R2_EL2			S3_4_C12_C8_2
#define ICH_AP0R3_EL2			S3_4_C12_C8_3
#define ICH_AP1R0_EL2			S3_4_C12_C9_0
#define ICH_AP1R1_EL2			S3_4_C12_C9_1
#define ICH_AP1R2_EL2			S3_4_C12_C9_2
#define ICH_AP1R3_EL2			S3_4_C12_C9_3
#define ICH_HCR_EL2			S3_4_C12_C11_0
#define  ICH_HCR_EN			(1 << 0)
#define  ICH_HCR_UIE			(1 << 1)
#define ICH_VTR_EL2			S3_4_C12_C11_1
#define  ICH_VTR_LISTREGS(vtr)		(((vtr) & 0x1f) + 1)
#define  ICH_VTR_PREBITS(vtr)		((((vtr) >> 26) & 0x7) + 1)
#define ICH_MISR_EL2			S3_4_C12_C11_2
#define  ICH_MISR_U			(1 << 1)
#define ICH_ELRSR_EL2			S3_4_C12_C11_5
#define ICH_VMCR_EL2			S3_4_C12_C11_7
#define  ICH_VMCR_VENG0			(1 << 0)
#define  ICH_VMCR_VENG1			(1 << 1)
#define  ICH_VMCR_VCBPR			(1 << 4)
#define  ICH_VMCR_VEOIM			(1 << 9)
#define  ICH_VMCR_VBPR1_SHIFT		18
#define  ICH_VMCR_VBPR0_SHIFT		21
#define  ICH_VMCR_VBPR_MASK		0x7
#define  ICH_VMCR_VPMR_SHIFT		24
#define  ICH_VMCR_VPMR_MASK		0xff
/* ICH_LR<n>_EL2: n = 0..7 in C12, 8..15 in C13 */
#define ICH_LR0_EL2			S3_4_C12_C12_0
#define ICH_LR1_EL2			S3_4_C12_C12_1
#define ICH_LR2_EL2			S3_4_C12_C12_2
#define ICH_LR3_EL2			S3_4_C12_C12_3
#define ICH_LR4_EL2			S3_4_C12_C12_4
#define ICH_LR5_EL2			S3_4_C12_C12_5
#define ICH_LR6_EL2			S3_4_C12_C12_6
#define ICH_LR7_EL2			S3_4_C12_C12_7
#define ICH_LR8_EL2			S3_4_C12_C13_0
#define ICH_LR9_EL2			S3_4_C12_C13_1
#define ICH_LR10_EL2			S3_4_C12_C13_2
#define ICH_LR11_EL2			S3_4_C12_C13_3
#define ICH_LR12_EL2			S3_4_C12_C13_4
#define ICH_LR13_EL2			S3_4_C12_C13_5
#define ICH_LR14_EL2			S3_4_C12_C13_6
#define ICH_LR15_EL2			S3_4_C12_C13_7
#define ICH_MAX_LRS			16

#define ICH_LR_VINTID_MASK		0xffffffffULL
#define ICH_LR_PINTID_SHIFT		32
#define ICH_LR_PINTID_MASK		(0x1fffULL << ICH_LR_PINTID_SHIFT)
#define ICH_LR_PRIORITY_SHIFT		48
#define ICH_LR_PRIORITY_MASK		(0xffULL << ICH_LR_PRIORITY_SHIFT)
#define ICH_LR_GROUP1			(1ULL << 60)
#define ICH_LR_HW			(1ULL << 61)
#define ICH_LR_STATE_PENDING		(1ULL << 62)
#define ICH_LR_STATE_ACTIVE		(1ULL << 63)
#define ICH_LR_STATE_MASK		(3ULL << 62)

/* ICC_SGI1R_EL1 */
#define ICC_SGI1R_TARGET_LIST_MASK	0xffffULL
#define ICC_SGI1R_AFF1_SHIFT		16
#define ICC_SGI1R_INTID_SHIFT		24
#define ICC_SGI1R_INTID_MASK		0xf
#define ICC_SGI1R_AFF2_SHIFT		32
#define ICC_SGI1R_IRM			(1ULL << 40)
#define ICC_SGI1R_RS_SHIFT		44
#define ICC_SGI1R_RS_MASK		0xf
#define ICC_SGI1R_AFF3_SHIFT		48
#define ICC_SGI1R_AFF_MASK		0xff

/* gic-v3.c's state, for gic-v3-mmio.c */
extern void *gic_v3_gicd;
extern void *gic_v3_gicr;
extern unsigned long gic_v3_gicr_size;
extern unsigned long gic_v3_gicr_stride;
/* RD_base of the redistributor of @cpu */
void *gic_v3_redist(unsigned int cpu);

/* gic-v3-mmio.c, for gic_v3_ops */
int gic_v3_cell_init(struct cell *cell);
void gic_v3_cell_exit(struct cell *cell);
unsigned int gic_v3_mmio_count_regions(struct cell *cell);

#endif /* !_JAILHOUSE_ASM_GIC_V3_H */
