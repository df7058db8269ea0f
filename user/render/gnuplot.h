/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_GNUPLOT_H
#define TRACER_GNUPLOT_H

#include <stdio.h>

/*
 * Pictures as data plus a gnuplot script in one directory (DIR/plots.gp
 * redraws them): `tracer verify --plot` and `tracer report --plot`.
 */

/* Create dir if need be; -1 (said, prefixed by who) if it is no writable directory. */
int gnuplot_dir(const char *who, const char *dir);
/* Open DIR/name for writing; NULL (said) on failure. */
FILE *gnuplot_file(const char *who, const char *dir, const char *name);
/* Close what gnuplot_file opened; a write error said, the file removed, -1. */
int gnuplot_close(const char *who, const char *dir, const char *name, FILE *f);
/* The script's start: PNG terminal, CSV data, the style all pictures share. */
void gnuplot_preamble(FILE *gp, const char *who);
/* gnuplot string literal of s (single quotes; a quote in s doubled). */
void gnuplot_str(FILE *gp, const char *s);
/*
 * Run gnuplot on DIR/plots.gp: 0 when drawn, 1 when there is no gnuplot
 * (a warning says so: the data and script stay), -1 when it failed.
 */
int gnuplot_draw(const char *who, const char *dir);

#endif
