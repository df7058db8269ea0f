/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_RENDER_STACKS_H
#define TRACER_RENDER_STACKS_H

#include <stdio.h>
#include "core/trace.h"

struct csv;

/* The report's "where the tree waited": the heaviest stacks (--stacks). */
void stacks_print(FILE *out, const struct trace_data *td);
/*
 * A futex word (--stacks): the first frame outside the C library of its
 * heaviest waiting stack (what names a word on the heap or a stack), NULL
 * if none; and the line under the word: where it was waited on and where
 * its waiters were woken from.
 */
const char *stacks_word_site(const struct trace_data *td, __u32 tgid, __u64 uaddr);
void stacks_print_word(FILE *out, const struct trace_data *td, __u32 tgid, __u64 uaddr);
/* Under a who-woke-whom line: the waker's heaviest user frames (--stacks). */
void stacks_print_pair(FILE *out, const struct trace_data *td, __u32 waker, __u32 wakee);
/*
 * --folded: a line per (name, user stack, kernel stack): the frames from
 * the outermost joined by ';', a space, the off-CPU microseconds. Commits.
 */
int stacks_write_folded(struct csv *c, const struct trace_data *td);

#endif
