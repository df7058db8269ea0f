// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * `tracer report FILE.csv[.gz]`: no root, no BPF. The events go through the
 * same replay (bpf/logic.h) and the meta rows give what only the kernel
 * knew, so the summary is the one the live run printed.
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "csv.h"
#include "csvread.h"
#include "evcsv.h"
#include "log.h"
#include "meta.h"
#include "offline.h"
#include "replay.h"
#include "report.h"
#include "summary.h"
#include "timeline.h"

struct report_args {
	const char *file;
	const char *csv_path;
};

static const char doc[] =
"Rebuild the report of a run from its event file (tracer run --events FILE),\n"
"without root or BPF; --csv writes the same summary CSV the run wrote.\n"
"\n"
"EXAMPLES:\n"
"  tracer report events.csv.gz\n"
"  tracer report events.csv --csv summary.csv";

static const struct argp_option options[] = {
	{ "csv", 'c', "FILE", 0, "Write the summary as CSV (FILE.gz: compressed)", 0 },
	{}
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct report_args *a = state->input;

	switch (key) {
	case 'c':
		a->csv_path = arg;
		break;
	case ARGP_KEY_ARG:
		if (a->file)
			argp_error(state, "one event file at a time");
		a->file = arg;
		break;
	case ARGP_KEY_END:
		if (!a->file)
			argp_error(state, "which event file? (tracer run --events FILE writes one)");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* The header must start with our columns: later versions only add some. */
static int check_header(struct csvr *r, const char *path)
{
	if (csvr_ncols(r) < NR_EVCOLS) {
		pr_err("%s: not an event file of tracer (%zu columns, %d expected)",
		       path, csvr_ncols(r), NR_EVCOLS);
		return -EINVAL;
	}
	for (int i = 0; i < NR_EVCOLS; i++)
		if (strcmp(csvr_colname(r, i), evcsv_columns[i])) {
			pr_err("%s: not an event file of tracer (column %d is '%s', not '%s')",
			       path, i + 1, csvr_colname(r, i), evcsv_columns[i]);
			return -EINVAL;
		}
	return 0;
}

struct loaded {
	struct trace_data td;
	struct run_meta m;
	struct replay *r;
	struct timeline *tl;	/* the sparkline, at the live default interval */
	int schema, ended;
};

static int take_meta(struct loaded *L, const char *key, const char *val,
		     const char *path, unsigned long line)
{
	if (!strcmp(key, "schema_version")) {
		L->schema = atoi(val);
		if (L->schema != EVCSV_SCHEMA) {
			pr_err("%s: schema version %s, this tracer reads %d", path, val,
			       EVCSV_SCHEMA);
			return -EINVAL;
		}
	} else if (!strcmp(key, "end")) {
		L->ended = 1;
	} else if (meta_set(&L->m, &L->td, key, val) && !strncmp(key, "cpu", 3)) {
		pr_err("%s: line %lu: bad meta value %s=%s", path, line, key, val);
		return -EINVAL;
	}
	return 0;
}

static int load(struct loaded *L, const char *path)
{
	struct csvr *r;
	union ev_any e;
	const char *why;
	char **f;
	size_t n;
	int err;

	err = csvr_open(&r, path);
	if (err) {
		pr_err("cannot open %s: %s", path, strerror(-err));
		return err;
	}
	err = csvr_read_header(r);
	if (err == -ENODATA)
		pr_err("%s: empty file", path);
	else if (err)
		pr_err("%s: %s", path, csvr_error(r));
	if (!err)
		err = check_header(r, path);
	while (!err && (err = csvr_read(r, &f, &n)) > 0) {
		enum row_kind k = evcsv_parse(f, &e, &why);

		err = 0;
		if (k == ROW_META) {
			err = take_meta(L, f[COL_KEY], f[COL_VALUE], path, csvr_line(r));
			continue;
		}
		if (k == ROW_BAD) {
			pr_err("%s: line %lu: bad %s", path, csvr_line(r), why);
			err = -EINVAL;
			break;
		}
		if (!L->schema) {
			pr_err("%s: line %lu: events before the schema version", path,
			       csvr_line(r));
			err = -EINVAL;
			break;
		}
		if (!L->r && !(L->r = replay_new(L->td.t_start))) {
			err = -ENOMEM;
			break;
		}
		if (!L->tl && L->td.ncpus)
			L->tl = timeline_new(L->td.t_start, 10000000, L->td.ncpus);
		if (k == ROW_TASK) {
			replay_task(L->r, e.tk.hdr.tid, e.tk.hdr.pid, e.tk.parent_pid, e.tk.comm);
			continue;
		}
		replay_event(L->r, &e);
		if (L->tl)
			timeline_event(L->tl, &e);
	}
	if (err < 0 && err != -EINVAL && err != -ENODATA)
		pr_err("%s: %s", path, csvr_error(r));
	csvr_close(r);
	if (err)
		return err;
	if (!L->ended) {
		pr_err("%s: incomplete: no end record (the run that wrote it did not finish)", path);
		return -EINVAL;
	}
	if (!L->td.cpu_ns) {
		pr_err("%s: no CPU count in its meta rows", path);
		return -EINVAL;
	}
	if (!L->r && !(L->r = replay_new(L->td.t_start)))
		return -ENOMEM;
	return replay_result(L->r, &L->td);
}

int cmd_report(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt, "FILE", doc, NULL, NULL, NULL };
	struct report_args a = {};
	struct loaded L = {};
	struct csv *csv = NULL;
	struct summary s;
	int code = 1;

	argp_parse(&argp, argc, argv, 0, NULL, &a);
	if (a.csv_path && csv__open(&csv, a.csv_path, NULL))
		return 1;
	if (load(&L, a.file))
		goto out;
	summary_build(&s, &L.td, &L.m);
	if (L.tl)
		timeline_finish(L.tl, L.td.t_end, NULL, s.sparkline, sizeof(s.sparkline));
	if (csv) {
		code = report_write_csv(csv, &s) ? 1 : 0;
		csv = NULL;
		if (code)
			goto out;
	}
	report_print(stdout, &s);
	code = 0;
out:
	csv__abort(csv);
	replay_free(L.r);
	timeline_free(L.tl);
	trace_data_free(&L.td);
	return code;
}
