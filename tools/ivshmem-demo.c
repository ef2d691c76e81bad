// SPDX-License-Identifier: GPL-2.0
/*
 * ivshmem-demo - the root cell's peer of an ivshmem link, through the UIO
 * device of uio_ivshmem.ko; the partner of the bare-metal ivshmem-demo
 * (inmates/demos/ivshmem-demo.c), whose protocol and output it follows.
 *
 * It prints this peer's id, the number of peers, the shared memory and
 * the state table, sets its state, rings the doorbell of every other peer
 * that is up (state not 0) once a round, and reports the doorbells and
 * state changes it sees.  On exit its state goes back to 0: it leaves the
 * link.
 *
 * The protocol of a link of ivshmem-demos, in each peer's output section
 * (little-endian u32 words, peer ids 0..15):
 *
 *   0x00  rung[16]    doorbells this peer rang at peer n
 *   0x40  heard[16]   doorbells it counted from peer n
 *   0x80  seen[16]    the last state it saw of peer n
 *   0xc0  interrupts  interrupts it took
 *
 * A peer zeroes its section before it sets its state.  An interrupt only
 * says that something changed: the doorbells from peer n are the growth
 * of n's rung[] entry for this peer since n's state last went up from 0
 * (a count anew), or since this peer's start, so that interrupts that
 * came together lose no count.  A link without output sections large
 * enough is run without counts: then the interrupts are all there is.
 *
 * Output, each line starting with "ivshmem-demo: ", as the bare-metal
 * demo's where they say the same:
 *   /dev/uioN, PCI DDDD:BB:DD.F: id N, max peers M
 *   shared memory: state table 0xS at 0xADDR, read/write section 0xS,
 *	output sections 0xS, mine at 0xADDR
 *   states: S0 S1 ...
 *   setting state S
 *   peer N state A -> B
 *   doorbell from peer N (C in all)
 *   rang peer N (C in all)
 *   done ringing: D doorbells in R rounds, heard H, I interrupts
 *   states: S0 S1 ...			(as it ends)
 *   setting state 0, leaving
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <jailhouse/ivshmem.h>

#define UIO_CLASS	"/sys/class/uio"
#define PCI_DEVICES	"/sys/bus/pci/devices"
#define UIO_DRIVER	"uio_ivshmem"
/* MAX_UIO_MAPS of the kernel */
#define MAX_MAPS	5

struct demo_output {
	uint32_t rung[IVSHMEM_MAX_PEERS];
	uint32_t heard[IVSHMEM_MAX_PEERS];
	uint32_t seen[IVSHMEM_MAX_PEERS];
	uint32_t interrupts;
};

struct map {
	void *addr;
	size_t size;
	unsigned long long phys;
};

struct link {
	char uio[32];			/* uioN */
	char pci[32];			/* its PCI address */
	int fd;
	uint32_t first_event;		/* UIO's count when opened */
	volatile uint32_t *regs;
	const volatile uint32_t *state_table;
	uint32_t id;
	uint32_t peers;
	/* the demos' counts, NULL without output sections to keep them */
	const volatile struct demo_output *outputs[IVSHMEM_MAX_PEERS];
	volatile struct demo_output *mine;
	/* rung[id] of each peer when its count started */
	uint32_t base[IVSHMEM_MAX_PEERS];
	uint32_t interrupts;
	bool quiet;
	bool gone;			/* the device was removed */
};

struct options {
	const char *device;
	uint32_t state;
	bool state_given;
	unsigned long rounds;
	unsigned long interval_ms;
	unsigned long receive;
	unsigned long timeout_s;
	bool quiet;
};

static const char *progname = "ivshmem-demo";
static volatile sig_atomic_t stop;

static void usage(int status)
{
	FILE *out = status ? stderr : stdout;

	fprintf(out,
		"Usage: %s [OPTIONS] [DEVICE]\n"
		"\n"
		"The root cell's peer of an ivshmem link (uio_ivshmem): prints its\n"
		"id, the peers and the state table, sets its state, rings the\n"
		"doorbells of the peers that are up and reports the doorbells and\n"
		"state changes it sees; the partner of the bare-metal ivshmem-demo.\n"
		"\n"
		"DEVICE is /dev/uioN or the device's PCI address (0001:00:00.0);\n"
		"default: the first device of %s.\n"
		"\n"
		"  -s, --state=N      the state to set (default: id + 1)\n"
		"  -n, --rounds=N     rounds of doorbells (default 10)\n"
		"  -i, --interval=MS  between rounds (default 100)\n"
		"  -r, --receive=N    run until N doorbells were heard (default 0)\n"
		"  -t, --timeout=S    give up after S seconds (default 10)\n"
		"  -q, --quiet        no line per doorbell or state change\n"
		"  -h, --help\n",
		progname, UIO_DRIVER);
	exit(status);
}

