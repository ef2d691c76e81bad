/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations shared by the parts of the driver.
 *
 * Locking: jailhouse_lock serialises the management operations (the ioctls);
 * it guards jailhouse_cells and everything in struct cell that sysfs does
 * not read.  jailhouse_state_sem guards what depends on the hypervisor
 * running: it is held for writing while the hypervisor is entered or left,
 * while a cell joins or leaves jailhouse_cells and while CPUs move between
 * cells, and for reading by everything that issues a hypercall or reads the
 * console ring on behalf of sysfs or read().  Those readers never take
 * jailhouse_lock, so the management operations may remove sysfs entries
 * while they hold it (but not while they hold jailhouse_state_sem).
 */
#ifndef _JAILHOUSE_DRIVER_H
#define _JAILHOUSE_DRIVER_H

#include <linux/cpumask.h>
#include <linux/fs.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>

#include <jailhouse/cell-config.h>
#include <jailhouse/header.h>

#include "arch.h"

#define JAILHOUSE_ROOT_CELL_ID	0

struct device;
struct device_node;
struct firmware;
struct resource;
struct cell_stats;
struct jailhouse_cell_create;
struct jailhouse_cell_id;
struct jailhouse_cell_load;
struct pci_dev;

/**
 * struct cell - A cell known to the hypervisor, as seen in sysfs.
 * @kobj:		cells/<id> in sysfs
 * @entry:		in jailhouse_cells while the hypervisor knows the cell
 * @id:			the hypervisor's id of the cell
 * @name:		NUL-terminated name from the cell's configuration
 * @cpus_assigned:	Linux CPU ids given to the cell
 * @cpus_offlined:	those of them that the driver took offline in Linux,
 *			to be brought back when the cell is destroyed
 * @stats:		cells/<id>/statistics (sums over @cpus_assigned)
 * @cpu_stats:		cells/<id>/statistics/cpu<N>, indexed by CPU id
 * @config:		the configuration of a non-root cell (kmalloc'd,
 *			freed with the cell), NULL for the root cell
 * @loaded:		the last "cell load" with images completed: the cell
 *			has something to run
 */
struct cell {
	struct kobject kobj;
	struct list_head entry;
	unsigned int id;
	char name[JAILHOUSE_CELL_NAME_MAXLEN + 1];
	cpumask_t cpus_assigned;
	cpumask_t cpus_offlined;
	struct cell_stats *stats;
	struct cell_stats **cpu_stats;
	struct jailhouse_cell_desc *config;
	bool loaded;
};

extern struct mutex jailhouse_lock;
extern struct rw_semaphore jailhouse_state_sem;
extern bool jailhouse_enabled;
extern const struct firmware *jailhouse_firmware;
extern struct list_head jailhouse_cells;
extern struct kobject *jailhouse_cells_kobj;
extern u64 jailhouse_pci_mmconfig_base;
extern struct cell *jailhouse_root_cell;

/* Larger CPU bitmaps (32768 CPUs) are taken as a corrupt configuration. */
#define JAILHOUSE_MAX_CPU_SET_SIZE	JAILHOUSE_PAGE_SIZE

int jailhouse_state_get(void);
void jailhouse_state_put(void);
int jailhouse_lock_running(void);

/* assign.c */
bool jailhouse_pci_assigned_range(const struct jailhouse_cell_desc *config,
				  u64 start, u64 size);
int jailhouse_pci_take(const struct jailhouse_cell_desc *config);
void jailhouse_pci_give_back(const struct jailhouse_cell_desc *config);

/* cell.c */
u64 jailhouse_cell_config_size64(const struct jailhouse_cell_desc *desc);
int jailhouse_cell_cpumask(const struct jailhouse_cell_desc *desc,
			   struct cpumask *cpus);
struct cell *jailhouse_cell_create(const struct jailhouse_cell_desc *desc,
				   unsigned int id);
void jailhouse_cell_delete(struct cell *cell);
void jailhouse_cell_remove_cpu_stats(struct cell *cell,
				     const struct cpumask *cpus);
void jailhouse_cell_add_cpu_stats(struct cell *cell,
				  const struct cpumask *cpus);

/* control.c */
int jailhouse_control_init(void);
void jailhouse_control_exit(void);
int jailhouse_cmd_cell_create(const struct jailhouse_cell_create __user *arg);
int jailhouse_cmd_cell_load(const struct jailhouse_cell_load __user *arg);
int jailhouse_cmd_cell_start(const struct jailhouse_cell_id __user *arg);
int jailhouse_cmd_cell_destroy(const struct jailhouse_cell_id __user *arg);
int jailhouse_cells_destroy_all(void);

/* console.c */
int jailhouse_console_start(phys_addr_t page);
void jailhouse_console_capture(phys_addr_t page);
void jailhouse_console_stop(void);
ssize_t jailhouse_console_show(char *buf);
ssize_t jailhouse_console_read(struct file *file, char __user *out,
			       size_t count, loff_t *ppos);

/* pci.c */
int jailhouse_vpci_prepare(const struct jailhouse_system *config);
void jailhouse_vpci_release(void);
int jailhouse_vpci_add(struct device *parent);
void jailhouse_vpci_remove(void);
bool jailhouse_pci_root_ivshmem(const struct pci_dev *dev);

/* platform.c */
int jailhouse_check_platform(const struct jailhouse_system *sys);
int jailhouse_device_in_use(u64 start, u64 size, const char *what);
bool jailhouse_iomem_used(u64 start, u64 size, struct resource *found);
int jailhouse_ports_in_use(u64 base, u64 length, const char *what);

/* platform-arm64.c */
#ifdef CONFIG_ARM64
struct device_node *jailhouse_find_gic(unsigned int version);
#else
/*
 * No GIC: the root's ivshmem INTx, which pci.c maps onto GIC SPIs, has
 * nothing to map onto, and pci.c refuses the virtual PCI host.
 */
static inline struct device_node *jailhouse_find_gic(unsigned int version)
{
	return NULL;
}
#endif

/* sysfs.c */
int jailhouse_sysfs_init(struct device *dev);
void jailhouse_sysfs_exit(struct device *dev);

#endif /* !_JAILHOUSE_DRIVER_H */
