// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* tracer's helper threads (live/thread.h) */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/eventfd.h>
#include <bpf/libbpf.h>
#include "live/thread.h"

struct ring_reader {
	struct ring_buffer *rb;
	pthread_t thread;
	int ep, stop_fd;
	int stop;		/* set by ring_reader_stop(): __atomic, read by the thread */
};

static void *read_loop(void *arg)
{
	struct ring_reader *r = arg;
	struct epoll_event ev[2];

	/*
	 * What it reads must be read while its source lives (a process's
	 * mappings, a gone task's figures before the ring fills): ahead of a
	 * workload that keeps every CPU busy, as the collector
	 */
	setpriority(PRIO_PROCESS, syscall(SYS_gettid), -20);
	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		if (epoll_wait(r->ep, ev, 2, -1) < 0 && errno != EINTR)
			break;
		ring_buffer__consume(r->rb);
	}
	return NULL;
}

static void reader_free(struct ring_reader *r)
{
	if (r->ep >= 0)
		close(r->ep);
	if (r->stop_fd >= 0)
		close(r->stop_fd);
	free(r);
}

struct ring_reader *ring_reader_start(struct ring_buffer *rb)
{
	struct ring_reader *r = calloc(1, sizeof(*r));
	struct epoll_event ev = { .events = EPOLLIN };
	int err;

	if (!r)
		return NULL;
	r->rb = rb;
	r->ep = epoll_create1(EPOLL_CLOEXEC);
	r->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (r->ep < 0 || r->stop_fd < 0 ||
	    epoll_ctl(r->ep, EPOLL_CTL_ADD, ring_buffer__epoll_fd(rb), &ev) ||
	    epoll_ctl(r->ep, EPOLL_CTL_ADD, r->stop_fd, &ev)) {
		err = errno;
		reader_free(r);
		errno = err;
		return NULL;
	}
	err = quiet_thread(&r->thread, read_loop, r);
	if (err) {
		reader_free(r);
		errno = err;
		return NULL;
	}
	return r;
}

void ring_reader_stop(struct ring_reader *r)
{
	uint64_t one = 1;

	if (!r)
		return;
	__atomic_store_n(&r->stop, 1, __ATOMIC_RELEASE);
	/* a failed write leaves the counter at its max: readable already */
	(void)!write(r->stop_fd, &one, sizeof(one));
	pthread_join(r->thread, NULL);
	while (ring_buffer__consume(r->rb) > 0)
		;
	reader_free(r);
}
