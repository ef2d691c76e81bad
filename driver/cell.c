// SPDX-License-Identifier: GPL-2.0
/*
 * Cells as the driver keeps them: sysfs cells/<id>/ with the name, state,
 * CPU sets and the exit statistics of the cell's CPUs.
 */
#define pr_fmt(fmt) "jailhouse: " fmt

#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "hypercall.h"
#include "jailhouse.h"

/**
 * struct cell_stats - A statistics directory of a cell.
 * @kobj:	statistics/ or statistics/cpu<N>/
 * @cell:	the cell, referenced as long as this directory lives
 * @cpu:	the CPU whose counters are shown, or -1 for the sums over the
 *		cell's CPUs
 */
struct cell_stats {
	struct kobject kobj;
	struct cell *cell;
	int cpu;
};

struct cell_attribute {
	struct attribute attr;
	ssize_t (*show)(struct cell *cell, char *buf);
};

struct stat_attribute {
	struct attribute attr;
	unsigned int counter;
};

static const char *const cell_state_names[] = {
	[JAILHOUSE_CELL_RUNNING]	 = "running",
	[JAILHOUSE_CELL_RUNNING_LOCKED]	 = "running/locked",
	[JAILHOUSE_CELL_SHUT_DOWN]	 = "shut down",
	[JAILHOUSE_CELL_FAILED]		 = "failed",
	[JAILHOUSE_CELL_FAILED_COMM_REV] = "Comm ABI mismatch",
};

/**
 * jailhouse_cell_config_size64() - Size of a cell configuration.
 * @desc:	the cell descriptor, followed by its arrays
 *
 * Unlike jailhouse_cell_config_size() of the ABI header, the sum is taken in
 * 64 bits: with 32-bit counts it cannot overflow, so a descriptor whose
 * counts are absurd yields a size that is simply too large.
 *
 * Return: bytes of the descriptor and its arrays.
 */
u64 jailhouse_cell_config_size64(const struct jailhouse_cell_desc *desc)
{
	return sizeof(*desc) + (u64)desc->cpu_set_size +
		(u64)desc->num_memory_regions *
			sizeof(struct jailhouse_memory) +
		(u64)desc->num_cache_regions * sizeof(struct jailhouse_cache) +
		(u64)desc->num_irqchips * sizeof(struct jailhouse_irqchip) +
		(u64)desc->num_pio_regions * sizeof(struct jailhouse_pio) +
		(u64)desc->num_pci_devices *
			sizeof(struct jailhouse_pci_device) +
		(u64)desc->num_pci_caps *
			sizeof(struct jailhouse_pci_capability) +
		(u64)desc->num_stream_ids * sizeof(union jailhouse_stream_id);
}

/**
 * jailhouse_cell_cpumask() - Convert a cell's CPU bitmap to a cpumask.
 * @desc:	the cell descriptor, followed by its CPU bitmap
 * @cpus:	receives the CPUs
 *
 * The bitmap is read byte by byte, so that a cpu_set_size that is not a
 * multiple of sizeof(long) is read exactly.
 *
 * Return: 0, or -EINVAL (reported) if the bitmap names a CPU that Linux does
 * not have.
 */
int jailhouse_cell_cpumask(const struct jailhouse_cell_desc *desc,
			   struct cpumask *cpus)
{
	const u8 *set = (const u8 *)jailhouse_cell_cpu_set(desc);
	unsigned long cpu, bits = (unsigned long)desc->cpu_set_size * 8;

	cpumask_clear(cpus);
	for (cpu = 0; cpu < bits; cpu++) {
		if (!(set[cpu / 8] & BIT(cpu % 8)))
			continue;
		if (cpu >= nr_cpu_ids) {
			pr_err("cell \"%.*s\": CPU %lu does not exist, Linux has %u CPUs\n",
			       (int)sizeof(desc->name), desc->name, cpu,
			       nr_cpu_ids);
			return -EINVAL;
		}
		cpumask_set_cpu(cpu, cpus);
	}
	return 0;
}

/*
 * Holds jailhouse_state_sem for reading on success: the hypervisor runs and
 * knows the cell until cell_put().
 */
static int cell_get(struct cell *cell)
{
	int err;

	err = jailhouse_state_get();
	if (err)
		return err;
	if (list_empty(&cell->entry)) {
		jailhouse_state_put();
		return -ENODEV;
	}
	return 0;
}

static void cell_put(void)
{
	jailhouse_state_put();
}

static ssize_t name_show(struct cell *cell, char *buf)
{
	return sysfs_emit(buf, "%s\n", cell->name);
}

