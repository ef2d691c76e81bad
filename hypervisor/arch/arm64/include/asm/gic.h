/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One interrupt controller design for every GIC version.
 *
 * gic-common.c owns what does not depend on the version: the queue of
 * virtual interrupts waiting for a list register, their injection and the
 * refill on the maintenance interrupt, the dispatch of physical
 * interrupts, which cell owns which SPI and its handover between cells,
 * and the irqchip unit.  A version's driver (gic-v2.c, gic-v3.c) reaches
 * the registers behind struct gic_ops; adding a version is one file with
 * its ops and a line in gic_versions[] (gic-common.c).
 *
 * Also here: the distributor layout both versions share, and the helpers
 * of gic-common.c for the drivers' emulation of it.
 */
#ifndef _JAILHOUSE_ASM_GIC_H
#define _JAILHOUSE_ASM_GIC_H

#include <jailhouse/mmio.h>
#include <jailhouse/spinlock.h>
#include <jailhouse/types.h>

struct cell;
struct per_cpu;

/* Interrupt ID ranges */
#define GIC_NUM_SGIS			16
#define GIC_NUM_PRIVATE_IRQS		32	/* SGIs + PPIs */
#define GIC_MAX_SPI			1019
#define GIC_NUM_IRQS			1024	/* INTIDs 0..1023 */
#define GIC_FIRST_SPECIAL_INTID		1020
#define GIC_SPURIOUS_INTID		1023

/* Distributor registers of both versions */
#define GICD_CTLR			0x0000
#define GICD_TYPER			0x0004
#define GICD_IIDR			0x0008
#define GICD_IGROUPR			0x0080
#define GICD_ISENABLER			0x0100
#define GICD_ICENABLER			0x0180
#define GICD_ISPENDR			0x0200
#define GICD_ICPENDR			0x0280
#define GICD_ISACTIVER			0x0300
#define GICD_ICACTIVER			0x0380
#define GICD_IPRIORITYR			0x0400
#define GICD_ITARGETSR			0x0800
#define GICD_ICFGR			0x0c00
#define GICD_NSACR			0x0e00

/*
 * Each bank of interrupt registers covers INTIDs 0..1023; its size in bytes
 * follows from the bits per interrupt.
 */
#define GIC_BANK_SIZE(bits_per_irq)	(GIC_NUM_IRQS * (bits_per_irq) / 8)

/* ICFGR: 2 bits per interrupt, upper bit set = edge-triggered */
#define GIC_ICFGR_EDGE			0x2

/* Priority of the hypervisor's SGI and of the maintenance interrupt. */
#define GIC_HV_PRIORITY			0x80
/* The hypervisor masks nothing by priority on the physical interface. */
#define GIC_HV_PMR			0xff
/*
 * Direct delivery (Documentation/direct-irqs.md): the hypervisor's SGI is
 * more urgent than anything a cell may give its interrupts.
 */
#define GIC_DIRECT_HV_PRIORITY		0x00
#define GIC_DIRECT_MIN_PRIORITY		0x80

/* A list register, whatever the version's encoding. */
struct gic_lr {
	u32 virq;
	u8 priority;
	/* physical interrupt virq behind it, deactivated by the guest */
	bool hw;
	bool pending;
	bool active;
};

/*
 * The register-level driver of one GIC version.  The per-CPU hooks run on
 * the CPU concerned; @cpu_data is that CPU's.
 */
struct gic_ops {
	/* probe and map the GIC the system config describes */
	int (*init)(void);
	/* undo init */
	void (*shutdown)(void);
	/*
	 * take over the CPU interface for the hypervisor and give Linux's
	 * settings to the virtual one; return the number of list registers
	 * or a negative errno
	 */
	int (*cpu_init)(struct per_cpu *cpu_data);
	/*
	 * the reverse, after gic-common.c handed the interrupts of the list
	 * registers and of the queue back to the physical GIC
	 */
	void (*cpu_shutdown)(struct per_cpu *cpu_data);
	/*
	 * virtual CPU interface as after reset (active priorities, control),
	 * and what gic-common.c cannot reach of the CPU's SGIs and PPIs
	 */
	void (*cpu_reset)(struct per_cpu *cpu_data);
	/*
	 * Direct delivery on the calling CPU, on or off (GICv3 only, NULL
	 * elsewhere): group 1 to the cell at EL1, the hypervisor's SGI in
	 * group 0 as FIQ to EL2; nothing active of the cell's left behind.
	 */
	void (*cpu_direct)(struct per_cpu *cpu_data, bool on);
	/* can the GIC give @cell direct delivery? 0 or -EINVAL, said why */
	int (*check_direct)(struct cell *cell);
	/* a WFI of a direct cell's CPU, trapped: see irqchip_direct_wfi() */
	void (*direct_wfi)(void);
	/*
	 * Acknowledge and end the highest pending group 0 interrupt (a FIQ
	 * exit, direct delivery); return its INTID (1020..1023: none).
	 */
	unsigned int (*ack_group0)(void);
	/* the cell's views of the GIC: MMIO handlers, mappings */
	int (*cell_init)(struct cell *cell);
	void (*cell_exit)(struct cell *cell);
	unsigned int (*mmio_count_regions)(struct cell *cell);
	/*
	 * Acknowledge the highest pending interrupt and drop the priority;
	 * return its INTID (1020..1023: none), with what deactivate() needs
	 * in *@iar and the group priority it had in *@priority.
	 */
	unsigned int (*ack)(u32 *iar, u8 *priority);
	void (*deactivate)(u32 iar);
	void (*read_lr)(unsigned int n, struct gic_lr *lr);
	void (*write_lr)(unsigned int n, const struct gic_lr *lr);
	/* bit n set: list register n holds nothing */
	u64 (*empty_lrs)(void);
	/*
	 * The interrupt path's usual injection in one call: if none of the
	 * list registers in @lrs_mask is in use, put hardware interrupt
	 * @virq, pending, into the first.
	 */
	bool (*inject_idle)(u64 lrs_mask, unsigned int virq, u8 priority);
	/* maintenance interrupt when (almost) no list register is in use */
	void (*set_underflow_irq)(bool enable);
	void (*send_sgi)(unsigned int cpu, unsigned int sgi);
	/* registers with the SGIs and PPIs of @cpu_data, SPIs of all */
	void *(*irq_frame)(struct per_cpu *cpu_data, unsigned int irq);
	/* an SGI of the guest goes back to the GIC, pending on @cpu_data */
	void (*set_sgi_pending)(struct per_cpu *cpu_data, unsigned int sgi);
	/*
	 * An SPI changes cells: disabled, not pending, inactive, and
	 * routed to @cpu, a CPU of its new cell.
	 */
	void (*spi_handover)(unsigned int irq, unsigned int cpu);
	/*
	 * An SPI stays with its cell, which keeps only the CPUs @cpus (not
	 * empty): targets outside them become the first of them.
	 */
	void (*spi_confine)(unsigned int irq, const unsigned long *cpus);
	/*
	 * Where a cell's Linux sends the MSIs of its virtual PCI devices
	 * (Documentation/ivshmem.md)
	 */
	unsigned long (*msi_address)(void);
};

