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
 * is read just before the command is started and just after it was reaped.
 * vfork(), whose child only execs: the time is the command's, not that of
 * copying this program's address space (fork()), nor that of glibc's
 * posix_spawn() resetting every signal in the child (about 1 ms more on
 * the ZCU102 model).
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

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
	int status, code;
	pid_t pid;

	if (argc < 2) {
		printf("cntvct-run: now %llu freq %llu\n", counter(),
		       frequency());
		return 0;
	}

	fflush(stdout);
	start = counter();
	pid = vfork();
	if (pid < 0) {
		perror("cntvct-run: vfork");
		return 127;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		_exit(127);
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
