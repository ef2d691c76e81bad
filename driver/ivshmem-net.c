// SPDX-License-Identifier: GPL-2.0
/*
 * ivshmem_net.ko: a network interface over an ivshmem v2 link of protocol
 * 1, virtual Ethernet between two peers (Documentation/ivshmem-net.md,
 * include/jailhouse/ivshmem-net.h).
 *
 * Each peer sends through a ring of records in its own output section and
 * receives from the ring in the other's, which it maps but never writes:
 * the hypervisor maps it read-only and would stop a cell that wrote it.
 * The link state goes through the device's state register; a frame moves
 * only while this side is in RUN.  All link work is done in the NAPI poll,
 * which every interrupt (doorbell or state change, all on vector 0 or
 * INTx) schedules; the transmit path only writes records.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/skbuff.h>
#include <linux/types.h>

#include <jailhouse/cell-config.h>
#include <jailhouse/ivshmem.h>
#include <jailhouse/ivshmem-net.h>

#include "ivshmem-layout.h"

#define DRV_NAME	"ivshmem_net"

#define REC_HDR		sizeof(struct ivshmem_net_record)
/*
 * This side sends records of at most an eighth of the ring, so that a
 * full ring still holds several frames; the receiver takes any record.
 */
#define RING_FRAME_DIVISOR	8

static_assert(sizeof(struct ivshmem_net_header) == 128);
static_assert(sizeof(struct ivshmem_net_record) == 16);

/**
 * struct ivnet - One network interface over a link.
 * @dev:	the interface
 * @pdev:	the ivshmem device
 * @napi:	the poll, where the link state and the receive ring are served
 * @regs:	the device's register page
 * @state_table: the link's state table (read-only)
 * @hdr:	this side's output section header
 * @ring:	this side's ring
 * @peer_hdr:	the peer's output section header (read-only)
 * @peer_ring:	the peer's ring (read-only)
 * @ring_size:	bytes of each ring, a power of two
 * @frame_max:	the longest frame this side sends
 * @peer_id:	the peer's id on the link
 * @state:	this side's link state, as last written to the device
 * @peer_seen:	the peer's state when the poll last looked
 * @running:	this side is in RUN: frames move
 * @broken:	the peer's counters or records made no sense: restart
 * @rx_busy:	the value last written to @hdr->rx_busy
 * @tx_deferred: records were announced without a doorbell, more to come
 * @tx_head:	@hdr->tx_head, written by the transmit path only
 * @rx_tail:	@hdr->rx_tail, written by the poll only
 */
struct ivnet {
	struct net_device *dev;
	struct pci_dev *pdev;
	/* its interrupt: MSI-X vector 0 or INTx (ivshmem_alloc_irq) */
	int irq;
	struct napi_struct napi;
	void __iomem *regs;
	const u32 *state_table;
	struct ivshmem_net_header *hdr;
	void *ring;
	const struct ivshmem_net_header *peer_hdr;
	const void *peer_ring;
	u32 ring_size;
	u32 frame_max;
	u32 peer_id;
	u32 state;
	u32 peer_seen;
	bool running;
	bool broken;
	bool rx_busy;
	bool tx_deferred;
	u32 tx_head;
	u32 rx_tail;
};

static u32 rec_stride(u32 len)
{
	return ALIGN(REC_HDR + len, IVSHMEM_NET_RECORD_ALIGN);
}

static void ivnet_ring_peer(struct ivnet *in)
{
	writel(IVSHMEM_DOORBELL(in->peer_id, 0),
	       in->regs + IVSHMEM_REG_DOORBELL);
}

/* Tell the peer of new records unless its poll runs and will see them. */
static void ivnet_kick(struct ivnet *in)
{
	in->tx_deferred = false;
	/* the count before the peer's flag (its poll: the reverse) */
	smp_mb();
	if (!READ_ONCE(in->peer_hdr->rx_busy))
		ivnet_ring_peer(in);
}

/* The state register; it interrupts the peer when the value changes. */
static void ivnet_set_state(struct ivnet *in, u32 state)
{
	in->state = state;
	writel(state, in->regs + IVSHMEM_REG_STATE);
}

/*
 * The peer's protocol went wrong, or it restarted unseen: report it
 * (unless it was a restart) and let the poll start the link again.
 */
