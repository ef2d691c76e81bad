// SPDX-License-Identifier: GPL-2.0
/*
 * ivshmem-demo: a peer of an ivshmem v2 link (shared/ABI.md, section 5).
 *
 * Finds the cell's ivshmem device on the PCI host, prints its config
 * space, its id and maximum peers, the layout of the shared memory and
 * the state table, puts the register page at the library's BAR window,
 * enables its interrupt (INTx on arm64, MSI-X on x86) and sets its state
 * (id + 1 unless "state=" says otherwise; 0 means gone).  Then, every
 * period, it rings the doorbell of every other peer whose state is not 0,
 * and reports the doorbells and state changes it sees.
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
 *   running on NAME, IRQCHIP
 *   device BB:DD.F VVVV:DDDD revision R class 0xCCCCCC, INTx pin P,
 *	interrupt I   (pin 0 with MSI-X; I as irq_register() numbers it)
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

static struct ivshmem_device dev;
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

	for (n = 0; n < dev.max_peers; n++)
		len += snprintf(line + len, sizeof(line) - len, " %u",
				dev.state_table[n]);
	printk("ivshmem-demo: states:%s\n", line);
}

/* Find the device, place its registers, map its memory; print them. */
static int probe(void)
{
	unsigned long out;
	u32 class;
	unsigned int n;
	int err;

	if (!platform.pci_mmconfig_base) {
		printk("ivshmem-demo: no PCI host\n");
		return -ENODEV;
	}
	err = ivshmem_open(&dev, sizeof(struct demo_output));
	if (err == -ENOENT) {
		printk("ivshmem-demo: no ivshmem device (%04x:%04x) on the "
		       "PCI host\n", IVSHMEM_VENDOR_ID,
		       IVSHMEM_DEVICE_ID);
		return err;
	}
	if (err == -ENODEV) {
		printk("ivshmem-demo: device 00:%02x.%x lacks the vendor "
		       "capability at 0x%x, an interrupt the library takes "
		       "or BARs that fit its slot\n", PCI_SLOT(dev.bdf),
		       PCI_FUNC(dev.bdf), IVSHMEM_CFG_VENDOR_CAP);
		return err;
	}

	class = pci_read_config(dev.bdf, PCI_CFG_REVISION, 4);
	printk("ivshmem-demo: device 00:%02x.%x %04x:%04x revision %u class "
	       "0x%06x, INTx pin %u, interrupt %d\n", PCI_SLOT(dev.bdf),
	       PCI_FUNC(dev.bdf), IVSHMEM_VENDOR_ID, IVSHMEM_DEVICE_ID,
	       class & 0xff, class >> 8,
	       pci_read_config(dev.bdf, PCI_CFG_INT_PIN, 1), dev.irq);
	printk("ivshmem-demo: registers at 0x%lx, id %u, max peers %u\n",
	       dev.regs, dev.id, dev.max_peers);
	out = ivshmem_output(&dev, 0);
	printk("ivshmem-demo: shared memory at 0x%lx: state table 0x%x, "
	       "read/write section 0x%llx at 0x%lx, output sections 0x%llx "
	       "at 0x%lx, mine at 0x%lx\n", dev.shmem, dev.state_size,
	       dev.rw_size, dev.shmem + dev.state_size, dev.output_size, out,
	       ivshmem_output(&dev, dev.id));
	if (err) {
		printk("ivshmem-demo: id, peers or sections out of range, or "
		       "the shared memory not mapped (%d)\n", err);
		return err;
	}

	for (n = 0; n < dev.max_peers; n++)
		outputs[n] = (volatile struct demo_output *)
			ivshmem_output(&dev, n);
	mine = outputs[dev.id];
	return 0;
}

/* Doorbells are counted from here on; no count of a peer that is gone. */
static void start_counts(void)
{
	unsigned int n;

	memset((void *)mine, 0, sizeof(*mine));
	for (n = 0; n < dev.max_peers; n++) {
		mine->seen[n] = dev.state_table[n];
		base[n] = dev.state_table[n] ? outputs[n]->rung[dev.id] : 0;
	}
}

/* Report what changed since the last call: states, then doorbells. */
static void report(void)
{
	unsigned int n;
	u32 state, rung;

	mine->interrupts = interrupts;
	for (n = 0; n < dev.max_peers; n++) {
		if (n == dev.id)
			continue;
		state = dev.state_table[n];
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
		smp_rmb();
		rung = outputs[n]->rung[dev.id];
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

	for (n = 0; n < dev.max_peers; n++) {
		if (n == dev.id || !dev.state_table[n])
			continue;
		/* ivshmem_ring() makes the count visible before the doorbell */
		mine->rung[n]++;
		ivshmem_ring(&dev, n);
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

	quiet = cmdline_parse_bool("quiet", false);
	printk("\nivshmem-demo: running on %s, %s\n", platform.name,
	       irqchip_name());
	if (probe())
		return;

	print_states();
	start_counts();
	ivshmem_enable_irq(&dev, ivshmem_irq);

	state = cmdline_parse_int("state", dev.id + 1);
	printk("ivshmem-demo: setting state %u\n", state);
	/* it makes the zeroed counts visible before the state that says so */
	ivshmem_set_state(&dev, state);

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
			for (n = 0; n < dev.max_peers; n++)
				heard += mine->heard[n];
			printk("ivshmem-demo: done ringing: %llu doorbells in "
			       "%llu rounds, heard %llu, %u interrupts\n",
			       rung, rounds, heard, mine->interrupts);
		}
	}
}
