// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* What a run carries beyond its events: core/meta.h */
#include "core/meta.h"

int counter_is_kernel_only(unsigned int id)
{
	return id == CNT_SWITCH || id == CNT_LOST_TASKS || id == CNT_LOST_DEAD ||
	       id == CNT_STACK_FAIL || id == CNT_OFFCPU_LOST || id == CNT_WSTACK_FAIL ||
	       id == CNT_R_SKIPPED || id == CNT_RSTACK_FAIL || id == CNT_RUNS_MISSED ||
	       (id >= CNT_EV_SENT && id < CNT_EV_LOST + MAX_EV_KINDS);
}
