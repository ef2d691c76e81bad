// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the config space filter of PCI device assignment
 * (hypervisor/pci-assign.c), driven through its public functions as pci.c
 * calls them.
 *
 * The device is a fake function in host memory, behind dev->cfg as the
 * ECAM page would be: mmio.c's mmio_perform_access() reaches it through
 * arch_mmio_access(), wrapped (-Wl,--wrap) to give each byte the behaviour
 * of real hardware - read-only, read-write or write-1-to-clear bits - so
 * that BARs answer sizing writes with their size mask and keep their type
 * bits, as the code under test relies on.
 */
#include "test.h"

#include <jailhouse/cell.h>
#include <jailhouse/errno.h>
#include <jailhouse/mmio.h>
#include <jailhouse/pci.h>
#include <jailhouse/percpu.h>
#include <jailhouse/unit.h>
#include <jailhouse/utils.h>

#define ECAM		0x4010000000UL
#define BDF		(0x02 << 3)		/* 00:02.0 */
#define BDF_ELSEWHERE	(0x03 << 3)		/* not the root's */

/* Where the root's firmware left the fake device's BARs. */
#define IO_BAR0		0x00001001		/* 32 bytes of I/O */
#define MEM_BAR1	0x10000000		/* 4 KiB, 32-bit */
#define MEM_BAR2	0x8000000000ULL		/* 16 KiB, 64-bit */
#define MEM_BAR4	0x10100000		/* 1 MiB, 32-bit */
#define ROM_ADDR	0x10080000		/* 32 KiB, disabled */

#define CAP_MSIX	0x40
#define CAP_VENDOR	0x50
#define CAP_MSI		0x60
/* vendor capability: bits that the device clears on a write of 1 */
#define VENDOR_W1C	0x56

/* --- the fake function ------------------------------------------------- */

static u8 fake_cfg[PCI_CFG_SIZE] __attribute__((aligned(8)));
/* per byte: the bits a write changes, the bits a written 1 clears */
static u8 fake_wmask[PCI_CFG_SIZE];
static u8 fake_w1c[PCI_CFG_SIZE];
/* every access faults: the function went away */
static bool fake_gone;
static unsigned int fake_accesses;

/* The writes that reached the device since the last fake_log_clear(). */
static struct {
	unsigned int reg, size;
	u32 value;
} fake_writes[64];
static unsigned int num_fake_writes;

static void fake_log_clear(void)
{
	num_fake_writes = 0;
	fake_accesses = 0;
	printk_log_clear();
}

static void fake_set(unsigned int reg, unsigned int size, u32 value,
		     u32 wmask, u32 w1c)
{
	unsigned int n;

	for (n = 0; n < size; n++) {
		fake_cfg[reg + n] = value >> (8 * n);
		fake_wmask[reg + n] = wmask >> (8 * n);
		fake_w1c[reg + n] = w1c >> (8 * n);
	}
}

static u32 fake_get(unsigned int reg, unsigned int size)
{
	u32 value = 0;
	unsigned int n;

	for (n = 0; n < size; n++)
		value |= (u32)fake_cfg[reg + n] << (8 * n);
	return value;
}

/* Overwrite the device's state, as its own logic or firmware would. */
static void fake_poke(unsigned int reg, unsigned int size, u32 value)
{
	unsigned int n;

	for (n = 0; n < size; n++)
		fake_cfg[reg + n] = value >> (8 * n);
}

/*
 * virtio-net as QEMU shows it, roughly: command with I/O, memory and bus
 * mastering on (root Linux uses it), capabilities MSI-X, vendor and MSI.
 */
static void fake_reset(void)
{
	memset(fake_cfg, 0, sizeof(fake_cfg));
	memset(fake_wmask, 0, sizeof(fake_wmask));
	memset(fake_w1c, 0, sizeof(fake_w1c));
	fake_gone = false;
	fake_device_abort_at = NULL;

	fake_set(PCI_CFG_ID, 4, 0x10001af4, 0, 0);
	fake_set(PCI_CFG_COMMAND, 2, PCI_CMD_IO | PCI_CMD_MEMORY |
		 PCI_CMD_MASTER, 0x0547, 0);
	fake_set(PCI_CFG_STATUS, 2, PCI_STS_CAPS, 0, 0xf900);
	fake_set(PCI_CFG_CLASS, 4, 0x02000000, 0, 0);
	fake_set(PCI_CFG_CACHE_LINE, 1, 0, 0xff, 0);
	fake_set(PCI_CFG_LATENCY, 1, 0, 0xff, 0);
	fake_set(0x0e, 2, 0x0000, 0, 0);	/* header type, BIST */

	fake_set(PCI_CFG_BAR0, 4, IO_BAR0, 0xffffffe0, 0);
	fake_set(PCI_CFG_BAR0 + 4, 4, MEM_BAR1, 0xfffff000, 0);
	fake_set(PCI_CFG_BAR0 + 8, 4, (u32)MEM_BAR2 | 0xc, 0xffffc000, 0);
	fake_set(PCI_CFG_BAR0 + 12, 4, MEM_BAR2 >> 32, 0xffffffff, 0);
	fake_set(PCI_CFG_BAR0 + 16, 4, MEM_BAR4, 0xfff00000, 0);
	/* BAR 5 unimplemented: reads 0, ignores writes */

	fake_set(PCI_CFG_SUBSYS, 4, 0x00011af4, 0, 0);
	fake_set(PCI_CFG_ROM, 4, ROM_ADDR, 0xffff8001, 0);
	fake_set(PCI_CFG_CAP_PTR, 1, CAP_MSIX, 0, 0);
	fake_set(PCI_CFG_INT, 1, 0, 0xff, 0);
	fake_set(PCI_CFG_INT + 1, 1, 1, 0, 0);	/* pin A */

	/* MSI-X: enable and function mask writable, 4 vectors in BAR 1 */
	fake_set(CAP_MSIX, 2, (CAP_VENDOR << 8) | PCI_CAP_MSIX, 0, 0);
	fake_set(CAP_MSIX + 2, 2, 0x0003, 0xc000, 0);
	fake_set(CAP_MSIX + 4, 4, 0x00000001, 0, 0);
	fake_set(CAP_MSIX + 8, 4, 0x00000801, 0, 0);

	/* vendor: three writable bytes, then a status of its own */
	fake_set(CAP_VENDOR, 4, 0x0c000000 | (CAP_MSI << 8) | PCI_CAP_VENDOR,
		 0, 0);
	fake_set(CAP_VENDOR + 3, 3, 0, 0xffffff, 0);
	fake_set(VENDOR_W1C, 2, 0, 0, 0x0003);

	/* MSI, 64-bit: enable and multiple message enable writable */
	fake_set(CAP_MSI, 2, PCI_CAP_MSI, 0, 0);
	fake_set(CAP_MSI + 2, 2, 0x0080, 0x0071, 0);
	fake_set(CAP_MSI + 4, 4, 0, 0xfffffffc, 0);
	fake_set(CAP_MSI + 8, 4, 0, 0xffffffff, 0);
	fake_set(CAP_MSI + 12, 2, 0, 0xffff, 0);

	fake_log_clear();
}

enum mmio_result __wrap_arch_mmio_access(void *addr,
					 struct mmio_access *mmio);

enum mmio_result __wrap_arch_mmio_access(void *addr, struct mmio_access *mmio)
{
	uintptr_t reg = (uintptr_t)addr - (uintptr_t)fake_cfg;
	unsigned int n;
	u8 byte, old;

