/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_PROGRESS_H
#define TRACER_PROGRESS_H

#include <stdint.h>

/*
 * Where a long read got to: a line on stderr, only if it is a terminal and
 * only once reading has taken PROGRESS_AFTER_S (TRACER_PROGRESS_AFTER_S
 * overrides it: tests set 0 rather than wait), redrawn twice a second and
 * wiped at the end:
 *   tracer: WHAT: 42% of 416 MiB, 1712000 events, 2.1M events/s, 3 s left
 */
#define PROGRESS_AFTER_S	2.0

struct progress {
	const char *what;
	uint64_t size;		/* bytes to read in all */
	double t0, last, after;
	int on, shown;
};

/* PROGRESS_AFTER_S, or what TRACER_PROGRESS_AFTER_S says */
double progress_after(void);
void progress_init(struct progress *p, const char *what, uint64_t size);
/* at: bytes read so far; events: how many they held */
void progress_show(struct progress *p, uint64_t at, uint64_t events);
void progress_done(struct progress *p);

#endif
