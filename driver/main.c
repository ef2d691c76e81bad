// SPDX-License-Identifier: GPL-2.0
/*
 * jailhouse.ko: /dev/jailhouse, and handing the CPUs over to the hypervisor
 * and back (Documentation/design.md, "Entering" and "Leaving").
 */
#define pr_fmt(fmt) "jailhouse: " fmt

#include <linux/align.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/firmware.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/uaccess.h>

#include <jailhouse/ioctl.h>

#include "hypercall.h"
#include "jailhouse.h"

/* The entry code maps the hypervisor memory with 2 MiB blocks. */
#define HV_MEM_ALIGN		SZ_2M

/* What must be left for the hypervisor's page pool, at the very least. */
#define MIN_MEM_POOL_SIZE	(64 * JAILHOUSE_PAGE_SIZE)

DEFINE_MUTEX(jailhouse_lock);
DECLARE_RWSEM(jailhouse_state_sem);
LIST_HEAD(jailhouse_cells);

/* Under jailhouse_state_sem; jailhouse_firmware is set while enabled. */
bool jailhouse_enabled;
const struct firmware *jailhouse_firmware;

/* Under jailhouse_lock; the root cell is set while enabled. */
struct cell *jailhouse_root_cell;
static bool jailhouse_broken;

static struct device *jailhouse_dev;

/**
 * jailhouse_state_get() - Make sure the hypervisor keeps running.
 *
 * For the users of hypercalls outside the management operations: holds
 * jailhouse_state_sem for reading on success, to be released with
 * jailhouse_state_put().
 *
 * Return: 0, -ENODEV if the hypervisor does not run, or -EINTR.
 */
int jailhouse_state_get(void)
{
	int err;

	err = down_read_killable(&jailhouse_state_sem);
	if (err)
		return err;
	if (!jailhouse_enabled) {
		up_read(&jailhouse_state_sem);
		return -ENODEV;
	}
	return 0;
}

void jailhouse_state_put(void)
{
	up_read(&jailhouse_state_sem);
}

/**
 * jailhouse_lock_running() - Begin an operation on the running hypervisor.
 *
 * Return: 0 with jailhouse_lock held; without it -EINTR, -EIO if an earlier
 * enable or disable left the system undefined, or -EINVAL (reported) if the
 * hypervisor is not enabled.
 */
int jailhouse_lock_running(void)
{
	if (mutex_lock_interruptible(&jailhouse_lock))
		return -EINTR;
	if (jailhouse_broken) {
		mutex_unlock(&jailhouse_lock);
		return -EIO;
	}
	if (!jailhouse_enabled) {
		pr_err("the hypervisor is not enabled\n");
		mutex_unlock(&jailhouse_lock);
		return -EINVAL;
	}
	return 0;
}

/*
 * Checks what can be checked on the header of the system configuration
 * alone and computes the size of the whole configuration.
 */
