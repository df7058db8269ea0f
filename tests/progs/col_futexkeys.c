// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * col_futexkeys N [P]: one thread waits once on each of N distinct futex
 * words for 50 us: N timed-out waits on N distinct (word, waiter) keys. A
 * wait blocked if the thread slept in it (its own nvcsw went up, getrusage
 * RUSAGE_THREAD): nearly all, but one whose timer fired before it got to
 * sleep did not. Prints "timedout=T slept=S other=O". With P, P child
 * processes one after another do it, each printing its line: P * N keys,
 * N at most alive at once.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long nvcsw(void)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	return ru.ru_nvcsw;
}

/* N timed waits on N distinct words: the counts line */
static int waits(long n)
{
	long timedout = 0, slept = 0, other = 0;
	int *words = calloc(n, sizeof(*words));
	struct timespec t = { 0, 50000 };

	if (!words)
		return 2;
	prctl(PR_SET_TIMERSLACK, 1);	/* 50 us, not 100 */
	for (long i = 0; i < n; i++) {
		long before = nvcsw();
		long r = syscall(SYS_futex, &words[i], FUTEX_WAIT_PRIVATE, 0, &t, NULL, 0);

		slept += nvcsw() > before;
		if (r == -1 && errno == ETIMEDOUT)
			timedout++;
		else
			other++;
	}
	printf("timedout=%ld slept=%ld other=%ld\n", timedout, slept, other);
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000, procs = argc > 2 ? atol(argv[2]) : 0;
	int status;

	if (!procs)
		return waits(n);
	for (long p = 0; p < procs; p++) {
		pid_t pid;

		fflush(stdout);
		pid = fork();
		if (pid < 0)
			return 2;
		if (!pid)
			exit(waits(n));
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
			return 2;
	}
	return 0;
}
