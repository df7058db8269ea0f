/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_SINKS_H
#define TRACER_SINKS_H

#include <signal.h>
#include <stdint.h>
#include "core/sink.h"
#include "io/capture.h"

#define MAX_SINKS	4

/*
 * Where a run's events go once the command is over, read back from its
 * capture in time order: the replay (the figures), then every output
 * (core/sink.h) that was asked for.
 */
struct sinks {
	struct replay *r;
	struct sink out[MAX_SINKS];
	int n;
	const volatile sig_atomic_t *stop;	/* set: sinks_ops stop the reading */
};

/* One more output: 0, or -1 if there is no room (a program error). */
int sinks_add(struct sinks *s, struct sink out);
/*
 * The one fan-out of an event to the replay and every output: live runs
 * and tracer report alike.
 */
void sinks_event(const struct sinks *s, const union ev_any *e);
/* A task -p found running: the replay knows it from here, outputs get a row. */
void sinks_task(const struct sinks *s, const union ev_any *t);
/* Every output finished (its file committed), or aborted; none left after. */
int sinks_finish(struct sinks *s, const struct sink_end *end);
void sinks_abort(struct sinks *s);
/* A capture's records into the sinks (ctx: struct sinks *); -EINTR once *stop is set. */
extern const struct capture_ops sinks_ops;

#endif
