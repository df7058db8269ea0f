/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The keyed tables of logic.h's hooks: waker -> wakee pairs and (futex
 * word, waiter) keys. Each gets a slot once; a task keeps the slot it used
 * last, so a repeat costs an array lookup. A task's pairs (as the wakee)
 * and futex keys hang in lists of its own, touched only in its own
 * switches; at its final switch they go back: their figures to user space
 * by the ring `gone`, their slots to a free queue. When the pairs' slots
 * are all taken, the wakee's pairs whose waker is gone go back first (a
 * parent waited on by each of a million children). So only the pairs and
 * keys alive at once are bounded. user/core/replay.c does the same at the
 * same events, so the replay's figures stay the kernel's.
 */
#ifndef TRACER_KEYS_BPF_H
#define TRACER_KEYS_BPF_H

#include "maps.bpf.h"
#include "task.bpf.h"
#include "histslot.h"

/* A slot of a table of max: a new one, else one given back; 0 if none. */
static __always_inline __u32 slot_take(__u32 *used, void *freeq, __u32 max)
{
	__u32 s;

	if (*used < max && (s = __sync_fetch_and_add(used, 1) + 1) <= max)
		return s;
	if (!bpf_map_pop_elem(freeq, &s) && s && s <= max)
		return s;
	return 0;
}

/*
 * Whether the task that woke as l's waker is still the one in its slot. One
 * not traced when the pair was made (outside the tree, or gone already: a
 * child's exit wakes its parent before its final switch, and the parent
 * may run after it) counts as gone; an interrupt (tid 0) never goes.
 */
static __always_inline int waker_alive(const struct pair_link *l)
{
	__u32 tid = l->key.waker_tid, *slot;
	struct task_keys *k;

	if (!l->waker_slot)
		return !tid;
	slot = bpf_map_lookup_elem(&tid_slot, &tid);
	if (!slot || *slot != l->waker_slot)
		return 0;
	k = bpf_map_lookup_elem(&task_keys, slot);
	return k && k->gen == l->waker_gen;
}

/*
 * A histogram's count, which the programs do not keep (histslot.h). Global:
 * its loop is checked once, not at each walk that may fold a pair.
 */
__weak __noinline __u64 hist_count(const struct hist *h)
{
	__u64 n = 0;

	for (int s = 0; h && s < HIST_SLOTS; s++)
		n += h->slots[s];
	return n;
}

/* Pair slot (1-based) and its link: figures out, slot back. */
static __always_inline void pair_give_back(struct pcpu *pc, __u32 slot,
					   const struct pair_link *l)
{
	__u32 i = slot - 1;
	struct hist *h = bpf_map_lookup_elem(&pair_hists, &i);
	struct gone_pair *g = h ? bpf_ringbuf_reserve(&gone, sizeof(*g), 0) : NULL;

	if (g) {
		g->kind = GONE_PAIR;
		g->pad = 0;
		g->key = l->key;
		bpf_probe_read_kernel(&g->h, sizeof(g->h), h);
		bpf_ringbuf_submit(g, 0);
	} else {	/* the reader is behind: folded, as a task's figures are */
		pcpu_add(pc, CNT_PAIRS_FOLDED, 1);
		pcpu_add(pc, CNT_PAIR_WAKEUPS_FOLDED, hist_count(h));
	}
	bpf_map_delete_elem(&pair_slots, &l->key);
	bpf_map_push_elem(&pair_free, &slot, 0);
}

/* A walk's state (maps.bpf.h's keys_walks) */
static __always_inline struct keys_walk *keys_walk(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&keys_walks, &zero);
}

static long pair_walk_one(__u64 i, void *arg)
{
	struct keys_walk *w = keys_walk();
	struct task_keys *k = w ? bpf_map_lookup_elem(&task_keys, &w->task) : NULL;
	struct task_stat *ts = w ? bpf_map_lookup_elem(&task_slots, &w->task) : NULL;
	struct pcpu *pc = this_cpu();
	struct pair_link *l, *pl;
	__u32 idx, prev, next;

	if (!k || !ts || !pc || !w->cur)
		return 1;
	idx = w->cur - 1;
	prev = w->prev - 1;
	l = bpf_map_lookup_elem(&pair_links, &idx);
	if (!l)
		return 1;
	next = l->next;
	if (w->all || !waker_alive(l)) {
		if (!w->prev)
			k->pairs = next;
		else if ((pl = bpf_map_lookup_elem(&pair_links, &prev)))
			pl->next = next;
		if (ts->pair_slot == w->cur)
			ts->pair_slot = 0;
		pair_give_back(pc, w->cur, l);	/* last: the slot may be taken at once */
		w->freed++;
	} else {
		w->prev = w->cur;
	}
	w->cur = next;
	return 0;
}

