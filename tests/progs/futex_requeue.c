// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * futex_requeue: a witness for tracer's futex figures on requeue. Four
 * threads block in FUTEX_WAIT on word C (always 0: no EAGAIN possible), and
 * the main thread moves and wakes them with raw futex(2) calls, counting
 * each call and its result:
 *
 *   1. once all four are asleep in their waits (see until_asleep):
 *      FUTEX_CMP_REQUEUE C -> D, nr_wake 0, until the returns add up to 4
 *      (a call that finds nobody would return 0 and be counted): all four
 *      now wait on D;
 *   2. FUTEX_CMP_REQUEUE D -> E, nr_wake 1, nr_requeue 1: returns 2, one
 *      woken, one moved;
 *   3. FUTEX_CMP_REQUEUE with a compare value D does not have: EAGAIN, an
 *      error, neither a wait nor a wake;
 *   4. FUTEX_REQUEUE D -> E, nr_wake 1: returns 2, one woken, one moved;
 *   5. FUTEX_WAKE E, all: returns 2, both woken.
 *
 * A requeue's return value is the tasks woken PLUS those moved: the program
 * counts both apart. Every waiter's wait returns 0 (woken) or the program
 * fails. Threads are reaped with pthread_tryjoin_np: no futex call.
 *
 * Result (stdout, and $TRACER_RESULT_FD when set): calls, per op counts,
 * waits, eagain, timeouts, wakes (successful wake or requeue calls), woken
 * (tasks really woken: 4), requeued (tasks moved), wake_ret (the sum of the
 * return values: woken + requeued), errors, calls_futex, errors_futex, pid.
 */
#define _GNU_SOURCE
#define WITNESS_NAME "futex_requeue"
#include "futex_witness.h"
#include <limits.h>

#define NWAITERS 4

static struct {
	long calls, errors, op[NOPS];
	long waits, eagain, timeouts, wakes, woken, requeued, wake_ret;
} n;

/* One futex(2) call, counted; errno is the call's. val2 goes where the timeout does. */
static long fx(int *uaddr, int op, int val, long val2, int *uaddr2, int val3)
{
	long r = syscall(SYS_futex, uaddr, op, val, val2, uaddr2, val3);
	int err = errno;

	COUNT_FX(op, r);
	errno = err;
	return r;
}

static int word_c, word_d, word_e;	/* all always 0 */
static int armed;			/* waiters about to wait: */
static pid_t tids[NWAITERS];		/* ... their tids */
static long nvs[NWAITERS];		/* ... and nvcsw before the wait */

static void *waiter(void *arg)
{
	struct timespec t = { 5, 0 };	/* a lost wake-up is an error, not a hang */
	int i = (int)(intptr_t)arg;
	long r;

	tids[i] = gettid();
	nvs[i] = nvcsw(tids[i]);
	__atomic_fetch_add(&armed, 1, __ATOMIC_RELEASE);
	r = syscall(SYS_futex, &word_c, FUTEX_WAIT_PRIVATE, 0, &t, NULL, 0);
	ADD(calls, 1);
	ADD(op[FUTEX_WAIT], 1);
	if (r != 0)
		die("a waiter's FUTEX_WAIT returned %ld", r);
	ADD(waits, 1);
	return NULL;
}

/* A wake or requeue call that returned r, of which `woken` were woken */
static void woke(long r, long woken, const char *what)
{
	if (r < 0 || woken > r)
		die("%s returned %ld", what, r);
	ADD(wakes, 1);
	ADD(wake_ret, r);
	ADD(woken, woken);
	ADD(requeued, r - woken);
}

int main(void)
{
	pthread_t t[NWAITERS];
	long moved = 0, r;
	int e, i;

	for (i = 0; i < NWAITERS; i++)
		if ((e = pthread_create(&t[i], NULL, waiter, (void *)(intptr_t)i))) {
			errno = e;
			die("pthread_create");
		}
	/* 1: all four move to D, once each has queued on C */
	while (__atomic_load_n(&armed, __ATOMIC_ACQUIRE) < NWAITERS)
		sched_yield();
	for (i = 0; i < NWAITERS; i++)
		until_asleep(tids[i], nvs[i], SYS_futex);
	while (moved < NWAITERS) {
		r = fx(&word_c, FUTEX_CMP_REQUEUE_PRIVATE, 0, INT_MAX, &word_d, 0);
		woke(r, 0, "FUTEX_CMP_REQUEUE C -> D");
		moved += r;
		if (moved < NWAITERS)
			sched_yield();
	}
	if (moved != NWAITERS)
		die("moved %ld waiters", moved);
	/* 2: one woken, one moved to E */
	r = fx(&word_d, FUTEX_CMP_REQUEUE_PRIVATE, 1, 1, &word_e, 0);
	if (r != 2)
		die("FUTEX_CMP_REQUEUE D -> E returned %ld", r);
	woke(r, 1, "FUTEX_CMP_REQUEUE D -> E");
	/* 3: the compare value differs: EAGAIN */
	r = fx(&word_d, FUTEX_CMP_REQUEUE_PRIVATE, 1, 1, &word_e, 1);
	if (r != -1 || errno != EAGAIN)
		die("FUTEX_CMP_REQUEUE with a changed word returned %ld", r);
	/* 4: one woken, the last one moved to E */
	r = fx(&word_d, FUTEX_REQUEUE_PRIVATE, 1, INT_MAX, &word_e, 0);
	if (r != 2)
		die("FUTEX_REQUEUE D -> E returned %ld", r);
	woke(r, 1, "FUTEX_REQUEUE D -> E");
	/* 5: both on E woken */
	r = fx(&word_e, FUTEX_WAKE_PRIVATE, INT_MAX, 0, NULL, 0);
	if (r != 2)
		die("FUTEX_WAKE E returned %ld", r);
	woke(r, 2, "FUTEX_WAKE E");

	for (i = 0; i < NWAITERS; i++)
		reap(t[i]);

	char line[2048];
	int len = put_futex_head(line, sizeof(line), "waiters", NWAITERS, n.calls, n.errors, n.op);

	len += snprintf(line + len, sizeof(line) - len,
			" waits=%ld eagain=%ld timeouts=%ld wakes=%ld woken=%ld requeued=%ld"
			" wake_ret=%ld errors=%ld pid=%d\n",
			n.waits, n.eagain, n.timeouts, n.wakes, n.woken, n.requeued,
			n.wake_ret, n.errors, getpid());
	put_result(line, len);
	return 0;
}
