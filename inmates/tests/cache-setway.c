// SPDX-License-Identifier: GPL-2.0
/*
 * cache-setway: data cache maintenance by set/way, which would act on the
 * caches of the whole system were it not trapped (HCR_EL2.TSW).
 *
 * Command line: op=isw|csw|cisw (isw: invalidate, the harmful one),
 * levels=N (cache levels from L1 up, 1; at most the level of coherency).
 *
 * Contained: the cell survives ("result") or is parked, and the root and
 * other cells run on with their data intact.
 */
#include <inmate.h>

#define CLIDR_LOC(clidr)		(((clidr) >> 24) & 0x7)
#define CLIDR_CTYPE(clidr, level)	(((clidr) >> (3 * (level))) & 0x7)
/* Ctype 2: data only, 3: separate instruction and data, 4: unified */
#define CTYPE_DATA			2

static void set_way_op(const char *op, u64 val)
{
	if (strncmp(op, "csw", 4) == 0)
		asm volatile("dc csw, %0" : : "r" (val) : "memory");
	else if (strncmp(op, "cisw", 5) == 0)
		asm volatile("dc cisw, %0" : : "r" (val) : "memory");
	else
		asm volatile("dc isw, %0" : : "r" (val) : "memory");
}

/* Sets, ways and line size of a level, with or without FEAT_CCIDX */
static void cache_geometry(unsigned int level, u64 *sets, u64 *ways,
			   unsigned int *line_shift)
{
	bool ccidx = (read_sysreg(id_aa64mmfr2_el1) >> 20) & 0xf;
	u64 ccsidr;

	write_sysreg(csselr_el1, level << 1);
	isb();
	ccsidr = read_sysreg(ccsidr_el1);
	*line_shift = (ccsidr & 0x7) + 4;
	if (ccidx) {
		*ways = ((ccsidr >> 3) & 0x1fffff) + 1;
		*sets = ((ccsidr >> 32) & 0xffffff) + 1;
	} else {
		*ways = ((ccsidr >> 3) & 0x3ff) + 1;
		*sets = ((ccsidr >> 13) & 0x7fff) + 1;
	}
}

void inmate_main(void)
{
	unsigned int levels = cmdline_parse_int("levels", 1);
	u64 clidr = read_sysreg(clidr_el1);
	unsigned long ops = 0;
	unsigned int level, line_shift, way_shift;
	u64 sets, ways, set, way;
	char op[8];

	cmdline_parse_str("op", op, sizeof(op), "isw");
	if (levels > CLIDR_LOC(clidr))
		levels = CLIDR_LOC(clidr);

	printk("TEST cache-setway: trying dc %s on %u cache level(s)\n", op,
	       levels);
	for (level = 0; level < levels; level++) {
		if (CLIDR_CTYPE(clidr, level) < CTYPE_DATA)
			continue;
		cache_geometry(level, &sets, &ways, &line_shift);
		way_shift = ways > 1 ? __builtin_clz(ways - 1) : 0;
		for (way = 0; way < ways; way++)
			for (set = 0; set < sets; set++, ops++)
				set_way_op(op, way << way_shift |
					   set << line_shift | level << 1);
	}
	dsb(sy);
	printk("TEST cache-setway: result %lu dc %s operations done\n", ops,
	       op);
}
