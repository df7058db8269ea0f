/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_LOADER_H
#define TRACER_LOADER_H

#include <stdint.h>
#include "core/trace.h"

/* The only module that touches BPF skeletons. */
struct probes;

struct probes_opts {
	int bpf_stats;		/* measure the programs' own run time */
	int syscalls;		/* attach the syscall tracepoints */
	int events;		/* stream every event through the ring buffer */
	unsigned int ring_mb;	/* its size */
	unsigned int max_tasks;	/* tasks followed at once; 0: MAX_TASKS */
	unsigned int max_pairs;	/* waker -> wakee pairs in slots at once; 0: MAX_PAIRS */
	int stacks;		/* off-CPU stacks */
	int dwarf;		/* their user stacks copied, unwound with DWARF CFI */
	int eh;			/* their user stacks walked in the kernel (.eh_frame) */
	const char *exe;	/* the program to run (its rows made first); NULL with -p */
};

/* Open, load and attach every program; the caller's forks become the tree. */
int probes_start(struct probes **out, const struct probes_opts *opts);
/* The accounting window (CLOCK_MONOTONIC ns): set start before the launch. */
void probes_set_window(struct probes *p, uint64_t start_ns, uint64_t end_ns);
/* The window's end, before the probes stop at it (the CPU shares end there); 0: not yet. */
void probes_set_stop(struct probes *p, uint64_t end_ns);
void probes_note_cpus(struct probes *p);
/*
 * Register a task that exists already (tracer run -p); runtime: its CPU
 * time now, the kernel's count (0: unknown). -EEXIST: followed already
 * (a registered task made it); -ENOSPC: no slot left.
 */
int probes_track(struct probes *p, __u32 tid, __u32 tgid, __u32 ppid,
		  const char *comm, __u64 runtime);
int probes_ncpus(struct probes *p);
/* The ring buffer's fd, for the collector. */
int probes_ring_fd(struct probes *p);
/* The program that flushes a CPU's stage of event records, run on it. */
int probes_flush_fd(struct probes *p);
/* Signals tree tasks sent tracer, by number (launch_watch_tree_signals()) */
const volatile __u32 *probes_tree_signals(struct probes *p);
/* Whether a task's final switch (TASK_DEAD) was seen. */
int probes_task_exited(struct probes *p, __u32 tid);
/* After the window's end is set: copy everything the maps hold into td. */
int probes_collect(struct probes *p, struct trace_data *td);
/* --stacks: name td's futex words (once td has its final futex table). */
int probes_name_words(struct probes *p, struct trace_data *td);
void probes_destroy(struct probes *p);

#endif
