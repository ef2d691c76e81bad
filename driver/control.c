// SPDX-License-Identifier: GPL-2.0
/*
 * Non-root cells: the ioctls that create, load, start and destroy them, and
 * the hand-over of their CPUs between Linux and the hypervisor.
 *
 * The hypervisor gives a cell only CPUs that Linux took offline (Linux's
 * PSCI CPU_OFF parks them in the hypervisor) and returns them parked when
 * the cell is destroyed; Linux then brings them up again with PSCI CPU_ON.
 */
#define pr_fmt(fmt) "jailhouse: " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <jailhouse/ioctl.h>

#include "hypercall.h"
#include "jailhouse.h"

/*
 * Exported by the kernel (kernel/rcu/update.c) but declared only in its
 * private header: while set, every RCU grace period is an expedited one.
 * Taking a CPU down or up, and removing a PCI device (a network card's
 * driver, for one), waits for several grace periods; a normal one lasts
 * scheduler ticks (30-40 ms for one CPU of an idle root under QEMU, as
 * much again for an assigned virtio-net card), an expedited one a round of
 * IPIs (about 1 ms): create and destroy expedite them while Linux hands
 * over the cell's CPUs and devices.
 */
void rcu_expedite_gp(void);
void rcu_unexpedite_gp(void);

/* Bytes of a cell's memory mapped and filled at a time by a load. */
#define LOAD_CHUNK_SIZE		SZ_2M

/*
 * CPUs that belong, or are about to belong, to a non-root cell: Linux must
 * not bring them up, the hypervisor holds them.  Changed with the CPU
 * hotplug lock held for reading, so that cpu_withheld_check(), which runs
 * with it held for writing, sees a stable mask.
 */
static cpumask_t cpus_withheld;
static int cpuhp_state;

static int cpu_withheld_check(unsigned int cpu)
{
	if (!cpumask_test_cpu(cpu, &cpus_withheld))
		return 0;
	pr_err("CPU %u belongs to a cell; it comes back when the cell is destroyed\n",
	       cpu);
	return -EBUSY;
}

static void withhold_cpus(const struct cpumask *cpus, bool withhold)
{
	cpus_read_lock();
	if (withhold)
		cpumask_or(&cpus_withheld, &cpus_withheld, cpus);
	else
		cpumask_andnot(&cpus_withheld, &cpus_withheld, cpus);
	cpus_read_unlock();
}

/*
 * Brings back the CPUs of a cell that was destroyed or could not be
 * created: all of @cpus may come up again, those in @offlined are.
 */
static void give_back_cpus(const struct cpumask *cpus,
			   const struct cpumask *offlined)
{
	unsigned int cpu;
	int err;

	withhold_cpus(cpus, false);
	for_each_cpu(cpu, offlined) {
		err = add_cpu(cpu);
		if (err < 0)
			pr_err("CPU %u does not come back online in Linux: %pe\n",
			       cpu, ERR_PTR(err));
	}
}

/*
 * Takes the CPUs of a new cell offline in Linux.  CPUs that are offline
 * already are parked in the hypervisor (the root's CPUs were all online at
 * enable) and stay offline after the cell, like before it.
 */
static int take_cpus(const char *name, const struct cpumask *cpus,
		     struct cpumask *offlined)
{
	unsigned int cpu;
	int err;

	cpumask_clear(offlined);
	withhold_cpus(cpus, true);
	for_each_cpu(cpu, cpus) {
		/* A positive result: the CPU was offline already. */
		err = remove_cpu(cpu);
		if (err < 0) {
			pr_err("cell \"%s\": cannot take CPU %u offline in Linux: %pe\n",
			       name, cpu, ERR_PTR(err));
			give_back_cpus(cpus, offlined);
			return err;
		}
		if (err == 0)
			cpumask_set_cpu(cpu, offlined);
	}
	return 0;
}

/*
 * Checks the descriptor of a cell configuration of @config_size bytes and
 * computes the size of the configuration from its counts.
 */
