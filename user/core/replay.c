// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "core/hist.h"
#include "histslot.h"
#include "core/index.h"
#include "core/meta.h"
#include "core/replay.h"

struct replay {
	struct index tids, pairs, futex;
	struct trace_task *tasks;	/* alive; tid 0: a free entry */
	size_t ntasks, cap_tasks;
	uint32_t *free;			/* free entries of tasks */
	size_t nfree, cap_free;
	struct tasktab gone;		/* the tasks that made their final switch */
	int enomem;
	struct trace_pair *pairv;
	size_t npairs, cap_pairs;
	struct trace_futex *fxv;
	size_t nfx, cap_fx;
	__u64 cnt[NR_CNT];
	struct hist hists[NR_HISTS_KEPT];
	uint64_t t_start;
	__u32 running;
	__u64 level_last, level_ns[MAX_LEVEL];
	struct cpu_on *on;	/* per CPU, logic.h's */
	size_t non;
};

/* A new zeroed element at the end of a growing array, or NULL. */
static void *grow(void **arr, size_t *n, size_t *cap, size_t size)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 256;
		void *p = realloc(*arr, ncap * size);

		if (!p)
			return NULL;
		*arr = p;
		*cap = ncap;
	}
	memset((char *)*arr + *n * size, 0, size);
	return (char *)*arr + (*n)++ * size;
}

static struct task_stat *task_of(struct replay *r, __u32 tid)
{
	uint32_t *v = index_slot(&r->tids, tid);

	return v && *v ? &r->tasks[*v - 1].st : NULL;
}

/*
 * CPU cpu's state for logic_switch, grown on demand; a scratch one, that
 * finds no switch the kernel did not report, if there is no memory for it.
 */
static struct cpu_on *cpu_on(struct replay *r, __u32 cpu, struct cpu_on *scratch)
{
	if (cpu >= r->non) {
		size_t n = (size_t)cpu + 1 > 2 * r->non ? (size_t)cpu + 1 : 2 * r->non;
		struct cpu_on *p = cpu < 65536 ? realloc(r->on, n * sizeof(*p)) : NULL;

		if (!p) {
			memset(scratch, 0, sizeof(*scratch));
			return scratch;
		}
		memset(p + r->non, 0, (n - r->non) * sizeof(*p));
		r->on = p;
		r->non = n;
	}
	return &r->on[cpu];
}

/* Register tid; a tid already known belonged to a task whose end was not seen. */
static struct task_stat *track(struct replay *r, __u32 tid)
{
	uint32_t *v = index_slot(&r->tids, tid);
	struct trace_task *t;

	if (!v || !tid)
		return NULL;
	/* a reused tid: the old task's entry stays, the index points on */
	if (r->nfree) {
		t = &r->tasks[r->free[--r->nfree]];
		memset(t, 0, sizeof(*t));
	} else if (!(t = grow((void **)&r->tasks, &r->ntasks, &r->cap_tasks, sizeof(*t)))) {
		return NULL;
	}
	r->tids.used += !*v;
	*v = t - r->tasks + 1;
	t->tid = tid;
	return &t->st;
}

/*
 * A task's final switch: its figures go to the table of tasks gone (that
 * folds them in totals), its entry to the next task. So a replay's memory
 * follows the tasks alive at once, as the kernel's maps do.
 */
static void retire(struct replay *r, struct task_stat *ts)
{
	struct trace_task *t = (struct trace_task *)((char *)ts - offsetof(struct trace_task, st));
	uint32_t pos = t - r->tasks, *v = index_slot(&r->tids, t->tid);

	if (r->nfree == r->cap_free) {
		size_t cap = r->cap_free ? 2 * r->cap_free : 256;
		uint32_t *f = realloc(r->free, cap * sizeof(*f));

		if (!f) {
			r->enomem = 1;
			return;
		}
		r->free = f;
		r->cap_free = cap;
	}
	if (tasktab_add(&r->gone, t->tid, ts)) {
		r->enomem = 1;
		return;
	}
	if (v && *v == pos + 1)
		index_del(&r->tids, t->tid);
	t->tid = 0;
	r->free[r->nfree++] = pos;
}

/* The hooks of logic.h, on this replay's tables. */
#define LOGIC_CTX	struct replay *
#define LOGIC_FN	static inline

static void logic_add(struct replay *r, __u32 id, __u64 n)
{
	if (id < NR_CNT)
		r->cnt[id] += n;
}

static void logic_hist(struct replay *r, __u32 id, __u64 v)
{
	if (id < NR_HISTS_KEPT)
		hist_add_to(&r->hists[id], v);
}

