// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "reorder.h"

/* A CPU's records in time order: [head, tail) of a growing array. */
struct queue {
	union ev_any *v;
	size_t head, tail, cap;
};

struct reorder {
	int nq;
	struct queue *q;
	uint64_t released;	/* everything up to here was let out */
	uint64_t late;
};

struct reorder *reorder_new(int ncpus)
{
	struct reorder *ro = calloc(1, sizeof(*ro));

	if (!ro)
		return NULL;
	ro->nq = ncpus > 0 ? ncpus : 1;
	ro->q = calloc(ro->nq, sizeof(*ro->q));
	if (!ro->q) {
		free(ro);
		return NULL;
	}
	return ro;
}

static int make_room(struct queue *q)
{
	union ev_any *v;
	size_t cap;

	if (q->tail < q->cap)
		return 0;
	if (q->head) {		/* reuse what was let out */
		memmove(q->v, q->v + q->head, (q->tail - q->head) * sizeof(*q->v));
		q->tail -= q->head;
		q->head = 0;
		if (q->tail < q->cap)
			return 0;
	}
	cap = q->cap ? 2 * q->cap : 1024;
	v = realloc(q->v, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	q->v = v;
	q->cap = cap;
	return 0;
}

int reorder_add(struct reorder *ro, const union ev_any *e)
{
	unsigned int cpu = e->hdr.cpu < (unsigned int)ro->nq ? e->hdr.cpu : 0;
	struct queue *q = &ro->q[cpu];
	size_t i;

	if (e->hdr.ts < ro->released || make_room(q)) {
		ro->late++;
		return 1;	/* the caller passes it on as it is */
	}
	/*
	 * A CPU's stage is in time order; only a record written straight to
	 * the ring (by a program that interrupted another) overtakes the
	 * stage's records, and by a few places at most.
	 */
	i = q->tail;
	while (i > q->head && q->v[i - 1].hdr.ts > e->hdr.ts)
		i--;
	memmove(q->v + i + 1, q->v + i, (q->tail - i) * sizeof(*q->v));
	q->v[i] = *e;
	q->tail++;
	return 0;
}

void reorder_release(struct reorder *ro, uint64_t upto, reorder_fn fn, void *ctx)
{
	for (;;) {
		struct queue *min = NULL;

		for (int c = 0; c < ro->nq; c++) {
			struct queue *q = &ro->q[c];

			if (q->head < q->tail && q->v[q->head].hdr.ts <= upto &&
			    (!min || q->v[q->head].hdr.ts < min->v[min->head].hdr.ts))
				min = q;
		}
		if (!min)
			break;
		fn(ctx, &min->v[min->head++]);
	}
	for (int c = 0; c < ro->nq; c++)
		if (ro->q[c].head == ro->q[c].tail)
			ro->q[c].head = ro->q[c].tail = 0;
	if (upto > ro->released)
		ro->released = upto;
}

uint64_t reorder_late(const struct reorder *ro)
{
	return ro->late;
}

void reorder_free(struct reorder *ro)
{
	if (!ro)
		return;
	for (int c = 0; c < ro->nq; c++)
		free(ro->q[c].v);
	free(ro->q);
	free(ro);
}