static int check_cell_desc(const struct jailhouse_cell_desc *desc,
			   u32 config_size, u64 *size)
{
	unsigned int n;
	u8 c;

	if (memcmp(desc->signature, JAILHOUSE_CELL_DESC_SIGNATURE,
		   sizeof(desc->signature))) {
		pr_err("not a cell configuration: signature \"%*pE\", expected \"%s\"\n",
		       (int)sizeof(desc->signature), desc->signature,
		       JAILHOUSE_CELL_DESC_SIGNATURE);
		return -EINVAL;
	}
	if (desc->architecture != JAILHOUSE_ARCH) {
		pr_err("cell configuration for architecture %u, expected %u (" JAILHOUSE_ARCH_NAME ")\n",
		       desc->architecture, JAILHOUSE_ARCH);
		return -EINVAL;
	}
	if (desc->revision != JAILHOUSE_CONFIG_REVISION) {
		pr_err("cell configuration revision %u, expected %u\n",
		       desc->revision, JAILHOUSE_CONFIG_REVISION);
		return -EINVAL;
	}
	if (!memchr(desc->name, '\0', sizeof(desc->name))) {
		pr_err("cell configuration: the name \"%*pE\" is not NUL-terminated\n",
		       (int)sizeof(desc->name), desc->name);
		return -EINVAL;
	}
	if (!desc->name[0]) {
		pr_err("cell configuration: empty name\n");
		return -EINVAL;
	}
	/* It appears in sysfs, messages and paths that tools make of it. */
	for (n = 0; desc->name[n]; n++) {
		c = desc->name[n];
		if (c < 0x20 || c == 0x7f || c == '/') {
			pr_err("cell configuration: the name \"%*pE\" has a control character or '/'\n",
			       (int)strlen(desc->name), desc->name);
			return -EINVAL;
		}
	}
	if (desc->cpu_set_size == 0 ||
	    desc->cpu_set_size > JAILHOUSE_MAX_CPU_SET_SIZE) {
		pr_err("cell \"%s\": invalid CPU set size %u\n", desc->name,
		       desc->cpu_set_size);
		return -EINVAL;
	}

	*size = jailhouse_cell_config_size64(desc);
	if (*size > config_size) {
		pr_err("cell \"%s\": the configuration has %u bytes, its counts describe %llu; truncated or corrupt?\n",
		       desc->name, config_size, *size);
		return -EINVAL;
	}
	/* The hypervisor reads the copy by physical address: contiguous. */
	if (*size > KMALLOC_MAX_SIZE) {
		pr_err("cell \"%s\": configuration of %llu bytes, at most %lu are supported\n",
		       desc->name, *size, KMALLOC_MAX_SIZE);
		return -EFBIG;
	}
	return 0;
}

/*
 * Copies a cell configuration from user space into physically contiguous
 * memory and checks its format.
 */
static struct jailhouse_cell_desc *
read_cell_config(const struct jailhouse_cell_create *create)
{
	const void __user *src = u64_to_user_ptr(create->config_address);
	struct jailhouse_cell_desc desc, *config;
	u64 size;
	int err;

	if (create->config_size < sizeof(desc)) {
		pr_err("cell configuration of %u bytes, shorter than its descriptor (%zu bytes)\n",
		       create->config_size, sizeof(desc));
		return ERR_PTR(-EINVAL);
	}
	if (copy_from_user(&desc, src, sizeof(desc))) {
		pr_err("cannot read the cell configuration\n");
		return ERR_PTR(-EFAULT);
	}
	err = check_cell_desc(&desc, create->config_size, &size);
	if (err)
		return ERR_PTR(err);

	config = kmalloc(size, GFP_KERNEL | __GFP_NOWARN);
	if (!config) {
		pr_err("cell \"%s\": no memory for the %llu bytes of its configuration\n",
		       desc.name, size);
		return ERR_PTR(-ENOMEM);
	}
	if (copy_from_user(config, src, size)) {
		pr_err("cell \"%s\": cannot read the %llu bytes of its configuration\n",
		       desc.name, size);
		err = -EFAULT;
		goto err_free;
	}
	if (memcmp(config, &desc, sizeof(desc))) {
		pr_err("cell \"%s\": the configuration changed while it was read\n",
		       desc.name);
		err = -EINVAL;
		goto err_free;
	}
	return config;

err_free:
	kfree(config);
	return ERR_PTR(err);
}

