/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_STACKS_H
#define TRACER_STACKS_H

#include "core/trace.h"

/*
 * --stacks: a thread notes each process the moment it first blocks (the
 * ring stk_new wakes it), while it lives: its mappings (live/symbols.h).
 * At the end the off-CPU table and its stacks are read and named into the
 * trace_data.
 */
struct stacks;

/*
 * Start reading the ring of new processes (stk_new), and with dwarf the
 * user stack samples and their waits (--unwind dwarf); with eh_rows_fd >=
 * 0, each new process's tables for the kernel's walk (--unwind ehframe).
 * NULL: errno.
 */
struct stacks *stacks_start(int new_fd, int dwarf, int eh_rows_fd, int eh_idx_fd,
			    int eh_procs_fd);
/* --unwind ehframe: the first files' rows, before the command maps them; -ENOMEM */
int stacks_eh_preload(struct stacks *s, const char *exe);
/* Stop, then read offcpu and the stack maps into td->offcpu; -errno. */
int stacks_collect(struct stacks *s, int offcpu_fd, int ustacks_fd, int kstacks_fd,
		   struct trace_data *td);
/* Name td's futex words by the variables that hold them (after any replay); -ENOMEM. */
int stacks_name_words(struct stacks *s, struct trace_data *td);
void stacks_free(struct stacks *s);

#endif