static int check_system_header(const struct jailhouse_system *sys,
			       u64 *size)
{
	const struct jailhouse_memory *hv_mem = &sys->hypervisor_memory;
	u64 hv_end;

	if (memcmp(sys->signature, JAILHOUSE_SYSTEM_SIGNATURE,
		   sizeof(sys->signature))) {
		pr_err("not a system configuration: signature \"%*pE\", expected \"%s\"\n",
		       (int)sizeof(sys->signature), sys->signature,
		       JAILHOUSE_SYSTEM_SIGNATURE);
		return -EINVAL;
	}
	if (sys->architecture != JAILHOUSE_ARCH) {
		pr_err("system configuration for architecture %u, expected %u (" JAILHOUSE_ARCH_NAME ")\n",
		       sys->architecture, JAILHOUSE_ARCH);
		return -EINVAL;
	}
	if (sys->revision != JAILHOUSE_CONFIG_REVISION) {
		pr_err("system configuration revision %u, expected %u\n",
		       sys->revision, JAILHOUSE_CONFIG_REVISION);
		return -EINVAL;
	}
	if (sys->root_cell.cpu_set_size == 0 ||
	    sys->root_cell.cpu_set_size > JAILHOUSE_MAX_CPU_SET_SIZE) {
		pr_err("system configuration: invalid root cell CPU set size %u\n",
		       sys->root_cell.cpu_set_size);
		return -EINVAL;
	}

	if (hv_mem->size == 0 ||
	    !IS_ALIGNED(hv_mem->size, JAILHOUSE_PAGE_SIZE) ||
	    check_add_overflow(hv_mem->phys_start, hv_mem->size, &hv_end)) {
		pr_err("system configuration: invalid hypervisor memory size %#llx\n",
		       hv_mem->size);
		return -EINVAL;
	}
	if (!IS_ALIGNED(hv_mem->phys_start, HV_MEM_ALIGN)) {
		pr_err("hypervisor memory at %#llx is not 2 MiB aligned\n",
		       hv_mem->phys_start);
		return -EINVAL;
	}

	*size = sizeof(*sys) - sizeof(sys->root_cell) +
		jailhouse_cell_config_size64(&sys->root_cell);
	if (*size > hv_mem->size) {
		pr_err("system configuration: its counts give %#llx bytes, more than the hypervisor memory; corrupt?\n",
		       *size);
		return -EINVAL;
	}
	return 0;
}

/* Called with the CPU hotplug lock held. */
static int check_cpus(const struct cpumask *cpus)
{
	unsigned int cpu;

	for_each_cpu(cpu, cpus) {
		if (!cpu_online(cpu)) {
			pr_err("CPU %u of the root cell is offline; bring it online first\n",
			       cpu);
			return -EINVAL;
		}
	}
	for_each_online_cpu(cpu) {
		if (!cpumask_test_cpu(cpu, cpus)) {
			pr_err("CPU %u is online but not in the root cell's CPU set\n",
			       cpu);
			return -EINVAL;
		}
	}
	return 0;
}

static const struct jailhouse_header *image_header(const struct firmware *fw)
{
	return (const struct jailhouse_header *)fw->data;
}

static int load_image(const struct firmware **fw_out)
{
	const struct jailhouse_header *hdr;
	const struct firmware *fw;
	int err;

	err = request_firmware(&fw, JAILHOUSE_FIRMWARE, jailhouse_dev);
	if (err) {
		pr_err("cannot load the hypervisor image %s (error %d); is it in /lib/firmware?\n",
		       JAILHOUSE_FIRMWARE, err);
		return err;
	}

	err = -ENOEXEC;
	hdr = image_header(fw);
	if (fw->size < sizeof(*hdr) ||
	    memcmp(hdr->signature, JAILHOUSE_HEADER_SIGNATURE,
		   sizeof(hdr->signature))) {
		pr_err("%s is not a hypervisor image (no signature \"%s\")\n",
		       JAILHOUSE_FIRMWARE, JAILHOUSE_HEADER_SIGNATURE);
		goto err_release;
	}
	if (hdr->revision != JAILHOUSE_HEADER_REVISION) {
		pr_err("%s has header revision %u, the driver needs %u\n",
		       JAILHOUSE_FIRMWARE, hdr->revision,
		       JAILHOUSE_HEADER_REVISION);
		goto err_release;
	}
	if (hdr->arch != JAILHOUSE_ARCH) {
		pr_err("%s is built for architecture %u, not " JAILHOUSE_ARCH_NAME " (%u)\n",
		       JAILHOUSE_FIRMWARE, hdr->arch, JAILHOUSE_ARCH);
		goto err_release;
	}
	if (!IS_ALIGNED(hdr->core_size, JAILHOUSE_PAGE_SIZE) ||
	    hdr->core_size < fw->size ||
	    hdr->percpu_size == 0 ||
	    !IS_ALIGNED(hdr->percpu_size, JAILHOUSE_PAGE_SIZE) ||
	    hdr->entry >= fw->size || !IS_ALIGNED(hdr->entry, 4) ||
	    !IS_ALIGNED(hdr->console_page, JAILHOUSE_PAGE_SIZE) ||
	    hdr->console_page >= hdr->core_size) {
		pr_err("%s is corrupt: core size %#llx, per-CPU size %#llx, entry %#llx, console page %#llx, file size %#zx\n",
		       JAILHOUSE_FIRMWARE, hdr->core_size, hdr->percpu_size,
		       hdr->entry, hdr->console_page, fw->size);
		goto err_release;
	}

	*fw_out = fw;
	return 0;

err_release:
	release_firmware(fw);
	return err;
}

