/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_SINK_H
#define TRACER_SINK_H

#include <stdint.h>
#include "core/event.h"

struct run_meta;
struct trace_data;
struct summary;

/*
 * An output of a run's events: the event CSV (io/evcsv.c), the Perfetto
 * trace (render/perfetto.c), the timeline (render/timeline.c). The events
 * go through it in time order, after the replay (render/sinks.c fans them
 * out); then it is finished, its file committed, or aborted, its file
 * removed. A new export format is a new set of these ops, and its option
 * opened with the others in cmd/run.c.
 */
struct sink_end {
	const struct run_meta *m;
	const struct trace_data *td;
	struct summary *s;	/* the report's: the timeline draws its sparkline there */
	int partial;		/* interrupted, or the capture lost records */
};

/* What the replay made of an event, for the outputs that draw it. */
struct sink_step {
	uint64_t rebuilt;	/* ns of a run rebuilt from the kernel's count, ending at it */
	uint32_t running;	/* tree tasks on a CPU after it: the concurrency level */
};

struct sink_ops {
	void (*event)(void *ctx, const union ev_any *e, const struct sink_step *st);
	void (*task)(void *ctx, const union ev_any *t);	/* a task -p found; or NULL */
	void (*meta)(void *ctx, const char *key, const char *value);	/* or NULL */
	int (*finish)(void *ctx, const struct sink_end *end);	/* 0 or -1; frees ctx */
	void (*abort)(void *ctx);				/* frees ctx */
};

struct sink {
	const struct sink_ops *ops;
	void *ctx;
};

#endif
