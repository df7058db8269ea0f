/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_REPLAY_H
#define TRACER_REPLAY_H

#include <stdint.h>
#include "core/event.h"
#include "core/trace.h"

/*
 * Events -> the same per-task state, histograms and counters the BPF maps
 * hold, by the same code (bpf/logic.h). Fed live from the ring buffer in
 * --events runs, or from an event file by `tracer report`.
 */
struct replay;

/* max_pairs: the run's --max-pairs (0: the default), the kernel's room */
struct replay *replay_new(uint64_t t_start, uint32_t max_pairs);
void replay_free(struct replay *r);
/* A task that existed before tracing began (-p); runtime as probes_track's. */
void replay_task(struct replay *r, __u32 tid, __u32 tgid, __u32 ppid,
		 const char *comm, __u64 runtime);
/* Returns the ns of a run it rebuilt from the kernel's count, ending now. */
uint64_t replay_event(struct replay *r, const union ev_any *e);
/* Entries for tasks it holds (alive, or free for the next): its memory. */
size_t replay_task_slots(const struct replay *r);
/* Tree tasks on a CPU now: the concurrency level the figures integrate. */
uint32_t replay_running(const struct replay *r);
/*
 * Into td, which already holds the kernel-only parts (window, CPU time,
 * kernel counters): tasks, pairs, futex waits, histograms, levels and the
 * other counters. Returns 0 or -ENOMEM.
 */
int replay_result(struct replay *r, struct trace_data *td);

#endif
