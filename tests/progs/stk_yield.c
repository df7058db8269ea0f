// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * stk_yield THREADS YIELDS: THREADS threads on CPU 0, each calling
 * sched_yield() YIELDS times: every call that hands the CPU to another is
 * a switch-out in state R (the kernel counts it involuntary), thousands
 * in a fraction of a second.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

static long yields;
static pthread_barrier_t go;

static void *yielder(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&go);
	for (long i = 0; i < yields; i++)
		sched_yield();
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2;
	pthread_t t[64];
	cpu_set_t one;

	yields = argc > 2 ? atol(argv[2]) : 1000;
	if (n < 1 || n > 64 || yields < 0) {
		fprintf(stderr, "usage: stk_yield THREADS(1-64) YIELDS\n");
		return 2;
	}
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	if (sched_setaffinity(0, sizeof(one), &one)) {	/* the threads inherit it */
		perror("sched_setaffinity");
		return 1;
	}
	pthread_barrier_init(&go, NULL, n);
	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, yielder, NULL)) {
			fprintf(stderr, "stk_yield: cannot create a thread\n");
			return 1;
		}
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	return 0;
}
