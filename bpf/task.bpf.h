/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* A traced task's figures: found, made, let go, kept beyond its task_struct. */
#ifndef TRACER_TASK_BPF_H
#define TRACER_TASK_BPF_H

#include "maps.bpf.h"
#include "fold.h"

/*
 * The figures of task t, a traced task; else NULL. Fields of task_struct
 * are read directly (BTF pointers, CO-RE relocated): a BPF_CORE_READ costs
 * a helper call, ~35 ns apiece here.
 */
static __always_inline struct task_stat *task_of(struct task_struct *t)
{
	__u32 tid = t->pid, *slot = bpf_map_lookup_elem(&tid_slot, &tid), s;
	struct task_stat *st;

	if (!slot || !*slot)
		return NULL;
	st = bpf_map_lookup_elem(&task_slots, slot);
	if (!st)
		return NULL;
	if (st->task == (__u64)t)
		return st;
	if (!st->task) {	/* found by -p: now known */
		st->task = (__u64)t;
		st->start_ns = t->start_time;
		return st;
	}
	if (!st->alias)
		return NULL;	/* the tid of a task gone */
	/* a thread's exec is swapping its tid and its leader's (proc.bpf.c) */
	s = st->alias;
	st = bpf_map_lookup_elem(&task_slots, &s);
	return st && st->task == (__u64)t ? st : NULL;
}

/*
 * The tid the tracer knows task t by (st: its figures, or NULL): t's own,
 * but while a thread's exec swaps its tid and its leader's (proc.bpf.c),
 * each keeps its old one until the exec tracepoint. Events and the replay
 * (user/core/replay.c) say this one, so that it can follow the swap.
 */
static __always_inline __u32 task_tid(const struct task_stat *st, struct task_struct *t)
{
	__u32 tid = t->pid;

	/* two loads: merged into one, the verifier refuses its two pointer kinds */
	asm volatile("" : "+r"(tid));
	if (st)
		tid = st->tid;
	return tid;
}

/* The figures of the traced task of tid, whichever task_struct: NULL if none */
static __always_inline struct task_stat *task_of_tid(__u32 tid)
{
	__u32 *slot = bpf_map_lookup_elem(&tid_slot, &tid);

	return slot && *slot ? bpf_map_lookup_elem(&task_slots, slot) : NULL;
}

/* Follow task t from now on, with figures init; NULL if there is no room. */
static __always_inline struct task_stat *task_new(struct task_struct *t,
						  struct task_stat *init)
{
	__u32 tid = t->pid, *slot = bpf_map_lookup_elem(&tid_slot, &tid), s, old;
	struct task_stat *st, *prev;
	struct task_keys *keys;

	if (!slot)
		return NULL;	/* a tid above pid_max at the start */
	if (bpf_map_pop_elem(&free_slots, &s) || !s || s > cfg_max_tasks) {
		s = __sync_fetch_and_add(&slots_used, 1) + 1;
		if (s > cfg_max_tasks)
			return NULL;
	}
	st = bpf_map_lookup_elem(&task_slots, &s);
	if (!st)
		return NULL;
	init->task = (__u64)t;
	init->tid = tid;
	init->slot = s;
	init->alias = 0;
	/*
	 * The tid's last task is not released yet: its parent reaped it and
	 * made this one before its final switch (on another CPU). Each is the
	 * other's alias until then, so that the final switch still finds it
	 * (task_of(), task_release()); else its figures were lost, unsaid.
	 */
	old = *slot;
	if (old && old != s && (prev = bpf_map_lookup_elem(&task_slots, &old)) &&
	    prev->tid == tid && prev->task && !prev->alias) {
		init->alias = old;
		prev->alias = s;
	}
	*st = *init;
	if ((keys = bpf_map_lookup_elem(&task_keys, &s))) {
		keys->gen++;	/* a new task in the slot (keys.bpf.h) */
		keys->walked = 0;
	}
	*slot = s;	/* last: a reader finds the figures whole */
	return st;
}

/*
 * A task is gone (its final switch): its slot goes back for a new task. Its
 * tid goes to the task it is an alias of: a thread taking it by exec.
 */
static __always_inline void task_release(struct task_stat *st)
{
	__u32 tid = st->tid, s = st->slot, a = st->alias;
	__u32 *slot = bpf_map_lookup_elem(&tid_slot, &tid);
	struct task_stat *other;

	if (slot && *slot == s)
		*slot = a;
	if (a && (other = bpf_map_lookup_elem(&task_slots, &a)) && other->alias == s)
		other->alias = 0;
	bpf_map_push_elem(&free_slots, &s, 0);
}

/*
 * A task's comm into an event: two direct 8-byte loads (the kernel keeps
 * comm NUL-padded), where bpf_probe_read_kernel_str() is a helper call.
 */
static __always_inline void copy_comm(char *dst, struct task_struct *t)
{
	const __u64 *src = (const __u64 *)t->comm;

	((__u64 *)dst)[0] = src[0];
	((__u64 *)dst)[1] = src[1];
}

/* A live task's figures for user space, under its tid and start (the end). */
static __always_inline void keep(struct task_stat *st)
{
	struct task_key key = { .tid = st->tid, .start_ns = st->start_ns };

	bpf_map_update_elem(&tasks, &key, st, BPF_ANY);
}

/* A gone task's final figures, to user space while the run goes on. */
/*
 * Final figures the ring `done` had no room for (its reader behind):
 * folded into this CPU's totals as user space folds them (task_fold_add),
 * exact; only the task's name and tid are not kept. Global: a rare path
 * the verifier checks once, out of sched_switch's code.
 */
__weak __noinline int fold_final(struct pcpu *pc, struct task_stat *st)
{
	if (!pc || !st)
		return 0;
	pc->cnt[CNT_LOST_DEAD]++;
	task_fold_one(&pc->fold, st->tid, st);
	return 0;
}

/* A task's final figures to user space (or, the ring full, to fold_final) */
static __always_inline void keep_final(struct task_stat *st, struct pcpu *pc)
{
	if (bpf_ringbuf_output(&done, st, sizeof(*st), 0))
		fold_final(pc, st);
}

static __always_inline struct task_stat *current_task_of(void)
{
	return task_of(bpf_get_current_task_btf());
}

#endif /* TRACER_TASK_BPF_H */
