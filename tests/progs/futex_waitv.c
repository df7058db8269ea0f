// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * futex_waitv: a witness for tracer's futex figures on the newer futex
 * system calls: futex_waitv (Linux 5.16, syscall 449) and, when the kernel
 * has them (Linux 6.7), futex_wake (454), futex_wait (455) and
 * futex_requeue (456). Raw syscall() calls on private 32-bit words, each
 * counted with its result:
 *
 *   - EAGAIN by construction: a futex_waitv with one value the word does
 *     not have, a futex_wait likewise;
 *   - timeouts by construction: 1 ms absolute CLOCK_MONOTONIC timeouts on
 *     words nobody wakes;
 *   - woken waits: a thread blocks in futex_waitv on two words (or in
 *     futex_wait on one); once it is asleep in it (see until_asleep) the
 *     main thread wakes the second word (FUTEX_WAKE, or
 *     futex_wake), again until the call returns 1, so the wait blocked and
 *     was woken: futex_waitv returns the index of the woken word (1);
 *   - futex_requeue: a thread sleeps in futex_wait on A; the main thread
 *     moves it to B (nr_wake 0, again until it returns 1), then wakes B:
 *     returns 1. One with a compare value A does not have fails with EAGAIN.
 *
 * Threads are reaped with pthread_tryjoin_np: no futex call. --probe exits
 * 0 when the kernel has futex_wake (1 if not), making no other call;
 * --no-futex2 leaves the futex2 calls out.
 *
 * Result (stdout, and $TRACER_RESULT_FD when set): calls, per op counts
 * (op_wake for FUTEX_WAKE; op_waitv, op_futex_wait, op_futex_wake,
 * op_futex_requeue for the system calls), waits (blocked, timed out
 * included), eagain, timeouts, wakes, woken, requeued, wake_ret, errors,
 * and per system call calls_X / errors_X (futex, waitv, wake2, wait2,
 * requeue2) for strace; futex2 (1 if the futex2 calls were made); pid.
 */
#define _GNU_SOURCE
#define WITNESS_NAME "futex_waitv"
#include "futex_witness.h"

#define NR_futex_waitv	449
#define NR_futex_wake	454
#define NR_futex_wait	455
#define NR_futex_requeue 456
#define F2_U32		0x02	/* FUTEX2_SIZE_U32 */
#define F2_PRIVATE	128	/* FUTEX2_PRIVATE */
#define ANY		0xffffffffUL

enum { SC_FUTEX, SC_WAITV, SC_WAKE2, SC_WAIT2, SC_REQUEUE2, NSC };
static const char *const sc_names[NSC] = { "futex", "waitv", "wake2", "wait2", "requeue2" };
static const char *const sc_ops[NSC] = {
	"wake", "waitv", "futex_wake", "futex_wait", "futex_requeue"
};

static struct {
	long calls[NSC], errors[NSC];
	long waits, eagain, timeouts, wakes, woken, requeued, wake_ret;
} n;

/* One system call of the futex family, counted; errno is the call's */
static long sc(int which, long nr, long a, long b, long c, long d, long e, long f)
{
	long r = syscall(nr, a, b, c, d, e, f);
	int err = errno;

	ADD(calls[which], 1);
	if (r < 0)
		ADD(errors[which], 1);
	errno = err;
	return r;
}

static uint32_t word_a, word_b;	/* always 0 */
static int ready;		/* the thread is about to wait: */
static pid_t tid;		/* ... its tid */
static long nv;			/* ... its nvcsw before the wait */
static long nr;			/* ... and the system call it waits in */

static long waitv2(uint32_t val_b, long timeout_ns)
{
	struct futex_waitv w[2] = {
		{ .val = 0, .uaddr = (uintptr_t)&word_a, .flags = F2_U32 | F2_PRIVATE },
		{ .val = val_b, .uaddr = (uintptr_t)&word_b, .flags = F2_U32 | F2_PRIVATE },
	};
	struct timespec t = mono_in(timeout_ns);

	return sc(SC_WAITV, NR_futex_waitv, (long)w, 2, 0, (long)&t, CLOCK_MONOTONIC, 0);
}

static long wait2(uint32_t *uaddr, uint32_t val, long timeout_ns)
{
	struct timespec t = mono_in(timeout_ns);

	return sc(SC_WAIT2, NR_futex_wait, (long)uaddr, val, ANY, F2_U32 | F2_PRIVATE,
		  (long)&t, CLOCK_MONOTONIC);
}

static long wake2(uint32_t *uaddr, int nr)
{
	return sc(SC_WAKE2, NR_futex_wake, (long)uaddr, ANY, nr, F2_U32 | F2_PRIVATE, 0, 0);
}

/* futex_requeue: from A (compare value val) to B */
static long requeue2(uint32_t val, int nr_wake, int nr_requeue)
{
	struct futex_waitv w[2] = {
		{ .val = val, .uaddr = (uintptr_t)&word_a, .flags = F2_U32 | F2_PRIVATE },
		{ .val = 0, .uaddr = (uintptr_t)&word_b, .flags = F2_U32 | F2_PRIVATE },
	};

	return sc(SC_REQUEUE2, NR_futex_requeue, (long)w, 0, nr_wake, nr_requeue, 0, 0);
}

/* A wait that must fail with EAGAIN: it never slept */
static void expect_eagain(long r, const char *what)
{
	if (r != -1 || errno != EAGAIN)
		die("%s returned %ld, expected error %d", what, r, EAGAIN);
	ADD(eagain, 1);
}