/*
 * Places the system configuration behind the per-CPU areas and checks that
 * everything fits into the hypervisor memory with room for a page pool.
 */
static int plan_layout(const struct jailhouse_header *hdr,
		       const struct jailhouse_memory *hv_mem, u64 config_size,
		       u64 *config_offset)
{
	u64 percpu, offset, end;

	if (check_mul_overflow(hdr->percpu_size, (u64)nr_cpu_ids, &percpu) ||
	    check_add_overflow(hdr->core_size, percpu, &offset) ||
	    check_add_overflow(offset,
			       ALIGN(config_size, JAILHOUSE_PAGE_SIZE), &end) ||
	    check_add_overflow(end, (u64)MIN_MEM_POOL_SIZE, &end) ||
	    end > hv_mem->size) {
		pr_err("hypervisor memory (%#llx bytes) too small for the image (%#llx), %u per-CPU areas of %#llx, the configuration (%#llx) and a memory pool\n",
		       hv_mem->size, hdr->core_size, nr_cpu_ids,
		       hdr->percpu_size, config_size);
		return -ENOMEM;
	}
	*config_offset = offset;
	return 0;
}

/*
 * Copies the image and the configuration to the hypervisor memory and leaves
 * no cache line of what the hypervisor reaches with its MMU off: the image,
 * the per-CPU areas (its stacks and bootstrap tables) and the configuration,
 * up to @config_offset + @config_size.  The copy goes through a
 * non-cacheable mapping; lines that a previous hypervisor left there are
 * cleaned away before, so that they cannot be written back over the copy or
 * hit later.  The page pool behind it the hypervisor reaches only through
 * its cacheable mapping, and a previous one left nothing dirty there
 * (Documentation/design.md, "Cache protocol"): it is not touched here.
 */
static int install_hypervisor(const struct firmware *fw,
			      const struct jailhouse_system *config,
			      u64 config_size, u64 config_offset)
{
	phys_addr_t phys = config->hypervisor_memory.phys_start;
	u64 core_size = image_header(fw)->core_size;
	u64 size = config_offset + config_size;
	struct jailhouse_header *hdr;
	void *mem;

	mem = memremap(phys, size, MEMREMAP_WC);
	if (!mem) {
		pr_err("cannot map the hypervisor memory %#llx-%#llx\n",
		       phys, phys + size - 1);
		return -ENOMEM;
	}

	jailhouse_dcache_clean_inval_poc(mem, size);
	memcpy(mem, fw->data, fw->size);
	memset(mem + fw->size, 0, core_size - fw->size);
	hdr = mem;
	hdr->max_cpus = nr_cpu_ids;
	hdr->online_cpus = num_online_cpus();
	memcpy(mem + config_offset, config, config_size);

	jailhouse_dcache_clean_inval_poc(mem, size);
	memunmap(mem);
	return 0;
}

struct enter_args {
	phys_addr_t entry;
	long *results;
};

static void enter_hypervisor(void *info)
{
	struct enter_args *args = info;
	unsigned int cpu = smp_processor_id();

	args->results[cpu] = jailhouse_arch_enter(args->entry, cpu);
}

static void leave_hypervisor(void *info)
{
	long *results = info;

	results[smp_processor_id()] = jailhouse_arch_leave();
}

