// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * core/gone.c against a sort: 20,000 pairs and futex keys of random
 * weight (many ties) through a keeper of 1,000, in three orders: the ones
 * kept are the 1,000 heaviest by the stated order every time, the folded
 * counts and weights are the rest's, and keys that came twice come out
 * once, merged. Prints "ok" or the first difference.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/gone.h"
#include "core/hist.h"

#define N	20000
#define KEEP	1000

static struct trace_pair pairs[N];
static struct trace_futex fx[N];

static int heavier_pair(const void *a, const void *b)	/* the order gone.c states */
{
	const struct trace_pair *x = a, *y = b;

	if (x->h.count != y->h.count)
		return x->h.count > y->h.count ? -1 : 1;
	if (x->h.sum_ns != y->h.sum_ns)
		return x->h.sum_ns > y->h.sum_ns ? -1 : 1;
	if (x->h.max_ns != y->h.max_ns)
		return x->h.max_ns > y->h.max_ns ? -1 : 1;
	if (x->key.waker_tid != y->key.waker_tid)
		return x->key.waker_tid > y->key.waker_tid ? -1 : 1;
	return (x->key.wakee_tid < y->key.wakee_tid) - (x->key.wakee_tid > y->key.wakee_tid);
}

static int heavier_fx(const void *a, const void *b)
{
	const struct trace_futex *x = a, *y = b;

	if (x->val.wait_ns != y->val.wait_ns)
		return x->val.wait_ns > y->val.wait_ns ? -1 : 1;
	if (x->val.waits != y->val.waits)
		return x->val.waits > y->val.waits ? -1 : 1;
	return (x->key.uaddr < y->key.uaddr) - (x->key.uaddr > y->key.uaddr);
}

static int by_pair_key(const void *a, const void *b)
{
	const struct trace_pair *x = a, *y = b;

	if (x->key.waker_tid != y->key.waker_tid)
		return x->key.waker_tid < y->key.waker_tid ? -1 : 1;
	return (x->key.wakee_tid > y->key.wakee_tid) - (x->key.wakee_tid < y->key.wakee_tid);
}

static int by_uaddr(const void *a, const void *b)
{
	const struct trace_futex *x = a, *y = b;

	return (x->key.uaddr > y->key.uaddr) - (x->key.uaddr < y->key.uaddr);
}

static int fail(const char *what, int order)
{
	printf("order %d: %s\n", order, what);
	return 1;
}

static int run(int order)
{
	struct trace_pair *want = malloc(sizeof(pairs));
	struct trace_futex *wantf = malloc(sizeof(fx));
	struct trace_data td = { 0 };
	unsigned long long fold = 0, foldw = 0, foldf = 0, foldfw = 0;
	struct gone g;
	int err = 0;

	if (!want || !wantf)
		return fail("out of memory", order);
	gone_init(&g, KEEP, KEEP);
	for (int k = 0; k < N; k++) {
		int i = order == 0 ? k : order == 1 ? N - 1 - k : (k * 7919) % N;

		gone_pair(&g, &pairs[i].key, &pairs[i].h);
		gone_futex(&g, &fx[i].key, &fx[i].val);
	}
	memcpy(want, pairs, sizeof(pairs));
	memcpy(wantf, fx, sizeof(fx));
	qsort(want, N, sizeof(*want), heavier_pair);
	qsort(wantf, N, sizeof(*wantf), heavier_fx);
	for (int i = KEEP; i < N; i++) {
		fold++;
		foldw += want[i].h.count;
		foldf++;
		foldfw += wantf[i].val.waits;
	}
	qsort(want, KEEP, sizeof(*want), by_pair_key);
	qsort(wantf, KEEP, sizeof(*wantf), by_uaddr);
	if (gone_into(&g, &td))
		err = fail("gone_into failed", order);
	else if (td.npairs != KEEP || td.nfutex != KEEP)
		err = fail("not the room's count kept", order);
	else if (memcmp(td.pairs, want, KEEP * sizeof(*want)))
		err = fail("pairs kept are not the heaviest", order);
	else if (memcmp(td.futex, wantf, KEEP * sizeof(*wantf)))
		err = fail("futex keys kept are not the heaviest", order);
	else if (td.pairs_folded != fold || td.pairs_folded_wakeups != foldw ||
		 td.futex_folded != foldf || td.futex_folded_waits != foldfw)
		err = fail("folded counts", order);
	free(td.pairs);
	free(td.futex);
	free(want);
	free(wantf);
	gone_free(&g);
	return err;
}

/* A key that comes twice (gone, and alive at the end) is one row, merged. */
static int merged(void)
{
	struct trace_data td = { 0 };
	struct gone g;
	int err;

	td.npairs = 1;
	td.pairs = calloc(1, sizeof(*td.pairs));
	td.nfutex = 1;
	td.futex = calloc(1, sizeof(*td.futex));
	if (!td.pairs || !td.futex)
		return fail("out of memory", -1);
	td.pairs[0] = pairs[5];
	td.futex[0] = fx[5];
	gone_init(&g, KEEP, KEEP);
	gone_pair(&g, &pairs[5].key, &pairs[5].h);
	gone_pair(&g, &pairs[6].key, &pairs[6].h);
	gone_futex(&g, &fx[5].key, &fx[5].val);
	err = gone_into(&g, &td) || td.npairs != 2 || td.nfutex != 1 ||
	      td.pairs[0].h.count + td.pairs[1].h.count !=
	      2 * pairs[5].h.count + pairs[6].h.count ||
	      td.futex[0].val.waits != 2 * fx[5].val.waits;
	free(td.pairs);
	free(td.futex);
	gone_free(&g);
	return err ? fail("a key twice: not merged", -1) : 0;
}

int main(void)
{
	srand(42);
	for (int i = 0; i < N; i++) {
		pairs[i].key.waker_tid = i + 1;
		pairs[i].key.wakee_tid = 1;
		pairs[i].h.count = rand() % 50;		/* many ties */
		pairs[i].h.sum_ns = pairs[i].h.count * (rand() % 3);
		pairs[i].h.max_ns = rand() % 2;
		pairs[i].h.slots[pairs[i].h.count % HIST_SLOTS] = pairs[i].h.count;
		fx[i].key.uaddr = 4096 + 4 * i;
		fx[i].key.tgid = fx[i].key.tid = 7;
		fx[i].val.waits = 1 + rand() % 3;
		fx[i].val.wait_ns = rand() % 100;
		fx[i].val.max_ns = fx[i].val.wait_ns;
	}
	for (int order = 0; order < 3; order++)
		if (run(order))
			return 1;
	if (merged())
		return 1;
	printf("ok\n");
	return 0;
}
