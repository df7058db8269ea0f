// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/hist.h"
#include "core/event.h"
#include "core/meta.h"
#include "core/summary.h"

const char *const hist_names[NR_HISTS] = {
	[HIST_WAKE_SAME] = "wakeup_latency_same_cpu",
	[HIST_WAKE_CROSS] = "wakeup_latency_cross_cpu",
	[HIST_PREEMPT] = "preempt_delay",
	[HIST_OFF_S] = "offcpu_sleep",
	[HIST_OFF_D] = "offcpu_uninterruptible",
	[HIST_FUTEX_WAIT] = "futex_wait",
	[HIST_CREATE_PROC] = "create_process",
	[HIST_CREATE_THREAD] = "create_thread",
};

static const char *const futex_ops[] = {
	"wait", "wake", "fd", "requeue", "cmp_requeue", "wake_op", "lock_pi",
	"unlock_pi", "trylock_pi", "wait_bitset", "wake_bitset",
	"wait_requeue_pi", "cmp_requeue_pi", "lock_pi2",
};

const char *futex_op_name(unsigned int op)
{
	switch (op) {
	case FX_OP_WAITV: return "waitv";
	case FX_OP_WAIT2: return "futex_wait";
	case FX_OP_WAKE2: return "futex_wake";
	case FX_OP_REQUEUE2: return "futex_requeue";
	}
	return op < sizeof(futex_ops) / sizeof(futex_ops[0]) ? futex_ops[op] : NULL;
}

static struct lat lat_of(const struct hist *h)
{
	struct lat l = { .count = h->count };

	if (!h->count)
		return l;
	l.p50_us = hist_percentile(h, 50) / 1e3;
	l.p90_us = hist_percentile(h, 90) / 1e3;
	l.p99_us = hist_percentile(h, 99) / 1e3;
	l.max_us = h->max_ns / 1e3;
	l.avg_us = (double)h->sum_ns / h->count / 1e3;
	return l;
}

/* Every task's figures: the kept ones', and the totals of those folded. */
static void add_tasks(struct summary *s, const struct trace_data *td)
{
	struct task_fold f = td->folded;

	for (size_t i = 0; i < td->ntasks; i++)
		task_fold_add(&f, td->tasks[i].tid, &td->tasks[i].st);
	s->tasks = f.tasks;
	s->processes = f.processes;
	s->threads = f.threads;
	s->tasks_alive = f.tasks - f.exited;
	s->threads_exited = f.threads_exited;
	s->tasks_checked = f.checked;
	s->tasks_check_failed = f.check_failed;
	s->switches_vol = f.switches_vol;
	s->switches_invol = f.switches_invol;
	s->migrations = f.migrations;
	s->oncpu_s = f.run_ns / 1e9;
}

static void summary_from_trace(struct summary *s, const struct trace_data *td)
{
	struct hist wake = {};
	__u64 window = td->t_end > td->t_start ? td->t_end - td->t_start : 0;

	s->td = td;
	add_tasks(s, td);
	s->window_s = window / 1e9;
	s->parallelism = window ? s->oncpu_s / s->window_s : 0;
	for (int k = 0; k < MAX_LEVEL; k++) {
		s->level_s[k] = td->level_ns[k] / 1e9;
		if (td->level_ns[k])
			s->max_level = k;
	}
	/* per-CPU shares of the first 64 CPUs; the interference of them all */
	s->ncpus = td->ncpus < 64 ? td->ncpus : 64;
	for (int c = 0; c < td->ncpus; c++) {
		for (int k = 0; c < s->ncpus && k < NR_CATS; k++)
			s->cpu_pct[c][k] = window ? 100.0 * td->cpu_ns[c][k] / window : 0;
		s->interference_s += td->cpu_ns[c][CAT_OTHER] / 1e9;
	}
	for (int i = 0; i < NR_HISTS; i++)
		s->lat[i] = lat_of(&td->hists[i]);
	hist_merge(&wake, &td->hists[HIST_WAKE_SAME]);
	hist_merge(&wake, &td->hists[HIST_WAKE_CROSS]);
	s->wake_all = lat_of(&wake);
	memcpy(s->cnt, td->cnt, sizeof(s->cnt));
	s->cnt[CNT_TID_REUSED] = td->tids_reused;
	s->stack_ns = trace_offcpu_total(td, 0, &s->stack_waits);
	s->events_lost = td->cnt[CNT_LOST_TASKS] + td->cnt[CNT_LOST_PAIRS] +
			 td->cnt[CNT_LOST_FUTEX] + td->cnt[CNT_RUNS_MISSED];
	/* those of tasks gone: folded in user space, or in the kernel */
	s->pairs_folded = td->pairs_folded + td->cnt[CNT_PAIRS_FOLDED];
	s->pairs_folded_wakeups = td->pairs_folded_wakeups + td->cnt[CNT_PAIR_WAKEUPS_FOLDED];
	s->futex_folded = td->futex_folded + td->cnt[CNT_FUTEX_FOLDED];
	s->futex_folded_waits = td->futex_folded_waits + td->cnt[CNT_FUTEX_WAITS_FOLDED];
	s->ring_sent = trace_ring_sent(td);
	s->ring_lost = trace_ring_lost(td);
	s->events_lost += s->ring_lost;
}