static void ivnet_broken(struct ivnet *in, const char *what, u32 value)
{
	u32 peer = READ_ONCE(in->state_table[in->peer_id]);

	if (peer == in->peer_seen && net_ratelimit())
		netdev_err(in->dev, "peer %u: %s (%#x): restarting the link\n",
			   in->peer_id, what, value);
	WRITE_ONCE(in->broken, true);
	napi_schedule(&in->napi);
}

/*
 * Room in this side's ring: what the peer has not consumed yet is taken.
 * Returns false, with @room 0, when the peer's count is impossible.
 */
static bool ivnet_tx_room(struct ivnet *in, u32 *room)
{
	u32 tail = smp_load_acquire(&in->peer_hdr->rx_tail);
	u32 used = READ_ONCE(in->tx_head) - tail;

	*room = 0;
	if (used > in->ring_size ||
	    !IS_ALIGNED(tail, IVSHMEM_NET_RECORD_ALIGN)) {
		ivnet_broken(in, "receive count beyond what was sent", tail);
		return false;
	}
	*room = in->ring_size - used;
	return true;
}

/* Bytes a record of @stride takes at the head: with a pad at the end. */
static u32 ivnet_tx_need(struct ivnet *in, u32 stride)
{
	u32 contig = in->ring_size - (in->tx_head & (in->ring_size - 1));

	return stride <= contig ? stride : contig + stride;
}

/*
 * Room that the transmit queue needs to run: two records of the longest
 * frame of the MTU (the second with a pad before it).
 */
static u32 ivnet_tx_threshold(struct ivnet *in)
{
	u32 frame = READ_ONCE(in->dev->mtu) + ETH_HLEN + VLAN_HLEN;

	return 2 * rec_stride(min(frame, in->frame_max));
}

/*
 * Stop the queue for want of @need bytes and ask the peer for a doorbell
 * when it frees some.  Returns true if the queue stays stopped: the
 * peer's count is read again after the request is visible, so that either
 * this side sees the room or the peer sees the request.
 */
static bool ivnet_tx_stop(struct ivnet *in, u32 need)
{
	u32 room;

	netif_stop_queue(in->dev);
	WRITE_ONCE(in->hdr->tx_blocked, 1);
	smp_mb();
	if (!ivnet_tx_room(in, &room) || room < need)
		return true;
	WRITE_ONCE(in->hdr->tx_blocked, 0);
	netif_wake_queue(in->dev);
	return false;
}

/* In the poll: wake a stopped queue once the peer freed enough. */
static void ivnet_tx_wake(struct ivnet *in)
{
	u32 room;

	if (!netif_queue_stopped(in->dev) || !ivnet_tx_room(in, &room) ||
	    room < ivnet_tx_threshold(in))
		return;
	WRITE_ONCE(in->hdr->tx_blocked, 0);
	netif_wake_queue(in->dev);
}

static netdev_tx_t ivnet_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct ivnet *in = netdev_priv(dev);
	u32 len = skb->len, stride = rec_stride(len), need, room, off;
	struct ivshmem_net_record *rec;
	u32 head = in->tx_head;

	if (!READ_ONCE(in->running) || len < ETH_HLEN ||
	    len > in->frame_max)
		goto drop;
	need = ivnet_tx_need(in, stride);
	if (!ivnet_tx_room(in, &room))
		goto drop;
	if (room < need && ivnet_tx_stop(in, need)) {
		if (in->tx_deferred)
			ivnet_kick(in);
		return NETDEV_TX_BUSY;
	}

	off = head & (in->ring_size - 1);
	if (need > stride) {
		rec = in->ring + off;
		rec->len = 0;
		rec->flags = IVSHMEM_NET_REC_PAD;
		head += in->ring_size - off;
		off = 0;
	}
	rec = in->ring + off;
	rec->len = len;
	rec->flags = 0;
	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		rec->flags = IVSHMEM_NET_REC_CSUM;
		rec->csum_start = skb_checksum_start_offset(skb);
		rec->csum_offset = skb->csum_offset;
	}
	if (skb_copy_bits(skb, 0, (void *)(rec + 1), len))
		goto drop;
	head += stride;
	/* the records before the count that announces them */
	smp_store_release(&in->hdr->tx_head, head);
	WRITE_ONCE(in->tx_head, head);

	dev->stats.tx_packets++;
	dev->stats.tx_bytes += len;
	dev_consume_skb_any(skb);

	if (ivnet_tx_room(in, &room) && room < ivnet_tx_threshold(in))
		ivnet_tx_stop(in, ivnet_tx_threshold(in));
	if (!netdev_xmit_more() || netif_queue_stopped(dev))
		ivnet_kick(in);
	else
		in->tx_deferred = true;
	return NETDEV_TX_OK;

