/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * --stacks: where the tree waited. At a tree task's blocking switch-out
 * (S or D), or its preemption (R, kept apart), its user and kernel stacks
 * go to the stacks map; as another
 * task wakes it, that task's stacks (stacks.bpf.c); at its next switch-in
 * the time off the CPU goes to offcpu under (task, stacks, state, waker,
 * waker's stacks). With cfg_stacks 0 (a constant at load) the verifier
 * drops the switch side and the waking program is not loaded: the default
 * run pays nothing.
 */
#ifndef TRACER_STACKS_BPF_H
#define TRACER_STACKS_BPF_H

#include "common.bpf.h"
#include <bpf/bpf_tracing.h>
#include "syscall.bpf.h"	/* PF_KTHREAD_ */

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
	/* a lookup first: a refused update takes the bucket's lock, at every switch */
	if (bpf_map_lookup_elem(&stk_procs, &tgid))
		return;
	if (!bpf_map_update_elem(&stk_procs, &tgid, &tgid, BPF_NOEXIST))
		bpf_ringbuf_output(&stk_new, &tgid, sizeof(tgid), 0);
}

/*
 * --unwind dwarf: the current task's user registers and the top of its
 * user stack, from sp up to USTK_COPY bytes or the first page that cannot
 * be read (the stack's end), to the ring. 0, or -1.
 */
static __always_inline int ustack_copy(__u32 kind, __u32 tgid, __u32 tid, __u32 seq,
				       __u32 wakee)
{
	struct task_struct *cur = bpf_get_current_task_btf();
	struct ustk_sample *s;
	struct pt_regs *regs;
	__u32 zero = 0, off;

	s = bpf_map_lookup_elem(&ustk_buf, &zero);
	regs = (struct pt_regs *)bpf_task_pt_regs(cur);
	if (!s || !regs || (cur->flags & PF_KTHREAD_))
		return -1;
	/* the ring's last MiB kept for the waits (64 bytes): a lost sample loses frames, not time */
	if (bpf_ringbuf_query(&stk_new, BPF_RB_AVAIL_DATA) + sizeof(*s) + (1 << 20) >
	    bpf_ringbuf_query(&stk_new, BPF_RB_RING_SIZE))
		return -1;
	s->kind = kind;
	s->tgid = tgid;
	s->tid = tid;
	s->seq = seq;
	s->wakee = wakee;
	s->ip = PT_REGS_IP(regs);
	s->sp = PT_REGS_SP(regs);
	s->bp = PT_REGS_FP(regs);
	off = 4096 - (s->sp & 4095);	/* to the page's end first */
	if (off > 4096 || bpf_probe_read_user(s->data, off, (void *)s->sp))
		return -1;
	for (int i = 0; i < USTK_COPY / 4096 - 1; i++) {
		barrier_var(off);	/* tested as it is: the compiler's OR lost the verifier its bound */
		if (off > USTK_COPY - 4096 ||
		    bpf_probe_read_user(s->data + off, 4096, (void *)(s->sp + off)))
			break;
		off += 4096;
	}
	s->len = off;
	if (off > USTK_COPY)
		return -1;
	return bpf_ringbuf_output(&stk_new, s, offsetof(struct ustk_sample, data) + off, 0) ?
	       -1 : 0;
}

/*
 * Preemptions noted over the run: a budget of their own, so that a long
 * CPU-bound run (a preemption at each tick, each at a new instruction: a
 * new stack) cannot take the stack maps and the table from the waits
 */
#define MAX_R_NOTES	4096
static __u64 r_notes;

/* A blocking switch-out of ts (the current task: sched_switch fires before the switch) */
static __always_inline void stack_note(void *ctx, struct task_stat *ts, struct pcpu *pc,
				       __u32 state, __u64 now)
{
	struct task_stk *k = stk_of(ts);
	long us = -1, ks;

	if (!k)
		return;
	if (state == OFF_R && __sync_fetch_and_add(&r_notes, 1) >= MAX_R_NOTES) {
		pcpu_add(pc, CNT_R_SKIPPED, 1);
		return;
	}
	if (!cfg_dwarf)
		us = bpf_get_stackid(ctx, &ustacks, BPF_F_USER_STACK);
	else if (!ustack_copy(USTK_SAMPLE, ts->tgid, ts->tid, ++k->seq, 0))
		us = 0;	/* in the sample */
	ks = bpf_get_stackid(ctx, &kstacks, 0);
	if (us < 0 || ks < 0)
		pcpu_add(pc, state == OFF_R ? CNT_RSTACK_FAIL : CNT_STACK_FAIL, 1);
	note_proc(ts->tgid);
	k->user = us < 0 ? -1 : us;
	k->kern = ks < 0 ? -1 : ks;
	k->state = state;
	k->uaddr = pc->stk_uaddr;
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

	if (!k || k->wtid || !tid || (!k->ts && on_rq) || (k->ts && k->state == OFF_R))
		return;	/* a preempted task is runnable: no waker of a wait */
	if (!nouser && !cfg_dwarf) {
		us = bpf_get_stackid(ctx, &ustacks, BPF_F_USER_STACK);
		note_proc(tgid);
	} else if (!nouser) {
		/* for the wait the switch-out began, or the one it is about to (seq + 1) */
		if (!ustack_copy(USTK_WAKER, tgid, tid, k->ts ? k->seq : k->seq + 1, ts->tid))
			us = 0;	/* in the sample */
	}
	ks = bpf_get_stackid(ctx, &kstacks, 0);
	if ((us < 0 && !nouser) || ks < 0)
		pcpu_add(pc, CNT_WSTACK_FAIL, 1);
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
	key.uaddr = k->uaddr;
	key.wtid = wtid;
	if (wtid) {
		key.wtgid = k->wtgid;
		key.wuser = k->wuser;
		key.wkern = k->wkern;
	}
	d = now - k->ts;
	k->ts = 0;
	if (cfg_dwarf) {
		/* the wait of the sample k->seq (if its copy was sent: user 0) */
		struct ustk_wait w = { .kind = USTK_WAIT, .seq = k->seq, .key = key, .ns = d };

		if (bpf_ringbuf_output(&stk_new, &w, sizeof(w), 0))
			pcpu_add(pc, CNT_OFFCPU_LOST, 1);
		return;
	}
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
