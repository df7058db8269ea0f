// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The tasks of a run: the busiest kept one by one, the others in totals. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core/tasks.h"
#include "fold.h"

void tasktab_init(struct tasktab *tt, size_t keep)
{
	memset(tt, 0, sizeof(*tt));
	tt->keep = keep ? keep : 1;
}

void tasktab_free(struct tasktab *tt)
{
	free(tt->v);
	free(tt->seen);
	free(tt->names);
	memset(tt, 0, sizeof(*tt));
}

void task_fold_add(struct task_fold *f, __u32 tid, const struct task_stat *st)
{
	task_fold_one(f, tid, st);
}

void task_fold_merge(struct task_fold *to, const struct task_fold *f)
{
	to->tasks += f->tasks;
	to->processes += f->processes;
	to->threads += f->threads;
	to->exited += f->exited;
	to->threads_exited += f->threads_exited;
	to->checked += f->checked;
	to->check_failed += f->check_failed;
	to->switches_vol += f->switches_vol;
	to->switches_invol += f->switches_invol;
	to->migrations += f->migrations;
	to->run_ns += f->run_ns;
}

const char *tasktab_name(const struct task_name *names, __u32 tid)
{
	const struct task_name *n = names ? &names[tid % TASK_NAMES] : NULL;

	return n && n->tid == tid && tid ? n->comm : NULL;
}

/* Tasks alive first (never folded), then the busiest. */
static int by_keep(const void *a, const void *b)
{
	const struct trace_task *x = a, *y = b;
	int fx = !!(x->st.flags & TASK_F_EXITED), fy = !!(y->st.flags & TASK_F_EXITED);

	if (fx != fy)
		return fx - fy;
	return x->st.run_ns < y->st.run_ns ? 1 : x->st.run_ns > y->st.run_ns ? -1 : 0;
}

/* Keep the `keep` busiest finished tasks; fold the others. */
static void fold_rest(struct tasktab *tt)
{
	size_t out = 0, fin = 0;

	qsort(tt->v, tt->n, sizeof(*tt->v), by_keep);
	for (size_t i = 0; i < tt->n; i++) {
		struct trace_task *t = &tt->v[i];

		if (t->st.flags & TASK_F_EXITED) {
			if (fin == tt->keep) {
				task_fold_add(&tt->folded, t->tid, &t->st);
				continue;
			}
			fin++;
		}
		tt->v[out++] = *t;
	}
	tt->n = out;
	tt->nfin = fin;
}

/* Count a tid seen before (tids are below pid_max, at most 2^22). */
static int note_tid(struct tasktab *tt, __u32 tid)
{
	size_t byte = tid / 8;

	if (byte >= tt->nseen) {
		size_t n = byte + 1 > 2 * tt->nseen ? byte + 1 : 2 * tt->nseen;
		unsigned char *p = realloc(tt->seen, n);

		if (!p)
			return -ENOMEM;
		memset(p + tt->nseen, 0, n - tt->nseen);
		tt->seen = p;
		tt->nseen = n;
	}
	tt->reused += !!(tt->seen[byte] & (1u << (tid % 8)));
	tt->seen[byte] |= 1u << (tid % 8);
	return 0;
}

int tasktab_add(struct tasktab *tt, __u32 tid, const struct task_stat *st)
{
	struct task_name *nm;

	if (note_tid(tt, tid))
		return -ENOMEM;
	if (!tt->names && !(tt->names = calloc(TASK_NAMES, sizeof(*tt->names))))
		return -ENOMEM;
	nm = &tt->names[tid % TASK_NAMES];
	nm->tid = tid;
	memcpy(nm->comm, st->comm, COMM_LEN);
	nm->comm[COMM_LEN - 1] = '\0';
	if (tt->n == tt->cap) {
		size_t cap = tt->cap ? 2 * tt->cap : 256;
		struct trace_task *v = realloc(tt->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		tt->v = v;
		tt->cap = cap;
	}
	tt->v[tt->n].tid = tid;
	tt->v[tt->n++].st = *st;
	if ((st->flags & TASK_F_EXITED) && ++tt->nfin >= 2 * tt->keep)
		fold_rest(tt);
	return 0;
}
