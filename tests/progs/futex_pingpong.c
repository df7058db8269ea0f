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
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define NOPS 14
static const char *const op_names[NOPS] = {
	"wait", "wake", "fd", "requeue", "cmp_requeue", "wake_op", "lock_pi",
	"unlock_pi", "trylock_pi", "wait_bitset", "wake_bitset",
	"wait_requeue_pi", "cmp_requeue_pi", "lock_pi2",
};

static struct {
	long calls, errors, op[NOPS];
	long waits, eagain, timeouts, wakes, woken, wake_ret;
} n;

#define ADD(f, v) __atomic_fetch_add(&n.f, (v), __ATOMIC_RELAXED)

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	fprintf(stderr, "futex_pingpong: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (errno %d: %s)\n", err, strerror(err));
	exit(1);
}

/* One futex(2) call, counted; errno is the call's */
static long fx(int *uaddr, int op, int val, const struct timespec *ts, int *uaddr2,
	       int val3)
{
	long r = syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
	int err = errno;

	ADD(calls, 1);
	ADD(op[op & 0x7f], 1);
	if (r < 0)
		ADD(errors, 1);
	errno = err;
	return r;
}

/* /proc/self/task/TID/FILE, as a string */
static void proc_read(pid_t tid, const char *file, char *buf, size_t size)
{
	char path[64];
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/%s", (int)tid, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("open %s", path);
	len = read(fd, buf, size - 1);
	close(fd);
	if (len <= 0)
		die("read %s", path);
	buf[len] = '\0';
}

/* The voluntary context switches of thread tid so far (the kernel's nvcsw) */
static long nvcsw(pid_t tid)
{
	static const char key[] = "\nvoluntary_ctxt_switches:";
	char buf[4096], *p;

	proc_read(tid, "status", buf, sizeof(buf));
	p = strstr(buf, key);
	if (!p)
		die("no voluntary_ctxt_switches for %d", (int)tid);
	return strtol(p + sizeof(key) - 1, NULL, 10);
}

/*
 * Until thread tid is asleep in system call nr, where it waits on a futex.
 * It is in state S (a ptrace stop, as under strace, is t) inside that call:
 * queued on the futex, which a waiter is under the hash bucket's lock before
 * it can be seen asleep. And it switched out voluntarily since it read
 * `before`, just ahead of its call: without ptrace stops, only in the wait
 * (not merely queued but off the CPU: a PI waiter spins while its lock's
 * owner runs). Sleeping, not spinning, so the owner is off its CPU.
 */
static void until_asleep(pid_t tid, long before, long nr)
{
	const struct timespec pause = { 0, 20000 };
	char buf[512], *p;

	for (;; nanosleep(&pause, NULL)) {
		proc_read(tid, "stat", buf, sizeof(buf));
		p = strrchr(buf, ')');
		if (!p || p[1] != ' ' || p[2] != 'S')
			continue;
		proc_read(tid, "syscall", buf, sizeof(buf));
		if (strtol(buf, NULL, 10) != nr)
			continue;
		if (nvcsw(tid) > before)
			return;
	}
}

static struct timespec rel(long ns)
{
	return (struct timespec){ ns / 1000000000L, ns % 1000000000L };
}

static struct timespec mono_in(long ns)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_nsec += ns % 1000000000L;
	t.tv_sec += ns / 1000000000L + t.tv_nsec / 1000000000L;
	t.tv_nsec %= 1000000000L;
	return t;
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

		if (r < 0 || r > 1)
			die("ping-pong wake returned %ld", r);
		ADD(wakes, 1);
		ADD(woken, r);
		ADD(wake_ret, r);
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

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			rounds = atol(argv[++i]);
		else if (!strcmp(argv[i], "--einval") && i + 1 < argc)
			einval = atol(argv[++i]);
		else {
			fprintf(stderr, "usage: futex_pingpong [--rounds N] [--einval N]\n");
			return 2;
		}
	}

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
		expect_err(fx(&idle_word, FUTEX_WAIT_PRIVATE, 0, &t, NULL, 0), ETIMEDOUT,
			   "timed FUTEX_WAIT");
		ADD(waits, 1);
		ADD(timeouts, 1);
	}
	for (i = 0; i < 2; i++) {
		t = mono_in(1000000);
		expect_err(fx(&idle_word, FUTEX_WAIT_BITSET_PRIVATE, 0, &t, NULL,
			      FUTEX_BITSET_MATCH_ANY), ETIMEDOUT, "timed FUTEX_WAIT_BITSET");
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
	while ((e = pthread_tryjoin_np(b, NULL)) == EBUSY)
		sched_yield();
	if (e) {
		errno = e;
		die("pthread_tryjoin_np");
	}

	char line[2048];
	int len = snprintf(line, sizeof(line),
			   "result: rounds=%ld calls=%ld calls_futex=%ld errors_futex=%ld",
			   rounds, n.calls, n.calls, n.errors);
	for (i = 0; i < NOPS; i++)
		if (n.op[i])
			len += snprintf(line + len, sizeof(line) - len, " op_%s=%ld",
					op_names[i], n.op[i]);
	len += snprintf(line + len, sizeof(line) - len,
			" waits=%ld eagain=%ld timeouts=%ld wakes=%ld woken=%ld wake_ret=%ld"
			" errors=%ld word=0x%lx word_waits=%ld idle_word=0x%lx idle_waits=%ld"
			" pid=%d tid_a=%d tid_b=%d\n",
			n.waits, n.eagain, n.timeouts, n.wakes, n.woken, n.wake_ret,
			n.errors, (unsigned long)(uintptr_t)&word, 2 * rounds,
			(unsigned long)(uintptr_t)&idle_word, n.timeouts, getpid(), pa.tid,
			pb.tid);
	fputs(line, stdout);
	fflush(stdout);
	const char *fd = getenv("TRACER_RESULT_FD");
	if (fd && *fd && write(atoi(fd), line, len) != len)
		die("writing the result");
	return 0;
}
