// SPDX-License-Identifier: GPL-2.0
/*
 * ivshmem-pingpong: the doorbell round trip between two peers of an
 * ivshmem v2 link (shared/ABI.md, section 5), the bench of
 * bench/ivshmem-doorbell.py.
 *
 * One peer echoes ("echo" on its command line): it answers every doorbell
 * of a pinging peer with a doorbell back.  The other pings: it waits for
 * an echoing peer to come up, then rings it "count" times, one at a time,
 * each time waiting for its interrupt and the answer, and takes the round
 * trip with the counter (arm64's virtual counter, x86's TSC), from before
 * its doorbell to after it saw the answer.  Both interrupt deliveries are
 * in it: doorbell write, the echo's interrupt and doorbell, the pinger's
 * interrupt.
 *
 * Interrupts do not say who rang, so the peers tell each other in their
 * output sections (little-endian u32 words, peer ids 0..15):
 *
 *   0x00  role          PINGPONG_PING or PINGPONG_ECHO
 *   0x04  seq           a pinger's: the number of its last doorbell
 *   0x08  answered[16]  an echo's: the last seq it answered of peer n
 *
 * A peer writes its section before it sets its state (1); an echo forgets
 * what it answered of a peer whose state it sees at 0.
 *
 * Output, each line starting with "ivshmem-pingpong: ":
 *   running on NAME, IRQCHIP (GICv2|3, xAPIC), counter F Hz
 *   device BB:DD.F, interrupt I, id N of M peers
 *   echoing                                      (echo)
 *   pinging peer N: count C, interval U us, after W ms  (pinger)
 *   round trip: count C, min A ns, avg B ns, median M ns, 99th P ns,
 *	max X ns, interrupts I                       (pinger, at the end)
 *
 * Command line: echo; or count=N (round trips, 1000, at most
 * MAX_SAMPLES), interval-us=N (100, from an answer to the next doorbell,
 * so that the echo is back asleep), wait-ms=N (0, from finding the echo
 * to the first doorbell: time for whoever started the cell to go quiet),
 * peer=N (the echo to ping; default the first echo that comes up).
 */
#include <inmate.h>
#include <jailhouse/ivshmem.h>

#define PINGPONG_PING		0x474e4950	/* "PING" */
#define PINGPONG_ECHO		0x4f484345	/* "ECHO" */
#define PINGPONG_UP		1

#define MAX_SAMPLES		2000
/* Wakes the CPU up to answer the hypervisor's messages */
#define POLL_US			10000

struct pingpong_output {
	u32 role;
	u32 seq;
	u32 answered[IVSHMEM_MAX_PEERS];
};

static struct ivshmem_device dev;
static volatile struct pingpong_output *outputs[IVSHMEM_MAX_PEERS];
static volatile struct pingpong_output *mine;
static u32 samples[MAX_SAMPLES];
static volatile u32 interrupts;

static void ivshmem_irq(unsigned int irq)
{
	interrupts++;
}

static void tick(unsigned int irq)
{
	timer_arm(timer_get_ticks() + timer_ns_to_ticks(POLL_US * 1000));
}

/* Answer every pinger whose last doorbell is not answered yet. */
static void answer(void)
{
	unsigned int n;
	u32 seq;

	for (n = 0; n < dev.max_peers; n++) {
		if (n == dev.id)
			continue;
		if (!dev.state_table[n]) {
			mine->answered[n] = 0;
			continue;
		}
		/* its section was written before its state and doorbell */
		smp_rmb();
		if (outputs[n]->role != PINGPONG_PING)
			continue;
		seq = outputs[n]->seq;
		if (seq == mine->answered[n])
			continue;
		mine->answered[n] = seq;
		ivshmem_ring(&dev, n);
	}
}

static void echo(void)
{
	printk("ivshmem-pingpong: echoing\n");
	for (;;) {
		answer();
		wait_for_interrupt();
		comm_region_poll();
	}
}

