/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_PERFETTO_H
#define TRACER_PERFETTO_H

#include "core/event.h"
#include "core/sink.h"

/*
 * --perfetto FILE: the events as Linux ftrace text (the "systrace" format),
 * which ui.perfetto.dev opens with a scheduling track per CPU and a state
 * track per thread: sched_switch, sched_waking, sched_wakeup_new,
 * sched_process_fork/exit and task_rename lines, with the tgid column.
 */
struct csv;
struct perfetto;
/* The trace into c, its header written; NULL after saying so. */
struct perfetto *perfetto_open(struct csv *c);
void perfetto_event(struct perfetto *pf, const union ev_any *e);
void perfetto_free(struct perfetto *pf);	/* c stays the caller's */
/*
 * The trace into c as an output of the run (core/sink.h), its header
 * written: 0, or -1 after saying so (c stays the caller's). The sink owns c.
 */
int perfetto_sink(struct sink *out, struct csv *c);

#endif
