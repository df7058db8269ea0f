/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * A gone task's figures folded into totals: the same arithmetic in the
 * kernel (its ring `done` full: bpf/task.bpf.h) and in user space (past
 * the busiest tasks kept: user/core/tasks.c).
 */
#ifndef TRACER_FOLD_H
#define TRACER_FOLD_H

#include "events.h"

static inline void task_fold_one(struct task_fold *f, __u32 tid, const struct task_stat *st)
{
	int leader = tid == st->tgid, exited = !!(st->flags & TASK_F_EXITED);

	f->tasks++;
	f->processes += leader;
	f->threads += !leader;
	f->exited += exited;
	/* getrusage folds a thread in before its final switch */
	f->threads_exited += exited && !leader;
	/* counters start at 0 at fork: ours must equal them at the end */
	if ((st->flags & (TASK_F_EXITED | TASK_F_PREEXIST)) == TASK_F_EXITED) {
		f->checked++;
		f->check_failed += st->knl_nvcsw != st->switches_vol ||
				   st->knl_nivcsw != st->switches_invol;
	}
	f->switches_vol += st->switches_vol;
	f->switches_invol += st->switches_invol;
	f->migrations += st->migrations;
	f->run_ns += st->run_ns;
}

#endif
