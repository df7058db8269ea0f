/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * --stacks: where the tree waited. At a tree task's blocking switch-out
 * (S or D) its user and kernel stacks go to the stacks map; at its next
 * switch-in the time off the CPU goes to offcpu under (task, stacks,
 * state). With cfg_stacks 0 (a constant at load) the verifier drops all
 * of it: the default run pays nothing.
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

/* A blocking switch-out of ts (the current task: sched_switch fires before the switch) */
static __always_inline void stack_note(void *ctx, struct task_stat *ts, struct pcpu *pc,
				       __u32 state, __u64 now)
{
	long u = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
	long k = bpf_get_stackid(ctx, &stacks, 0);

	if (u < 0 || k < 0)
		pcpu_add(pc, CNT_STACK_FAIL, 1);
	/* a process's first: user space reads its mappings now, while it lives */
	if (!bpf_map_update_elem(&stk_procs, &ts->tgid, &ts->tgid, BPF_NOEXIST))
		bpf_ringbuf_output(&stk_new, &ts->tgid, sizeof(ts->tgid), 0);
	ts->stk_user = u < 0 ? -1 : u;
	ts->stk_kern = k < 0 ? -1 : k;
	ts->stk_state = state;
	ts->stk_ts = now;
}

/* ts back on a CPU: its time off it goes to its stacks' entry */
static __always_inline void stack_account(struct task_stat *ts, struct pcpu *pc, __u64 now)
{
	struct offcpu_key key = {
		.tgid = ts->tgid, .tid = ts->tid, .user = ts->stk_user,
		.kern = ts->stk_kern, .state = ts->stk_state,
	};
	static const struct offcpu_val zero;
	struct offcpu_val *v;
	__u64 d = now - ts->stk_ts;

	ts->stk_ts = 0;
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

#endif /* TRACER_STACKS_BPF_H */
