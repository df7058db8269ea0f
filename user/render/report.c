// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The terminal report and the summary CSV of one run. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "io/csv.h"
#include "core/log.h"
#include "core/hist.h"
#include "render/report.h"
#include "render/stacks.h"

#define MAX_COLS	(400 + SUMMARY_MAX_WL)
#define TOP_TASKS	20
#define TOP_PAIRS	10
#define TOP_FUTEX	5

static const char *const hist_titles[NR_HISTS] = {
	[HIST_WAKE_SAME] = "wakeup latency, waker on the same CPU (waking -> on-CPU)",
	[HIST_WAKE_CROSS] = "wakeup latency, waker on another CPU (waking -> on-CPU)",
	[HIST_PREEMPT] = "run-queue delay after preemption (off-CPU while runnable, R)",
	[HIST_OFF_S] = "off-CPU time after going to sleep (S)",
	[HIST_OFF_D] = "off-CPU time, uninterruptible (D)",
	[HIST_FUTEX_WAIT] = "futex wait time (blocked waits: off the CPU)",
	[HIST_CREATE_PROC] = "process creation: fork/clone entry -> child first on CPU",
	[HIST_CREATE_THREAD] = "thread creation: clone entry -> thread first on CPU",
};

/* A comm for a table: control bytes (a newline, a tab) would break its lines. */
static const char *shown(const char *comm, char buf[COMM_LEN])
{
	size_t i;

	for (i = 0; i < COMM_LEN - 1 && comm[i]; i++)
		buf[i] = (unsigned char)comm[i] < 0x20 || comm[i] == 0x7f ? '?' : comm[i];
	buf[i] = '\0';
	return buf;
}

/* The name of the last task of tid; a tid's name is kept modulo TASK_NAMES. */
static const char *comm_of(const struct trace_data *td, __u32 tid, char buf[COMM_LEN])
{
	const char *comm = tasktab_name(td->names, tid);

	if (comm)
		return shown(comm, buf);
	if (tid / 8 < td->nseen && (td->seen[tid / 8] & (1u << (tid % 8))))
		return "(name not kept)";
	return tid ? "(not in tree)" : "(idle/irq)";
}

static void print_lat(FILE *out, const char *title, const struct lat *l,
		      const struct hist *h)
{
	if (!l->count)
		return;
	fprintf(out, "\n%s\n", title);
	fprintf(out, "  count %" PRIu64 ", p50 %.1f us, p90 %.1f us, p99 %.1f us, max %.1f us\n",
		l->count, l->p50_us, l->p90_us, l->p99_us, l->max_us);
	if (h)
		hist_print_log2(out, h, "  ");
}

/* Descending order of one u64 field, for the "busiest first" tables. */
#define DESC(x, y) ((x) < (y) ? 1 : (x) > (y) ? -1 : 0)

/* A sorted copy of n elements, or NULL (nothing to print, or no memory). */
static void *sorted_copy(const void *src, size_t n, size_t size,
			 int (*cmp)(const void *, const void *))
{
	void *d = n ? malloc(n * size) : NULL;

	if (!d)
		return NULL;
	memcpy(d, src, n * size);
	qsort(d, n, size, cmp);
	return d;
}

static int by_run(const void *a, const void *b)
{
	const struct trace_task *x = a, *y = b;

	return DESC(x->st.run_ns, y->st.run_ns);
}

static void print_tasks(FILE *out, const struct summary *s)
{
	const struct trace_data *td = s->td;
	size_t n = td->ntasks;
	struct trace_task *t = sorted_copy(td->tasks, n, sizeof(*t), by_run);
	char comm[COMM_LEN];

	if (!t)
		return;
	fprintf(out, "\nper task (busiest %d of %llu; ms = milliseconds)\n",
		n < TOP_TASKS ? (int)n : TOP_TASKS,
		(unsigned long long)(n + td->folded.tasks));
	fprintf(out, "  %7s %-15s %9s %9s %9s %8s %8s %5s\n", "TID", "COMM",
		"RUN_ms", "SLEEP_ms", "RUNQ_ms", "VOL", "INVOL", "MIGR");
	for (size_t i = 0; i < n && i < TOP_TASKS; i++)
		fprintf(out, "  %7u %-15.15s %9.2f %9.2f %9.2f %8llu %8llu %5llu\n",
			t[i].tid, shown(t[i].st.comm, comm), t[i].st.run_ns / 1e6,
			t[i].st.sleep_ns / 1e6, t[i].st.runq_ns / 1e6,
			(unsigned long long)t[i].st.switches_vol,
			(unsigned long long)t[i].st.switches_invol,
			(unsigned long long)t[i].st.migrations);
	free(t);
}