/* Called with jailhouse_lock held. */
static struct cell *cell_by_name(const char *name)
{
	struct cell *cell;

	list_for_each_entry(cell, &jailhouse_cells, entry)
		if (!strcmp(cell->name, name))
			return cell;
	return NULL;
}

/* Called with jailhouse_lock held. */
static struct cell *cell_by_id(unsigned int id)
{
	struct cell *cell;

	list_for_each_entry(cell, &jailhouse_cells, entry)
		if (cell->id == id)
			return cell;
	return NULL;
}

/* Called with jailhouse_lock held. */
static struct cell *cell_by_cpu(unsigned int cpu)
{
	struct cell *cell;

	list_for_each_entry(cell, &jailhouse_cells, entry)
		if (cpumask_test_cpu(cpu, &cell->cpus_assigned))
			return cell;
	return NULL;
}

/*
 * Checks a new cell against what Linux knows: a unique name, CPUs that
 * exist and that the root cell has, no RAM that Linux uses, no device or
 * ports that a Linux driver claimed.  The hypervisor checks the rest.
 * Called with jailhouse_lock held.
 */
static int check_new_cell(const struct jailhouse_cell_desc *config,
			  struct cpumask *cpus)
{
	const struct jailhouse_memory *mem = jailhouse_cell_mem_regions(config);
	const struct jailhouse_pio *pio = jailhouse_cell_pio(config);
	const char *name = config->name;
	char what[JAILHOUSE_CELL_NAME_MAXLEN + 40];
	struct cell *owner;
	unsigned int cpu, n;
	u64 last;
	int err;

	if (cell_by_name(name)) {
		pr_err("cell \"%s\" exists already\n", name);
		return -EEXIST;
	}

	err = jailhouse_cell_cpumask(config, cpus);
	if (err)
		return err;
	if (cpumask_empty(cpus)) {
		pr_err("cell \"%s\": no CPUs\n", name);
		return -EINVAL;
	}
	/*
	 * Not complete (CPUs may go offline meanwhile), but it spares Linux
	 * taking CPUs offline only to find that it cannot take the last.
	 */
	if (cpumask_subset(cpu_online_mask, cpus)) {
		pr_err("cell \"%s\": would take every CPU that Linux runs on\n",
		       name);
		return -EBUSY;
	}
	for_each_cpu(cpu, cpus) {
		if (!cpu_present(cpu)) {
			pr_err("cell \"%s\": CPU %u does not exist\n", name,
			       cpu);
			return -EINVAL;
		}
		owner = cell_by_cpu(cpu);
		if (!owner) {
			pr_err("cell \"%s\": CPU %u is not in the root cell's CPU set\n",
			       name, cpu);
			return -EINVAL;
		}
		if (owner != jailhouse_root_cell) {
			pr_err("cell \"%s\": CPU %u belongs to cell \"%s\"\n",
			       name, cpu, owner->name);
			return -EBUSY;
		}
	}

	for (n = 0; n < config->num_memory_regions; n++, mem++) {
		/* The driver writes to them: a device or hole would fault. */
		if (mem->flags & JAILHOUSE_MEM_LOADABLE &&
		    !(mem->flags & JAILHOUSE_MEM_COMM_REGION) &&
		    !jailhouse_firmware_ram(mem->phys_start, mem->size)) {
			pr_err("cell \"%s\": loadable memory region %u at %#llx (%#llx bytes) is not RAM by the firmware's description\n",
			       name, n, mem->phys_start, mem->size);
			return -EINVAL;
		}
		/* Comm regions are backed by the hypervisor's own pages. */
		if (mem->size == 0 ||
		    mem->flags & (JAILHOUSE_MEM_COMM_REGION |
				  JAILHOUSE_MEM_ROOTSHARED))
			continue;
		if (check_add_overflow(mem->phys_start, mem->size - 1, &last)) {
			pr_err("cell \"%s\": memory region %u at %#llx of size %#llx wraps around\n",
			       name, n, mem->phys_start, mem->size);
			return -EINVAL;
		}
		if (region_intersects(mem->phys_start, mem->size,
				      IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE) !=
		    REGION_DISJOINT) {
			pr_err("cell \"%s\": memory region %u (%#llx-%#llx) is RAM that Linux uses\n",
			       name, n, mem->phys_start, last);
			return -EBUSY;
		}
		/* the BAR of a device the cell takes: its driver goes first */
		if (jailhouse_pci_assigned_range(config, mem->phys_start,
						 mem->size))
			continue;
		snprintf(what, sizeof(what), "cell \"%s\": memory region %u",
			 name, n);
		err = jailhouse_device_in_use(mem->phys_start, mem->size,
					      what);
		if (err)
			return err;
	}

