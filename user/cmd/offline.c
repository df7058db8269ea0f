// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * `tracer report FILE.csv[.gz]` (or a capture): no root, no BPF. The events go through the
 * same replay (bpf/logic.h) and the meta rows give what only the kernel
 * knew, so the summary is the one the live run printed.
 */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "cmd/cli.h"
#include "render/evload.h"
#include "io/csv.h"
#include "core/log.h"
#include "cmd/offline.h"
#include "render/report.h"
#include "core/summary.h"
#include "render/runplot.h"
#include "render/timeline.h"

struct report_args {
	const char *file;
	const char *csv_path;
	const char *plot;
};

static const char doc[] =
"Rebuild the report of a run from its event file (tracer run --events FILE) or\n"
"its capture (tracer run --capture FILE), without root or BPF; --csv writes the\n"
"same summary CSV the run wrote.\n"
"\n"
"EXAMPLES:\n"
"  tracer report events.csv.gz\n"
"  tracer report events.csv --csv summary.csv\n"
"  tracer report events.csv.gz --plot pictures\n"
"  tracer report run.cap";

static const struct argp_option options[] = {
	{ "csv", 'c', "FILE", 0, "Write the summary as CSV (FILE.gz: compressed)", 0 },
	{ "plot", 'P', "DIR", 0, "Pictures of the run (PNG, with gnuplot) and their data in "
	  "DIR: concurrency and switches over time, latency histograms", 0 },
	{}
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct report_args *a = state->input;

	switch (key) {
	case 'c':
		a->csv_path = arg;
		break;
	case 'P':
		if (!*arg)
			argp_error(state, "--plot needs a directory");
		a->plot = arg;
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

static void on_signal(int sig)
{
	evload_interrupted = sig;
}

/* An output that would replace the file read, or another output: said, 1. */
static int same_as_input(const struct report_args *a)
{
	static const char *const plotted[] = { "timeline.csv", "latency.csv", "plots.gp" };
	char path[PATH_MAX];

	if (csv_same_file(a->csv_path, a->file)) {
		pr_err("--csv names the event file %s: give the summary a name of its own",
		       a->file);
		return 1;
	}
	for (size_t i = 0; a->plot && i < sizeof(plotted) / sizeof(plotted[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", a->plot, plotted[i]);
		if (csv_same_file(path, a->file) || csv_same_file(path, a->csv_path)) {
			pr_err("--plot %s would write over %s", a->plot,
			       csv_same_file(path, a->file) ? a->file : a->csv_path);
			return 1;
		}
	}
	return 0;
}

/* The report on stdout, all of it: a write error said (a closed pipe quietly). */
static int print_report(const struct summary *s)
{
	report_print(stdout, s);
	if (!fflush(stdout) && !ferror(stdout))
		return 0;
	if (errno != EPIPE)
		pr_err("cannot write the report: %s", strerror(errno ? errno : EIO));
	return 1;
}

int cmd_report(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	static const struct argp argp = { options, parse_opt, "FILE", doc, NULL, NULL, NULL };
	struct report_args a = {};
	struct evload L = {};
	struct csv *csv = NULL, *tl = NULL;
	struct summary s;
	int code = 1, err;

	argv[0] = "tracer report";	/* argp's messages name the command by it */
	argp_parse(&argp, argc, argv, 0, NULL, &a);
	if (same_as_input(&a))
		return EXIT_USAGE;
	if (a.csv_path && csv_open(&csv, a.csv_path, NULL))
		return 1;
	if (a.plot && runplot_begin(a.plot, &tl)) {
		csv_abort(csv);
		return 1;
	}
	/* interrupted: the output is removed, not left half-written */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	err = evload_file(&L, a.file);
	if (err == -EINTR && evload_interrupted) {
		pr_err("interrupted: %s not read to its end, no report written", a.file);
		code = 128 + evload_interrupted;
	}
	if (!err && trace_apply_word_names(&L.td)) {
		pr_err("out of memory naming the futex words");
		err = -ENOMEM;
	}
	if (err)
		goto out;
	summary_build(&s, &L.td, &L.m);
	if (s.ring_lost)	/* the live report came from the kernel's maps, not this file */
		pr_warn("%s: %llu event records were lost when it was written (the ring "
			"buffer was full): these figures, from the events kept, are incomplete",
			a.file, (unsigned long long)s.ring_lost);
	if (L.tl && timeline_finish(L.tl, L.td.t_end, L.td.steady, tl, s.sparkline,
				    sizeof(s.sparkline)))
		goto out;
	if (csv) {
		code = report_write_csv(csv, &s) ? 1 : 0;
		csv = NULL;
		if (code)
			goto out;
	}
	code = print_report(&s);
	if (!code && tl) {
		code = runplot_finish(a.plot, tl, &s, a.file, L.m.machine) ? 1 : 0;
		tl = NULL;
	}
out:
	csv_abort(tl);
	csv_abort(csv);
	evload_free(&L);
	return code;
}
