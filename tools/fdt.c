// SPDX-License-Identifier: GPL-2.0
/*
 * Flattened device tree: parse a blob into nodes and write nodes as a blob
 * (the format of the Devicetree Specification, chapter 5, version 17).
 * The memory reservation block is written empty: the entries of a
 * device tree made for a whole machine do not concern a cell.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fdt.h"
#include "jailhouse.h"

#define FDT_MAGIC		0xd00dfeed
#define FDT_BEGIN_NODE		1
#define FDT_END_NODE		2
#define FDT_PROP		3
#define FDT_NOP			4
#define FDT_END			9
#define FDT_HEADER_SIZE		40
#define FDT_VERSION		17
#define FDT_LAST_COMP_VERSION	16

uint32_t fdt_be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
		(uint32_t)b[2] << 8 | b[3];
}

static void put_be32(void *p, uint32_t v)
{
	uint8_t *b = p;

	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}

static void *xzalloc(size_t size)
{
	void *p = calloc(1, size ? size : 1);

	if (!p)
		fail("%s", strerror(ENOMEM));
	return p;
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		fail("%s", strerror(ENOMEM));
	return p;
}

/* New nodes go behind their siblings: the order of the source stays. */
struct fdt_node *fdt_new_node(struct fdt_node *parent, const char *name)
{
	struct fdt_node *node = xzalloc(sizeof(*node)), **pos;

	node->name = xstrdup(name);
	node->parent = parent;
	if (parent) {
		for (pos = &parent->children; *pos; pos = &(*pos)->next)
			;
		*pos = node;
	}
	return node;
}

static void free_prop(struct fdt_prop *prop)
{
	free(prop->name);
	free(prop->value);
	free(prop);
}

/* Free @node and its subtree; it must be unlinked already (or the root). */
void fdt_free(struct fdt_node *node)
{
	struct fdt_node *child, *next_child;
	struct fdt_prop *prop, *next_prop;

	for (child = node->children; child; child = next_child) {
		next_child = child->next;
		fdt_free(child);
	}
	for (prop = node->props; prop; prop = next_prop) {
		next_prop = prop->next;
		free_prop(prop);
	}
	free(node->name);
	free(node);
}

void fdt_delete_node(struct fdt_node *node)
{
	struct fdt_node **pos;

	if (node->parent) {
		for (pos = &node->parent->children; *pos != node;
		     pos = &(*pos)->next)
			;
		*pos = node->next;
	}
	fdt_free(node);
}

struct fdt_node *fdt_child(const struct fdt_node *node, const char *name)
{
	struct fdt_node *child;

	for (child = node->children; child; child = child->next)
		if (strcmp(child->name, name) == 0)
			return child;
	return NULL;
}

struct fdt_prop *fdt_prop(const struct fdt_node *node, const char *name)
{
	struct fdt_prop *prop;

	for (prop = node->props; prop; prop = prop->next)
		if (strcmp(prop->name, name) == 0)
			return prop;
	return NULL;
}

/* Replace @name's value, or add it behind the other properties. */
void fdt_set_prop(struct fdt_node *node, const char *name, const void *value,
		  size_t len)
{
	struct fdt_prop *prop = fdt_prop(node, name), **pos;

	if (!prop) {
		prop = xzalloc(sizeof(*prop));
		prop->name = xstrdup(name);
		for (pos = &node->props; *pos; pos = &(*pos)->next)
			;
		*pos = prop;
	}
	free(prop->value);
	prop->value = xzalloc(len);
	memcpy(prop->value, value, len);
	prop->len = len;
}

void fdt_set_empty(struct fdt_node *node, const char *name)
{
	fdt_set_prop(node, name, "", 0);
}

void fdt_set_string(struct fdt_node *node, const char *name,
		    const char *value)
{
	fdt_set_prop(node, name, value, strlen(value) + 1);
}

void fdt_set_cells(struct fdt_node *node, const char *name,
		   const uint32_t *cells, unsigned int num)
{
	uint8_t *buf = xzalloc(num * 4);
	unsigned int n;

	for (n = 0; n < num; n++)
		put_be32(buf + n * 4, cells[n]);
	fdt_set_prop(node, name, buf, num * 4);
	free(buf);
}

void fdt_set_u32(struct fdt_node *node, const char *name, uint32_t value)
{
	fdt_set_cells(node, name, &value, 1);
}

void fdt_delete_prop(struct fdt_node *node, const char *name)
{
	struct fdt_prop **pos, *prop;

	for (pos = &node->props; *pos; pos = &(*pos)->next) {
		if (strcmp((*pos)->name, name) == 0) {
			prop = *pos;
			*pos = prop->next;
			free_prop(prop);
			return;
		}
	}
}

/**
 * fdt_parse() - read a device tree blob
 * @blob:	the blob
 * @size:	its size in bytes (the file's; the header's total size must
 *		fit in it)
 * @root:	returns the root node, to be freed with fdt_free()
 *
 * Return: 0, or -EINVAL if the blob is not a well-formed device tree of a
 * version this reader knows (17, or later ones compatible with it).
 */
