/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_SINKS_H
#define TRACER_SINKS_H

#include <stdint.h>
#include "io/capture.h"

/*
 * Where a run's events go once the command is over, read back from its
 * capture in time order: the event CSV, the replay (the figures), the
 * timeline and the Perfetto trace. Any but the replay may be NULL.
 */
struct sinks {
	uint64_t t_start;
	struct replay *r;
	struct csv *events;	/* --events */
	struct timeline *tl;	/* --timeline, and the report's sparkline */
	struct csv *perfetto;	/* --perfetto: the file */
	struct perfetto *pf;	/* and what writes it */
	struct csv *timeline_csv;	/* --timeline: written at the end */
};

/*
 * The one fan-out of an event to every output that wants it (the replay
 * always; the event CSV, timeline and Perfetto trace where open): live
 * runs and tracer report alike.
 */
void sinks_event(const struct sinks *s, const union ev_any *e);
/* A task -p found running: a task row, and the replay knows it from here. */
void sinks_task(const struct sinks *s, const union ev_any *t);
/* A capture's records into the sinks (ctx: struct sinks *). */
extern const struct capture_ops sinks_ops;

#endif
