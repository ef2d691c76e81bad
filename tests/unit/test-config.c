// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of configuration validation (hypervisor/config.c).  The
 * system configuration under test is the shipped QEMU one, compiled in
 * from configs/; each test breaks one thing of it or of a cell config and
 * checks the verdict and the message.
 */
#include "test.h"

#include <jailhouse/config.h>
#include <jailhouse/errno.h>
#include <jailhouse/utils.h>

#define config qemu_arm64
#include "../../configs/arm64/qemu-arm64.c"
#undef config

static typeof(qemu_arm64) sys;

struct test_cell {
	struct jailhouse_cell_desc desc;
	__u64 cpus[1];
	struct jailhouse_memory mem[7];
	struct jailhouse_cache cache[1];
	struct jailhouse_irqchip irqchips[1];
	struct jailhouse_pci_device pci[1];
	struct jailhouse_pci_capability caps[2];
	__u32 stream_ids[1];
} __attribute__((packed));

static struct test_cell cell;

static const struct test_cell cell_template = {
	.desc = {
		.signature = JAILHOUSE_CELL_DESC_SIGNATURE,
		.architecture = JAILHOUSE_ARM64,
		.revision = JAILHOUSE_CONFIG_REVISION,
		.name = "test-cell",
		.cpu_set_size = sizeof(cell.cpus),
		.num_memory_regions = ARRAY_SIZE(cell.mem),
		.num_cache_regions = ARRAY_SIZE(cell.cache),
		.num_irqchips = ARRAY_SIZE(cell.irqchips),
		.num_pci_devices = ARRAY_SIZE(cell.pci),
		.num_pci_caps = ARRAY_SIZE(cell.caps),
		.num_stream_ids = ARRAY_SIZE(cell.stream_ids),
	},
	.cpus = { 0x4 },
	.mem = {
		/* RAM */ {
			.phys_start = 0x70000000,
			.virt_start = 0,
			.size = 0x100000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_EXECUTE | JAILHOUSE_MEM_LOADABLE,
		},
		/* comm region */ {
			.virt_start = 0x80000000,
			.size = 0x1000,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_COMM_REGION,
		},
		/* part of a page of I/O */ {
			.phys_start = 0x09000000,
			.virt_start = 0x09000000,
			.size = 0x100,
			.flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE |
				JAILHOUSE_MEM_IO | JAILHOUSE_MEM_IO_32,
		},
		/* shared memory with two peers, this cell is peer 1 */
		JAILHOUSE_SHMEM_NET_REGIONS(0x7d000000, 1),
	},
	.cache = {
		{ .start = 0, .size = 2, .type = JAILHOUSE_CACHE_L3 },
	},
	.irqchips = {
		{ .address = 0x08000000, .pin_base = 32,
		  .pin_bitmap = { 0x1 } },
	},
	.pci = {
		{
			.type = JAILHOUSE_PCI_TYPE_IVSHMEM,
			.bdf = 0x08,
			.caps_start = 0,
			.num_caps = 2,
			.shmem_regions_start = 3,
			.shmem_dev_id = 1,
			.shmem_peers = 2,
			.shmem_protocol = JAILHOUSE_SHMEM_PROTO_VETH,
		},
	},
	.caps = {
		{ .id = 0x5, .start = 0x40, .len = 14 },
		{ .id = 0x10 | JAILHOUSE_PCI_EXT_CAP, .start = 0x100,
		  .len = 8 },
	},
	.stream_ids = { 7 },
};

static int reset(void **state)
{
	memcpy(&sys, &qemu_arm64, sizeof(sys));
	memcpy(&cell, &cell_template, sizeof(cell));
	printk_log_clear();
	return 0;
}

#include "test-config.h"

static void test_sizes(void **state)
{
	u64 size;

	assert_int_equal(config_system_size(&sys.header, &size), 0);
	assert_int_equal(size, sizeof(sys));
	assert_int_equal(size, jailhouse_system_config_size(&sys.header));
	assert_int_equal(config_cell_size(&cell.desc, &size), 0);
	assert_int_equal(size, sizeof(cell));
	assert_int_equal(size, jailhouse_cell_config_size(&cell.desc));

	/* counts at their maximum are summed without wrapping */
	cell.desc.num_memory_regions = 0xffffffff;
	cell.desc.num_pci_devices = 0xffffffff;
	cell.desc.cpu_set_size = 0xffffffff;
	assert_int_equal(config_cell_size(&cell.desc, &size), 0);
	assert_true(size > 0xffffffffULL * 56);
}

