// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Scheduler probes for the traced tree.
 *
 * The tree starts with the process tracer forks to run the workload: any fork
 * whose parent is the tracer itself (cfg_launcher_tgid) registers the child,
 * so counting is exact from the child's first instruction. Every later fork
 * or clone by a tracked task registers the new task too, in the kernel, so
 * nothing the tree creates escapes.
 *
 * sched_switch classifies each switch-out of a tracked task the way the
 * kernel's own nvcsw/nivcsw counters do: preempted, or switched out while
 * still TASK_RUNNING (sched_yield), is involuntary; otherwise voluntary.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "events.h"

#define TASK_DEAD_STATE	0x80	/* TASK_DEAD in include/linux/sched.h */

const volatile __u32 cfg_launcher_tgid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_TASKS);
	__type(key, __u32);
	__type(value, struct task_stat);
} tasks SEC(".maps");

struct trace_loss loss = {};

static __always_inline void track(struct task_struct *parent,
				  struct task_struct *child, __u32 flags)
{
	struct task_stat st = {};
	__u32 tid = BPF_CORE_READ(child, pid);

	st.tgid = BPF_CORE_READ(child, tgid);
	st.ppid = BPF_CORE_READ(parent, tgid);
	st.flags = flags;
	BPF_CORE_READ_STR_INTO(&st.comm, child, comm);
	/* EEXIST: already tracked (a reused entry is updated by its switches) */
	if (bpf_map_update_elem(&tasks, &tid, &st, BPF_NOEXIST) &&
	    !bpf_map_lookup_elem(&tasks, &tid))
		__sync_fetch_and_add(&loss.tasks_untracked, 1);
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(handle_sched_process_fork, struct task_struct *parent,
	     struct task_struct *child)
{
	__u32 ptid = BPF_CORE_READ(parent, pid);

	if (bpf_map_lookup_elem(&tasks, &ptid))
		track(parent, child, 0);
	else if (BPF_CORE_READ(parent, tgid) == cfg_launcher_tgid)
		track(parent, child, TASK_F_ROOT);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(handle_sched_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next, unsigned int prev_state)
{
	__u32 tid = BPF_CORE_READ(prev, pid);
	struct task_stat *st;

	st = bpf_map_lookup_elem(&tasks, &tid);
	if (!st)
		return 0;
	if (preempt || prev_state == 0) {
		st->switches_invol++;
		return 0;
	}
	st->switches_vol++;
	if (prev_state & TASK_DEAD_STATE) {
		st->flags |= TASK_F_EXITED;
		BPF_CORE_READ_STR_INTO(&st->comm, prev, comm);
	}
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
