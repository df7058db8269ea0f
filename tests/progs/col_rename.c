// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * col_rename N L: N threads pass a token around a ring L times, all on the
 * CPU the process starts on (SCHED_BATCH: a woken thread does not preempt
 * its waker). Thread i, at its turn of lap k (1..L), first renames itself
 * rn<i>-<k> (prctl) if k is odd, else sets its nice to k / 2 % 8, then
 * hands the token on (a futex word of the next thread) and waits for its
 * own. Its records from then until its next turn carry that name and prio
 * 120 + nice: the test that event records say a task's comm and prio anew
 * after either changed alone (bpf/stage.bpf.h leaves them out while they
 * stay the same; no thread renames itself in an even lap). More threads
 * than a stage remembers (EV_STAGE_SEEN, 16) share its slots. Prints
 * "tid=T i=I" a thread.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "col_batch.h"

#define MAX_N	64

static int word[MAX_N];		/* 1: thread i's turn */
static long tids[MAX_N];
static long n, laps;

static void wait_turn(int *w)
{
	while (!__atomic_load_n(w, __ATOMIC_ACQUIRE))
		if (syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0) &&
		    errno != EAGAIN && errno != EINTR)
			exit(2);
	__atomic_store_n(w, 0, __ATOMIC_RELAXED);
}

static void *ring(void *arg)
{
	long i = (long)arg;
	int *next = &word[(i + 1) % n];
	char name[32];	/* prctl keeps 15 bytes: these need at most 9 */

	tids[i] = syscall(SYS_gettid);
	for (long k = 1; k <= laps; k++) {
		wait_turn(&word[i]);
		snprintf(name, sizeof(name), "rn%d-%d", (int)i, (int)k);
		if (k % 2 ? prctl(PR_SET_NAME, name) : setpriority(PRIO_PROCESS, 0, k / 2 % 8))
			exit(2);
		__atomic_store_n(next, 1, __ATOMIC_RELEASE);
		if (syscall(SYS_futex, next, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) < 0)
			exit(2);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[MAX_N];

	n = argc > 2 ? atol(argv[1]) : 0;
	laps = argc > 2 ? atol(argv[2]) : 0;
	if (n < 2 || n > MAX_N || laps < 1) {
		fprintf(stderr, "usage: col_rename N L (N 2..%d)\n", MAX_N);
		return 2;
	}
	if (one_cpu_batch())
		return 2;
	for (long i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, ring, (void *)i))
			return 2;
	__atomic_store_n(&word[0], 1, __ATOMIC_RELEASE);
	syscall(SYS_futex, &word[0], FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	for (long i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	for (long i = 0; i < n; i++)
		printf("tid=%ld i=%ld\n", tids[i], i);
	return 0;
}
