/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_EVLOAD_H
#define TRACER_EVLOAD_H

#include <signal.h>
#include "core/meta.h"
#include "core/replay.h"
#include "render/timeline.h"
#include "core/trace.h"

/* An event file, loaded: what the summary and the report are built from. */
struct evload {
	struct trace_data td;
	struct run_meta m;
	struct replay *r;
	struct timeline *tl;	/* the sparkline, at the live default interval */
	int schema, ended;
	uint64_t last_ts;	/* of the latest event */
	const char *unit;	/* what errors number: "line", or "record" (a capture) */
};

/* Set by a signal handler (to its number): the reading stops, returning -EINTR, unsaid. */
extern volatile sig_atomic_t evload_interrupted;

struct csvr;
/* An event CSV or a capture: 0, or a negative errno after printing what is wrong. */
int evload_file(struct evload *L, const char *path);
int evload_reader(struct evload *L, struct csvr *r, const char *name);
void evload_free(struct evload *L);

#endif