	if (reg >= PCI_CFG_SIZE || reg + mmio->size > PCI_CFG_SIZE)
		fail_msg("access at %p, outside the device", addr);
	/* ECAM takes naturally aligned accesses only */
	if (mmio->size != 1 && mmio->size != 2 && mmio->size != 4)
		fail_msg("access of %u bytes", mmio->size);
	if (reg % mmio->size)
		fail_msg("unaligned access at 0x%lx", (unsigned long)reg);

	fake_accesses++;
	if (fake_gone || addr == fake_device_abort_at)
		return MMIO_DEVICE_ABORT;

	if (!mmio->is_write) {
		mmio->value = fake_get(reg, mmio->size);
		return MMIO_HANDLED;
	}
	if (num_fake_writes < ARRAY_SIZE(fake_writes)) {
		fake_writes[num_fake_writes].reg = reg;
		fake_writes[num_fake_writes].size = mmio->size;
		fake_writes[num_fake_writes].value = mmio->value;
	}
	num_fake_writes++;
	for (n = 0; n < mmio->size; n++) {
		byte = mmio->value >> (8 * n);
		old = fake_cfg[reg + n];
		fake_cfg[reg + n] = ((old & ~fake_wmask[reg + n]) |
				     (byte & fake_wmask[reg + n])) &
			~(byte & fake_w1c[reg + n]);
	}
	return MMIO_HANDLED;
}

/* Did a write of @size bytes of @value reach @reg since the log's start? */
static bool fake_written(unsigned int reg, unsigned int size, u32 value)
{
	unsigned int n;

	for (n = 0; n < num_fake_writes && n < ARRAY_SIZE(fake_writes); n++)
		if (fake_writes[n].reg == reg && fake_writes[n].size == size &&
		    fake_writes[n].value == value)
			return true;
	return false;
}

/* --- the rest of the hypervisor ------------------------------------------ */

/* mmio.c's needs beyond mmio_perform_access(), which are not reached */
const struct unit test_no_units[1];
static struct per_cpu cpu;
void *test_cpu_data = &cpu;

int arch_unmap_memory_region(struct cell *cell,
			     const struct jailhouse_memory *mem)
{
	return 0;
}

void paging_unmap_device(unsigned long phys, void *virt, unsigned long size)
{
}

static bool map_fails;

/* The ECAM page of 00:02.0 is the fake; the test has no other. */
void *paging_map_device(unsigned long phys, unsigned long size)
{
	assert_int_equal(phys, ECAM + (BDF << 12));
	assert_int_equal(size, PCI_CFG_SIZE);
	return map_fails ? NULL : fake_cfg;
}

/* --- cells ------------------------------------------------------------- */

struct test_config {
	struct jailhouse_cell_desc desc;
	__u64 cpus[1];
	struct jailhouse_memory mem[4];
	struct jailhouse_pci_device pci[2];
	struct jailhouse_pci_capability caps[3];
} __attribute__((packed));

#define RW	(JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE)
#define IO	(RW | JAILHOUSE_MEM_IO)

#define TEST_CAPS							\
	{								\
		{ .id = PCI_CAP_MSIX, .start = CAP_MSIX, .len = 12,	\
		  .flags = JAILHOUSE_PCICAPS_WRITE },			\
		/* the vendor one without its status word */		\
		{ .id = PCI_CAP_VENDOR, .start = CAP_VENDOR, .len = 6,	\
		  .flags = JAILHOUSE_PCICAPS_WRITE },			\
		{ .id = PCI_CAP_MSI, .start = CAP_MSI, .len = 14,	\
		  .flags = JAILHOUSE_PCICAPS_WRITE },			\
	}

#define CONFIG_HEADER(cell_name)					\
	{								\
		.name = cell_name,					\
		.cpu_set_size = sizeof(__u64),				\
		.num_memory_regions = 4,				\
		.num_pci_devices = 2,					\
		.num_pci_caps = 3,					\
	}

/* The root: the host's memory windows, the device and an ivshmem one. */
static const struct test_config root_template = {
	.desc = CONFIG_HEADER("root"),
	.cpus = { 0x3 },
	.mem = {
		{ .phys_start = 0x40000000, .virt_start = 0x40000000,
		  .size = 0x3c000000, .flags = RW },
		{ .phys_start = 0x10000000, .virt_start = 0x10000000,
		  .size = 0x2eff0000, .flags = IO },
		{ .phys_start = 0x8000000000, .virt_start = 0x8000000000,
		  .size = 0x8000000000, .flags = IO },
		/* a region of nothing, as a generated config may have */
		{ .phys_start = 0x09000000, .size = 0, .flags = IO },
	},
	.pci = {
		{ .type = JAILHOUSE_PCI_TYPE_IVSHMEM, .bdf = BDF },
		{ .type = JAILHOUSE_PCI_TYPE_DEVICE, .bdf = BDF,
		  .bar_mask = { 0xffffffe0, 0xfffff000, 0xffffc000,
				0xffffffff, 0xfff00000, 0 },
		  .num_caps = 3 },
	},
	.caps = TEST_CAPS,
};

/*
 * The cell that takes the device: BAR 2's and BAR 4's windows with room
 * to move, BAR 1 (MSI-X table) and BAR 5 hidden, and a page it shares
 * with the root.
 */
static const struct test_config cell1_template = {
	.desc = CONFIG_HEADER("cell1"),
	.cpus = { 0x2 },
	.mem = {
		{ .phys_start = 0x70000000, .virt_start = 0,
		  .size = 0x1000000, .flags = RW },
		{ .phys_start = MEM_BAR2, .virt_start = MEM_BAR2,
		  .size = 0x8000, .flags = IO },
		{ .phys_start = MEM_BAR4, .virt_start = MEM_BAR4,
		  .size = 0x200000, .flags = IO },
		{ .phys_start = 0x10400000, .virt_start = 0x10400000,
		  .size = 0x1000, .flags = RW | JAILHOUSE_MEM_ROOTSHARED },
	},
	.pci = {
		{ .type = JAILHOUSE_PCI_TYPE_DEVICE, .bdf = BDF,
		  .bar_mask = { 0xffffffe0, 0, 0xffffc000, 0xffffffff,
				0xfff00000, 0 },
		  .num_caps = 3 },
	},
	.caps = TEST_CAPS,
};

/* Another cell: the same device, one the root does not have, I/O memory. */
static const struct test_config cell2_template = {
	.desc = CONFIG_HEADER("cell2"),
	.cpus = { 0x4 },
	.mem = {
		{ .phys_start = 0x71000000, .virt_start = 0,
		  .size = 0x1000000, .flags = RW },
		{ .phys_start = 0x10600000, .virt_start = 0x10600000,
		  .size = 0x100000, .flags = IO },
	},
	.pci = {
		{ .type = JAILHOUSE_PCI_TYPE_DEVICE, .bdf = BDF,
		  .bar_mask = { 0, 0, 0xffffc000, 0xffffffff, 0xfff00000, 0 } },
		{ .type = JAILHOUSE_PCI_TYPE_DEVICE, .bdf = BDF_ELSEWHERE },
	},
};

static struct test_config root_config, cell1_config, cell2_config;

struct cell root_cell;
static struct cell cell1, cell2;
static struct pci_device root_devs[2], cell1_devs[1], cell2_devs[2];

/* The root's entry of the fake, the cell's, as pci.c sets them up. */
#define root_fn	(&root_devs[1])
#define cell_fn	(&cell1_devs[0])

static void cell_init(struct cell *cell, struct test_config *config,
		      struct pci_device *devs, unsigned int num)
{
	unsigned int n;