/* A blocked wait that timed out */
#define EXPECT_TIMED_OUT(call, what)		\
	do {					\
		TIMED_OUT(call, what);		\
		ADD(waits, 1);			\
		ADD(timeouts, 1);		\
	} while (0)

static void *waitv_woken(void *arg)
{
	long r;

	(void)arg;
	tid = gettid();
	nv = nvcsw(tid);
	nr = NR_futex_waitv;
	__atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
	r = waitv2(0, 5000000000L);
	if (r != 1)
		die("futex_waitv woken by a wake of its second word returned %ld", r);
	ADD(waits, 1);
	return NULL;
}

static void *wait2_woken(void *arg)
{
	long r;

	(void)arg;
	tid = gettid();
	nv = nvcsw(tid);
	nr = NR_futex_wait;
	__atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
	r = wait2(&word_a, 0, 5000000000L);
	if (r != 0)
		die("futex_wait returned %ld", r);
	ADD(waits, 1);
	return NULL;
}

/* Until a wake call returns 1: kind 0 FUTEX_WAKE of B, 1 futex_wake of A, 2 of B */
static void wake_one(int kind)
{
	for (;;) {
		long r = kind == 0 ? sc(SC_FUTEX, SYS_futex, (long)&word_b, FUTEX_WAKE_PRIVATE,
					1, 0, 0, 0)
				   : wake2(kind == 1 ? &word_a : &word_b, 1);

		COUNT_WAKE1(r, "a wake");
		if (r == 1)
			return;
		sched_yield();
	}
}

/* A thread running fn, by now asleep in its wait call */
static pthread_t start(void *(*fn)(void *))
{
	pthread_t t;
	int e;

	__atomic_store_n(&ready, 0, __ATOMIC_RELEASE);
	e = pthread_create(&t, NULL, fn, NULL);
	if (e) {
		errno = e;
		die("pthread_create");
	}
	while (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE))
		sched_yield();
	until_asleep(tid, nv, nr);
	return t;
}

int main(int argc, char **argv)
{
	int futex2 = 1, i;
	long r;

	if (argc == 2 && !strcmp(argv[1], "--probe"))
		return syscall(NR_futex_wake, &word_a, ANY, 1, F2_U32 | F2_PRIVATE) < 0;
	if (argc == 2 && !strcmp(argv[1], "--no-futex2"))
		futex2 = 0;
	else if (argc != 1) {
		fprintf(stderr, "usage: futex_waitv [--probe | --no-futex2]\n");
		return 2;
	}

	/* futex_waitv: EAGAIN (B is 0, not 1), timeouts, woken by FUTEX_WAKE */
	for (i = 0; i < 2; i++)
		expect_eagain(waitv2(1, 5000000000L), "futex_waitv of a changed word");
	for (i = 0; i < 2; i++)
		EXPECT_TIMED_OUT(waitv2(0, 1000000), "timed futex_waitv");
	for (i = 0; i < 3; i++) {
		pthread_t t = start(waitv_woken);

		wake_one(0);
		reap(t);
	}
	if (futex2) {
		for (i = 0; i < 2; i++)
			expect_eagain(wait2(&word_a, 1, 5000000000L), "futex_wait of a changed word");
		for (i = 0; i < 2; i++)
			EXPECT_TIMED_OUT(wait2(&word_a, 0, 1000000), "timed futex_wait");
		if (wake2(&word_a, 1) != 0)		/* nobody waits */
			die("futex_wake of nobody");
		ADD(wakes, 1);
		for (i = 0; i < 3; i++) {
			pthread_t t = start(wait2_woken);

			wake_one(1);
			reap(t);
		}
		/* futex_waitv woken by futex_wake: index 1 again */
		{
			pthread_t t = start(waitv_woken);

			wake_one(2);
			reap(t);
		}
		for (i = 0; i < 2; i++) {
			pthread_t t = start(wait2_woken);

			for (;;) {	/* move it from A to B once it is queued */
				r = requeue2(0, 0, 1);
				if (r < 0 || r > 1)
					die("futex_requeue returned %ld", r);
				ADD(wakes, 1);
				ADD(wake_ret, r);
				ADD(requeued, r);
				if (r == 1)
					break;
				sched_yield();
			}
			if (wake2(&word_b, 1) != 1)
				die("futex_wake of the requeued waiter");
			ADD(wakes, 1);
			ADD(woken, 1);
			ADD(wake_ret, 1);
			reap(t);
		}
		/* an error, neither a wait's EAGAIN nor a wake */
		if (requeue2(1, 1, 1) != -1 || errno != EAGAIN)
			die("futex_requeue of a changed word");
	}

	char line[2048];
	long calls = 0, errors = 0;
	int len;

	for (i = 0; i < NSC; i++) {
		calls += n.calls[i];
		errors += n.errors[i];
	}
	len = snprintf(line, sizeof(line), "result: futex2=%d calls=%ld", futex2, calls);
	for (i = 0; i < NSC; i++)
		len += snprintf(line + len, sizeof(line) - len, " calls_%s=%ld errors_%s=%ld",
				sc_names[i], n.calls[i], sc_names[i], n.errors[i]);
	len = put_ops(line, sizeof(line), len, sc_ops, n.calls, NSC);
	len += snprintf(line + len, sizeof(line) - len,
			" waits=%ld eagain=%ld timeouts=%ld wakes=%ld woken=%ld requeued=%ld"
			" wake_ret=%ld errors=%ld pid=%d\n",
			n.waits, n.eagain, n.timeouts, n.wakes, n.woken, n.requeued,
			n.wake_ret, errors, getpid());
	put_result(line, len);
	return 0;
}