static void test_shipped_system_config(void **state)
{
	assert_accepted(check_sys());
	assert_int_equal(printk_log[0], '\0');
	/* its root cell has CPUs 0-3 */
	assert_refused(config_check_system(&sys.header, sizeof(sys), 3),
		       "CPU 3 does not exist");
}

static void test_system_signature(void **state)
{
	sys.header.signature[4] = 'X';
	assert_refused(check_sys(), "wrong signature");
	memcpy(sys.header.signature, JAILHOUSE_CELL_DESC_SIGNATURE, 5);
	assert_refused(check_sys(), "wrong signature");
}

static void test_system_architecture(void **state)
{
	sys.header.architecture = JAILHOUSE_X86;
	assert_refused(check_sys(), "wrong architecture 0");
	sys.header.architecture = JAILHOUSE_ARM;
	assert_refused(check_sys(), "wrong architecture 1");
	sys.header.architecture = JAILHOUSE_ARM64;
	assert_accepted(check_sys());
}

static void test_system_revision(void **state)
{
	sys.header.revision = 13;
	assert_refused(check_sys(), "revision 13, expected 14");
	sys.header.revision = 15;
	assert_refused(check_sys(), "revision 15");
}

static void test_system_truncated(void **state)
{
	assert_accepted(config_check_system(&sys.header, sizeof(sys),
					    QEMU_CPUS));
	assert_refused(config_check_system(&sys.header, sizeof(sys) - 1,
					   QEMU_CPUS),
		       "exceed the config size");
	assert_refused(config_check_system(&sys.header,
					   sizeof(sys.header) - 1, QEMU_CPUS),
		       "truncated");
	assert_refused(config_check_system(&sys.header, 0, QEMU_CPUS),
		       "truncated");
}

static void test_system_count_overflow(void **state)
{
	/* counts whose byte sizes wrap around 32 bits */
	sys.header.root_cell.num_memory_regions = 0x08000000;
	assert_refused(check_sys(), "exceed the config size");
	reset(state);
	sys.header.root_cell.num_pci_devices = 0xffffffff;
	assert_refused(check_sys(), "exceed the config size");
	reset(state);
	sys.header.root_cell.cpu_set_size = 0xfffffff8;
	assert_refused(check_sys(), "exceed the config size");
}

static void test_hypervisor_memory(void **state)
{
	struct jailhouse_memory *hv = &sys.header.hypervisor_memory;

	hv->phys_start = 0x7f100000;
	assert_refused(check_sys(), "2 MiB aligned");
	hv->phys_start = 0x7f200000;
	hv->size = 0x00e00000;
	assert_accepted(check_sys());

	hv->size = 0x00e00800;
	assert_refused(check_sys(), "page-aligned size");
	hv->size = 0;
	assert_refused(check_sys(), "page-aligned size");
	hv->phys_start = 0xffffffffffe00000ULL;
	hv->size = 0x400000;
	assert_refused(check_sys(), "hypervisor memory");
}

static void test_debug_console_type(void **state)
{
	sys.header.debug_console.type = JAILHOUSE_CON_TYPE_SCIF + 1;
	assert_refused(check_sys(), "unknown debug console type 11");
	sys.header.debug_console.type = JAILHOUSE_CON_TYPE_SCIF;
	assert_accepted(check_sys());
	sys.header.debug_console.type = JAILHOUSE_CON_TYPE_NONE;
	assert_accepted(check_sys());
}

static void test_root_overlaps_hypervisor(void **state)
{
	struct jailhouse_memory *below = NULL;
	unsigned int n;

	/* the cells' RAM ends where the hypervisor starts: fine */
	for (n = 0; n < ARRAY_SIZE(sys.mem_regions); n++)
		if (sys.mem_regions[n].phys_start + sys.mem_regions[n].size ==
		    sys.header.hypervisor_memory.phys_start)
			below = &sys.mem_regions[n];
	assert_non_null(below);
	assert_accepted(check_sys());
	below->size += 0x1000;
	assert_refused(check_sys(), "overlaps hypervisor memory");
	below->size -= 0x1000;
	sys.header.hypervisor_memory.phys_start -= 0x200000;
	assert_refused(check_sys(), "overlaps hypervisor memory");
}

