/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_METAROWS_H
#define TRACER_METAROWS_H

#include <stdint.h>
#include "core/meta.h"

/*
 * A run's meta (core/meta.h) as key/value rows: the "meta" rows of the
 * event CSV and the CAP_META records of a capture (docs/formats.md).
 */
/* Where meta rows go: an event CSV (meta_csv), a capture (capture_meta). */
typedef void (*meta_put_fn)(void *ctx, const char *key, const char *value);
/*
 * The first meta rows: the schema version, the window's start, the CPUs,
 * the timeline's interval (the report's sparkline is drawn from it).
 */
void meta_begin(meta_put_fn put, void *ctx, uint64_t t_start, int ncpus,
		uint64_t interval_ns, unsigned int max_pairs);
/*
 * Meta rows for m and the kernel-only parts of td, in the event CSV schema,
 * then the end row (partial: interrupted, or records lost): written last, so
 * a file that has it is whole.
 */
void meta_write(meta_put_fn put, void *ctx, const struct run_meta *m,
		const struct trace_data *td, int partial);
/*
 * Take one meta row back; td gets the kernel-only parts (allocating its
 * cpu_ns for ncpus). Returns 0, or -1 for a key it does not know (ignored
 * by readers, so newer files stay readable).
 */
int meta_set(struct run_meta *m, struct trace_data *td, const char *key,
	     const char *value);

#endif
