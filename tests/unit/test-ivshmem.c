// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the ivshmem device (hypervisor/ivshmem.c), driven through
 * its public functions as pci.c calls them: a link of two peers, peer 0
 * with MSI-X vectors, peer 1 with INTx.  The interrupt controller is the
 * test's: it records what the device raises, and accepts the messages of
 * MSI_ADDRESS with an SPI below FOREIGN_SPI, as the arch code would accept
 * the cell's own SPIs at its MSI frame.
 */
#include "test.h"

#include <jailhouse/arch.h>
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/ivshmem.h>
#include <jailhouse/page_alloc.h>
#include <jailhouse/paging.h>
#include <jailhouse/pci.h>
#include <jailhouse/percpu.h>
#include <jailhouse/utils.h>

#define POOL_PAGES	16
#define SHMEM		0x60000000UL
#define MSI_ADDRESS	0x400ffff040ULL
#define FOREIGN_SPI	200
#define VECTORS		4

/* --- the rest of the hypervisor ------------------------------------------ */

static struct per_cpu cpu;
void *test_cpu_data = &cpu;

static u32 state_table[PAGE_SIZE / 4];

void *paging_map_memory(unsigned long phys, unsigned long size)
{
	assert_int_equal(phys, SHMEM);
	return state_table;
}

void paging_unmap_device(unsigned long phys, void *virt, unsigned long size)
{
}

/* What the device raised since the last clear_raised(). */
static struct {
	struct cell *cell;
	unsigned int pin;
	u64 address;
	u32 data;
} raised[16];
static unsigned int num_raised;

static void clear_raised(void)
{
	num_raised = 0;
	printk_log_clear();
}

void arch_vpci_raise_intx(struct cell *cell, unsigned int pin)
{
	assert_true(num_raised < ARRAY_SIZE(raised));
	raised[num_raised].cell = cell;
	raised[num_raised].pin = pin;
	raised[num_raised].address = 0;
	num_raised++;
}

bool arch_vpci_raise_msi(struct cell *cell, u64 address, u32 data)
{
	if (address != MSI_ADDRESS || data < 32 || data >= FOREIGN_SPI)
		return false;
	assert_true(num_raised < ARRAY_SIZE(raised));
	raised[num_raised].cell = cell;
	raised[num_raised].pin = 0;
	raised[num_raised].address = address;
	raised[num_raised].data = data;
	num_raised++;
	return true;
}

/* --- cells ------------------------------------------------------------- */

struct test_config {
	struct jailhouse_cell_desc desc;
	__u64 cpus[1];
	struct jailhouse_memory mem[4];
	struct jailhouse_pci_device pci[1];
} __attribute__((packed));

#define RO	(JAILHOUSE_MEM_READ | JAILHOUSE_MEM_ROOTSHARED)
#define RW	(RO | JAILHOUSE_MEM_WRITE)

#define TEST_CONFIG(cell_name, id, msix)				\
	{								\
		.desc = {						\
			.name = cell_name,				\
			.cpu_set_size = sizeof(__u64),			\
			.num_memory_regions = 4,			\
			.num_pci_devices = 1,				\
		},							\
		.mem = {						\
			{ .phys_start = SHMEM, .virt_start = SHMEM,	\
			  .size = 0x1000, .flags = RO },		\
			{ 0 },						\
			{ .phys_start = SHMEM + 0x1000,			\
			  .virt_start = SHMEM + 0x1000,			\
			  .size = 0x1000, .flags = id == 0 ? RW : RO },	\
			{ .phys_start = SHMEM + 0x2000,			\
			  .virt_start = SHMEM + 0x2000,			\
			  .size = 0x1000, .flags = id == 1 ? RW : RO },	\
		},							\
		.pci = {						\
			{ .type = JAILHOUSE_PCI_TYPE_IVSHMEM,		\
			  .bdf = 0x0e << 3,				\
			  .bar_mask = { 0xfffff000,			\
					msix ? 0xfffff000 : 0 },	\
			  .num_msix_vectors = msix ? VECTORS : 0,	\
			  .shmem_regions_start = 0,			\
			  .shmem_dev_id = id, .shmem_peers = 2 },	\
		},							\
	}

