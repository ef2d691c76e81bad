/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cell management, hypercalls and the global state of the hypervisor.
 */
#ifndef _JAILHOUSE_CONTROL_H
#define _JAILHOUSE_CONTROL_H

#include <jailhouse/cell.h>
#include <jailhouse/header.h>

extern struct jailhouse_header hypervisor_header;
extern struct jailhouse_system *system_config;

/*
 * cell_init() - common part of setting up a cell from its config
 * @cell:	zeroed cell structure; config already set
 *
 * Return: 0 or negative errno (nothing left to undo then).
 */
int cell_init(struct cell *cell);
void cell_exit(struct cell *cell);

/* Dispatch a hypercall of the current CPU's cell. */
long hypercall(unsigned long code, unsigned long arg1, unsigned long arg2);

/*
 * The CPU's root cell asked to disable the hypervisor; all root CPUs
 * rendezvous here.  Return: 0 when this CPU is to leave, negative errno
 * when the hypervisor stays.
 */
long hypervisor_disable(void);

/*
 * Push all that the hypervisor wrote to its memory out of the data caches,
 * for the last CPU to leave, when the others no longer write shared state
 * (Documentation/design.md, "Cache protocol").
 */
void hypervisor_memory_flush(void);

/* Stop the calling CPU for good after an unrecoverable error. */
void __attribute__((noreturn)) panic_stop(void);

#endif /* !_JAILHOUSE_CONTROL_H */