static unsigned long parse_number(const char *arg, const char *what,
				  unsigned long max)
{
	unsigned long value;
	char *end;

	errno = 0;
	value = strtoul(arg, &end, 0);
	if (errno || end == arg || *end || arg[0] == '-' || value > max) {
		fprintf(stderr, "%s: invalid %s \"%s\"\n", progname, what,
			arg);
		exit(2);
	}
	return value;
}

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Reads the first line of a sysfs file into @buf; false if there is none. */
static bool read_attr(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, size, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

static bool is_ivshmem_uio(const char *uio)
{
	char path[PATH_MAX], name[64];

	snprintf(path, sizeof(path), UIO_CLASS "/%s/name", uio);
	return read_attr(path, name, sizeof(name)) &&
		strcmp(name, UIO_DRIVER) == 0;
}

/* Whether uio @a comes before uio @b: by number, uio2 before uio10. */
static bool uio_before(const char *a, const char *b)
{
	return strlen(a) < strlen(b) ||
		(strlen(a) == strlen(b) && strcmp(a, b) < 0);
}

/* The uioN of @device (see usage()) into @uio; false if there is none. */
static bool find_uio(const char *device, char *uio, size_t size)
{
	char path[PATH_MAX];
	struct dirent *de;
	bool found = false;
	DIR *dir;

	if (device && strncmp(device, "/dev/", 5) == 0) {
		snprintf(uio, size, "%s", device + 5);
		return is_ivshmem_uio(uio);
	}
	if (device)
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/uio", device);
	else
		snprintf(path, sizeof(path), UIO_CLASS);
	dir = opendir(path);
	if (!dir)
		return false;
	/* the lowest number, so that the default is stable */
	while ((de = readdir(dir))) {
		if (strncmp(de->d_name, "uio", 3) != 0 ||
		    !is_ivshmem_uio(de->d_name))
			continue;
		if (!found || uio_before(de->d_name, uio)) {
			snprintf(uio, size, "%s", de->d_name);
			found = true;
		}
	}
	closedir(dir);
	return found;
}

/*
 * Maps the UIO map called @name, read-only unless @writable, into @map.
 * False if the device has no such map.
 */
static bool map_by_name(const struct link *link, const char *name,
			bool writable, struct map *map)
{
	char path[PATH_MAX], buf[64];
	unsigned int n;

	for (n = 0; n < MAX_MAPS; n++) {
		snprintf(path, sizeof(path), UIO_CLASS "/%s/maps/map%u/name",
			 link->uio, n);
		if (!read_attr(path, buf, sizeof(buf)))
			return false;
		if (strcmp(buf, name) == 0)
			break;
	}
	if (n == MAX_MAPS)
		return false;

	snprintf(path, sizeof(path), UIO_CLASS "/%s/maps/map%u/size",
		 link->uio, n);
	if (!read_attr(path, buf, sizeof(buf)))
		return false;
	map->size = strtoull(buf, NULL, 0);
	snprintf(path, sizeof(path), UIO_CLASS "/%s/maps/map%u/addr",
		 link->uio, n);
	if (!read_attr(path, buf, sizeof(buf)))
		return false;
	map->phys = strtoull(buf, NULL, 0);

	/* the UIO device's maps are at page offsets of their index */
	map->addr = mmap(NULL, map->size,
			 PROT_READ | (writable ? PROT_WRITE : 0), MAP_SHARED,
			 link->fd, (off_t)n * getpagesize());
	if (map->addr == MAP_FAILED)
		die("cannot map %s of /dev/%s: %s", name, link->uio,
		    strerror(errno));
	return true;
}

static void open_device(struct link *link, const char *device)
{
	char path[PATH_MAX], target[PATH_MAX], buf[32];
	ssize_t len;

	if (!find_uio(device, link->uio, sizeof(link->uio)))
		die("%s is no %s device (modprobe %s?)",
		    device ? device : "there", UIO_DRIVER, UIO_DRIVER);

	snprintf(path, sizeof(path), UIO_CLASS "/%s/device", link->uio);
	len = readlink(path, target, sizeof(target) - 1);
	target[len > 0 ? len : 0] = '\0';
	snprintf(link->pci, sizeof(link->pci), "%s",
		 strrchr(target, '/') ? strrchr(target, '/') + 1 : "?");

	snprintf(path, sizeof(path), "/dev/%s", link->uio);
	link->fd = open(path, O_RDWR);
	if (link->fd < 0)
		die("cannot open %s: %s", path, strerror(errno));
	/* read() returns the count since the device was bound */
	snprintf(path, sizeof(path), UIO_CLASS "/%s/event", link->uio);
	if (!read_attr(path, buf, sizeof(buf)))
		die("cannot read %s", path);
	link->first_event = strtoul(buf, NULL, 0);
}

static void map_link(struct link *link)
{
	struct map regs, state, rw = { 0 }, in, out;
	bool counts;
	uint32_t n;

	if (!map_by_name(link, "registers", true, &regs) ||
	    !map_by_name(link, "state_table", false, &state))
		die("/dev/%s lacks the registers or the state table",
		    link->uio);
	link->regs = regs.addr;
	link->state_table = state.addr;
	link->id = link->regs[IVSHMEM_REG_ID / 4];
	link->peers = link->regs[IVSHMEM_REG_MAX_PEERS / 4];
	printf("%s: /dev/%s, PCI %s: id %u, max peers %u\n", progname,
	       link->uio, link->pci, link->id, link->peers);
	if (link->peers > IVSHMEM_MAX_PEERS || link->id >= link->peers ||
	    link->peers > state.size / sizeof(uint32_t))
		die("id or peers out of range");

	map_by_name(link, "rw_section", true, &rw);
	counts = map_by_name(link, "input_sections", false, &in) &&
		map_by_name(link, "output_section", true, &out) &&
		out.size >= sizeof(struct demo_output);
	printf("%s: shared memory: state table %#zx at %#llx, read/write section %#zx, output sections %#zx, mine at %#llx\n",
	       progname, state.size, state.phys, rw.size,
	       counts ? out.size : 0, counts ? out.phys : 0);
	if (!counts) {
		printf("%s: no output sections for the counts: interrupts only\n",
		       progname);
		return;
	}
	for (n = 0; n < link->peers; n++)
		link->outputs[n] = (const volatile struct demo_output *)
			((const char *)in.addr + n * out.size);
	link->mine = out.addr;
}

static void print_states(const struct link *link)
{
	uint32_t n;

	printf("%s: states:", progname);
	for (n = 0; n < link->peers; n++)
		printf(" %u", link->state_table[n]);
	printf("\n");
}

/* Doorbells are counted from here on; no count of a peer that is gone. */
static void start_counts(struct link *link)
{
	volatile struct demo_output *mine = link->mine;
	uint32_t n;

	if (!mine)
		return;
	memset((void *)mine, 0, sizeof(*mine));
	for (n = 0; n < link->peers; n++) {
		mine->seen[n] = link->state_table[n];
		link->base[n] = link->state_table[n] ?
			link->outputs[n]->rung[link->id] : 0;
	}
}

/* Reports what changed since the last call: states, then doorbells. */
static void report(struct link *link)
{
	volatile struct demo_output *mine = link->mine;
	uint32_t n, state, rung;

	if (!mine)
		return;
	mine->interrupts = link->interrupts;
	for (n = 0; n < link->peers; n++) {
		if (n == link->id)
			continue;
		state = link->state_table[n];
		if (state != mine->seen[n]) {
			if (!link->quiet)
				printf("%s: peer %u state %u -> %u\n",
				       progname, n, mine->seen[n], state);
			/* a peer coming up has zeroed its counts: anew */
			if (!mine->seen[n]) {
				link->base[n] = 0;
				mine->heard[n] = 0;
			}
			mine->seen[n] = state;
		}
		if (!state)
			continue;
		/* the state before the counts it vouches for */
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		rung = link->outputs[n]->rung[link->id];
		/* it came again, its counts zeroed, between two looks */
		if (rung < link->base[n])
			link->base[n] = 0;
		if (rung - link->base[n] != mine->heard[n]) {
			mine->heard[n] = rung - link->base[n];
			if (!link->quiet)
				printf("%s: doorbell from peer %u (%u in all)\n",
				       progname, n, mine->heard[n]);
		}
	}
}

static unsigned long heard(const struct link *link)
{
	unsigned long sum = 0;
	uint32_t n;

	for (n = 0; link->mine && n < link->peers; n++)
		sum += link->mine->heard[n];
	return sum;
}

/* Rings every other peer that is up; returns how many. */
static unsigned int ring_round(struct link *link, unsigned long *sent)
{
	unsigned int count = 0;
	uint32_t peer;

	for (peer = 0; peer < link->peers; peer++) {
		if (peer == link->id || link->state_table[peer] == 0)
			continue;
		sent[peer]++;
		if (link->mine) {
			link->mine->rung[peer] = sent[peer];
			/*
			 * The count before the doorbell: the hypervisor
			 * makes what this CPU wrote visible to the target
			 * before its interrupt.
			 */
			__atomic_thread_fence(__ATOMIC_SEQ_CST);
		}
		link->regs[IVSHMEM_REG_DOORBELL / 4] =
			IVSHMEM_DOORBELL(peer, 0);
		if (!link->quiet)
			printf("%s: rang peer %u (%lu in all)\n", progname,
			       peer, sent[peer]);
		count++;
	}
	return count;
}

/* Enables the interrupt again (one-shot mode disabled it). */
static void enable_interrupt(const struct link *link)
{
	uint32_t on = 1;

	if (write(link->fd, &on, sizeof(on)) != sizeof(on))
		die("cannot enable the interrupt: %s", strerror(errno));
}

/* Takes the interrupts that came in; false if the device is gone. */
static bool take_interrupts(struct link *link)
{
	uint32_t events;

	if (read(link->fd, &events, sizeof(events)) != sizeof(events)) {
		fprintf(stderr, "%s: /dev/%s: %s\n", progname, link->uio,
			strerror(errno));
		link->gone = errno == EIO;
		return false;
	}
	enable_interrupt(link);
	link->interrupts = events - link->first_event;
	return true;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int run(struct link *link, const struct options *opt)
{
	uint64_t deadline = now_ms() + opt->timeout_s * 1000, next, now;
	unsigned long sent[IVSHMEM_MAX_PEERS] = { 0 };
	struct pollfd pfd = { .fd = link->fd, .events = POLLIN };
	unsigned long rounds = 0, rung = 0;
	int ret;

	next = now_ms();
	enable_interrupt(link);
	while (!stop) {
		report(link);
		now = now_ms();
		/* an interval after the last round, for the last doorbells */
		if (rounds == opt->rounds && now >= next &&
		    heard(link) >= opt->receive)
			return 0;
		if (now >= deadline) {
			fprintf(stderr, "%s: %lu of %lu doorbells heard in %lu s\n",
				progname, heard(link), opt->receive,
				opt->timeout_s);
			return 1;
		}
		if (rounds < opt->rounds && now >= next) {
			rung += ring_round(link, sent);
			next += opt->interval_ms;
			if (++rounds == opt->rounds)
				printf("%s: done ringing: %lu doorbells in %lu rounds, heard %lu, %u interrupts\n",
				       progname, rung, rounds, heard(link),
				       link->interrupts);
			continue;
		}
		ret = poll(&pfd, 1, (int)((next > now && next < deadline ?
					   next : deadline) - now));
		if (ret < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		if (ret > 0 && !take_interrupts(link))
			return 1;
	}
	return 1;
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "rounds", required_argument, NULL, 'n' },
		{ "interval", required_argument, NULL, 'i' },
		{ "receive", required_argument, NULL, 'r' },
		{ "timeout", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct options opt = {
		.rounds = 10,
		.interval_ms = 100,
		.timeout_s = 10,
	};
	struct sigaction sa = { .sa_handler = on_signal };
	struct link link = { 0 };
	int c, ret;

	while ((c = getopt_long(argc, argv, "s:n:i:r:t:qh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 's':
			opt.state = parse_number(optarg, "state", UINT32_MAX);
			opt.state_given = true;
			break;
		case 'n':
			opt.rounds = parse_number(optarg, "rounds", ULONG_MAX);
			break;
		case 'i':
			opt.interval_ms = parse_number(optarg, "interval",
						       INT_MAX);
			break;
		case 'r':
			opt.receive = parse_number(optarg, "count",
						   ULONG_MAX);
			break;
		case 't':
			opt.timeout_s = parse_number(optarg, "timeout",
						     INT_MAX / 1000);
			break;
		case 'q':
			opt.quiet = true;
			break;
		case 'h':
			usage(0);
			break;
		default:
			usage(2);
		}
	}
	if (argc - optind > 1)
		usage(2);
	opt.device = optind < argc ? argv[optind] : NULL;
	link.quiet = opt.quiet;

	/* line by line, also into a pipe: a test reads along */
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	open_device(&link, opt.device);
	map_link(&link);
	print_states(&link);
	start_counts(&link);

	if (!opt.state_given)
		opt.state = link.id + 1;
	/* before: what the change makes the others print comes after it */
	printf("%s: setting state %u\n", progname, opt.state);
	/* the zeroed counts before the state that tells they are new */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	link.regs[IVSHMEM_REG_STATE / 4] = opt.state;

	ret = run(&link, &opt);

	if (link.gone) {
		printf("%s: the device is gone\n", progname);
		return ret;
	}
	print_states(&link);
	printf("%s: setting state 0, leaving\n", progname);
	link.regs[IVSHMEM_REG_STATE / 4] = 0;
	return ret;
}
