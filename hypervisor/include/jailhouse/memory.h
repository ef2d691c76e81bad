/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memory of cells (memory.c): a cell's own stage 2, and memory changing
 * hands between the root cell and the others.
 */
#ifndef _JAILHOUSE_MEMORY_H
#define _JAILHOUSE_MEMORY_H

struct cell;

/*
 * Map the page-granular memory regions of @cell's config into its stage 2
 * (sub-page ones are trapped, the comm region is the hypervisor's page).
 * Return: 0 or negative errno, with nothing left mapped.
 */
int cell_map_memory(struct cell *cell);

/*
 * memory_take() - unmap a new cell's memory from the root cell
 *
 * All regions but the root-shared ones.  Called before @cell joins the
 * cell list.  Return: 0 or negative errno, with the root as it was.
 */
int memory_take(struct cell *cell);
/*
 * memory_give_back() - return a destroyed cell's memory to the root cell
 *
 * Called after @cell left the cell list.  All of its RAM is cleared first;
 * if some region cannot be, none of the cell's memory goes back (with a
 * message).
 */
void memory_give_back(struct cell *cell);

/*
 * Map @cell's loadable regions into the root cell 1:1 for loading images,
 * or take them away again.  The cell must be stopped meanwhile.
 */
/*
 * memory_punch() - take pages of @cell's memory out of its stage 2, so
 * that accesses there trap (a virtual BAR in the cell's I/O memory)
 *
 * Return: 0 or negative errno.
 */
int memory_punch(struct cell *cell, unsigned long virt, unsigned long size);
/* Map the pages that memory_punch() took out again, where still owned. */
void memory_unpunch(struct cell *cell, unsigned long virt,
		    unsigned long size);

int memory_map_loadable(struct cell *cell);
void memory_unmap_loadable(struct cell *cell);

#endif /* !_JAILHOUSE_MEMORY_H */
