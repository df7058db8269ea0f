// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Open addressing from a 64-bit key (a tid, a pair, a futex word) to a value. */
#include <errno.h>
#include <stdlib.h>
#include "core/index.h"

static int index_grow(struct index *ix)
{
	struct index n = { .cap = ix->cap ? ix->cap * 2 : 1024 };

	n.keys = calloc(n.cap, sizeof(*n.keys));
	n.vals = calloc(n.cap, sizeof(*n.vals));
	if (!n.keys || !n.vals) {
		free(n.keys);
		free(n.vals);
		return -ENOMEM;
	}
	for (size_t i = 0; i < ix->cap; i++) {
		size_t j;

		if (!ix->vals[i])
			continue;
		for (j = index_mix(ix->keys[i]) & (n.cap - 1); n.vals[j]; j = (j + 1) & (n.cap - 1))
			;
		n.keys[j] = ix->keys[i];
		n.vals[j] = ix->vals[i];
		n.used++;
	}
	free(ix->keys);
	free(ix->vals);
	*ix = n;
	return 0;
}

uint32_t *index_slot(struct index *ix, uint64_t key)
{
	size_t j;

	if ((ix->used + 1) * 2 > ix->cap && index_grow(ix))
		return NULL;
	for (j = index_mix(key) & (ix->cap - 1); ix->vals[j]; j = (j + 1) & (ix->cap - 1))
		if (ix->keys[j] == key)
			return &ix->vals[j];
	ix->keys[j] = key;
	return &ix->vals[j];
}

/* Is slot j's home h cyclically in (hole, j]? Then it cannot move to hole. */
static int home_after(size_t h, size_t hole, size_t j)
{
	return hole < j ? h > hole && h <= j : h > hole || h <= j;
}

void index_del(struct index *ix, uint64_t key)
{
	size_t mask = ix->cap - 1, hole, j;

	if (!ix->cap)
		return;
	for (hole = index_mix(key) & mask; ix->vals[hole]; hole = (hole + 1) & mask)
		if (ix->keys[hole] == key)
			break;
	if (!ix->vals[hole])
		return;
	/* backward shift: pull later keys of the run into the hole */
	for (j = (hole + 1) & mask; ix->vals[j]; j = (j + 1) & mask) {
		if (home_after(index_mix(ix->keys[j]) & mask, hole, j))
			continue;
		ix->keys[hole] = ix->keys[j];
		ix->vals[hole] = ix->vals[j];
		hole = j;
	}
	ix->vals[hole] = 0;
	ix->used--;
}

void index_free(struct index *ix)
{
	free(ix->keys);
	free(ix->vals);
	ix->keys = NULL;
	ix->vals = NULL;
	ix->cap = ix->used = 0;
}
