/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_USTACKS_H
#define TRACER_USTACKS_H

#include "core/trace.h"

/*
 * --unwind dwarf: each blocking switch-out's sample unwound as it arrives
 * (the process alive), kept by tid until the wait it began ends, then the
 * wait aggregated by (task, user frames, kernel stack, state, waker) as the
 * kernel aggregates offcpu by frame-pointer stacks.
 */
struct ustacks;
struct ustk_sample;
struct ustk_wait;

struct ustacks *ustacks_new(void);
/* 0, or -ENOMEM. */
int ustacks_sample(struct ustacks *u, const struct ustk_sample *s);
int ustacks_wait(struct ustacks *u, const struct ustk_wait *w);
/*
 * The entries so far (their user frames named; kernel and waker stacks
 * still ids): moved to the caller, who frees them as trace_data does.
 */
struct trace_offcpu *ustacks_take(struct ustacks *u, size_t *n);
/* Waits (S, D) whose sample was not sent or not unwound (no user frame). */
__u64 ustacks_unwound_none(const struct ustacks *u);
/* Waits that would have made an entry past MAX_OFFCPU: stack_entries_lost */
__u64 ustacks_lost(const struct ustacks *u);
/* Samples of an image their process had left when unwound (unwind_stale) */
__u64 ustacks_stale(const struct ustacks *u);
void ustacks_free(struct ustacks *u);

#endif
