// SPDX-License-Identifier: GPL-2.0
/*
 * A cell configuration written as users of Jailhouse write them for a
 * board with SMMUs: stream IDs as plain numbers and in the Arm MMU-500
 * form (ID and mask).  Must compile against include/jailhouse/ unchanged.
 */

#include <jailhouse/types.h>
#include <jailhouse/cell-config.h>

struct {
	struct jailhouse_cell_desc cell;
	__u64 cpus[1];
	struct jailhouse_memory mem_regions[1];
	union jailhouse_stream_id stream_ids[3];
} __attribute__((packed)) config = {
	.cell = {
		.signature = JAILHOUSE_CELL_DESC_SIGNATURE,
		.architecture = JAILHOUSE_ARM64,
		.revision = JAILHOUSE_CONFIG_REVISION,
		.name = "stream-ids",
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
		.num_stream_ids = ARRAY_SIZE(config.stream_ids),
	},
	.cpus = { 0x8 },
	.mem_regions = {
		{
			.phys_start = 0x7bf00000,
			.virt_start = 0,
			.size = 0x10000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE |
				JAILHOUSE_MEM_LOADABLE,
		},
	},
	.stream_ids = {
		{ .id = 0x860 },
		{ .mmu500 = { .id = 0x870, .mask_out = 0x7f } },
		{ .mmu500.id = 0x7fff },
	},
};
