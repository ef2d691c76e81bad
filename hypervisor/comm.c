// SPDX-License-Identifier: GPL-2.0
/*
 * The communication region of a non-root cell (shared/ABI.md 3): a
 * hypervisor page in the cell holding its state, and the messages the
 * hypervisor sends it (shutdown request, reconfiguration completed) with
 * the cell's replies.
 *
 * The root cell's CPU that sends a message waits in the hypervisor for the
 * reply, where Linux cannot serve its interrupts: the wait is always
 * bounded, whatever the config says.
 */
#include <jailhouse/arch.h>
#include <jailhouse/cell.h>
#include <jailhouse/control.h>
#include <jailhouse/errno.h>
#include <jailhouse/paging.h>
#include <jailhouse/printk.h>
#include <jailhouse/string.h>
#include <jailhouse/utils.h>

/*
 * A message waits msg_reply_timeout polling rounds for the answer; a round
 * here lasts a microsecond.  0 means the default; the cap holds for all.
 */
#define MSG_ROUND_US			1
#define DEFAULT_MSG_REPLY_ROUNDS	1000000
#define MAX_MSG_REPLY_ROUNDS		2000000

static const struct jailhouse_memory *
comm_region(const struct jailhouse_cell_desc *config)
{
	const struct jailhouse_memory *mem = jailhouse_cell_mem_regions(config);
	unsigned int n;

	for (n = 0; n < config->num_memory_regions; n++, mem++)
		if (mem->size && (mem->flags & JAILHOUSE_MEM_COMM_REGION))
			return mem;
	return NULL;
}

void comm_page_init(struct cell *cell)
{
	struct jailhouse_comm_region *comm = cell->comm_page;
	u32 flags = cell->config->flags;

	memcpy(comm->signature, JAILHOUSE_COMM_REGION_SIGNATURE,
	       sizeof(comm->signature));
	comm->revision = JAILHOUSE_COMM_REGION_ABI_REVISION;
	comm->cell_state = JAILHOUSE_CELL_SHUT_DOWN;
	comm->msg_to_cell = JAILHOUSE_MSG_NONE;
	comm->reply_from_cell = JAILHOUSE_MSG_NONE;
	if (CELL_FLAGS_VIRTUAL_CONSOLE_PERMITTED(flags)) {
		comm->flags |= JAILHOUSE_COMM_FLAG_DBG_PUTC_PERMITTED;
		if (CELL_FLAGS_VIRTUAL_CONSOLE_ACTIVE(flags))
			comm->flags |= JAILHOUSE_COMM_FLAG_DBG_PUTC_ACTIVE;
	}
	comm->console = cell->config->console;
	/* the PCI host, for a cell that has devices there */
	if (cell->config->num_pci_devices)
		comm->pci_mmconfig_base =
			system_config->platform_info.pci_mmconfig_base;
	arch_comm_region_init(cell, comm);
	arch_dcache_flush(comm, PAGE_SIZE);

	if (cell->config->msg_reply_timeout > MAX_MSG_REPLY_ROUNDS)
		printk("Cell \"%s\": msg_reply_timeout %llu capped to %u "
		       "us\n", cell->config->name,
		       cell->config->msg_reply_timeout,
		       MAX_MSG_REPLY_ROUNDS * MSG_ROUND_US);
}

int comm_page_map(struct cell *cell)
{
	const struct jailhouse_memory *mem = comm_region(cell->config);
	struct jailhouse_memory page;

	if (!mem)
		return 0;
	page.phys_start = paging_hvirt2phys(cell->comm_page);
	page.virt_start = mem->virt_start;
	page.size = PAGE_SIZE;
	page.flags = mem->flags & (JAILHOUSE_MEM_READ | JAILHOUSE_MEM_WRITE);
	return arch_map_memory_region(cell, &page);
}

u32 cell_state(struct cell *cell)
{
	u32 state;

	arch_dcache_flush(&cell->comm_page->cell_state, sizeof(u32));
	state = READ_ONCE(cell->comm_page->cell_state);
	return state <= JAILHOUSE_CELL_FAILED_COMM_REV ? state :
		JAILHOUSE_CELL_RUNNING;
}

