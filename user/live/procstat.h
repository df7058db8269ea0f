/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_PROCSTAT_H
#define TRACER_PROCSTAT_H

#include <stdint.h>

/* Steal time of all CPUs so far (ns), from /proc/stat; 0 where not reported. */
uint64_t procstat_steal_ns(void);

/* A thread's CPU time so far (ns), the kernel's count; 0 where not reported. */
uint64_t procstat_runtime_ns(uint32_t tgid, uint32_t tid);

#endif
