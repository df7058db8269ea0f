/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_VERIFYPLOT_H
#define TRACER_VERIFYPLOT_H

#include <stddef.h>
#include "verify/claims.h"

/*
 * `tracer verify --plot DIR`: CSV data and a gnuplot script in DIR, and
 * the PNGs gnuplot draws from them. sets[i] are the measurements of
 * claim_at(i), used where selected[i]. Without gnuplot, only the data is
 * written and a warning says so (returns 0); -1 on failure. machine: what
 * the measurements ran on, in each picture's title.
 */
int vplot_make(const char *dir, const struct mset *sets, const int *selected, size_t n,
	       const char *machine);

#endif