int fdt_parse(const void *blob, size_t size, struct fdt_node **root)
{
	const uint8_t *b = blob;
	uint32_t total, off_struct, off_strings, size_struct, size_strings;
	uint32_t pos, end, token, len, nameoff;
	struct fdt_node *node = NULL, *top = NULL;
	const char *name;
	size_t name_len;

	*root = NULL;
	if (size < FDT_HEADER_SIZE || fdt_be32(b) != FDT_MAGIC)
		return -EINVAL;
	total = fdt_be32(b + 4);
	off_struct = fdt_be32(b + 8);
	off_strings = fdt_be32(b + 12);
	size_strings = fdt_be32(b + 32);
	size_struct = fdt_be32(b + 36);
	/* version 17 added size_dt_struct, which this reader needs */
	if (fdt_be32(b + 20) < FDT_VERSION ||
	    fdt_be32(b + 24) > FDT_VERSION)
		return -EINVAL;
	if (total > size || off_struct > total ||
	    size_struct > total - off_struct || off_strings > total ||
	    size_strings > total - off_strings || off_struct % 4)
		return -EINVAL;

	pos = off_struct;
	end = off_struct + size_struct;
	for (;;) {
		if (end - pos < 4)
			goto invalid;
		token = fdt_be32(b + pos);
		pos += 4;
		switch (token) {
		case FDT_BEGIN_NODE:
			name = (const char *)b + pos;
			name_len = strnlen(name, end - pos);
			if (name_len == end - pos || (!node && top))
				goto invalid;
			node = fdt_new_node(node, name);
			if (!top)
				top = node;
			pos += (name_len + 1 + 3) & ~3u;
			break;
		case FDT_END_NODE:
			if (!node)
				goto invalid;
			node = node->parent;
			break;
		case FDT_PROP:
			if (!node || end - pos < 8)
				goto invalid;
			len = fdt_be32(b + pos);
			nameoff = fdt_be32(b + pos + 4);
			pos += 8;
			if (len > end - pos || nameoff >= size_strings)
				goto invalid;
			name = (const char *)b + off_strings + nameoff;
			if (strnlen(name, size_strings - nameoff) ==
			    size_strings - nameoff)
				goto invalid;
			fdt_set_prop(node, name, b + pos, len);
			pos += (len + 3) & ~3u;
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			if (node || !top)
				goto invalid;
			*root = top;
			return 0;
		default:
			goto invalid;
		}
		if (pos > end)
			goto invalid;
	}

invalid:
	if (top)
		fdt_free(top);
	return -EINVAL;
}

struct blob_buf {
	uint8_t *data;
	size_t len, cap;
};

static void *buf_grow(struct blob_buf *buf, size_t len)
{
	size_t cap = buf->cap ? buf->cap : 4096;
	uint8_t *grown;
	void *p;

	while (cap < buf->len + len)
		cap *= 2;
	if (cap != buf->cap) {
		grown = realloc(buf->data, cap);
		if (!grown)
			fail("%s", strerror(ENOMEM));
		buf->data = grown;
		buf->cap = cap;
	}
	p = buf->data + buf->len;
	memset(p, 0, len);
	buf->len += len;
	return p;
}

static void buf_be32(struct blob_buf *buf, uint32_t v)
{
	put_be32(buf_grow(buf, 4), v);
}

/* Offset of @name in the strings block, added if it is not there yet. */
static uint32_t string_offset(struct blob_buf *strings, const char *name)
{
	size_t len = strlen(name) + 1, off = 0;

	while (off < strings->len) {
		if (strcmp((char *)strings->data + off, name) == 0)
			return off;
		off += strlen((char *)strings->data + off) + 1;
	}
	memcpy(buf_grow(strings, len), name, len);
	return off;
}

static void write_node(const struct fdt_node *node, struct blob_buf *st,
		       struct blob_buf *strings)
{
	size_t name_len = strlen(node->name) + 1;
	const struct fdt_node *child;
	const struct fdt_prop *prop;

	buf_be32(st, FDT_BEGIN_NODE);
	memcpy(buf_grow(st, (name_len + 3) & ~3u), node->name, name_len);
	for (prop = node->props; prop; prop = prop->next) {
		buf_be32(st, FDT_PROP);
		buf_be32(st, prop->len);
		buf_be32(st, string_offset(strings, prop->name));
		memcpy(buf_grow(st, (prop->len + 3) & ~3u), prop->value,
		       prop->len);
	}
	for (child = node->children; child; child = child->next)
		write_node(child, st, strings);
	buf_be32(st, FDT_END_NODE);
}

/**
 * fdt_write() - write a tree as a device tree blob
 * @root:	the root node (named "")
 * @size:	returns the blob's size
 *
 * Return: the blob, to be freed by the caller.
 */
void *fdt_write(const struct fdt_node *root, size_t *size)
{
	struct blob_buf st = { 0 }, strings = { 0 }, out = { 0 };
	uint32_t off_rsv = FDT_HEADER_SIZE, off_struct = off_rsv + 16;
	uint8_t *hdr;

	write_node(root, &st, &strings);
	buf_be32(&st, FDT_END);

	hdr = buf_grow(&out, off_struct);
	put_be32(hdr, FDT_MAGIC);
	put_be32(hdr + 4, off_struct + st.len + strings.len);
	put_be32(hdr + 8, off_struct);
	put_be32(hdr + 12, off_struct + st.len);
	put_be32(hdr + 16, off_rsv);
	put_be32(hdr + 20, FDT_VERSION);
	put_be32(hdr + 24, FDT_LAST_COMP_VERSION);
	put_be32(hdr + 28, 0);
	put_be32(hdr + 32, strings.len);
	put_be32(hdr + 36, st.len);
	if (st.len)
		memcpy(buf_grow(&out, st.len), st.data, st.len);
	if (strings.len)
		memcpy(buf_grow(&out, strings.len), strings.data,
		       strings.len);
	free(st.data);
	free(strings.data);
	*size = out.len;
	return out.data;
}