static bool is_echo(unsigned int peer)
{
	if (peer == dev.id || peer >= dev.max_peers ||
	    !dev.state_table[peer])
		return false;
	smp_rmb();
	return outputs[peer]->role == PINGPONG_ECHO;
}

/* The echo to ping: @peer, or the first one up; waits until it is. */
static unsigned int find_echo(long long peer)
{
	unsigned int n;

	for (;;) {
		if (peer >= 0 && is_echo(peer))
			return peer;
		for (n = 0; peer < 0 && n < dev.max_peers; n++)
			if (is_echo(n))
				return n;
		wait_for_interrupt();
		comm_region_poll();
	}
}

/* One round trip to @peer, in counter ticks. */
static u64 round_trip(unsigned int peer, u32 seq)
{
	u64 start = timer_get_ticks();

	mine->seq = seq;
	ivshmem_ring(&dev, peer);
	while (outputs[peer]->answered[dev.id] != seq) {
		wait_for_interrupt();
		comm_region_poll();
	}
	return timer_get_ticks() - start;
}

static void ping(unsigned int count, u64 interval_us, u64 wait_ms,
		 long long want)
{
	unsigned int peer, n;
	u64 sum = 0;

	peer = find_echo(want);
	printk("ivshmem-pingpong: pinging peer %u: count %u, interval %llu "
	       "us, after %llu ms\n", peer, count, interval_us, wait_ms);
	delay_us(wait_ms * 1000);
	for (n = 0; n < count; n++) {
		/* a wake-up for messages should the echo not answer */
		tick(TIMER_IRQ);
		samples[n] = timer_ticks_to_ns(round_trip(peer, n + 1));
		sum += samples[n];
		delay_us(interval_us);
	}
	sort_u32(samples, count);
	printk("ivshmem-pingpong: round trip: count %u, min %u ns, avg %llu "
	       "ns, median %u ns, 99th %u ns, max %u ns, interrupts %u\n",
	       count, samples[0], sum / count,
	       percentile_u32(samples, count, 500),
	       percentile_u32(samples, count, 990), samples[count - 1],
	       interrupts);
}

void inmate_main(void)
{
	bool echoing = cmdline_parse_bool("echo", false);
	long long count = cmdline_parse_int("count", 1000);
	unsigned int n;
	int err;

	printk("\nivshmem-pingpong: running on %s, %s, counter %llu Hz\n",
	       platform.name, irqchip_name(), timer_get_frequency());
	if (!echoing && (count < 1 || count > MAX_SAMPLES)) {
		printk("ivshmem-pingpong: count=%lld: not 1..%u\n", count,
		       MAX_SAMPLES);
		return;
	}
	err = ivshmem_open(&dev, sizeof(struct pingpong_output));
	if (err) {
		printk("ivshmem-pingpong: no usable ivshmem device (%d)\n",
		       err);
		return;
	}
	printk("ivshmem-pingpong: device 00:%02x.%x, interrupt %d, id %u of "
	       "%u peers\n", PCI_SLOT(dev.bdf), PCI_FUNC(dev.bdf), dev.irq,
	       dev.id, dev.max_peers);

	for (n = 0; n < dev.max_peers; n++)
		outputs[n] = (volatile struct pingpong_output *)
			ivshmem_output(&dev, n);
	mine = outputs[dev.id];
	memset((void *)mine, 0, sizeof(*mine));
	mine->role = echoing ? PINGPONG_ECHO : PINGPONG_PING;

	/* masked from here on: wait_for_interrupt() takes them */
	local_irq_disable();
	ivshmem_enable_irq(&dev, ivshmem_irq);
	ivshmem_set_state(&dev, PINGPONG_UP);
	irq_register(TIMER_IRQ, tick);
	tick(TIMER_IRQ);

	if (echoing)
		echo();
	ping(count, cmdline_parse_int("interval-us", 100),
	     cmdline_parse_int("wait-ms", 0), cmdline_parse_int("peer", -1));
}
