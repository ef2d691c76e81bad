// SPDX-License-Identifier: GPL-2.0
/*
 * ivshmem-demo: a peer of an ivshmem v2 link (shared/ABI.md, section 5).
 *
 * Finds the cell's ivshmem device on the virtual PCI host, prints its
 * config space, its id and maximum peers, the layout of the shared memory
 * and the state table, puts the register page at the host's BAR window,
 * enables its INTx and sets its state (id + 1 unless "state=" says
 * otherwise; 0 means gone).  Then, every period, it rings the doorbell of
 * every other peer whose state is not 0, and reports the doorbells and
 * state changes it sees.
 *
 * What the demos keep in their output section, the protocol of a link of
 * ivshmem-demos (little-endian u32 words, peer ids 0..15):
 *
 *   0x00  rung[16]    doorbells this peer rang at peer n
 *   0x40  heard[16]   doorbells it counted from peer n
 *   0x80  seen[16]    the last state it saw of peer n
 *   0xc0  interrupts  interrupts it took
 *
 * A peer zeroes its section before it sets its state.  An interrupt only
 * says that something changed: a receiver counts the doorbells from peer
 * n as the growth of n's rung[] entry for it since n's state last went
 * up from 0 (a count anew), or since the receiver's start, so that
 * interrupts that come together lose no count.  Doorbells of a peer that
 * keeps no such counts show in the interrupts only.
 *
 * Output, each line starting with "ivshmem-demo: ", the last one of its
 * start before it sets its state: a peer that prints what that state
 * change makes it see does so after it, not into it on a shared UART.
 *   device BB:DD.F VVVV:DDDD revision R class 0xCCCCCC, INTx pin P,
 *	interrupt I
 *   registers at 0xADDR, id N, max peers M
 *   shared memory at 0xADDR: state table 0xS, read/write section 0xS at
 *	0xADDR, output sections 0xS at 0xADDR, mine at 0xADDR
 *   states: S0 S1 ...
 *   setting state S
 *   peer N state A -> B
 *   doorbell from peer N (C in all)
 *   rang peer N (C in all)
 *   done ringing: D doorbells in R rounds, heard H, I interrupts
 *
 * Command line: period-ms=N (1000, between rounds of doorbells),
 * count=N (rounds, 0: no end; it goes on reporting after the last),
 * state=N (its state, id + 1 by default), quiet (no line per doorbell
 * or state change; the counts in the output section go on).
 */
#include <inmate.h>
#include <jailhouse/ivshmem.h>

#define POLL_US			10000

struct demo_output {
	u32 rung[IVSHMEM_MAX_PEERS];
	u32 heard[IVSHMEM_MAX_PEERS];
	u32 seen[IVSHMEM_MAX_PEERS];
	u32 interrupts;
};

static unsigned long regs;
static unsigned int id, max_peers;
static volatile u32 *state_table;
static volatile struct demo_output *outputs[IVSHMEM_MAX_PEERS];
static volatile struct demo_output *mine;
/* rung[id] of each peer when its count started */
static u32 base[IVSHMEM_MAX_PEERS];
static bool quiet;

static volatile u32 interrupts;

static void ivshmem_irq(unsigned int irq)
{
	interrupts++;
}

/* Wakes the main loop up, to answer the hypervisor's messages */
static void tick(unsigned int irq)
{
	timer_arm(timer_get_ticks() + timer_ns_to_ticks(POLL_US * 1000));
}

static void print_states(void)
{
	char line[IVSHMEM_MAX_PEERS * 11 + 1];
	unsigned int n, len = 0;

	for (n = 0; n < max_peers; n++)
		len += snprintf(line + len, sizeof(line) - len, " %u",
				state_table[n]);
	printk("ivshmem-demo: states:%s\n", line);
}

