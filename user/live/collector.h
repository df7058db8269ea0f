/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_COLLECTOR_H
#define TRACER_COLLECTOR_H

/*
 * The reader of the BPF ring buffer (--events and the other event outputs):
 * a thread that drains it every 5 ms (the programs submit without waking
 * anyone, which costs far less than a wakeup per event) and appends what it
 * reads to the capture file as it is (capture.h), with a mark each time
 * every CPU has flushed its stage. Putting the records in time order and
 * formatting them waits until the command is over.
 */
struct collector;
struct capture;

/* flush_fd: the program that flushes a CPU's stage (bpf/stage.bpf.c) */
int collector_start(struct collector **out, int ring_fd, int flush_fd, int ncpus,
		    struct capture *cap);
/* Stop the thread and drain what is left into the capture. */
void collector_stop(struct collector *c);

#endif
