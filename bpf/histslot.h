/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * A value's slot in a histogram (struct hist, events.h), and adding it: the
 * same code in the BPF programs and in user space (the replay, the unit
 * tests). Inlined in BPF: each call site is its own copy there.
 */
#ifndef TRACER_HISTSLOT_H
#define TRACER_HISTSLOT_H

#include "events.h"

/* a rare branch: laid out of the hot path's way */
#ifndef unlikely
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif

#ifdef __bpf__
#define HIST_FN	static inline __attribute__((always_inline))
#else
#define HIST_FN	static inline __attribute__((unused))
#endif

/* floor(log2(b)) of a byte b > 0 */
#define L2_2(n)		n, n
#define L2_4(n)		L2_2(n), L2_2(n)
#define L2_8(n)		L2_4(n), L2_4(n)
#define L2_16(n)	L2_8(n), L2_8(n)
#define L2_32(n)	L2_16(n), L2_16(n)
#define L2_64(n)	L2_32(n), L2_32(n)
static const __u8 log2_byte[256] = {
	0, 0, L2_2(1), L2_4(2), L2_8(3), L2_16(4), L2_32(5), L2_64(6), L2_64(7), L2_64(7)
};

/*
 * floor(log2(v)) for 0 < v < 2^63, without a compare: in BPF each one is a
 * jump, and these, inlined at every histogram of sched_switch, had the
 * verifier walk ~85,000 instructions (over 100 ms of every start).
 * (c - v) >> 63 is 1 exactly when v > c. The half, then which byte of it
 * (three tests side by side, not one after another), then that byte's own
 * log2 from a table: ~1.5 ns less a switch (two slots) than five
 * halvings in a row.
 */
HIST_FN __u32 log2_u64(__u64 v)
{
	__u32 hi = ((0xFFFFFFFFull - v) >> 63) << 5, b;

	v >>= hi;
	b = (__u32)(((0xFFull - v) >> 63) + ((0xFFFFull - v) >> 63) +
		    ((0xFFFFFFull - v) >> 63)) << 3;
	return hi + b + log2_byte[(v >> b) & 0xFF];
}

HIST_FN __u32 hist_slot(__u64 v)
{
	__u32 e, slot;

	if (unlikely(v < (1 << HIST_SUB_BITS)))
		return v;
	if (unlikely(v >> 63))		/* out of log2_u64's domain, far past the last slot */
		return HIST_SLOTS - 1;
	e = log2_u64(v);
	slot = ((e - HIST_SUB_BITS + 1) << HIST_SUB_BITS) +
	       ((v >> (e - HIST_SUB_BITS)) & ((1 << HIST_SUB_BITS) - 1));
	return slot < HIST_SLOTS ? slot : HIST_SLOTS - 1;
}

/*
 * v, whose slot is slot, into h. The BPF programs leave count to user space
 * (hist_recount(), the slots' sum): one read-modify-write less at each of a
 * switch's histograms, ~1.5 ns of sched_switch.
 */
HIST_FN void hist_add_at(struct hist *h, __u32 slot, __u64 v)
{
	if (slot < HIST_SLOTS)	/* for the verifier */
		h->slots[slot]++;
#ifndef __bpf__
	h->count++;
#endif
	h->sum_ns += v;
	if (v > h->max_ns)
		h->max_ns = v;
}

HIST_FN void hist_add_to(struct hist *h, __u64 v)
{
	hist_add_at(h, hist_slot(v), v);
}

#endif /* TRACER_HISTSLOT_H */
