// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Start-up: where does the program run, then the program (run.c);
 * exceptions.
 */
#include "lib.h"

#define ESR_EC(esr)		(((esr) >> 26) & 0x3f)
#define EC_DABT_CUR		0x25

#define VECTOR_SYNC_SPX		4
#define VECTOR_IRQ_SPX		5

/*
 * The machines QEMU models that a program knows without a hypervisor,
 * chosen by "machine=NAME" on the command line (default virt).  QEMU
 * starts the program at EL1 (virtualization=off, the default) and answers
 * PSCI itself: on HVC on virt, on SMC on the ZynqMP, whose firmware (ATF)
 * takes SMCs.  The GIC version comes from the CPU (ID_AA64PFR0_EL1): virt
 * has either, the ZCU102 a GIC-400.
 */
struct machine {
	const char *name;
	const char *description;
	unsigned long gicd_base;
	unsigned long gicc_base;
	unsigned long gicr_base;
	unsigned long uart_base;
	u16 uart_type;
	enum psci_conduit psci_conduit;
};

static const struct machine machines[] = {
	{
		.name = "virt",
		.description = "QEMU virt, no hypervisor",
		.gicd_base = 0x08000000,
		.gicc_base = 0x08010000,
		.gicr_base = 0x080a0000,
		.uart_base = 0x09000000,
		.uart_type = JAILHOUSE_CON_TYPE_PL011,
		.psci_conduit = PSCI_CONDUIT_HVC,
	},
	{
		/*
		 * The model, like the board, repeats each 4 KiB page of the
		 * CPU interface over 64 KiB (0xf9020000, 0xf9030000): both
		 * pages follow each other only at 0xf902f000.
		 */
		.name = "zcu102",
		.description = "QEMU ZCU102, no hypervisor",
		.gicd_base = 0xf9010000,
		.gicc_base = 0xf902f000,
		.uart_base = 0xff000000,
		.uart_type = JAILHOUSE_CON_TYPE_XUARTPS,
		.psci_conduit = PSCI_CONDUIT_SMC,
	},
};

#define ID_AA64PFR0_GIC(pfr0)	(((pfr0) >> 24) & 0xf)

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

/* QEMU ends, a cell shuts itself down */
void poweroff(void)
{
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
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
 * Without a hypervisor the comm region's address is either nothing (an
 * external abort, which the probe survives) or RAM without the signature.
 */
static bool comm_region_probe(void)
{
	u32 word;

	return probe_read32(COMM_REGION_BASE, &word) && comm_region_init();
}

/* "machine=NAME", kept for the message if no machine has that name */
static char machine_name[16];

/**
 * platform_init() - Where the program runs: a cell or a QEMU machine.
 *
 * Return: 0, or -ENOENT if "machine=" names no known machine; the
 * platform is then virt's, whose UART can tell.
 */
static int platform_init(void)
{
	const struct machine *machine;
	unsigned int n;

	if (comm_region_probe()) {
		platform.name = "Jailhouse cell";
		platform.in_cell = true;
		platform.gic_version = comm_region->arm.gic_version;
		platform.gicd_base = comm_region->arm.gicd_base;
		platform.gicc_base = comm_region->arm.gicc_base;
		platform.gicr_base = comm_region->arm.gicr_base;
		platform.console = comm_region->console;
		platform.psci_conduit = CELL_PSCI_CONDUIT;
		platform.pci_mmconfig_base = comm_region->pci_mmconfig_base;
		platform.vpci_irq_base = comm_region->arm.vpci_irq_base;
		return 0;
	}

	cmdline_parse_str("machine", machine_name, sizeof(machine_name),
			  machines[0].name);
	for (n = 0; n < ARRAY_SIZE(machines); n++)
		if (strncmp(machine_name, machines[n].name,
			    sizeof(machine_name)) == 0)
			break;
	machine = &machines[n < ARRAY_SIZE(machines) ? n : 0];

	platform.name = machine->description;
	/* QEMU gives the CPU system registers only with a GICv3 */
	platform.gic_version =
		ID_AA64PFR0_GIC(read_sysreg(id_aa64pfr0_el1)) ? 3 : 2;
	platform.gicd_base = machine->gicd_base;
	platform.gicc_base = machine->gicc_base;
	platform.gicr_base = machine->gicr_base;
	platform.console.address = machine->uart_base;
	platform.console.size = 0x1000;
	platform.console.type = machine->uart_type;
	platform.console.flags = JAILHOUSE_CON_ACCESS_MMIO;
	platform.psci_conduit = machine->psci_conduit;
	return n < ARRAY_SIZE(machines) ? 0 : -ENOENT;
}

/* Called by header.S on the boot CPU, stack set, bss cleared */
void __noreturn inmate_startup(void)
{
	int err;

	mmu_init();
	err = platform_init();
	console_init();
	if (err) {
		printk("machine=%s: unknown, not one of virt, zcu102\n",
		       machine_name);
		halt();
	}

	err = gic_init();
	if (err) {
		printk("GICv%u at 0x%lx: cannot be used (%d)\n",
		       platform.gic_version, platform.gicd_base, err);
		comm_region_set_state(JAILHOUSE_CELL_FAILED);
		halt();
	}
	gic_cpu_init();

	inmate_run();
}