	memset(cell, 0, sizeof(*cell));
	cell->config = &config->desc;
	cell->pci_devices = devs;
	cell->num_pci_devices = num;
	for (n = 0; n < num; n++) {
		memset(&devs[n], 0, sizeof(devs[n]));
		devs[n].info = &config->pci[n];
		devs[n].cell = cell;
	}
}

static void root_init(void)
{
	cell_init(&root_cell, &root_config, root_devs, 2);
	assert_int_equal(pci_assign_root_init(root_fn, ECAM), 0);
	fake_log_clear();
}

static int reset(void **state)
{
	memcpy(&root_config, &root_template, sizeof(root_config));
	memcpy(&cell1_config, &cell1_template, sizeof(cell1_config));
	memcpy(&cell2_config, &cell2_template, sizeof(cell2_config));
	map_fails = false;
	fake_reset();
	root_init();
	cell_init(&cell1, &cell1_config, cell1_devs, 1);
	cell_init(&cell2, &cell2_config, cell2_devs, 2);
	return 0;
}

/* cell1 takes the device; the log starts after. */
static void take(void)
{
	assert_int_equal(pci_assign_take(cell_fn), 0);
	fake_log_clear();
}

/* The cells exist: the root's devices must keep out of their memory. */
static void link_cells(void)
{
	root_cell.next = &cell1;
	cell1.next = &cell2;
}

#define assert_logged(text)						\
	do {								\
		if (!printk_log_contains(text))				\
			fail_msg("log \"%s\" lacks \"%s\"", printk_log,	\
				 text);					\
	} while (0)

#define assert_log_empty()						\
	do {								\
		if (printk_log[0])					\
			fail_msg("unexpected message \"%s\"", printk_log); \
	} while (0)

#define REFUSED(reg)	"Cell \"cell1\": PCI 00:02.0: config write at " \
	reg " ignored, not the cell's to change (reported once)"

/* --- the root's entry ----------------------------------------------------- */

static void test_root_init(void **state)
{
	static const u8 flags[PCI_NUM_BARS] = {
		PCI_BAR_F_IO, 0, PCI_BAR_F_MEM64, PCI_BAR_F_UPPER, 0,
		PCI_BAR_F_HIDDEN,
	};
	static const u64 sizes[PCI_NUM_BARS] = {
		0, 0x1000, 0x4000, 0, 0x100000, 0,
	};

	assert_ptr_equal(root_fn->cfg, fake_cfg);
	assert_memory_equal(root_fn->bar_flags, flags, sizeof(flags));
	assert_memory_equal(root_fn->bar_size, sizes, sizeof(sizes));

	/* the root's BARs are in use: not sized, not moved, not scrubbed */
	fake_reset();
	root_init();
	assert_int_equal(num_fake_writes, 0);

	map_fails = true;
	root_fn->cfg = NULL;
	assert_int_equal(pci_assign_root_init(root_fn, ECAM), -ENOMEM);
}

/* --- taking and giving back ----------------------------------------------- */

static void test_take(void **state)
{
	static const u8 flags[PCI_NUM_BARS] = {
		PCI_BAR_F_IO | PCI_BAR_F_HIDDEN, PCI_BAR_F_HIDDEN,
		PCI_BAR_F_MEM64, PCI_BAR_F_UPPER, 0, PCI_BAR_F_HIDDEN,
	};
	static const u64 sizes[PCI_NUM_BARS] = {
		0, 0, 0x4000, 0, 0x100000, 0,
	};

	/* root Linux left MSI-X and MSI on, and the function masked */
	fake_poke(CAP_MSIX + 2, 2, 0xc003);
	fake_poke(CAP_MSI + 2, 2, 0x0081);
	fake_poke(PCI_CFG_COMMAND, 2, 0x0547);

	assert_int_equal(pci_assign_take(cell_fn), 0);
	assert_ptr_equal(root_fn->lent_to, &cell1);
	assert_true(pci_assign_lent(root_fn));
	assert_ptr_equal(cell_fn->root_dev, root_fn);
	assert_ptr_equal(cell_fn->cfg, fake_cfg);

	/* scrubbed: only INTx masked, MSI and MSI-X off, the rest kept */
	assert_int_equal(fake_get(PCI_CFG_COMMAND, 2), PCI_CMD_INTX_DISABLE);
	assert_int_equal(fake_get(CAP_MSIX + 2, 2), 0x4003);
	assert_int_equal(fake_get(CAP_MSI + 2, 2), 0x0080);

	/* sized: the memory BARs it sees, each back where it was */
	assert_true(fake_written(PCI_CFG_BAR0 + 8, 4, ~0U));
	assert_true(fake_written(PCI_CFG_BAR0 + 12, 4, ~0U));
	assert_true(fake_written(PCI_CFG_BAR0 + 16, 4, ~0U));
	assert_false(fake_written(PCI_CFG_BAR0, 4, ~0U));
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 8, 4), (u32)MEM_BAR2 | 0xc);
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 12, 4), MEM_BAR2 >> 32);
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 16, 4), MEM_BAR4);
	assert_memory_equal(cell_fn->bar_flags, flags, sizeof(flags));
	assert_memory_equal(cell_fn->bar_size, sizes, sizeof(sizes));

	/* the hidden memory BAR parked at 0, the I/O BAR and ROM untouched */
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 4, 4), 0);
	assert_int_equal(fake_get(PCI_CFG_BAR0, 4), IO_BAR0);
	assert_int_equal(fake_get(PCI_CFG_ROM, 4), ROM_ADDR);

	/* its config lists MSI and MSI-X writable: told they stay off */
	assert_logged("Cell \"cell1\": PCI 00:02.0: MSI and MSI-X stay off "
		      "(no interrupt remapping), the device uses INTx\n");
}

static void test_take_without_msi(void **state)
{
	/* the vendor capability writable alone: nothing to say */
	cell1_config.caps[0].flags = 0;
	cell1_config.caps[2].flags = 0;
	assert_int_equal(pci_assign_take(cell_fn), 0);
	assert_log_empty();

	/* MSI-X alone is enough to say it */
	pci_assign_give_back(cell_fn);
	cell1_config.caps[0].flags = JAILHOUSE_PCICAPS_WRITE;
	printk_log_clear();
	assert_int_equal(pci_assign_take(cell_fn), 0);
	assert_logged("MSI and MSI-X stay off");
}

static void test_take_not_in_root(void **state)
{
	assert_int_equal(pci_assign_take(&cell2_devs[1]), -EINVAL);
	assert_logged("Cell \"cell2\": PCI 0000:00:03.0: not a device of the "
		      "root cell's config\n");
	assert_int_equal(fake_accesses, 0);
	assert_null(cell2_devs[1].root_dev);

	/* the root's ivshmem function at the same address does not count */
	root_config.pci[1].bdf = BDF_ELSEWHERE;
	root_config.pci[1].domain = 1;
	printk_log_clear();
	assert_int_equal(pci_assign_take(cell_fn), -EINVAL);
	assert_logged("not a device of the root cell's config");
}

static void test_take_already_lent(void **state)
{
	take();
	assert_int_equal(pci_assign_take(&cell2_devs[0]), -EINVAL);
	assert_logged("Cell \"cell2\": PCI 0000:00:02.0: already with another "
		      "cell\n");
	assert_int_equal(num_fake_writes, 0);
	assert_ptr_equal(root_fn->lent_to, &cell1);
	assert_null(cell2_devs[0].root_dev);
	assert_null(cell2_devs[0].cfg);
}

