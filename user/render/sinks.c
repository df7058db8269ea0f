// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "io/evcsv.h"
#include "render/perfetto.h"
#include "core/replay.h"
#include "render/sinks.h"
#include "render/timeline.h"

void sinks_event(const struct sinks *s, const union ev_any *e)
{
	uint64_t rebuilt;

	if (s->events)
		evcsv_event(s->events, e, s->t_start);
	rebuilt = replay_event(s->r, e);
	if (s->tl)
		timeline_event(s->tl, e, rebuilt);
	if (s->pf)
		perfetto_event(s->pf, e);
}

static int on_event(void *ctx, const union ev_any *e)
{
	sinks_event(ctx, e);
	return 0;
}

void sinks_task(const struct sinks *s, const union ev_any *t)
{
	if (s->events)
		evcsv_task(s->events, t->row.hdr.tid, t->row.hdr.pid, t->row.ppid,
			   t->row.comm, t->row.runtime_ns);
	replay_task(s->r, t->row.hdr.tid, t->row.hdr.pid, t->row.ppid, t->row.comm,
		    t->row.runtime_ns);
}

static int on_task(void *ctx, const union ev_any *t)
{
	sinks_task(ctx, t);
	return 0;
}

static int on_meta(void *ctx, const char *key, const char *value)
{
	const struct sinks *s = ctx;

	if (s->events)
		evcsv_meta(s->events, key, value);
	return 0;
}

const struct capture_ops sinks_ops = { on_event, on_task, on_meta };
