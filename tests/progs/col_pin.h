/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* pin(): the calling thread onto one CPU, or the program fails (exit 1). */
#ifndef COL_PIN_H
#define COL_PIN_H

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

static void pin(int cpu)
{
	cpu_set_t s;

	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	if (sched_setaffinity(0, sizeof(s), &s)) {
		perror("sched_setaffinity");
		exit(1);
	}
}

#endif
