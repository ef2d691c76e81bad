// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 side of the driver (arch.h): AMD SVM with nested paging, the e820
 * map as the firmware's description of the RAM, ACPI for the devices.
 *
 * The hypervisor's x86 entry does not exist yet: enable stops in
 * jailhouse_arch_check_cpus() with a message saying so, once the CPUs
 * passed the checks that hold for any entry.
 */
#define pr_fmt(fmt) "jailhouse: " fmt

#include <linux/cpumask.h>
#include <linux/ioport.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sizes.h>
#include <linux/smp.h>
#include <asm/cacheflush.h>
#include <asm/cpufeature.h>
#include <asm/e820/api.h>
#include <asm/msr.h>

#include "arch.h"

int jailhouse_arch_check_cpus(void)
{
	if (!boot_cpu_has(X86_FEATURE_SVM)) {
		if (boot_cpu_has(X86_FEATURE_VMX)) {
			pr_err("the CPUs have Intel VT-x, which is not supported yet: only AMD SVM is\n");
			return -EOPNOTSUPP;
		}
		pr_err("the CPUs do not implement AMD SVM (virtualization extensions)\n");
		return -ENODEV;
	}
	if (!boot_cpu_has(X86_FEATURE_NPT)) {
		pr_err("the CPUs implement SVM without nested paging (NPT), which the hypervisor needs\n");
		return -ENODEV;
	}
	pr_err("x86 hypervisor entry not implemented yet\n");
	return -EOPNOTSUPP;
}

static void read_efer(void *info)
{
	unsigned long *answers = info;
	u64 efer;

	rdmsrl(MSR_EFER, efer);
	answers[smp_processor_id()] = efer;
}

/*
 * SVM must be off on every online CPU: EFER.SVME set means that another
 * hypervisor (KVM while it runs a virtual machine) uses it.
 */
int jailhouse_arch_check_entry(unsigned long *answers)
{
	unsigned int cpu, failed = 0, first = 0;

	on_each_cpu(read_efer, answers, 1);

	for_each_online_cpu(cpu) {
		if (!(answers[cpu] & EFER_SVME))
			continue;
		if (!failed++)
			first = cpu;
	}
	if (failed) {
		pr_err("SVM is in use on CPU %u (and %u more): another hypervisor (KVM) runs; stop its virtual machines or unload kvm_amd\n",
		       first, failed - 1);
		return -EBUSY;
	}
	return 0;
}

/* Not reached: jailhouse_arch_check_cpus() refuses before. */
long jailhouse_arch_enter(phys_addr_t entry, unsigned int cpu)
{
	return -EOPNOTSUPP;
}

/*
 * The caches are coherent with every CPU, but the driver writes through a
 * write-combining mapping while a previous hypervisor may have left lines
 * of its write-back mapping: those are written back before and dropped
 * after, as on arm64.
 */
void jailhouse_dcache_clean_inval_poc(void *start, size_t size)
{
	size_t chunk;

	/* clflush_cache_range() takes an unsigned int. */
	for (; size > 0; size -= chunk, start += chunk) {
		chunk = min_t(size_t, size, SZ_1G);
		clflush_cache_range(start, chunk);
	}
}

/*
 * The e820 map as the firmware gave it, before Linux applied memmap= and
 * mem= to its own copy: the range Linux was told to keep free is RAM here.
 * Asked page by page (Linux exports no lookup of an entry's end); the
 * firmware's ranges are whole pages above the first MiB.
 */
bool jailhouse_firmware_ram(u64 start, u64 size)
{
	u64 end, pos;

	if (check_add_overflow(start, size, &end))
		return false;
	for (pos = ALIGN_DOWN(start, PAGE_SIZE); pos < end; pos += PAGE_SIZE)
		if (!e820__mapped_raw_any(pos, pos + PAGE_SIZE, E820_TYPE_RAM))
			return false;
	return true;
}

/*
 * Linux booted with ACPI, which the driver does not read: the IOAPIC and
 * the debug console are left to the configuration, as on an ACPI arm64
 * machine.
 */
int jailhouse_arch_check_platform(const struct jailhouse_system *sys)
{
	return 0;
}

void jailhouse_arch_report_busy(const struct resource *busy,
				const char *what)
{
	pr_err("%s: %pR is in use by Linux (\"%s\"); unbind its driver first, or share the region with the root cell (JAILHOUSE_MEM_ROOTSHARED)\n",
	       what, busy, busy->name);
}