void summary_build(struct summary *s, const struct trace_data *td,
		   const struct run_meta *m)
{
	memset(s, 0, sizeof(*s));
	s->workload = m->workload;
	snprintf(s->command, sizeof(s->command), "%s", m->command);
	s->exit_code = m->exit_code;
	s->partial = m->partial;
	s->signal = m->signal;
	/* a file from before the row: an exit status over 128 of a run cut short */
	s->killed = m->killed != KILLED_UNKNOWN ? (int)m->killed :
		    m->partial && m->exit_code > 128 ? (int)(m->exit_code - 128) : 0;
	s->leftovers = m->leftovers;
	s->attached = m->attached;
	s->wall_s = m->wall_ns / 1e9;
	s->cpu_user_s = m->cpu_user_us / 1e6;
	s->cpu_sys_s = m->cpu_sys_us / 1e6;
	s->steal_s = m->steal_ns / 1e9;
	s->rusage_vol = m->rusage_vol;
	s->rusage_invol = m->rusage_invol;
	s->tracer_rss_kib = m->tracer_rss_kib;
	s->tracer_cpu_run_s = m->tracer_cpu_run_us / 1e6;
	s->tracer_cpu_post_s = m->tracer_cpu_post_us / 1e6;
	s->cut_short = !!m->cut_short;
	if (m->result[0])
		summary_parse_result(s, m->result);
	summary_from_trace(s, td);
	/* in the ring, not in the file: lost */
	s->capture_lost = m->capture_lost < s->ring_sent ? m->capture_lost : s->ring_sent;
	s->ring_sent -= s->capture_lost;
	s->events_lost += s->capture_lost;
}

size_t summary_parse_result(struct summary *s, const char *line)
{
	return s->nwl = result_parse(line, s->wl, SUMMARY_MAX_WL);
}

/*
 * getrusage folds an exiting thread into its process before the thread's
 * final switch (voluntary: one per thread), and a preemption in between is
 * lost to it too (involuntary: at most one more per thread, in practice).
 * A process reaped inside the tree may be reaped before its final switch
 * too (the leader is not: tracer waits for it): at most one more of each.
 */
int summary_switches_match(const struct summary *s)
{
	uint64_t vol = s->rusage_vol + s->threads_exited;
	uint64_t reaped = s->processes > 1 ? s->processes - 1 : 0;

	return !s->attached &&
	       s->switches_vol >= vol && s->switches_vol <= vol + reaped &&
	       s->switches_invol >= s->rusage_invol &&
	       s->switches_invol <= s->rusage_invol + s->threads_exited + reaped;
}

struct cols {
	struct kv *kv;
	size_t n, max;
};

