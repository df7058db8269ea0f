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
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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
#define NWAITERS 4

static struct {
	long calls, errors, op[NOPS];
	long waits, eagain, timeouts, wakes, woken, requeued, wake_ret;
} n;

#define ADD(f, v) __atomic_fetch_add(&n.f, (v), __ATOMIC_RELAXED)

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	fprintf(stderr, "futex_requeue: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (errno %d: %s)\n", err, strerror(err));
	exit(1);
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

/* One futex(2) call, counted; errno is the call's. val2 goes where the timeout does. */
static long fx(int *uaddr, int op, int val, long val2, int *uaddr2, int val3)
{
	long r = syscall(SYS_futex, uaddr, op, val, val2, uaddr2, val3);
	int err = errno;

	ADD(calls, 1);
	ADD(op[op & 0x7f], 1);
	if (r < 0)
		ADD(errors, 1);
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

	for (i = 0; i < NWAITERS; i++) {
		while ((e = pthread_tryjoin_np(t[i], NULL)) == EBUSY)
			sched_yield();
		if (e) {
			errno = e;
			die("pthread_tryjoin_np");
		}
	}

	char line[2048];
	int len = snprintf(line, sizeof(line),
			   "result: waiters=%d calls=%ld calls_futex=%ld errors_futex=%ld",
			   NWAITERS, n.calls, n.calls, n.errors);
	for (i = 0; i < NOPS; i++)
		if (n.op[i])
			len += snprintf(line + len, sizeof(line) - len, " op_%s=%ld",
					op_names[i], n.op[i]);
	len += snprintf(line + len, sizeof(line) - len,
			" waits=%ld eagain=%ld timeouts=%ld wakes=%ld woken=%ld requeued=%ld"
			" wake_ret=%ld errors=%ld pid=%d\n",
			n.waits, n.eagain, n.timeouts, n.wakes, n.woken, n.requeued,
			n.wake_ret, n.errors, getpid());
	fputs(line, stdout);
	fflush(stdout);
	const char *fd = getenv("TRACER_RESULT_FD");
	if (fd && *fd && write(atoi(fd), line, len) != len)
		die("writing the result");
	return 0;
}
