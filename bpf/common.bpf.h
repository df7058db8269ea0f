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

SHARED const volatile __u32 cfg_launcher_tgid;
SHARED const volatile __u32 cfg_events;	/* stream events (--events) */
SHARED __u64 t_start;	/* set by user space just before the launch */
SHARED __u64 t_end;	/* set when the tree is gone: every probe stops there */
/*
 * The window's end, set as soon as the command exits: the CPU shares stop
 * there, though the probes run on to t_end (its final switch, leftovers).
 */
SHARED __u64 t_stop;
SHARED __u32 root_exited;	/* the launched task made its final switch */

/*
 * A traced task's figures: a slot of task_slots, found from its tid through
 * tid_slot (sized to pid_max at load). Two array lookups the verifier
 * inlines: finding both tasks of a switch cost 12 ns over reading the
 * clock this way, 45 ns with task-local storage (a helper call each;
 * medians of 5 runs of a sketch); a hash by tid cost ~45 ns a lookup. The
 * slot holds the address of the task's task_struct, so a later task of the
 * same tid is never taken for it. Slots come from free_slots (those of
 * tasks gone), else a new one; -p takes them from user space alike.
 */
SHARED struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);		/* pid_max, set by user space */
	__type(key, __u32);
	__type(value, __u32);		/* slot in task_slots; 0: not traced */
} tid_slot SEC(".maps");

SHARED struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_TASKS + 1);	/* slot 0 is no task */
	__type(key, __u32);
	__type(value, struct task_stat);
} task_slots SEC(".maps");

SHARED struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, MAX_TASKS);
	__type(value, __u32);
} free_slots SEC(".maps");

SHARED __u32 slots_used;	/* slots ever handed out: 1..slots_used */

/* Final figures: copied at a task's final switch, or at the end of the run. */
SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_TASKS);
	__type(key, struct task_key);
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
	__uint(max_entries, NR_HISTS_KEPT);
	__type(key, __u32);
	__type(value, struct hist);
} hists SEC(".maps");

/*
 * What a classic tracepoint program returns: 0 would drop the event for
 * every perf user of that tracepoint on the machine (perf trace, perf
 * record -e syscalls:...), which a helper's perf witness ran into.
 */
#define TP_KEEP		1

/* Once the run is over the maps must hold still while user space reads them. */
static __always_inline int tracing_over(void)
{
	return t_end != 0;
}

SHARED struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct level_state);
} levels SEC(".maps");

/*
 * Waker -> wakee pairs: the hash gives a pair its slot in an array of
 * histograms once; the wakee keeps its last waker's slot, so a repeated
 * pair (every hand-off of a ping-pong) costs an array lookup, not a hash one.
 * The hash is preallocated: allocating in sched_switch draws on a per-CPU
 * cache that a burst of new pairs (10,000 threads started at once) can empty.
 */
SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_PAIRS);
	__type(key, struct pair_key);
	__type(value, __u32);		/* 1 + index in pair_hists */
} pair_slots SEC(".maps");

SHARED struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_PAIRS);
	__type(key, __u32);
	__type(value, struct hist);
} pair_hists SEC(".maps");

SHARED __u32 pairs_used;

/* Pairs beyond the array's room: a hash of histograms, allocated as used. */
SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_PAIRS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct pair_key);
	__type(value, struct hist);
} pairs_more SEC(".maps");

/*
 * Futex words and their waiters, as the pairs: a (word, waiter) gets its
 * slot in an array once; the waiter keeps its last word's slot, so a wait
 * on the same word again (a lock, a ping-pong) costs an array lookup at the
 * switch-in, not a hash one (~32 ns).
 */
SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_FUTEX_KEYS);
	__type(key, struct fx_key);
	__type(value, __u32);		/* 1 + index in futex_vals */
} futex_slots SEC(".maps");

