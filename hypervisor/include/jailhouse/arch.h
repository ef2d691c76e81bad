/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interface between the arch-independent core and the architecture
 * code (hypervisor/arch/<arch>/).  The core reaches the architecture only
 * through these functions, asm/processor.h (cpu_relax and barriers), the
 * data structures of asm/percpu.h and asm/cell.h (members "arch") and
 * asm/spinlock.h (the lock's wait, for jailhouse/spinlock.h).
 */
#ifndef _JAILHOUSE_ARCH_H
#define _JAILHOUSE_ARCH_H

#include <jailhouse/mmio.h>
#include <jailhouse/types.h>
#include <asm/processor.h>	/* cpu_relax(), wfi() */

struct per_cpu;
struct cell;
struct jailhouse_memory;
struct paging_desc;
struct jailhouse_comm_region;

/*
 * arch_paging_init() - describe the page-table formats
 *
 * Called first during global set-up.  Return: the format of the
 * hypervisor's own tables; the cells' format is kept by the arch code.
 */
const struct paging_desc *arch_paging_init(void);

/* Switch the calling CPU to hv_paging once it is complete. */
void arch_paging_activate(void);

/*
 * The calling CPU may use, without having left the hypervisor since, what
 * other CPUs mapped into it (a management call that follows another CPU's):
 * drop what its TLB still holds of mappings that other CPUs removed.  x86
 * invalidates on the calling CPU only (arch/x86/tlb.c); arm64's
 * invalidations reach every CPU, it has nothing to do.
 */
void arch_paging_sync(void);

/*
 * arch_cpu_init() - take over the calling CPU
 *
 * Saves the rest of Linux's EL2 state and programs the CPU for guest
 * execution.  On failure it undoes what it did.
 */
int arch_cpu_init(struct per_cpu *cpu_data);

/* Undo arch_cpu_init() on the calling CPU. */
void arch_cpu_restore(struct per_cpu *cpu_data);

/* Enter the root cell on the calling CPU after a successful set-up. */
void __attribute__((noreturn)) arch_cpu_activate(struct per_cpu *cpu_data);

/*
 * Leave the hypervisor on the calling CPU after arch_cpu_restore(): Linux
 * continues at EL1 behind its hvc (the enabling one if the CPU never
 * entered the root cell, the disabling one otherwise) with x0 = @code.
 * What the CPU wrote to the image and its per-CPU area since
 * hypervisor_memory_flush() leaves the data caches with it.
 */
void __attribute__((noreturn)) arch_cpu_leave(struct per_cpu *cpu_data,
					      int code);

/* Cells: stage 2. */
int arch_cell_create(struct cell *cell);
void arch_cell_destroy(struct cell *cell);
int arch_map_memory_region(struct cell *cell,
			   const struct jailhouse_memory *mem);
int arch_unmap_memory_region(struct cell *cell,
			     const struct jailhouse_memory *mem);
/* The architecture's part of a new cell's comm page. */
void arch_comm_region_init(struct cell *cell,
			   struct jailhouse_comm_region *comm);
/*
 * Is guest-physical @addr of @cell mapped with the rights @need (PAGE_FLAG_
 * READ, WRITE or EXEC)?  For faults that raced with a change of the cell's
 * stage 2.
 */
bool arch_stage2_mapped(struct cell *cell, unsigned long addr,
			unsigned long need);

/*
 * CPUs changing hands.  A CPU parks in the hypervisor when its cell turns
 * it off (PSCI CPU_OFF), when it fails, and when the hypervisor stops its
 * cell; it leaves the park loop only to start at a given address.
 */
/* Is @cpu parked? */
bool arch_cpu_parked(unsigned int cpu);
/*
 * Ask @cpu to park (stopping whatever its cell runs there) unless it is
 * parked; returns at once.  Asking again while the request is pending does
 * nothing.  Return: true if @cpu is parked, seen under the lock that
 * starting it takes (so that a start racing with it sees cell->stopping).
 */
bool arch_request_park(unsigned int cpu);
/* Has the running CPU @cpu_data been asked to park? */
bool arch_park_requested(struct per_cpu *cpu_data);
/*
 * arch_cpu_assign() - hand a parked CPU to another cell
 *
 * Return: 0, or -EBUSY if @cpu is not parked or not @from's.
 */
int arch_cpu_assign(unsigned int cpu, const struct cell *from,
		    struct cell *to);
/*
 * Start parked @cpu at @entry in its cell: EL1, MMU off, x0 = 0 (x86: as
 * after INIT in real mode at the reset vector, @entry unused).  Nothing
 * happens while the cell is stopping (struct cell).
 */
void arch_cpu_start(unsigned int cpu, unsigned long entry);

/*
 * Interrupt @cpu at once: parked, it looks at its requests; running, it
 * takes an exit and returns to its cell, whose WFI ends with it.  What the
 * caller wrote before is visible to @cpu when it wakes.
 */
void arch_wake_cpu(unsigned int cpu);

/*
 * Has parked @cpu, asked to by its shutdown_requested (struct per_cpu),
 * left the hypervisor for good (arm64: the firmware has it off; x86: SVM
 * is off and it halts)?  Its hypervisor memory is left alone from then.
 */
bool arch_cpu_shut_down(unsigned int cpu);

/**
 * arch_mmio_access() - one naturally aligned device access for a guest
 * @addr:	hypervisor mapping of the device register
 * @mmio:	size, direction and value of the access (address unused); a
 *		read leaves the value read in it
 *
 * A synchronous external abort or an alignment fault that the access
 * takes is reported instead of stopping the hypervisor.
 *
 * Return: MMIO_HANDLED, MMIO_DEVICE_ABORT or MMIO_DEVICE_UNALIGNED.
 */
enum mmio_result arch_mmio_access(void *addr, struct mmio_access *mmio);

/*
 * Virtual PCI INTx of @cell: does the cell own the interrupt of pin @pin
 * (1..4), and raise it (edge).  The cell routes and masks it like any
 * interrupt it owns.
 */
bool arch_vpci_intx_owned(struct cell *cell, unsigned int pin);
void arch_vpci_raise_intx(struct cell *cell, unsigned int pin);

/*
 * Virtual PCI MSI-X: deliver the message (@address, @data) of a vector of
 * @cell's: raise the interrupt it names if that is the cell's, sent to
 * the cell's MSI frame (Documentation/ivshmem.md).
 *
 * Return: false if the message is not delivered.
 */
bool arch_vpci_raise_msi(struct cell *cell, u64 address, u32 data);

/*
 * x86: the bits of @cell->pio_bitmap changed (ports taken from the root
 * cell or given back, pio.c): make the cell's CPUs trap exactly the ports
 * whose bits are set, before the caller goes on.  Called with the
 * management of cells serialized, while the cell's CPUs may run.
 */
void arch_pio_changed(struct cell *cell);

/* Microseconds since some point in the past. */
unsigned long arch_time_us(void);

/*
 * Push [@addr, @addr + @size) to the point of coherency and drop it from
 * the caches: memory shared with a guest that may access it uncached.
 */
void arch_dcache_flush(const volatile void *addr, unsigned long size);

/*
 * Zero [@addr, @addr + @size), page-aligned normal memory, and leave the
 * zeros at the point of coherency with no line of it in the caches, as
 * arch_dcache_flush() does: for memory whose next owner may read it
 * uncached.
 */
void arch_zero_memory(void *addr, unsigned long size);

/* Stop the calling CPU for good; it stays in the hypervisor. */
void __attribute__((noreturn)) arch_panic_stop(void);

/* Debug console (the system config's UART): 1 if usable, 0 if none. */
int arch_dbg_console_init(void);
void arch_dbg_console_write(const char *buf, unsigned int len);

#endif /* !_JAILHOUSE_ARCH_H */
