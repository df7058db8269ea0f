/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * futex_witness.h: the helpers the futex witnesses (futex_pingpong,
 * futex_pi, futex_requeue, futex_waitv) share, kept in one place so that
 * they stay alike: die(), the futex(2) op names and call counting, waiting
 * until a thread is asleep in its futex call (/proc/self/task), timeouts,
 * reaping a thread without a futex call, and writing the result line.
 * Static functions and macros only: each program is built alone from its
 * one .c file. Before including it, a program defines _GNU_SOURCE and
 * WITNESS_NAME (its name, for die()); ADD(), COUNT_FX() and COUNT_WAKE1()
 * work on the program's own counters, a struct named n.
 */
#ifndef FUTEX_WITNESS_H
#define FUTEX_WITNESS_H

#ifndef WITNESS_NAME
#error "define WITNESS_NAME before including futex_witness.h"
#endif

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
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Not every program uses every helper */
#define WITNESS_UNUSED __attribute__((unused))

/* futex(2) ops by number (op & 0x7f), as named in the result's op_ keys */
#define NOPS 14
static const char *const op_names[NOPS] WITNESS_UNUSED = {
	"wait", "wake", "fd", "requeue", "cmp_requeue", "wake_op", "lock_pi",
	"unlock_pi", "trylock_pi", "wait_bitset", "wake_bitset",
	"wait_requeue_pi", "cmp_requeue_pi", "lock_pi2",
};

/* Add v to the program's counter n.f */
#define ADD(f, v) __atomic_fetch_add(&n.f, (v), __ATOMIC_RELAXED)

/* Count a futex(2) call of op o that returned r: n.calls, n.op[], n.errors */
#define COUNT_FX(o, r)					\
	do {						\
		ADD(calls, 1);				\
		ADD(op[(o) & 0x7f], 1);			\
		if ((r) < 0)				\
			ADD(errors, 1);			\
	} while (0)

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	fprintf(stderr, WITNESS_NAME ": ");
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

/* A relative timeout of ns nanoseconds */
static WITNESS_UNUSED struct timespec rel(long ns)
{
	return (struct timespec){ ns / 1000000000L, ns % 1000000000L };
}

/* An absolute CLOCK_MONOTONIC timeout ns nanoseconds from now */
static WITNESS_UNUSED struct timespec mono_in(long ns)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_nsec += ns % 1000000000L;
	t.tv_sec += ns / 1000000000L + t.tv_nsec / 1000000000L;
	t.tv_nsec %= 1000000000L;
	return t;
}

/* This thread's voluntary context switches so far (getrusage: no file read) */
static WITNESS_UNUSED long own_nvcsw(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		die("getrusage");
	return ru.ru_nvcsw;
}

/*
 * Make call, a futex call that must fail with ETIMEDOUT (else die, naming
 * it what), again until one slept first. A wait whose time had passed
 * before it could sleep (its thread held off a CPU that long, by a busy
 * neighbour or the host) returns ETIMEDOUT without blocking: no wait, to
 * the kernel's counters as to a tracer. The program's call wrapper counts
 * every call; the caller counts the one blocked wait and its timeout. The
 * timeout is worked out in call, anew each time.
 */
#define TIMED_OUT(call, what)							\
	do {									\
		long nv_, r_;							\
		do {								\
			nv_ = own_nvcsw();					\
			r_ = (call);						\
			if (r_ != -1 || errno != ETIMEDOUT)			\
				die("%s returned %ld, expected ETIMEDOUT",	\
				    (what), r_);				\
		} while (own_nvcsw() == nv_);					\
	} while (0)

/* Count a wake call that returned r, which wakes one task at most (else die) */
#define COUNT_WAKE1(r, what)					\
	do {							\
		if ((r) < 0 || (r) > 1)				\
			die("%s returned %ld", (what), (r));	\
		ADD(wakes, 1);					\
		ADD(woken, (r));				\
		ADD(wake_ret, (r));				\
	} while (0)

/*
 * The options of a witness run in rounds: --rounds N (into *rounds) and
 * opt N (into *val); anything else is a usage error: exit 2
 */
static WITNESS_UNUSED void rounds_options(int argc, char **argv, long *rounds,
					  const char *opt, long *val)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			*rounds = atol(argv[++i]);
		else if (!strcmp(argv[i], opt) && i + 1 < argc)
			*val = atol(argv[++i]);
		else {
			fprintf(stderr, "usage: " WITNESS_NAME " [--rounds N] [%s N]\n", opt);
			exit(2);
		}
	}
}

/* Reap thread t with pthread_tryjoin_np, which makes no futex call */
static void reap(pthread_t t)
{
	int e;

	while ((e = pthread_tryjoin_np(t, NULL)) == EBUSY)
		sched_yield();
	if (e) {
		errno = e;
		die("pthread_tryjoin_np");
	}
}

/* Append " op_NAME=COUNT" for each of the nops ops counted to line (len so far) */
static int put_ops(char *line, size_t size, int len, const char *const names[],
		   const long counts[], int nops)
{
	for (int i = 0; i < nops; i++)
		if (counts[i])
			len += snprintf(line + len, size - len, " op_%s=%ld", names[i],
					counts[i]);
	return len;
}

/*
 * The start of a futex(2) witness's result line, in line: "result: KEY=VAL",
 * the calls and errors (again as calls_futex and errors_futex, for strace)
 * and the counts of the ops used; returns its length
 */
static WITNESS_UNUSED int put_futex_head(char *line, size_t size, const char *key, long val,
					 long calls, long errors, const long ops[])
{
	int len = snprintf(line, size,
			   "result: %s=%ld calls=%ld calls_futex=%ld errors_futex=%ld", key,
			   val, calls, calls, errors);

	return put_ops(line, size, len, op_names, ops, NOPS);
}

/* The result line (len bytes): to stdout, and to $TRACER_RESULT_FD when set */
static void put_result(const char *line, int len)
{
	fputs(line, stdout);
	fflush(stdout);
	const char *fd = getenv("TRACER_RESULT_FD");
	if (fd && *fd && write(atoi(fd), line, len) != len)
		die("writing the result");
}

#endif /* FUTEX_WITNESS_H */
