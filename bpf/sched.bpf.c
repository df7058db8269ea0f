// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Scheduler probes: switches, wakeups and migrations of the traced tree,
 * and where every CPU's time went while the tree ran.
 *
 * A task's life is cut into three kinds of interval (perf sched's terms):
 *
 *   on-CPU ..... switch-out ......... waking ........ switch-in ..... on-CPU
 *      |--- run ---|------ sleep --------|---- runq -------|---- run ----
 *
 * A task that leaves the CPU still runnable (preempted, or yielding) does
 * not sleep: its whole off-CPU interval is run-queue delay (HIST_PREEMPT).
 * Otherwise waking -> switch-in is its wakeup latency, kept apart by whether
 * the waker ran on the same CPU as the wakee does next (HIST_WAKE_SAME) or on
 * another one (HIST_WAKE_CROSS: on a VM, an idle vCPU must be woken first).
 *
 * Voluntary and involuntary follow the kernel's own nvcsw/nivcsw split:
 * preempted, or switched out still TASK_RUNNING, is involuntary.
 */
#define TRACER_DEFINE_MAPS
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "common.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct level_state);
} levels SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_PAIRS);
	__type(key, struct pair_key);
	__type(value, struct hist);
} pairs SEC(".maps");

/* Time at the current concurrency level, then move to the next one. */
static __always_inline void level_move(int up, __u64 now)
{
	__u32 zero = 0, lvl;
	struct level_state *ls = bpf_map_lookup_elem(&levels, &zero);

	if (!ls || !t_start)
		return;
	bpf_spin_lock(&ls->lock);
	if (!ls->last_ts)
		ls->last_ts = t_start;
	lvl = ls->running < MAX_LEVEL ? ls->running : MAX_LEVEL - 1;
	if (t_end && now > t_end)
		now = t_end;
	if (now > ls->last_ts && lvl < MAX_LEVEL)
		ls->ns[lvl] += now - ls->last_ts;
	if (now > ls->last_ts)
		ls->last_ts = now;
	if (up)
		ls->running++;
	else if (ls->running)
		ls->running--;
	bpf_spin_unlock(&ls->lock);
}

/* Charge this CPU's time since its last switch to what ran in it. */
static __always_inline void cpu_account(struct pcpu *pc, __u32 cat_prev,
					__u32 cat_next, __u64 now)
{
	__u64 from = pc->last_ts > t_start ? pc->last_ts : t_start;
	__u64 to = t_end && t_end < now ? t_end : now;

	if (t_start && to > from && cat_prev < NR_CATS)
		pc->ns[cat_prev] += to - from;
	pc->last_ts = now;
	pc->cur = cat_next;
}

static __always_inline void switch_out(struct task_stat *ts, bool preempt,
				       struct task_struct *prev,
				       unsigned int state, __u64 now)
{
	if (ts->flags & TASK_F_ONCPU) {
		ts->run_ns += now - ts->oncpu_ts;
		ts->flags &= ~TASK_F_ONCPU;
		level_move(0, now);
	}
	ts->offcpu_ts = now;
	if (preempt || state == TASK_RUNNING_STATE) {
		ts->switches_invol++;
		ts->off_state = OFF_R;
		return;
	}
	ts->switches_vol++;
	ts->off_state = state & TASK_UNINTERRUPTIBLE ? OFF_D : OFF_S;
	if (state & TASK_DEAD_STATE) {
		ts->flags |= TASK_F_EXITED;
		/* incremented before the tracepoint: these are final */
		ts->knl_nvcsw = prev->nvcsw;
		ts->knl_nivcsw = prev->nivcsw;
	}
}

static __always_inline void pair_add(__u32 waker, __u32 wakee, __u64 lat,
				     struct pcpu *pc)
{
	struct pair_key key = { .waker_tid = waker, .wakee_tid = wakee };
	static const struct hist empty;
	struct hist *h;