/* Find the device, print what it is, place its registers. */
static int probe(u16 *bdf, int *irq)
{
	unsigned int cap;
	u32 class;
	int found;

	if (!platform.pci_mmconfig_base) {
		printk("ivshmem-demo: no virtual PCI host\n");
		return -ENODEV;
	}
	found = pci_find_device(IVSHMEM_VENDOR_ID, IVSHMEM_DEVICE_ID, 0);
	if (found < 0) {
		printk("ivshmem-demo: no ivshmem device (%04x:%04x) on the "
		       "virtual PCI host\n", IVSHMEM_VENDOR_ID,
		       IVSHMEM_DEVICE_ID);
		return found;
	}
	*bdf = found;

	class = pci_read_config(*bdf, PCI_CFG_REVISION, 4);
	*irq = pci_intx_irq(*bdf);
	printk("ivshmem-demo: device 00:%02x.%x %04x:%04x revision %u class "
	       "0x%06x, INTx pin %u, interrupt %d\n", PCI_SLOT(*bdf),
	       PCI_FUNC(*bdf), IVSHMEM_VENDOR_ID, IVSHMEM_DEVICE_ID,
	       class & 0xff, class >> 8,
	       pci_read_config(*bdf, PCI_CFG_INT_PIN, 1), *irq);
	cap = pci_find_cap(*bdf, PCI_CAP_VENDOR);
	if (cap != IVSHMEM_CFG_VENDOR_CAP || *irq < 0) {
		printk("ivshmem-demo: no vendor capability at 0x%x or no "
		       "INTx\n", IVSHMEM_CFG_VENDOR_CAP);
		return -ENODEV;
	}

	regs = pci_map_bar0(*bdf);
	if (!regs) {
		printk("ivshmem-demo: BAR 0 does not fit its slot\n");
		return -ENODEV;
	}
	id = mmio_read32(regs + IVSHMEM_REG_ID);
	max_peers = mmio_read32(regs + IVSHMEM_REG_MAX_PEERS);
	printk("ivshmem-demo: registers at 0x%lx, id %u, max peers %u\n",
	       regs, id, max_peers);
	if (id >= max_peers || max_peers > IVSHMEM_MAX_PEERS) {
		printk("ivshmem-demo: id or peers out of range\n");
		return -EINVAL;
	}
	return 0;
}

static u64 cap_read64(u16 bdf, unsigned int field)
{
	unsigned int reg = IVSHMEM_CFG_VENDOR_CAP + field;

	return pci_read_config(bdf, reg, 4) |
		(u64)pci_read_config(bdf, reg + 4, 4) << 32;
}

/* Map the shared memory, find the sections in it. */
static int map_shmem(u16 bdf)
{
	u32 state_size = pci_read_config(bdf, IVSHMEM_CFG_VENDOR_CAP +
					 IVSHMEM_CFG_STATE_TAB_SZ, 4);
	u64 rw_size = cap_read64(bdf, IVSHMEM_CFG_RW_SECTION_SZ);
	u64 out_size = cap_read64(bdf, IVSHMEM_CFG_OUTPUT_SECTION_SZ);
	u64 addr = cap_read64(bdf, IVSHMEM_CFG_ADDRESS);
	u64 out = addr + state_size + rw_size;
	unsigned int n;
	int err;

	printk("ivshmem-demo: shared memory at 0x%llx: state table 0x%x, "
	       "read/write section 0x%llx at 0x%llx, output sections 0x%llx "
	       "at 0x%llx, mine at 0x%llx\n", addr, state_size, rw_size,
	       addr + state_size, out_size, out, out + id * out_size);
	if (state_size < max_peers * sizeof(u32) ||
	    out_size < sizeof(struct demo_output)) {
		printk("ivshmem-demo: state table or output sections too "
		       "small\n");
		return -EINVAL;
	}
	err = mmu_map_normal(addr, out + max_peers * out_size - addr);
	if (err) {
		printk("ivshmem-demo: cannot map the shared memory (%d)\n",
		       err);
		return err;
	}

	state_table = (volatile u32 *)addr;
	for (n = 0; n < max_peers; n++)
		outputs[n] = (volatile struct demo_output *)(out +
							     n * out_size);
	mine = outputs[id];
	return 0;
}