SHARED struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_FUTEX_KEYS);
	__type(key, __u32);
	__type(value, struct fx_val);
} futex_vals SEC(".maps");

SHARED __u32 futex_used;

SHARED struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);	/* resized from user space */
} events SEC(".maps");

static __always_inline struct pcpu *this_cpu(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&pcpu, &zero);
}

static __always_inline void logic_count(struct pcpu *pc, __u32 id)
{
	if (pc && id < NR_CNT)
		pc->cnt[id]++;
}

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

/* Follow task t from now on, with figures init; NULL if there is no room. */
static __always_inline struct task_stat *task_new(struct task_struct *t,
						  struct task_stat *init)
{
	__u32 tid = t->pid, *slot = bpf_map_lookup_elem(&tid_slot, &tid), s;
	struct task_stat *st;

	if (!slot)
		return NULL;	/* a tid above pid_max at the start */
	if (bpf_map_pop_elem(&free_slots, &s) || !s || s > MAX_TASKS) {
		s = __sync_fetch_and_add(&slots_used, 1) + 1;
		if (s > MAX_TASKS)
			return NULL;
	}
	st = bpf_map_lookup_elem(&task_slots, &s);
	if (!st)
		return NULL;
	init->task = (__u64)t;
	init->tid = tid;
	init->slot = s;
	*st = *init;
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

/* Keep a task's figures beyond its task_struct, under its tid and start. */
static __always_inline void keep(struct task_stat *st, struct pcpu *pc)
{
	struct task_key key = { .tid = st->tid, .start_ns = st->start_ns };

	if (bpf_map_update_elem(&tasks, &key, st, BPF_ANY) && pc)
		pc->cnt[CNT_LOST_DEAD]++;
}

static __always_inline struct task_stat *current_task_of(void)
{
	return task_of(bpf_get_current_task_btf());
}

/* The hooks of logic.h, on BPF maps; the context is this CPU's counters. */
#define LOGIC_CTX	struct pcpu *
#define LOGIC_FN	static __always_inline

LOGIC_FN void logic_add(struct pcpu *pc, __u32 id, __u64 n)
{
	if (pc && id < NR_CNT)
		pc->cnt[id] += n;
}

LOGIC_FN void hist_add_to(struct hist *h, __u64 v);	/* logic.h */
LOGIC_FN void hist_add_at(struct hist *h, __u32 slot, __u64 v);
LOGIC_FN __u32 hist_slot(__u64 v);

#include "stage.bpf.h"

/* A process event (fork, exec, exit, wakeup_new, migrate) of task p. */
static __always_inline void emit_task(struct pcpu *pc, __u32 kind,
				      struct task_struct *p,
				      struct task_struct *parent, __u64 clone_ts,
				      int exit_code, int dest_cpu)
{
	struct stage *st = stage_hold();
	struct ev_task *e;

	/* held before the clock read: see stage.bpf.h */
	if (tracing_over())
		goto out;
	e = EV_RESERVE(struct ev_task, kind, pc, st, bpf_ktime_get_ns(), p);
	if (!e)
		goto out;
	e->parent_pid = parent ? parent->tgid : 0;
	e->parent_tid = parent ? parent->pid : 0;
	e->clone_ts = clone_ts;
	e->exit_code = exit_code;
	e->orig_cpu = p->thread_info.cpu;
	e->dest_cpu = dest_cpu;
	e->prio = p->prio;
	copy_comm(e->comm, p);
	EV_SUBMIT(e, st);
out:
	stage_release(st);
}

LOGIC_FN void logic_hist(struct pcpu *pc, __u32 id, __u64 v)
{
	struct hist *h = bpf_map_lookup_elem(&hists, &id);

	if (h)
		hist_add_to(h, v);
}

/* The value of key in a hash map, created zeroed if missing; NULL if full. */
static __always_inline void *lookup_or_init(void *map, const void *key,
					    const void *zero, struct pcpu *pc,
					    __u32 lost_id)
{
	void *v = bpf_map_lookup_elem(map, key);

	if (v)
		return v;
	if (bpf_map_update_elem(map, key, zero, BPF_NOEXIST) &&
	    !bpf_map_lookup_elem(map, key)) {
		logic_add(pc, lost_id, 1);
		return NULL;
	}
	return bpf_map_lookup_elem(map, key);
}

/*
 * The slot of key in slots (a hash of 1 + index), given the next of max if
 * new; 0 if full. Only the task of the key's own switch-in gets here: no
 * two CPUs race on a key.
 */
static __always_inline __u32 slot_of(void *slots, const void *key, __u32 *used, __u32 max)
{
	__u32 *v = bpf_map_lookup_elem(slots, key);
	__u32 slot;

	if (v)
		return *v;
	if (*used >= max)
		return 0;
	slot = __sync_fetch_and_add(used, 1) + 1;
	if (slot > max || bpf_map_update_elem(slots, key, &slot, BPF_NOEXIST))
		return 0;
	return slot;
}

/* A wakeup latency into histogram id and its pair's: the slot found once. */
LOGIC_FN void logic_wakeup(struct pcpu *pc, struct task_stat *ts, __u32 id,
			   __u32 waker, __u32 wakee, __u64 lat)
{
	__u32 slot = ts->pair_slot, s = hist_slot(lat);
	struct hist *h = bpf_map_lookup_elem(&hists, &id);

	if (h)
		hist_add_at(h, s, lat);
	if (!slot || ts->pair_waker != waker) {	/* a new waker: find its slot */
		struct pair_key key = { .waker_tid = waker, .wakee_tid = wakee };
		static const struct hist empty;

		slot = slot_of(&pair_slots, &key, &pairs_used, MAX_PAIRS);
		if (!slot) {
			h = lookup_or_init(&pairs_more, &key, &empty, pc, CNT_LOST_PAIRS);
			goto add;
		}
		ts->pair_waker = waker;
		ts->pair_slot = slot;
	}
	slot--;
	h = bpf_map_lookup_elem(&pair_hists, &slot);
add:
	if (h)
		hist_add_at(h, s, lat);
}

LOGIC_FN void logic_futex_wait(struct pcpu *pc, struct task_stat *ts, __u32 tid,
			       __u64 uaddr, __u64 dur)
{
	__u32 slot = ts->fx_slot;
	struct fx_val *v;

	if (!slot || ts->fx_slot_uaddr != uaddr) {	/* another word: find its slot */
		struct fx_key key = { .uaddr = uaddr, .tgid = ts->tgid, .tid = tid };

		slot = slot_of(&futex_slots, &key, &futex_used, MAX_FUTEX_KEYS);
		if (!slot) {
			logic_add(pc, CNT_LOST_FUTEX, 1);
			return;
		}
		ts->fx_slot = slot;
		ts->fx_slot_uaddr = uaddr;
	}
	slot--;
	v = bpf_map_lookup_elem(&futex_vals, &slot);
	if (!v)
		return;
	v->waits++;
	v->wait_ns += dur;
	if (dur > v->max_ns)
		v->max_ns = dur;
}

/*
 * Time at the current concurrency level, then move to the next one. A
 * global function: the verifier checks it once, not again at each of its
 * call sites in sched_switch (each inlined copy multiplied the paths it
 * walks); a call costs a few ns, only where the level changes, never on a
 * hand-off between two tree tasks. Weak: every object that includes this
 * file defines it, the linker keeps one. A global function returns a scalar.
 */
__weak __noinline int logic_level(struct pcpu *pc, int up, __u64 now)
{
	__u32 zero = 0, lvl;
	struct level_state *ls = bpf_map_lookup_elem(&levels, &zero);

	if (!ls || !t_start)
		return 0;
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
	return 0;
}

#include "logic.h"

#endif /* TRACER_COMMON_BPF_H */