static int by_count(const void *a, const void *b)
{
	const struct trace_pair *x = a, *y = b;

	/* ties by tids: the same rows whatever order the pairs came in */
	return DESC(x->h.count, y->h.count) ?: -DESC(x->key.waker_tid, y->key.waker_tid) ?:
	       -DESC(x->key.wakee_tid, y->key.wakee_tid);
}

static void print_pairs(FILE *out, const struct summary *s)
{
	const struct trace_data *td = s->td;
	size_t n = td->npairs;
	struct trace_pair *p = sorted_copy(td->pairs, n, sizeof(*p), by_count);

	if (!p)
		return;
	fprintf(out, "\nwho woke whom (%zu pair%s; wakeup latency in us)\n", n, n == 1 ? "" : "s");
	fprintf(out, "  %-21s %-21s %9s %7s %7s %8s\n", "WAKER", "WAKEE",
		"COUNT", "p50", "p99", "max");
	for (size_t i = 0; i < n && i < TOP_PAIRS; i++) {
		char waker[48], wakee[48], comm[COMM_LEN];

		snprintf(waker, sizeof(waker), "%u %s", p[i].key.waker_tid,
			 comm_of(td, p[i].key.waker_tid, comm));
		snprintf(wakee, sizeof(wakee), "%u %s", p[i].key.wakee_tid,
			 comm_of(td, p[i].key.wakee_tid, comm));
		fprintf(out, "  %-21.21s %-21.21s %9llu %7.1f %7.1f %8.1f\n",
			waker, wakee, (unsigned long long)p[i].h.count,
			hist_percentile(&p[i].h, 50) / 1e3,
			hist_percentile(&p[i].h, 99) / 1e3, p[i].h.max_ns / 1e3);
		stacks_print_pair(out, td, p[i].key.waker_tid, p[i].key.wakee_tid);
	}
	if (td->pairs_folded)	/* core/gone.h; those folded in the kernel: data quality */
		fprintf(out, "  and %llu lighter pairs of tasks gone, %llu wakeups: in the totals, "
			"not listed\n", (unsigned long long)td->pairs_folded,
			(unsigned long long)td->pairs_folded_wakeups);
	free(p);
}

/* The most-waited-on futex words: total wait per (process, address). */
struct futex_addr {
	__u64 uaddr;
	__u32 tgid;
	const char *name;	/* --stacks: the variable */
	__u64 waits, wait_ns;
	__u32 tids[4];
	int ntids, more;
};

static int by_wait(const void *a, const void *b)
{
	const struct futex_addr *x = a, *y = b;

	return DESC(x->wait_ns, y->wait_ns) ?: -DESC(x->tgid, y->tgid) ?: -DESC(x->uaddr, y->uaddr);
}

