/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_SUMMARY_H
#define TRACER_SUMMARY_H

#include <stddef.h>
#include <stdint.h>
#include "core/result.h"
#include "core/trace.h"

#define SUMMARY_MAX_WL	64	/* workload result keys kept */

/* One latency distribution, in microseconds. */
struct lat {
	uint64_t count;
	double p50_us, p90_us, p99_us, max_us, avg_us;
};

/*
 * Everything one run's report and summary CSV show, computed from the
 * trace (kernel maps, or later an event file) and the launcher's rusage.
 * Pure data and arithmetic: no libbpf, no I/O.
 */
struct summary {
	const char *workload;		/* bundled name, or "" for a command */
	char command[256];		/* argv joined by spaces */
	int exit_code;			/* as tracer returns it */
	int partial;			/* interrupted: figures cover part of the run */
	int signal;			/* the signal that interrupted tracer, or 0 */
	int killed;			/* the signal that ended the command, 0: it exited */
	int leftovers;			/* processes still running after the leader: stopped */
	int attached;			/* -p: a running tree, not our child: no rusage */
	double wall_s;
	double cpu_user_s, cpu_sys_s;	/* tree, getrusage */
	double steal_s;			/* hypervisor steal on all CPUs, /proc/stat */
	uint64_t rusage_vol, rusage_invol;	/* the kernel's own counters */

	/* from the trace */
	uint64_t tasks, processes, threads;
	uint64_t threads_exited;	/* non-leader tasks that made their final switch */
	uint64_t tasks_checked;		/* exited tasks born in the trace */
	uint64_t tasks_check_failed;	/* ... whose counts differ from nvcsw/nivcsw */
	uint64_t tasks_alive;		/* no final switch seen by the end */
	__u64 stack_waits, stack_ns;	/* --stacks: blocking switch-outs back on, their time */
	uint64_t switches_vol, switches_invol, migrations;
	double oncpu_s;			/* the tree's on-CPU time */
	double parallelism;		/* oncpu_s / window */
	double window_s;		/* the accounting window */
	double level_s[MAX_LEVEL];	/* time with k tree tasks on CPU */
	int max_level;
	int ncpus;
	double cpu_pct[64][NR_CATS];	/* per CPU: tree, other, idle, % of window */
	double interference_s;		/* CPU time of other tasks in the window */
	/* pairs and futex keys of tasks gone not kept (core/gone.h), or
	 * folded in the kernel (its ring full), and their wakeups or waits */
	uint64_t pairs_folded, pairs_folded_wakeups, futex_folded, futex_folded_waits;
	struct lat lat[NR_HISTS];
	struct lat wake_all;		/* same + cross CPU */
	uint64_t cnt[NR_CNT];
	uint64_t events_lost;		/* all losses: map entries and ring records */
	uint64_t ring_sent, ring_lost;	/* --events: records written and dropped */
	uint64_t capture_lost;		/* ... and those the capture had no room for */
	int cut_short;			/* the capture ends early */
	const struct trace_data *td;	/* for the per-task and per-pair tables */

	long tracer_rss_kib;		/* tracer's own peak RSS, this process only */
	double tracer_cpu_run_s, tracer_cpu_post_s;	/* its CPU: during, after */
	char sparkline[256];		/* tree tasks running, per interval (events) */
	size_t nwl;
	struct kv wl[SUMMARY_MAX_WL];	/* the workload's result line, keys without wl_ */
};

struct run_meta;
/* The summary of a run: its trace (kernel maps or replay) and its meta. */
void summary_build(struct summary *s, const struct trace_data *td,
		   const struct run_meta *m);
/* Parse "result: k=v k=v ..." into s->wl; returns the number of pairs. */
size_t summary_parse_result(struct summary *s, const char *line);
/* Whether the traced switch counts equal the kernel's rusage of the tree. */
int summary_switches_match(const struct summary *s);

/* The summary CSV schema: column names and values in one fixed order. */
size_t summary_columns(const struct summary *s, struct kv *cols, size_t max);

/* Names used in the report and the CSV. */
extern const char *const hist_names[NR_HISTS];
const char *futex_op_name(unsigned int op);

#endif
