// SPDX-License-Identifier: GPL-2.0
/*
 * The files of /sys/devices/jailhouse/ (the cells/ directories are in
 * cell.c).
 */
#define pr_fmt(fmt) "jailhouse: " fmt

#include <linux/device.h>
#include <linux/firmware.h>
#include <linux/fs.h>
#include <linux/sysfs.h>

#include "hypercall.h"
#include "jailhouse.h"

struct kobject *jailhouse_cells_kobj;
u64 jailhouse_pci_mmconfig_base;

static ssize_t enabled_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(jailhouse_enabled));
}
static DEVICE_ATTR_RO(enabled);

static ssize_t console_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return jailhouse_console_show(buf);
}
static DEVICE_ATTR_RO(console);

static ssize_t show_info(char *buf, unsigned int type)
{
	long value;
	int err;

	err = jailhouse_state_get();
	if (err)
		return err;
	value = jailhouse_call_arg1(JAILHOUSE_HC_HYPERVISOR_GET_INFO, type);
	jailhouse_state_put();

	if (value < 0)
		return value;
	return sysfs_emit(buf, "%ld\n", value);
}

#define INFO_ATTR(_name, _type)						\
	static ssize_t _name##_show(struct device *dev,			\
				    struct device_attribute *attr,	\
				    char *buf)				\
	{								\
		return show_info(buf, _type);				\
	}								\
	static DEVICE_ATTR_RO(_name)

INFO_ATTR(mem_pool_size, JAILHOUSE_INFO_MEM_POOL_SIZE);
INFO_ATTR(mem_pool_used, JAILHOUSE_INFO_MEM_POOL_USED);
INFO_ATTR(remap_pool_size, JAILHOUSE_INFO_REMAP_POOL_SIZE);
INFO_ATTR(remap_pool_used, JAILHOUSE_INFO_REMAP_POOL_USED);

/*
 * Where the hypervisor emulates the virtual PCI host's ECAM, for "jailhouse
 * cell linux" to put into a cell's device tree: 0 unless enabled with one.
 */
static ssize_t pci_mmconfig_base_show(struct device *dev,
				      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "0x%llx\n",
			  READ_ONCE(jailhouse_pci_mmconfig_base));
}
static DEVICE_ATTR_RO(pci_mmconfig_base);

/* The image of the running hypervisor, as loaded from jailhouse.bin. */
static ssize_t core_read(struct file *file, struct kobject *kobj,
			 struct bin_attribute *attr, char *buf, loff_t off,
			 size_t count)
{
	ssize_t ret;

	ret = jailhouse_state_get();
	if (ret)
		return ret;
	ret = memory_read_from_buffer(buf, count, &off,
				      jailhouse_firmware->data,
				      jailhouse_firmware->size);
	jailhouse_state_put();
	return ret;
}
static BIN_ATTR_RO(core, 0);

static struct attribute *jailhouse_attrs[] = {
	&dev_attr_enabled.attr,
	&dev_attr_console.attr,
	&dev_attr_mem_pool_size.attr,
	&dev_attr_mem_pool_used.attr,
	&dev_attr_remap_pool_size.attr,
	&dev_attr_remap_pool_used.attr,
	&dev_attr_pci_mmconfig_base.attr,
	NULL,
};

static struct bin_attribute *jailhouse_bin_attrs[] = {
	&bin_attr_core,
	NULL,
};

static const struct attribute_group jailhouse_attr_group = {
	.attrs = jailhouse_attrs,
	.bin_attrs = jailhouse_bin_attrs,
};

/**
 * jailhouse_sysfs_init() - Create the files and cells/ below the device.
 * @dev:	the jailhouse root device
 *
 * Return: 0 or a negative errno.
 */
int jailhouse_sysfs_init(struct device *dev)
{
	int err;

	err = sysfs_create_group(&dev->kobj, &jailhouse_attr_group);
	if (err)
		return err;

	jailhouse_cells_kobj = kobject_create_and_add("cells", &dev->kobj);
	if (!jailhouse_cells_kobj) {
		sysfs_remove_group(&dev->kobj, &jailhouse_attr_group);
		return -ENOMEM;
	}
	return 0;
}

void jailhouse_sysfs_exit(struct device *dev)
{
	kobject_put(jailhouse_cells_kobj);
	sysfs_remove_group(&dev->kobj, &jailhouse_attr_group);
}