static void logic_wakeup(struct replay *r, struct task_stat *ts, __u32 id,
			 __u32 waker, __u32 wakee, __u64 lat)
{
	uint32_t *v = index_slot(&r->pairs, (uint64_t)waker << 32 | wakee);
	struct trace_pair *p;

	(void)ts;	/* the kernel caches the pair's slot there */
	logic_hist(r, id, lat);
	if (!v)
		return;
	if (!*v) {
		if (r->npairs >= 2 * MAX_PAIRS) {	/* the kernel's room: its slots and more */
			logic_add(r, CNT_LOST_PAIRS, 1);
			return;
		}
		p = grow((void **)&r->pairv, &r->npairs, &r->cap_pairs, sizeof(*p));
		if (!p)
			return;
		p->key.waker_tid = waker;
		p->key.wakee_tid = wakee;
		r->pairs.used++;
		*v = r->npairs;
	}
	hist_add_to(&r->pairv[*v - 1].h, lat);
}

static void logic_level(struct replay *r, int up, __u64 now)
{
	__u32 lvl = r->running < MAX_LEVEL ? r->running : MAX_LEVEL - 1;

	if (!r->level_last)
		r->level_last = r->t_start;
	if (now > r->level_last) {
		r->level_ns[lvl] += now - r->level_last;
		r->level_last = now;
	}
	if (up)
		r->running++;
	else if (r->running)
		r->running--;
}

static void logic_futex_wait(struct replay *r, struct task_stat *ts, __u32 tid,
			     __u64 uaddr, __u64 dur)
{
	uint64_t key = index_mix(uaddr) ^ ((uint64_t)ts->tgid << 32 | tid);
	uint32_t *v;
	struct trace_futex *f;

	/* the hash of the triple: probe for an exact match */
	for (;; key++) {
		v = index_slot(&r->futex, key);
		if (!v)
			return;
		if (!*v)
			break;
		f = &r->fxv[*v - 1];
		if (f->key.uaddr == uaddr && f->key.tgid == ts->tgid &&
		    f->key.tid == tid)
			goto add;
	}
	if (r->nfx >= MAX_FUTEX_KEYS) {	/* the kernel's room */
		logic_add(r, CNT_LOST_FUTEX, 1);
		return;
	}
	f = grow((void **)&r->fxv, &r->nfx, &r->cap_fx, sizeof(*f));
	if (!f)
		return;
	f->key.uaddr = uaddr;
	f->key.tgid = ts->tgid;
	f->key.tid = tid;
	r->futex.used++;
	*v = r->nfx;
add:
	f->val.waits++;
	f->val.wait_ns += dur;
	if (dur > f->val.max_ns)
		f->val.max_ns = dur;
}

#include "logic.h"

struct replay *replay_new(uint64_t t_start)
{
	struct replay *r = calloc(1, sizeof(*r));

	if (r) {
		r->t_start = t_start;
		tasktab_init(&r->gone, TASKS_KEPT);
	}
	return r;
}

void replay_free(struct replay *r)
{
	if (!r)
		return;
	index_free(&r->tids);
	index_free(&r->pairs);
	index_free(&r->futex);
	free(r->tasks);
	free(r->free);
	tasktab_free(&r->gone);
	free(r->pairv);
	free(r->fxv);
	free(r->on);
	free(r);
}

static void set_comm(char *dst, const char *src)
{
	memcpy(dst, src, COMM_LEN);
	dst[COMM_LEN - 1] = '\0';
}

void replay_task(struct replay *r, __u32 tid, __u32 tgid, __u32 ppid,
		 const char *comm, __u64 runtime)
{
	struct task_stat *ts = track(r, tid);

	if (ts)
		trace_task_found(ts, tgid, ppid, comm, runtime, r->t_start);
}

/* Mirrors proc.bpf.c: a fork registers the child, counted by kind. */
static void on_fork(struct replay *r, const struct ev_task *e)
{
	struct task_stat *ps = task_of(r, e->parent_tid), *ts;

	if (ps)
		logic_count(r, CNT_FORK);
	ts = track(r, e->hdr.tid);
	if (!ts)
		return;
	ts->tgid = e->hdr.pid;
	ts->ppid = e->parent_pid;
	ts->flags = ps ? 0 : TASK_F_ROOT;
	ts->created_ts = e->clone_ts;
	set_comm(ts->comm, e->comm);
	logic_count(r, e->hdr.pid == e->hdr.tid ? CNT_PROCS_CREATED : CNT_THREADS_CREATED);
}