drop:
	dev->stats.tx_dropped++;
	dev_kfree_skb_any(skb);
	/* the last frame of a batch may go here */
	if (in->tx_deferred)
		ivnet_kick(in);
	return NETDEV_TX_OK;
}

/* One frame from the peer's ring at @rec into the stack. */
static void ivnet_rx_frame(struct ivnet *in,
			   const struct ivshmem_net_record *rec, u32 len,
			   u16 flags)
{
	struct net_device *dev = in->dev;
	struct sk_buff *skb;

	skb = napi_alloc_skb(&in->napi, len);
	if (!skb) {
		dev->stats.rx_dropped++;
		return;
	}
	skb_put_data(skb, rec + 1, len);
	if (flags & IVSHMEM_NET_REC_CSUM &&
	    !skb_partial_csum_set(skb, READ_ONCE(rec->csum_start),
				  READ_ONCE(rec->csum_offset))) {
		dev->stats.rx_frame_errors++;
		dev->stats.rx_errors++;
		kfree_skb(skb);
		return;
	}
	skb->protocol = eth_type_trans(skb, dev);
	dev->stats.rx_packets++;
	dev->stats.rx_bytes += len;
	napi_gro_receive(&in->napi, skb);
}

/*
 * Take up to @budget frames from the peer's ring; everything the peer
 * wrote is checked before use, and read once.  Returns the frames taken.
 */
static int ivnet_rx(struct ivnet *in, int budget)
{
	u32 head = smp_load_acquire(&in->peer_hdr->tx_head);
	u32 tail = in->rx_tail, mask = in->ring_size - 1;
	const struct ivshmem_net_record *rec;
	u32 avail, off, len, stride;
	int done = 0;
	u16 flags;

	avail = head - tail;
	if (avail > in->ring_size ||
	    !IS_ALIGNED(head, IVSHMEM_NET_RECORD_ALIGN)) {
		ivnet_broken(in, "send count beyond the ring", head);
		return 0;
	}
	while (avail && done < budget) {
		off = tail & mask;
		rec = in->peer_ring + off;
		len = READ_ONCE(rec->len);
		flags = READ_ONCE(rec->flags);
		stride = flags & IVSHMEM_NET_REC_PAD ? in->ring_size - off :
			rec_stride(len);
		if (stride > avail || off + stride > in->ring_size ||
		    (!(flags & IVSHMEM_NET_REC_PAD) &&
		     (len < ETH_HLEN || len > IVSHMEM_NET_FRAME_MAX))) {
			ivnet_broken(in, "bad record length", len);
			break;
		}
		if (!(flags & IVSHMEM_NET_REC_PAD)) {
			ivnet_rx_frame(in, rec, len, flags);
			done++;
		}
		tail += stride;
		avail -= stride;
	}
	if (tail == in->rx_tail)
		return done;

	in->rx_tail = tail;
	/* the records read before the count that frees them */
	smp_store_release(&in->hdr->rx_tail, tail);
	/* the count before the peer's flag (its transmit: the reverse) */
	smp_mb();
	if (READ_ONCE(in->peer_hdr->tx_blocked))
		ivnet_ring_peer(in);
	return done;
}

/* Back to INIT: frames stop, the counters start from 0 again. */
static void ivnet_restart(struct ivnet *in)
{
	bool was_running = in->running;

	WRITE_ONCE(in->running, false);
	netif_carrier_off(in->dev);
	/* waits for a transmit in progress; none comes until RUN */
	netif_tx_disable(in->dev);
	memset(in->hdr, 0, sizeof(*in->hdr));
	in->tx_head = 0;
	in->rx_tail = 0;
	in->rx_busy = false;
	in->tx_deferred = false;
	WRITE_ONCE(in->broken, false);
	/* writel() orders the cleared header before the state */
	ivnet_set_state(in, IVSHMEM_NET_STATE_INIT);
	if (was_running)
		netdev_info(in->dev, "link down\n");
}