/*
 * The hypervisor answers enable and disable with one result on all CPUs.
 * CPUs that disagree leave some of them inside and some outside: nothing
 * can be undone safely any more.  Called with the CPU hotplug lock held.
 */
static int common_result(const long *results, const char *what)
{
	unsigned int cpu, first = cpumask_first(cpu_online_mask);

	for_each_online_cpu(cpu) {
		if (results[cpu] != results[first]) {
			pr_crit("CPUs disagree on %s: CPU %u returned %ld, CPU %u %ld; the system state is undefined, reboot\n",
				what, first, results[first], cpu,
				results[cpu]);
			jailhouse_broken = true;
			__module_get(THIS_MODULE);
			return -EIO;
		}
	}
	if (results[first])
		pr_err("%s failed with error %ld on every CPU\n", what,
		       results[first]);
	return results[first];
}

/*
 * Copies the system configuration from user space and checks what can be
 * checked before the hypervisor image is known.
 */
static struct jailhouse_system *
read_system_config(const struct jailhouse_system __user *arg, u64 *size)
{
	struct jailhouse_system header, *config;
	int err;

	if (copy_from_user(&header, arg, sizeof(header))) {
		pr_err("cannot read the header of the system configuration\n");
		return ERR_PTR(-EFAULT);
	}

	err = check_system_header(&header, size);
	if (err)
		return ERR_PTR(err);
	err = jailhouse_check_platform(&header);
	if (err)
		return ERR_PTR(err);

	config = kvmalloc(*size, GFP_KERNEL | __GFP_NOWARN);
	if (!config) {
		pr_err("no memory for the %#llx bytes of the system configuration\n",
		       *size);
		return ERR_PTR(-ENOMEM);
	}
	if (copy_from_user(config, arg, *size)) {
		pr_err("cannot read the %#llx bytes of the system configuration\n",
		       *size);
		err = -EFAULT;
		goto err_free;
	}
	if (memcmp(config, &header, sizeof(header))) {
		pr_err("the system configuration changed while it was read\n");
		err = -EINVAL;
		goto err_free;
	}
	config->root_cell.id = JAILHOUSE_ROOT_CELL_ID;
	return config;

err_free:
	kvfree(config);
	return ERR_PTR(err);
}

/*
 * Hands every online CPU to the hypervisor.  The image is installed here,
 * after the last check, so that a refused enable never wrote to the
 * hypervisor memory.
 */
static int start_hypervisor(const struct firmware *fw,
			    const struct jailhouse_system *config,
			    u64 config_size, u64 config_offset,
			    struct cell *cell)
{
	const struct jailhouse_header *image = image_header(fw);
	phys_addr_t hv_phys = config->hypervisor_memory.phys_start;
	phys_addr_t console = hv_phys + image->console_page;
	struct enter_args args;
	unsigned long *answers;
	int err = -ENOMEM;

	answers = kcalloc(nr_cpu_ids, sizeof(*answers), GFP_KERNEL);
	args.results = kcalloc(nr_cpu_ids, sizeof(*args.results), GFP_KERNEL);
	if (!answers || !args.results)
		goto out_free;
	args.entry = hv_phys + image->entry;

	cpus_read_lock();

	err = check_cpus(&cell->cpus_assigned);
	if (err)
		goto out_cpus_unlock;
	err = jailhouse_arch_check_entry(answers);
	if (err)
		goto out_cpus_unlock;
	err = install_hypervisor(fw, config, config_size, config_offset);
	if (err)
		goto out_cpus_unlock;
	err = jailhouse_arch_prepare_entry(&config->hypervisor_memory);
	if (err)
		goto out_cpus_unlock;