static void assert_take_refused(const char *message)
{
	fake_poke(PCI_CFG_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER);
	fake_log_clear();
	assert_int_equal(pci_assign_take(cell_fn), -EINVAL);
	assert_logged(message);
	/* back with the root, scrubbed, its BARs where they were */
	assert_null(root_fn->lent_to);
	assert_null(cell_fn->root_dev);
	assert_null(cell_fn->cfg);
	assert_int_equal(fake_get(PCI_CFG_COMMAND, 2), PCI_CMD_INTX_DISABLE);
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 8, 4), (u32)MEM_BAR2 | 0xc);
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 12, 4), MEM_BAR2 >> 32);
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 16, 4), MEM_BAR4);
}

static void test_take_size_mismatch(void **state)
{
	cell1_config.pci[0].bar_mask[4] = 0xfffe0000;
	assert_take_refused("Cell \"cell1\": PCI 00:02.0: BAR 4 decodes "
			    "0x100000 bytes, its bar_mask says 0x20000\n");
	/* the message is the only one: no MSI warning for a refused cell */
	assert_false(printk_log_contains("MSI"));

	/* a 64-bit BAR's upper word counts */
	cell1_config.pci[0].bar_mask[4] = 0xfff00000;
	cell1_config.pci[0].bar_mask[3] = 0xfffffffe;
	assert_take_refused("BAR 2 decodes 0x4000 bytes, its bar_mask says "
			    "0x100004000\n");

	/* a BAR the device does not have */
	cell1_config.pci[0].bar_mask[3] = 0xffffffff;
	cell1_config.pci[0].bar_mask[5] = 0xfffff000;
	assert_take_refused("BAR 5 decodes 0x0 bytes, its bar_mask says "
			    "0x1000\n");

	/* and with all put right, the device goes */
	cell1_config.pci[0].bar_mask[5] = 0;
	assert_int_equal(pci_assign_take(cell_fn), 0);
}

static void test_give_back(void **state)
{
	take();
	pci_assign_cfg_write(cell_fn, PCI_CFG_COMMAND, 2,
			     PCI_CMD_MEMORY | PCI_CMD_MASTER);
	assert_int_equal(fake_get(PCI_CFG_COMMAND, 2),
			 PCI_CMD_MEMORY | PCI_CMD_MASTER);
	fake_poke(CAP_MSIX + 2, 2, 0x8003);

	pci_assign_give_back(cell_fn);
	assert_int_equal(fake_get(PCI_CFG_COMMAND, 2), PCI_CMD_INTX_DISABLE);
	assert_int_equal(fake_get(CAP_MSIX + 2, 2), 0x0003);
	assert_null(root_fn->lent_to);
	assert_false(pci_assign_lent(root_fn));
	assert_null(cell_fn->root_dev);
	assert_null(cell_fn->cfg);

	/* once is enough: a device not taken is left alone */
	fake_log_clear();
	pci_assign_give_back(cell_fn);
	pci_assign_give_back(&cell2_devs[0]);
	assert_int_equal(fake_accesses, 0);

	/* and another cell may take it now */
	assert_int_equal(pci_assign_take(&cell2_devs[0]), 0);
	assert_ptr_equal(root_fn->lent_to, &cell2);
}

/*
 * A 64-bit BAR of 4 GiB or more: the lower word of its bar_mask is 0 (as
 * config create writes it), the upper one is not.
 */
static void test_bar_4g(void **state)
{
	const u64 size = 0x200000000ULL;

	fake_set(PCI_CFG_BAR0 + 8, 4, 0xc, 0, 0);
	fake_set(PCI_CFG_BAR0 + 12, 4, MEM_BAR2 >> 32, 0xfffffffe, 0);
	root_config.pci[1].bar_mask[2] = 0;
	root_config.pci[1].bar_mask[3] = 0xfffffffe;
	cell1_config.pci[0].bar_mask[2] = 0;
	cell1_config.pci[0].bar_mask[3] = 0xfffffffe;
	cell1_config.mem[1].size = size;

	root_init();
	assert_int_equal(root_fn->bar_flags[2], PCI_BAR_F_MEM64);
	assert_int_equal(root_fn->bar_size[2], size);
	assert_int_equal(pci_assign_cfg_read(root_fn, PCI_CFG_BAR0 + 12, 4),
			 MEM_BAR2 >> 32);

	/* measured as it is, not parked, and the cell sees it */
	take();
	assert_int_equal(cell_fn->bar_flags[2], PCI_BAR_F_MEM64);
	assert_int_equal(cell_fn->bar_flags[3], PCI_BAR_F_UPPER);
	assert_int_equal(cell_fn->bar_size[2], size);
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 12, 4), MEM_BAR2 >> 32);
	assert_int_equal(pci_assign_cfg_read(cell_fn, PCI_CFG_BAR0 + 12, 4),
			 MEM_BAR2 >> 32);
	pci_assign_cfg_write(cell_fn, PCI_CFG_COMMAND, 2, PCI_CMD_MEMORY);
	assert_int_equal(fake_get(PCI_CFG_COMMAND, 2), PCI_CMD_MEMORY);
	assert_log_empty();

	/* a config that says 4 GiB is refused */
	pci_assign_give_back(cell_fn);
	cell1_config.pci[0].bar_mask[3] = 0xffffffff;
	assert_int_equal(pci_assign_take(cell_fn), -EINVAL);
	assert_logged("BAR 2 decodes 0x200000000 bytes, its bar_mask says "
		      "0x100000000\n");
}

/* --- a device that faults ------------------------------------------------- */

static void test_faults(void **state)
{
	/* one register faults: it reads all-ones, of the access's size */
	fake_device_abort_at = fake_cfg + PCI_CFG_ID;
	assert_int_equal(pci_assign_cfg_read(root_fn, PCI_CFG_ID, 4),
			 0xffffffff);
	assert_int_equal(pci_assign_cfg_read(root_fn, PCI_CFG_ID + 2, 2),
			 0xffff);
	assert_int_equal(pci_assign_cfg_read(root_fn, PCI_CFG_ID + 1, 1),
			 0xff);
	assert_int_equal(pci_assign_cfg_read(root_fn, PCI_CFG_CLASS, 4),
			 0x02000000);

	/* the capability pointer faults: the walk reads 0xff, ends at 0 */
	fake_device_abort_at = fake_cfg + PCI_CFG_CAP_PTR;
	fake_poke(CAP_MSIX + 2, 2, 0x8003);
	pci_assign_scrub(root_fn);
	assert_int_equal(fake_get(PCI_CFG_COMMAND, 2), PCI_CMD_INTX_DISABLE);
	assert_int_equal(fake_get(CAP_MSIX + 2, 2), 0x8003);

	/*
	 * The function is gone: every read is all-ones, a capability list
	 * looping on itself; scrubbing it still ends.
	 */
	fake_device_abort_at = NULL;
	fake_gone = true;
	fake_log_clear();
	pci_assign_scrub(root_fn);
	assert_in_range(fake_accesses, 1, 4 * 64);
	assert_int_equal(pci_assign_cfg_read(root_fn, PCI_CFG_STATUS, 2),
			 0xffff);
}

/* --- reads ---------------------------------------------------------------- */

