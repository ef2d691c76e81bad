// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor's console ring: read() on /dev/jailhouse and sysfs console.
 *
 * While the hypervisor runs, its console page is the only page of its memory
 * that the root cell may read; it is mapped here.  When the hypervisor stops
 * (or fails to start), the last content is copied so that it stays readable.
 *
 * A reader's file position encodes the hypervisor session (upper 32 bits,
 * counted up by every attempt to enable) and the ring's tail counter within
 * that session (lower 32 bits), so that a reader continues where it stopped
 * and starts over from the oldest byte when a new session began.
 */
#define pr_fmt(fmt) "jailhouse: " fmt

#include <linux/delay.h>
#include <linux/io.h>
#include <linux/minmax.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "jailhouse.h"

/* How long read() sleeps before it looks for new output again. */
#define CONSOLE_POLL_INTERVAL	(HZ / 10)

/* Attempts to get a consistent copy while the hypervisor writes. */
#define CONSOLE_FETCH_TRIES	100

/* Under jailhouse_state_sem. */
static struct jailhouse_console_page *console_page;
static struct jailhouse_console_page console_copy;
static u32 console_session;

/* Copies @ring consistently (seqcount protocol of header.h) to @dst. */
static int console_fetch_ring(const struct jailhouse_console_page *ring,
			      struct jailhouse_console_page *dst)
{
	unsigned int tries;
	u32 busy;

	for (tries = 0; tries < CONSOLE_FETCH_TRIES; tries++) {
		busy = READ_ONCE(ring->busy);
		if (busy & 1) {
			udelay(10);
			continue;
		}
		smp_rmb();
		dst->tail = READ_ONCE(ring->tail);
		memcpy(dst->content, ring->content, sizeof(dst->content));
		smp_rmb();
		if (READ_ONCE(ring->busy) == busy) {
			dst->busy = 0;
			return 0;
		}
	}
	return -EBUSY;
}

/*
 * Copies the live ring or, without a running hypervisor, the saved one.
 * Called with jailhouse_state_sem held, for reading at least.
 */
static int console_fetch(struct jailhouse_console_page *dst)
{
	if (!console_page) {
		memcpy(dst, &console_copy, sizeof(*dst));
		return 0;
	}
	return console_fetch_ring(console_page, dst);
}

/* Index of the oldest byte still in the ring. */
static u32 console_first(const struct jailhouse_console_page *page)
{
	return page->tail > JAILHOUSE_CONSOLE_SIZE ?
		page->tail - JAILHOUSE_CONSOLE_SIZE : 0;
}

/*
 * The ring holds @count bytes from ring index @from in at most two pieces,
 * the second one from the ring's start: their offsets and lengths.
 */
static void console_pieces(u32 from, size_t count, size_t offs[2],
			   size_t len[2])
{
	offs[0] = from % JAILHOUSE_CONSOLE_SIZE;
	len[0] = min_t(size_t, count, JAILHOUSE_CONSOLE_SIZE - offs[0]);
	offs[1] = 0;
	len[1] = count - len[0];
}

/* Copies @count bytes from ring index @from to the kernel buffer @dst. */
static void console_copy_to_kernel(const struct jailhouse_console_page *page,
				   u32 from, size_t count, char *dst)
{
	size_t offs[2], len[2];

	console_pieces(from, count, offs, len);
	memcpy(dst, page->content + offs[0], len[0]);
	memcpy(dst + len[0], page->content + offs[1], len[1]);
}

/* Copies @count bytes from ring index @from to the user buffer @dst. */
static int console_copy_to_user(const struct jailhouse_console_page *page,
				u32 from, size_t count, char __user *dst)
{
	size_t offs[2], len[2];

	console_pieces(from, count, offs, len);
	if (copy_to_user(dst, page->content + offs[0], len[0]) ||
	    copy_to_user(dst + len[0], page->content + offs[1], len[1]))
		return -EFAULT;
	return 0;
}

/* Replaces the saved copy by the content of @ring, then unmaps it. */
static void console_save_and_unmap(struct jailhouse_console_page *ring)
{
	if (console_fetch_ring(ring, &console_copy)) {
		pr_warn("console ring stayed busy, its last content is lost\n");
		memset(&console_copy, 0, sizeof(console_copy));
	}
	memunmap(ring);
}

static struct jailhouse_console_page *console_map(phys_addr_t page)
{
	struct jailhouse_console_page *mapped;