static void print_futex_addrs(FILE *out, const struct trace_data *td)
{
	struct futex_addr *fa = calloc(td->nfutex ? td->nfutex : 1, sizeof(*fa));
	size_t n = 0;

	if (!fa)
		return;
	for (size_t i = 0; i < td->nfutex; i++) {
		const struct trace_futex *f = &td->futex[i];
		size_t j;

		for (j = 0; j < n; j++)
			if (fa[j].uaddr == f->key.uaddr && fa[j].tgid == f->key.tgid)
				break;
		if (j == n) {
			fa[n].uaddr = f->key.uaddr;
			fa[n].name = f->name;
			fa[n++].tgid = f->key.tgid;
		}
		fa[j].waits += f->val.waits;
		fa[j].wait_ns += f->val.wait_ns;
		if (fa[j].ntids < 4)
			fa[j].tids[fa[j].ntids++] = f->key.tid;
		else
			fa[j].more++;
	}
	qsort(fa, n, sizeof(*fa), by_wait);
	if (n)
		fprintf(out, "  most waited-on futex words (process, address: waits, total wait, waiters)\n");
	for (size_t i = 0; i < n && i < TOP_FUTEX; i++) {
		/* --stacks: a word on the heap or a stack by its waiters' code */
		const char *site = fa[i].name ? NULL :
				   stacks_word_site(td, fa[i].tgid, fa[i].uaddr);

		fprintf(out, "    %u 0x%llx", fa[i].tgid, (unsigned long long)fa[i].uaddr);
		if (fa[i].name)
			fprintf(out, " %s", fa[i].name);
		else if (site)
			fprintf(out, " [waited on in %s]", site);
		fprintf(out, ": %llu waits, %.3f ms, tids", (unsigned long long)fa[i].waits,
			fa[i].wait_ns / 1e6);
		for (int k = 0; k < fa[i].ntids; k++)
			fprintf(out, " %u", fa[i].tids[k]);
		fprintf(out, fa[i].more ? " +%d more\n" : "\n", fa[i].more);
		stacks_print_word(out, td, fa[i].tgid, fa[i].uaddr);
	}
	if (n && td->futex_folded)	/* core/gone.h; those folded in the kernel: data quality */
		fprintf(out, "    and %llu lighter (word, waiter) keys of tasks gone, %llu waits: "
			"in the totals, not listed\n", (unsigned long long)td->futex_folded,
			(unsigned long long)td->futex_folded_waits);
	free(fa);
}

static void print_futex(FILE *out, const struct summary *s)
{
	const uint64_t *c = s->cnt;

	if (!(s->td->features & FEAT_FUTEX) && !c[CNT_FUTEX_WAITS])
		return;
	fprintf(out, "\nfutex (blocked: left the CPU inside a futex wait, as the scheduler saw;"
		" woken: by a futex call)\n");
	if (!(s->td->features & FEAT_FUTEX)) {
		fprintf(out, "  waits that blocked %" PRIu64 " (timed out %" PRIu64 "), woken %" PRIu64
			" (calls, EAGAIN: with --syscalls)\n", c[CNT_FUTEX_WAITS],
			c[CNT_FUTEX_TIMEOUTS], c[CNT_FUTEX_WOKEN]);
	} else {
		/* a wait that found the value changed returns EAGAIN */
		fprintf(out, "  calls %" PRIu64 ": waits that blocked %" PRIu64 " (timed out %" PRIu64
			"), EAGAIN %" PRIu64 ", wakes %" PRIu64 " waking %" PRIu64 "\n",
			c[CNT_FUTEX_CALLS], c[CNT_FUTEX_WAITS], c[CNT_FUTEX_TIMEOUTS],
			c[CNT_FUTEX_EAGAIN], c[CNT_FUTEX_WAKES], c[CNT_FUTEX_WOKEN]);
		fprintf(out, "  as the syscalls saw it: waits that slept %" PRIu64 " (timed out %"
			PRIu64 "), woken %" PRIu64 "\n", c[CNT_FUTEX_SYS_WAITS],
			c[CNT_FUTEX_SYS_TIMEOUTS], c[CNT_FUTEX_SYS_WOKEN]);
	}
	if (c[CNT_FUTEX_WAITS]) {
		fprintf(out, "  blocked in:");
		for (unsigned int op = 0; op < NR_FX_OPS; op++)
			if (c[CNT_FUTEX_BLOCK_OP + op] && futex_op_name(op))
				fprintf(out, " %s %" PRIu64, futex_op_name(op),
					c[CNT_FUTEX_BLOCK_OP + op]);
		fputc('\n', out);
	}
	if (c[CNT_FUTEX_CALLS]) {
		fprintf(out, "  by op:");
		for (unsigned int op = 0; op < NR_FX_OPS; op++)
			if (c[CNT_FUTEX_OP + op] && futex_op_name(op))
				fprintf(out, " %s %" PRIu64 " (%.0f%%)", futex_op_name(op),
					c[CNT_FUTEX_OP + op],
					100.0 * c[CNT_FUTEX_OP + op] / c[CNT_FUTEX_CALLS]);
		fputc('\n', out);
	}
	print_futex_addrs(out, s->td);
	print_lat(out, hist_titles[HIST_FUTEX_WAIT], &s->lat[HIST_FUTEX_WAIT],
		  &s->td->hists[HIST_FUTEX_WAIT]);
}

