/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_HIST_H
#define TRACER_HIST_H

#include <stdio.h>
#include "events.h"

/* Reading the log-linear histograms of events.h. */

/* Lower bound and width, in ns, of a slot. */
void hist_slot_range(unsigned int slot, __u64 *lo, __u64 *width);
/* The p-th percentile (0 < p <= 100) in ns: midpoint of its slot, <= max. */
double hist_percentile(const struct hist *h, double p);
void hist_merge(struct hist *into, const struct hist *h);
/* count, which the BPF programs do not keep (bpf/histslot.h), from the slots */
void hist_recount(struct hist *h);
/* The histograms as logic.h keeps them (events.h) made the figures, once. */
void hists_final(struct hist h[NR_HISTS_KEPT]);
/* The runqlat shape: power-of-two microsecond buckets with a star bar. */
void hist_print_log2(FILE *out, const struct hist *h, const char *indent);

#endif
