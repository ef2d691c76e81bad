/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Units: emulated devices and other per-cell services.  Each unit file
 * declares itself with DEFINE_UNIT(); the core walks the linker-collected
 * table, so adding a unit touches only its own file.  The first unit is the
 * interrupt controller (arch/arm64/gic-common.c); its per-CPU hooks stay arch
 * code, as units have none.
 *
 * Order: init() of every unit before the root cell's cell_init(); a cell's
 * cell_init() after its stage 2 exists and holds its memory regions, its
 * cell_exit() before they go.
 */
#ifndef _JAILHOUSE_UNIT_H
#define _JAILHOUSE_UNIT_H

struct cell;

struct unit {
	const char *name;
	/* global set-up, once, on the first CPU; negative errno on failure */
	int (*init)(void);
	/* a cell is created (root included) or destroyed */
	int (*cell_init)(struct cell *cell);
	void (*cell_exit)(struct cell *cell);
	/*
	 * all CPUs of a non-root cell are parked (the root stops it, or it
	 * powers itself off or resets): its devices as after reset, before
	 * it may run again
	 */
	void (*cell_reset)(struct cell *cell);
	/*
	 * undo init: enabling failed after it (a disable needs nothing: the
	 * next enable loads a fresh image)
	 */
	void (*shutdown)(void);
	/* number of MMIO regions the unit registers per cell */
	unsigned int (*mmio_count_regions)(struct cell *cell);
};

#define DEFINE_UNIT(__name)						\
	static const struct unit unit_##__name				\
	__attribute__((section(".units"), aligned(8), used)) = {	\
		.name = #__name,					\
		.init = __name##_init,					\
		.cell_init = __name##_cell_init,			\
		.cell_exit = __name##_cell_exit,			\
		.cell_reset = __name##_cell_reset,			\
		.shutdown = __name##_shutdown,				\
		.mmio_count_regions = __name##_mmio_count_regions,	\
	}

extern const struct unit __unit_array_start[], __unit_array_end[];

#define for_each_unit(unit)						\
	for ((unit) = __unit_array_start; (unit) < __unit_array_end;	\
	     (unit)++)

#endif /* !_JAILHOUSE_UNIT_H */