static void print_parallelism(FILE *out, const struct summary *s)
{
	fprintf(out, "\nparallelism (BPF: time on CPU of the tree's tasks)\n");
	fprintf(out, "  on-CPU %.3f s in %.3f s: %.2f CPUs busy on average\n",
		s->oncpu_s, s->window_s, s->parallelism);
	if (s->sparkline[0])
		fprintf(out, "  tasks running over time: %s\n", s->sparkline);
	fprintf(out, "  tasks on CPU at once:");
	for (int k = 0; k <= s->max_level; k++)
		fprintf(out, "  %d%s: %.1f%%", k, k == MAX_LEVEL - 1 ? "+" : "",
			s->window_s ? 100 * s->level_s[k] / s->window_s : 0);
	fputc('\n', out);
	for (int c = 0; c < s->ncpus; c++)
		fprintf(out, "  cpu%-3d tree %5.1f%%  other tasks %5.1f%%  idle %5.1f%%\n",
			c, s->cpu_pct[c][CAT_TREE], s->cpu_pct[c][CAT_OTHER],
			s->cpu_pct[c][CAT_IDLE]);
	fprintf(out, "  interference: other tasks ran %.3f s of CPU time in the window;"
		" hypervisor steal %.3f s\n", s->interference_s, s->steal_s);
}

static void print_switches(FILE *out, const struct summary *s)
{
	uint64_t sw = s->switches_vol + s->switches_invol;

	fprintf(out, "\ncontext switches of the traced tree (BPF, sched_switch)\n");
	fprintf(out, "  %-22s %12" PRIu64 "  (%.0f /s)\n", "total", sw,
		s->wall_s > 0 ? sw / s->wall_s : 0);
	fprintf(out, "  %-22s %12" PRIu64 "  left the CPU to wait\n", "voluntary",
		s->switches_vol);
	fprintf(out, "  %-22s %12" PRIu64 "  preempted while runnable\n", "involuntary",
		s->switches_invol);
	fprintf(out, "  %-22s %12" PRIu64 "\n", "migrations", s->migrations);
	fprintf(out, "  %-22s %12" PRIu64 "  processes %" PRIu64 ", further threads %" PRIu64 "\n",
		"tasks", s->tasks, s->processes, s->threads);
	if (s->attached)
		fprintf(out, "  kernel's own counters: no rusage for a tree tracer did not start\n");
	else
		fprintf(out, "  kernel's own counters (getrusage of the tree): %" PRIu64
		" voluntary + %" PRIu64 " thread exits, %" PRIu64 " involuntary: %s\n",
			s->rusage_vol, s->threads_exited, s->rusage_invol,
			summary_switches_match(s) ? "equal" : "DIFFERENT");
	fprintf(out, "  per task, at its final switch: %" PRIu64 " of %" PRIu64
		" tasks equal the kernel's nvcsw/nivcsw\n",
		s->tasks_checked - s->tasks_check_failed, s->tasks_checked);
}

static void print_creation(FILE *out, const struct summary *s)
{
	const uint64_t *c = s->cnt;

	fprintf(out, "\ncreation: %" PRIu64 " process%s and %" PRIu64
		" thread%s created, %" PRIu64 " exec%s, %" PRIu64 " exit%s\n",
		c[CNT_PROCS_CREATED], c[CNT_PROCS_CREATED] == 1 ? "" : "es",
		c[CNT_THREADS_CREATED], c[CNT_THREADS_CREATED] == 1 ? "" : "s",
		c[CNT_EXEC], c[CNT_EXEC] == 1 ? "" : "s", c[CNT_EXIT], c[CNT_EXIT] == 1 ? "" : "s");
	/* without the clone-entry probes the clock starts in the fork tracepoint */
	static const char *const from_fork[] = {
		"process creation: fork tracepoint -> child first on CPU",
		"thread creation: fork tracepoint -> thread first on CPU",
	};
	int clone = s->td->features & FEAT_CLONE;

	for (int i = HIST_CREATE_PROC; i <= HIST_CREATE_THREAD; i++)
		if (s->lat[i].count)
			fprintf(out, "  %s\n    count %" PRIu64 ", p50 %.1f us, p99 %.1f us, max %.1f us\n",
				clone ? hist_titles[i] : from_fork[i - HIST_CREATE_PROC],
				s->lat[i].count, s->lat[i].p50_us,
				s->lat[i].p99_us, s->lat[i].max_us);
}

