/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_CLI_H
#define TRACER_CLI_H

#include "live/catalog.h"

/* `tracer run` options, from the command line. */
struct run_config {
	const struct workload *wl;	/* NULL when running a command */
	char **wl_args;			/* the user's workload options */
	int nwl_args;
	char **cmd;			/* after "--", NULL-terminated */
	const char *csv_path;
	const char *events_path;	/* --events */
	const char *timeline_path;	/* --timeline */
	const char *perfetto_path;	/* --perfetto */
	const char *capture_path;	/* --capture: keep it */
	unsigned int interval_ms;	/* --interval */
	unsigned int ring_mb;		/* --ring-mb */
	unsigned int max_tasks;		/* --max-tasks; 0: the default */
	unsigned int max_pairs;		/* --max-pairs; 0: the default */
	int stacks;			/* --stacks (or --folded, --flamegraph) */
	const char *folded_path;	/* --folded */
	const char *flamegraph_path;	/* --flamegraph */
	int unwind;			/* --unwind: UNWIND_FP, _DWARF, _EH (core/trace.h) */
	int bpf_stats;			/* --bpf-stats */
	int syscalls;			/* --syscalls */
	int pid;			/* -p: attach to this running tree */
	double duration_s;		/* --duration with -p; 0: until it exits */
	const char *user;		/* --user: run the command as */
};

/*
 * Parse argv of `run` (argv[0] is "run"): 0, or the exit status after
 * saying why (EXIT_USAGE; argp itself exits on a malformed option).
 */
int cli_parse_run(int argc, char **argv, struct run_config *cfg);

#endif
