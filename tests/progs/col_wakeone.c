// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * col_wakeone DIR N: creates DIR/ready, waits for DIR/go, then N threads one
 * at a time, each waiting on a futex word of its own until main, having
 * seen it asleep (/proc), wakes it; it exits and main joins it. Then
 * DIR/done. Prints "threads=T woken=W". Each thread's wakeup makes a waker
 * -> wakee pair of one wakeup, given back at the thread's end: a burst of
 * gone pairs at a moment the test chooses (while tracer's reader is
 * stopped, most of them folded in the kernel).
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "col_go.h"

static int word;
static long tid;

static void *waiter(void *arg)
{
	__atomic_store_n(&tid, syscall(SYS_gettid), __ATOMIC_RELEASE);
	while (!__atomic_load_n(&word, __ATOMIC_ACQUIRE))
		syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	return arg;
}

/* 1 once thread t sleeps (state S in /proc), 0 on any failure to read it */
static int asleep(long t)
{
	char p[64], buf[512], *s;
	ssize_t n;
	int fd;

	snprintf(p, sizeof(p), "/proc/self/task/%ld/stat", t);
	fd = open(p, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	s = strrchr(buf, ')');
	return s && s[1] == ' ' && s[2] == 'S';
}

int main(int argc, char **argv)
{
	long n, made = 0, woken = 0;
	int rc = col_start(argc, argv, &n);

	if (rc)
		return rc;
	for (long i = 0; i < n; i++) {
		pthread_t t;
		long w;

		word = 0;
		tid = 0;
		if (pthread_create(&t, NULL, waiter, NULL))
			return 4;
		while (!__atomic_load_n(&tid, __ATOMIC_ACQUIRE) || !asleep(tid))
			sched_yield();	/* it may share main's CPU */
		__atomic_store_n(&word, 1, __ATOMIC_RELEASE);
		w = syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
		woken += w > 0 ? w : 0;
		pthread_join(t, NULL);
		made++;
	}
	touch(argv[1], "done");
	printf("threads=%ld woken=%ld\n", made, woken);
	return 0;
}
