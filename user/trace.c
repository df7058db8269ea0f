// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdlib.h>
#include <string.h>
#include "trace.h"

void trace_data_free(struct trace_data *td)
{
	free(td->tasks);
	free(td->pairs);
	free(td->futex);
	free(td->cpu_ns);
	memset(td, 0, sizeof(*td));
}