static ssize_t state_show(struct cell *cell, char *buf)
{
	long state;
	int err;

	err = cell_get(cell);
	if (err)
		return err;
	state = jailhouse_call_arg1(JAILHOUSE_HC_CELL_GET_STATE, cell->id);
	cell_put();

	if (state < 0)
		return state;
	if (state >= ARRAY_SIZE(cell_state_names))
		return sysfs_emit(buf, "invalid (%ld)\n", state);
	return sysfs_emit(buf, "%s\n", cell_state_names[state]);
}

static ssize_t show_cpus(struct cell *cell, char *buf, bool failed, bool list)
{
	cpumask_var_t cpus;
	unsigned int cpu;
	long state;
	ssize_t ret;

	if (!zalloc_cpumask_var(&cpus, GFP_KERNEL))
		return -ENOMEM;

	ret = cell_get(cell);
	if (ret)
		goto out_free;
	for_each_cpu(cpu, &cell->cpus_assigned) {
		if (failed) {
			state = jailhouse_call_arg2(JAILHOUSE_HC_CPU_GET_INFO,
						    cpu,
						    JAILHOUSE_CPU_INFO_STATE);
			if (state < 0) {
				ret = state;
				break;
			}
			if (state != JAILHOUSE_CPU_FAILED)
				continue;
		}
		cpumask_set_cpu(cpu, cpus);
	}
	cell_put();

	if (!ret)
		ret = sysfs_emit(buf, list ? "%*pbl\n" : "%*pb\n",
				 cpumask_pr_args(cpus));
out_free:
	free_cpumask_var(cpus);
	return ret;
}

static ssize_t cpus_assigned_show(struct cell *cell, char *buf)
{
	return show_cpus(cell, buf, false, false);
}

static ssize_t cpus_assigned_list_show(struct cell *cell, char *buf)
{
	return show_cpus(cell, buf, false, true);
}

static ssize_t cpus_failed_show(struct cell *cell, char *buf)
{
	return show_cpus(cell, buf, true, false);
}

static ssize_t cpus_failed_list_show(struct cell *cell, char *buf)
{
	return show_cpus(cell, buf, true, true);
}

#define CELL_ATTR(_name)						\
	static struct cell_attribute cell_attr_##_name = {		\
		.attr = { .name = __stringify(_name), .mode = 0444 },	\
		.show = _name##_show,					\
	}

CELL_ATTR(name);
CELL_ATTR(state);
CELL_ATTR(cpus_assigned);
CELL_ATTR(cpus_assigned_list);
CELL_ATTR(cpus_failed);
CELL_ATTR(cpus_failed_list);

static struct attribute *cell_attrs[] = {
	&cell_attr_name.attr,
	&cell_attr_state.attr,
	&cell_attr_cpus_assigned.attr,
	&cell_attr_cpus_assigned_list.attr,
	&cell_attr_cpus_failed.attr,
	&cell_attr_cpus_failed_list.attr,
	NULL,
};
ATTRIBUTE_GROUPS(cell);

static ssize_t cell_attr_show(struct kobject *kobj, struct attribute *attr,
			      char *buf)
{
	struct cell_attribute *cell_attr =
		container_of(attr, struct cell_attribute, attr);

	return cell_attr->show(container_of(kobj, struct cell, kobj), buf);
}

static const struct sysfs_ops cell_sysfs_ops = {
	.show = cell_attr_show,
};

static void cell_release(struct kobject *kobj)
{
	struct cell *cell = container_of(kobj, struct cell, kobj);

	kfree(cell->config);
	kfree(cell->cpu_stats);
	kfree(cell);
}

static const struct kobj_type cell_ktype = {
	.release = cell_release,
	.sysfs_ops = &cell_sysfs_ops,
	.default_groups = cell_groups,
};

#define STAT_ATTR(_name, _counter)					\
	static struct stat_attribute stat_attr_##_name = {		\
		.attr = { .name = __stringify(_name), .mode = 0444 },	\
		.counter = _counter,					\
	}

STAT_ATTR(vmexits_total, JAILHOUSE_CPU_STAT_VMEXITS_TOTAL);
STAT_ATTR(vmexits_mmio, JAILHOUSE_CPU_STAT_VMEXITS_MMIO);
STAT_ATTR(vmexits_management, JAILHOUSE_CPU_STAT_VMEXITS_MANAGEMENT);
STAT_ATTR(vmexits_hypercall, JAILHOUSE_CPU_STAT_VMEXITS_HYPERCALL);
#ifdef CONFIG_X86_64
STAT_ATTR(vmexits_pio, JAILHOUSE_CPU_STAT_VMEXITS_PIO);
STAT_ATTR(vmexits_xapic, JAILHOUSE_CPU_STAT_VMEXITS_XAPIC);
STAT_ATTR(vmexits_cr, JAILHOUSE_CPU_STAT_VMEXITS_CR);
STAT_ATTR(vmexits_cpuid, JAILHOUSE_CPU_STAT_VMEXITS_CPUID);
STAT_ATTR(vmexits_xsetbv, JAILHOUSE_CPU_STAT_VMEXITS_XSETBV);
STAT_ATTR(vmexits_exception, JAILHOUSE_CPU_STAT_VMEXITS_EXCEPTION);
STAT_ATTR(vmexits_msr_other, JAILHOUSE_CPU_STAT_VMEXITS_MSR_OTHER);
STAT_ATTR(vmexits_msr_x2apic_icr,
	  JAILHOUSE_CPU_STAT_VMEXITS_MSR_X2APIC_ICR);