static struct test_config config0 = TEST_CONFIG("msix", 0, true);
static struct test_config config1 = TEST_CONFIG("intx", 1, false);

static struct cell cell0, cell1;
static struct pci_device dev0, dev1;
static void *pool_memory;
static unsigned long pool_bitmap[BITS_TO_LONGS(POOL_PAGES)];

static void peer_init(struct cell *cell, struct test_config *config,
		      struct pci_device *dev)
{
	memset(cell, 0, sizeof(*cell));
	cell->config = &config->desc;
	memset(dev, 0, sizeof(*dev));
	dev->info = &config->pci[0];
	dev->cell = cell;
	assert_int_equal(ivshmem_link_device(dev), 0);
}

static int setup(void **state)
{
	pool_memory = aligned_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE);
	if (!pool_memory)
		return -1;
	page_pool_init(&mem_pool, pool_memory, POOL_PAGES, pool_bitmap, 0);
	peer_init(&cell0, &config0, &dev0);
	peer_init(&cell1, &config1, &dev1);
	clear_raised();
	return 0;
}

static int teardown(void **state)
{
	ivshmem_unlink_device(&dev0);
	ivshmem_unlink_device(&dev1);
	/* the links and MSI-X tables went back to the pool */
	assert_int_equal(mem_pool.used_pages, 0);
	free(pool_memory);
	return 0;
}

/* --- accessors ----------------------------------------------------------- */

static u64 access(mmio_handler handler, struct pci_device *dev,
		  unsigned long reg, unsigned int size, bool is_write,
		  u64 value, enum mmio_result expect)
{
	struct mmio_access mmio = {
		.address = reg,
		.size = size,
		.is_write = is_write,
		.value = value,
	};

	assert_int_equal(handler(dev, &mmio), expect);
	return mmio.value;
}

static u32 table_read(struct pci_device *dev, unsigned long reg)
{
	return access(ivshmem_msix_access, dev, reg, 4, false, 0,
		      MMIO_HANDLED);
}

static void table_write(struct pci_device *dev, unsigned long reg, u32 value)
{
	access(ivshmem_msix_access, dev, reg, 4, true, value, MMIO_HANDLED);
}

static void reg_write(struct pci_device *dev, unsigned long reg, u32 value)
{
	access(ivshmem_register_access, dev, reg, 4, true, value,
	       MMIO_HANDLED);
}

#define ENTRY(vector, field)	((vector) * PCI_MSIX_ENTRY_SIZE + (field))

/* Vector @vector's message, unmasked. */
static void program(struct pci_device *dev, unsigned int vector,
		    u64 address, u32 data)
{
	table_write(dev, ENTRY(vector, PCI_MSIX_ENTRY_ADDR_LO), address);
	table_write(dev, ENTRY(vector, PCI_MSIX_ENTRY_ADDR_HI),
		    address >> 32);
	table_write(dev, ENTRY(vector, PCI_MSIX_ENTRY_DATA), data);
	table_write(dev, ENTRY(vector, PCI_MSIX_ENTRY_CTRL), 0);
}

static void msix_ctrl(struct pci_device *dev, u16 ctrl)
{
	ivshmem_cfg_write(dev, IVSHMEM_CFG_MSIX_CAP, (u32)ctrl << 16,
			  0xffff0000);
}

/* Peer 0 takes interrupts, with MSI-X on; peer 1 rings it. */
static void enable_peer0(void)
{
	reg_write(&dev0, IVSHMEM_REG_INT_CTRL, IVSHMEM_INT_ENABLE);
	msix_ctrl(&dev0, PCI_MSIX_CTRL_ENABLE);
}

static void ring0(unsigned int vector)
{
	reg_write(&dev1, IVSHMEM_REG_DOORBELL, IVSHMEM_DOORBELL(0, vector));
}

