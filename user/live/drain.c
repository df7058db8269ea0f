// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The tasks gone, out of the kernel as the run goes on (live/drain.h). */
#include <errno.h>
#include <stdlib.h>
#include <bpf/libbpf.h>
#include "live/drain.h"
#include "live/thread.h"

struct drain {
	struct ring_buffer *rb;
	struct ring_reader *reader;
	struct tasktab tt;
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

struct drain *drain_start(int ring_fd, size_t keep)
{
	struct drain *d = calloc(1, sizeof(*d));
	int err;

	if (!d)
		return NULL;
	tasktab_init(&d->tt, keep);
	d->rb = ring_buffer__new(ring_fd, on_task, d, NULL);
	if (!d->rb || !(d->reader = ring_reader_start(d->rb))) {
		err = errno;
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

	if (!d) {
		if (tt)
			tasktab_init(tt, TASKS_KEPT);
		return 0;
	}
	ring_reader_stop(d->reader);	/* reads what is left */
	ring_buffer__free(d->rb);
	err = d->err;
	if (tt)
		*tt = d->tt;
	else
		tasktab_free(&d->tt);
	free(d);
	return err;
}
