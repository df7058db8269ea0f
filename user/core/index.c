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

void index_free(struct index *ix)
{
	free(ix->keys);
	free(ix->vals);
	ix->keys = NULL;
	ix->vals = NULL;
	ix->cap = ix->used = 0;
}
