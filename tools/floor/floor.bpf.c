// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The floor under any tracer of the same events (make bench): programs on
 * tracer's hooks that do nothing, or only read the clock that every
 * latency figure needs. What they add to a workload, no tracer on these
 * hooks can avoid on this machine. Beyond it, the least each of the two
 * designs of such a tracer does: figures kept per task in the kernel
 * (tracer's), or a record of each event for user space to make them from.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

__u64 sink;	/* keeps the clock reads */

SEC("tp_btf/sched_switch")
int BPF_PROG(switch_empty) { return 0; }

SEC("tp_btf/sched_switch")
int BPF_PROG(switch_clock) { sink = bpf_ktime_get_ns(); return 0; }

SEC("tp_btf/sched_waking")
int BPF_PROG(waking_clock) { sink = bpf_ktime_get_ns(); return 0; }

SEC("tracepoint/syscalls/sys_enter_futex")
int futex_enter_empty(void *ctx) { return 0; }

SEC("tracepoint/syscalls/sys_exit_futex")
int futex_exit_empty(void *ctx) { return 0; }

/* the alternative for futex: every syscall of the machine runs a program */
SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter_empty) { return 0; }

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit_empty) { return 0; }

/*
 * Both designs first tell a traced task from the others: as tracer does, a
 * tid's slot from an array indexed by tid. Here the traced tasks are those
 * named "pingpong" (make bench's workload), picked at their first switch;
 * an exec has its tid picked again.
 */
#include "../../bpf/histslot.h"

#define NOT_TRACED	0xffffffffu
#define NR_PICKED	64

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 4194304);	/* PID_MAX_LIMIT */
	 __type(key, __u32); __type(value, __u32); } tid_slot SEC(".maps");
__u32 slots_used;

static __noinline __u32 pick(struct task_struct *t, __u32 *slot)
{
	const __u64 *c = (const __u64 *)t->comm;

	if (c[0] != 0x676e6f70676e6970ull || (c[1] & 0xff)) {	/* "pingpong" */
		*slot = NOT_TRACED;
		return 0;
	}
	*slot = __sync_fetch_and_add(&slots_used, 1) % NR_PICKED + 1;
	return *slot;
}

static __always_inline __u32 slot_of(struct task_struct *t)
{
	__u32 tid = t->pid, *slot = bpf_map_lookup_elem(&tid_slot, &tid);

	if (!slot || *slot == NOT_TRACED)
		return 0;
	return *slot ? *slot : pick(t, slot);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(exec_pick, struct task_struct *p)
{
	__u32 tid = p->pid, *slot = bpf_map_lookup_elem(&tid_slot, &tid);

	if (slot)
		*slot = 0;
	return 0;
}

/*
 * Per task: stamp the switch-out and the waking; at the switch-in, the time
 * off the CPU and the wakeup latency (same CPU or not) into histograms.
 */
struct task_min {
	__u64 task, off_ts, waking_ts;
	__u32 waking_cpu, pad;
};

struct cpu_min {
	struct hist off, wake[2];
};

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, NR_PICKED + 1);
	 __type(key, __u32); __type(value, struct task_min); } task_mins SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 1);
	 __type(key, __u32); __type(value, struct cpu_min); } cpu_mins SEC(".maps");

static __always_inline struct task_min *task_min_of(struct task_struct *t)
{
	__u32 s = slot_of(t);
	struct task_min *tm = s ? bpf_map_lookup_elem(&task_mins, &s) : NULL;

	if (tm && tm->task != (__u64)t) {	/* a new task in the slot */
		tm->task = (__u64)t;
		tm->off_ts = tm->waking_ts = 0;
	}
	return tm;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(switch_per_task, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	__u64 now = bpf_ktime_get_ns();
	struct task_min *ps = task_min_of(prev), *ns = task_min_of(next);
	struct cpu_min *pc;
	__u32 zero = 0;

	if (ps)
		ps->off_ts = now;
	if (!ns || !ns->off_ts || !(pc = bpf_map_lookup_elem(&cpu_mins, &zero)))
		return 0;
	hist_add_to(&pc->off, now - ns->off_ts);
	if (ns->waking_ts && ns->waking_ts <= now)
		hist_add_to(&pc->wake[ns->waking_cpu != bpf_get_smp_processor_id()],
			    now - ns->waking_ts);
	ns->off_ts = ns->waking_ts = 0;
	return 0;
}

SEC("tp_btf/sched_waking")
int BPF_PROG(waking_per_task, struct task_struct *p)
{
	struct task_min *ts = task_min_of(p);

	if (!ts)
		return 0;
	ts->waking_ts = bpf_ktime_get_ns();
	ts->waking_cpu = bpf_get_smp_processor_id();
	return 0;
}

/*
 * A record of each event: 32 bytes into a per-CPU buffer, overwritten as it
 * wraps. No reader: reading it from another CPU would add its own traffic.
 */
#define NR_RECS	512	/* a power of 2; a per-CPU value is at most 32 KiB */

struct rec {
	__u64 ts;
	__u32 kind, tid, other, state;
	__u64 pad;
};

struct cpu_recs {
	__u64 head;
	struct rec r[NR_RECS];
};

struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 1);
	 __type(key, __u32); __type(value, struct cpu_recs); } recs SEC(".maps");

static __always_inline struct rec *rec_next(void)
{
	__u32 zero = 0;
	struct cpu_recs *cr = bpf_map_lookup_elem(&recs, &zero);

	return cr ? &cr->r[cr->head++ & (NR_RECS - 1)] : NULL;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(switch_record, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	__u64 now = bpf_ktime_get_ns();
	struct rec *r;

	if ((!slot_of(prev) && !slot_of(next)) || !(r = rec_next()))
		return 0;
	r->ts = now;
	r->kind = 1 | preempt << 1;
	r->tid = prev->pid;
	r->other = next->pid;
	r->state = prev_state;
	r->pad = 0;
	return 0;
}

SEC("tp_btf/sched_waking")
int BPF_PROG(waking_record, struct task_struct *p)
{
	struct rec *r;

	if (!slot_of(p) || !(r = rec_next()))
		return 0;
	r->ts = bpf_ktime_get_ns();
	r->kind = 4;
	r->tid = p->pid;
	r->other = bpf_get_smp_processor_id();
	r->state = 0;
	r->pad = 0;
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