static void test_cell_valid(void **state)
{
	assert_accepted(check_cell());
	/* sizes exactly as counted, no byte less */
	assert_refused(config_check_cell(&cell.desc, sizeof(cell) - 1,
					 QEMU_CPUS, NULL, false),
		       "exceed the config size");
	assert_refused(config_check_cell(&cell.desc, sizeof(cell.desc) - 1,
					 QEMU_CPUS, NULL, false),
		       "truncated");
}

static void test_cell_header(void **state)
{
	cell.desc.signature[0] = 'X';
	assert_refused(check_cell(), "wrong signature");
	reset(state);
	/* a system config's signature is no cell's */
	memcpy(cell.desc.signature, JAILHOUSE_SYSTEM_SIGNATURE, 5);
	assert_refused(check_cell(), "wrong signature");
	reset(state);
	cell.desc.architecture = JAILHOUSE_X86;
	assert_refused(check_cell(), "wrong architecture");
	reset(state);
	cell.desc.revision = 13;
	assert_refused(check_cell(), "revision 13");
}

static void test_root_cell_needs_no_signature(void **state)
{
	/* in a system config the root cell's header fields are unused */
	memset(sys.header.root_cell.signature, 0, 5);
	sys.header.root_cell.architecture = 0;
	sys.header.root_cell.revision = 0;
	assert_accepted(check_sys());
}

static void test_cell_name_characters(void **state)
{
	static const char bad[] = { '/', '\n', '\t', 0x1b, 0x7f, 0x01 };
	unsigned int n;

	memcpy(cell.desc.name, "cell-1 (test) \xc3\xa4",
	       sizeof("cell-1 (test) \xc3\xa4"));
	assert_accepted(check_cell());
	for (n = 0; n < ARRAY_SIZE(bad); n++) {
		memcpy(cell.desc.name, "cell-1", sizeof("cell-1"));
		cell.desc.name[4] = bad[n];
		assert_refused(check_cell(), "at position 4");
	}
	/* the root cell's name, too */
	sys.header.root_cell.name[1] = '/';
	assert_refused(check_sys(), "character 0x2f");
}

static void test_root_identity_mapped(void **state)
{
	assert_accepted(check_sys());
	sys.mem_regions[0].virt_start += 0x200000;
	assert_refused(check_sys(), "mapped 1:1");
	reset(state);
	/* I/O regions, too: Linux knows its devices by physical address */
	sys.mem_regions[3].virt_start = 0x09100000;
	assert_refused(check_sys(), "root cell memory region 3");
	reset(state);
	/* non-root cells may place their memory anywhere */
	assert_int_not_equal(cell.mem[0].virt_start, cell.mem[0].phys_start);
	assert_accepted(check_cell());
}

static void test_cell_name(void **state)
{
	memset(cell.desc.name, 'a', sizeof(cell.desc.name) - 1);
	cell.desc.name[sizeof(cell.desc.name) - 1] = '\0';
	assert_accepted(check_cell());
	cell.desc.name[sizeof(cell.desc.name) - 1] = 'a';
	assert_refused(check_cell(), "name not terminated");
}

static void test_cell_cpus(void **state)
{
	cell.cpus[0] = 0x8;
	assert_accepted(check_cell());
	cell.cpus[0] = 0x10;
	assert_refused(check_cell(), "CPU 4 does not exist");
	cell.cpus[0] = 0x1ULL << 63;
	assert_refused(check_cell(), "CPU 63 does not exist");
	cell.cpus[0] = 0;
	assert_refused(check_cell(), "no CPU");
	cell.cpus[0] = 0x4;
	cell.desc.cpu_set_size = 0;
	assert_refused(check_cell(), "CPU set size 0");
	cell.desc.cpu_set_size = 4;
	assert_refused(config_check_cell(&cell.desc, sizeof(cell) - 4,
					 QEMU_CPUS, NULL, false),
		       "CPU set size 4");
}

