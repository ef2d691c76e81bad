/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The virtual Ethernet over an ivshmem link of protocol 1
 * (JAILHOUSE_SHMEM_PROTO_VETH): two peers, each sending Ethernet frames
 * through a ring in its own output section (Documentation/ivshmem-net.md).
 * Both peers run on the same machine: fields are in its byte order.
 */
#ifndef _JAILHOUSE_IVSHMEM_NET_H
#define _JAILHOUSE_IVSHMEM_NET_H

/* Link states, in the ivshmem state register */
#define IVSHMEM_NET_STATE_RESET		0
#define IVSHMEM_NET_STATE_INIT		1
#define IVSHMEM_NET_STATE_READY		2
#define IVSHMEM_NET_STATE_RUN		3

/*
 * The start of an output section, written by its owner only.  The
 * counters are free-running byte counts (they wrap at 2^32); the
 * transmit fields and the receive fields have a cache line each.
 */
struct ivshmem_net_header {
	/* bytes of records this peer put into its ring */
	__u32 tx_head;
	/* non-zero: this peer waits for room, ring it when freeing some */
	__u32 tx_blocked;
	__u32 tx_reserved[14];
	/* bytes of records this peer took from the other's ring */
	__u32 rx_tail;
	/* non-zero: this peer is polling its input, no doorbell needed */
	__u32 rx_busy;
	__u32 rx_reserved[14];
};

/*
 * The ring: from this offset in the output section, the largest power of
 * two that fits in the rest of it, at least IVSHMEM_NET_RING_MIN bytes.
 */
#define IVSHMEM_NET_RING_OFFSET		0x1000
#define IVSHMEM_NET_RING_MIN		0x10000

/*
 * A record in the ring: this header, then the frame, padded to
 * IVSHMEM_NET_RECORD_ALIGN bytes.  A record never straddles the end of
 * the ring: a pad record (flag IVSHMEM_NET_REC_PAD, length 0) fills the
 * rest of the ring instead, and the next record starts at offset 0.
 */
struct ivshmem_net_record {
	/* bytes of the frame that follows */
	__u32 len;
	__u16 flags;
	/*
	 * With IVSHMEM_NET_REC_CSUM: the frame's transport checksum is not
	 * computed yet; it covers the bytes from csum_start to the end of
	 * the frame and goes to csum_start + csum_offset.
	 */
	__u16 csum_start;
	__u16 csum_offset;
	__u16 reserved[3];
};

#define IVSHMEM_NET_RECORD_ALIGN	64

#define IVSHMEM_NET_REC_PAD		0x0001
#define IVSHMEM_NET_REC_CSUM		0x0002

/* the longest frame a record may hold */
#define IVSHMEM_NET_FRAME_MAX		0xffff

#endif /* !_JAILHOUSE_IVSHMEM_NET_H */
