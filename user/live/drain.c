// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The tasks gone, out of the kernel as the run goes on (live/drain.h). */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <bpf/libbpf.h>
#include "live/drain.h"
#include "live/thread.h"

#define POLL_MS	100	/* the ring wakes the thread; this only bounds the stop */

struct drain {
	struct ring_buffer *rb;
	struct tasktab tt;
	pthread_t thread;
	volatile int stop;
	int err;
};

static int on_task(void *ctx, void *data, size_t size)
{
	struct drain *d = ctx;
	const struct task_stat *st = data;

	if (size < sizeof(*st))
		return 0;
	if (tasktab_add(&d->tt, st->tid, st))
		d->err = -ENOMEM;
	return 0;
}

static void *poll_loop(void *arg)
{
	struct drain *d = arg;

	while (!d->stop)
		ring_buffer__poll(d->rb, POLL_MS);
	return NULL;
}

struct drain *drain_start(int ring_fd, size_t keep)
{
	struct drain *d = calloc(1, sizeof(*d));
	int err;

	if (!d)
		return NULL;
	tasktab_init(&d->tt, keep);
	d->rb = ring_buffer__new(ring_fd, on_task, d, NULL);
	if (!d->rb) {
		err = errno;
		free(d);
		errno = err;
		return NULL;
	}
	err = quiet_thread(&d->thread, poll_loop, d);
	if (err) {
		ring_buffer__free(d->rb);
		free(d);
		errno = err;
		return NULL;
	}
	return d;
}

int drain_stop(struct drain *d, struct tasktab *tt)
{
	int err;

	if (!d)
		return 0;
	d->stop = 1;
	pthread_join(d->thread, NULL);
	while (ring_buffer__consume(d->rb) > 0)
		;
	ring_buffer__free(d->rb);
	err = d->err;
	if (tt)
		*tt = d->tt;
	else
		tasktab_free(&d->tt);
	free(d);
	return err;
}
