/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_INDEX_H
#define TRACER_INDEX_H

#include <stddef.h>
#include <stdint.h>

/* Open addressing from a 64-bit key to an index + 1 (0: empty). */
struct index {
	uint64_t *keys;
	uint32_t *vals;
	size_t cap;		/* a power of two */
	size_t used;
};

/* A 64-bit mix (MurmurHash3's finaliser): where a key starts its probe. */
static inline uint64_t index_mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return k;
}

/*
 * The value slot of key: its value, or 0 where a new key's goes (the
 * caller stores it and counts it in used). NULL if out of memory.
 */
uint32_t *index_slot(struct index *ix, uint64_t key);
/* Take key out (its value to 0), keeping every other key's probe whole. */
void index_del(struct index *ix, uint64_t key);
void index_free(struct index *ix);

#endif
