/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A flattened device tree held as a tree of nodes in memory: parsed from a
 * blob, changed, written back.  Enough for "cell linux", which builds or
 * patches the device tree of a cell; not a general libfdt.
 */
#ifndef JAILHOUSE_TOOLS_FDT_H
#define JAILHOUSE_TOOLS_FDT_H

#include <stddef.h>
#include <stdint.h>

struct fdt_prop {
	char *name;
	void *value;
	size_t len;
	struct fdt_prop *next;
};

struct fdt_node {
	char *name;
	struct fdt_prop *props;
	struct fdt_node *children;
	struct fdt_node *next;
	struct fdt_node *parent;
};

struct fdt_node *fdt_new_node(struct fdt_node *parent, const char *name);
void fdt_free(struct fdt_node *node);
void fdt_delete_node(struct fdt_node *node);
struct fdt_node *fdt_child(const struct fdt_node *node, const char *name);

struct fdt_prop *fdt_prop(const struct fdt_node *node, const char *name);
void fdt_set_prop(struct fdt_node *node, const char *name, const void *value,
		  size_t len);
void fdt_set_empty(struct fdt_node *node, const char *name);
void fdt_set_string(struct fdt_node *node, const char *name,
		    const char *value);
void fdt_set_u32(struct fdt_node *node, const char *name, uint32_t value);
void fdt_set_cells(struct fdt_node *node, const char *name,
		   const uint32_t *cells, unsigned int num);
void fdt_delete_prop(struct fdt_node *node, const char *name);

/* The big-endian 32-bit value at @p: header fields and cells alike. */
uint32_t fdt_be32(const void *p);

int fdt_parse(const void *blob, size_t size, struct fdt_node **root);
void *fdt_write(const struct fdt_node *root, size_t *size);

#endif
