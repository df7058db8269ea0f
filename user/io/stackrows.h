/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_STACKROWS_H
#define TRACER_STACKROWS_H

#include "core/trace.h"
#include "io/metarows.h"

/* --stacks' table and the futex words' names as meta rows (none without --stacks). */
void stackrows_write(meta_put_fn row, void *ctx, const struct trace_data *td);
/* Take one such row back into td: 0, or -1 (not one of them, or bad). */
int stackrows_set(struct trace_data *td, const char *key, const char *value);

#endif