	down_write(&jailhouse_state_sem);
	on_each_cpu(enter_hypervisor, &args, 1);
	jailhouse_arch_entry_done();
	err = common_result(args.results, "enabling the hypervisor");
	if (!err) {
		jailhouse_enabled = true;
		jailhouse_firmware = fw;
		list_add_tail(&cell->entry, &jailhouse_cells);
		if (jailhouse_console_start(console))
			pr_warn("the hypervisor runs, but its console cannot be read\n");
	} else if (!jailhouse_broken) {
		jailhouse_console_capture(console);
	}
	up_write(&jailhouse_state_sem);

out_cpus_unlock:
	cpus_read_unlock();
out_free:
	kfree(args.results);
	kfree(answers);
	return err;
}

/*
 * Takes every CPU back from the hypervisor, which has no cell left but
 * @root.  On success the caller deletes @root and releases the image.
 */
static int stop_hypervisor(struct cell *root)
{
	long *results;
	int err;

	results = kcalloc(nr_cpu_ids, sizeof(*results), GFP_KERNEL);
	if (!results)
		return -ENOMEM;

	cpus_read_lock();
	down_write(&jailhouse_state_sem);
	on_each_cpu(leave_hypervisor, results, 1);
	err = common_result(results, "disabling the hypervisor");
	if (!err) {
		jailhouse_console_stop();
		jailhouse_enabled = false;
		jailhouse_firmware = NULL;
		list_del_init(&root->entry);
	}
	up_write(&jailhouse_state_sem);
	cpus_read_unlock();
	kfree(results);
	return err;
}

static int jailhouse_cmd_enable(const struct jailhouse_system __user *arg)
{
	const struct jailhouse_header *image;
	struct jailhouse_system *config;
	u64 config_size, config_offset;
	const struct firmware *fw;
	struct cell *cell;
	int err;

	if (mutex_lock_interruptible(&jailhouse_lock))
		return -EINTR;

	err = -EIO;
	if (jailhouse_broken)
		goto err_unlock;
	if (jailhouse_enabled) {
		pr_err("the hypervisor is already enabled\n");
		err = -EBUSY;
		goto err_unlock;
	}

	/*
	 * First, as without the virtualization extensions nothing else
	 * matters: a config checked against a device tree without
	 * virtualization would be refused for the GIC frames the machine
	 * lacks, not for the reason.
	 */
	err = jailhouse_arch_check_cpus();
	if (err)
		goto err_unlock;

	config = read_system_config(arg, &config_size);
	if (IS_ERR(config)) {
		err = PTR_ERR(config);
		goto err_unlock;
	}
	cell = jailhouse_cell_create(&config->root_cell,
				     JAILHOUSE_ROOT_CELL_ID);
	if (IS_ERR(cell)) {
		err = PTR_ERR(cell);
		goto err_free_config;
	}

	err = load_image(&fw);
	if (err)
		goto err_delete_cell;
	image = image_header(fw);
	err = plan_layout(image, &config->hypervisor_memory, config_size,
			  &config_offset);
	if (err)
		goto err_release_fw;

	err = jailhouse_vpci_prepare(config);
	if (err)
		goto err_release_fw;

	err = start_hypervisor(fw, config, config_size, config_offset, cell);
	if (err)
		goto err_vpci_release;

	err = jailhouse_vpci_add(jailhouse_dev);
	if (err)
		goto err_stop_hypervisor;

	jailhouse_root_cell = cell;
	WRITE_ONCE(jailhouse_pci_mmconfig_base,
		   config->platform_info.pci_mmconfig_base);
	__module_get(THIS_MODULE);
	pr_info("the hypervisor %.*s runs on CPUs %*pbl\n",
		(int)sizeof(image->version), image->version,
		cpumask_pr_args(&cell->cpus_assigned));
	kvfree(config);
	mutex_unlock(&jailhouse_lock);
	return 0;

err_stop_hypervisor:
	if (stop_hypervisor(cell)) {
		/* Nothing can be undone: the hypervisor runs on, if at all. */
		if (!jailhouse_broken) {
			pr_err("the hypervisor stays enabled, without its virtual PCI host: it refused to be left; try \"jailhouse disable\"\n");
			jailhouse_root_cell = cell;
			__module_get(THIS_MODULE);
		}
		goto err_free_config;
	}
err_vpci_release:
	jailhouse_vpci_release();
err_release_fw:
	release_firmware(fw);
err_delete_cell:
	jailhouse_cell_delete(cell);
err_free_config:
	kvfree(config);
err_unlock:
	mutex_unlock(&jailhouse_lock);
	return err;
}

