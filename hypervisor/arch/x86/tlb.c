// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor's own translations (hv_paging) in the TLBs of all CPUs.
 *
 * x86 has no broadcast invalidation here (INVLPGB is not on every CPU this
 * runs on), and host-mode translations (ASID 0) survive VMRUN and #VMEXIT,
 * so a translation that one CPU removes can live on in another CPU's TLB.
 * At run time only the remap pool changes (hypervisor/paging.c: remap(),
 * paging_map_guest(), paging_unmap_device()), and what it unmaps it hands
 * out again: a CPU that once used a virtual address of the pool could reach
 * the page of an earlier mapping through it when it uses the address's
 * next mapping.  Interrupting the other CPUs to flush is not possible
 * either: the hypervisor runs with GIF clear, a CPU spinning in the
 * hypervisor on a lock the flushing CPU holds would never answer.
 *
 * Instead, every flush that removes or changes translations counts
 * hv_generation and flushes the calling CPU only.  A CPU whose seen
 * generation is G holds none of the translations that the first G counted
 * flushes removed; a CPU that finds the count beyond its own flushes all
 * of its non-global TLB, the paging-structure caches with it (CR3 reload:
 * the hypervisor's mappings are not global and have PCID 0), and takes
 * the count it read before.  That is x86_hv_tlb_sync().
 *
 * The rule: a CPU uses a mapping only after a sync that came after the
 * mapping was made.  Then it holds no older translation of the mapping's
 * virtual range: the range's previous mapping was removed and counted
 * before the range went back to the pool, so before it was handed out
 * again, before the new mapping was made, before that sync, which saw the
 * count and flushed if its CPU had not flushed for it yet.  The syncs:
 *
 * 1. every exit into the hypervisor, before any handler (svm.c): a CPU
 *    reaches, in an exit, mappings made before its guest left (a cell's
 *    sub-pages and ivshmem state tables are made when it is created,
 *    before its CPUs start; the devices' at enable);
 * 2. a CPU's start from the park (control.c), after its wait for others;
 * 3. a management call once it is the caller's, and the disabling CPU
 *    (arch_paging_sync(), hypervisor/control.c): they may follow another
 *    CPU's management call without an exit in between, and use what that
 *    call mapped (another CPU's create made the state table of a link,
 *    which this call writes when it resets or unlinks a peer);
 * 4. every new mapping, on the CPU that makes it, before it is used
 *    (paging_create() "flushes" with size 0 for it): its range may have
 *    been another mapping a moment ago, that this CPU used.
 *
 * All run-time changes of the pool happen in management calls (one at a
 * time) and at enable and disable.  A mapping that some day were made
 * outside a management call and published to CPUs already in the
 * hypervisor would need a sync after whatever publishes it.
 *
 * No CPU waits for another: a change costs every other CPU one full flush
 * of its hypervisor TLB, at its next exit; a sync that finds nothing to do
 * is one load.
 */
#include <jailhouse/paging.h>
#include <asm/paging.h>
#include <asm/processor.h>

/* Larger ranges are flushed as a whole. */
#define FLUSH_PAGES_MAX		64

/*
 * The flushes that removed or changed translations of hv_paging so far:
 * every exit reads it, in a cache line of its own.
 */
static unsigned long hv_generation __attribute__((aligned(64)));

/* Everything non-global of the calling CPU, paging-structure caches too. */
static void flush_all(void)
{
	write_cr3(read_cr3());
}

/**
 * x86_hv_tlb_sync() - drop what other CPUs removed from hv_paging
 * @seen:	the calling CPU's generation (struct arch_per_cpu)
 *
 * Flushes the calling CPU's TLB if some CPU removed translations since it
 * last flushed for them; see the rule above for where it is called.
 */
void x86_hv_tlb_sync(unsigned long *seen)
{
	unsigned long generation = __atomic_load_n(&hv_generation,
						   __ATOMIC_ACQUIRE);

	if (generation == *seen)
		return;
	flush_all();
	*seen = generation;
}

/**
 * x86_hv_tlb_flush() - hv_paging's flush_tlb: after a change of [@virt,
 *			@virt + @size)
 * @seen:	the calling CPU's generation
 * @virt:	start of the range whose translations were removed or changed
 * @size:	its size; 0 after new entries only, which the calling CPU is
 *		about to use (rule 4)
 *
 * The range goes from the calling CPU's TLB at once, from the others' at
 * their next sync.
 */
void x86_hv_tlb_flush(unsigned long *seen, unsigned long virt,
		      unsigned long size)
{
	unsigned long generation, addr;

	if (!size) {
		x86_hv_tlb_sync(seen);
		return;
	}
	/* after the entries changed: whoever sees the count flushes them */
	generation = __atomic_fetch_add(&hv_generation, 1, __ATOMIC_SEQ_CST);
	if (size > FLUSH_PAGES_MAX * PAGE_SIZE) {
		/* the earlier counts' entries changed before: all of them */
		flush_all();
		*seen = generation + 1;
		return;
	}
	for (addr = virt; addr < virt + size; addr += PAGE_SIZE)
		invlpg(addr);
	/* clean of the earlier counts only if it was already */
	if (*seen == generation)
		*seen = generation + 1;
}