static void test_memory_ranges(void **state)
{
	/* an all-zero region is an unused slot */
	memset(&cell.mem[0], 0, sizeof(cell.mem[0]));
	assert_accepted(check_cell());

	cell.mem[0].flags = JAILHOUSE_MEM_READ;
	assert_refused(check_cell(), "memory region 0 has an empty");
	reset(state);
	cell.mem[0].phys_start = 0xfffffffffff80000ULL;
	assert_refused(check_cell(), "region 0 has an empty or wrapping");
	reset(state);
	cell.mem[0].virt_start = 0xfffffffffff80000ULL;
	assert_refused(check_cell(), "wrapping");
	reset(state);
	/* reaching the very end of the address space does not wrap */
	cell.mem[0].virt_start = 0xfffffffffff00000ULL;
	assert_accepted(check_cell());
}

static void test_memory_flags(void **state)
{
	cell.mem[0].flags |= JAILHOUSE_MEM_DMA | JAILHOUSE_MEM_ROOTSHARED |
		JAILHOUSE_MEM_NO_HUGEPAGES;
	assert_accepted(check_cell());
	cell.mem[0].flags |= 0x200;
	assert_refused(check_cell(), "unknown flags 0x200");
	reset(state);
	cell.mem[0].flags |= 1ULL << 20;
	assert_refused(check_cell(), "unknown flags 0x100000");
}

static void test_memory_io_width(void **state)
{
	cell.mem[2].flags |= JAILHOUSE_MEM_IO_32;
	assert_accepted(check_cell());
	cell.mem[2].flags &= ~JAILHOUSE_MEM_IO_WIDTH_MASK;
	cell.mem[2].flags |= JAILHOUSE_MEM_IO_8 | JAILHOUSE_MEM_IO_16;
	assert_refused(check_cell(), "region 2 has an invalid access width");
}

static void test_memory_alignment(void **state)
{
	/* sub-page regions must be I/O */
	cell.mem[2].flags &= ~(u64)JAILHOUSE_MEM_IO;
	assert_refused(check_cell(), "region 2 is not page aligned");
	reset(state);
	cell.mem[0].size = 0x100800;
	assert_refused(check_cell(), "region 0 is not page aligned");
	reset(state);
	cell.mem[0].virt_start = 0x800;
	assert_refused(check_cell(), "region 0 is not page aligned");
	reset(state);
	/* nor can a comm region be one */
	cell.mem[1].size = 0x800;
	cell.mem[1].flags |= JAILHOUSE_MEM_IO;
	assert_refused(check_cell(), "region 1 is not page aligned");
	reset(state);

	/* a page-aligned region needs a page-aligned physical start... */
	cell.mem[0].phys_start += 0x800;
	assert_refused(check_cell(), "region 0: physical start not page");
	reset(state);
	/* ...except the comm region, whose physical start is ignored */
	cell.mem[1].phys_start = 0x123;
	assert_accepted(check_cell());
	/* and a sub-page I/O region may start anywhere */
	cell.mem[2].phys_start = 0x09000104;
	cell.mem[2].virt_start = 0x09000104;
	cell.mem[2].size = 4;
	assert_accepted(check_cell());
}

static void test_memory_overlaps_hypervisor(void **state)
{
	struct jailhouse_memory *hv = &sys.header.hypervisor_memory;

	cell.mem[0].phys_start = hv->phys_start + hv->size - 0x1000;
	assert_refused(check_cell(), "region 0 overlaps hypervisor memory");
	/* without hypervisor memory to protect, no overlap */
	assert_accepted(config_check_cell(&cell.desc, sizeof(cell), QEMU_CPUS,
					  NULL, false));
	cell.mem[0].phys_start = hv->phys_start + hv->size;
	assert_accepted(check_cell());
	cell.mem[0].phys_start = hv->phys_start - cell.mem[0].size;
	assert_accepted(check_cell());
	/* the comm region has no physical memory of its own */
	cell.mem[1].phys_start = hv->phys_start;
	assert_accepted(check_cell());
}

static void test_cache_regions(void **state)
{
	cell.cache[0].type = JAILHOUSE_CACHE_L3_CODE;
	assert_accepted(check_cell());
	cell.cache[0].type = 0;
	assert_refused(check_cell(), "cache region 0 has an unknown type");
	cell.cache[0].type = 4;
	assert_refused(check_cell(), "cache region 0 has an unknown type");
}