static void print_quality(FILE *out, const struct summary *s)
{
	const struct trace_data *td = s->td;
	const uint64_t *c = s->cnt;

	fprintf(out, "\ndata quality\n");
	fprintf(out, "  events: %" PRIu64 " switch%s (%" PRIu64 " of the tree), %" PRIu64
		" waking%s, %" PRIu64 " migration%s, %" PRIu64 " fork%s",
		c[CNT_SWITCH], c[CNT_SWITCH] == 1 ? "" : "es", c[CNT_SWITCH_TREE],
		c[CNT_WAKING], c[CNT_WAKING] == 1 ? "" : "s", c[CNT_MIGRATE],
		c[CNT_MIGRATE] == 1 ? "" : "s", c[CNT_FORK], c[CNT_FORK] == 1 ? "" : "s");
	if (td->features & FEAT_FUTEX)
		fprintf(out, ", %" PRIu64 " futex calls", c[CNT_FUTEX_CALLS]);
	fputc('\n', out);
	fprintf(out, "  lost: %" PRIu64 " tasks untracked, %" PRIu64 " waker pairs, %" PRIu64
		" futex keys\n", c[CNT_LOST_TASKS], c[CNT_LOST_PAIRS], c[CNT_LOST_FUTEX]);
	if (c[CNT_PAIRS_FOLDED] + c[CNT_FUTEX_FOLDED])
		fprintf(out, "  %" PRIu64 " pairs and futex keys of tasks gone while tracer's reader "
			"was behind: folded in the kernel, whatever their weight\n",
			c[CNT_PAIRS_FOLDED] + c[CNT_FUTEX_FOLDED]);
	if (c[CNT_LOST_DEAD])
		fprintf(out, "  %" PRIu64 " tasks gone while tracer's reader was behind: folded "
			"into the live totals in the kernel (names not kept)\n", c[CNT_LOST_DEAD]);
	if (c[CNT_TID_REUSED])
		fprintf(out, "  %" PRIu64 " tids of exited tasks were reused by new ones"
			" (kept apart by start time)\n", c[CNT_TID_REUSED]);
	if (s->ring_sent || s->ring_lost)
		fprintf(out, "  event records: %" PRIu64 " written, %" PRIu64
			" lost (ring buffer full)%s\n", s->ring_sent, s->ring_lost,
			s->cut_short ? ", and those after the capture file was cut short" : "");
	if (s->capture_lost)
		fprintf(out, "  event records the capture file could not hold: %" PRIu64 "\n",
			s->capture_lost);
	if (c[CNT_RUNS_MISSED])
		fprintf(out, "  program runs the kernel skipped: %" PRIu64 " (a program of tracer"
			" already running on that CPU; their events are lost)\n",
			c[CNT_RUNS_MISSED]);
	fprintf(out, "  unmatched: %" PRIu64 " switch-ins after a sleep with no waking seen\n",
		c[CNT_UNMATCHED_WAKEUP]);
	if (c[CNT_UNSEEN_SWITCH_IN])
		fprintf(out, "  unseen: %" PRIu64 " switch-in%s the kernel did not report (a task left"
			" a CPU it was not seen getting on)\n", c[CNT_UNSEEN_SWITCH_IN],
			c[CNT_UNSEEN_SWITCH_IN] == 1 ? "" : "s");
	if (c[CNT_UNSEEN_SWITCH_OUT])
		fprintf(out, "  unseen: %" PRIu64 " switch-out%s the kernel did not report (another"
			" task left the CPU a tree task was seen getting on)\n",
			c[CNT_UNSEEN_SWITCH_OUT], c[CNT_UNSEEN_SWITCH_OUT] == 1 ? "" : "s");
	if (c[CNT_KNL_RUN_NS])
		fprintf(out, "  from the kernel's count of CPU time: %.3f ms on CPU whose start no"
			" switch showed (unseen switch-ins; -p tasks on a CPU when found)\n",
			c[CNT_KNL_RUN_NS] / 1e6);
	if (s->tasks_alive)
		fprintf(out, "  %" PRIu64 " task%s had not exited when the run ended\n",
			s->tasks_alive, s->tasks_alive == 1 ? "" : "s");
	if (*td->missing)
		fprintf(out, "  not traced: %s\n", td->missing);
	if (s->tracer_rss_kib)
		fprintf(out, "  tracer's own peak memory: %.1f MiB resident; CPU %.3f s while the"
			" command ran, %.3f s writing the event outputs after\n",
			s->tracer_rss_kib / 1024.0, s->tracer_cpu_run_s, s->tracer_cpu_post_s);
	for (int i = 0; i < td->ncosts; i++)
		if (td->costs[i].run_cnt)
			fprintf(out, "  BPF %-26s %10llu runs, %6.1f ns/run (upper bound)\n",
				td->costs[i].name, (unsigned long long)td->costs[i].run_cnt,
				(double)td->costs[i].run_time_ns / td->costs[i].run_cnt);
}

