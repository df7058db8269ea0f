/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_COLLECTOR_H
#define TRACER_COLLECTOR_H

#include <stdint.h>

/*
 * The reader of the BPF ring buffer (--events): a thread that drains it
 * every millisecond (the programs submit without waking anyone, which costs
 * far less than a wakeup per event) and hands each record to the event
 * CSV and to the replay.
 */
struct collector;
struct csv;
struct replay;

int collector_start(struct collector **out, int ring_fd, struct csv *csv,
		    struct replay *r, uint64_t t_start);
/* Stop the thread and drain what is left; returns the records read. */
uint64_t collector_stop(struct collector *c);

#endif
