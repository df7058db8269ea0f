/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_META_H
#define TRACER_META_H

#include <stdint.h>
#include "core/trace.h"

/*
 * What a run's report needs beyond the events: how the command ran (from
 * the launcher) and what only the kernel's maps know (every switch of every
 * CPU, the window, losses). An event file carries it as "meta" rows, so
 * `tracer report` rebuilds the very summary the live run printed.
 */
struct run_meta {
	char workload[64];
	char command[256];
	char result[4096];	/* the workload's result line (exit 0 only) */
	int64_t exit_code;
	uint64_t partial;	/* interrupted */
	uint64_t signal;	/* what interrupted it */
	uint64_t killed;	/* the signal that ended the command, 0: it exited;
				 * KILLED_UNKNOWN: a file from before the row */
	uint64_t leftovers;	/* processes stopped after the leader exited */
	uint64_t attached;	/* -p */
	uint64_t wall_ns;
	uint64_t cpu_user_us, cpu_sys_us;
	uint64_t steal_ns;
	uint64_t rusage_vol, rusage_invol;
	uint64_t tracer_rss_kib;	/* tracer's own peak RSS */
	/* tracer's own CPU time (all its threads): while the command ran, and
	 * writing the event outputs from the capture after it */
	uint64_t tracer_cpu_run_us, tracer_cpu_post_us;
	uint64_t capture_lost;	/* event records the capture file had no room for */
	uint64_t cut_short;	/* the capture file ends early (a full disk, a failed write) */
	char machine[256];	/* what it ran on (live/machine.c); "" in older files */
};

#define KILLED_UNKNOWN	UINT64_MAX

/* Counters only the kernel can know: kept from the maps, never replayed. */
int counter_is_kernel_only(unsigned int id);

#endif
