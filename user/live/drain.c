// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Tasks, pairs and futex keys gone, out of the kernel as the run goes on (live/drain.h). */
#include <errno.h>
#include <stdlib.h>
#include <bpf/libbpf.h>
#include "core/hist.h"
#include "live/drain.h"
#include "live/thread.h"

struct drain {
	struct ring_buffer *rb;
	struct ring_reader *reader;
	struct tasktab tt;
	struct gone gone;
	int err;
};

static int on_task(void *ctx, void *data, size_t size)
{
	struct drain *d = ctx;
	const struct task_stat *st = data;
	const struct gone_pair *gp = data;
	const struct gone_futex *gf = data;

	if (size == sizeof(*st)) {
		if (tasktab_add(&d->tt, st->tid, st))
			d->err = -ENOMEM;
	} else if (size == sizeof(*gp) && gp->kind == GONE_PAIR) {	/* the ring `gone` */
		struct hist h = gp->h;

		hist_recount(&h);
		gone_pair(&d->gone, &gp->key, &h);
	} else if (size == sizeof(*gf) && gf->kind == GONE_FUTEX) {
		gone_futex(&d->gone, &gf->key, &gf->val);
	}
	return 0;
}

_Static_assert(sizeof(struct task_stat) != sizeof(struct gone_pair) &&
	       sizeof(struct task_stat) != sizeof(struct gone_futex), "told apart by size");

struct drain *drain_start(int ring_fd, int gone_fd, size_t keep, size_t max_pairs,
			  size_t max_futex)
{
	struct drain *d = calloc(1, sizeof(*d));
	int err;

	if (!d)
		return NULL;
	tasktab_init(&d->tt, keep);
	gone_init(&d->gone, max_pairs, max_futex);
	d->rb = ring_buffer__new(ring_fd, on_task, d, NULL);
	if (!d->rb || ring_buffer__add(d->rb, gone_fd, on_task, d) ||
	    !(d->reader = ring_reader_start(d->rb))) {
		err = errno;
		ring_buffer__free(d->rb);
		tasktab_free(&d->tt);
		gone_free(&d->gone);
		free(d);
		errno = err;
		return NULL;
	}
	return d;
}

int drain_stop(struct drain *d, struct tasktab *tt, struct gone *g)
{
	int err;

	if (!d) {
		if (tt)
			tasktab_init(tt, TASKS_KEPT);
		if (g)
			gone_init(g, 0, 0);
		return 0;
	}
	ring_reader_stop(d->reader);	/* reads what is left */
	ring_buffer__free(d->rb);
	err = d->err;
	if (tt)
		*tt = d->tt;
	else
		tasktab_free(&d->tt);
	if (g)
		*g = d->gone;
	else
		gone_free(&d->gone);
	free(d);
	return err;
}
