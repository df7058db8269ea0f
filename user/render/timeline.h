/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_TIMELINE_H
#define TRACER_TIMELINE_H

#include <stdint.h>
#include "core/event.h"
#include "core/sink.h"

/*
 * --timeline FILE: per fixed interval, how many tree tasks ran, how many
 * were runnable but waiting for a CPU, and each CPU's share spent on the
 * tree; the terminal report shows the running count as a sparkline.
 */
struct timeline;
struct csv;

#define TIMELINE_INTERVAL_MS	10	/* --interval's default, and a file's without one */

struct timeline *timeline_new(uint64_t t_start, uint64_t interval_ns, int ncpus);
/* st: what the replay made of e (the running tasks are its level) */
void timeline_event(struct timeline *tl, const union ev_any *e, const struct sink_step *st);
/*
 * Close at t_end, write the CSV (if c), and render the sparkline into buf;
 * steady: tasks on a CPU all along no switch showed (trace_close_window).
 */
int timeline_finish(struct timeline *tl, uint64_t t_end, unsigned int steady,
		    struct csv *c, char *buf, size_t len);
void timeline_free(struct timeline *tl);
/*
 * tl as an output of the run (core/sink.h): its finish draws the report's
 * sparkline and writes c (--timeline; or NULL). The sink owns tl and c.
 */
struct sink timeline_sink(struct timeline *tl, struct csv *c);

#endif