/*
 * Whether the peer in @peer (READY or RUN) has its header as the protocol
 * has it when this side enters RUN: nothing taken from this side's ring,
 * which is empty, and nothing sent unless it is in RUN.  A peer that broke
 * the rules and stays where it is would otherwise restart the link over
 * and over.
 */
static bool ivnet_peer_fresh(struct ivnet *in, u32 peer)
{
	u32 tail = READ_ONCE(in->peer_hdr->rx_tail);
	u32 head = READ_ONCE(in->peer_hdr->tx_head);

	if (!tail && (!head || peer == IVSHMEM_NET_STATE_RUN))
		return true;
	if (net_ratelimit())
		netdev_err(in->dev, "peer %u: counters %#x/%#x in state %u: waiting for it to restart\n",
			   in->peer_id, head, tail, peer);
	return false;
}

/*
 * Follow the peer's state: INIT -> READY once the peer is in INIT or
 * READY, READY -> RUN once it is in READY or RUN (and fresh); a peer that
 * went back to RESET or INIT from READY or RUN restarted, and so does this
 * side.  Returns whether this side is in RUN.
 */
static bool ivnet_link(struct ivnet *in)
{
	u32 peer = READ_ONCE(in->state_table[in->peer_id]);

	/* the state before the peer's header and ring */
	smp_rmb();
	if (peer > IVSHMEM_NET_STATE_RUN)
		peer = IVSHMEM_NET_STATE_RESET;

	if (READ_ONCE(in->broken) ||
	    (in->state >= IVSHMEM_NET_STATE_READY &&
	     in->peer_seen >= IVSHMEM_NET_STATE_READY &&
	     peer <= IVSHMEM_NET_STATE_INIT))
		ivnet_restart(in);
	in->peer_seen = peer;

	if (in->state == IVSHMEM_NET_STATE_INIT &&
	    (peer == IVSHMEM_NET_STATE_INIT ||
	     peer == IVSHMEM_NET_STATE_READY))
		ivnet_set_state(in, IVSHMEM_NET_STATE_READY);
	if (in->state == IVSHMEM_NET_STATE_READY &&
	    (peer == IVSHMEM_NET_STATE_READY ||
	     peer == IVSHMEM_NET_STATE_RUN) && ivnet_peer_fresh(in, peer)) {
		ivnet_set_state(in, IVSHMEM_NET_STATE_RUN);
		WRITE_ONCE(in->running, true);
		netif_carrier_on(in->dev);
		netif_wake_queue(in->dev);
		netdev_info(in->dev, "link up to peer %u\n", in->peer_id);
	}
	return in->running;
}

static int ivnet_poll(struct napi_struct *napi, int budget)
{
	struct ivnet *in = container_of(napi, struct ivnet, napi);
	int done = 0;

	/* netpoll's call for transmit completions: there are none */
	if (!budget)
		return 0;

	if (ivnet_link(in)) {
		if (!in->rx_busy) {
			WRITE_ONCE(in->hdr->rx_busy, 1);
			in->rx_busy = true;
		}
		ivnet_tx_wake(in);
		done = ivnet_rx(in, budget);
		if (READ_ONCE(in->broken))
			ivnet_link(in);
	}
	if (done == budget || !napi_complete_done(napi, done))
		return done;

	if (in->rx_busy) {
		WRITE_ONCE(in->hdr->rx_busy, 0);
		in->rx_busy = false;
		/* the flag before the peer's count (its xmit: the reverse) */
		smp_mb();
		if (READ_ONCE(in->running) &&
		    smp_load_acquire(&in->peer_hdr->tx_head) != in->rx_tail)
			napi_schedule(napi);
	}
	return done;
}

/*
 * Doorbell or state change: the device has no status to tell them apart,
 * and the pin may be shared, so the poll looks at everything.
 */
static irqreturn_t ivnet_interrupt(int irq, void *data)
{
	struct ivnet *in = data;

	napi_schedule(&in->napi);
	return IRQ_HANDLED;
}

