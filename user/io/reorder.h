/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_REORDER_H
#define TRACER_REORDER_H

#include <stdint.h>
#include "core/event.h"

/*
 * Event records reach the ring a CPU's stage at a time, so across CPUs they
 * arrive out of time order. A reorder holds them, one time-ordered queue
 * per CPU, until the reader knows no older record can still come (every
 * CPU has flushed since), then lets them out merged in time order.
 */
struct reorder;
typedef void (*reorder_fn)(void *ctx, const union ev_any *e);

struct reorder *reorder_new(int ncpus);
/*
 * 0: queued; 1: late (older than what was let out) or no memory: the caller
 * passes it on now, out of order, and it is counted.
 */
int reorder_add(struct reorder *ro, const union ev_any *e);
/* Let out, in time order, every record with ts <= upto. */
void reorder_release(struct reorder *ro, uint64_t upto, reorder_fn fn, void *ctx);
/* Records passed on out of order. */
uint64_t reorder_late(const struct reorder *ro);
void reorder_free(struct reorder *ro);

#endif