#else
STAT_ATTR(vmexits_maintenance, JAILHOUSE_CPU_STAT_VMEXITS_MAINTENANCE);
STAT_ATTR(vmexits_virt_irq, JAILHOUSE_CPU_STAT_VMEXITS_VIRQ);
STAT_ATTR(vmexits_virt_sgi, JAILHOUSE_CPU_STAT_VMEXITS_VSGI);
STAT_ATTR(vmexits_psci, JAILHOUSE_CPU_STAT_VMEXITS_PSCI);
STAT_ATTR(vmexits_smccc, JAILHOUSE_CPU_STAT_VMEXITS_SMCCC);
#endif

/* the counters of ABI.md, "The driver's device and files" */
static struct attribute *stats_attrs[] = {
	&stat_attr_vmexits_total.attr,
	&stat_attr_vmexits_mmio.attr,
	&stat_attr_vmexits_management.attr,
	&stat_attr_vmexits_hypercall.attr,
#ifdef CONFIG_X86_64
	&stat_attr_vmexits_pio.attr,
	&stat_attr_vmexits_xapic.attr,
	&stat_attr_vmexits_cr.attr,
	&stat_attr_vmexits_cpuid.attr,
	&stat_attr_vmexits_xsetbv.attr,
	&stat_attr_vmexits_exception.attr,
	&stat_attr_vmexits_msr_other.attr,
	&stat_attr_vmexits_msr_x2apic_icr.attr,
#else
	&stat_attr_vmexits_maintenance.attr,
	&stat_attr_vmexits_virt_irq.attr,
	&stat_attr_vmexits_virt_sgi.attr,
	&stat_attr_vmexits_psci.attr,
	&stat_attr_vmexits_smccc.attr,
#endif
	NULL,
};
ATTRIBUTE_GROUPS(stats);

static long cpu_counter(unsigned int cpu, unsigned int counter)
{
	return jailhouse_call_arg2(JAILHOUSE_HC_CPU_GET_INFO, cpu,
				   JAILHOUSE_CPU_INFO_STAT_BASE + counter);
}

static ssize_t stats_attr_show(struct kobject *kobj, struct attribute *attr,
			       char *buf)
{
	struct cell_stats *stats = container_of(kobj, struct cell_stats, kobj);
	unsigned int counter =
		container_of(attr, struct stat_attribute, attr)->counter;
	struct cell *cell = stats->cell;
	unsigned int cpu;
	u64 sum = 0;
	long value;
	int err;

	err = cell_get(cell);
	if (err)
		return err;
	if (stats->cpu >= 0) {
		/* The directory of a CPU that moved on is about to go. */
		if (cpumask_test_cpu(stats->cpu, &cell->cpus_assigned))
			value = cpu_counter(stats->cpu, counter);
		else
			value = -ENODEV;
		if (value >= 0)
			sum = value;
	} else {
		value = 0;
		for_each_cpu(cpu, &cell->cpus_assigned) {
			value = cpu_counter(cpu, counter);
			if (value < 0)
				break;
			sum += value;
		}
	}
	cell_put();

	if (value < 0)
		return value;
	return sysfs_emit(buf, "%llu\n", sum);
}

static const struct sysfs_ops stats_sysfs_ops = {
	.show = stats_attr_show,
};

static void stats_release(struct kobject *kobj)
{
	struct cell_stats *stats = container_of(kobj, struct cell_stats, kobj);

	kobject_put(&stats->cell->kobj);
	kfree(stats);
}

static const struct kobj_type stats_ktype = {
	.release = stats_release,
	.sysfs_ops = &stats_sysfs_ops,
	.default_groups = stats_groups,
};

static struct cell_stats *stats_create(struct cell *cell,
				       struct kobject *parent, int cpu)
{
	struct cell_stats *stats;
	int err;

	stats = kzalloc(sizeof(*stats), GFP_KERNEL);
	if (!stats)
		return ERR_PTR(-ENOMEM);

	kobject_get(&cell->kobj);
	stats->cell = cell;
	stats->cpu = cpu;
	if (cpu < 0)
		err = kobject_init_and_add(&stats->kobj, &stats_ktype, parent,
					   "statistics");
	else
		err = kobject_init_and_add(&stats->kobj, &stats_ktype, parent,
					   "cpu%d", cpu);
	if (err) {
		kobject_put(&stats->kobj);
		return ERR_PTR(err);
	}
	return stats;
}