/* Port ranges are x86's: an arm64 config with one is refused. */
static void test_pio_not_on_arm(void **state)
{
	struct {
		struct jailhouse_cell_desc desc;
		__u64 cpus[1];
		struct jailhouse_pio pio[1];
	} __attribute__((packed)) pio_cell = {
		.desc = {
			.signature = JAILHOUSE_CELL_DESC_SIGNATURE,
			.architecture = JAILHOUSE_ARM64,
			.revision = JAILHOUSE_CONFIG_REVISION,
			.name = "pio",
			.cpu_set_size = sizeof(pio_cell.cpus),
			.num_pio_regions = 1,
		},
		.cpus = { 0x2 },
		.pio = { PIO_RANGE(0x3f8, 8) },
	};

	assert_refused(config_check_cell(&pio_cell.desc, sizeof(pio_cell),
					 QEMU_CPUS, NULL, false),
		       "Invalid config \"pio\": PIO regions, but only x86 "
		       "has I/O ports");
	pio_cell.desc.num_pio_regions = 0;
	assert_accepted(config_check_cell(&pio_cell.desc, sizeof(pio_cell),
					  QEMU_CPUS, NULL, false));
}

static void test_pci_capabilities(void **state)
{
	cell.pci[0].caps_start = 1;
	assert_refused(check_cell(), "PCI device 0 refers to missing");
	cell.pci[0].num_caps = 1;
	assert_accepted(check_cell());
	cell.pci[0].caps_start = 0xffff;
	assert_refused(check_cell(), "missing capabilities");
}

static void test_ivshmem_regions(void **state)
{
	cell.pci[0].shmem_peers = 0;
	cell.pci[0].shmem_dev_id = 0;
	assert_refused(check_cell(), "shared-memory device 0");
	reset(state);
	cell.pci[0].shmem_dev_id = 2;
	assert_refused(check_cell(), "shared-memory device 0");
	reset(state);
	/* three peers need one more output region than the config has */
	cell.pci[0].shmem_peers = 3;
	assert_refused(check_cell(), "refers to missing memory regions");
	reset(state);
	cell.pci[0].shmem_regions_start = 4;
	assert_refused(check_cell(), "refers to missing memory regions");
	reset(state);
	cell.pci[0].shmem_regions_start = 0xffffffff;
	assert_refused(check_cell(), "refers to missing memory regions");
	reset(state);
	/* a plain PCI device has no shared memory to check */
	cell.pci[0].type = JAILHOUSE_PCI_TYPE_DEVICE;
	cell.pci[0].shmem_peers = 0;
	assert_accepted(check_cell());
}

static void test_ivshmem_rights(void **state)
{
	/* mem[3..6]: state table, no read/write section, outputs 0 and 1 */
	cell.mem[3].flags |= JAILHOUSE_MEM_WRITE;
	assert_refused(check_cell(), "memory region 3 (state table) must be "
		       "read-only");
	reset(state);
	cell.mem[5].flags |= JAILHOUSE_MEM_WRITE;
	assert_refused(check_cell(), "region 5 (another peer's output "
		       "section) must be read-only");
	reset(state);
	cell.mem[6].flags &= ~(u64)JAILHOUSE_MEM_WRITE;
	assert_refused(check_cell(), "region 6 (this peer's output section) "
		       "must be readable and writable");
	reset(state);
	cell.mem[6].virt_start += 0x1000;
	assert_refused(check_cell(), "region 6 does not follow the previous "
		       "one");
	reset(state);
	cell.mem[6].size -= 0x1000;
	assert_refused(check_cell(), "region 6 differs in size");
	reset(state);
	cell.mem[5].flags |= JAILHOUSE_MEM_IO;
	assert_refused(check_cell(), "region 5 is I/O, comm or loadable");
	reset(state);
	/* a read/write section where there was none */
	cell.mem[4] = (struct jailhouse_memory){
		.phys_start = 0x7d001000, .virt_start = 0x7d001000,
		.size = 0x1000, .flags = JAILHOUSE_MEM_READ,
	};
	assert_refused(check_cell(), "region 4 (read/write section) must be "
		       "readable and writable");
	cell.mem[4].flags |= JAILHOUSE_MEM_WRITE;
	assert_refused(check_cell(), "region 5 does not follow");
	reset(state);
	cell.mem[3].size = 0;
	cell.mem[3].flags = 0;
	assert_refused(check_cell(), "region 3 (state table) must be");
}

