/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * BPF-side declarations shared by the bpf/ programs; never included by user/.
 * The maps and globals are defined in sched.bpf.c (which defines
 * TRACER_DEFINE_MAPS) and declared extern elsewhere; the linker joins them.
 */
#ifndef TRACER_COMMON_BPF_H
#define TRACER_COMMON_BPF_H

#include "events.h"
#include <bpf/bpf_core_read.h>

#ifdef TRACER_DEFINE_MAPS
#define SHARED
#else
#define SHARED extern
#endif

#define TASK_RUNNING_STATE	0x0000
#define TASK_UNINTERRUPTIBLE	0x0002
#define TASK_DEAD_STATE		0x0080

#define EAGAIN		11
#define EINTR		4
#define ETIMEDOUT	110

SHARED const volatile __u32 cfg_launcher_tgid;
SHARED __u64 t_start;	/* set by user space just before the launch */
SHARED __u64 t_end;	/* set when the tree is gone: every probe stops there */

SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_TASKS);
	__type(key, __u32);
	__type(value, struct task_stat);
} tasks SEC(".maps");

SHARED struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pcpu);
} pcpu SEC(".maps");

SHARED struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NR_HISTS);
	__type(key, __u32);
	__type(value, struct hist);
} hists SEC(".maps");

/* Once the run is over the maps must hold still while user space reads them. */
static __always_inline int tracing_over(void)
{
	return t_end != 0;
}

static __always_inline struct pcpu *this_cpu(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&pcpu, &zero);
}

static __always_inline void count(struct pcpu *pc, __u32 id)
{
	if (pc && id < NR_CNT)
		pc->cnt[id]++;
}

/*
 * Fields of task_struct are read directly (BTF pointers, CO-RE relocated):
 * a BPF_CORE_READ costs a helper call, ~35 ns apiece here.
 *
 * The entry of a tracked task, or NULL. Tids are reused (pid_max is often
 * 32768): an entry counts only for the task it was made for. Entries
 * registered from user space (-p) learn their start time on first sight.
 */
static __always_inline struct task_stat *task_of(struct task_struct *t)
{
	__u32 tid = t->pid;
	struct task_stat *st;
	__u64 start;

	if (!tid)
		return NULL;	/* idle: never in the tree */
	st = bpf_map_lookup_elem(&tasks, &tid);
	if (!st)
		return NULL;
	start = t->start_time;
	if (st->start_ns == start)
		return st;
	if (!st->start_ns) {
		st->start_ns = start;
		return st;
	}
	return NULL;
}

static __always_inline struct task_stat *current_task_of(void)
{
	return task_of(bpf_get_current_task_btf());
}

/* floor(log2(v)) for v > 0, branch-light */
static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 r = 0, s;

	s = (v > 0xFFFFFFFFull) << 5; v >>= s; r |= s;
	s = (v > 0xFFFF) << 4; v >>= s; r |= s;
	s = (v > 0xFF) << 3; v >>= s; r |= s;
	s = (v > 0xF) << 2; v >>= s; r |= s;
	s = (v > 0x3) << 1; v >>= s; r |= s;
	return r | (__u32)(v >> 1);
}

static __always_inline __u32 hist_slot(__u64 v)
{
	__u32 e, slot;

	if (v < (1 << HIST_SUB_BITS))
		return v;
	e = log2_u64(v);
	slot = ((e - HIST_SUB_BITS + 1) << HIST_SUB_BITS) +
	       ((v >> (e - HIST_SUB_BITS)) & ((1 << HIST_SUB_BITS) - 1));
	return slot < HIST_SLOTS ? slot : HIST_SLOTS - 1;
}

static __always_inline void hist_add_to(struct hist *h, __u64 v)
{
	__u32 slot = hist_slot(v);

	if (slot < HIST_SLOTS)	/* for the verifier */
		h->slots[slot]++;
	h->count++;
	h->sum_ns += v;
	if (v > h->max_ns)
		h->max_ns = v;
}

static __always_inline void hist_add(__u32 id, __u64 v)
{
	struct hist *h = bpf_map_lookup_elem(&hists, &id);

	if (h)
		hist_add_to(h, v);
}

#endif /* TRACER_COMMON_BPF_H */
