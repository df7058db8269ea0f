/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * logic.h on the BPF maps: its hooks, then logic.h itself. Every program
 * file includes this; never included by user/.
 */
#ifndef TRACER_COMMON_BPF_H
#define TRACER_COMMON_BPF_H

#include "maps.bpf.h"
#include "task.bpf.h"
#include "stage.bpf.h"
#include "histslot.h"

/*
 * What a classic tracepoint program returns: 0 would drop the event for
 * every perf user of that tracepoint on the machine (perf trace, perf
 * record -e syscalls:...), which a helper's perf witness ran into.
 */
#define TP_KEEP		1

/* The hooks of logic.h, on BPF maps; the context is this CPU's counters. */
#define LOGIC_CTX	struct pcpu *
#define LOGIC_FN	static __always_inline
/* global: checked once, not at each call site (logic_level's comment) */
#define LOGIC_RARE_FN	__weak __noinline

LOGIC_FN void logic_add(struct pcpu *pc, __u32 id, __u64 n)
{
	pcpu_add(pc, id, n);
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

/*
 * A task's first wakeup by waker: the pair's histogram slot, kept in ts;
 * with the pairs' slots all taken, the value goes to pairs_more (if it has
 * room) here, and 0 is returned. Global: checked once (logic_level's note).
 */
__weak __noinline __u32 pair_slot_new(struct pcpu *pc, struct task_stat *ts,
				      __u32 waker, __u32 wakee, __u64 lat)
{
	struct pair_key key = { .waker_tid = waker, .wakee_tid = wakee };
	static const struct hist empty;
	struct hist *h;
	__u32 slot;

	if (!ts)
		return 0;
	slot = slot_of(&pair_slots, &key, &pairs_used, MAX_PAIRS);
	if (!slot) {
		h = lookup_or_init(&pairs_more, &key, &empty, pc, CNT_LOST_PAIRS);
		if (h)
			hist_add_to(h, lat);
		return 0;
	}
	ts->pair_waker = waker;
	ts->pair_slot = slot;
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
		slot = pair_slot_new(pc, ts, waker, wakee, lat);
		if (!slot)
			return;
	}
	slot--;
	h = bpf_map_lookup_elem(&pair_hists, &slot);
	if (h)
		hist_add_at(h, s, lat);
}

/* A task's wait on another futex word: the word's slot, kept in ts; 0 if full */
__weak __noinline __u32 futex_slot_new(struct pcpu *pc, struct task_stat *ts,
				       __u32 tid, __u64 uaddr)
{
	struct fx_key key = { .uaddr = uaddr, .tid = tid };
	__u32 slot;

	if (!ts)
		return 0;
	key.tgid = ts->tgid;
	slot = slot_of(&futex_slots, &key, &futex_used, MAX_FUTEX_KEYS);
	if (!slot) {
		logic_add(pc, CNT_LOST_FUTEX, 1);
		return 0;
	}
	ts->fx_slot = slot;
	ts->fx_slot_uaddr = uaddr;
	return slot;
}

LOGIC_FN void logic_futex_wait(struct pcpu *pc, struct task_stat *ts, __u32 tid,
			       __u64 uaddr, __u64 dur)
{
	__u32 slot = ts->fx_slot;
	struct fx_val *v;

	if (!slot || ts->fx_slot_uaddr != uaddr) {	/* another word: find its slot */
		slot = futex_slot_new(pc, ts, tid, uaddr);
		if (!slot)
			return;
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