static void test_pci_same_address(void **state)
{
	struct {
		struct jailhouse_cell_desc desc;
		__u64 cpus[1];
		struct jailhouse_pci_device pci[2];
	} __attribute__((packed)) two = {
		.desc = cell_template.desc,
		.cpus = { 0x4 },
		.pci = {
			{ .type = JAILHOUSE_PCI_TYPE_DEVICE, .bdf = 0x10 },
			{ .type = JAILHOUSE_PCI_TYPE_DEVICE, .bdf = 0x10 },
		},
	};

	two.desc.num_memory_regions = 0;
	two.desc.num_cache_regions = 0;
	two.desc.num_irqchips = 0;
	two.desc.num_pci_devices = 2;
	two.desc.num_pci_caps = 0;
	two.desc.num_stream_ids = 0;
	assert_refused(config_check_cell(&two.desc, sizeof(two), QEMU_CPUS,
					 NULL, false),
		       "PCI devices 0 and 1 have the same address");
	two.pci[1].domain = 1;
	assert_accepted(config_check_cell(&two.desc, sizeof(two), QEMU_CPUS,
					  NULL, false));
}

static void test_array_count_limit(void **state)
{
	/* absurd counts are refused before any array is looked at */
	cell.desc.num_stream_ids = 0x100001;
	assert_refused(config_check_cell(&cell.desc, ~0ULL, QEMU_CPUS, NULL,
					 false), "exceed the config size");
	reset(state);
	cell.desc.cpu_set_size = 0x100008;
	assert_refused(config_check_cell(&cell.desc, ~0ULL, QEMU_CPUS, NULL,
					 false), "exceed the config size");
}

/* CPUs the root cell has in the in-root tests */
static unsigned long root_cpus[1];

static int check_in_root(void)
{
	return config_check_cell_in_root(&cell.desc, &sys.header.root_cell,
					 root_cpus, QEMU_CPUS);
}

static void test_in_root_cpus(void **state)
{
	root_cpus[0] = 0xf;
	assert_accepted(check_in_root());
	cell.cpus[0] = 0x1;
	assert_refused(check_in_root(), "CPU 0 stays with the root cell");
	/* CPU 2 went to another cell meanwhile */
	cell.cpus[0] = 0x4;
	root_cpus[0] = 0xb;
	assert_refused_err(check_in_root(), -EBUSY,
			   "CPU 2 is not the root cell's");
	/* the root must keep one */
	root_cpus[0] = 0x4;
	assert_refused(check_in_root(), "take all CPUs of the root cell");
	root_cpus[0] = 0x5;
	assert_accepted(check_in_root());
	cell.cpus[0] = 0xc;
	root_cpus[0] = 0xd;
	assert_accepted(check_in_root());
}

static void test_in_root_memory(void **state)
{
	root_cpus[0] = 0xf;
	/* the hypervisor's memory is no root memory */
	cell.mem[0].phys_start = 0x7f000000;
	assert_refused(check_in_root(), "region 0 (0x7f000000-0x7f0fffff) "
		       "is not the root cell's");
	cell.mem[0].phys_start = 0x7ef00000;
	assert_accepted(check_in_root());
	cell.mem[0].phys_start = 0x7ef01000;
	assert_refused(check_in_root(), "region 0");
	/* two adjacent root regions cover it together */
	cell.mem[0].phys_start = 0x6ff00000;
	cell.mem[0].size = 0x200000;
	assert_accepted(check_in_root());
	/* a gap between two root regions does not count */
	cell.mem[0].phys_start = 0x09000000;
	cell.mem[0].size = 0x11000;
	assert_refused(check_in_root(), "region 0");
	cell.mem[0].size = 0x1000;
	assert_accepted(check_in_root());
	/* the end of the address space, without wrapping around */
	cell.mem[0].phys_start = 0xfffffffffff00000ULL;
	cell.mem[0].size = 0x100000;
	assert_refused(check_in_root(), "region 0");
	reset(state);
	root_cpus[0] = 0xf;
	/* sub-page I/O regions are checked byte-wise */
	cell.mem[2].phys_start = 0x09000f00;
	cell.mem[2].size = 0x100;
	assert_accepted(check_in_root());
	cell.mem[2].size = 0x104;
	assert_refused(check_in_root(), "region 2");
}

