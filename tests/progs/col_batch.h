/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The process (and the threads it makes next) on the CPU it runs on, under
 * SCHED_BATCH: a woken task does not preempt its waker, only the tick does,
 * so that each hand-off of a col_* ring or ping-pong is a sleep. 0 or -1.
 */
#ifndef COL_BATCH_H
#define COL_BATCH_H

#include <sched.h>

static int one_cpu_batch(void)
{
	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	return sched_setaffinity(0, sizeof(one), &one) ||
	       sched_setscheduler(0, SCHED_BATCH, &(struct sched_param){ 0 }) ? -1 : 0;
}

#endif
