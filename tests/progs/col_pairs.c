// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * col_pairs N R: N threads, one after another, each hands a token back and
 * forth with main through a futex i * R times (thread i of 1..N), all on
 * the CPU the process starts on, then exits: 2N waker -> wakee pairs of
 * growing weight, each gone with its thread (the heaviest last). The
 * weights grow with i only if each hand-off is a sleep on both sides: a
 * woken side that preempted its waker handed the token back before the
 * waker slept (a sleep in three hand-offs, as the host's load had it).
 * SCHED_BATCH: a woken task does not preempt, only the tick does. Prints a
 * line per thread, each side's futex waits that returned 0 (a wakeup by
 * the other; main's join may add one, by the thread's exit):
 *   tid=T main_slept=M worker_slept=W
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "col_turn.h"
#include "col_batch.h"

int main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[1]) : 0, r = argc > 2 ? atol(argv[2]) : 0;

	if (n < 1 || r < 1) {
		fprintf(stderr, "usage: col_pairs N R\n");
		return 2;
	}
	if (one_cpu_batch())
		return 2;
	for (long i = 1; i <= n; i++) {
		struct side m = { .me = 0 }, w = { .me = 1 };
		pthread_t t;

		turn = 0;
		rounds = i * r;
		if (pthread_create(&t, NULL, worker, &w))
			return 2;
		play(&m);
		pthread_join(t, NULL);
		printf("tid=%ld main_slept=%ld worker_slept=%ld\n", w.tid, m.slept, w.slept);
	}
	return 0;
}
