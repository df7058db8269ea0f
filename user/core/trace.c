// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core/trace.h"

static int cmp_end(const void *a, const void *b)
{
	const struct trace_end *x = a, *y = b;

	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

/*
 * A task of -p that no switch showed in the whole window was on a CPU all
 * along or off it all along: its CPU time at the end (the kernel's count)
 * says which. On it, its run is the window, and every level interval had
 * one more tree task on a CPU.
 */
static void steady_run(struct trace_data *td, struct task_stat *st, __u64 runtime)
{
	__u64 run = td->t_end - st->oncpu_ts;

	/* oncpu_ts: when found, if its CPU time was known then */
	if ((st->flags & TASK_F_ONCPU) || st->switches_vol || st->switches_invol ||
	    !st->oncpu_ts || td->t_end <= st->oncpu_ts ||
	    runtime <= st->runtime_off || runtime - st->runtime_off < run / 2)
		return;
	st->run_ns += run;
	td->cnt[CNT_KNL_RUN_NS] += run;
	td->steady++;
	td->level_ns[MAX_LEVEL - 1] += td->level_ns[MAX_LEVEL - 2];
	for (int k = MAX_LEVEL - 2; k > 0; k--)
		td->level_ns[k] = td->level_ns[k - 1];
	td->level_ns[0] = 0;
}

void trace_close_window(struct trace_data *td)
{
	if (td->nends)	/* qsort(NULL, 0) is undefined */
		qsort(td->ends, td->nends, sizeof(*td->ends), cmp_end);
	for (size_t i = 0; i < td->ntasks; i++) {
		struct task_stat *st = &td->tasks[i].st;
		struct trace_end key = { .tid = td->tasks[i].tid }, *e;
		__u64 from;

		if ((st->flags & TASK_F_PREEXIST) && td->nends &&
		    (e = bsearch(&key, td->ends, td->nends, sizeof(*e), cmp_end)))
			steady_run(td, st, e->runtime);
		/* a task still on a CPU when the window closed ran until then */
		from = st->oncpu_ts > td->t_start ? st->oncpu_ts : td->t_start;
		if ((st->flags & TASK_F_ONCPU) && td->t_end > from) {
			st->run_ns += td->t_end - from;
			st->flags &= ~TASK_F_ONCPU;
		}
	}
}

void trace_task_found(struct task_stat *st, __u32 tgid, __u32 ppid,
		      const char *comm, __u64 runtime, __u64 t_start)
{
	st->tgid = tgid;
	st->ppid = ppid;
	st->flags = TASK_F_PREEXIST;
	st->runtime_off = runtime;
	/* it may be on a CPU now: logic.h takes that run from here */
	st->oncpu_ts = runtime ? t_start : 0;
	snprintf(st->comm, sizeof(st->comm), "%.*s", COMM_LEN - 1, comm);
}

void trace_close_level(struct trace_data *td, __u64 last_ts, __u32 running)
{
	if (!last_ts)
		last_ts = td->t_start;
	if (td->t_end > last_ts)
		td->level_ns[running < MAX_LEVEL ? running : MAX_LEVEL - 1] += td->t_end - last_ts;
}

__u64 trace_ring_lost(const struct trace_data *td)
{
	__u64 n = 0;

	for (int k = 0; k < NR_EV_KINDS; k++)
		n += td->cnt[CNT_EV_LOST + k];
	return n;
}

__u64 trace_ring_sent(const struct trace_data *td)
{
	__u64 n = 0;

	for (int k = 0; k < NR_EV_KINDS; k++)
		n += td->cnt[CNT_EV_SENT + k];
	return n;
}

__u64 trace_tree_switches(const struct trace_data *td)
{
	__u64 n = td->folded.switches_vol + td->folded.switches_invol;

	for (size_t i = 0; i < td->ntasks; i++)
		n += td->tasks[i].st.switches_vol + td->tasks[i].st.switches_invol;
	return n;
}

__u64 trace_offcpu_total(const struct trace_data *td, int preempted, __u64 *count)
{
	__u64 ns = 0, n = 0;

	for (size_t i = 0; i < td->noffcpu; i++) {
		if ((td->offcpu[i].key.state == OFF_R) != preempted)
			continue;
		ns += td->offcpu[i].val.total_ns;
		n += td->offcpu[i].val.count;
	}
	if (count)
		*count = n;
	return ns;
}

int trace_add_end(struct trace_data *td, __u32 tid, __u64 runtime)
{
	struct trace_end *e;

	if (td->nends >= MAX_TASKS)
		return -1;
	e = realloc(td->ends, (td->nends + 1) * sizeof(*e));
	if (!e)
		return -1;
	td->ends = e;
	td->ends[td->nends++] = (struct trace_end){ .tid = tid, .runtime = runtime };
	return 0;
}

void trace_take_tasks(struct trace_data *td, struct tasktab *tt)
{
	free(td->tasks);
	free(td->names);
	free(td->seen);
	td->tasks = tt->v;
	td->ntasks = tt->n;
	td->folded = tt->folded;
	td->tids_reused = tt->reused;
	td->names = tt->names;
	td->seen = tt->seen;
	td->nseen = tt->nseen;
	tt->v = NULL;
	tt->names = NULL;
	tt->seen = NULL;
	tasktab_free(tt);
}

static void free_names(char **v, __u32 n)
{
	for (__u32 i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

int trace_frames_cmp(char *const *a, __u32 na, char *const *b, __u32 nb)
{
	int c;

	if (na != nb)
		return na < nb ? -1 : 1;
	for (__u32 i = 0; i < na; i++)
		if ((c = strcmp(a[i], b[i])))
			return c;
	return 0;
}

int trace_apply_word_names(struct trace_data *td)
{
	for (size_t i = 0; i < td->nfutex; i++)
		for (size_t j = 0; j < td->nword_names; j++) {
			const struct trace_word_name *w = &td->word_names[j];

			if (w->tgid != td->futex[i].key.tgid || w->uaddr != td->futex[i].key.uaddr ||
			    td->futex[i].name)
				continue;
			if (!(td->futex[i].name = strdup(w->name)))
				return -ENOMEM;
		}
	return 0;
}

void trace_data_free(struct trace_data *td)
{
	for (size_t i = 0; i < td->noffcpu; i++) {
		free_names(td->offcpu[i].user, td->offcpu[i].nuser);
		free_names(td->offcpu[i].kern, td->offcpu[i].nkern);
		free_names(td->offcpu[i].wuser, td->offcpu[i].nwuser);
		free_names(td->offcpu[i].wkern, td->offcpu[i].nwkern);
	}
	free(td->offcpu);
	for (size_t i = 0; i < td->nword_names; i++)
		free(td->word_names[i].name);
	free(td->word_names);
	for (size_t i = 0; i < td->nfutex; i++)
		free(td->futex[i].name);
	free(td->ends);
	free(td->tasks);
	free(td->names);
	free(td->seen);
	free(td->pairs);
	free(td->futex);
	free(td->cpu_ns);
	memset(td, 0, sizeof(*td));
}