extern const struct gic_ops gic_v2_ops, gic_v3_ops;

/* Serializes read-modify-write of GIC registers shared between cells. */
extern spinlock_t gic_lock;
/* The maintenance interrupt (PPI) of the system config. */
extern unsigned int gic_maintenance_irq;

/* The hypervisor's SGI and the maintenance interrupt, as a PPI mask. */
u32 gic_hv_irqs_mask(void);

/* The distributor register word holding @irq, @bits_per_irq wide. */
static inline unsigned int gic_irq_word(unsigned int irq,
					unsigned int bits_per_irq)
{
	return (irq * bits_per_irq / 32) * 4;
}

u8 gic_read_priority(void *frame, unsigned int irq);
/* Called with gic_lock held. */
void gic_write_priority(void *frame, unsigned int irq, u8 priority);

/* Make @irq pending on the GIC, as seen by @cpu_data for a private one. */
void gic_set_phys_pending(struct per_cpu *cpu_data, unsigned int irq);

/* Has @cell virtual PCI devices with MSI-X vectors? */
bool gic_cell_has_msix(struct cell *cell);
/*
 * The SPIs @cell's Linux is given for MSIs (Documentation/ivshmem.md):
 * the first INTID in *@first, their number returned (0: none).
 */
unsigned int gic_cell_msi_spis(struct cell *cell, unsigned int *first);

/*
 * What the configuration alone tells about the GIC frames, checked before
 * the first access to them.
 */
int gic_check_frame(const char *name, u64 base, u64 size);
/* Is there hypervisor memory or the debug console (never to be probed)? */
bool gic_frame_on_hypervisor(u64 base, u64 size);

/* Read a register of what the config says is the GIC, safely. */
int gic_probe_read(void *addr, unsigned int size, u64 *value);

/* Emulation of the distributor, for the drivers' MMIO handlers */

/* Decides, for one access, whether the cell may see/change @irq. */
typedef bool (*gic_owner_fn)(void *ctx, unsigned int irq, bool is_write);

/* How a cell's write reaches a bank of per-interrupt registers. */
enum gic_bank_write {
	/* a 0 bit written leaves its interrupt alone */
	GIC_BANK_SET_CLEAR,
	/* plain fields: read-modify-write if shared */
	GIC_BANK_MODIFY,
	/* fields the hypervisor keeps as they are */
	GIC_BANK_READ_ONLY,
};

/* A bank of per-interrupt registers. */
struct gic_irq_bank {
	unsigned long start;
	unsigned int bits;	/* per interrupt */
	enum gic_bank_write write;
	/* byte accesses allowed (8-bit fields) */
	bool bytes;
};

const struct gic_irq_bank *gic_find_irq_bank(const struct gic_irq_bank *banks,
					     unsigned int num,
					     unsigned long reg);
enum mmio_result gic_access_irq_bank(void *frame, const char *name,
				     const struct gic_irq_bank *bank,
				     struct mmio_access *mmio,
				     gic_owner_fn owned, void *ctx);
enum mmio_result gic_bad_access(const char *frame, struct mmio_access *mmio);
enum mmio_result gic_raz_wi(struct mmio_access *mmio);
bool gic_access_aligned(const struct mmio_access *mmio);
/*
 * GICD_CTLR: one distributor serves all cells, so only the root changes it,
 * and it cannot clear the bits in @keep.
 */
enum mmio_result gic_access_ctlr(void *gicd, const struct cell *cell,
				 struct mmio_access *mmio, u32 keep);
/* A 32-bit register the cell may read but not change. */
enum mmio_result gic_read_only(void *frame, const char *name,
			       struct mmio_access *mmio);

#endif /* !_JAILHOUSE_ASM_GIC_H */