static void stats_delete(struct cell_stats *stats)
{
	if (!stats)
		return;
	kobject_del(&stats->kobj);
	kobject_put(&stats->kobj);
}

/**
 * jailhouse_cell_create() - Create the driver's side of a cell.
 * @desc:	the cell's configuration (descriptor, then its CPU bitmap)
 * @id:		the hypervisor's id of the cell
 *
 * Creates cells/<id>/ in sysfs.  Its files that ask the hypervisor answer
 * -ENODEV until the caller puts the cell into jailhouse_cells (under
 * jailhouse_state_sem) once the hypervisor knows it.
 *
 * Return: the cell, or an ERR_PTR.
 */
struct cell *jailhouse_cell_create(const struct jailhouse_cell_desc *desc,
				   unsigned int id)
{
	struct cell_stats *stats;
	struct cell *cell;
	unsigned int cpu;
	int err;

	cell = kzalloc(sizeof(*cell), GFP_KERNEL);
	if (!cell)
		return ERR_PTR(-ENOMEM);
	cell->cpu_stats = kcalloc(nr_cpu_ids, sizeof(*cell->cpu_stats),
				  GFP_KERNEL);
	if (!cell->cpu_stats) {
		kfree(cell);
		return ERR_PTR(-ENOMEM);
	}

	INIT_LIST_HEAD(&cell->entry);
	cell->id = id;
	strscpy(cell->name, desc->name, sizeof(cell->name));

	err = kobject_init_and_add(&cell->kobj, &cell_ktype,
				   jailhouse_cells_kobj, "%u", id);
	if (err) {
		kobject_put(&cell->kobj);
		return ERR_PTR(err);
	}

	err = jailhouse_cell_cpumask(desc, &cell->cpus_assigned);
	if (err)
		goto err_delete;

	stats = stats_create(cell, &cell->kobj, -1);
	if (IS_ERR(stats)) {
		err = PTR_ERR(stats);
		goto err_delete;
	}
	cell->stats = stats;

	for_each_cpu(cpu, &cell->cpus_assigned) {
		stats = stats_create(cell, &cell->stats->kobj, cpu);
		if (IS_ERR(stats)) {
			err = PTR_ERR(stats);
			goto err_delete;
		}
		cell->cpu_stats[cpu] = stats;
	}

	kobject_uevent(&cell->kobj, KOBJ_ADD);
	return cell;

err_delete:
	jailhouse_cell_delete(cell);
	return ERR_PTR(err);
}

/**
 * jailhouse_cell_remove_cpu_stats() - Drop statistics/cpu<N> of lost CPUs.
 * @cell:	the cell
 * @cpus:	the CPUs, already removed from @cell->cpus_assigned
 *
 * Waits for the readers of the directories, so it must not be called with
 * jailhouse_state_sem held.
 */
void jailhouse_cell_remove_cpu_stats(struct cell *cell,
				     const struct cpumask *cpus)
{
	unsigned int cpu;

	for_each_cpu(cpu, cpus) {
		stats_delete(cell->cpu_stats[cpu]);
		cell->cpu_stats[cpu] = NULL;
	}
}

/**
 * jailhouse_cell_add_cpu_stats() - Add statistics/cpu<N> of CPUs a cell got.
 * @cell:	the cell
 * @cpus:	the CPUs, already added to @cell->cpus_assigned
 *
 * The directories only show counters, so a failure is reported and
 * otherwise ignored: the cell works without them.
 */
void jailhouse_cell_add_cpu_stats(struct cell *cell,
				  const struct cpumask *cpus)
{
	struct cell_stats *stats;
	unsigned int cpu;

	for_each_cpu(cpu, cpus) {
		if (cell->cpu_stats[cpu])
			continue;
		stats = stats_create(cell, &cell->stats->kobj, cpu);
		if (IS_ERR(stats)) {
			pr_warn("cell \"%s\": no statistics for CPU %u: %pe\n",
				cell->name, cpu, stats);
			continue;
		}
		cell->cpu_stats[cpu] = stats;
	}
}

/**
 * jailhouse_cell_delete() - Remove a cell from sysfs and free it.
 * @cell:	the cell, no longer in jailhouse_cells
 *
 * Waits for the readers of its sysfs files.  Must not be called with
 * jailhouse_state_sem held, which those readers take.
 */
void jailhouse_cell_delete(struct cell *cell)
{
	unsigned int cpu;

	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		stats_delete(cell->cpu_stats[cpu]);
	stats_delete(cell->stats);
	kobject_del(&cell->kobj);
	kobject_put(&cell->kobj);
}
