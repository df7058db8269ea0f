// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "io/csv.h"
#include "core/log.h"
#include "core/index.h"
#include "core/summary.h"
#include "core/trace.h"
#include "render/timeline.h"

#define SPARK_WIDTH	60
#define MAX_SLOTS	(1 << 20)	/* 3 hours of 10 ms intervals; then widened */

enum tstate { T_NONE, T_RUNNING, T_RUNNABLE };

struct slot {
	double running_ns, runnable_ns;	/* task-ns in the interval */
	uint64_t switches;		/* of tree tasks leaving a CPU */
};

struct timeline {
	struct csv *out;		/* --timeline, as a sink; or NULL */
	uint64_t t_start, interval, last;
	int ncpus;
	int running;			/* the replay's level (one definition) */
	int runnable;			/* woken or preempted, not on a CPU */
	struct index state;		/* tid -> enum tstate + 1 */
	uint8_t *cpu_tree;		/* per CPU: a tree task is on it */
	struct slot *slots;
	double *cpu_ns;			/* slots x ncpus: tree time per CPU */
	size_t nslots, cap;
	uint64_t asked;			/* the interval asked for (widened: a long run) */
	int oom;			/* an interval could not be kept */
};

struct timeline *timeline_new(uint64_t t_start, uint64_t interval_ns, int ncpus)
{
	struct timeline *tl = calloc(1, sizeof(*tl));

	if (!tl)
		return NULL;
	tl->t_start = tl->last = t_start;
	tl->interval = tl->asked = interval_ns;
	tl->ncpus = ncpus;
	tl->cpu_tree = calloc(ncpus, 1);
	if (!tl->cpu_tree) {
		free(tl);
		return NULL;
	}
	return tl;
}

static int ensure(struct timeline *tl, size_t n)
{
	if (n <= tl->cap)
		return 0;
	size_t cap = tl->cap ? tl->cap : 1024;

	while (cap < n)
		cap *= 2;
	struct slot *s = realloc(tl->slots, cap * sizeof(*s));
	double *c = s ? realloc(tl->cpu_ns, cap * tl->ncpus * sizeof(*c)) : NULL;

	if (s)
		tl->slots = s;
	if (!c)
		return -ENOMEM;
	tl->cpu_ns = c;
	memset(s + tl->cap, 0, (cap - tl->cap) * sizeof(*s));
	memset(c + tl->cap * tl->ncpus, 0, (cap - tl->cap) * tl->ncpus * sizeof(*c));
	tl->cap = cap;
	return 0;
}

/* Intervals twice as long, each the sum of two: a run longer than MAX_SLOTS of them. */
static void widen(struct timeline *tl)
{
	size_t n = (tl->nslots + 1) / 2, nc = tl->ncpus;

	for (size_t k = 0; k < n; k++) {
		struct slot a = tl->slots[2 * k], b = {};

		if (2 * k + 1 < tl->nslots)
			b = tl->slots[2 * k + 1];
		tl->slots[k] = (struct slot){ a.running_ns + b.running_ns,
					      a.runnable_ns + b.runnable_ns,
					      a.switches + b.switches };
		for (size_t c = 0; c < nc; c++)
			tl->cpu_ns[k * nc + c] = tl->cpu_ns[2 * k * nc + c] +
				(2 * k + 1 < tl->nslots ? tl->cpu_ns[(2 * k + 1) * nc + c] : 0);
	}
	memset(tl->slots + n, 0, (tl->cap - n) * sizeof(*tl->slots));
	memset(tl->cpu_ns + n * nc, 0, (tl->cap - n) * nc * sizeof(*tl->cpu_ns));
	tl->nslots = n;
	tl->interval *= 2;
}

/* The interval of time ts (>= t_start), widening them to fit; -1: out of memory. */
static long slot_of(struct timeline *tl, uint64_t ts)
{
	size_t i;

	while ((i = (ts - tl->t_start) / tl->interval) >= MAX_SLOTS)
		widen(tl);
	if (ensure(tl, i + 1)) {
		tl->oom = 1;
		return -1;
	}
	if (i + 1 > tl->nslots)
		tl->nslots = i + 1;
	return i;
}

