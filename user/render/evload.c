// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Reading an event file back: the header checked, meta rows into run_meta
 * and the kernel-only parts of trace_data, events through the replay.
 * Malformed input is a one-line error, never a crash (tests/fuzz).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "io/evcsv.h"
#include "io/metarows.h"
#include "io/capture.h"
#include "io/csvread.h"
#include "render/evload.h"
#include "core/log.h"
#include "core/progress.h"
#include "render/sinks.h"

/*
 * The header must start with our columns: later versions only add some,
 * and schema 1 had all but the last.
 */
static int check_header(struct csvr *r, const char *path)
{
	size_t n = csvr_ncols(r) < NR_EVCOLS ? csvr_ncols(r) : NR_EVCOLS;

	if (n < EVCSV_V1_COLS) {
		pr_err("%s: not an event file of tracer (%zu columns, %d expected)",
		       path, csvr_ncols(r), NR_EVCOLS);
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++)
		if (strcmp(csvr_colname(r, i), evcsv_columns[i])) {
			pr_err("%s: not an event file of tracer (column %zu is '%s', not '%s')",
			       path, i + 1, csvr_colname(r, i), evcsv_columns[i]);
			return -EINVAL;
		}
	return 0;
}


static int take_meta(struct evload *L, const char *key, const char *val,
		     const char *path, unsigned long line)
{
	if (!strcmp(key, "schema_version")) {
		L->schema = atoi(val);
		if (L->schema < 1 || L->schema > EVCSV_SCHEMA) {
			pr_err("%s: schema version %s, this tracer reads 1 to %d", path, val,
			       EVCSV_SCHEMA);
			return -EINVAL;
		}
	} else if (!strcmp(key, "end")) {
		L->ended = 1;
	} else if (meta_set(&L->m, &L->td, key, val) &&
		   (!strncmp(key, "cpu", 3) || !strncmp(key, "runtime_end_", 12) ||
		    !strcmp(key, "interval_ns"))) {
		pr_err("%s: %s %lu: bad meta value %s=%s", path, L->unit, line, key, val);
		return -EINVAL;
	}
	return 0;
}

/* An event or a task row (k): 0, or a negative errno after saying what is wrong. */
volatile sig_atomic_t evload_interrupted;

static int take_event(struct evload *L, enum row_kind k, const union ev_any *e,
		      const char *path, unsigned long line)
{
	if (evload_interrupted)
		return -EINTR;
	struct sinks sk;

	if (L->ended) {		/* written last: what follows is not the run's */
		pr_err("%s: %s %lu: a row after the end row", path, L->unit, line);
		return -EINVAL;
	}
	if (!L->schema || !L->td.t_start || !L->td.ncpus) {
		pr_err("%s: %s %lu: events before the schema version, start time and CPU count",
		       path, L->unit, line);
		return -EINVAL;
	}
	if (!L->r && !(L->r = replay_new(L->td.t_start, L->td.max_pairs))) {
		pr_err("out of memory");
		return -ENOMEM;
	}
	if (!L->tl)
		L->tl = timeline_new(L->td.t_start, L->td.interval_ns ? L->td.interval_ns :
				     TIMELINE_INTERVAL_MS * 1000000ull, L->td.ncpus);
	sk = (struct sinks){ .r = L->r };
	if (L->tl)	/* for the sparkline only: tracer report finishes it */
		sinks_add(&sk, timeline_sink(L->tl, NULL));
	if (k == ROW_TASK) {
		sinks_task(&sk, e);
		return 0;
	}
	if (e->hdr.ts > L->last_ts)
		L->last_ts = e->hdr.ts;
	sinks_event(&sk, e);
	return 0;
}

/* One row: 0, or a negative errno after saying what is wrong. */
static int take_row(struct evload *L, char **f, size_t n, const char *path,
		    unsigned long line)
{
	union ev_any e;
	const char *why;
	enum row_kind k;

	if (L->ended) {
		pr_err("%s: %s %lu: a row after the end row", path, L->unit, line);
		return -EINVAL;
	}
	k = evcsv_parse(f, n, &e, &why);
	if (k == ROW_META)
		return take_meta(L, f[COL_KEY], f[COL_VALUE], path, line);
	if (k == ROW_BAD) {
		pr_err("%s: %s %lu: bad %s", path, L->unit, line, why);
		return -EINVAL;
	}
	return take_event(L, k, &e, path, line);
}

static int evload_finish(struct evload *L, const char *path);