static void test_in_root_comm_region(void **state)
{
	root_cpus[0] = 0xf;
	/* the comm region's physical start is meaningless */
	cell.mem[1].phys_start = 0x7f000000;
	assert_accepted(check_in_root());
	cell.mem[1].size = 0x2000;
	assert_refused(check_in_root(), "one comm region of one page");
	reset(state);
	root_cpus[0] = 0xf;
	cell.mem[0] = cell.mem[1];
	assert_refused(check_in_root(), "region 1: a cell has one comm");
}

static struct test_cell other;

static void test_cells_disjoint(void **state)
{
	memcpy(&other, &cell_template, sizeof(other));
	memcpy(other.desc.name, "other", sizeof("other"));
	other.cpus[0] = 0x8;
	other.mem[0].phys_start = 0x70100000;
	/* the UART is shared by both with the root */
	cell.mem[2].flags |= JAILHOUSE_MEM_ROOTSHARED;
	other.mem[2].flags |= JAILHOUSE_MEM_ROOTSHARED;
	assert_accepted(config_check_cells_disjoint(&cell.desc, &other.desc));

	other.cpus[0] = 0xc;
	assert_refused_err(config_check_cells_disjoint(&cell.desc,
						       &other.desc), -EBUSY,
			   "CPU 2 belongs to cell \"other\"");
	other.cpus[0] = 0x8;

	/* one byte in common is one too many */
	other.mem[0].phys_start = 0x700ff000;
	assert_refused_err(config_check_cells_disjoint(&cell.desc,
						       &other.desc), -EBUSY,
			   "region 0 (0x70000000-0x700fffff) overlaps memory "
			   "of cell \"other\"");
	other.mem[0].phys_start = 0x70100000;

	/* shared only if both share it */
	other.mem[2].flags &= ~(u64)JAILHOUSE_MEM_ROOTSHARED;
	assert_refused_err(config_check_cells_disjoint(&cell.desc,
						       &other.desc), -EBUSY,
			   "region 2");
	other.mem[2].flags |= JAILHOUSE_MEM_ROOTSHARED;
	cell.mem[2].flags &= ~(u64)JAILHOUSE_MEM_ROOTSHARED;
	assert_refused_err(config_check_cells_disjoint(&cell.desc,
						       &other.desc), -EBUSY,
			   "region 2");
	cell.mem[2].flags |= JAILHOUSE_MEM_ROOTSHARED;

	/* comm regions and unused slots have no memory to share */
	other.mem[0] = other.mem[1];
	other.mem[0].phys_start = 0x70000000;
	assert_accepted(config_check_cells_disjoint(&cell.desc, &other.desc));
	memset(&cell.mem[0], 0, sizeof(cell.mem[0]));
	assert_accepted(config_check_cells_disjoint(&cell.desc, &other.desc));
}

#define config_test(f)	cmocka_unit_test_setup(f, reset)

int main(void)
{
	const struct CMUnitTest tests[] = {
		config_test(test_sizes),
		config_test(test_shipped_system_config),
		config_test(test_system_signature),
		config_test(test_system_architecture),
		config_test(test_system_revision),
		config_test(test_system_truncated),
		config_test(test_system_count_overflow),
		config_test(test_hypervisor_memory),
		config_test(test_debug_console_type),
		config_test(test_root_overlaps_hypervisor),
		config_test(test_cell_valid),
		config_test(test_cell_header),
		config_test(test_root_cell_needs_no_signature),
		config_test(test_cell_name),
		config_test(test_cell_name_characters),
		config_test(test_root_identity_mapped),
		config_test(test_cell_cpus),
		config_test(test_memory_ranges),
		config_test(test_memory_flags),
		config_test(test_memory_io_width),
		config_test(test_memory_alignment),
		config_test(test_memory_overlaps_hypervisor),
		config_test(test_cache_regions),
		config_test(test_pio_not_on_arm),
		config_test(test_pci_capabilities),
		config_test(test_ivshmem_regions),
		config_test(test_ivshmem_rights),
		config_test(test_pci_same_address),
		config_test(test_array_count_limit),
		config_test(test_in_root_cpus),
		config_test(test_in_root_memory),
		config_test(test_in_root_comm_region),
		config_test(test_cells_disjoint),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
