/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_TASKS_H
#define TRACER_TASKS_H

#include <stddef.h>
#include "events.h"

/*
 * The tasks of a run, in memory that does not grow with their number: the
 * finished tasks beyond the `keep` busiest are folded into totals as they
 * come. What a report says of every task (counts, switches, the rusage
 * check) is exact from the totals; the per-task table is the busiest.
 */
struct trace_task {
	__u32 tid;
	struct task_stat st;
};

/* Everything the report sums over tasks, of the tasks folded. */
/* A task's name by tid, for the tables keyed by tid (pairs, futex words). */
struct task_name {
	__u32 tid;
	char comm[COMM_LEN];
};

#define TASK_NAMES	65536	/* the last task of each tid modulo this */
#define TASKS_KEPT	4096	/* finished tasks kept one by one, by default */

struct tasktab {
	struct trace_task *v;	/* the kept tasks */
	size_t n, cap, keep;
	size_t nfin;		/* of them, finished */
	struct task_fold folded;
	__u64 reused;		/* tasks whose tid an earlier task had */
	unsigned char *seen;	/* a bit per tid seen */
	size_t nseen;		/* bytes */
	struct task_name *names;	/* TASK_NAMES, by tid */
};

void tasktab_init(struct tasktab *tt, size_t keep);
/* Add a task: a finished one may be folded later; -ENOMEM. */
int tasktab_add(struct tasktab *tt, __u32 tid, const struct task_stat *st);
void tasktab_free(struct tasktab *tt);
/* Totals f into to (the kernel's, user space's). */
void task_fold_merge(struct task_fold *to, const struct task_fold *f);
/* A task's counts into totals (also what the summary adds per kept task). */
void task_fold_add(struct task_fold *f, __u32 tid, const struct task_stat *st);
/* The name of the last task of tid; NULL if not kept. */
const char *tasktab_name(const struct task_name *names, __u32 tid);

#endif
