// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "core/gone.h"
#include "core/hist.h"
#include "histslot.h"
#include "core/index.h"
#include "core/meta.h"
#include "core/replay.h"

/* A task, with its keys as bpf/keys.bpf.h keeps them (struct task_keys) */
struct rtask {
	struct trace_task t;
	uint32_t gen;		/* tasks the entry has held */
	uint32_t pairs, futex;	/* its lists: 1 + index; 0: none */
	uint32_t walked;	/* tasks_gone when its pairs were last walked */
};

struct rpair {
	struct trace_pair p;
	uint32_t next;			/* the wakee's next pair: 1 + index; 0: the last */
	uint32_t waker_pos, waker_gen;	/* 1 + the waker's entry in tasks; 0: not traced */
	uint8_t used, more;		/* more: in the kernel's overflow hash, for good */
};

struct rfx {
	struct trace_futex f;
	uint64_t ikey;			/* its key in the index */
	uint32_t next;			/* the waiter's next key: 1 + index; 0: the last */
	uint8_t used;
};

/* Entries given back, for the next to take */
struct freelist {
	uint32_t *v;
	size_t n, cap;
};

struct replay {
	struct index tids, pairs, futex;
	struct rtask *tasks;		/* alive; tid 0: a free entry */
	size_t ntasks, cap_tasks;
	struct freelist free;		/* free entries of tasks */
	struct tasktab gone;		/* the tasks that made their final switch */
	uint32_t tasks_gone;		/* final switches so far */
	int enomem;
	struct rpair *pairv;
	size_t npairs, cap_pairs;
	struct freelist pfree;
	size_t pairs_live, pairs_more;	/* in the kernel's slots (max_pairs), in its overflow */
	uint32_t max_pairs;
	struct rfx *fxv;
	size_t nfx, cap_fx;
	struct freelist ffree;
	size_t fx_live;
	struct gone keys_gone;		/* pairs and futex keys of tasks gone */
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

static int freelist_push(struct freelist *f, uint32_t v)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 256;
		uint32_t *p = realloc(f->v, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		f->v = p;
		f->cap = cap;
	}
	f->v[f->n++] = v;
	return 0;
}

static struct task_stat *task_of(struct replay *r, __u32 tid)
{
	uint32_t *v = index_slot(&r->tids, tid);

	return v && *v ? &r->tasks[*v - 1].t.st : NULL;
}

static struct rtask *rtask_of(struct task_stat *ts)
{
	return (struct rtask *)((char *)ts - offsetof(struct rtask, t.st));
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
	uint32_t *v = index_slot(&r->tids, tid), gen;
	struct rtask *t;

	if (!v || !tid)
		return NULL;
	/* a reused tid: the old task's entry stays, the index points on */
	if (r->free.n) {
		t = &r->tasks[r->free.v[--r->free.n]];
		gen = t->gen;
		memset(t, 0, sizeof(*t));
		t->gen = gen + 1;
	} else if (!(t = grow((void **)&r->tasks, &r->ntasks, &r->cap_tasks, sizeof(*t)))) {
		return NULL;
	}
	r->tids.used += !*v;
	*v = t - r->tasks + 1;
	t->t.tid = tid;
	return &t->t.st;
}

/* Whether p's waker is still the task it was (keys.bpf.h's waker_alive) */
static int waker_alive(struct replay *r, const struct rpair *p)
{
	uint32_t *v;

	if (!p->waker_pos)
		return !p->p.key.waker_tid;
	v = index_slot(&r->tids, p->p.key.waker_tid);
	return v && *v == p->waker_pos && r->tasks[*v - 1].gen == p->waker_gen;
}

/*
 * t's pairs back, all or those of wakers gone among the first
 * KEYS_WALK_MAX (keys.bpf.h's pairs_give_back)
 */
static void pairs_give_back(struct replay *r, struct rtask *t, int all)
{
	uint32_t *link = &t->pairs, seen = 0;

	while (*link && (all || seen++ < KEYS_WALK_MAX)) {
		uint32_t i = *link - 1;
		struct rpair *p = &r->pairv[i];

		if (!all && waker_alive(r, p)) {
			link = &p->next;
			continue;
		}
		*link = p->next;
		if (t->t.st.pair_slot == i + 1)
			t->t.st.pair_slot = 0;
		gone_pair(&r->keys_gone, &p->p.key, &p->p.h);
		index_del(&r->pairs, (uint64_t)p->p.key.waker_tid << 32 | p->p.key.wakee_tid);
		p->used = 0;
		r->pairs_live--;
		if (freelist_push(&r->pfree, i))
			r->enomem = 1;
	}
}