/* The task's pairs back, all or those of wakers gone: how many went. */
static __always_inline __u32 pairs_give_back(struct task_keys *k, __u32 task, int all)
{
	struct keys_walk *w = keys_walk();

	if (!w || !k->pairs)
		return 0;
	w->task = task;
	w->all = all;
	w->prev = 0;
	w->cur = k->pairs;
	w->freed = 0;
	/* for room, a bounded look: the newest first (user/core/replay.c alike) */
	bpf_loop(all ? cfg_max_pairs : KEYS_WALK_MAX, pair_walk_one, NULL, 0);
	return w->freed;
}

/*
 * A task's first wakeup by waker: the pair's histogram slot, kept in ts;
 * the pair in pairs_more (made there if the slots have no room) gets the
 * value here, and 0 is returned. Global: checked once (logic_level's note).
 */
__weak __noinline __u32 pair_slot_new(struct pcpu *pc, struct task_stat *ts,
				      __u32 waker, __u32 wakee, __u64 lat)
{
	struct pair_key key = { .waker_tid = waker, .wakee_tid = wakee };
	static const struct hist empty;
	struct pair_link link = { .key = key }, *l;
	struct task_stat *wts;
	struct task_keys *k, *wk;
	struct hist *h;
	__u32 slot, i, *v;

	if (!pc || !ts)
		return 0;
	i = ts->slot;
	k = bpf_map_lookup_elem(&task_keys, &i);
	if (!k)
		return 0;
	v = bpf_map_lookup_elem(&pair_slots, &key);
	if (v) {
		slot = *v;
		i = slot - 1;
		l = bpf_map_lookup_elem(&pair_links, &i);
		if (l && l->owner_slot == ts->slot && l->owner_gen == k->gen)
			goto cached;
		/* another task's of the same tid: counted there, not kept */
		h = bpf_map_lookup_elem(&pair_hists, &i);
		if (h)
			hist_add_to(h, lat);
		return 0;
	}
	/* one in the overflow hash stays there: a pair is in one place */
	h = bpf_map_lookup_elem(&pairs_more, &key);
	if (h) {
		hist_add_to(h, lat);
		return 0;
	}
	slot = slot_take(&pairs_used, &pair_free, cfg_max_pairs);
	/* full: give back the wakee's pairs of wakers gone, if any went since */
	if (!slot && k->pairs && k->walked != tasks_gone) {
		k->walked = tasks_gone;
		if (pairs_give_back(k, i, 0))
			slot = slot_take(&pairs_used, &pair_free, cfg_max_pairs);
	}
	if (!slot) {
		h = lookup_or_init(&pairs_more, &key, &empty, pc, CNT_LOST_PAIRS);
		if (h)
			hist_add_to(h, lat);
		return 0;
	}
	if (bpf_map_update_elem(&pair_slots, &key, &slot, BPF_NOEXIST)) {
		bpf_map_push_elem(&pair_free, &slot, 0);
		pcpu_add(pc, CNT_LOST_PAIRS, 1);
		return 0;
	}
	i = slot - 1;
	bpf_map_update_elem(&pair_hists, &i, &empty, BPF_ANY);
	wts = task_of_tid(waker);
	if (wts && wts->tid == waker && (wk = bpf_map_lookup_elem(&task_keys, &wts->slot))) {
		link.waker_slot = wts->slot;
		link.waker_gen = wk->gen;
	}
	link.next = k->pairs;
	link.owner_slot = ts->slot;
	link.owner_gen = k->gen;
	bpf_map_update_elem(&pair_links, &i, &link, BPF_ANY);
	k->pairs = slot;
cached:
	ts->pair_waker = waker;
	ts->pair_slot = slot;
	return slot;
}

/* A wakeup latency into histogram id and its pair's: the slot found once. */
static __always_inline void logic_wakeup(struct pcpu *pc, struct task_stat *ts, __u32 id,
					       __u32 waker, __u32 wakee, __u64 lat)
{
	__u32 slot = ts->pair_slot, s = hist_slot(lat);
	struct hist *h;

	if (id < NR_HISTS_KEPT)
		hist_add_at(&pc->hists[id], s, lat);
	if (unlikely(!slot || ts->pair_waker != waker)) {	/* a new waker: find its slot */
		slot = pair_slot_new(pc, ts, waker, wakee, lat);
		if (!slot)
			return;
	}
	slot--;
	h = bpf_map_lookup_elem(&pair_hists, &slot);
	if (h)
		hist_add_at(h, s, lat);
}

