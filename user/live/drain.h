/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_DRAIN_H
#define TRACER_DRAIN_H

#include "core/tasks.h"

/*
 * The final figures of the tasks gone, read from their ring buffer (the
 * BPF map `done`) by a thread while the run goes on, into a task table
 * that folds them: a run may create any number of tasks.
 */
struct drain;

/* Start reading ring_fd into a table keeping `keep` tasks; NULL: errno. */
struct drain *drain_start(int ring_fd, size_t keep);
/*
 * Once the probes stand still: read what is left and stop. The table
 * (tasks gone so far) becomes the caller's in *tt; NULL: discard it.
 * Returns 0, or -ENOMEM if a task could not be added.
 */
int drain_stop(struct drain *d, struct tasktab *tt);

#endif