/* Doorbells are counted from here on; no count of a peer that is gone. */
static void start_counts(void)
{
	unsigned int n;

	memset((void *)mine, 0, sizeof(*mine));
	for (n = 0; n < max_peers; n++) {
		mine->seen[n] = state_table[n];
		base[n] = state_table[n] ? outputs[n]->rung[id] : 0;
	}
}

/* Report what changed since the last call: states, then doorbells. */
static void report(void)
{
	unsigned int n;
	u32 state, rung;

	mine->interrupts = interrupts;
	for (n = 0; n < max_peers; n++) {
		if (n == id)
			continue;
		state = state_table[n];
		if (state != mine->seen[n]) {
			if (!quiet)
				printk("ivshmem-demo: peer %u state %u -> "
				       "%u\n", n, mine->seen[n], state);
			/* a peer coming up has zeroed its counts: anew */
			if (!mine->seen[n]) {
				base[n] = 0;
				mine->heard[n] = 0;
			}
			mine->seen[n] = state;
		}
		if (!state)
			continue;
		/* its counts are visible before its doorbell */
		dmb(ish);
		rung = outputs[n]->rung[id];
		/* it came again, its counts zeroed, between two looks */
		if (rung < base[n])
			base[n] = 0;
		if (rung - base[n] != mine->heard[n]) {
			mine->heard[n] = rung - base[n];
			if (!quiet)
				printk("ivshmem-demo: doorbell from peer %u "
				       "(%u in all)\n", n, mine->heard[n]);
		}
	}
}

static unsigned int ring_round(void)
{
	unsigned int n, rung = 0;

	for (n = 0; n < max_peers; n++) {
		if (n == id || !state_table[n])
			continue;
		mine->rung[n]++;
		/* the count before the doorbell */
		dsb(ish);
		mmio_write32(regs + IVSHMEM_REG_DOORBELL,
			     IVSHMEM_DOORBELL(n, 0));
		if (!quiet)
			printk("ivshmem-demo: rang peer %u (%u in all)\n", n,
			       mine->rung[n]);
		rung++;
	}
	return rung;
}

void inmate_main(void)
{
	long long period_ms = cmdline_parse_int("period-ms", 1000);
	long long count = cmdline_parse_int("count", 0);
	unsigned long long rounds = 0, rung = 0, heard = 0;
	u64 period, next_round;
	unsigned int n;
	u32 state;
	u16 bdf;
	int irq;

	quiet = cmdline_parse_bool("quiet", false);
	printk("\nivshmem-demo: running on %s, GICv%u\n", platform.name,
	       platform.gic_version);
	if (probe(&bdf, &irq) || map_shmem(bdf))
		return;

	print_states();
	start_counts();
	irq_register(irq, ivshmem_irq);
	irq_set_edge(irq);
	irq_enable(irq);
	mmio_write32(regs + IVSHMEM_REG_INT_CTRL, IVSHMEM_INT_ENABLE);

	state = cmdline_parse_int("state", id + 1);
	printk("ivshmem-demo: setting state %u\n", state);
	/* the zeroed counts before the state that tells they are new */
	dsb(ish);
	mmio_write32(regs + IVSHMEM_REG_STATE, state);

	irq_register(TIMER_IRQ, tick);
	period = timer_ns_to_ticks(period_ms * 1000000);
	next_round = timer_get_ticks() + period;
	local_irq_disable();
	tick(TIMER_IRQ);
	for (;;) {
		wait_for_interrupt();
		comm_region_poll();
		report();
		if ((count && rounds == (u64)count) ||
		    timer_get_ticks() < next_round)
			continue;
		next_round += period;
		rung += ring_round();
		if (++rounds == (u64)count) {
			for (n = 0; n < max_peers; n++)
				heard += mine->heard[n];
			printk("ivshmem-demo: done ringing: %llu doorbells in "
			       "%llu rounds, heard %llu, %u interrupts\n",
			       rung, rounds, heard, mine->interrupts);
		}
	}
}
