/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_COLLECTOR_H
#define TRACER_COLLECTOR_H

#include <stdint.h>

/*
 * The reader of the BPF ring buffer (--events): a thread that drains it
 * every 5 ms (the programs submit without waking anyone, which costs
 * far less than a wakeup per event), puts the records back in time order
 * (reorder.h) and hands each to the event CSV and to the replay.
 */
struct collector;
struct csv;
struct replay;
struct timeline;

/* Where each record goes; any but the replay may be NULL. */
struct sinks {
	uint64_t t_start;
	struct replay *r;
	struct csv *events;	/* --events */
	struct timeline *tl;	/* --timeline, and the report's sparkline */
	struct csv *perfetto;	/* --perfetto */
	struct csv *timeline_csv;	/* --timeline: written at the end */
};

void sinks_event(const struct sinks *s, const void *e);
/* flush_fd: the program that flushes a CPU's stage (bpf/stage.bpf.c) */
int collector_start(struct collector **out, int ring_fd, int flush_fd, int ncpus,
		    const struct sinks *s);
/* Stop the thread and drain what is left; returns the records read. */
uint64_t collector_stop(struct collector *c);

#endif
