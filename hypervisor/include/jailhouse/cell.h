/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cells: the root cell (Linux) and, later, the cells created from it.
 */
#ifndef _JAILHOUSE_CELL_H
#define _JAILHOUSE_CELL_H

#include <jailhouse/types.h>
#include <jailhouse/bitops.h>
#include <jailhouse/mmio.h>
#include <jailhouse/cell-config.h>
#include <jailhouse/hypercall.h>
#include <jailhouse/spinlock.h>
#include <jailhouse/printk.h>
#include <asm/cell.h>
#include <asm/irqchip.h>

/* Highest number of CPUs the hypervisor manages (CPU ids 0..MAX_CPUS-1). */
#define MAX_CPUS		64

struct pci_device;

struct mmio_region {
	unsigned long start;
	unsigned long size;
	mmio_handler handler;
	void *arg;
};

/* A sub-page I/O region of the config and its hypervisor mapping. */
struct mmio_subpage {
	const struct jailhouse_memory *mem;
	void *virt;
};

struct cell {
	unsigned int id;
	/* the cell's configuration, in hypervisor memory */
	const struct jailhouse_cell_desc *config;

	unsigned long cpu_set[BITS_TO_LONGS(MAX_CPUS)];
	unsigned int num_cpus;

	struct arch_cell arch;
	struct irqchip_cell irq;

	/* trapped regions, sorted by start; see mmio.c */
	struct mmio_region *mmio_regions;
	unsigned int num_mmio_regions;
	unsigned int max_mmio_regions;
	/* odd while the table changes; see mmio.c */
	u32 mmio_generation;
	struct mmio_subpage *subpages;
	unsigned int num_subpages;

	/*
	 * x86: one bit per I/O port, set = not the cell's, the accesses
	 * trap; see pio.c.  NULL elsewhere.
	 */
	unsigned long *pio_bitmap;

	/* devices on its virtual PCI bus; see pci.c */
	struct pci_device *pci_devices;
	unsigned int num_pci_devices;
	spinlock_t pci_lock;

	/*
	 * Held while a CPU of the cell parks and while the cell's state in
	 * the comm page changes, so that a management call that saw all
	 * CPUs parked also sees the last one's update of the state.
	 */
	spinlock_t lock;

	struct cell_msg_limit msg_limit;

	/* Non-root cells only, from here on. */
	/* pages of mem_pool holding the config */
	unsigned long config_pages;
	/*
	 * The hypervisor's page behind the comm region; it exists even when
	 * the config maps none, to hold the state that "cell get state"
	 * reports.
	 */
	struct jailhouse_comm_region *comm_page;
	/* its loadable regions are mapped into the root cell */
	bool loadable;
	/* a CPU of the cell is powering it off or resetting it (PSCI) */
	bool power_op;
	/* a message to all cells was posted to this one (control.c) */
	bool msg_posted;
	/*
	 * The root cell stops the cell, or has not started it: none of its
	 * CPUs may leave the park.  Under @lock; see cell_park_cpus().
	 */
	bool stopping;

	struct cell *next;
};

extern struct cell root_cell;
extern unsigned int num_cells;

#define for_each_cell(c)	for ((c) = &root_cell; (c); (c) = (c)->next)

/* Every CPU id of @cell, ascending. */
#define for_each_cpu(cpu, cell)						\
	for_each_set_bit(cpu, (cell)->cpu_set, MAX_CPUS)

/* mmio.c: the cell's region table and its sub-page regions. */
int mmio_cell_init(struct cell *cell);
void mmio_cell_exit(struct cell *cell);

/* comm.c: the comm region of a non-root cell and its messages. */
/* Fill in a new cell's comm page (its state: shut down). */
void comm_page_init(struct cell *cell);
/* Map the comm page where the config puts the comm region, if it does. */
int comm_page_map(struct cell *cell);
/* The state in the comm page, which the cell may have written. */
u32 cell_state(struct cell *cell);
/* Set the cell's state in its comm page.  Called with @cell->lock held. */
void cell_set_state(struct cell *cell, u32 state);
/*
 * cell_post_message() - write a message into a cell's comm page
 * @cell:	a non-root cell
 * @msg:	JAILHOUSE_MSG_SHUTDOWN_REQUEST or _RECONFIG_COMPLETED
 *
 * A passive cell, and one that does not run, is not asked.
 *
 * Return: whether the message was posted (and its reply is to be awaited).
 */
bool cell_post_message(struct cell *cell, u32 msg);
/**
 * cell_await_reply() - wait for the reply to a posted message
 * @cell:	the cell
 * @msg:	the message
 * @start:	arch_time_us() after it was posted; the cell's timeout runs
 *		from there
 *
 * A cell whose own state turns "shut down" or "failed" meanwhile has
 * answered.  The message is withdrawn in any case.
 *
 * Return: 0 if the caller may go ahead, -EPERM if the cell refused a
 * shutdown request, -ETIMEDOUT if it stayed silent until its timeout (the
 * caller is to stop it as failed, as the console says).
 */
int cell_await_reply(struct cell *cell, u32 msg, unsigned long start);
/* Post @msg and await the reply: 0 if the cell was not asked. */
int cell_send_message(struct cell *cell, u32 msg);

/* control.c */
/* Some CPU of the cell runs (or is about to). */
bool cell_running(struct cell *cell);
/*
 * cell_cpu_parking() - a CPU of @cell is about to park
 *
 * Called with @cell->lock held, after the CPU marked itself parked: a cell
 * whose CPUs are all parked and one of them failed becomes "failed".
 */
void cell_cpu_parking(struct cell *cell);
/*
 * Clear the failed mark of the cell's CPUs and say that it runs; a message
 * of the root in flight stays (the cell may reset itself meanwhile).
 */
void cell_prepare_restart(struct cell *cell);
/* All CPUs of @cell are parked: its units' devices go back to reset. */
void cell_reset_devices(struct cell *cell);
/**
 * cell_park_cpus() - park the CPUs of a cell and wait until all are
 * @cell:	the cell
 * @caller:	a CPU of @cell that stays running (it parks the others), or
 *		NULL when the root cell stops @cell: then no CPU of @cell
 *		starts again before the root cell starts the cell
 *
 * The wait is bounded: a CPU that does not park is stuck in the hypervisor.
 *
 * Return: 0 once all CPUs but @caller are parked, -EINTR if @caller was
 * asked to park itself meanwhile (the root cell stops the cell),
 * -ETIMEDOUT if a CPU did not park in time.
 */
int cell_park_cpus(struct cell *cell, struct per_cpu *caller);

static inline bool cell_owns_cpu(const struct cell *cell, unsigned int cpu)
{
	return cpu < MAX_CPUS && test_bit(cpu, cell->cpu_set);
}

#endif /* !_JAILHOUSE_CELL_H */
