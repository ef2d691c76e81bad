/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations shared by the parts of the driver.
 *
 * Locking: jailhouse_lock serialises the management operations (the ioctls).
 * jailhouse_state_sem guards what depends on the hypervisor running: it is
 * held for writing while the hypervisor is entered or left (and, later,
 * while cells come and go), and for reading by everything that issues a
 * hypercall or reads the console ring on behalf of sysfs or read().  Those
 * readers never take jailhouse_lock, so the management operations may remove
 * sysfs entries while they hold it.
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

#define JAILHOUSE_ROOT_CELL_ID	0

struct device;
struct firmware;
struct cell_stats;

/**
 * struct cell - A cell known to the hypervisor, as seen in sysfs.
 * @kobj:		cells/<id> in sysfs
 * @entry:		in jailhouse_cells while the hypervisor knows the cell
 * @id:			the hypervisor's id of the cell
 * @name:		NUL-terminated name from the cell's configuration
 * @cpus_assigned:	Linux CPU ids given to the cell
 * @stats:		cells/<id>/statistics (sums over @cpus_assigned)
 * @cpu_stats:		cells/<id>/statistics/cpu<N>, indexed by CPU id
 */
struct cell {
	struct kobject kobj;
	struct list_head entry;
	unsigned int id;
	char name[JAILHOUSE_CELL_NAME_MAXLEN + 1];
	cpumask_t cpus_assigned;
	struct cell_stats *stats;
	struct cell_stats **cpu_stats;
};

extern struct mutex jailhouse_lock;
extern struct rw_semaphore jailhouse_state_sem;
extern bool jailhouse_enabled;
extern const struct firmware *jailhouse_firmware;
extern struct list_head jailhouse_cells;
extern struct kobject *jailhouse_cells_kobj;

int jailhouse_state_get(void);
void jailhouse_state_put(void);

/* cell.c */
u64 jailhouse_cell_config_size64(const struct jailhouse_cell_desc *desc);
int jailhouse_cell_cpumask(const struct jailhouse_cell_desc *desc,
			   struct cpumask *cpus);
struct cell *jailhouse_cell_create(const struct jailhouse_cell_desc *desc,
				   unsigned int id);
void jailhouse_cell_delete(struct cell *cell);

/* console.c */
int jailhouse_console_start(phys_addr_t page);
void jailhouse_console_capture(phys_addr_t page);
void jailhouse_console_stop(void);
ssize_t jailhouse_console_show(char *buf);
ssize_t jailhouse_console_read(struct file *file, char __user *out,
			       size_t count, loff_t *ppos);

/* sysfs.c */
int jailhouse_sysfs_init(struct device *dev);
void jailhouse_sysfs_exit(struct device *dev);

#endif /* !_JAILHOUSE_DRIVER_H */
