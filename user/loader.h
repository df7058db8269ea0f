/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_LOADER_H
#define TRACER_LOADER_H

#include <stddef.h>
#include "events.h"

/* The only module that touches BPF skeletons. */
struct probes;

/* Open, load and attach every program; the caller's forks become the tree. */
int probes__start(struct probes **out);
/* Whether a task's final switch (TASK_DEAD) was seen. */
int probes__task_exited(struct probes *p, __u32 tid);
/* Copy the per-task entries (up to max) and the loss counters; returns count. */
long probes__read_tasks(struct probes *p, __u32 *tids, struct task_stat *st,
			size_t max, struct trace_loss *loss);
void probes__destroy(struct probes *p);

#endif
