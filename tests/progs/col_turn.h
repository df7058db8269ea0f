/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The hand-off of the col_* ping-pongs: two sides pass a token through a
 * futex word `rounds` times, each counting the waiters its FUTEX_WAKE calls
 * woke, its FUTEX_WAITs that returned 0 (queued and woken) or EAGAIN, and
 * its own rusage (RUSAGE_THREAD) when done. main sets turn and rounds.
 */
#ifndef COL_TURN_H
#define COL_TURN_H

#include <errno.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

struct side {
	int me;
	long tid, woke, slept, eagain;
	struct rusage ru;
};

static int turn;		/* whose turn: 0 main, 1 worker */
static long rounds;

static void play(struct side *s)
{
	s->tid = syscall(SYS_gettid);
	for (long i = 0; i < rounds; i++) {
		while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) != s->me) {
			long r = syscall(SYS_futex, &turn, FUTEX_WAIT_PRIVATE, !s->me,
					 NULL, NULL, 0);

			if (r == 0)
				s->slept++;
			else if (errno == EAGAIN)
				s->eagain++;
			else if (errno != EINTR)
				exit(2);
		}
		__atomic_store_n(&turn, !s->me, __ATOMIC_RELEASE);
		long w = syscall(SYS_futex, &turn, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);

		if (w < 0)
			exit(2);
		s->woke += w;
	}
	getrusage(RUSAGE_THREAD, &s->ru);
}

static void *worker(void *arg)
{
	play(arg);
	return NULL;
}

#endif
