// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * col_sigsleep N: a thread waits in pause() for N signals on CPU 0, beside
 * a busy thread; the main thread, on CPU 1, signals it at random gaps.
 * Now and then a signal lands as the waiter enters the scheduler to sleep:
 * it stays runnable and loses the CPU to the busy thread, a switch the
 * tracepoint reports as R (since 6.13) and the kernel counts voluntary.
 * Prints the waiter's tid and own switch counts (getrusage) as it ends.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "col_pin.h"

static volatile int stop;
static volatile long handled;
static volatile pid_t waiter;

static void on_signal(int sig)
{
	(void)sig;
	handled++;
}

static void *busy(void *arg)
{
	(void)arg;
	pin(0);
	while (!stop)
		;
	return NULL;
}

static void *wait_signals(void *arg)
{
	long n = (long)arg;
	struct rusage ru;

	pin(0);
	waiter = gettid();
	while (handled < n)
		pause();
	stop = 1;
	getrusage(RUSAGE_THREAD, &ru);
	printf("result: tid=%d handled=%ld nvcsw=%ld nivcsw=%ld\n", (int)waiter, handled,
	       ru.ru_nvcsw, ru.ru_nivcsw);
	return NULL;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 50000;
	unsigned int r = 1;
	pthread_t a, b;

	if (n <= 0 || sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		fprintf(stderr, "usage: col_sigsleep N (N > 0; needs two CPUs)\n");
		return 2;
	}
	signal(SIGUSR1, on_signal);
	pin(1);
	if (pthread_create(&b, NULL, busy, NULL) ||
	    pthread_create(&a, NULL, wait_signals, (void *)n)) {
		perror("col_sigsleep: pthread_create");
		return 1;
	}
	while (!waiter)
		;
	while (!stop) {
		syscall(SYS_tgkill, getpid(), waiter, SIGUSR1);
		r = r * 1103515245 + 12345;	/* a gap of 0-999 loops */
		for (volatile unsigned int k = (r >> 16) % 1000; k; k--)
			;
	}
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}