static long futex_walk_one(__u64 i, void *arg)
{
	struct keys_walk *w = keys_walk();
	struct pcpu *pc = this_cpu();
	struct gone_futex *g;
	struct fx_link *l;
	struct fx_val *v;
	__u32 idx, slot;

	if (!w || !pc || !w->cur)
		return 1;
	slot = w->cur;
	idx = slot - 1;
	v = bpf_map_lookup_elem(&futex_vals, &idx);
	l = bpf_map_lookup_elem(&futex_links, &idx);
	if (!v || !l)
		return 1;
	w->cur = l->next;
	g = bpf_ringbuf_reserve(&gone, sizeof(*g), 0);
	if (g) {
		g->kind = GONE_FUTEX;
		g->pad = 0;
		g->key = l->key;
		g->val = *v;
		bpf_ringbuf_submit(g, 0);
	} else {
		pcpu_add(pc, CNT_FUTEX_FOLDED, 1);
		pcpu_add(pc, CNT_FUTEX_WAITS_FOLDED, v->waits);
	}
	bpf_map_delete_elem(&futex_slots, &l->key);
	bpf_map_push_elem(&futex_free, &slot, 0);
	return 0;
}

/* A task's final switch: its pairs and futex keys go back. Global: checked once. */
__weak __noinline int keys_release(struct task_stat *ts)
{
	struct keys_walk *w = keys_walk();
	struct task_keys *k;
	__u32 task;

	if (!ts)
		return 0;
	task = ts->slot;
	__sync_fetch_and_add(&tasks_gone, 1);
	k = bpf_map_lookup_elem(&task_keys, &task);
	if (!k)
		return 0;
	if (k->pairs)
		pairs_give_back(k, task, 1);
	if (k->futex && w) {
		w->cur = k->futex;
		bpf_loop(MAX_FUTEX_KEYS, futex_walk_one, NULL, 0);
	}
	k->pairs = k->futex = 0;
	ts->pair_slot = ts->fx_slot = 0;
	return 0;
}

/* A task's wait on another futex word: the word's slot, kept in ts; 0 if full */
__weak __noinline __u32 futex_slot_new(struct pcpu *pc, struct task_stat *ts,
				       __u32 tid, __u64 uaddr)
{
	struct fx_key key = { .uaddr = uaddr, .tid = tid };
	static const struct fx_val zero;
	struct fx_link link = {}, *l;
	struct task_keys *k;
	__u32 slot, i, *v;

	if (!pc || !ts)
		return 0;
	key.tgid = ts->tgid;
	i = ts->slot;
	k = bpf_map_lookup_elem(&task_keys, &i);
	if (!k)
		return 0;
	v = bpf_map_lookup_elem(&futex_slots, &key);
	if (v) {
		slot = *v;
		i = slot - 1;
		l = bpf_map_lookup_elem(&futex_links, &i);
		if (l && l->owner_slot == ts->slot && l->owner_gen == k->gen)
			goto cached;
		return slot;	/* another task's of the same tid: counted there, not kept */
	}
	slot = slot_take(&futex_used, &futex_free, MAX_FUTEX_KEYS);
	if (!slot) {
		pcpu_add(pc, CNT_LOST_FUTEX, 1);
		return 0;
	}
	if (bpf_map_update_elem(&futex_slots, &key, &slot, BPF_NOEXIST)) {
		bpf_map_push_elem(&futex_free, &slot, 0);
		pcpu_add(pc, CNT_LOST_FUTEX, 1);
		return 0;
	}
	i = slot - 1;
	bpf_map_update_elem(&futex_vals, &i, &zero, BPF_ANY);
	link.key = key;
	link.next = k->futex;
	link.owner_slot = ts->slot;
	link.owner_gen = k->gen;
	bpf_map_update_elem(&futex_links, &i, &link, BPF_ANY);
	k->futex = slot;
cached:
	ts->fx_slot = slot;
	ts->fx_slot_uaddr = uaddr;
	return slot;
}

static __always_inline void logic_futex_wait(struct pcpu *pc, struct task_stat *ts, __u32 tid,
						   __u64 uaddr, __u64 dur)
{
	__u32 slot = ts->fx_slot;
	struct fx_val *v;

	if (unlikely(!slot || ts->fx_slot_uaddr != uaddr)) {	/* another word: find its slot */
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

#endif /* TRACER_KEYS_BPF_H */
