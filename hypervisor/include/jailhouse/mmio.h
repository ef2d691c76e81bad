/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MMIO dispatch: trapped guest accesses to regions a cell does not map
 * directly are handed to the handler registered for the address.
 */
#ifndef _JAILHOUSE_MMIO_H
#define _JAILHOUSE_MMIO_H

#include <jailhouse/types.h>

struct cell;

/* One decoded guest access. */
struct mmio_access {
	unsigned long address;	/* offset in the region on handler call */
	unsigned int size;	/* 1, 2, 4 or 8 bytes */
	bool is_write;
	unsigned long value;	/* in: value written; out: value read */
};

/*
 * What became of an access.  Every result but MMIO_HANDLED stops the CPU
 * of a non-root cell; the root cell gets an external abort.
 */
enum mmio_result {
	MMIO_DEVICE_UNALIGNED = -3,	/* the device access was unaligned */
	MMIO_DEVICE_ABORT = -2,		/* the device answered with an abort */
	MMIO_ERROR = -1,		/* access denied */
	MMIO_UNHANDLED,			/* no region here */
	MMIO_HANDLED,
};

typedef enum mmio_result (*mmio_handler)(void *arg,
					  struct mmio_access *mmio);

/**
 * mmio_region_register() - trap and emulate a guest-physical range of a cell
 * @cell:	cell whose accesses are to be handled
 * @start:	guest-physical start address
 * @size:	size in bytes
 * @handler:	called with @arg and the access, address relative to @start
 * @arg:	opaque handler argument
 *
 * Changes of a running cell's table (register and unregister) must be
 * serialised by the caller; the cell's CPUs may dispatch accesses
 * meanwhile.
 *
 * Return: 0, or -ENOMEM when the cell's region table is full.
 */
int mmio_region_register(struct cell *cell, unsigned long start,
			 unsigned long size, mmio_handler handler, void *arg);
void mmio_region_unregister(struct cell *cell, unsigned long start);
/* Does [@start, @start + @size) meet a trapped region of @cell? */
bool mmio_region_overlaps(const struct cell *cell, unsigned long start,
			  unsigned long size);

/*
 * Take the trapped regions in guest-physical [@start, @start + @size) out
 * of @cell's stage 2 again, after memory there was mapped anew: a trap
 * wins over a mapping.  Return: 0 or negative errno.
 */
int mmio_unmap_traps(struct cell *cell, unsigned long start,
		     unsigned long size);

/* Dispatch one access of the current cell; used by the arch trap code. */
enum mmio_result mmio_handle_access(struct mmio_access *mmio);

/* Plain device accessors for the hypervisor's own mappings. */
u8 mmio_read8(void *address);
void mmio_write8(void *address, u8 value);
u32 mmio_read32(void *address);
void mmio_write32(void *address, u32 value);
u64 mmio_read64(void *address);
void mmio_write64(void *address, u64 value);

/**
 * mmio_perform_access() - perform a guest's access on a physical device
 * @base:	hypervisor mapping that @mmio->address is relative to
 * @mmio:	the access; a read leaves the value read in it
 *
 * One access of @mmio->size bytes, as the guest made it.
 *
 * Return: MMIO_HANDLED, or MMIO_DEVICE_ABORT or MMIO_DEVICE_UNALIGNED if
 * the device access faulted.
 */
enum mmio_result mmio_perform_access(void *base, struct mmio_access *mmio);

#endif /* !_JAILHOUSE_MMIO_H */
