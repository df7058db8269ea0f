/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * A value's slot in a histogram (struct hist, events.h), and adding it: the
 * same code in the BPF programs and in user space (the replay, the unit
 * tests). Inlined in BPF: each call site is its own copy there.
 */
#ifndef TRACER_HISTSLOT_H
#define TRACER_HISTSLOT_H

#include "events.h"

#ifdef __bpf__
#define HIST_FN	static inline __attribute__((always_inline))
#else
#define HIST_FN	static inline __attribute__((unused))
#endif

/*
 * floor(log2(v)) for 0 < v < 2^63, without a compare: in BPF each one is a
 * jump, and these, inlined at every histogram of sched_switch, had the
 * verifier walk ~85,000 instructions (over 100 ms of every start).
 * (c - v) >> 63 is 1 exactly when v > c.
 */
HIST_FN __u32 log2_u64(__u64 v)
{
	__u32 r = 0, s;

	s = ((0xFFFFFFFFull - v) >> 63) << 5; v >>= s; r |= s;
	s = ((0xFFFFull - v) >> 63) << 4; v >>= s; r |= s;
	s = ((0xFFull - v) >> 63) << 3; v >>= s; r |= s;
	s = ((0xFull - v) >> 63) << 2; v >>= s; r |= s;
	s = ((0x3ull - v) >> 63) << 1; v >>= s; r |= s;
	return r | (__u32)(v >> 1);
}

HIST_FN __u32 hist_slot(__u64 v)
{
	__u32 e, slot;

	if (v < (1 << HIST_SUB_BITS))
		return v;
	if (v >> 63)		/* out of log2_u64's domain, far past the last slot */
		return HIST_SLOTS - 1;
	e = log2_u64(v);
	slot = ((e - HIST_SUB_BITS + 1) << HIST_SUB_BITS) +
	       ((v >> (e - HIST_SUB_BITS)) & ((1 << HIST_SUB_BITS) - 1));
	return slot < HIST_SLOTS ? slot : HIST_SLOTS - 1;
}

/* v, whose slot is slot, into h */
HIST_FN void hist_add_at(struct hist *h, __u32 slot, __u64 v)
{
	if (slot < HIST_SLOTS)	/* for the verifier */
		h->slots[slot]++;
	h->count++;
	h->sum_ns += v;
	if (v > h->max_ns)
		h->max_ns = v;
}

HIST_FN void hist_add_to(struct hist *h, __u64 v)
{
	hist_add_at(h, hist_slot(v), v);
}

#endif /* TRACER_HISTSLOT_H */
