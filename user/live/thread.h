/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_THREAD_H
#define TRACER_THREAD_H

#include "core/quiet.h"

/*
 * A quiet thread that reads a libbpf ring buffer as records come, until
 * told to stop: the stop wakes it at once (an eventfd beside the ring's
 * epoll fd), so that tracer exits without waiting for a poll timeout.
 */
struct ring_buffer;
struct ring_reader;

/* NULL: errno */
struct ring_reader *ring_reader_start(struct ring_buffer *rb);
/* Stop and join it, then read what is left. NULL: nothing. */
void ring_reader_stop(struct ring_reader *r);

#endif