	for (n = 0; n < config->num_pio_regions; n++, pio++) {
		/* empty ones are the hypervisor's to refuse */
		if (pio->length == 0)
			continue;
		snprintf(what, sizeof(what), "cell \"%s\": PIO region %u",
			 name, n);
		err = jailhouse_ports_in_use(pio->base, pio->length, what);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Makes the new cell @id known in sysfs and takes its CPUs from the root
 * cell.  On failure the hypervisor still has the cell.
 */
static int register_cell(struct jailhouse_cell_desc *config,
			 unsigned int id, const struct cpumask *offlined)
{
	struct cell *root = jailhouse_root_cell;
	struct cell *cell;

	cell = jailhouse_cell_create(config, id);
	if (IS_ERR(cell))
		return PTR_ERR(cell);
	cell->config = config;
	cpumask_copy(&cell->cpus_offlined, offlined);

	down_write(&jailhouse_state_sem);
	list_add_tail(&cell->entry, &jailhouse_cells);
	cpumask_andnot(&root->cpus_assigned, &root->cpus_assigned,
		       &cell->cpus_assigned);
	up_write(&jailhouse_state_sem);

	jailhouse_cell_remove_cpu_stats(root, &cell->cpus_assigned);
	return 0;
}

/**
 * jailhouse_cmd_cell_create() - JAILHOUSE_CELL_CREATE.
 * @arg:	user pointer to struct jailhouse_cell_create
 *
 * Return: 0 or a negative errno, every failure reported.
 */
int jailhouse_cmd_cell_create(const struct jailhouse_cell_create __user *arg)
{
	struct jailhouse_cell_create create;
	struct jailhouse_cell_desc *config;
	/* Off the stack: 1 KiB each with the 8192 CPUs of Debian's amd64. */
	cpumask_var_t cpus, offlined;
	long id;
	int err;

	if (!zalloc_cpumask_var(&cpus, GFP_KERNEL))
		return -ENOMEM;
	err = -ENOMEM;
	if (!zalloc_cpumask_var(&offlined, GFP_KERNEL))
		goto err_free_cpus;
	err = -EFAULT;
	if (copy_from_user(&create, arg, sizeof(create)))
		goto err_free_masks;
	config = read_cell_config(&create);
	if (IS_ERR(config)) {
		err = PTR_ERR(config);
		goto err_free_masks;
	}

	err = jailhouse_lock_running();
	if (err)
		goto err_free;
	err = check_new_cell(config, cpus);
	if (err)
		goto err_unlock;
	rcu_expedite_gp();
	err = jailhouse_pci_take(config);
	if (err)
		goto err_unexpedite;
	err = take_cpus(config->name, cpus, offlined);
	if (err)
		goto err_pci_give_back;

	/* The root's memory is mapped 1:1: guest-physical is physical. */
	id = jailhouse_call_arg1(JAILHOUSE_HC_CELL_CREATE,
				 virt_to_phys(config));
	if (id < 0) {
		err = id;
		pr_err("cell \"%s\": create failed in the hypervisor: %pe\n",
		       config->name, ERR_PTR(err));
		goto err_give_back;
	}

	err = register_cell(config, id, offlined);
	if (err) {
		pr_err("cell \"%s\" (id %ld): cannot create its sysfs entries: %pe\n",
		       config->name, id, ERR_PTR(err));
		if (jailhouse_call_arg1(JAILHOUSE_HC_CELL_DESTROY, id)) {
			pr_crit("cell \"%s\" (id %ld) cannot be destroyed again; its CPUs %*pbl stay lost\n",
				config->name, id, cpumask_pr_args(cpus));
			goto err_unexpedite;
		}
		goto err_give_back;
	}

	rcu_unexpedite_gp();
	pr_info("cell \"%s\" (id %ld) created on CPUs %*pbl\n", config->name,
		id, cpumask_pr_args(cpus));
	mutex_unlock(&jailhouse_lock);
	free_cpumask_var(offlined);
	free_cpumask_var(cpus);
	return 0;

err_give_back:
	give_back_cpus(cpus, offlined);
err_pci_give_back:
	jailhouse_pci_give_back(config);
err_unexpedite:
	rcu_unexpedite_gp();
err_unlock:
	mutex_unlock(&jailhouse_lock);
err_free:
	kfree(config);
err_free_masks:
	free_cpumask_var(offlined);
err_free_cpus:
	free_cpumask_var(cpus);
	return err;
}

/*
 * Looks up the cell that an ioctl names by id, or by name if the id is
 * JAILHOUSE_CELL_ID_UNUSED.  The root cell is not managed by these
 * operations.  Called with jailhouse_lock held.
 */
static struct cell *find_cell(struct jailhouse_cell_id *cell_id,
			      const char *op)
{
	struct cell *cell;

	if (cell_id->id == JAILHOUSE_CELL_ID_UNUSED) {
		if (!memchr(cell_id->name, '\0', sizeof(cell_id->name))) {
			pr_err("%s: cell name not NUL-terminated\n", op);
			return ERR_PTR(-EINVAL);
		}
		cell = cell_by_name(cell_id->name);
		if (!cell) {
			pr_err("%s: no cell \"%s\"\n", op, cell_id->name);
			return ERR_PTR(-ENOENT);
		}
	} else {
		cell = cell_id->id >= 0 ? cell_by_id(cell_id->id) : NULL;
		if (!cell) {
			pr_err("%s: no cell with id %d\n", op, cell_id->id);
			return ERR_PTR(-ENOENT);
		}
	}

	if (cell == jailhouse_root_cell) {
		pr_err("%s: cell \"%s\" (id %u) is the root cell\n", op,
		       cell->name, cell->id);
		return ERR_PTR(-EINVAL);
	}
	return cell;
}

/*
 * The loadable memory region of @cell that holds all of @image, or NULL.
 * A comm region does not count: the hypervisor backs it.
 */
static const struct jailhouse_memory *
loadable_region(const struct cell *cell,
		const struct jailhouse_preload_image *image)
{
	const struct jailhouse_memory *mem =
		jailhouse_cell_mem_regions(cell->config);
	unsigned int n;
	u64 offset;

	for (n = 0; n < cell->config->num_memory_regions; n++, mem++) {
		if (!(mem->flags & JAILHOUSE_MEM_LOADABLE) ||
		    mem->flags & JAILHOUSE_MEM_COMM_REGION ||
		    image->target_address < mem->virt_start)
			continue;
		offset = image->target_address - mem->virt_start;
		if (offset <= mem->size && image->size <= mem->size - offset)
			return mem;
	}
	return NULL;
}

/* Reads descriptor @n of a load request and finds its region. */
static const struct jailhouse_memory *
get_image(const struct cell *cell, const struct jailhouse_cell_load __user *arg,
	  unsigned int n, struct jailhouse_preload_image *image)
{
	const struct jailhouse_memory *mem;

	if (copy_from_user(image, &arg->image[n], sizeof(*image))) {
		pr_err("cell \"%s\": cannot read the descriptor of image %u\n",
		       cell->name, n);
		return ERR_PTR(-EFAULT);
	}
	mem = loadable_region(cell, image);
	if (!mem) {
		pr_err("cell \"%s\": image %u (%#llx bytes at %#llx) is not inside a loadable memory region of the cell\n",
		       cell->name, n, image->size, image->target_address);
		return ERR_PTR(-EINVAL);
	}
	return mem;
}

/*
 * Copies image @n into the cell's memory, which the hypervisor maps into
 * the root cell while the cell is loadable.  The cell's CPUs start with
 * their MMU off and read memory past the caches: everything is pushed to
 * the point of coherency, and no line is left that could hit later, when
 * the cell has enabled its caches and may have written the memory
 * meanwhile.
 */
static int load_image(const struct cell *cell, unsigned int n,
		      const struct jailhouse_preload_image *image,
		      const struct jailhouse_memory *mem)
{
	const char __user *src = u64_to_user_ptr(image->source_address);
	phys_addr_t phys = mem->phys_start +
		(image->target_address - mem->virt_start);
	u64 done, chunk;
	void *dst;
	int err;

	for (done = 0; done < image->size; done += chunk) {
		chunk = min_t(u64, image->size - done, LOAD_CHUNK_SIZE);
		dst = memremap(phys + done, chunk, MEMREMAP_WB);
		if (!dst) {
			pr_err("cell \"%s\": image %u: cannot map %#llx-%#llx\n",
			       cell->name, n, phys + done,
			       phys + done + chunk - 1);
			return -ENOMEM;
		}
		err = 0;
		if (copy_from_user(dst, src + done, chunk))
			err = -EFAULT;
		else
			jailhouse_dcache_clean_inval_poc(dst, chunk);
		memunmap(dst);
		if (err) {
			pr_err("cell \"%s\": image %u: cannot read it from user memory\n",
			       cell->name, n);
			return err;
		}
		cond_resched();
	}
	return 0;
}

/* What a management hypercall's -EPERM means for the root cell. */
static const char *hint(long err)
{
	return err == -EPERM ?
		" (a cell denied it or is running-locked)" : "";
}

/**
 * jailhouse_cmd_cell_load() - JAILHOUSE_CELL_LOAD, also "cell shutdown".
 * @arg:	user pointer to struct jailhouse_cell_load and its images
 *
 * Stops the cell and makes its loadable regions reachable from the root
 * cell, then copies the images.  All descriptors are checked before the
 * cell is stopped, and again while they are used, as user space may change
 * them meanwhile.
 *
 * Return: 0 or a negative errno, every failure reported.
 */
int jailhouse_cmd_cell_load(const struct jailhouse_cell_load __user *arg)
{
	const struct jailhouse_memory *mem;
	struct jailhouse_preload_image image;
	struct jailhouse_cell_load load;
	struct cell *cell;
	const char *op;
	unsigned int n;
	long ret;
	int err;

	if (copy_from_user(&load, arg, sizeof(load)))
		return -EFAULT;
	op = load.num_preload_images ? "load" : "shutdown";

	err = jailhouse_lock_running();
	if (err)
		return err;
	cell = find_cell(&load.cell_id, op);
	if (IS_ERR(cell)) {
		err = PTR_ERR(cell);
		goto out_unlock;
	}

	for (n = 0; n < load.num_preload_images; n++) {
		mem = get_image(cell, arg, n, &image);
		if (IS_ERR(mem)) {
			err = PTR_ERR(mem);
			goto out_unlock;
		}
	}

	ret = jailhouse_call_arg1(JAILHOUSE_HC_CELL_SET_LOADABLE, cell->id);
	if (ret) {
		err = ret < 0 ? ret : -EIO;
		pr_err("cell \"%s\" (id %u): %s failed: %pe%s\n", cell->name,
		       cell->id, op, ERR_PTR(err), hint(err));
		goto out_unlock;
	}

	/* a shutdown (no images) leaves what was loaded before */
	if (load.num_preload_images)
		cell->loaded = false;
	for (n = 0; n < load.num_preload_images; n++) {
		mem = get_image(cell, arg, n, &image);
		if (IS_ERR(mem)) {
			err = PTR_ERR(mem);
			goto out_unlock;
		}
		err = load_image(cell, n, &image, mem);
		if (err)
			goto out_unlock;
	}
	if (load.num_preload_images)
		cell->loaded = true;

out_unlock:
	mutex_unlock(&jailhouse_lock);
	return err;
}

/**
 * jailhouse_cmd_cell_start() - JAILHOUSE_CELL_START.
 * @arg:	user pointer to struct jailhouse_cell_id
 *
 * Return: 0 or a negative errno, every failure reported.
 */
int jailhouse_cmd_cell_start(const struct jailhouse_cell_id __user *arg)
{
	struct jailhouse_cell_id cell_id;
	struct cell *cell;
	long ret;
	int err;

	if (copy_from_user(&cell_id, arg, sizeof(cell_id)))
		return -EFAULT;

	err = jailhouse_lock_running();
	if (err)
		return err;
	cell = find_cell(&cell_id, "start");
	if (IS_ERR(cell)) {
		err = PTR_ERR(cell);
		goto out_unlock;
	}
	/* it would run whatever its memory holds, and answer nobody */
	if (!cell->loaded) {
		pr_err("cell \"%s\" (id %u): start refused: nothing loaded "
		       "(a failed or missing \"jailhouse cell load\")\n",
		       cell->name, cell->id);
		err = -ENOEXEC;
		goto out_unlock;
	}
	ret = jailhouse_call_arg1(JAILHOUSE_HC_CELL_START, cell->id);
	if (ret) {
		err = ret < 0 ? ret : -EIO;
		pr_err("cell \"%s\" (id %u): start failed: %pe%s\n",
		       cell->name, cell->id, ERR_PTR(err), hint(err));
	}

out_unlock:
	mutex_unlock(&jailhouse_lock);
	return err;
}

/*
 * Destroys @cell in the hypervisor, then hands its CPUs back to the root
 * cell and to Linux.  Called with jailhouse_lock held.
 */
static int cell_destroy(struct cell *cell)
{
	struct cell *root = jailhouse_root_cell;
	long ret;
	int err;

	ret = jailhouse_call_arg1(JAILHOUSE_HC_CELL_DESTROY, cell->id);
	if (ret) {
		err = ret < 0 ? ret : -EIO;
		pr_err("cell \"%s\" (id %u): destroy failed: %pe%s\n",
		       cell->name, cell->id, ERR_PTR(err), hint(err));
		return err;
	}

	down_write(&jailhouse_state_sem);
	list_del_init(&cell->entry);
	cpumask_or(&root->cpus_assigned, &root->cpus_assigned,
		   &cell->cpus_assigned);
	up_write(&jailhouse_state_sem);

	jailhouse_cell_add_cpu_stats(root, &cell->cpus_assigned);
	rcu_expedite_gp();
	give_back_cpus(&cell->cpus_assigned, &cell->cpus_offlined);
	jailhouse_pci_give_back(cell->config);
	rcu_unexpedite_gp();
	pr_info("cell \"%s\" (id %u) destroyed\n", cell->name, cell->id);
	jailhouse_cell_delete(cell);
	return 0;
}

/**
 * jailhouse_cmd_cell_destroy() - JAILHOUSE_CELL_DESTROY.
 * @arg:	user pointer to struct jailhouse_cell_id
 *
 * Return: 0 or a negative errno, every failure reported.
 */
int jailhouse_cmd_cell_destroy(const struct jailhouse_cell_id __user *arg)
{
	struct jailhouse_cell_id cell_id;
	struct cell *cell;
	int err;

	if (copy_from_user(&cell_id, arg, sizeof(cell_id)))
		return -EFAULT;

	err = jailhouse_lock_running();
	if (err)
		return err;
	cell = find_cell(&cell_id, "destroy");
	if (IS_ERR(cell))
		err = PTR_ERR(cell);
	else
		err = cell_destroy(cell);
	mutex_unlock(&jailhouse_lock);
	return err;
}

/**
 * jailhouse_cells_destroy_all() - Destroy every non-root cell.
 *
 * Called with jailhouse_lock held, before the hypervisor is disabled.
 *
 * Return: 0, or the error of the first cell that could not be destroyed.
 */
int jailhouse_cells_destroy_all(void)
{
	struct cell *cell, *next;
	int err;

	list_for_each_entry_safe(cell, next, &jailhouse_cells, entry) {
		if (cell == jailhouse_root_cell)
			continue;
		err = cell_destroy(cell);
		if (err)
			return err;
	}
	return 0;
}

int jailhouse_control_init(void)
{
	int ret;

	ret = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN,
					"jailhouse:withheld",
					cpu_withheld_check, NULL);
	if (ret < 0)
		return ret;
	cpuhp_state = ret;
	return 0;
}

void jailhouse_control_exit(void)
{
	cpuhp_remove_state_nocalls(cpuhp_state);
}
