/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_RENDER_FLAMEGRAPH_H
#define TRACER_RENDER_FLAMEGRAPH_H

#include "core/trace.h"

struct csv;

/*
 * --flamegraph: td's off-CPU stacks as an SVG flame graph titled with the
 * command; commits c (aborts it on failure). 0, or -1.
 */
int flamegraph_write(struct csv *c, const struct trace_data *td, const char *command);

#endif