/* Spread the time since the last event over the intervals it covers. */
static void advance(struct timeline *tl, uint64_t now)
{
	while (tl->last < now) {
		long i = slot_of(tl, tl->last);
		uint64_t end = tl->t_start + (i + 1) * tl->interval, d;

		if (end > now)
			end = now;
		d = end - tl->last;
		if (i < 0)
			return;
		tl->slots[i].running_ns += (double)d * tl->running;
		tl->slots[i].runnable_ns += (double)d * tl->runnable;
		for (int c = 0; c < tl->ncpus; c++)
			if (tl->cpu_tree[c])
				tl->cpu_ns[i * tl->ncpus + c] += d;
		tl->last = end;
	}
}

static enum tstate state_of(struct timeline *tl, __u32 tid)
{
	uint32_t *v = index_slot(&tl->state, tid);

	return v && *v ? *v - 1 : T_NONE;
}

/* By the whole tid: a tid modulo a table's size once took two tasks for one. */
static void set_state(struct timeline *tl, __u32 tid, enum tstate st)
{
	uint32_t *v = index_slot(&tl->state, tid);
	enum tstate was;

	if (!v)
		return;		/* out of memory: the timeline is only a picture */
	was = *v ? *v - 1 : T_NONE;
	tl->state.used += !*v;
	tl->runnable -= was == T_RUNNABLE;
	*v = st + 1;
	tl->runnable += st == T_RUNNABLE;
}

/* n more tasks on a CPU (cpu < 0: unknown) over [from, to), to <= tl->last. */
static void add_run(struct timeline *tl, int cpu, uint64_t from, uint64_t to,
		    unsigned int n)
{
	if (from < tl->t_start)
		from = tl->t_start;
	while (from < to) {
		size_t i = (from - tl->t_start) / tl->interval;
		uint64_t end = tl->t_start + (i + 1) * tl->interval;

		if (end > to)
			end = to;
		if (i >= tl->nslots)
			return;
		tl->slots[i].running_ns += (double)(end - from) * n;
		if (cpu >= 0 && cpu < tl->ncpus)
			tl->cpu_ns[i * tl->ncpus + cpu] += end - from;
		from = end;
	}
}

void timeline_event(struct timeline *tl, const union ev_any *e, const struct sink_step *st)
{
	const struct ev_hdr *h = &e->hdr;

	if (h->ts < tl->t_start) {
		tl->running = st->running;
		return;
	}
	advance(tl, h->ts);	/* at the level before e */
	tl->running = st->running;
	if (st->rebuilt && st->rebuilt <= h->ts)
		add_run(tl, h->cpu, h->ts - st->rebuilt, h->ts, 1);
	switch (h->kind) {
	case EV_SWITCH:
		if (e->sw.prev_tree) {
			long i = slot_of(tl, h->ts);

			if (i >= 0)
				tl->slots[i].switches++;
		}
		if (h->cpu < (unsigned int)tl->ncpus)
			tl->cpu_tree[h->cpu] = e->sw.next_tree;
		if (e->sw.prev_tree)
			set_state(tl, h->tid, e->sw.preempt || !e->sw.prev_state ?
				  T_RUNNABLE : T_NONE);
		if (e->sw.next_tree)
			set_state(tl, e->sw.next_tid, T_RUNNING);
		break;
	case EV_WAKING:
	case EV_WAKEUP_NEW:
		if (state_of(tl, h->tid) != T_RUNNING)
			set_state(tl, h->tid, T_RUNNABLE);
		break;
	}
}

