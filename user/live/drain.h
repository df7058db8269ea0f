/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_DRAIN_H
#define TRACER_DRAIN_H

#include "core/gone.h"
#include "core/tasks.h"

/*
 * The final figures of the tasks gone, and of their waker -> wakee pairs and
 * futex keys, read from their ring buffers (the BPF maps `done` and `gone`)
 * by a thread while the run goes on, into a task table that folds them and the
 * heaviest pairs and keys (core/gone.h): a run may create any number.
 */
struct drain;

/* Start reading the rings, keeping `keep` tasks and max_* pairs and keys; NULL: errno. */
struct drain *drain_start(int ring_fd, int gone_fd, size_t keep, size_t max_pairs,
			  size_t max_futex);
/*
 * Once the probes stand still: read what is left and stop. The tables
 * become the caller's in *tt and *g; NULL: discard them. Returns 0, or
 * -ENOMEM if a task could not be added.
 */
int drain_stop(struct drain *d, struct tasktab *tt, struct gone *g);

#endif