static void test_read_root(void **state)
{
	assert_int_equal(pci_assign_cfg_read(root_fn, PCI_CFG_ID, 4),
			 0x10001af4);
	assert_int_equal(pci_assign_cfg_read(root_fn, PCI_CFG_ID + 2, 2),
			 0x1000);
	assert_int_equal(pci_assign_cfg_read(root_fn, 0x0e, 1), 0);
	assert_int_equal(pci_assign_cfg_read(root_fn, PCI_CFG_INT + 1, 1), 1);
	assert_int_equal(pci_assign_cfg_read(root_fn, PCI_CFG_BAR0, 4),
			 IO_BAR0);
	assert_int_equal(pci_assign_cfg_read(root_fn, PCI_CFG_BAR0 + 4, 4),
			 MEM_BAR1);
	assert_int_equal(pci_assign_cfg_read(root_fn, PCI_CFG_ROM, 4),
			 ROM_ADDR);
	assert_int_equal(pci_assign_cfg_read(root_fn, CAP_MSIX, 1),
			 PCI_CAP_MSIX);

	/* a BAR the root's config leaves out reads 0, on the device or not */
	root_config.pci[1].bar_mask[1] = 0;
	root_init();
	assert_int_equal(pci_assign_cfg_read(root_fn, PCI_CFG_BAR0 + 4, 4), 0);
	assert_int_equal(pci_assign_cfg_read(root_fn, PCI_CFG_BAR0 + 6, 2), 0);
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 4, 4), MEM_BAR1);
}

static void test_read_cell(void **state)
{
	take();
	assert_int_equal(pci_assign_cfg_read(cell_fn, PCI_CFG_ID, 4),
			 0x10001af4);
	assert_int_equal(pci_assign_cfg_read(cell_fn, PCI_CFG_STATUS, 2),
			 PCI_STS_CAPS);

	/* the I/O BAR and the ROM are the root's alone */
	assert_int_equal(fake_get(PCI_CFG_BAR0, 4), IO_BAR0);
	assert_int_equal(pci_assign_cfg_read(cell_fn, PCI_CFG_BAR0, 4), 0);
	assert_int_equal(pci_assign_cfg_read(cell_fn, PCI_CFG_BAR0, 1), 0);
	assert_int_equal(pci_assign_cfg_read(cell_fn, PCI_CFG_ROM, 4), 0);
	assert_int_equal(pci_assign_cfg_read(cell_fn, PCI_CFG_ROM + 2, 2), 0);

	/* hidden BARs read 0, even as the device answers sizing */
	fake_poke(PCI_CFG_BAR0 + 4, 4, 0xfffff000);
	assert_int_equal(pci_assign_cfg_read(cell_fn, PCI_CFG_BAR0 + 4, 4), 0);
	assert_int_equal(pci_assign_cfg_read(cell_fn, PCI_CFG_BAR0 + 20, 4),
			 0);

	/* those it sees read as they are */
	assert_int_equal(pci_assign_cfg_read(cell_fn, PCI_CFG_BAR0 + 8, 4),
			 (u32)MEM_BAR2 | 0xc);
	assert_int_equal(pci_assign_cfg_read(cell_fn, PCI_CFG_BAR0 + 12, 4),
			 MEM_BAR2 >> 32);
	assert_int_equal(pci_assign_cfg_read(cell_fn, PCI_CFG_BAR0 + 18, 2),
			 MEM_BAR4 >> 16);
	assert_int_equal(pci_assign_cfg_read(cell_fn, PCI_CFG_BAR0 + 19, 1),
			 MEM_BAR4 >> 24);
	/* so does the MSI-X capability, which it may not write */
	assert_int_equal(pci_assign_cfg_read(cell_fn, CAP_MSIX + 2, 2),
			 0x0003);
}

/* --- writes to the header ------------------------------------------------- */

static void test_write_command_cell(void **state)
{
	take();
	pci_assign_cfg_write(cell_fn, PCI_CFG_COMMAND, 2, 0xffff);
	assert_int_equal(fake_get(PCI_CFG_COMMAND, 2),
			 PCI_CMD_MEMORY | PCI_CMD_MASTER | PCI_CMD_PARITY |
			 PCI_CMD_SERR | PCI_CMD_INTX_DISABLE);
	/* I/O decoding not among them, and not reported: the rest went */
	assert_log_empty();

	pci_assign_cfg_write(cell_fn, PCI_CFG_COMMAND, 2, PCI_CMD_IO);
	assert_int_equal(fake_get(PCI_CFG_COMMAND, 2), 0);

	/* a byte at a time */
	pci_assign_cfg_write(cell_fn, PCI_CFG_COMMAND + 1, 1, 0xff);
	assert_int_equal(fake_get(PCI_CFG_COMMAND, 2),
			 PCI_CMD_SERR | PCI_CMD_INTX_DISABLE);
	pci_assign_cfg_write(cell_fn, PCI_CFG_COMMAND, 1,
			     PCI_CMD_MASTER | PCI_CMD_IO);
	assert_int_equal(fake_get(PCI_CFG_COMMAND, 2), PCI_CMD_MASTER |
			 PCI_CMD_SERR | PCI_CMD_INTX_DISABLE);

	/* bits it may not change keep the device's value, not the cell's */
	fake_poke(PCI_CFG_COMMAND, 2, PCI_CMD_IO);
	pci_assign_cfg_write(cell_fn, PCI_CFG_COMMAND, 2, PCI_CMD_MASTER);
	assert_int_equal(fake_get(PCI_CFG_COMMAND, 2),
			 PCI_CMD_IO | PCI_CMD_MASTER);
}

static void test_write_command_root(void **state)
{
	pci_assign_cfg_write(root_fn, PCI_CFG_COMMAND, 2, 0xffff);
	assert_int_equal(fake_get(PCI_CFG_COMMAND, 2),
			 PCI_CMD_IO | PCI_CMD_MEMORY | PCI_CMD_MASTER |
			 PCI_CMD_PARITY | PCI_CMD_SERR |
			 PCI_CMD_INTX_DISABLE);
	pci_assign_cfg_write(root_fn, PCI_CFG_COMMAND, 1, 0);
	assert_int_equal(fake_get(PCI_CFG_COMMAND, 2),
			 PCI_CMD_SERR | PCI_CMD_INTX_DISABLE);
	/* its decoding back on: the root's BARs are in its windows */
	pci_assign_cfg_write(root_fn, PCI_CFG_COMMAND, 4,
			     PCI_CMD_IO | PCI_CMD_MEMORY);
	assert_int_equal(fake_get(PCI_CFG_COMMAND, 2),
			 PCI_CMD_IO | PCI_CMD_MEMORY);
	assert_log_empty();
}

static void test_write_status(void **state)
{
	take();
	fake_poke(PCI_CFG_STATUS, 2, PCI_STS_CAPS | 0xf900);

	/* write-1-to-clear: what the cell writes 1 to goes, the rest stays */
	pci_assign_cfg_write(cell_fn, PCI_CFG_STATUS, 2, 0x8000);
	assert_int_equal(fake_get(PCI_CFG_STATUS, 2), PCI_STS_CAPS | 0x7900);
	pci_assign_cfg_write(cell_fn, PCI_CFG_STATUS + 1, 1, 0x01);
	assert_int_equal(fake_get(PCI_CFG_STATUS, 2), PCI_STS_CAPS | 0x7800);

	/* with the command: status bits written as 0 stay set */
	pci_assign_cfg_write(cell_fn, PCI_CFG_COMMAND, 4,
			     (0x4000 << 16) | PCI_CMD_MASTER);
	assert_int_equal(fake_get(PCI_CFG_STATUS, 2), PCI_STS_CAPS | 0x3800);
	assert_int_equal(fake_get(PCI_CFG_COMMAND, 2), PCI_CMD_MASTER);
	assert_log_empty();
}

