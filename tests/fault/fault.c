// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * fault.so: LD_PRELOAD'ed into tracer by tests/errors.bats to make calls
 * fail that a test cannot otherwise make fail, so that each exit-1 path is
 * seen to say why in one line. Set by the environment:
 *   FAULT_PTHREAD_CREATE=N   the Nth pthread_create() fails with EAGAIN
 *   FAULT_CALLOC_MIN=N       calloc() of N bytes or more fails with ENOMEM,
 *   FAULT_CALLOC_SKIP=K      after the first K of them
 *   FAULT_LOG=N              say each calloc of N bytes or more on stderr
 *   FAULT_STACK_MAPS=1       bpf(BPF_MAP_CREATE) of a stack trace map fails
 *                            with EINVAL, as on a kernel without them
 *   FAULT_FSYNC=E            fsync() fails with errno E (28: ENOSPC, 5: EIO)
 *   FAULT_RENAME=E           rename() fails with errno E
 *   FAULT_ITER_STOP=1        bpf(BPF_ITER_CREATE) first stops tracer
 *                            (SIGSTOP): the test acts, then continues it
 *   FAULT_ITER_FAIL=E        bpf(BPF_ITER_CREATE) fails with errno E
 *   FAULT_FOPEN_STOP=S       the Nth fopen() of a path holding S (N:
 *   FAULT_FOPEN_NTH=N        1 if not set) first stops tracer (SIGSTOP)
 *   FAULT_FOPEN_FULL=S       fopen() of a path holding S for writing opens
 *                            /dev/full there: its writes fail with ENOSPC
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg)
{
	static int (*real)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
	const char *f = getenv("FAULT_PTHREAD_CREATE");
	static int calls;

	if (f && atoi(f) == ++calls)
		return EAGAIN;
	if (!real)
		real = dlsym(RTLD_NEXT, "pthread_create");
	return real(t, a, fn, arg);
}

/* dlsym itself may calloc: until the real one is known, a static arena */
static char early[4096];
static size_t early_used;

void *calloc(size_t n, size_t size)
{
	static void *(*real)(size_t, size_t);
	static int resolving;
	const char *f = getenv("FAULT_CALLOC_MIN"), *l = getenv("FAULT_LOG");
	size_t bytes = n * size;

	if (!real) {
		if (resolving) {
			void *p = early + early_used;

			early_used += (bytes + 15) & ~15ul;
			return early_used <= sizeof(early) ? p : NULL;
		}
		resolving = 1;
		real = dlsym(RTLD_NEXT, "calloc");
		resolving = 0;
	}
	if (l && bytes >= strtoull(l, NULL, 10))
		fprintf(stderr, "fault: calloc %zu\n", bytes);
	if (f && bytes >= strtoull(f, NULL, 10)) {
		const char *k = getenv("FAULT_CALLOC_SKIP");
		static unsigned long seen;

		if (seen++ >= (k ? strtoul(k, NULL, 10) : 0)) {
			errno = ENOMEM;
			return NULL;
		}
	}
	return real(n, size);
}

/* libbpf calls bpf(2) through syscall(): a stack trace map refused there */
long syscall(long nr, ...)
{
	static long (*real)(long, ...);
	long a[6];
	va_list ap;

	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (nr == SYS_bpf && a[0] == BPF_ITER_CREATE && getenv("FAULT_ITER_STOP"))
		raise(SIGSTOP);
	if (nr == SYS_bpf && a[0] == BPF_ITER_CREATE && getenv("FAULT_ITER_FAIL")) {
		errno = atoi(getenv("FAULT_ITER_FAIL"));
		return -1;
	}
	if (nr == SYS_bpf && a[0] == BPF_MAP_CREATE && getenv("FAULT_STACK_MAPS") &&
	    ((union bpf_attr *)a[1])->map_type == BPF_MAP_TYPE_STACK_TRACE) {
		errno = EINVAL;
		return -1;
	}
	if (!real)
		real = dlsym(RTLD_NEXT, "syscall");
	return real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* errno E if the variable is set to it, else 0 */
static int fault_errno(const char *name)
{
	const char *f = getenv(name);

	return f ? atoi(f) : 0;
}

int fsync(int fd)
{
	static int (*real)(int);
	int e = fault_errno("FAULT_FSYNC");

	if (e) {
		errno = e;
		return -1;
	}
	if (!real)
		real = dlsym(RTLD_NEXT, "fsync");
	return real(fd);
}

int rename(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);
	int e = fault_errno("FAULT_RENAME");

	if (e) {
		errno = e;
		return -1;
	}
	if (!real)
		real = dlsym(RTLD_NEXT, "rename");
	return real(from, to);
}

FILE *fopen(const char *path, const char *mode)
{
	static FILE *(*real)(const char *, const char *);
	const char *s = getenv("FAULT_FOPEN_STOP"), *nth = getenv("FAULT_FOPEN_NTH");
	static int seen;

	const char *full = getenv("FAULT_FOPEN_FULL");

	if (s && strstr(path, s) && ++seen == (nth ? atoi(nth) : 1))
		raise(SIGSTOP);
	if (!real)
		real = dlsym(RTLD_NEXT, "fopen");
	if (full && strstr(path, full) && strchr(mode, 'w')) {
		FILE *f = real(path, mode);	/* made, as a full disk leaves it */

		if (f)
			fclose(f);
		return real("/dev/full", mode);
	}
	return real(path, mode);
}