int evload_reader(struct evload *L, struct csvr *r, const char *path)
{
	struct progress pg;
	uint64_t rows = 0;
	char **f;
	size_t n;
	int err;

	L->unit = "line";
	csvr_set_stop(r, &evload_interrupted);
	progress_init(&pg, "reading the events", csvr_size(r));
	err = csvr_read_header(r);
	if (!err)
		err = check_header(r, path);
	else if (err == -ENODATA)
		pr_err("%s: empty file", path);
	else if (!(err == -EINTR && evload_interrupted))
		pr_err("%s: %s", path, csvr_error(r));
	while (!err) {
		err = csvr_read(r, &f, &n);
		if (err <= 0) {
			if (err && !(err == -EINTR && evload_interrupted))
				pr_err("%s: %s", path, csvr_error(r));
			break;
		}
		if (csvr_cut(r)) {	/* tracer ends every row: its writer was stopped mid-row */
			pr_err("%s: incomplete: no end record (line %lu cut short: the run that "
			       "wrote it did not finish)", path, csvr_line(r));
			err = -EINVAL;
			break;
		}
		err = evload_interrupted ? -EINTR : take_row(L, f, n, path, csvr_line(r));
		if (!(++rows & 4095))	/* the clock is read at most every 4096 rows */
			progress_show(&pg, csvr_offset(r), rows);
	}
	progress_done(&pg);
	if (err)
		return err;
	if (!L->ended) {
		pr_err("%s: incomplete: no end record (the run that wrote it did not finish)", path);
		return -EINVAL;
	}
	return evload_finish(L, path);
}

/* The figures, once every row is in. */
static int evload_finish(struct evload *L, const char *path)
{
	if (!L->td.cpu_ns) {
		pr_err("%s: no CPU count in its meta rows", path);
		return -EINVAL;
	}
	if ((!L->r && !(L->r = replay_new(L->td.t_start, L->td.max_pairs))) ||
	    replay_result(L->r, &L->td)) {
		pr_err("out of memory");
		return -ENOMEM;
	}
	trace_close_window(&L->td);
	return 0;
}

/* A capture's records, as a file's rows; line numbers are record numbers. */
struct cap_load {
	struct evload *L;
	const char *path;
	unsigned long n;
	int err;
};

static int cap_event(void *ctx, const union ev_any *e)
{
	struct cap_load *c = ctx;

	c->err = take_event(c->L, ROW_EVENT, e, c->path, ++c->n);
	return c->err;
}

static int cap_task(void *ctx, const union ev_any *row)
{
	struct cap_load *c = ctx;

	c->err = take_event(c->L, ROW_TASK, row, c->path, ++c->n);
	return c->err;
}

static int cap_meta(void *ctx, const char *key, const char *value)
{
	struct cap_load *c = ctx;

	if (c->L->ended) {
		pr_err("%s: record %lu: a record after the end record", c->path, ++c->n);
		return c->err = -EINVAL;
	}
	c->err = take_meta(c->L, key, value, c->path, ++c->n);
	return c->err;
}

/*
 * A kept capture (run --capture). One cut short (its disk was full) has
 * no end record: what it holds is read, and said to be partial.
 */
static int evload_capture(struct evload *L, const char *path)
{
	static const struct capture_ops ops = { cap_event, cap_task, cap_meta };
	struct cap_load c = { .L = L, .path = path };
	int err;

	L->unit = "record";
	err = capture_read_file(path, &ops, &c, "reading the capture");

	if (err < 0 || c.err)
		return c.err ? c.err : err;	/* an op's own (-EINTR: interrupted) first */
	if (!L->ended) {
		pr_warn("%s: no end record: the run that wrote it did not finish writing it "
			"(a full disk?); these figures are of the events it holds", path);
		L->m.partial = L->m.cut_short = 1;
		if (!L->td.t_end)
			L->td.t_end = L->last_ts;
	}
	return evload_finish(L, path);
}

int evload_file(struct evload *L, const char *path)
{
	struct csvr *r;
	int err;

	L->m.killed = KILLED_UNKNOWN;	/* until a meta row says */
	if (capture_is_file(path))
		return evload_capture(L, path);
	err = csvr_open(&r, path);

	if (err) {
		pr_err("cannot open %s: %s", path, strerror(-err));
		return err;
	}
	err = evload_reader(L, r, path);
	csvr_close(r);
	return err;
}

void evload_free(struct evload *L)
{
	replay_free(L->r);
	timeline_free(L->tl);
	trace_data_free(&L->td);
	memset(L, 0, sizeof(*L));
}