static const char *const bars[] = { " ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };

/* Interval i's length: the last one ends with the window, not after it. */
static double slot_ns(const struct timeline *tl, size_t i, uint64_t t_end)
{
	uint64_t from = tl->t_start + i * tl->interval;

	return t_end > from && t_end - from < tl->interval ? t_end - from : tl->interval;
}

static const char *span(char *buf, size_t len, uint64_t ns)
{
	if (ns >= 1000000)
		snprintf(buf, len, "%g ms", ns / 1e6);
	else if (ns >= 1000)
		snprintf(buf, len, "%g us", ns / 1e3);
	else
		snprintf(buf, len, "%llu ns", (unsigned long long)ns);
	return buf;
}

int timeline_finish(struct timeline *tl, uint64_t t_end, unsigned int steady,
		    struct csv *c, char *buf, size_t len)
{
	size_t group, off = 0;
	double top = tl->ncpus;
	char key[32];

	advance(tl, t_end);
	add_run(tl, -1, tl->t_start, t_end, steady);
	if (tl->oom) {
		pr_err("timeline: out of memory for its intervals");
		return -ENOMEM;
	}
	if (c && tl->interval != tl->asked) {
		char a[32], w[32];

		pr_warn("timeline: a run of more than %u intervals of %s: each is %s",
			MAX_SLOTS, span(a, sizeof(a), tl->asked), span(w, sizeof(w), tl->interval));
	}
	if (c) {
		csv_field(c, "interval_start_ms");
		csv_field(c, "running_avg");
		csv_field(c, "runnable_avg");
		for (int cpu = 0; cpu < tl->ncpus; cpu++) {
			snprintf(key, sizeof(key), "cpu%d_tree_pct", cpu);
			csv_field(c, key);
		}
		csv_field(c, "interval_ms");
		csv_field(c, "switches");
		csv_end_row(c);
	}
	for (size_t i = 0; i < tl->nslots; i++) {
		double d = slot_ns(tl, i, t_end);
		char v[32];

		if (tl->slots[i].running_ns / d > top)
			top = tl->slots[i].running_ns / d;
		if (!c)
			continue;
		snprintf(v, sizeof(v), "%.3f", i * (double)tl->interval / 1e6);
		csv_field(c, v);
		snprintf(v, sizeof(v), "%.3f", tl->slots[i].running_ns / d);
		csv_field(c, v);
		snprintf(v, sizeof(v), "%.3f", tl->slots[i].runnable_ns / d);
		csv_field(c, v);
		for (int cpu = 0; cpu < tl->ncpus; cpu++) {
			/*
			 * A run rebuilt from the kernel's count (its switch-in
			 * unseen) is added where it ended, over time the CPU may
			 * already have been counted the tree's (a task before it
			 * whose switch-out was unseen too): a CPU is the tree's for
			 * at most the whole interval
			 */
			double ns = tl->cpu_ns[i * tl->ncpus + cpu];

			snprintf(v, sizeof(v), "%.1f", 100 * (ns < d ? ns : d) / d);
			csv_field(c, v);
		}
		snprintf(v, sizeof(v), "%.3f", d / 1e6);
		csv_field(c, v);
		snprintf(v, sizeof(v), "%llu", (unsigned long long)tl->slots[i].switches);
		csv_field(c, v);
		csv_end_row(c);
	}
	/* the sparkline: running tasks, intervals grouped to fit the width */
	group = (tl->nslots + SPARK_WIDTH - 1) / SPARK_WIDTH;
	if (!group)
		group = 1;
	buf[0] = '\0';
	for (size_t i = 0; i < tl->nslots && off + 4 < len; i += group) {
		double sum = 0;
		size_t n = 0;
		int level;

		for (size_t j = i; j < i + group && j < tl->nslots; j++, n++)
			sum += tl->slots[j].running_ns / slot_ns(tl, j, t_end);
		level = (int)(sum / n / top * 8 + 0.5);
		off += snprintf(buf + off, len - off, "%s", bars[level < 0 ? 0 : level > 8 ? 8 : level]);
	}
	return 0;
}

void timeline_free(struct timeline *tl)
{
	if (!tl)
		return;
	free(tl->slots);
	free(tl->cpu_ns);
	free(tl->cpu_tree);
	index_free(&tl->state);
	free(tl);
}

/* The timeline as an output of the run's events (core/sink.h) */
static void out_event(void *ctx, const union ev_any *e, const struct sink_step *st)
{
	timeline_event(ctx, e, st);
}

static int out_finish(void *ctx, const struct sink_end *end)
{
	struct timeline *tl = ctx;
	int err = timeline_finish(tl, end->td->t_end, end->td->steady, tl->out,
				  end->s->sparkline, sizeof(end->s->sparkline));

	if (tl->out)
		err |= csv_commit(tl->out);
	timeline_free(tl);
	return err ? -1 : 0;
}

static void out_abort(void *ctx)
{
	struct timeline *tl = ctx;

	csv_abort(tl->out);
	timeline_free(tl);
}

static const struct sink_ops timeline_ops = { out_event, NULL, NULL, out_finish, out_abort };

struct sink timeline_sink(struct timeline *tl, struct csv *c)
{
	tl->out = c;
	return (struct sink){ &timeline_ops, tl };
}
