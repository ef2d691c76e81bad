// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Start-up: where does the program run, then inmate_main(); exceptions.
 */
#include "lib.h"

#define ESR_EC(esr)		(((esr) >> 26) & 0x3f)
#define EC_DABT_CUR		0x25

#define VECTOR_SYNC_SPX		4
#define VECTOR_IRQ_SPX		5

/*
 * QEMU "virt" as it boots without a hypervisor (virtualization=off, so
 * QEMU's PSCI firmware listens on HVC).
 */
#define QEMU_GICD		0x08000000UL
#define QEMU_GICC		0x08010000UL
#define QEMU_GICR		0x080a0000UL
#define QEMU_UART		0x09000000UL

#define ID_AA64PFR0_GIC(pfr0)	(((pfr0) >> 24) & 0xf)

struct platform platform;
struct jailhouse_comm_region *comm_region;
struct arrival arrival;
bool (*sync_exception_hook)(u64 esr, u64 *elr);

static volatile bool probe_armed, probe_faulted;

static const char *const vector_names[] = {
	"EL1t sync", "EL1t IRQ", "EL1t FIQ", "EL1t SError",
	"sync", "IRQ", "FIQ", "SError",
	"EL0 sync", "EL0 IRQ", "EL0 FIQ", "EL0 SError",
	"EL0/32 sync", "EL0/32 IRQ", "EL0/32 FIQ", "EL0/32 SError",
};

void __noreturn halt(void)
{
	local_irq_disable();
	for (;;)
		wfi();
}

/**
 * idle() - What a CPU does once its work is done.
 *
 * The boot CPU keeps answering the hypervisor's messages, waking up every
 * 10 ms; the other CPUs sleep.
 */
void __noreturn idle(void)
{
	if (this_cpu_index() != 0)
		halt();
	for (;;)
		delay_us(10000);
}

void comm_region_set_state(u32 state)
{
	if (!comm_region)
		return;
	comm_region->cell_state = state;
	dsb(ish);
}

static void comm_region_reply(u32 reply)
{
	comm_region->reply_from_cell = reply;
	dsb(ish);
}

/**
 * comm_region_poll() - Answer a pending message of the hypervisor.
 *
 * A shutdown request is approved (the cell reports itself shut down and
 * the CPU stops) unless the command line says "deny-shutdown".  A message
 * is pending while msg_to_cell is set and no reply is given yet: the
 * hypervisor clears the reply before it writes a message.
 */
void comm_region_poll(void)
{
	u32 msg;

	if (!comm_region || comm_region->reply_from_cell !=
	    JAILHOUSE_MSG_NONE)
		return;

	msg = comm_region->msg_to_cell;
	dmb(ish);
	switch (msg) {
	case JAILHOUSE_MSG_NONE:
		break;
	case JAILHOUSE_MSG_SHUTDOWN_REQUEST:
		if (cmdline_parse_bool("deny-shutdown", false)) {
			printk("Shutdown request denied\n");
			comm_region_reply(JAILHOUSE_MSG_REQUEST_DENIED);
			break;
		}
		printk("Shutdown request approved\n");
		comm_region_set_state(JAILHOUSE_CELL_SHUT_DOWN);
		comm_region_reply(JAILHOUSE_MSG_REQUEST_APPROVED);
		halt();
	case JAILHOUSE_MSG_RECONFIG_COMPLETED:
		comm_region_reply(JAILHOUSE_MSG_RECEIVED);
		break;
	default:
		comm_region_reply(JAILHOUSE_MSG_UNKNOWN);
		break;
	}
}

/**
 * probe_read32() - Read a word that may not exist.
 * @addr:	address, must be mapped in stage 1 (mmu.c)
 * @val:	the value read
 *
 * Return: true if the read did not fault.
 */
bool probe_read32(unsigned long addr, u32 *val)
{
	u32 v = 0;

	probe_faulted = false;
	probe_armed = true;
	/* one instruction: the abort handler steps over it */
	asm volatile("ldr %w0, [%1]" : "+r" (v) : "r" (addr) : "memory");
	probe_armed = false;
	*val = v;
	return !probe_faulted;
}