void cell_set_state(struct cell *cell, u32 state)
{
	cell->comm_page->cell_state = state;
	arch_dcache_flush(&cell->comm_page->cell_state, sizeof(u32));
}

/*
 * Rounds to wait for a cell's answer, and thus microseconds: the config's
 * timeout, its default or the cap.
 */
static u64 msg_reply_rounds(const struct jailhouse_cell_desc *config)
{
	u64 rounds = config->msg_reply_timeout;

	if (rounds == 0)
		return DEFAULT_MSG_REPLY_ROUNDS;
	return MIN(rounds, (u64)MAX_MSG_REPLY_ROUNDS);
}

bool cell_post_message(struct cell *cell, u32 msg)
{
	struct jailhouse_comm_region *comm = cell->comm_page;
	unsigned int cpu;
	u32 state;

	if ((cell->config->flags & JAILHOUSE_CELL_PASSIVE_COMMREG) ||
	    !cell_running(cell))
		return false;
	state = cell_state(cell);
	if (state != JAILHOUSE_CELL_RUNNING &&
	    state != JAILHOUSE_CELL_RUNNING_LOCKED)
		return false;

	/* the dcache flushes end with a barrier: reply cleared first */
	comm->reply_from_cell = JAILHOUSE_MSG_NONE;
	arch_dcache_flush(&comm->reply_from_cell, sizeof(u32));
	comm->msg_to_cell = msg;
	arch_dcache_flush(&comm->msg_to_cell, sizeof(u32));

	/*
	 * A cell that waits for work in WFI would see the message only when
	 * its next interrupt comes, milliseconds later, with the root's CPU
	 * waiting here; an exit of each of its CPUs ends the WFI at once.
	 */
	for_each_cpu(cpu, cell)
		if (!arch_cpu_parked(cpu))
			arch_wake_cpu(cpu);
	return true;
}

int cell_await_reply(struct cell *cell, u32 msg, unsigned long start)
{
	struct jailhouse_comm_region *comm = cell->comm_page;
	u64 timeout = msg_reply_rounds(cell->config) * MSG_ROUND_US;
	u32 state, reply;

	do {
		arch_dcache_flush(&comm->reply_from_cell, sizeof(u32));
		reply = READ_ONCE(comm->reply_from_cell);
		if (reply != JAILHOUSE_MSG_NONE)
			break;
		state = cell_state(cell);
		if (!cell_running(cell) ||
		    state == JAILHOUSE_CELL_SHUT_DOWN ||
		    state == JAILHOUSE_CELL_FAILED) {
			reply = JAILHOUSE_MSG_REQUEST_APPROVED;
			break;
		}
		cpu_relax();
	} while (arch_time_us() - start < timeout);

	comm->msg_to_cell = JAILHOUSE_MSG_NONE;
	arch_dcache_flush(&comm->msg_to_cell, sizeof(u32));

	if (reply == JAILHOUSE_MSG_NONE) {
		printk("Cell \"%s\" did not answer %s in %llu us: stopped as "
		       "failed\n", cell->config->name,
		       msg == JAILHOUSE_MSG_SHUTDOWN_REQUEST ?
		       "the shutdown request" : "a message", timeout);
		return -ETIMEDOUT;
	}
	/* information only: whatever the cell says, it has heard it */
	if (msg != JAILHOUSE_MSG_SHUTDOWN_REQUEST ||
	    reply == JAILHOUSE_MSG_REQUEST_APPROVED)
		return 0;
	if (reply == JAILHOUSE_MSG_REQUEST_DENIED)
		printk("Cell \"%s\" denied the shutdown request\n",
		       cell->config->name);
	else
		printk("Cell \"%s\" answered the shutdown request with %u: "
		       "denied\n", cell->config->name, reply);
	return -EPERM;
}

int cell_send_message(struct cell *cell, u32 msg)
{
	if (!cell_post_message(cell, msg))
		return 0;
	return cell_await_reply(cell, msg, arch_time_us());
}
