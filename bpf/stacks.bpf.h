/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * --stacks: where the tree waited. At a tree task's blocking switch-out
 * (S or D) its user and kernel stacks go to the stacks map; as another
 * task wakes it, that task's stacks (stacks.bpf.c); at its next switch-in
 * the time off the CPU goes to offcpu under (task, stacks, state, waker,
 * waker's stacks). With cfg_stacks 0 (a constant at load) the verifier
 * drops the switch side and the waking program is not loaded: the default
 * run pays nothing.
 */
#ifndef TRACER_STACKS_BPF_H
#define TRACER_STACKS_BPF_H

#include "common.bpf.h"

static __always_inline __u32 log2_ns(__u64 v)
{
	__u32 r = 0;

	if (v >> 32) { v >>= 32; r += 32; }
	if (v >> 16) { v >>= 16; r += 16; }
	if (v >> 8) { v >>= 8; r += 8; }
	if (v >> 4) { v >>= 4; r += 4; }
	if (v >> 2) { v >>= 2; r += 2; }
	if (v >> 1) r += 1;
	return r < OFFCPU_SLOTS ? r : OFFCPU_SLOTS - 1;
}

/* The --stacks state of a task's slot */
static __always_inline struct task_stk *stk_of(struct task_stat *ts)
{
	__u32 slot = ts->slot;

	return bpf_map_lookup_elem(&task_stks, &slot);
}

/* A process's first stack: user space reads its mappings now, while it lives */
static __always_inline void note_proc(__u32 tgid)
{
	if (!bpf_map_update_elem(&stk_procs, &tgid, &tgid, BPF_NOEXIST))
		bpf_ringbuf_output(&stk_new, &tgid, sizeof(tgid), 0);
}

/* A blocking switch-out of ts (the current task: sched_switch fires before the switch) */
static __always_inline void stack_note(void *ctx, struct task_stat *ts, struct pcpu *pc,
				       __u32 state, __u64 now)
{
	struct task_stk *k = stk_of(ts);
	long us, ks;

	if (!k)
		return;
	us = bpf_get_stackid(ctx, &ustacks, BPF_F_USER_STACK);
	ks = bpf_get_stackid(ctx, &kstacks, 0);
	if (us < 0 || ks < 0)
		pcpu_add(pc, CNT_STACK_FAIL, 1);
	note_proc(ts->tgid);
	k->user = us < 0 ? -1 : us;
	k->kern = ks < 0 ? -1 : ks;
	k->state = state;
	k->ts = now;
}

/*
 * ts woken by the current task (tid, tgid) in its own context, not an
 * interrupt's: the waker's stacks as it wakes it, for the wait's entry at
 * the next switch-in (which forgets them). The first waking counts. A
 * waking can come before the blocking switch-out is seen: the waker's
 * CPU wakes the task while __schedule on its own has taken it off the run
 * queue (on_rq 0) but not yet switched. Still on it, the wakee does not
 * block: not a wait's waker. No user stack (nouser): a kernel thread, a
 * task past exit_mm().
 */
static __always_inline void stack_waker(void *ctx, struct task_stat *ts, struct pcpu *pc,
					__u32 tid, __u32 tgid, int nouser, int on_rq)
{
	struct task_stk *k = stk_of(ts);
	long us = -1, ks;

	if (!k || k->wtid || !tid || (!k->ts && on_rq))
		return;
	if (!nouser) {
		us = bpf_get_stackid(ctx, &ustacks, BPF_F_USER_STACK);
		note_proc(tgid);
	}
	ks = bpf_get_stackid(ctx, &kstacks, 0);
	if ((us < 0 && !nouser) || ks < 0)
		pcpu_add(pc, CNT_STACK_FAIL, 1);
	k->wtid = tid;
	k->wtgid = tgid;
	k->wuser = us < 0 ? -1 : us;
	k->wkern = ks < 0 ? -1 : ks;
}

/* ts back on a CPU: its time off it, if it left to wait, goes to its stacks' entry */
static __always_inline void stack_account(struct task_stat *ts, struct pcpu *pc, __u64 now)
{
	struct task_stk *k = stk_of(ts);
	static const struct offcpu_val zero;
	struct offcpu_key key = {};
	struct offcpu_val *v;
	__u32 wtid;
	__u64 d;

	if (!k)
		return;
	wtid = k->wtid;
	k->wtid = 0;	/* a waker is the next wait's only from here on */
	if (!k->ts || now <= k->ts)
		return;
	key.tgid = ts->tgid;
	key.tid = ts->tid;
	key.user = k->user;
	key.kern = k->kern;
	key.state = k->state;
	key.wtid = wtid;
	if (wtid) {
		key.wtgid = k->wtgid;
		key.wuser = k->wuser;
		key.wkern = k->wkern;
	}
	d = now - k->ts;
	k->ts = 0;
	v = lookup_or_init(&offcpu, &key, &zero, pc, CNT_OFFCPU_LOST);
	if (!v)
		return;
	/* only the task's own switch-in gets here: no two CPUs on one key */
	v->count++;
	v->total_ns += d;
	if (d > v->max_ns)
		v->max_ns = d;
	v->slots[log2_ns(d)]++;
}

/* A task is gone: its slot's state is the next task's, clean */
static __always_inline void stack_forget(struct task_stat *ts)
{
	struct task_stk *k = stk_of(ts);

	if (k) {
		k->ts = 0;
		k->wtid = 0;
	}
}

#endif /* TRACER_STACKS_BPF_H */