static void assert_msi(unsigned int n, u32 data)
{
	assert_true(n < num_raised);
	assert_ptr_equal(raised[n].cell, &cell0);
	assert_int_equal(raised[n].address, MSI_ADDRESS);
	assert_int_equal(raised[n].data, data);
}

/* --- config space -------------------------------------------------------- */

static void test_cfg_msix(void **state)
{
	u32 ctrl;

	/* no INTx pin with MSI-X (the ABI) */
	assert_int_equal(ivshmem_cfg_read(&dev0, PCI_CFG_INT) >> 8, 0);
	/* the vendor capability leads to the MSI-X one, which ends it */
	assert_int_equal((ivshmem_cfg_read(&dev0, IVSHMEM_CFG_VENDOR_CAP) >>
			  8) & 0xff, IVSHMEM_CFG_MSIX_CAP);
	ctrl = ivshmem_cfg_read(&dev0, IVSHMEM_CFG_MSIX_CAP);
	assert_int_equal(ctrl & 0xffff, PCI_CAP_MSIX);
	assert_int_equal(ctrl >> 16, VECTORS - 1);
	assert_int_equal(ivshmem_cfg_read(&dev0, IVSHMEM_CFG_MSIX_CAP +
					  PCI_MSIX_TABLE), 1);
	assert_int_equal(ivshmem_cfg_read(&dev0, IVSHMEM_CFG_MSIX_CAP +
					  PCI_MSIX_PBA),
			 IVSHMEM_MSIX_PBA | 1);

	/* enable and function mask are writable, the table size is not */
	msix_ctrl(&dev0, 0xffff);
	ctrl = ivshmem_cfg_read(&dev0, IVSHMEM_CFG_MSIX_CAP) >> 16;
	assert_int_equal(ctrl, PCI_MSIX_CTRL_ENABLE | PCI_MSIX_CTRL_FMASK |
			 (VECTORS - 1));

	/* BAR 1 sizes as one page of 32-bit memory */
	ivshmem_cfg_write(&dev0, PCI_CFG_BAR0 + 4, 0xffffffff, 0xffffffff);
	assert_int_equal(ivshmem_cfg_read(&dev0, PCI_CFG_BAR0 + 4),
			 0xfffff000);
}

static void test_cfg_intx(void **state)
{
	assert_int_equal(ivshmem_cfg_read(&dev1, PCI_CFG_INT) >> 8,
			 JAILHOUSE_VPCI_INTX_PIN(0x0e));
	assert_int_equal((ivshmem_cfg_read(&dev1, IVSHMEM_CFG_VENDOR_CAP) >>
			  8) & 0xff, 0);
	assert_int_equal(ivshmem_cfg_read(&dev1, IVSHMEM_CFG_MSIX_CAP), 0);
	/* no BAR 1, and the MSI-X control goes nowhere */
	ivshmem_cfg_write(&dev1, PCI_CFG_BAR0 + 4, 0xffffffff, 0xffffffff);
	assert_int_equal(ivshmem_cfg_read(&dev1, PCI_CFG_BAR0 + 4), 0);
	msix_ctrl(&dev1, PCI_MSIX_CTRL_ENABLE);
	assert_int_equal(dev1.msix_ctrl, 0);
}

/* --- the table ----------------------------------------------------------- */

static void test_table_reset(void **state)
{
	unsigned int vector;

	for (vector = 0; vector < VECTORS; vector++) {
		assert_int_equal(table_read(&dev0, ENTRY(vector,
					PCI_MSIX_ENTRY_CTRL)),
				 PCI_MSIX_ENTRY_MASKED);
		assert_int_equal(table_read(&dev0, ENTRY(vector,
					PCI_MSIX_ENTRY_DATA)), 0);
	}
	assert_int_equal(table_read(&dev0, IVSHMEM_MSIX_PBA), 0);
}

