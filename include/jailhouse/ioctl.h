/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The /dev/jailhouse interface between the driver and its tools.
 */
#ifndef _JAILHOUSE_IOCTL_H
#define _JAILHOUSE_IOCTL_H

#include <linux/ioctl.h>
#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

#define JAILHOUSE_DEVICE	"/dev/jailhouse"
#define JAILHOUSE_SYSFS_ROOT	"/sys/devices/jailhouse"
#define JAILHOUSE_FIRMWARE	"jailhouse.bin"

struct jailhouse_cell_create {
	__u64 config_address;	/* user pointer to cell configuration */
	__u32 config_size;
	__u32 padding;
};

/* id == JAILHOUSE_CELL_ID_UNUSED: look the cell up by name */
#define JAILHOUSE_CELL_ID_UNUSED	(-1)

struct jailhouse_cell_id {
	__s32 id;
	__u32 padding;
	char name[JAILHOUSE_CELL_NAME_MAXLEN + 1];
};

struct jailhouse_preload_image {
	__u64 source_address;	/* user pointer */
	__u64 size;
	__u64 target_address;	/* guest-physical address in the cell */
	__u64 padding;
};

struct jailhouse_cell_load {
	struct jailhouse_cell_id cell_id;
	__u32 num_preload_images;
	__u32 padding;
	struct jailhouse_preload_image image[];
};

#define JAILHOUSE_ENABLE	_IOW(0, 0, void *)
#define JAILHOUSE_DISABLE	_IO(0, 1)
#define JAILHOUSE_CELL_CREATE	_IOW(0, 2, struct jailhouse_cell_create)
#define JAILHOUSE_CELL_LOAD	_IOW(0, 3, struct jailhouse_cell_load)
#define JAILHOUSE_CELL_START	_IOW(0, 4, struct jailhouse_cell_id)
#define JAILHOUSE_CELL_DESTROY	_IOW(0, 5, struct jailhouse_cell_id)

#endif /* !_JAILHOUSE_IOCTL_H */
