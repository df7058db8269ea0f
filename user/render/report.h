/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_REPORT_H
#define TRACER_REPORT_H

#include <stdio.h>
#include "core/summary.h"

/* The terminal report of one run. */
void report_print(FILE *out, const struct summary *s);
struct csv;
/* The summary CSV: a header line and one row; commits the file. */
int report_write_csv(struct csv *c, const struct summary *s);

#endif
