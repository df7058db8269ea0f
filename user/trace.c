// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdlib.h>
#include <string.h>
#include "trace.h"

/* A task still on a CPU when the window closed ran until then. */
void trace_close_runs(struct trace_data *td)
{
	for (size_t i = 0; i < td->ntasks; i++) {
		struct task_stat *st = &td->tasks[i].st;
		__u64 from = st->oncpu_ts > td->t_start ? st->oncpu_ts : td->t_start;

		if ((st->flags & TASK_F_ONCPU) && td->t_end > from) {
			st->run_ns += td->t_end - from;
			st->flags &= ~TASK_F_ONCPU;
		}
	}
}

void trace_data_free(struct trace_data *td)
{
	free(td->tasks);
	free(td->pairs);
	free(td->futex);
	free(td->cpu_ns);
	memset(td, 0, sizeof(*td));
}