static void test_table_access(void **state)
{
	/* dwords, and qwords, as the PCI specification allows */
	table_write(&dev0, ENTRY(1, PCI_MSIX_ENTRY_ADDR_LO), 0x12345678);
	table_write(&dev0, ENTRY(1, PCI_MSIX_ENTRY_ADDR_HI), 0x9abc);
	assert_int_equal(access(ivshmem_msix_access, &dev0,
				ENTRY(1, PCI_MSIX_ENTRY_ADDR_LO), 8, false, 0,
				MMIO_HANDLED), 0x9abc12345678ULL);
	access(ivshmem_msix_access, &dev0, ENTRY(2, PCI_MSIX_ENTRY_DATA), 8,
	       true, 0xffffffff00000042ULL, MMIO_HANDLED);
	assert_int_equal(table_read(&dev0, ENTRY(2, PCI_MSIX_ENTRY_DATA)),
			 0x42);
	/* of vector control, only the mask bit is writable */
	assert_int_equal(table_read(&dev0, ENTRY(2, PCI_MSIX_ENTRY_CTRL)),
			 PCI_MSIX_ENTRY_MASKED);

	/* past the table and the pending bits: nothing */
	table_write(&dev0, ENTRY(VECTORS, PCI_MSIX_ENTRY_DATA), 0x55);
	assert_int_equal(table_read(&dev0, ENTRY(VECTORS,
						 PCI_MSIX_ENTRY_DATA)), 0);
	assert_int_equal(table_read(&dev0, 0xffc), 0);

	/* anything else stops the cell */
	printk_log_clear();
	access(ivshmem_msix_access, &dev0, 0, 2, false, 0, MMIO_ERROR);
	access(ivshmem_msix_access, &dev0, 4, 8, true, 0, MMIO_ERROR);
	assert_true(printk_log_contains("Cell \"msix\": the ivshmem MSI-X "
					"table takes aligned 32- and 64-bit "
					"accesses only"));
}

/* --- delivery ------------------------------------------------------------ */

static void test_doorbell_vectors(void **state)
{
	enable_peer0();
	program(&dev0, 0, MSI_ADDRESS, 40);
	program(&dev0, 3, MSI_ADDRESS, 43);

	ring0(3);
	ring0(0);
	assert_int_equal(num_raised, 2);
	assert_msi(0, 43);
	assert_msi(1, 40);

	/* a vector the device does not have */
	clear_raised();
	ring0(VECTORS);
	assert_int_equal(num_raised, 0);
}

static void test_state_is_vector0(void **state)
{
	enable_peer0();
	program(&dev0, 0, MSI_ADDRESS, 40);
	reg_write(&dev1, IVSHMEM_REG_STATE, 1);
	assert_int_equal(num_raised, 1);
	assert_msi(0, 40);
	assert_int_equal(state_table[1], 1);
}

static void test_masked_pending(void **state)
{
	enable_peer0();
	program(&dev0, 1, MSI_ADDRESS, 41);
	table_write(&dev0, ENTRY(1, PCI_MSIX_ENTRY_CTRL),
		    PCI_MSIX_ENTRY_MASKED);

	ring0(1);
	assert_int_equal(num_raised, 0);
	assert_int_equal(table_read(&dev0, IVSHMEM_MSIX_PBA), BIT(1));
	/* the pending bits are the device's */
	table_write(&dev0, IVSHMEM_MSIX_PBA, 0);
	assert_int_equal(table_read(&dev0, IVSHMEM_MSIX_PBA), BIT(1));

	/* unmasked: delivered once */
	table_write(&dev0, ENTRY(1, PCI_MSIX_ENTRY_CTRL), 0);
	assert_int_equal(num_raised, 1);
	assert_msi(0, 41);
	assert_int_equal(table_read(&dev0, IVSHMEM_MSIX_PBA), 0);
	table_write(&dev0, ENTRY(1, PCI_MSIX_ENTRY_CTRL), 0);
	assert_int_equal(num_raised, 1);
}

static void test_function_mask(void **state)
{
	enable_peer0();
	program(&dev0, 2, MSI_ADDRESS, 42);
	msix_ctrl(&dev0, PCI_MSIX_CTRL_ENABLE | PCI_MSIX_CTRL_FMASK);

	ring0(2);
	assert_int_equal(num_raised, 0);
	assert_int_equal(access(ivshmem_msix_access, &dev0, IVSHMEM_MSIX_PBA,
				8, false, 0, MMIO_HANDLED), BIT(2));
	msix_ctrl(&dev0, PCI_MSIX_CTRL_ENABLE);
	assert_int_equal(num_raised, 1);
	assert_msi(0, 42);
}

