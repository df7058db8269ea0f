/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_RUNPLOT_H
#define TRACER_RUNPLOT_H

struct csv;
struct summary;

/*
 * `tracer report FILE --plot DIR`: one run in pictures, each drawn by
 * gnuplot from a CSV beside it (DIR/plots.gp redraws them): the tree's
 * tasks running and runnable over time and each CPU's share on the tree
 * (timeline.csv, as --timeline writes it), switches per second over time,
 * and the latency histograms (latency.csv): wakeup same-CPU and cross-CPU,
 * preemption delay, futex waits.
 */

/* DIR made if need be, and its timeline.csv opened into *tl: 0, or -1 (said). */
int runplot_begin(const char *dir, struct csv **tl);
/*
 * The rest once the run is read, the timeline written to tl (committed
 * here): 0 (also when gnuplot is missing: a warning says so), or -1.
 * source: the file read; machine: what it ran on ("" if not recorded).
 */
int runplot_finish(const char *dir, struct csv *tl, const struct summary *s,
		   const char *source, const char *machine);

#endif
