/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_GONE_H
#define TRACER_GONE_H

#include <stddef.h>
#include <stdint.h>
#include "core/trace.h"

/*
 * The waker -> wakee pairs and futex keys whose task is gone (from the
 * kernel's ring `done`, or the replay's own): the heaviest kept, by a total
 * order (a pair's wakeups, a key's wait time; ties by the rest, then the
 * key), so that the ones kept do not depend on the order they came in; the
 * others folded into counts. Memory: max of each.
 */
struct heavy {
	void *v;		/* a min-heap: v[0] is the lightest kept */
	size_t size, n, cap, max;
	int (*lighter)(const void *a, const void *b);
	uint64_t (*weight)(const void *a);
	uint64_t folded, folded_weight;
};

struct gone {
	struct heavy pairs;	/* struct trace_pair; weight: wakeups */
	struct heavy futex;	/* struct trace_futex (name NULL); weight: waits */
	int enomem;
};

void gone_init(struct gone *g, size_t max_pairs, size_t max_futex);
void gone_pair(struct gone *g, const struct pair_key *key, const struct hist *h);
void gone_futex(struct gone *g, const struct fx_key *key, const struct fx_val *v);
/*
 * Append what was kept to td's pairs and futex keys (grown; then one row
 * per key, in key order), with the folded counts; g is emptied. 0, or
 * -ENOMEM (also if an add failed).
 */
int gone_into(struct gone *g, struct trace_data *td);
void gone_free(struct gone *g);

#endif