static void test_write_header(void **state)
{
	take();
	pci_assign_cfg_write(cell_fn, PCI_CFG_CACHE_LINE, 1, 0x10);
	pci_assign_cfg_write(cell_fn, PCI_CFG_LATENCY, 1, 0x40);
	assert_int_equal(fake_get(PCI_CFG_CACHE_LINE, 2), 0x4010);
	pci_assign_cfg_write(cell_fn, PCI_CFG_INT, 1, 0x2a);
	assert_int_equal(fake_get(PCI_CFG_INT, 1), 0x2a);
	assert_log_empty();

	/*
	 * Interrupt line and pin at once: the line goes alone, a byte
	 * write, not a read-modify-write of both.
	 */
	fake_log_clear();
	pci_assign_cfg_write(cell_fn, PCI_CFG_INT, 2, 0xff2b);
	assert_int_equal(fake_get(PCI_CFG_INT, 2), 0x012b);
	assert_int_equal(num_fake_writes, 1);
	assert_true(fake_written(PCI_CFG_INT, 1, 0x2b));
	/* so is cache line and latency with header type and BIST */
	pci_assign_cfg_write(cell_fn, PCI_CFG_CACHE_LINE, 4, 0xffff2040);
	assert_int_equal(fake_get(PCI_CFG_CACHE_LINE, 4), 0x00002040);
	assert_false(fake_written(PCI_CFG_CACHE_LINE, 4, 0xffff2040));
	assert_log_empty();

	/* the header type is not the cell's: said once, and dropped */
	fake_log_clear();
	pci_assign_cfg_write(cell_fn, 0x0e, 1, 0x80);
	assert_logged(REFUSED("0xe"));
	assert_int_equal(num_fake_writes, 0);
	assert_true(cell_fn->warned);

	/* nor are the ids, the ROM, the subsystem and the pointer; quietly */
	printk_log_clear();
	pci_assign_cfg_write(cell_fn, PCI_CFG_ID, 4, 0);
	pci_assign_cfg_write(cell_fn, PCI_CFG_CLASS, 4, 0);
	pci_assign_cfg_write(cell_fn, PCI_CFG_SUBSYS, 4, 0);
	pci_assign_cfg_write(cell_fn, PCI_CFG_ROM, 4, 0xffffffff);
	pci_assign_cfg_write(cell_fn, PCI_CFG_CAP_PTR, 1, 0);
	assert_int_equal(num_fake_writes, 0);
	assert_log_empty();
	assert_int_equal(fake_get(PCI_CFG_ROM, 4), ROM_ADDR);

	/* another cell's entry of the device has its own report */
	pci_assign_give_back(cell_fn);
	assert_int_equal(pci_assign_take(&cell2_devs[0]), 0);
	printk_log_clear();
	pci_assign_cfg_write(&cell2_devs[0], PCI_CFG_ROM, 4, 0);
	assert_logged("Cell \"cell2\": PCI 00:02.0: config write at 0x30 "
		      "ignored, not the cell's to change (reported once)\n");
}

/* --- writes to BARs ------------------------------------------------------- */

static void test_write_bar_decoding_off(void **state)
{
	take();
	/* sizing: the device answers with its mask and type */
	pci_assign_cfg_write(cell_fn, PCI_CFG_BAR0 + 16, 4, ~0U);
	assert_int_equal(pci_assign_cfg_read(cell_fn, PCI_CFG_BAR0 + 16, 4),
			 0xfff00000);
	pci_assign_cfg_write(cell_fn, PCI_CFG_BAR0 + 8, 4, ~0U);
	pci_assign_cfg_write(cell_fn, PCI_CFG_BAR0 + 12, 4, ~0U);
	assert_int_equal(pci_assign_cfg_read(cell_fn, PCI_CFG_BAR0 + 8, 4),
			 0xffffc00c);
	assert_int_equal(pci_assign_cfg_read(cell_fn, PCI_CFG_BAR0 + 12, 4),
			 0xffffffff);

	/* anywhere while nothing decodes */
	pci_assign_cfg_write(cell_fn, PCI_CFG_BAR0 + 16, 4, 0x20000000);
	pci_assign_cfg_write(cell_fn, PCI_CFG_BAR0 + 8, 4, 0);
	pci_assign_cfg_write(cell_fn, PCI_CFG_BAR0 + 12, 4, 0x90);
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 16, 4), 0x20000000);
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 8, 4), 0x0000000c);
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 12, 4), 0x90);
	assert_log_empty();
}

static void test_write_bar_hidden(void **state)
{
	take();
	/* Linux sizes them all: the hidden ones take no notice */
	pci_assign_cfg_write(cell_fn, PCI_CFG_BAR0, 4, ~0U);
	pci_assign_cfg_write(cell_fn, PCI_CFG_BAR0 + 4, 4, ~0U);
	pci_assign_cfg_write(cell_fn, PCI_CFG_BAR0 + 20, 4, ~0U);
	assert_int_equal(num_fake_writes, 0);
	assert_log_empty();
	assert_int_equal(fake_get(PCI_CFG_BAR0, 4), IO_BAR0);
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 4, 4), 0);

	/* both halves of a hidden 64-bit BAR */
	cell1_config.pci[0].bar_mask[2] = 0;
	cell1_config.pci[0].bar_mask[3] = 0;
	pci_assign_give_back(cell_fn);
	take();
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 8, 4), 0x0000000c);
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 12, 4), 0);
	pci_assign_cfg_write(cell_fn, PCI_CFG_BAR0 + 8, 4, ~0U);
	pci_assign_cfg_write(cell_fn, PCI_CFG_BAR0 + 12, 4, ~0U);
	assert_int_equal(num_fake_writes, 0);
	assert_int_equal(pci_assign_cfg_read(cell_fn, PCI_CFG_BAR0 + 12, 4),
			 0);
}

static void test_write_bar_root_io(void **state)
{
	/* the root's I/O BAR is its own, decoding on or not */
	pci_assign_cfg_write(root_fn, PCI_CFG_BAR0, 4, 0x2000);
	assert_int_equal(fake_get(PCI_CFG_BAR0, 4), 0x2001);
	assert_log_empty();
}

static void test_write_bar_decoding_on(void **state)
{
	take();
	pci_assign_cfg_write(cell_fn, PCI_CFG_COMMAND, 2, PCI_CMD_MEMORY);
	assert_int_equal(fake_get(PCI_CFG_COMMAND, 2), PCI_CMD_MEMORY);
	assert_log_empty();
	fake_log_clear();

	/* out of its I/O memory: stays */
	pci_assign_cfg_write(cell_fn, PCI_CFG_BAR0 + 16, 4, 0x10300000);
	assert_logged("Cell \"cell1\": PCI 00:02.0: BAR 4 at 0x10300000 is "
		      "not I/O memory of the cell, not moved\n");
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 16, 4), MEM_BAR4);
	/* sizing with decoding on would move it too */
	printk_log_clear();
	pci_assign_cfg_write(cell_fn, PCI_CFG_BAR0 + 16, 4, ~0U);
	assert_logged("BAR 4 at 0xfffffff0 is not I/O memory");
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 16, 4), MEM_BAR4);
	/* the shared page is memory, not I/O */
	printk_log_clear();
	pci_assign_cfg_write(cell_fn, PCI_CFG_BAR0 + 16, 4, 0x10400000);
	assert_logged("BAR 4 at 0x10400000 is not I/O memory");
	assert_int_equal(num_fake_writes, 0);

	/* within it: moves */
	printk_log_clear();
	pci_assign_cfg_write(cell_fn, PCI_CFG_BAR0 + 16, 4, 0x10200000);
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 16, 4), 0x10200000);
	assert_log_empty();

	/* the halves of the 64-bit BAR, each with the other as it is */
	pci_assign_cfg_write(cell_fn, PCI_CFG_BAR0 + 12, 4, 0x81);
	assert_logged("BAR 2 at 0x8100000000 is not I/O memory of the cell, "
		      "not moved");
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 12, 4), 0x80);
	printk_log_clear();
	pci_assign_cfg_write(cell_fn, PCI_CFG_BAR0 + 8, 4, 0x8000);
	assert_logged("BAR 2 at 0x8000008000 is not I/O memory");
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 8, 4), 0x0000000c);
	printk_log_clear();
	fake_log_clear();
	pci_assign_cfg_write(cell_fn, PCI_CFG_BAR0 + 12, 4, 0x80);
	pci_assign_cfg_write(cell_fn, PCI_CFG_BAR0 + 8, 4, 0x4000);
	assert_int_equal(num_fake_writes, 2);
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 8, 4), 0x0000400c);
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 12, 4), 0x80);
	assert_log_empty();
}

