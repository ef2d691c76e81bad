/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the driver does differently on each architecture: how the CPUs get
 * into the hypervisor, what the firmware says is RAM, which devices the
 * system configuration names and how caches are pushed out.  arm64.c and
 * platform-arm64.c implement it for arm64 (EL2, Linux's hyp stub, device
 * tree or EFI), x86.c for x86-64 (AMD SVM, the e820 map); the rest of the
 * driver is the same on both.
 */
#ifndef _JAILHOUSE_DRIVER_ARCH_H
#define _JAILHOUSE_DRIVER_ARCH_H

#include <linux/types.h>

#include <jailhouse/cell-config.h>

/* The architecture byte of configurations and images this driver takes. */
#if defined(CONFIG_ARM64)
#define JAILHOUSE_ARCH		JAILHOUSE_ARM64
#define JAILHOUSE_ARCH_NAME	"arm64"
#elif defined(CONFIG_X86_64)
#define JAILHOUSE_ARCH		JAILHOUSE_X86
#define JAILHOUSE_ARCH_NAME	"x86"
#else
#error "jailhouse.ko is built for arm64 and x86-64 only"
#endif

struct resource;

/**
 * jailhouse_arch_check_cpus() - Whether the CPUs can host the hypervisor.
 *
 * Checked first on enable, before the configuration: without the
 * virtualization extensions (or with them taken by another hypervisor)
 * nothing else matters.  Reports the reason and its fix.
 *
 * Return: 0, or a negative errno.
 */
int jailhouse_arch_check_cpus(void);

/**
 * jailhouse_arch_check_entry() - Whether every online CPU can enter.
 * @answers:	nr_cpu_ids words of scratch space
 *
 * Called with the CPU hotplug lock held, before anything is written to
 * the hypervisor memory.  Reports the reason and its fix.
 *
 * Return: 0, or a negative errno.
 */
int jailhouse_arch_check_entry(unsigned long *answers);

/**
 * jailhouse_arch_prepare_entry() - What the CPUs need to enter.
 * @hv_mem:	the hypervisor memory, the image installed
 *
 * Called once before jailhouse_arch_enter() on every CPU, with the CPU
 * hotplug lock held; jailhouse_arch_entry_done() undoes it after.
 * Reports a failure.
 *
 * Return: 0, or a negative errno.
 */
int jailhouse_arch_prepare_entry(const struct jailhouse_memory *hv_mem);
void jailhouse_arch_entry_done(void);

/**
 * jailhouse_arch_enter() - Hand the calling CPU to the hypervisor.
 * @entry:	physical address of the hypervisor's entry code
 * @cpu:	Linux's id of the calling CPU
 *
 * Called on every online CPU at once, interrupts off.
 *
 * Return: 0 once the CPU runs under the hypervisor, a negative errno if it
 * could not start (the CPU then runs as before).
 */
long jailhouse_arch_enter(phys_addr_t entry, unsigned int cpu);

/**
 * jailhouse_arch_leave() - Take the calling CPU back from the hypervisor.
 *
 * The disable hypercall, called on every online CPU at once.
 *
 * Return: 0 once the CPU runs without the hypervisor, or the hypervisor's
 * negative errno (the CPU then stays under it).
 */
long jailhouse_arch_leave(void);

/**
 * jailhouse_dcache_clean_inval_poc() - Push a range out of the data caches.
 * @start:	kernel virtual address
 * @size:	bytes
 *
 * Cleans and invalidates to the point of coherency, so that an observer
 * with its MMU or caches off sees what was written and no line is left to
 * be written back over what that observer writes later.
 */
void jailhouse_dcache_clean_inval_poc(void *start, size_t size);

/**
 * jailhouse_firmware_ram() - Whether a range is RAM by the firmware.
 * @start:	physical start
 * @size:	bytes
 *
 * By the firmware's own description (device tree or EFI memory map on
 * arm64, the e820 map as the BIOS gave it on x86), whatever Linux was told
 * to leave alone of it.
 *
 * Return: true if all of the range is RAM; false if not, if the range wraps
 * around, or if the firmware describes no memory.
 */
bool jailhouse_firmware_ram(u64 start, u64 size);

/**
 * jailhouse_arch_check_platform() - Check the devices a configuration names.
 * @sys:	the system configuration's header
 *
 * The interrupt controller and the debug console against what the firmware
 * describes, where it does.  Every refusal names the configuration field.
 *
 * Return: 0, or a negative errno.
 */
int jailhouse_arch_check_platform(const struct jailhouse_system *sys);

/**
 * jailhouse_arch_report_busy() - Name the Linux device that holds a range.
 * @busy:	the busy resource found in a region
 * @what:	how to name the region in the message
 *
 * For jailhouse_device_in_use(): the refusal, with the device if the
 * firmware's description tells which.
 */
void jailhouse_arch_report_busy(const struct resource *busy,
				const char *what);

#endif /* !_JAILHOUSE_DRIVER_ARCH_H */
