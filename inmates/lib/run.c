// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The program's run, once the architecture's start-up (setup.c) is done:
 * inmate_main(), then idling or powering off; the hypervisor's messages
 * through the comm region meanwhile.
 */
#include <lib.h>

struct platform platform;
struct jailhouse_comm_region *comm_region;

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
	comm_region_wmb();
}

static void comm_region_reply(u32 reply)
{
	comm_region->reply_from_cell = reply;
	comm_region_wmb();
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
	comm_region_rmb();
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
 * comm_region_init() - Take the comm region at COMM_REGION_BASE.
 *
 * The caller makes sure that the address can be read.  A comm region is
 * a page there with the signature; one of another revision stops the
 * program as failed, as nothing else of it can be trusted.
 *
 * Return: true if there is one.
 */
bool comm_region_init(void)
{
	struct jailhouse_comm_region *comm = (void *)COMM_REGION_BASE;

	if (memcmp(comm->signature, JAILHOUSE_COMM_REGION_SIGNATURE,
		   sizeof(comm->signature)) != 0)
		return false;

	comm_region = comm;
	if (comm->revision != JAILHOUSE_COMM_REGION_ABI_REVISION) {
		comm_region_set_state(JAILHOUSE_CELL_FAILED_COMM_REV);
		halt();
	}
	return true;
}

/* From the start-up, on the boot CPU with everything set up */
void __noreturn inmate_run(void)
{
	comm_region_set_state(cmdline_parse_bool("locked", false) ?
			      JAILHOUSE_CELL_RUNNING_LOCKED :
			      JAILHOUSE_CELL_RUNNING);

	inmate_main();

	/* QEMU ends, a cell shuts itself down */
	if (cmdline_parse_bool("poweroff", false))
		poweroff();
	idle();
}
