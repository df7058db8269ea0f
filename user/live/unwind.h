/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_UNWIND_H
#define TRACER_UNWIND_H

#include <linux/types.h>

struct ustk_sample;

/*
 * --unwind dwarf: a sample's user stack (registers and a copy of its top,
 * bpf/events.h) unwound with the CFI (.eh_frame, .debug_frame) of the
 * files mapped in its process, by elfutils' libdwfl, as perf's
 * --call-graph dwarf does; frames named by the files' symbol tables. The
 * process must still live: its mappings are read from /proc (a few
 * processes kept at once; read again when a sample's address lies in none
 * of them: an exec).
 */
struct unwinder;

struct unwinder *unwind_new(void);
/*
 * Up to max frame names of s, innermost first (strdup'ed: the caller's to
 * free), a frame without a symbol as file+0xoffset; the count, 0 if none.
 * *own: the first frame outside the C library (the count if none).
 */
int unwind_sample(struct unwinder *u, const struct ustk_sample *s, char **names, int max,
		  int *own);
/* Samples not unwound: the process had exec'd since (their image gone) */
__u64 unwind_stale(const struct unwinder *u);
void unwind_free(struct unwinder *u);

#endif