uint64_t replay_event(struct replay *r, const union ev_any *e)
{
	uint64_t knl_run = r->cnt[CNT_KNL_RUN_NS];
	const struct ev_hdr *h = &e->hdr;
	struct cpu_on scratch, *on;
	struct task_stat *ts;
	__u32 lost;

	switch (h->kind) {
	case EV_SWITCH:
		logic_count(r, CNT_SWITCH_TREE);
		ts = e->sw.prev_tree ? task_of(r, h->tid) : NULL;
		on = cpu_on(r, h->cpu, &scratch);
		lost = logic_lost_tid(on, h->tid);
		/* run_ns: the kernel's count since logic.h last took it, where it needs it */
		logic_switch(r, ts, h->tid, e->sw.preempt, e->sw.prev_state, e->sw.knl_nvcsw,
			     e->sw.knl_nivcsw, ts ? ts->runtime_off + e->sw.run_ns : 0,
			     e->sw.next_tree ? task_of(r, e->sw.next_tid) : NULL,
			     e->sw.next_tid, h->cpu, h->ts, on, lost ? task_of(r, lost) : NULL);
		if (ts && e->sw.fx_block)
			logic_futex_block(r, ts, e->sw.fx_op, e->sw.fx_uaddr, h->ts);
		if (ts && (ts->flags & TASK_F_EXITED))
			retire(r, ts);
		break;
	case EV_WAKING:
		if ((ts = task_of(r, h->tid))) {
			logic_waking(r, ts, h->ts, h->cpu, e->wk.waker_tid);
			logic_futex_waking(r, ts, e->wk.wake_by);
		}
		break;
	case EV_WAKEUP_NEW:
		logic_count(r, CNT_WAKEUP_NEW);
		break;
	case EV_MIGRATE:
		if ((ts = task_of(r, h->tid)))
			ts->migrations++;
		logic_count(r, CNT_MIGRATE);
		break;
	case EV_FORK:
		on_fork(r, &e->tk);
		break;
	case EV_EXEC:
	case EV_EXIT:
		if ((ts = task_of(r, h->tid))) {
			set_comm(ts->comm, e->tk.comm);
			if (h->kind == EV_EXIT)
				ts->exit_code = e->tk.exit_code;
		}
		logic_count(r, h->kind == EV_EXEC ? CNT_EXEC : CNT_EXIT);
		break;
	case EV_FUTEX:
		if ((ts = task_of(r, h->tid))) {
			logic_futex(r, ts, e->fx.op, e->fx.ret, h->ts, e->fx.dur_ns);
		}
		break;
	}
	return r->cnt[CNT_KNL_RUN_NS] - knl_run;
}

size_t replay_task_slots(const struct replay *r)
{
	return r->ntasks;
}

uint32_t replay_running(const struct replay *r)
{
	return r->running;
}

/* Once: the tasks go to td. */
int replay_result(struct replay *r, struct trace_data *td)
{
	for (size_t i = 0; i < r->ntasks && !r->enomem; i++)
		if (r->tasks[i].tid && tasktab_add(&r->gone, r->tasks[i].tid, &r->tasks[i].st))
			r->enomem = 1;
	for (size_t i = 0; i < td->nfutex; i++)
		free(td->futex[i].name);
	free(td->pairs);
	free(td->futex);
	td->npairs = td->nfutex = 0;	/* until they are whole */
	td->pairs = malloc((r->npairs ? r->npairs : 1) * sizeof(*td->pairs));
	td->futex = malloc((r->nfx ? r->nfx : 1) * sizeof(*td->futex));
	if (!td->pairs || !td->futex || r->enomem)
		return -ENOMEM;
	trace_take_tasks(td, &r->gone);
	if (r->npairs)	/* memcpy from NULL is undefined, even of 0 bytes */
		memcpy(td->pairs, r->pairv, r->npairs * sizeof(*td->pairs));
	if (r->nfx)
		memcpy(td->futex, r->fxv, r->nfx * sizeof(*td->futex));
	td->npairs = r->npairs;
	td->nfutex = r->nfx;
	memcpy(td->hists, r->hists, sizeof(td->hists));
	hists_final(td->hists);
	for (unsigned int id = 0; id < NR_CNT; id++)
		if (!counter_is_kernel_only(id))
			td->cnt[id] = r->cnt[id];
	memcpy(td->level_ns, r->level_ns, sizeof(td->level_ns));
	trace_close_level(td, r->level_last, r->running);
	return 0;
}
