// SPDX-License-Identifier: GPL-2.0
/*
 * cntvct-run: run a command and say how long it took in guest time, read
 * from the generic timer's virtual counter (CNTVCT_EL0, which Linux lets
 * EL0 read), so that bench/management.py times the management commands in
 * the root cell with the clock the cells see as well.
 *
 * usage: cntvct-run COMMAND [ARG...]   run COMMAND, then print
 *            "cntvct-run: start S end E freq F status N"
 *        cntvct-run                    print "cntvct-run: now S freq F"
 *
 * S and E are counter values (CNTVCT_EL0), F its rate (CNTFRQ_EL0), N the
 * command's exit status (128 + signal if a signal ended it).  The counter
 * is read just before the command is spawned and just after it was reaped.
 * posix_spawn() (a vfork, in glibc) rather than fork(): the time is the
 * command's, not that of copying this program's address space.
 */
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static unsigned long long counter(void)
{
	unsigned long long val;

	/* not read ahead of what came before */
	asm volatile("isb; mrs %0, cntvct_el0" : "=r" (val) : : "memory");
	return val;
}

static unsigned long long frequency(void)
{
	unsigned long long val;

	asm volatile("mrs %0, cntfrq_el0" : "=r" (val));
	return val;
}

int main(int argc, char *argv[])
{
	unsigned long long start, end;
	int status, code, err;
	pid_t pid;

	if (argc < 2) {
		printf("cntvct-run: now %llu freq %llu\n", counter(),
		       frequency());
		return 0;
	}

	fflush(stdout);
	start = counter();
	err = posix_spawnp(&pid, argv[1], NULL, NULL, argv + 1, environ);
	if (err) {
		fprintf(stderr, "cntvct-run: %s: %s\n", argv[1], strerror(err));
		return 127;
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("cntvct-run: waitpid");
		return 127;
	}
	end = counter();

	code = WIFEXITED(status) ? WEXITSTATUS(status) :
		128 + WTERMSIG(status);
	printf("cntvct-run: start %llu end %llu freq %llu status %d\n",
	       start, end, frequency(), code);
	return code;
}