void report_print(FILE *out, const struct summary *s)
{
	fprintf(out, "\n%s%s%s%s\n", s->workload, *s->workload ? ": " : "",
		s->command, !s->partial ? "" : s->signal ? "  [PARTIAL: interrupted]" :
		s->cut_short ? "  [PARTIAL: the capture file was cut short]" :
		"  [PARTIAL: the command was killed]");
	if (s->signal)
		fprintf(out, "  interrupted by %s: the figures cover the run up to there\n",
			strsignal(s->signal));
	if (s->killed && !s->attached)
		fprintf(out, "  the command was killed by signal %d (%s)\n",
			s->killed, strsignal(s->killed));
	if (s->leftovers)
		fprintf(out, "  %d process%s of the tree outlived it and %s stopped\n",
			s->leftovers, s->leftovers == 1 ? "" : "es",
			s->leftovers == 1 ? "was" : "were");
	if (s->attached)
		fprintf(out, "  traced for %.3f s\n", s->wall_s);
	else
		fprintf(out, "  exit status %d, wall time %.3f s, CPU time %.3f s user + %.3f s sys\n",
			s->exit_code, s->wall_s, s->cpu_user_s, s->cpu_sys_s);

	if (s->nwl) {
		fprintf(out, "\nthe workload's own figures (its result line)\n");
		for (size_t i = 0; i < s->nwl; i++)
			fprintf(out, "  %-22s %s\n", s->wl[i].key, s->wl[i].val);
	}
	if (!s->td)
		return;
	print_parallelism(out, s);
	print_switches(out, s);
	print_tasks(out, s);
	print_lat(out, "wakeup latency, all (waking -> on-CPU)", &s->wake_all, NULL);
	for (int i = HIST_WAKE_SAME; i <= HIST_OFF_D; i++)
		print_lat(out, hist_titles[i], &s->lat[i], &s->td->hists[i]);
	print_pairs(out, s);
	stacks_print(out, s->td);
	print_futex(out, s);
	print_creation(out, s);
	print_quality(out, s);
}

int report_write_csv(struct csv *c, const struct summary *s)
{
	struct kv *cols = calloc(MAX_COLS, sizeof(*cols));
	size_t n;
	int err;

	if (!cols) {
		pr_err("out of memory writing the summary CSV");
		csv_abort(c);
		return -1;
	}
	n = summary_columns(s, cols, MAX_COLS);
	for (size_t i = 0; i < n; i++)
		csv_field(c, cols[i].key);
	csv_end_row(c);
	for (size_t i = 0; i < n; i++)
		csv_field(c, cols[i].val);
	csv_end_row(c);
	err = csv_commit(c);
	free(cols);
	return err;
}
