// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * futex_pingpong: a witness for tracer's futex figures. Two threads hand a
 * turn back and forth on ONE private futex word through raw futex(2) calls
 * (no glibc lock or condvar makes a futex call of its own here), and the
 * program counts every call it makes and what each returned:
 *
 *   - a hand-off: the waker waits until the partner is asleep in its
 *     FUTEX_WAIT (FUTEX_WAIT_BITSET in odd rounds; see until_asleep), then
 *     calls FUTEX_WAKE (FUTEX_WAKE_BITSET) until it returns 1: every wait
 *     of the ping-pong blocked, slept and was woken (return 0; the word
 *     never changes, so none can return EAGAIN; the kernel retries a
 *     spurious wake-up itself); a wake that found nobody would return 0
 *     and be counted;
 *   - EAGAIN by construction: FUTEX_WAIT and FUTEX_WAIT_BITSET with a value
 *     the word does not have;
 *   - timeouts by construction: FUTEX_WAIT (relative timeout) and
 *     FUTEX_WAIT_BITSET (absolute CLOCK_MONOTONIC) on a word nobody wakes;
 *   - wakes of nobody: FUTEX_WAKE and FUTEX_WAKE_OP return 0.
 *
 * Each figure is known from construction and checked against the return
 * values (a call that returns anything else is an error: exit 1). The
 * thread is reaped with pthread_tryjoin_np, which never makes a futex call
 * (pthread_join would wait on the thread's tid word). With --einval N, N
 * more FUTEX_WAIT calls carry an invalid timeout and fail at once with
 * EINVAL: errors, not waits.
 *
 * Result (stdout, and $TRACER_RESULT_FD when set): calls, per op counts
 * (op_wait, ...), waits (blocked, timed out included), eagain, timeouts,
 * wakes (successful wake calls), woken (tasks they woke), wake_ret (the sum
 * of their return values), errors, calls_futex/errors_futex (per system
 * call, for strace); the ping-pong word and its blocked waits (word,
 * word_waits: both threads wait there), the word of the timeouts (idle_word,
 * idle_waits: only the main thread), the process (pid) and the threads
 * (tid_a, the main one, and tid_b).
 */
#define _GNU_SOURCE
#define WITNESS_NAME "futex_pingpong"
#include "futex_witness.h"

static struct {
	long calls, errors, op[NOPS];
	long waits, eagain, timeouts, wakes, woken, wake_ret;
} n;

/* One futex(2) call, counted; errno is the call's */
static long fx(int *uaddr, int op, int val, const struct timespec *ts, int *uaddr2,
	       int val3)
{
	long r = syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
	int err = errno;

	COUNT_FX(op, r);
	errno = err;
	return r;
}

/* A party of the ping-pong: its tid, waits begun, nvcsw before the last one */
struct party {
	pid_t tid;
	int armed;
	long nv;
};

/* A wait that must block until woken (5 s bound: a lost partner is an error) */
static void wait_woken(int *w, int bitset, struct party *self)
{
	struct timespec t = bitset ? mono_in(5000000000L) : rel(5000000000L);
	long r;

	self->nv = nvcsw(self->tid);
	__atomic_fetch_add(&self->armed, 1, __ATOMIC_RELEASE);
	r = fx(w, bitset ? FUTEX_WAIT_BITSET_PRIVATE : FUTEX_WAIT_PRIVATE, 0, &t, NULL,
	       FUTEX_BITSET_MATCH_ANY);
	if (r != 0)
		die("ping-pong wait returned %ld", r);
	ADD(waits, 1);
}

/*
 * Wake the partner's n-th wait once it is asleep in it; again until this
 * call woke it (a wake that finds nobody is counted all the same).
 */
static void handoff(int *w, int bitset, struct party *partner, int n_th)
{
	while (__atomic_load_n(&partner->armed, __ATOMIC_ACQUIRE) < n_th)
		sched_yield();
	until_asleep(partner->tid, partner->nv, SYS_futex);
	for (;;) {
		long r = fx(w, bitset ? FUTEX_WAKE_BITSET_PRIVATE : FUTEX_WAKE_PRIVATE, 1,
			    NULL, NULL, FUTEX_BITSET_MATCH_ANY);

		COUNT_WAKE1(r, "ping-pong wake");
		if (r == 1)
			return;
		sched_yield();
	}
}

static int word;		/* the ping-pong word: always 0 */
static int idle_word;		/* nobody ever wakes it: always 0 */
static int op_word;		/* FUTEX_WAKE_OP's second word */
static long rounds = 200;
static struct party pa, pb;	/* A: the main thread; B */

static void *party_b(void *arg)
{
	(void)arg;
	pb.tid = gettid();	/* published with pb.armed */
	for (long i = 0; i < rounds; i++) {
		wait_woken(&word, i & 1, &pb);
		handoff(&word, i & 1, &pa, i + 1);
	}
	return NULL;
}

static void expect_err(long r, int err, const char *what)
{
	if (r != -1 || errno != err)
		die("%s returned %ld, expected error %d", what, r, err);
}

int main(int argc, char **argv)
{
	long einval = 0, i;
	struct timespec t;
	pthread_t b;
	int e;

	rounds_options(argc, argv, &rounds, "--einval", &einval);

	/* EAGAIN: the word is 0, the calls expect 1: no sleep */
	for (i = 0; i < 4; i++) {
		expect_err(fx(&idle_word, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0), EAGAIN,
			   "FUTEX_WAIT of a changed word");
		ADD(eagain, 1);
	}
	for (i = 0; i < 3; i++) {
		expect_err(fx(&idle_word, FUTEX_WAIT_BITSET_PRIVATE, 1, NULL, NULL,
			      FUTEX_BITSET_MATCH_ANY), EAGAIN, "FUTEX_WAIT_BITSET of a changed word");
		ADD(eagain, 1);
	}
	/* timeouts: blocked 1 ms on a word nobody wakes */
	for (i = 0; i < 3; i++) {
		t = rel(1000000);
		TIMED_OUT(fx(&idle_word, FUTEX_WAIT_PRIVATE, 0, &t, NULL, 0), "timed FUTEX_WAIT");
		ADD(waits, 1);
		ADD(timeouts, 1);
	}
	for (i = 0; i < 2; i++) {
		TIMED_OUT(fx(&idle_word, FUTEX_WAIT_BITSET_PRIVATE, 0, (t = mono_in(1000000), &t),
			     NULL, FUTEX_BITSET_MATCH_ANY), "timed FUTEX_WAIT_BITSET");
		ADD(waits, 1);
		ADD(timeouts, 1);
	}
	/* wakes of nobody */
	for (i = 0; i < 2; i++) {
		if (fx(&idle_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) != 0)
			die("FUTEX_WAKE of nobody");
		ADD(wakes, 1);
	}
	/* *op_word += 0, wake 1 on idle_word and, since op_word was 0, 1 on op_word */
	if (syscall(SYS_futex, &idle_word, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &op_word,
		    FUTEX_OP(FUTEX_OP_ADD, 0, FUTEX_OP_CMP_EQ, 0)) != 0)
		die("FUTEX_WAKE_OP of nobody");
	ADD(calls, 1);
	ADD(op[FUTEX_WAKE_OP], 1);
	ADD(wakes, 1);
	/* invalid timeout: EINVAL before any sleep */
	for (i = 0; i < einval; i++) {
		t = (struct timespec){ 0, -1 };
		expect_err(fx(&idle_word, FUTEX_WAIT_PRIVATE, 0, &t, NULL, 0), EINVAL,
			   "FUTEX_WAIT with an invalid timeout");
	}

	pa.tid = gettid();
	if ((e = pthread_create(&b, NULL, party_b, NULL))) {
		errno = e;
		die("pthread_create");
	}
	for (i = 0; i < rounds; i++) {
		handoff(&word, i & 1, &pb, i + 1);
		wait_woken(&word, i & 1, &pa);
	}
	reap(b);

	char line[2048];
	int len = put_futex_head(line, sizeof(line), "rounds", rounds, n.calls, n.errors, n.op);

	len += snprintf(line + len, sizeof(line) - len,
			" waits=%ld eagain=%ld timeouts=%ld wakes=%ld woken=%ld wake_ret=%ld"
			" errors=%ld word=0x%lx word_waits=%ld idle_word=0x%lx idle_waits=%ld"
			" pid=%d tid_a=%d tid_b=%d\n",
			n.waits, n.eagain, n.timeouts, n.wakes, n.woken, n.wake_ret,
			n.errors, (unsigned long)(uintptr_t)&word, 2 * rounds,
			(unsigned long)(uintptr_t)&idle_word, n.timeouts, getpid(), pa.tid,
			pb.tid);
	put_result(line, len);
	return 0;
}
