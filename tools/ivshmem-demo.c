// SPDX-License-Identifier: GPL-2.0
/*
 * ivshmem-demo - the root cell's end of an ivshmem link, through the UIO
 * device of uio_ivshmem.ko: prints this peer's id, the number of peers and
 * the state table, sets this peer's state, rings the doorbells of the
 * other peers that are up (state not 0) and counts the interrupts it
 * receives (doorbells and state changes of the others).  On exit the state
 * goes back to 0: this peer leaves the link.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
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

static const char *progname = "ivshmem-demo";
static volatile sig_atomic_t stop;

struct link {
	char uio[32];			/* uioN */
	int fd;
	volatile uint32_t *regs;
	const volatile uint32_t *state_table;
	uint32_t id;
	uint32_t peers;
	uint32_t first_event;		/* UIO's count when opened */
};

struct options {
	const char *device;
	uint32_t state;
	bool state_given;
	unsigned long rounds;
	unsigned long interval_ms;
	unsigned long receive;
	unsigned long timeout_s;
};

static void usage(int status)
{
	FILE *out = status ? stderr : stdout;

	fprintf(out,
		"Usage: %s [OPTIONS] [DEVICE]\n"
		"\n"
		"The root cell's end of an ivshmem link (uio_ivshmem): prints its\n"
		"id, the peers and the state table, sets its state, rings the\n"
		"doorbells of the peers that are up and counts the interrupts it\n"
		"receives.\n"
		"\n"
		"DEVICE is /dev/uioN or the device's PCI address (0001:00:00.0);\n"
		"default: the first device of %s.\n"
		"\n"
		"  -s, --state=N      the state to set (default: id + 1)\n"
		"  -n, --rounds=N     rounds of doorbells to ring (default 10)\n"
		"  -i, --interval=MS  between rounds (default 100)\n"
		"  -r, --receive=N    run until N interrupts came in (default 0)\n"
		"  -t, --timeout=S    give up after S seconds (default 10)\n"
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
		if (!found || strlen(de->d_name) < strlen(uio) ||
		    (strlen(de->d_name) == strlen(uio) &&
		     strcmp(de->d_name, uio) < 0)) {
			snprintf(uio, size, "%s", de->d_name);
			found = true;
		}
	}
	closedir(dir);
	return found;
}

/*
 * Maps the UIO map called @name, read-only unless @writable; its size
 * into @size if not NULL.  NULL if the device has no such map.
 */
static void *map_by_name(const struct link *link, const char *name,
			 bool writable, size_t *size)
{
	char path[PATH_MAX], buf[64];
	unsigned long long length;
	unsigned int n;
	void *addr;

	for (n = 0; n < MAX_MAPS; n++) {
		snprintf(path, sizeof(path), UIO_CLASS "/%s/maps/map%u/name",
			 link->uio, n);
		if (!read_attr(path, buf, sizeof(buf)))
			break;
		if (strcmp(buf, name) != 0)
			continue;
		snprintf(path, sizeof(path), UIO_CLASS "/%s/maps/map%u/size",
			 link->uio, n);
		if (!read_attr(path, buf, sizeof(buf)))
			break;
		length = strtoull(buf, NULL, 0);
		addr = mmap(NULL, length,
			    PROT_READ | (writable ? PROT_WRITE : 0),
			    MAP_SHARED, link->fd, (off_t)n * getpagesize());
		if (addr == MAP_FAILED) {
			fprintf(stderr, "%s: cannot map %s of /dev/%s: %s\n",
				progname, name, link->uio, strerror(errno));
			exit(1);
		}
		if (size)
			*size = length;
		return addr;
	}
	return NULL;
}

static void open_link(struct link *link, const char *device)
{
	char path[PATH_MAX], buf[32];
	size_t size;

	if (!find_uio(device, link->uio, sizeof(link->uio))) {
		fprintf(stderr, "%s: %s is no %s device (modprobe %s?)\n",
			progname, device ? device : "there",
			UIO_DRIVER, UIO_DRIVER);
		exit(1);
	}
	snprintf(path, sizeof(path), "/dev/%s", link->uio);
	link->fd = open(path, O_RDWR);
	if (link->fd < 0) {
		fprintf(stderr, "%s: cannot open %s: %s\n", progname, path,
			strerror(errno));
		exit(1);
	}
	/* read() returns the count since the device was bound */
	snprintf(path, sizeof(path), UIO_CLASS "/%s/event", link->uio);
	if (!read_attr(path, buf, sizeof(buf))) {
		fprintf(stderr, "%s: cannot read %s\n", progname, path);
		exit(1);
	}
	link->first_event = strtoul(buf, NULL, 0);
	snprintf(path, sizeof(path), "/dev/%s", link->uio);
	link->regs = map_by_name(link, "registers", true, NULL);
	link->state_table = map_by_name(link, "state_table", false, &size);
	if (!link->regs || !link->state_table) {
		fprintf(stderr, "%s: %s lacks the registers or the state table\n",
			progname, path);
		exit(1);
	}
	link->id = link->regs[IVSHMEM_REG_ID / 4];
	link->peers = link->regs[IVSHMEM_REG_MAX_PEERS / 4];
	if (link->peers > size / sizeof(uint32_t) || link->id >= link->peers) {
		fprintf(stderr, "%s: %s: peer %u of %u does not fit the state table\n",
			progname, path, link->id, link->peers);
		exit(1);
	}
}