static void test_decoding_refused(void **state)
{
	take();
	/* moved out of its memory while nothing decodes */
	pci_assign_cfg_write(cell_fn, PCI_CFG_BAR0 + 16, 4, 0x10300000);
	pci_assign_cfg_write(cell_fn, PCI_CFG_COMMAND, 2,
			     PCI_CMD_MEMORY | PCI_CMD_MASTER);
	assert_logged("Cell \"cell1\": PCI 00:02.0: BAR 4 at 0x10300000 is "
		      "not I/O memory of the cell, memory decoding stays "
		      "off\n");
	/* the rest of the write goes */
	assert_int_equal(fake_get(PCI_CFG_COMMAND, 2), PCI_CMD_MASTER);

	/* a byte write of the command, and a dword with the status */
	printk_log_clear();
	pci_assign_cfg_write(cell_fn, PCI_CFG_COMMAND, 1, PCI_CMD_MEMORY);
	assert_logged("memory decoding stays off");
	pci_assign_cfg_write(cell_fn, PCI_CFG_COMMAND, 4, PCI_CMD_MEMORY);
	assert_int_equal(fake_get(PCI_CFG_COMMAND, 2), 0);

	/* the 64-bit BAR's address is whole: its upper half out */
	pci_assign_cfg_write(cell_fn, PCI_CFG_BAR0 + 16, 4, MEM_BAR4);
	pci_assign_cfg_write(cell_fn, PCI_CFG_BAR0 + 12, 4, 0x90);
	printk_log_clear();
	pci_assign_cfg_write(cell_fn, PCI_CFG_COMMAND, 2, PCI_CMD_MEMORY);
	assert_logged("BAR 2 at 0x9000000000 is not I/O memory of the cell, "
		      "memory decoding stays off");
	assert_int_equal(fake_get(PCI_CFG_COMMAND, 2), 0);

	/* all in: on */
	pci_assign_cfg_write(cell_fn, PCI_CFG_BAR0 + 12, 4, 0x80);
	printk_log_clear();
	pci_assign_cfg_write(cell_fn, PCI_CFG_COMMAND, 2, PCI_CMD_MEMORY);
	assert_int_equal(fake_get(PCI_CFG_COMMAND, 2), PCI_CMD_MEMORY);
	assert_log_empty();

	/* on already: what is on stays on, the BARs checked as they move */
	pci_assign_cfg_write(cell_fn, PCI_CFG_COMMAND, 2,
			     PCI_CMD_MEMORY | PCI_CMD_MASTER);
	assert_int_equal(fake_get(PCI_CFG_COMMAND, 2),
			 PCI_CMD_MEMORY | PCI_CMD_MASTER);
	assert_log_empty();
}

static void test_write_bar_sub_dword(void **state)
{
	take();
	pci_assign_cfg_write(cell_fn, PCI_CFG_BAR0 + 16, 2, 0xffff);
	assert_logged(REFUSED("0x20"));
	printk_log_clear();
	pci_assign_cfg_write(cell_fn, PCI_CFG_BAR0 + 19, 1, 0x20);
	pci_assign_cfg_write(cell_fn, PCI_CFG_BAR0 + 10, 2, 0);
	assert_log_empty();
	assert_int_equal(num_fake_writes, 0);
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 16, 4), MEM_BAR4);
}

/* --- writes to capabilities ----------------------------------------------- */

static void test_write_caps_cell(void **state)
{
	take();
	/* the vendor capability's listed bytes */
	pci_assign_cfg_write(cell_fn, CAP_VENDOR + 3, 1, 0x5a);
	pci_assign_cfg_write(cell_fn, CAP_VENDOR + 4, 2, 0x1234);
	assert_int_equal(fake_get(CAP_VENDOR + 3, 3), 0x12345a);
	assert_log_empty();
	fake_log_clear();

	/* MSI-X and MSI, listed writable: not outside the root */
	pci_assign_cfg_write(cell_fn, CAP_MSIX + 2, 2, 0x8000);
	assert_logged(REFUSED("0x42"));
	pci_assign_cfg_write(cell_fn, CAP_MSI + 2, 2, 0x0001);
	pci_assign_cfg_write(cell_fn, CAP_MSI + 4, 4, 0xfffff000);
	pci_assign_cfg_write(cell_fn, CAP_MSI + 12, 2, 0x1234);
	assert_int_equal(num_fake_writes, 0);
	assert_int_equal(fake_get(CAP_MSIX + 2, 2), 0x0003);
	assert_int_equal(fake_get(CAP_MSI + 2, 2), 0x0080);

	/* beyond the listed length, outside any capability, ext. space */
	pci_assign_cfg_write(cell_fn, VENDOR_W1C, 2, 0);
	pci_assign_cfg_write(cell_fn, 0x80, 4, 0);
	pci_assign_cfg_write(cell_fn, 0x100, 4, 0);
	assert_int_equal(num_fake_writes, 0);

	/* not listed with JAILHOUSE_PCICAPS_WRITE: read-only */
	cell1_config.caps[1].flags = 0;
	pci_assign_cfg_write(cell_fn, CAP_VENDOR + 3, 1, 0xa5);
	assert_int_equal(num_fake_writes, 0);
	assert_int_equal(fake_get(CAP_VENDOR + 3, 1), 0x5a);
}

static void test_write_caps_root(void **state)
{
	pci_assign_cfg_write(root_fn, CAP_MSIX + 2, 2, 0x8000);
	assert_int_equal(fake_get(CAP_MSIX + 2, 2), 0x8003);
	pci_assign_cfg_write(root_fn, CAP_MSI + 4, 4, 0x08020040);
	pci_assign_cfg_write(root_fn, CAP_MSI + 2, 2, 0x0001);
	assert_int_equal(fake_get(CAP_MSI + 2, 2), 0x0081);
	assert_int_equal(fake_get(CAP_MSI + 4, 4), 0x08020040);
	pci_assign_cfg_write(root_fn, CAP_VENDOR + 3, 1, 0x77);
	assert_int_equal(fake_get(CAP_VENDOR + 3, 1), 0x77);
	assert_log_empty();

	/* the root's config decides for the root, too */
	root_config.caps[0].flags = 0;
	pci_assign_cfg_write(root_fn, CAP_MSIX + 2, 2, 0);
	assert_int_equal(fake_get(CAP_MSIX + 2, 2), 0x8003);
	assert_logged("Cell \"root\": PCI 00:02.0: config write at 0x42 "
		      "ignored");
}