	h = bpf_map_lookup_elem(&pairs, &key);
	if (!h) {
		if (bpf_map_update_elem(&pairs, &key, &empty, BPF_NOEXIST) &&
		    !bpf_map_lookup_elem(&pairs, &key)) {
			count(pc, CNT_LOST_PAIRS);
			return;
		}
		h = bpf_map_lookup_elem(&pairs, &key);
		if (!h)
			return;
	}
	hist_add_to(h, lat);
}

static __always_inline void switch_in(struct task_stat *ts, __u32 tid,
				      __u32 cpu, __u64 now, struct pcpu *pc)
{
	__u64 off, lat;

	ts->oncpu_ts = now;
	ts->flags |= TASK_F_ONCPU;
	level_move(1, now);

	if (ts->created_ts) {
		hist_add(ts->tgid == tid ? HIST_CREATE_PROC : HIST_CREATE_THREAD,
			 now - ts->created_ts);
		ts->created_ts = 0;
	}
	if (!ts->offcpu_ts)
		goto out;
	off = now - ts->offcpu_ts;
	if (ts->off_state == OFF_R) {
		hist_add(HIST_PREEMPT, off);
		ts->runq_ns += off;
		goto out;
	}
	hist_add(ts->off_state == OFF_D ? HIST_OFF_D : HIST_OFF_S, off);
	if (!ts->waking_ts || ts->waking_ts > now) {
		count(pc, CNT_UNMATCHED_WAKEUP);
		ts->sleep_ns += off;
		goto out;
	}
	lat = now - ts->waking_ts;
	if (lat > off)		/* woken before it was switched out */
		lat = off;
	ts->runq_ns += lat;
	ts->sleep_ns += off - lat;
	hist_add(ts->waking_cpu == cpu ? HIST_WAKE_SAME : HIST_WAKE_CROSS, lat);
	pair_add(ts->waker_tid, tid, lat, pc);
out:
	ts->offcpu_ts = 0;
	ts->waking_ts = 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(handle_sched_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next, unsigned int prev_state)
{
	__u32 prev_tid = prev->pid;
	__u32 next_tid = BPF_CORE_READ(next, pid);
	struct task_stat *ps = prev_tid ? task_of(prev) : NULL;
	struct task_stat *ns = next_tid ? task_of(next) : NULL;
	struct pcpu *pc = this_cpu();
	__u64 now = bpf_ktime_get_ns();

	if (tracing_over())
		return 0;

	if (!pc)
		return 0;
	pc->cnt[CNT_SWITCH]++;
	cpu_account(pc, !prev_tid ? CAT_IDLE : ps ? CAT_TREE : CAT_OTHER,
		    !next_tid ? CAT_IDLE : ns ? CAT_TREE : CAT_OTHER, now);
	if (ps) {
		pc->cnt[CNT_SWITCH_TREE]++;
		switch_out(ps, preempt, prev, prev_state, now);
	}
	if (ns) {
		if (!ps)
			pc->cnt[CNT_SWITCH_TREE]++;
		switch_in(ns, next_tid, bpf_get_smp_processor_id(), now, pc);
	}
	return 0;
}

SEC("tp_btf/sched_waking")
int BPF_PROG(handle_sched_waking, struct task_struct *p)
{
	struct task_stat *ts = task_of(p);

	if (tracing_over())
		return 0;

	if (!ts)
		return 0;
	/* the latest waking wins: an earlier one may not have led to a sleep */
	ts->waking_ts = bpf_ktime_get_ns();
	ts->waking_cpu = bpf_get_smp_processor_id();
	ts->waker_tid = (__u32)bpf_get_current_pid_tgid();
	count(this_cpu(), CNT_WAKING);
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(handle_sched_wakeup_new, struct task_struct *p)
{
	if (!tracing_over() && task_of(p))
		count(this_cpu(), CNT_WAKEUP_NEW);
	return 0;
}

SEC("tp_btf/sched_migrate_task")
int BPF_PROG(handle_sched_migrate_task, struct task_struct *p, int dest_cpu)
{
	struct task_stat *ts = task_of(p);

	if (!ts || tracing_over())
		return 0;
	__sync_fetch_and_add(&ts->migrations, 1);
	count(this_cpu(), CNT_MIGRATE);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