static void report_exception(unsigned int vector, struct exception_frame *f)
{
	u64 esr = read_sysreg(esr_el1);
	u64 far = read_sysreg(far_el1);

	printk_emergency();
	printk("Unexpected exception: %s, ESR 0x%llx (EC 0x%llx), "
	       "ELR 0x%llx, FAR 0x%llx, CPU 0x%llx\n",
	       vector < ARRAY_SIZE(vector_names) ? vector_names[vector] : "?",
	       esr, ESR_EC(esr), f->elr, far, cpu_mpidr());
	comm_region_set_state(JAILHOUSE_CELL_FAILED);
	halt();
}

/* Called by the vectors in header.S */
void handle_exception(unsigned int vector, struct exception_frame *frame)
{
	if (vector == VECTOR_IRQ_SPX) {
		irq_handle();
		return;
	}
	if (vector == VECTOR_SYNC_SPX && probe_armed &&
	    ESR_EC(read_sysreg(esr_el1)) == EC_DABT_CUR) {
		probe_faulted = true;
		frame->elr += 4;
		return;
	}
	if (vector == VECTOR_SYNC_SPX && sync_exception_hook &&
	    sync_exception_hook(read_sysreg(esr_el1), &frame->elr))
		return;
	report_exception(vector, frame);
}

/*
 * A comm region is a page at COMM_REGION_BASE with the signature.  Without
 * a hypervisor that address is either nothing (an external abort, which
 * the probe survives) or RAM without the signature.
 */
static bool comm_region_probe(void)
{
	struct jailhouse_comm_region *comm = (void *)COMM_REGION_BASE;
	u32 word;

	if (!probe_read32(COMM_REGION_BASE, &word) ||
	    memcmp(comm->signature, JAILHOUSE_COMM_REGION_SIGNATURE,
		   sizeof(comm->signature)) != 0)
		return false;

	comm_region = comm;
	if (comm->revision != JAILHOUSE_COMM_REGION_ABI_REVISION) {
		/* nothing else of the region can be trusted */
		comm_region_set_state(JAILHOUSE_CELL_FAILED_COMM_REV);
		halt();
	}
	return true;
}

static void platform_init(void)
{
	if (comm_region_probe()) {
		platform.name = "Jailhouse cell";
		platform.in_cell = true;
		platform.gic_version = comm_region->arm.gic_version;
		platform.gicd_base = comm_region->arm.gicd_base;
		platform.gicc_base = comm_region->arm.gicc_base;
		platform.gicr_base = comm_region->arm.gicr_base;
		platform.console = comm_region->console;
		platform.psci_conduit = CELL_PSCI_CONDUIT;
		return;
	}

	platform.name = "QEMU virt, no hypervisor";
	/* QEMU gives the CPU system registers only with a GICv3 */
	platform.gic_version =
		ID_AA64PFR0_GIC(read_sysreg(id_aa64pfr0_el1)) ? 3 : 2;
	platform.gicd_base = QEMU_GICD;
	platform.gicc_base = QEMU_GICC;
	platform.gicr_base = QEMU_GICR;
	platform.console.address = QEMU_UART;
	platform.console.size = 0x1000;
	platform.console.type = JAILHOUSE_CON_TYPE_PL011;
	platform.console.flags = JAILHOUSE_CON_ACCESS_MMIO;
	platform.psci_conduit = PSCI_CONDUIT_HVC;
}

/* Called by header.S on the boot CPU, stack set, bss cleared */
void __noreturn inmate_startup(void)
{
	int err;

	mmu_init();
	platform_init();
	console_init();

	err = gic_init();
	if (err) {
		printk("GICv%u at 0x%lx: cannot be used (%d)\n",
		       platform.gic_version, platform.gicd_base, err);
		comm_region_set_state(JAILHOUSE_CELL_FAILED);
		halt();
	}
	gic_cpu_init();

	comm_region_set_state(cmdline_parse_bool("locked", false) ?
			      JAILHOUSE_CELL_RUNNING_LOCKED :
			      JAILHOUSE_CELL_RUNNING);

	inmate_main();

	/* QEMU ends, a cell shuts itself down */
	if (cmdline_parse_bool("poweroff", false))
		psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	idle();
}