static void col(struct cols *c, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void col(struct cols *c, const char *key, const char *fmt, ...)
{
	va_list ap;

	if (c->n >= c->max)
		return;
	snprintf(c->kv[c->n].key, sizeof(c->kv[c->n].key), "%s", key);
	va_start(ap, fmt);
	vsnprintf(c->kv[c->n].val, sizeof(c->kv[c->n].val), fmt, ap);
	va_end(ap);
	c->n++;
}

static void col_u64(struct cols *c, const char *key, uint64_t v)
{
	col(c, key, "%" PRIu64, v);
}

static void col_lat(struct cols *c, const char *name, const struct lat *l)
{
	char key[64];

#define LAT_COL(suffix, field) \
	snprintf(key, sizeof(key), "%s_" suffix, name); \
	col(c, key, "%.3f", l->field)
	snprintf(key, sizeof(key), "%s_count", name);
	col_u64(c, key, l->count);
	LAT_COL("p50_us", p50_us);
	LAT_COL("p90_us", p90_us);
	LAT_COL("p99_us", p99_us);
	LAT_COL("max_us", max_us);
	LAT_COL("avg_us", avg_us);
#undef LAT_COL
}

/* Columns are only ever added, never renamed: scripts depend on them. */
size_t summary_columns(const struct summary *s, struct kv *kv, size_t max)
{
	uint64_t sw = s->switches_vol + s->switches_invol;
	struct cols c = { kv, 0, max };
	char key[64];

	col(&c, "schema_version", "1");
	col(&c, "workload", "%s", s->workload);
	col(&c, "command", "%s", s->command);
	col(&c, "exit_status", "%d", s->exit_code);
	col(&c, "partial", "%d", s->partial);
	col(&c, "wall_s", "%.6f", s->wall_s);
	col(&c, "cpu_user_s", "%.6f", s->cpu_user_s);
	col(&c, "cpu_sys_s", "%.6f", s->cpu_sys_s);
	col_u64(&c, "tasks", s->tasks);
	col_u64(&c, "processes", s->processes);
	col_u64(&c, "threads", s->threads);
	col_u64(&c, "threads_exited", s->threads_exited);
	col_u64(&c, "switches", sw);
	col_u64(&c, "switches_voluntary", s->switches_vol);
	col_u64(&c, "switches_involuntary", s->switches_invol);
	col(&c, "switches_per_s", "%.1f", s->wall_s > 0 ? sw / s->wall_s : 0);
	col_u64(&c, "rusage_switches_voluntary", s->rusage_vol);
	col_u64(&c, "rusage_switches_involuntary", s->rusage_invol);
	col(&c, "switches_match_rusage", "%d", summary_switches_match(s));
	col_u64(&c, "tasks_untracked", s->cnt[CNT_LOST_TASKS]);
	/* schema 1, issue 4 additions */
	col_u64(&c, "tasks_checked", s->tasks_checked);
	col_u64(&c, "tasks_check_failed", s->tasks_check_failed);
	col_u64(&c, "tasks_alive_at_end", s->tasks_alive);
	col_u64(&c, "migrations", s->migrations);
	col(&c, "oncpu_s", "%.6f", s->oncpu_s);
	col(&c, "window_s", "%.6f", s->window_s);
	col(&c, "parallelism_avg", "%.4f", s->parallelism);
	for (int k = 0; k < MAX_LEVEL; k++) {
		snprintf(key, sizeof(key), "concurrency_%d_s", k);
		col(&c, key, "%.6f", s->level_s[k]);
	}
	col(&c, "interference_s", "%.6f", s->interference_s);
	col(&c, "steal_s", "%.6f", s->steal_s);
	for (int cpu = 0; cpu < s->ncpus; cpu++) {
		snprintf(key, sizeof(key), "cpu%d_tree_pct", cpu);
		col(&c, key, "%.2f", s->cpu_pct[cpu][CAT_TREE]);
		snprintf(key, sizeof(key), "cpu%d_other_pct", cpu);
		col(&c, key, "%.2f", s->cpu_pct[cpu][CAT_OTHER]);
		snprintf(key, sizeof(key), "cpu%d_idle_pct", cpu);
		col(&c, key, "%.2f", s->cpu_pct[cpu][CAT_IDLE]);
	}
	col_u64(&c, "wakeups", s->cnt[CNT_WAKING]);
	col_u64(&c, "wakeups_unmatched", s->cnt[CNT_UNMATCHED_WAKEUP]);
	col_u64(&c, "switch_ins_unseen", s->cnt[CNT_UNSEEN_SWITCH_IN]);
	col_u64(&c, "switch_outs_unseen", s->cnt[CNT_UNSEEN_SWITCH_OUT]);
	col(&c, "oncpu_from_kernel_s", "%.6f", s->cnt[CNT_KNL_RUN_NS] / 1e9);
	col_lat(&c, "wakeup_latency", &s->wake_all);
	for (int i = 0; i < NR_HISTS; i++)
		col_lat(&c, hist_names[i], &s->lat[i]);
	col_u64(&c, "processes_created", s->cnt[CNT_PROCS_CREATED]);
	col_u64(&c, "threads_created", s->cnt[CNT_THREADS_CREATED]);
	col_u64(&c, "execs", s->cnt[CNT_EXEC]);
	col_u64(&c, "exits", s->cnt[CNT_EXIT]);
	/* what the creation latencies start from, and whether futex calls were seen */
	col(&c, "create_basis", "%s", s->td->features & FEAT_CLONE ? "clone" : "fork");
	col_u64(&c, "futex_calls_traced", !!(s->td->features & FEAT_FUTEX));
	col_u64(&c, "futex_calls", s->cnt[CNT_FUTEX_CALLS]);
	col_u64(&c, "futex_waits", s->cnt[CNT_FUTEX_WAITS]);
	col_u64(&c, "futex_eagain", s->cnt[CNT_FUTEX_EAGAIN]);
	col_u64(&c, "futex_timeouts", s->cnt[CNT_FUTEX_TIMEOUTS]);
	col_u64(&c, "futex_wakes", s->cnt[CNT_FUTEX_WAKES]);
	col_u64(&c, "futex_woken", s->cnt[CNT_FUTEX_WOKEN]);
	for (unsigned int op = 0; op < NR_FX_OPS; op++) {
		const char *name = futex_op_name(op);

		if (!name || op == 2)	/* FUTEX_FD: gone since 2.6.26 */
			continue;
		snprintf(key, sizeof(key), "futex_op_%s", name);
		col_u64(&c, key, s->cnt[CNT_FUTEX_OP + op]);
	}
	/* the ops that can block (logic.h's futex_is_wait) */
	static const unsigned int blocking[] = { 0, 6, 9, 11, 13, FX_OP_WAITV, FX_OP_WAIT2 };
	for (size_t i = 0; i < sizeof(blocking) / sizeof(blocking[0]); i++) {
		snprintf(key, sizeof(key), "futex_blocked_%s", futex_op_name(blocking[i]));
		col_u64(&c, key, s->cnt[CNT_FUTEX_BLOCK_OP + blocking[i]]);
	}
	col_u64(&c, "futex_sys_waits", s->cnt[CNT_FUTEX_SYS_WAITS]);
	col_u64(&c, "futex_sys_timeouts", s->cnt[CNT_FUTEX_SYS_TIMEOUTS]);
	col_u64(&c, "futex_sys_woken", s->cnt[CNT_FUTEX_SYS_WOKEN]);
	col_u64(&c, "events_switch", s->cnt[CNT_SWITCH_TREE]);
	col_u64(&c, "events_lost", s->events_lost);
	col_u64(&c, "lost_pairs", s->cnt[CNT_LOST_PAIRS]);
	col_u64(&c, "lost_futex_keys", s->cnt[CNT_LOST_FUTEX]);
	col_u64(&c, "tasks_final_lost", 0);	/* since folded in the kernel: kept for readers */
	col_u64(&c, "tasks_folded_in_kernel", s->cnt[CNT_LOST_DEAD]);
	col_u64(&c, "stacks", s->td->stacks);
	col_u64(&c, "stack_waits", s->stack_waits);
	col(&c, "stack_offcpu_s", "%.6f", s->stack_ns / 1e9);
	col_u64(&c, "stacks_not_read", s->cnt[CNT_STACK_FAIL]);
	col_u64(&c, "stack_entries_lost", s->cnt[CNT_OFFCPU_LOST]);
	col_u64(&c, "stack_procs_unresolved", s->td->stacks_unresolved);
	col_u64(&c, "tids_reused", s->cnt[CNT_TID_REUSED]);
	col(&c, "leftovers_stopped", "%d", s->leftovers);
	col(&c, "tracer_rss_kib", "%ld", s->tracer_rss_kib);
	col(&c, "tracer_cpu_run_s", "%.6f", s->tracer_cpu_run_s);
	col(&c, "tracer_cpu_post_s", "%.6f", s->tracer_cpu_post_s);
	col_u64(&c, "events_written", s->ring_sent);
	col_u64(&c, "events_lost_ring", s->ring_lost);
	col_u64(&c, "events_lost_capture", s->capture_lost);
	col_u64(&c, "bpf_runs_missed", s->cnt[CNT_RUNS_MISSED]);
	for (int k = 1; k < NR_EV_KINDS; k++) {
		snprintf(key, sizeof(key), "events_lost_%s", ev_kind_names[k]);
		col_u64(&c, key, s->cnt[CNT_EV_LOST + k]);
	}
	col_u64(&c, "pairs_folded", s->pairs_folded);
	col_u64(&c, "pairs_folded_wakeups", s->pairs_folded_wakeups);
	col_u64(&c, "futex_keys_folded", s->futex_folded);
	col_u64(&c, "futex_keys_folded_waits", s->futex_folded_waits);
	col_u64(&c, "keys_folded_in_kernel", s->cnt[CNT_PAIRS_FOLDED] + s->cnt[CNT_FUTEX_FOLDED]);
	col(&c, "killed_by_signal", "%d", s->killed);
	for (size_t i = 0; i < s->nwl; i++) {
		snprintf(key, sizeof(key), "wl_%s", s->wl[i].key);
		col(&c, key, "%s", s->wl[i].val);
	}
	return c.n;
}
