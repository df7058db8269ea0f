// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * futex_pi: a witness for tracer's futex figures on priority-inheritance
 * futexes. Two threads contend for one PI lock word through raw futex(2)
 * calls, with the handshakes done by spinning on plain atomics (no futex
 * call of their own), and the program counts each call and its result:
 *
 *   - a contended round: A takes the free word in user space (0 -> tid),
 *     then B calls FUTEX_LOCK_PI (FUTEX_LOCK_PI2 in odd rounds) on the held
 *     word: it must queue and block. A waits until B is asleep in it (the
 *     kernel has set FUTEX_WAITERS in the word) and only then calls
 *     FUTEX_UNLOCK_PI, which hands the lock to B: one task woken, though
 *     the call returns 0. B releases it in user space if the word is just
 *     its tid, else with FUTEX_UNLOCK_PI (a release with nobody to wake);
 *   - timeouts by construction: B's FUTEX_LOCK_PI2 with a 1 ms absolute
 *     CLOCK_MONOTONIC timeout while A holds the lock and waits for the
 *     ETIMEDOUT (A sleeps meanwhile, so B sleeps rather than spins on its
 *     running owner): blocked, then timed out;
 *   - FUTEX_TRYLOCK_PI: of a free word (takes it, 0), and of a word the
 *     caller owns already (EDEADLK): neither a wait nor a wake.
 *
 * With --immediate N, N FUTEX_LOCK_PI calls on the free word take the lock
 * at once (the kernel's fast path: never queued, never asleep) and each is
 * released with FUTEX_UNLOCK_PI: counted as lock_pi_immediate, not as waits.
 *
 * The thread is reaped with pthread_tryjoin_np: no futex call. Result
 * (stdout, and $TRACER_RESULT_FD when set): calls, per op counts, waits
 * (blocked, timed out included), eagain, timeouts, wakes (successful wake
 * calls: FUTEX_UNLOCK_PI), woken (tasks they woke: the lock's hand-overs),
 * wake_ret (the sum of their return values), errors, calls_futex and
 * errors_futex (for strace), lock_pi_immediate, pid.
 */
#define _GNU_SOURCE
#define WITNESS_NAME "futex_pi"
#include "futex_witness.h"

#ifndef FUTEX_LOCK_PI2
#define FUTEX_LOCK_PI2 13
#endif

static struct {
	long calls, errors, op[NOPS];
	long waits, eagain, timeouts, wakes, woken, wake_ret, immediate;
} n;

/* One futex(2) call, counted; errno is the call's */
static long fx(unsigned int *uaddr, int op, const struct timespec *ts)
{
	long r = syscall(SYS_futex, uaddr, op, 0, ts, NULL, 0);
	int err = errno;

	COUNT_FX(op, r);
	errno = err;
	return r;
}

static unsigned int lock;	/* the PI lock word: owner's tid | FUTEX_WAITERS */
static int phase, armed, done;	/* handshakes: plain atomics, spun on */
static pid_t tid_b;
static long nv_b;		/* B's nvcsw before its latest FUTEX_LOCK_PI */
static long rounds = 50;
static const int timeouts = 2;

static int load(int *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store(int *p, int v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static void spin_until(int *p, int v)
{
	while (load(p) != v)
		sched_yield();
}

static int user_lock(unsigned int tid)
{
	unsigned int zero = 0;

	return __atomic_compare_exchange_n(&lock, &zero, tid, 0, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

/* Release a lock we own: in user space if nobody is flagged, else the kernel */
static void release(unsigned int tid, long woken)
{
	unsigned int me = tid;
	long r;

	if (__atomic_compare_exchange_n(&lock, &me, 0, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		return;
	r = fx(&lock, FUTEX_UNLOCK_PI_PRIVATE, NULL);
	if (r != 0)
		die("FUTEX_UNLOCK_PI returned %ld", r);
	ADD(wakes, 1);
	ADD(woken, woken);
	ADD(wake_ret, r);
}

static void *party_b(void *arg)
{
	unsigned int me = gettid();
	struct timespec t;
	long r;

	(void)arg;
	tid_b = me;		/* published with armed */
	for (long i = 0; i < rounds; i++) {
		spin_until(&phase, i + 1);	/* A holds the lock */
		nv_b = nvcsw(me);
		store(&armed, i + 1);
		r = fx(&lock, (i & 1 ? FUTEX_LOCK_PI2 : FUTEX_LOCK_PI) | FUTEX_PRIVATE_FLAG,
		       NULL);
		if (r != 0 || (lock & FUTEX_TID_MASK) != me)
			die("contended FUTEX_LOCK_PI returned %ld, word %#x", r, lock);
		ADD(waits, 1);
		release(me, 0);
		store(&done, i + 1);
	}
	for (int i = 0; i < timeouts; i++) {
		spin_until(&phase, rounds + i + 1);	/* A holds it, until we give up */
		TIMED_OUT(fx(&lock, FUTEX_LOCK_PI2_PRIVATE, (t = mono_in(1000000), &t)),
			  "timed FUTEX_LOCK_PI2");
		ADD(waits, 1);
		ADD(timeouts, 1);
		store(&done, rounds + i + 1);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const struct timespec pause = { 0, 20000 };
	unsigned int me = gettid();
	long immediate = 0, i;
	pthread_t b;
	int e;

	rounds_options(argc, argv, &rounds, "--immediate", &immediate);

	/* TRYLOCK_PI: of the free word (taken), then of our own (EDEADLK) */
	if (fx(&lock, FUTEX_TRYLOCK_PI_PRIVATE, NULL) != 0 || lock != me)
		die("FUTEX_TRYLOCK_PI of a free word");
	if (fx(&lock, FUTEX_TRYLOCK_PI_PRIVATE, NULL) != -1 || errno != EDEADLK)
		die("FUTEX_TRYLOCK_PI of our own word");
	/* a kernel release with no waiter: a wake of nobody */
	if (fx(&lock, FUTEX_UNLOCK_PI_PRIVATE, NULL) != 0 || lock != 0)
		die("FUTEX_UNLOCK_PI of an uncontended word");
	ADD(wakes, 1);
	/* the kernel's fast path: the free word is taken at once, no sleep */
	for (i = 0; i < immediate; i++) {
		if (fx(&lock, FUTEX_LOCK_PI_PRIVATE, NULL) != 0 || lock != me)
			die("FUTEX_LOCK_PI of a free word");
		ADD(immediate, 1);
		if (fx(&lock, FUTEX_UNLOCK_PI_PRIVATE, NULL) != 0 || lock != 0)
			die("FUTEX_UNLOCK_PI after FUTEX_LOCK_PI");
		ADD(wakes, 1);
	}

	if ((e = pthread_create(&b, NULL, party_b, NULL))) {
		errno = e;
		die("pthread_create");
	}
	for (i = 0; i < rounds; i++) {
		if (!user_lock(me))
			die("the lock is not free at round %ld: %#x", i, lock);
		store(&phase, i + 1);
		/* B asleep in FUTEX_LOCK_PI: queued, so the kernel flagged the word */
		spin_until(&armed, i + 1);
		until_asleep(tid_b, nv_b, SYS_futex);
		if (!(__atomic_load_n(&lock, __ATOMIC_ACQUIRE) & FUTEX_WAITERS))
			die("B asleep but FUTEX_WAITERS not set: %#x", lock);
		release(me, 1);		/* hands the lock over: wakes B */
		spin_until(&done, i + 1);
	}
	for (i = 0; i < timeouts; i++) {
		if (!user_lock(me))
			die("the lock is not free for timeout %ld: %#x", i, lock);
		store(&phase, rounds + i + 1);
		/* off the CPU, so that B sleeps rather than spins on its owner */
		while (load(&done) != rounds + i + 1)
			nanosleep(&pause, NULL);	/* B timed out */
		release(me, 0);
	}
	reap(b);

	char line[2048];
	int len = put_futex_head(line, sizeof(line), "rounds", rounds, n.calls, n.errors, n.op);

	len += snprintf(line + len, sizeof(line) - len,
			" waits=%ld eagain=%ld timeouts=%ld wakes=%ld woken=%ld wake_ret=%ld"
			" errors=%ld lock_pi_immediate=%ld pid=%d\n",
			n.waits, n.eagain, n.timeouts, n.wakes, n.woken, n.wake_ret,
			n.errors, n.immediate, getpid());
	put_result(line, len);
	return 0;
}
