/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_SUMMARY_H
#define TRACER_SUMMARY_H

#include <stddef.h>
#include <stdint.h>
#include "events.h"

#define SUMMARY_MAX_WL	64	/* workload result keys kept */

struct kv {
	char key[64];
	char val[128];
};

/*
 * Everything one run's report and summary CSV show. Pure data: filled from
 * the kernel's maps and the launcher's rusage, printed by report.c and
 * csv columns; no libbpf here.
 */
struct summary {
	const char *workload;		/* bundled name, or "" for a command */
	char command[256];		/* argv joined by spaces */
	int exit_code;			/* as tracer returns it */
	int partial;			/* interrupted: figures cover part of the run */
	double wall_s;
	double cpu_user_s, cpu_sys_s;	/* tree, getrusage */
	uint64_t tasks, processes, threads;
	uint64_t threads_exited;	/* non-leader tasks that made their final switch */
	uint64_t switches_vol, switches_invol;
	uint64_t rusage_vol, rusage_invol;	/* the kernel's own counters */
	uint64_t tasks_untracked;
	size_t nwl;
	struct kv wl[SUMMARY_MAX_WL];	/* the workload's result line, keys without wl_ */
};

void summary_add_tasks(struct summary *s, const __u32 *tids,
		       const struct task_stat *st, size_t n);
/* Parse "result: k=v k=v ..." into s->wl; returns the number of pairs. */
size_t summary_parse_result(struct summary *s, const char *line);
/* Whether the traced switch counts equal the kernel's own counters. */
int summary_switches_match(const struct summary *s);

/* The summary CSV schema: column names and values in one fixed order. */
size_t summary_columns(const struct summary *s, struct kv *cols, size_t max);

#endif
