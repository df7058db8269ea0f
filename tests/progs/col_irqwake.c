// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * col_irqwake FILE N [zero]: on CPU 0, a thread makes FUTEX_WAKE calls that
 * wake nobody (nobody waits on its word) while the main thread reads N
 * blocks of FILE with O_DIRECT, each read a wait the disk's interrupt ends.
 * That interrupt often lands on CPU 0 inside a wake call: its waking of
 * the reader runs on the interrupt's stack, in the waker thread's context.
 * With zero, the thread reads /dev/zero instead (no futex call: a system
 * call tracer's witness need not record by the million).
 * Prints the main thread's and the busy thread's tids, the wake calls and
 * the tasks they woke (0), and the reads.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "col_pin.h"

#define BLOCK 4096

static volatile int stop;
static volatile pid_t waker;
static int word;
static long wakes, woke;

static void *wake_nobody(void *arg)
{
	static char zeros[65536];
	int zero = arg ? open("/dev/zero", O_RDONLY) : -1;

	pin(0);
	waker = gettid();
	while (zero >= 0 && !stop)
		if (read(zero, zeros, sizeof(zeros)) < 0) {
			perror("col_irqwake: /dev/zero");
			exit(1);
		}
	while (!stop) {
		long r = syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);

		if (r < 0) {
			perror("col_irqwake: FUTEX_WAKE");
			exit(1);
		}
		wakes++;
		woke += r;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[2]) : 0, blocks;
	unsigned int r = 1;
	struct stat st;
	pthread_t t;
	void *buf;
	int fd;

	if (argc < 3 || argc > 4 || n <= 0 || (argc == 4 && strcmp(argv[3], "zero"))) {
		fprintf(stderr, "usage: col_irqwake FILE N [zero]\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_DIRECT);
	if (fd < 0 || fstat(fd, &st) || (blocks = st.st_size / BLOCK) < 1) {
		fprintf(stderr, "col_irqwake: %s: no O_DIRECT reads: %s\n", argv[1],
			fd < 0 ? strerror(errno) : "empty");
		return 3;
	}
	if (posix_memalign(&buf, BLOCK, BLOCK))
		return 1;
	pin(0);
	if (pthread_create(&t, NULL, wake_nobody, argc == 4 ? argv[3] : NULL)) {
		perror("col_irqwake: pthread_create");
		return 1;
	}
	while (!waker)
		;
	for (long i = 0; i < n; i++) {
		r = r * 1103515245 + 12345;	/* a block at random: none cached on the way */
		if (pread(fd, buf, BLOCK, (off_t)((r >> 8) % blocks) * BLOCK) != BLOCK) {
			perror("col_irqwake: pread");
			return 1;
		}
	}
	stop = 1;
	/* not pthread_join: it would wait on a futex the thread's exit wakes */
	while (pthread_tryjoin_np(t, NULL) == EBUSY)
		sched_yield();
	printf("result: reader=%d waker=%d wakes=%ld woke=%ld reads=%ld\n", (int)gettid(),
	       (int)waker, wakes, woke, n);
	return 0;
}