static void test_write_spanning(void **state)
{
	take();
	fake_poke(VENDOR_W1C, 2, 0x0003);

	/*
	 * Two listed bytes and the device's write-1-to-clear status: the
	 * listed ones go byte by byte, the status is not written back.
	 */
	pci_assign_cfg_write(cell_fn, CAP_VENDOR + 4, 4, 0x0003abcd);
	assert_int_equal(fake_get(CAP_VENDOR + 4, 2), 0xabcd);
	assert_int_equal(fake_get(VENDOR_W1C, 2), 0x0003);
	assert_int_equal(num_fake_writes, 2);
	assert_true(fake_written(CAP_VENDOR + 4, 1, 0xcd));
	assert_true(fake_written(CAP_VENDOR + 5, 1, 0xab));
	assert_log_empty();

	/*
	 * The listed bytes from the capability's header on: one write, the
	 * device keeps its read-only bytes.
	 */
	fake_log_clear();
	pci_assign_cfg_write(cell_fn, CAP_VENDOR, 4, 0x99000000);
	assert_int_equal(fake_get(CAP_VENDOR, 4),
			 0x99000000 | (CAP_MSI << 8) | PCI_CAP_VENDOR);
	assert_int_equal(num_fake_writes, 1);
}

/* --- the root and the memory of other cells ------------------------------- */

static void test_root_decodable(void **state)
{
	/* cell1's window for BAR 2 elsewhere: BAR 4 is the one in the way */
	cell1_config.mem[1].phys_start = 0x8000100000;
	link_cells();

	/*
	 * Decoding that is on stays on: only turning it on checks the BARs,
	 * those that move are checked as they do.
	 */
	pci_assign_cfg_write(root_fn, PCI_CFG_COMMAND, 2,
			     PCI_CMD_IO | PCI_CMD_MEMORY | PCI_CMD_MASTER);
	assert_int_equal(fake_get(PCI_CFG_COMMAND, 2),
			 PCI_CMD_IO | PCI_CMD_MEMORY | PCI_CMD_MASTER);
	assert_log_empty();
	fake_log_clear();

	/* cell1's I/O memory: not the root's any more, not even in place */
	pci_assign_cfg_write(root_fn, PCI_CFG_BAR0 + 16, 4, MEM_BAR4);
	assert_logged("Cell \"root\": PCI 00:02.0: BAR 4 at 0x10100000 is not "
		      "I/O memory of the cell, not moved\n");
	assert_int_equal(num_fake_writes, 0);

	/* cell2's, the next cell's */
	printk_log_clear();
	pci_assign_cfg_write(root_fn, PCI_CFG_BAR0 + 16, 4, 0x10600000);
	assert_logged("BAR 4 at 0x10600000 is not I/O memory");

	/* outside the root's own windows */
	printk_log_clear();
	pci_assign_cfg_write(root_fn, PCI_CFG_BAR0 + 16, 4, 0x50000000);
	assert_logged("BAR 4 at 0x50000000 is not I/O memory");
	assert_int_equal(num_fake_writes, 0);

	/* a page cell1 shares with the root, and free I/O memory: fine */
	printk_log_clear();
	pci_assign_cfg_write(root_fn, PCI_CFG_BAR0 + 16, 4, 0x10400000);
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 16, 4), 0x10400000);
	pci_assign_cfg_write(root_fn, PCI_CFG_BAR0 + 16, 4, 0x10800000);
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 16, 4), 0x10800000);
	assert_log_empty();

	/* decoding off, into cell2's; back on: refused */
	pci_assign_cfg_write(root_fn, PCI_CFG_COMMAND, 2, PCI_CMD_IO);
	pci_assign_cfg_write(root_fn, PCI_CFG_BAR0 + 16, 4, 0x10600000);
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 16, 4), 0x10600000);
	pci_assign_cfg_write(root_fn, PCI_CFG_COMMAND, 2,
			     PCI_CMD_IO | PCI_CMD_MEMORY);
	assert_logged("Cell \"root\": PCI 00:02.0: BAR 4 at 0x10600000 is not "
		      "I/O memory of the cell, memory decoding stays off\n");
	assert_int_equal(fake_get(PCI_CFG_COMMAND, 2), PCI_CMD_IO);

	/* without the cells, the same is the root's again */
	root_cell.next = NULL;
	printk_log_clear();
	pci_assign_cfg_write(root_fn, PCI_CFG_COMMAND, 2,
			     PCI_CMD_IO | PCI_CMD_MEMORY);
	assert_int_equal(fake_get(PCI_CFG_COMMAND, 2),
			 PCI_CMD_IO | PCI_CMD_MEMORY);
	assert_log_empty();
}

static void test_root_decodable_wrap(void **state)
{
	/*
	 * A BAR whose end would wrap around the address space: the root's
	 * sizes come from its config, not the device, so its address need
	 * not be aligned to them.
	 */
	fake_poke(PCI_CFG_BAR0 + 12, 4, 0xffffffff);
	pci_assign_cfg_write(root_fn, PCI_CFG_BAR0 + 8, 4, 0xfffff000);
	assert_logged("BAR 2 at 0xfffffffffffff000 is not I/O memory");
	assert_int_equal(fake_get(PCI_CFG_BAR0 + 8, 4), (u32)MEM_BAR2 | 0xc);
}

static void test_cell_ignores_others(void **state)
{
	/* a non-root cell's I/O memory is its own; other cells don't count */
	link_cells();
	cell2_config.mem[1].phys_start = MEM_BAR4;
	take();
	pci_assign_cfg_write(cell_fn, PCI_CFG_COMMAND, 2, PCI_CMD_MEMORY);
	assert_int_equal(fake_get(PCI_CFG_COMMAND, 2), PCI_CMD_MEMORY);
	assert_log_empty();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_root_init, reset),
		cmocka_unit_test_setup(test_take, reset),
		cmocka_unit_test_setup(test_take_without_msi, reset),
		cmocka_unit_test_setup(test_take_not_in_root, reset),
		cmocka_unit_test_setup(test_take_already_lent, reset),
		cmocka_unit_test_setup(test_take_size_mismatch, reset),
		cmocka_unit_test_setup(test_give_back, reset),
		cmocka_unit_test_setup(test_bar_4g, reset),
		cmocka_unit_test_setup(test_faults, reset),
		cmocka_unit_test_setup(test_read_root, reset),
		cmocka_unit_test_setup(test_read_cell, reset),
		cmocka_unit_test_setup(test_write_command_cell, reset),
		cmocka_unit_test_setup(test_write_command_root, reset),
		cmocka_unit_test_setup(test_write_status, reset),
		cmocka_unit_test_setup(test_write_header, reset),
		cmocka_unit_test_setup(test_write_bar_decoding_off, reset),
		cmocka_unit_test_setup(test_write_bar_hidden, reset),
		cmocka_unit_test_setup(test_write_bar_root_io, reset),
		cmocka_unit_test_setup(test_write_bar_decoding_on, reset),
		cmocka_unit_test_setup(test_decoding_refused, reset),
		cmocka_unit_test_setup(test_write_bar_sub_dword, reset),
		cmocka_unit_test_setup(test_write_caps_cell, reset),
		cmocka_unit_test_setup(test_write_caps_root, reset),
		cmocka_unit_test_setup(test_write_spanning, reset),
		cmocka_unit_test_setup(test_root_decodable, reset),
		cmocka_unit_test_setup(test_root_decodable_wrap, reset),
		cmocka_unit_test_setup(test_cell_ignores_others, reset),
	};

	return cmocka_run_group_tests_name("pci-assign", tests, NULL, NULL);
}
