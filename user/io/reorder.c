// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "io/reorder.h"

/* A CPU's records in time order: [head, tail) of a growing array. */
struct queue {
	union ev_any *v;
	size_t head, tail, cap;
};

struct reorder {
	int nq;
	struct queue *q;
	int *heap;		/* queues with a record to let out, oldest head first */
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
	ro->heap = calloc(ro->nq, sizeof(*ro->heap));
	if (!ro->q || !ro->heap) {
		reorder_free(ro);
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

static uint64_t head_ts(const struct reorder *ro, int q)
{
	return ro->q[q].v[ro->q[q].head].hdr.ts;
}

static void sift_down(struct reorder *ro, int n, int i)
{
	int *h = ro->heap;

	for (;;) {
		int l = 2 * i + 1, m = i, t;

		if (l < n && head_ts(ro, h[l]) < head_ts(ro, h[m]))
			m = l;
		if (l + 1 < n && head_ts(ro, h[l + 1]) < head_ts(ro, h[m]))
			m = l + 1;
		if (m == i)
			return;
		t = h[i], h[i] = h[m], h[m] = t;
		i = m;
	}
}

static int ready(const struct reorder *ro, int q, uint64_t upto)
{
	return ro->q[q].head < ro->q[q].tail && head_ts(ro, q) <= upto;
}

void reorder_release(struct reorder *ro, uint64_t upto, reorder_fn fn, void *ctx)
{
	int n = 0;

	for (int q = 0; q < ro->nq; q++)
		if (ready(ro, q, upto))
			ro->heap[n++] = q;
	for (int i = n / 2 - 1; i >= 0; i--)
		sift_down(ro, n, i);
	while (n) {
		int q = ro->heap[0];

		fn(ctx, &ro->q[q].v[ro->q[q].head++]);
		if (!ready(ro, q, upto))
			ro->heap[0] = ro->heap[--n];
		sift_down(ro, n, 0);
	}
	for (int q = 0; q < ro->nq; q++)
		if (ro->q[q].head == ro->q[q].tail)
			ro->q[q].head = ro->q[q].tail = 0;
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
	for (int c = 0; ro->q && c < ro->nq; c++)
		free(ro->q[c].v);
	free(ro->q);
	free(ro->heap);
	free(ro);
}