static void print_state_table(const struct link *link)
{
	uint32_t n;

	printf("%s: state table:", progname);
	for (n = 0; n < link->peers; n++)
		printf(" [%u]=%u", n, link->state_table[n]);
	printf("\n");
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Rings every other peer that is up; returns how many. */
static unsigned int ring_round(const struct link *link, unsigned long round,
			       unsigned long *sent)
{
	unsigned int count = 0;
	uint32_t peer;

	printf("%s: round %lu: doorbell to", progname, round);
	for (peer = 0; peer < link->peers; peer++) {
		if (peer == link->id || link->state_table[peer] == 0)
			continue;
		link->regs[IVSHMEM_REG_DOORBELL / 4] =
			IVSHMEM_DOORBELL(peer, 0);
		sent[peer]++;
		count++;
		printf(" %u", peer);
	}
	printf("%s\n", count ? "" : " nobody: no other peer is up");
	return count;
}

/* Enables the interrupt again (one-shot mode disabled it). */
static void enable_interrupt(const struct link *link)
{
	uint32_t on = 1;

	if (write(link->fd, &on, sizeof(on)) != sizeof(on)) {
		fprintf(stderr, "%s: cannot enable the interrupt: %s\n",
			progname, strerror(errno));
		exit(1);
	}
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int run(const struct link *link, const struct options *opt)
{
	uint64_t start = now_ms(), deadline, next_round = start, now;
	unsigned long rounds = 0, received = 0, total = 0;
	unsigned long sent[IVSHMEM_MAX_PEERS] = { 0 };
	struct pollfd pfd = { .fd = link->fd, .events = POLLIN };
	uint32_t events, peer;
	const char *sep = "";
	int timeout, ret;

	deadline = start + opt->timeout_s * 1000;
	enable_interrupt(link);
	while (!stop && (rounds < opt->rounds || received < opt->receive)) {
		now = now_ms();
		if (now >= deadline)
			break;
		if (rounds < opt->rounds && now >= next_round) {
			total += ring_round(link, ++rounds, sent);
			next_round = now + opt->interval_ms;
			continue;
		}
		timeout = (int)((rounds < opt->rounds ? next_round : deadline)
				- now);
		ret = poll(&pfd, 1, timeout);
		if (ret < 0 && errno != EINTR) {
			perror("poll");
			return 1;
		}
		if (ret <= 0)
			continue;
		if (read(link->fd, &events, sizeof(events)) !=
		    sizeof(events)) {
			perror("read");
			return 1;
		}
		enable_interrupt(link);
		/* UIO counts since the device was bound */
		received = events - link->first_event;
		printf("%s: interrupt %lu;", progname, received);
		for (peer = 0; peer < link->peers; peer++)
			printf(" [%u]=%u", peer, link->state_table[peer]);
		printf("\n");
	}

	printf("%s: sent %lu doorbells (", progname, total);
	for (peer = 0; peer < link->peers; peer++) {
		if (peer == link->id)
			continue;
		printf("%speer %u: %lu", sep, peer, sent[peer]);
		sep = ", ";
	}
	printf("), received %lu interrupts\n", received);
	print_state_table(link);
	if (received < opt->receive) {
		fprintf(stderr, "%s: %lu of %lu interrupts received in %lu s\n",
			progname, received, opt->receive, opt->timeout_s);
		return 1;
	}
	return stop ? 1 : 0;
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "rounds", required_argument, NULL, 'n' },
		{ "interval", required_argument, NULL, 'i' },
		{ "receive", required_argument, NULL, 'r' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct options opt = {
		.rounds = 10,
		.interval_ms = 100,
		.timeout_s = 10,
	};
	struct sigaction sa = { .sa_handler = on_signal };
	struct link link;
	int c, ret;

	while ((c = getopt_long(argc, argv, "s:n:i:r:t:h", longopts,
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
						   UINT32_MAX);
			break;
		case 't':
			opt.timeout_s = parse_number(optarg, "timeout",
						     INT_MAX / 1000);
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

	/* line by line, also into a pipe: a test reads along */
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	open_link(&link, opt.device);
	if (!opt.state_given)
		opt.state = link.id + 1;
	printf("%s: /dev/%s: peer %u of %u\n", progname, link.uio, link.id,
	       link.peers);
	print_state_table(&link);

	link.regs[IVSHMEM_REG_STATE / 4] = opt.state;
	printf("%s: state %u\n", progname, opt.state);

	ret = run(&link, &opt);

	link.regs[IVSHMEM_REG_STATE / 4] = 0;
	printf("%s: state 0, done\n", progname);
	return ret;
}
