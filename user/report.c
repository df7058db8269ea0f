// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <inttypes.h>
#include <stdio.h>
#include "csv.h"
#include "report.h"

#define MAX_COLS	(32 + SUMMARY_MAX_WL)

void report_print(FILE *out, const struct summary *s)
{
	uint64_t sw = s->switches_vol + s->switches_invol;

	fprintf(out, "\n%s%s%s%s\n", s->workload, *s->workload ? ": " : "",
		s->command, s->partial ? "  [PARTIAL: interrupted]" : "");
	fprintf(out, "  exit status %d, wall time %.3f s, CPU time %.3f s user + %.3f s sys\n",
		s->exit_code, s->wall_s, s->cpu_user_s, s->cpu_sys_s);

	if (s->nwl) {
		fprintf(out, "\nthe workload's own figures (its result line)\n");
		for (size_t i = 0; i < s->nwl; i++)
			fprintf(out, "  %-22s %s\n", s->wl[i].key, s->wl[i].val);
	}

	fprintf(out, "\ncontext switches of the traced tree (BPF, sched_switch)\n");
	fprintf(out, "  %-22s %12" PRIu64 "  (%.0f /s)\n", "total", sw,
		s->wall_s > 0 ? sw / s->wall_s : 0);
	fprintf(out, "  %-22s %12" PRIu64 "  left the CPU to wait\n", "voluntary",
		s->switches_vol);
	fprintf(out, "  %-22s %12" PRIu64 "  preempted while runnable\n", "involuntary",
		s->switches_invol);
	fprintf(out, "  %-22s %12" PRIu64 "  processes %" PRIu64 ", further threads %" PRIu64 "\n",
		"tasks", s->tasks, s->processes, s->threads);
	fprintf(out, "  kernel's own counters (getrusage of the tree): %" PRIu64
		" voluntary + %" PRIu64 " thread exits, %" PRIu64 " involuntary: %s\n",
		s->rusage_vol, s->threads_exited, s->rusage_invol,
		summary_switches_match(s) ? "equal" : "DIFFERENT");
	fprintf(out, "  lost: %" PRIu64 " tasks could not be tracked\n",
		s->tasks_untracked);
}

int report_write_csv(struct csv *c, const struct summary *s)
{
	struct kv cols[MAX_COLS];
	size_t n = summary_columns(s, cols, MAX_COLS);

	for (size_t i = 0; i < n; i++)
		csv__field(c, cols[i].key);
	csv__end_row(c);
	for (size_t i = 0; i < n; i++)
		csv__field(c, cols[i].val);
	csv__end_row(c);
	return csv__commit(c);
}