static int ivnet_open(struct net_device *dev)
{
	struct ivnet *in = netdev_priv(dev);
	int err;

	memset(in->hdr, 0, sizeof(*in->hdr));
	in->tx_head = 0;
	in->rx_tail = 0;
	in->rx_busy = false;
	in->tx_deferred = false;
	in->broken = false;
	in->running = false;
	in->peer_seen = IVSHMEM_NET_STATE_RESET;
	/* writel() orders the cleared header before the state */
	ivnet_set_state(in, IVSHMEM_NET_STATE_INIT);

	err = request_irq(in->irq, ivnet_interrupt, IRQF_SHARED,
			  dev->name, in);
	if (err) {
		ivnet_set_state(in, IVSHMEM_NET_STATE_RESET);
		return err;
	}
	napi_enable(&in->napi);
	writel(IVSHMEM_INT_ENABLE, in->regs + IVSHMEM_REG_INT_CTRL);
	/*
	 * The first poll reads the peer's state; any change after that
	 * interrupts.
	 */
	local_bh_disable();
	napi_schedule(&in->napi);
	local_bh_enable();
	return 0;
}

static int ivnet_stop(struct net_device *dev)
{
	struct ivnet *in = netdev_priv(dev);

	writel(0, in->regs + IVSHMEM_REG_INT_CTRL);
	free_irq(in->irq, in);
	napi_disable(&in->napi);
	WRITE_ONCE(in->running, false);
	netif_tx_disable(dev);
	netif_carrier_off(dev);
	ivnet_set_state(in, IVSHMEM_NET_STATE_RESET);
	return 0;
}

static const struct net_device_ops ivnet_ops = {
	.ndo_open = ivnet_open,
	.ndo_stop = ivnet_stop,
	.ndo_start_xmit = ivnet_xmit,
	.ndo_validate_addr = eth_validate_addr,
	.ndo_set_mac_address = eth_mac_addr,
};

/*
 * Map a section of the link: @writable for this side's own; the others
 * are only read, although a kernel mapping cannot say so.
 */
static void *ivnet_map(struct pci_dev *pdev, u64 start, u64 size,
		       const char *what)
{
	void *p = devm_memremap(&pdev->dev, start, size, MEMREMAP_WB);

	if (IS_ERR(p)) {
		pci_err(pdev, "cannot map the %s at %#llx\n", what, start);
		return NULL;
	}
	return p;
}