	mapped = memremap(page, sizeof(*mapped), MEMREMAP_WB);
	if (!mapped)
		pr_err("cannot map the hypervisor's console page at %pa\n",
		       &page);
	return mapped;
}

/**
 * jailhouse_console_start() - Serve the console of a running hypervisor.
 * @page:	physical address of its console page
 *
 * Called with jailhouse_state_sem held for writing.
 *
 * Return: 0, or -ENOMEM if the page cannot be mapped (the console then shows
 * the output of the previous session).
 */
int jailhouse_console_start(phys_addr_t page)
{
	console_page = console_map(page);
	if (!console_page)
		return -ENOMEM;
	console_session++;
	return 0;
}

/**
 * jailhouse_console_capture() - Keep what a failed start left in the ring.
 * @page:	physical address of the console page
 *
 * The hypervisor memory is Linux's again, so the page can be read.  Called
 * with jailhouse_state_sem held for writing.
 */
void jailhouse_console_capture(phys_addr_t page)
{
	struct jailhouse_console_page *mapped = console_map(page);

	if (!mapped)
		return;
	console_save_and_unmap(mapped);
	console_session++;
}

/**
 * jailhouse_console_stop() - Keep the console of a hypervisor that stopped.
 *
 * Called with jailhouse_state_sem held for writing.
 */
void jailhouse_console_stop(void)
{
	struct jailhouse_console_page *page = console_page;

	if (!page)
		return;
	console_page = NULL;
	console_save_and_unmap(page);
}

/**
 * jailhouse_console_show() - The console ring, oldest byte first.
 * @buf:	sysfs buffer, a page
 *
 * Return: bytes written to @buf or a negative errno.
 */
ssize_t jailhouse_console_show(char *buf)
{
	struct jailhouse_console_page *copy;
	ssize_t ret;
	u32 first;

	copy = kmalloc(sizeof(*copy), GFP_KERNEL);
	if (!copy)
		return -ENOMEM;

	ret = down_read_killable(&jailhouse_state_sem);
	if (ret)
		goto out;
	ret = console_fetch(copy);
	up_read(&jailhouse_state_sem);
	if (ret)
		goto out;

	first = console_first(copy);
	ret = copy->tail - first;
	console_copy_to_kernel(copy, first, ret, buf);
out:
	kfree(copy);
	return ret;
}

/**
 * jailhouse_console_read() - read() on /dev/jailhouse.
 * @file:	the open device
 * @out:	user buffer
 * @count:	its size
 * @ppos:	the reader's position (session and ring index)
 *
 * Returns what the hypervisor wrote since the last read; a reader that fell
 * behind by more than the ring skips to the oldest byte still there.  Blocks
 * until there is something to return unless the file is O_NONBLOCK.
 *
 * Return: bytes read, 0 if the file is O_NONBLOCK and there is nothing
 * new (ABI.md, section 4), or a negative errno.
 */
ssize_t jailhouse_console_read(struct file *file, char __user *out,
			       size_t count, loff_t *ppos)
{
	struct jailhouse_console_page *copy;
	u32 session, first, from, avail;
	ssize_t ret;

	if (!count)
		return 0;

	copy = kmalloc(sizeof(*copy), GFP_KERNEL);
	if (!copy)
		return -ENOMEM;

	for (;;) {
		ret = down_read_killable(&jailhouse_state_sem);
		if (ret)
			goto out;
		ret = console_fetch(copy);
		session = console_session;
		up_read(&jailhouse_state_sem);

		if (!ret) {
			first = console_first(copy);
			from = (u32)*ppos;
			if ((u64)*ppos >> 32 != session ||
			    copy->tail - from > copy->tail - first)
				from = first;
			avail = copy->tail - from;
			if (avail)
				break;
		}

		/* Nothing new: end of file, so that a reader stops there. */
		if (file->f_flags & O_NONBLOCK) {
			ret = 0;
			goto out;
		}
		if (schedule_timeout_interruptible(CONSOLE_POLL_INTERVAL) ||
		    signal_pending(current)) {
			ret = -ERESTARTSYS;
			goto out;
		}
	}

	count = min_t(size_t, count, avail);
	ret = console_copy_to_user(copy, from, count, out);
	if (ret)
		goto out;
	*ppos = ((u64)session << 32) | (u32)(from + count);
	ret = count;
out:
	kfree(copy);
	return ret;
}