static int jailhouse_cmd_disable(void)
{
	const struct firmware *fw;
	int err;

	err = jailhouse_lock_running();
	if (err)
		return err;

	/* The hypervisor leaves only when the root cell is alone. */
	err = jailhouse_cells_destroy_all();
	if (err) {
		pr_err("the hypervisor stays enabled: not every cell could be destroyed\n");
		goto out_unlock;
	}

	/* Its ECAM is gone with the hypervisor. */
	jailhouse_vpci_remove();

	fw = jailhouse_firmware;
	err = stop_hypervisor(jailhouse_root_cell);
	if (err) {
		if (!jailhouse_broken && jailhouse_vpci_add(jailhouse_dev))
			pr_err("the hypervisor stays enabled, without its virtual PCI host\n");
		goto out_unlock;
	}
	jailhouse_vpci_release();

	jailhouse_cell_delete(jailhouse_root_cell);
	jailhouse_root_cell = NULL;
	WRITE_ONCE(jailhouse_pci_mmconfig_base, 0);
	release_firmware(fw);
	module_put(THIS_MODULE);
	pr_info("the hypervisor is disabled\n");

out_unlock:
	mutex_unlock(&jailhouse_lock);
	return err;
}

static long jailhouse_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	switch (cmd) {
	case JAILHOUSE_ENABLE:
		return jailhouse_cmd_enable((void __user *)arg);
	case JAILHOUSE_DISABLE:
		return jailhouse_cmd_disable();
	case JAILHOUSE_CELL_CREATE:
		return jailhouse_cmd_cell_create((void __user *)arg);
	case JAILHOUSE_CELL_LOAD:
		return jailhouse_cmd_cell_load((void __user *)arg);
	case JAILHOUSE_CELL_START:
		return jailhouse_cmd_cell_start((void __user *)arg);
	case JAILHOUSE_CELL_DESTROY:
		return jailhouse_cmd_cell_destroy((void __user *)arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations jailhouse_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.read = jailhouse_console_read,
	.unlocked_ioctl = jailhouse_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice jailhouse_misc_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "jailhouse",
	.fops = &jailhouse_fops,
};

static int __init jailhouse_init(void)
{
	int err;

	jailhouse_dev = root_device_register("jailhouse");
	if (IS_ERR(jailhouse_dev))
		return PTR_ERR(jailhouse_dev);

	err = jailhouse_sysfs_init(jailhouse_dev);
	if (err)
		goto err_unregister_dev;

	err = jailhouse_control_init();
	if (err)
		goto err_sysfs_exit;

	err = misc_register(&jailhouse_misc_dev);
	if (err)
		goto err_control_exit;

	return 0;

err_control_exit:
	jailhouse_control_exit();
err_sysfs_exit:
	jailhouse_sysfs_exit(jailhouse_dev);
err_unregister_dev:
	root_device_unregister(jailhouse_dev);
	return err;
}

static void __exit jailhouse_exit(void)
{
	misc_deregister(&jailhouse_misc_dev);
	jailhouse_control_exit();
	jailhouse_sysfs_exit(jailhouse_dev);
	root_device_unregister(jailhouse_dev);
}

module_init(jailhouse_init);
module_exit(jailhouse_exit);

MODULE_DESCRIPTION("Jailhouse-compatible hypervisor: loader and control");
MODULE_LICENSE("GPL");
MODULE_FIRMWARE(JAILHOUSE_FIRMWARE);
