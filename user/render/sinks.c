// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include "core/replay.h"
#include "render/sinks.h"

int sinks_add(struct sinks *s, struct sink out)
{
	if (s->n >= MAX_SINKS)
		return -1;
	s->out[s->n++] = out;
	return 0;
}

void sinks_event(const struct sinks *s, const union ev_any *e)
{
	struct sink_step st;

	st.rebuilt = replay_event(s->r, e);
	st.running = replay_running(s->r);
	for (int i = 0; i < s->n; i++)
		s->out[i].ops->event(s->out[i].ctx, e, &st);
}

void sinks_task(const struct sinks *s, const union ev_any *t)
{
	for (int i = 0; i < s->n; i++)
		if (s->out[i].ops->task)
			s->out[i].ops->task(s->out[i].ctx, t);
	replay_task(s->r, t->row.hdr.tid, t->row.hdr.pid, t->row.ppid, t->row.comm,
		    t->row.runtime_ns);
}

int sinks_finish(struct sinks *s, const struct sink_end *end)
{
	int err = 0;

	for (int i = 0; i < s->n; i++)
		err |= s->out[i].ops->finish(s->out[i].ctx, end);
	s->n = 0;
	return err ? -1 : 0;
}

void sinks_abort(struct sinks *s)
{
	for (int i = 0; i < s->n; i++)
		s->out[i].ops->abort(s->out[i].ctx);
	s->n = 0;
}

static int on_event(void *ctx, const union ev_any *e)
{
	const struct sinks *s = ctx;

	if (s->stop && *s->stop)
		return -EINTR;
	sinks_event(s, e);
	return 0;
}

static int on_task(void *ctx, const union ev_any *t)
{
	const struct sinks *s = ctx;

	if (s->stop && *s->stop)
		return -EINTR;
	sinks_task(s, t);
	return 0;
}

static int on_meta(void *ctx, const char *key, const char *value)
{
	const struct sinks *s = ctx;

	for (int i = 0; i < s->n; i++)
		if (s->out[i].ops->meta)
			s->out[i].ops->meta(s->out[i].ctx, key, value);
	return 0;
}

const struct capture_ops sinks_ops = { on_event, on_task, on_meta };