static void test_disabled(void **state)
{
	/* MSI-X off: the function has no interrupt, nothing is pending */
	reg_write(&dev0, IVSHMEM_REG_INT_CTRL, IVSHMEM_INT_ENABLE);
	program(&dev0, 0, MSI_ADDRESS, 40);
	ring0(0);
	assert_int_equal(num_raised, 0);
	assert_int_equal(table_read(&dev0, IVSHMEM_MSIX_PBA), 0);

	/* interrupts off in the device's register */
	msix_ctrl(&dev0, PCI_MSIX_CTRL_ENABLE);
	reg_write(&dev0, IVSHMEM_REG_INT_CTRL, 0);
	ring0(0);
	assert_int_equal(num_raised, 0);
}

static void test_one_shot(void **state)
{
	enable_peer0();
	ivshmem_cfg_write(&dev0, IVSHMEM_CFG_VENDOR_CAP,
			  IVSHMEM_PRIV_CNTL_ONESHOT_INT << 24, 0xff000000);
	program(&dev0, 1, MSI_ADDRESS, 41);
	ring0(1);
	ring0(1);
	assert_int_equal(num_raised, 1);
	assert_int_equal(dev0.int_ctrl, 0);
}

static void test_foreign_message(void **state)
{
	enable_peer0();
	program(&dev0, 0, MSI_ADDRESS, FOREIGN_SPI);
	program(&dev0, 1, MSI_ADDRESS + 0x1000, 41);

	ring0(0);
	assert_int_equal(num_raised, 0);
	assert_true(printk_log_contains(
		"Cell \"msix\": ivshmem 00:0e.0: MSI-X vector 0: message "
		"0x400ffff040/0xc8 names no interrupt of the cell, not "
		"delivered (reported once)"));
	/* once per device */
	printk_log_clear();
	ring0(1);
	assert_int_equal(num_raised, 0);
	assert_false(printk_log_contains("MSI-X"));
}

static void test_intx_peer(void **state)
{
	/* peer 1 has INTx: vector 0 only */
	reg_write(&dev1, IVSHMEM_REG_INT_CTRL, IVSHMEM_INT_ENABLE);
	reg_write(&dev0, IVSHMEM_REG_DOORBELL, IVSHMEM_DOORBELL(1, 1));
	assert_int_equal(num_raised, 0);
	reg_write(&dev0, IVSHMEM_REG_DOORBELL, IVSHMEM_DOORBELL(1, 0));
	assert_int_equal(num_raised, 1);
	assert_ptr_equal(raised[0].cell, &cell1);
	assert_int_equal(raised[0].pin, JAILHOUSE_VPCI_INTX_PIN(0x0e));
}

static void test_reset(void **state)
{
	enable_peer0();
	program(&dev0, 1, MSI_ADDRESS, 41);
	table_write(&dev0, ENTRY(1, PCI_MSIX_ENTRY_CTRL),
		    PCI_MSIX_ENTRY_MASKED);
	ring0(1);

	ivshmem_reset(&dev0);
	assert_int_equal(ivshmem_cfg_read(&dev0, IVSHMEM_CFG_MSIX_CAP) >> 16,
			 VECTORS - 1);
	assert_int_equal(table_read(&dev0, IVSHMEM_MSIX_PBA), 0);
	assert_int_equal(table_read(&dev0, ENTRY(1, PCI_MSIX_ENTRY_DATA)), 0);
	assert_int_equal(table_read(&dev0, ENTRY(1, PCI_MSIX_ENTRY_CTRL)),
			 PCI_MSIX_ENTRY_MASKED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cfg_msix, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cfg_intx, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_table_reset, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_table_access, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_doorbell_vectors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_state_is_vector0, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_masked_pending, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_function_mask, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_disabled, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_one_shot, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_foreign_message, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_intx_peer, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