/* t's futex keys back (keys.bpf.h's keys_release) */
static void futex_give_back(struct replay *r, struct rtask *t)
{
	while (t->futex) {
		uint32_t i = t->futex - 1;
		struct rfx *f = &r->fxv[i];

		t->futex = f->next;
		gone_futex(&r->keys_gone, &f->f.key, &f->f.val);
		index_del(&r->futex, f->ikey);
		f->used = 0;
		r->fx_live--;
		if (freelist_push(&r->ffree, i))
			r->enomem = 1;
	}
}

/*
 * A task's final switch: its pairs and futex keys go back, its figures to
 * the table of tasks gone (that folds them in totals), its entry to the
 * next task. So a replay's memory follows the tasks alive at once, as the
 * kernel's maps do.
 */
static void retire(struct replay *r, struct task_stat *ts)
{
	struct rtask *t = rtask_of(ts);
	uint32_t pos = t - r->tasks, *v;

	r->tasks_gone++;
	pairs_give_back(r, t, 1);
	futex_give_back(r, t);
	ts->pair_slot = ts->fx_slot = 0;
	v = index_slot(&r->tids, t->t.tid);
	if (tasktab_add(&r->gone, t->t.tid, ts) || freelist_push(&r->free, pos)) {
		r->enomem = 1;
		return;
	}
	if (v && *v == pos + 1)
		index_del(&r->tids, t->t.tid);
	t->t.tid = 0;
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

/*
 * A new pair for wakee t (keys.bpf.h's pair_slot_new): in a slot, whose
 * room is the kernel's (giving back, when full, the pairs of wakers gone
 * or not traced, if a task went since the last look), else in the overflow
 * kept for good; 1 + its index, 0 if lost.
 */
static uint32_t pair_new(struct replay *r, struct rtask *t, __u32 waker, __u32 wakee)
{
	struct task_stat *wts;
	struct rpair *p;
	uint32_t i;
	int more = 0;

	if (r->pairs_live >= r->max_pairs && t->pairs && t->walked != r->tasks_gone) {
		t->walked = r->tasks_gone;
		pairs_give_back(r, t, 0);
	}
	if (r->pairs_live >= r->max_pairs) {
		if (r->pairs_more >= r->max_pairs) {
			logic_add(r, CNT_LOST_PAIRS, 1);
			return 0;
		}
		more = 1;
	}
	if (r->pfree.n) {
		i = r->pfree.v[--r->pfree.n];
		p = &r->pairv[i];
		memset(p, 0, sizeof(*p));
	} else if ((p = grow((void **)&r->pairv, &r->npairs, &r->cap_pairs, sizeof(*p)))) {
		i = p - r->pairv;
	} else {
		r->enomem = 1;
		return 0;
	}
	p->p.key.waker_tid = waker;
	p->p.key.wakee_tid = wakee;
	p->used = 1;
	p->more = more;
	if (more) {
		r->pairs_more++;
		return i + 1;
	}
	if ((wts = task_of(r, waker))) {
		p->waker_pos = rtask_of(wts) - r->tasks + 1;
		p->waker_gen = rtask_of(wts)->gen;
	}
	p->next = t->pairs;
	t->pairs = i + 1;
	r->pairs_live++;
	return i + 1;
}

static void logic_wakeup(struct replay *r, struct task_stat *ts, __u32 id,
			 __u32 waker, __u32 wakee, __u64 lat)
{
	uint64_t key = (uint64_t)waker << 32 | wakee;
	uint32_t *v = index_slot(&r->pairs, key), i;

	logic_hist(r, id, lat);
	if (!v) {
		r->enomem = 1;
		return;
	}
	if (!*v) {
		if (!(i = pair_new(r, rtask_of(ts), waker, wakee)))
			return;
		v = index_slot(&r->pairs, key);	/* pairs may have gone: moved */
		if (!v) {
			r->enomem = 1;
			return;
		}
		r->pairs.used++;
		*v = i;
	}
	hist_add_to(&r->pairv[*v - 1].p.h, lat);
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
	struct rtask *t = rtask_of(ts);
	struct rfx *f;
	uint32_t *v, i;

	/* the hash of the triple: probe for an exact match */
	for (;; key++) {
		v = index_slot(&r->futex, key);
		if (!v) {
			r->enomem = 1;
			return;
		}
		if (!*v)
			break;
		f = &r->fxv[*v - 1];
		if (f->f.key.uaddr == uaddr && f->f.key.tgid == ts->tgid &&
		    f->f.key.tid == tid)
			goto add;
	}
	if (r->fx_live >= MAX_FUTEX_KEYS) {	/* the kernel's room */
		logic_add(r, CNT_LOST_FUTEX, 1);
		return;
	}
	if (r->ffree.n) {
		i = r->ffree.v[--r->ffree.n];
		f = &r->fxv[i];
		memset(f, 0, sizeof(*f));
	} else if ((f = grow((void **)&r->fxv, &r->nfx, &r->cap_fx, sizeof(*f)))) {
		i = f - r->fxv;
	} else {
		r->enomem = 1;
		return;
	}
	f->f.key.uaddr = uaddr;
	f->f.key.tgid = ts->tgid;
	f->f.key.tid = tid;
	f->ikey = key;
	f->used = 1;
	f->next = t->futex;	/* the waiter's: tid is ts's */
	t->futex = i + 1;
	r->fx_live++;
	r->futex.used++;
	*v = i + 1;
add:
	f->f.val.waits++;
	f->f.val.wait_ns += dur;
	if (dur > f->f.val.max_ns)
		f->f.val.max_ns = dur;
}

#include "logic.h"

struct replay *replay_new(uint64_t t_start, uint32_t max_pairs)
{
	struct replay *r = calloc(1, sizeof(*r));

	if (r) {
		r->t_start = t_start;
		r->max_pairs = max_pairs ? max_pairs : MAX_PAIRS;
		tasktab_init(&r->gone, TASKS_KEPT);
		gone_init(&r->keys_gone, r->max_pairs, MAX_FUTEX_KEYS);
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
	free(r->free.v);
	tasktab_free(&r->gone);
	free(r->pairv);
	free(r->pfree.v);
	free(r->fxv);
	free(r->ffree.v);
	gone_free(&r->keys_gone);
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

/*
 * Mirrors proc.bpf.c's exec_took_tid(): a thread other than the leader
 * exec'd and took the leader's tid (the exec record's parent_tid: the one
 * it had). Its entry goes under the new tid; the leader's, if its final
 * switch is still to come, under the old one, which that switch says.
 */
static void exec_took_tid(struct replay *r, __u32 tid, __u32 old, __u32 cpu)
{
	uint32_t *v = index_slot(&r->tids, old), t, l = 0;
	struct cpu_on scratch, *on;

	if (!v || !*v)
		return;
	t = *v;
	v = index_slot(&r->tids, tid);	/* (a new key may move the index) */
	if (!v)
		return;
	if (*v && r->tasks[*v - 1].t.tid == tid)
		l = *v;
	r->tids.used += !*v;
	*v = t;
	r->tasks[t - 1].t.tid = tid;
	if (l && (v = index_slot(&r->tids, old))) {
		*v = l;
		r->tasks[l - 1].t.tid = old;
	} else {
		index_del(&r->tids, old);
	}
	on = cpu_on(r, cpu, &scratch);	/* on its CPU as it exec'd */
	if (on->tid == old)
		on->tid = tid;
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
		if (h->kind == EV_EXEC && e->tk.parent_tid && e->tk.parent_tid != h->tid)
			exec_took_tid(r, h->tid, e->tk.parent_tid, h->cpu);
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
		if (r->tasks[i].t.tid &&
		    tasktab_add(&r->gone, r->tasks[i].t.tid, &r->tasks[i].t.st))
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
	/* those alive at the end, then the heaviest gone */
	for (size_t i = 0; i < r->npairs; i++)
		if (r->pairv[i].used)
			td->pairs[td->npairs++] = r->pairv[i].p;
	for (size_t i = 0; i < r->nfx; i++)
		if (r->fxv[i].used)
			td->futex[td->nfutex++] = r->fxv[i].f;
	if (gone_into(&r->keys_gone, td))
		return -ENOMEM;
	memcpy(td->hists, r->hists, sizeof(td->hists));
	hists_final(td->hists);
	for (unsigned int id = 0; id < NR_CNT; id++)
		if (!counter_is_kernel_only(id))
			td->cnt[id] = r->cnt[id];
	memcpy(td->level_ns, r->level_ns, sizeof(td->level_ns));
	trace_close_level(td, r->level_last, r->running);
	return 0;
}