static int ivnet_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct net_device *dev;
	struct ivshmem_layout l;
	u64 out, ring, total;
	u32 my_id, peers;
	struct ivnet *in;
	int err;

	err = ivshmem_read_layout(pdev, &l);
	if (err)
		return err;

	err = pci_enable_device(pdev);
	if (err)
		return err;
	err = pci_request_region(pdev, 0, DRV_NAME);
	if (err)
		goto err_disable;
	dev = alloc_etherdev(sizeof(*in));
	err = -ENOMEM;
	if (!dev)
		goto err_release;
	in = netdev_priv(dev);
	in->dev = dev;
	in->pdev = pdev;
	in->regs = pci_iomap(pdev, 0, 0);
	if (!in->regs)
		goto err_free;

	my_id = readl(in->regs + IVSHMEM_REG_ID);
	peers = readl(in->regs + IVSHMEM_REG_MAX_PEERS);
	/* the ring: the largest power of two after the header page */
	ring = 0;
	if (l.output_size > IVSHMEM_NET_RING_OFFSET)
		ring = rounddown_pow_of_two(l.output_size -
					    IVSHMEM_NET_RING_OFFSET);
	total = l.state_table_size + l.rw_size + 2 * l.output_size;
	err = -ENODEV;
	if (peers != 2 || my_id > 1) {
		pci_err(pdev, "peer %u of %u peers: the virtual Ethernet links two peers\n",
			my_id, peers);
		goto err_unmap;
	}
	if (!PAGE_ALIGNED(l.base) || l.state_table_size < 2 * sizeof(u32) ||
	    !PAGE_ALIGNED(l.state_table_size) || !PAGE_ALIGNED(l.rw_size) ||
	    ring < IVSHMEM_NET_RING_MIN || ring > U32_MAX / 2 ||
	    l.rw_size > U32_MAX || l.output_size > U32_MAX) {
		pci_err(pdev, "shared memory at %#llx: state table %#x, read/write section %#llx, output sections %#llx: not the layout of protocol 1\n",
			l.base, l.state_table_size, l.rw_size, l.output_size);
		goto err_unmap;
	}
	in->irq = ivshmem_alloc_irq(pdev);
	if (in->irq < 0) {
		err = in->irq;
		goto err_unmap;
	}
	err = -EBUSY;
	if (!devm_request_mem_region(&pdev->dev, l.base, total, DRV_NAME)) {
		pci_err(pdev, "shared memory at %#llx is in use\n", l.base);
		goto err_free_irq;
	}

	in->peer_id = 1 - my_id;
	in->ring_size = ring;
	in->frame_max = min_t(u32, ring / RING_FRAME_DIVISOR - REC_HDR,
			      IVSHMEM_NET_FRAME_MAX);
	out = l.base + l.state_table_size + l.rw_size;
	err = -ENOMEM;
	in->state_table = ivnet_map(pdev, l.base, l.state_table_size,
				    "state table");
	in->hdr = ivnet_map(pdev, out + my_id * l.output_size, l.output_size,
			    "output section");
	in->peer_hdr = ivnet_map(pdev, out + in->peer_id * l.output_size,
				 l.output_size, "peer's output section");
	if (!in->state_table || !in->hdr || !in->peer_hdr)
		goto err_free_irq;
	in->ring = (void *)in->hdr + IVSHMEM_NET_RING_OFFSET;
	in->peer_ring = (const void *)in->peer_hdr + IVSHMEM_NET_RING_OFFSET;

	SET_NETDEV_DEV(dev, &pdev->dev);
	dev->netdev_ops = &ivnet_ops;
	dev->features = NETIF_F_SG | NETIF_F_HW_CSUM;
	dev->hw_features = dev->features;
	dev->max_mtu = in->frame_max - ETH_HLEN - VLAN_HLEN;
	eth_hw_addr_random(dev);
	netif_napi_add(dev, &in->napi, ivnet_poll);
	netif_carrier_off(dev);
	err = register_netdev(dev);
	if (err)
		goto err_free_irq;
	pci_set_drvdata(pdev, in);

	netdev_info(dev, "peer %u of the link to peer %u, shared memory %#llx, rings of %u KiB, interrupt %u (%s)\n",
		    my_id, in->peer_id, l.base, in->ring_size >> 10, in->irq,
		    pdev->msix_enabled ? "MSI-X" : "INTx");
	return 0;

err_free_irq:
	pci_free_irq_vectors(pdev);
err_unmap:
	pci_iounmap(pdev, in->regs);
err_free:
	free_netdev(dev);
err_release:
	pci_release_region(pdev, 0);
err_disable:
	pci_disable_device(pdev);
	return err;
}

/* Closing the interface (unregister_netdev) left the link in RESET. */
static void ivnet_remove(struct pci_dev *pdev)
{
	struct ivnet *in = pci_get_drvdata(pdev);
	struct net_device *dev = in->dev;

	unregister_netdev(dev);
	pci_free_irq_vectors(pdev);
	pci_iounmap(pdev, in->regs);
	free_netdev(dev);
	pci_release_region(pdev, 0);
	pci_disable_device(pdev);
}

static const struct pci_device_id ivnet_ids[] = {
	{
		.vendor = IVSHMEM_VENDOR_ID, .device = IVSHMEM_DEVICE_ID,
		.subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID,
		.class = IVSHMEM_CLASS_BASE << 16 | JAILHOUSE_SHMEM_PROTO_VETH,
		.class_mask = 0xffffff,
	},
	{ }
};
MODULE_DEVICE_TABLE(pci, ivnet_ids);

static struct pci_driver ivnet_driver = {
	.name = DRV_NAME,
	.id_table = ivnet_ids,
	.probe = ivnet_probe,
	.remove = ivnet_remove,
};
module_pci_driver(ivnet_driver);

MODULE_DESCRIPTION("Virtual Ethernet over ivshmem v2 links of Jailhouse-compatible hypervisors");
MODULE_LICENSE("GPL");
