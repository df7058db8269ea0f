// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * col_pingpong ROUNDS: two threads pinned to the CPU the process starts on
 * hand a token back and forth through a futex ROUNDS times. Each counts
 * what it saw: the waiters its FUTEX_WAKE calls woke (the kernel's
 * return), its FUTEX_WAITs that returned 0 (it was queued and woken), and
 * its own nvcsw/nivcsw (getrusage RUSAGE_THREAD) when done. Prints one
 * line per thread, main first:
 *   tid=T woke=W slept=S nvcsw=V nivcsw=I
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

#include "col_turn.h"

int main(int argc, char **argv)
{
	struct side s[2] = { { .me = 0 }, { .me = 1 } };
	pthread_t t;
	cpu_set_t set;

	rounds = argc > 1 ? atol(argv[1]) : 10000;
	CPU_ZERO(&set);
	CPU_SET(sched_getcpu(), &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return 2;
	if (pthread_create(&t, NULL, worker, &s[1]))
		return 2;
	play(&s[0]);
	pthread_join(t, NULL);
	for (int i = 0; i < 2; i++)
		printf("tid=%ld woke=%ld slept=%ld eagain=%ld nvcsw=%ld nivcsw=%ld\n",
		       s[i].tid, s[i].woke, s[i].slept, s[i].eagain, s[i].ru.ru_nvcsw,
		       s[i].ru.ru_nivcsw);
	return 0;
}
