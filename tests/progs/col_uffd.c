// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * col_uffd N: on CPU 0, the main thread touches N fresh pages of a region
 * registered with userfaultfd while a monitor thread waits in read() on
 * the userfaultfd and fills each page in (UFFDIO_COPY). Each touch is a
 * page fault whose handler wakes the monitor: a waking by the faulting
 * task, in an exception from user space (no system call, no interrupt);
 * each touch waits until the monitor sleeps, so that every fault wakes it.
 * Prints the main thread's and the monitor's tids and the faults.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "col_pin.h"

static int uffd;
static long page;
static volatile pid_t monitor;

static void *serve(void *arg)
{
	char *src = arg;
	struct uffd_msg msg;
	struct uffdio_copy cp;

	pin(0);
	monitor = gettid();
	for (;;) {
		ssize_t n = read(uffd, &msg, sizeof(msg));

		if (n < 0 && errno == EINTR)
			continue;
		if (n != sizeof(msg)) {
			perror("col_uffd: read");
			exit(1);
		}
		if (msg.event != UFFD_EVENT_PAGEFAULT)
			continue;
		memset(&cp, 0, sizeof(cp));
		cp.dst = msg.arg.pagefault.address & ~(uint64_t)(page - 1);
		cp.src = (uintptr_t)src;
		cp.len = page;
		if (ioctl(uffd, UFFDIO_COPY, &cp)) {
			perror("col_uffd: UFFDIO_COPY");
			exit(1);
		}
	}
	return NULL;
}

/* Whether the task of this stat file sleeps (S): the monitor, in read() */
static int asleep(int stat)
{
	char buf[256], *p;
	ssize_t n = pread(stat, buf, sizeof(buf) - 1, 0);

	if (n <= 0) {
		perror("col_uffd: stat");
		exit(1);
	}
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'S';
}

/* A userfaultfd by the system call, else by /dev/userfaultfd; -1 if neither */
static int uffd_open(void)
{
	int fd = syscall(SYS_userfaultfd, O_CLOEXEC);

	if (fd < 0) {
		int dev = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);

		if (dev < 0)
			return -1;
		fd = ioctl(dev, USERFAULTFD_IOC_NEW, O_CLOEXEC);
		close(dev);
	}
	return fd;
}

int main(int argc, char **argv)
{
	long n = argc == 2 ? atol(argv[1]) : 0, i, sum = 0;
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg;
	pthread_t t;
	char *region, *src, path[64];
	int stat;

	if (n <= 0) {
		fprintf(stderr, "usage: col_uffd N\n");
		return 2;
	}
	page = sysconf(_SC_PAGESIZE);
	uffd = uffd_open();
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api)) {
		fprintf(stderr, "col_uffd: no userfaultfd: %s\n", strerror(errno));
		return 3;
	}
	region = mmap(NULL, n * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	src = aligned_alloc(page, page);
	if (region == MAP_FAILED || !src) {
		perror("col_uffd: mmap");
		return 1;
	}
	memset(src, 1, page);
	memset(&reg, 0, sizeof(reg));
	reg.range.start = (uintptr_t)region;
	reg.range.len = n * page;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg)) {
		fprintf(stderr, "col_uffd: no userfaultfd: %s\n", strerror(errno));
		return 3;
	}
	pin(0);
	if (pthread_create(&t, NULL, serve, src))
		return 1;
	while (!monitor)
		sched_yield();
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", monitor);
	stat = open(path, O_RDONLY);
	if (stat < 0) {
		perror("col_uffd: stat");
		return 1;
	}
	for (i = 0; i < n; i++) {
		while (!asleep(stat))	/* so that the fault's handler wakes it */
			sched_yield();
		sum += region[i * page];	/* a fault the monitor serves */
	}
	if (sum != n) {
		fprintf(stderr, "col_uffd: pages read %ld, not %ld\n", sum, n);
		return 1;
	}
	printf("main %d monitor %d faults %ld\n", gettid(), monitor, sum);
	return 0;
}
