// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The heaviest pairs and futex keys of tasks gone (core/gone.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core/gone.h"
#include "core/hist.h"

#define CMP(x, y)	((x) < (y) ? -1 : (x) > (y))

static int pair_lighter(const void *a, const void *b)
{
	const struct trace_pair *x = a, *y = b;
	int c = CMP(x->h.count, y->h.count);

	if (!c)
		c = CMP(x->h.sum_ns, y->h.sum_ns);
	if (!c)
		c = CMP(x->h.max_ns, y->h.max_ns);
	if (!c)
		c = CMP(x->key.waker_tid, y->key.waker_tid);
	if (!c)
		c = CMP(x->key.wakee_tid, y->key.wakee_tid);
	return c < 0;
}

static uint64_t pair_weight(const void *a)
{
	return ((const struct trace_pair *)a)->h.count;
}

static int futex_lighter(const void *a, const void *b)
{
	const struct trace_futex *x = a, *y = b;
	int c = CMP(x->val.wait_ns, y->val.wait_ns);

	if (!c)
		c = CMP(x->val.waits, y->val.waits);
	if (!c)
		c = CMP(x->val.max_ns, y->val.max_ns);
	if (!c)
		c = CMP(x->key.uaddr, y->key.uaddr);
	if (!c)
		c = CMP(x->key.tgid, y->key.tgid);
	if (!c)
		c = CMP(x->key.tid, y->key.tid);
	return c < 0;
}

static uint64_t futex_weight(const void *a)
{
	return ((const struct trace_futex *)a)->val.waits;
}

static void heavy_init(struct heavy *h, size_t size, size_t max,
		       int (*lighter)(const void *, const void *),
		       uint64_t (*weight)(const void *))
{
	memset(h, 0, sizeof(*h));
	h->size = size;
	h->max = max;
	h->lighter = lighter;
	h->weight = weight;
}

#define AT(h, i)	((char *)(h)->v + (i) * (h)->size)

static void heavy_swap(struct heavy *h, size_t i, size_t j, void *tmp)
{
	memcpy(tmp, AT(h, i), h->size);
	memcpy(AT(h, i), AT(h, j), h->size);
	memcpy(AT(h, j), tmp, h->size);
}

/* rec into the heap, or folded: 0, or -ENOMEM */
static int heavy_add(struct heavy *h, const void *rec, void *tmp)
{
	size_t i, c;

	if (!h->max || (h->n == h->max && !h->lighter(AT(h, 0), rec))) {
		h->folded++;
		h->folded_weight += h->weight(rec);
		return 0;
	}
	if (h->n == h->max) {	/* the lightest kept makes room */
		h->folded++;
		h->folded_weight += h->weight(AT(h, 0));
		memcpy(AT(h, 0), rec, h->size);
		for (i = 0; (c = 2 * i + 1) < h->n; i = c) {
			if (c + 1 < h->n && h->lighter(AT(h, c + 1), AT(h, c)))
				c++;
			if (!h->lighter(AT(h, c), AT(h, i)))
				break;
			heavy_swap(h, i, c, tmp);
		}
		return 0;
	}
	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 64;
		void *v;

		if (cap > h->max)
			cap = h->max;
		if (!(v = realloc(h->v, cap * h->size)))
			return -ENOMEM;
		h->v = v;
		h->cap = cap;
	}
	memcpy(AT(h, h->n), rec, h->size);
	for (i = h->n++; i && h->lighter(AT(h, i), AT(h, (i - 1) / 2)); i = (i - 1) / 2)
		heavy_swap(h, i, (i - 1) / 2, tmp);
	return 0;
}

void gone_init(struct gone *g, size_t max_pairs, size_t max_futex)
{
	g->enomem = 0;
	heavy_init(&g->pairs, sizeof(struct trace_pair), max_pairs, pair_lighter, pair_weight);
	heavy_init(&g->futex, sizeof(struct trace_futex), max_futex, futex_lighter, futex_weight);
}

void gone_pair(struct gone *g, const struct pair_key *key, const struct hist *h)
{
	struct trace_pair p, tmp;

	p.key = *key;
	p.h = *h;
	if (heavy_add(&g->pairs, &p, &tmp))
		g->enomem = 1;
}

void gone_futex(struct gone *g, const struct fx_key *key, const struct fx_val *v)
{
	struct trace_futex f = { .key = *key, .val = *v }, tmp;

	if (heavy_add(&g->futex, &f, &tmp))
		g->enomem = 1;
}

/* Append h's records to *arr of *n (grown); h is emptied. */
static int heavy_into(struct heavy *h, void **arr, size_t *n)
{
	void *p;

	if (h->n) {
		p = realloc(*arr, (*n + h->n) * h->size);
		if (!p)
			return -ENOMEM;
		memcpy((char *)p + *n * h->size, h->v, h->n * h->size);
		*arr = p;
		*n += h->n;
	}
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
	return 0;
}

static int pair_key_cmp(const void *a, const void *b)
{
	const struct trace_pair *x = a, *y = b;
	int c = CMP(x->key.waker_tid, y->key.waker_tid);

	return c ? c : CMP(x->key.wakee_tid, y->key.wakee_tid);
}

static int futex_key_cmp(const void *a, const void *b)
{
	const struct trace_futex *x = a, *y = b;
	int c = CMP(x->key.tgid, y->key.tgid);

	if (!c)
		c = CMP(x->key.uaddr, y->key.uaddr);
	return c ? c : CMP(x->key.tid, y->key.tid);
}

/*
 * One row per key: a pair given back while its waker was alive but not
 * traced (or a tid's later task) may come back, in a slot or gone again.
 */
static void merge_pairs(struct trace_data *td)
{
	size_t n = 0;

	qsort(td->pairs, td->npairs, sizeof(*td->pairs), pair_key_cmp);
	for (size_t i = 0; i < td->npairs; i++) {
		if (n && !pair_key_cmp(&td->pairs[n - 1], &td->pairs[i]))
			hist_merge(&td->pairs[n - 1].h, &td->pairs[i].h);
		else
			td->pairs[n++] = td->pairs[i];
	}
	td->npairs = n;
}

static void merge_futex(struct trace_data *td)
{
	size_t n = 0;

	qsort(td->futex, td->nfutex, sizeof(*td->futex), futex_key_cmp);
	for (size_t i = 0; i < td->nfutex; i++) {
		struct trace_futex *o = &td->futex[n - !!n], *f = &td->futex[i];

		if (n && !futex_key_cmp(o, f)) {
			o->val.waits += f->val.waits;
			o->val.wait_ns += f->val.wait_ns;
			if (f->val.max_ns > o->val.max_ns)
				o->val.max_ns = f->val.max_ns;
		} else {
			td->futex[n++] = *f;
		}
	}
	td->nfutex = n;
}

int gone_into(struct gone *g, struct trace_data *td)
{
	int err = g->enomem ? -ENOMEM : 0;

	td->pairs_folded = g->pairs.folded;
	td->pairs_folded_wakeups = g->pairs.folded_weight;
	td->futex_folded = g->futex.folded;
	td->futex_folded_waits = g->futex.folded_weight;
	if (heavy_into(&g->pairs, (void **)&td->pairs, &td->npairs) ||
	    heavy_into(&g->futex, (void **)&td->futex, &td->nfutex))
		err = -ENOMEM;
	merge_pairs(td);
	merge_futex(td);
	return err;
}

void gone_free(struct gone *g)
{
	free(g->pairs.v);
	free(g->futex.v);
	g->pairs.v = g->futex.v = NULL;
	g->pairs.n = g->futex.n = 0;
}
