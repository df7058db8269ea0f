/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_EXCENTRY_H
#define TRACER_EXCENTRY_H

#include <stdint.h>
#include <stdio.h>

/*
 * The kernel's entry stubs of exceptions (asm_exc_*: a page fault, int3)
 * as [lo, hi) address ranges, adjacent ones merged, at most max (more:
 * the page fault's alone), from the start of /proc/kallsyms, where the
 * entry code comes first. Returns how many; 0 where kallsyms shows no
 * addresses (no CAP_SYSLOG) or names no such stub.
 */
int excentry_ranges(uint64_t (*r)[2], int max);

/* The same from a file in kallsyms' format */
int excentry_parse(FILE *f, uint64_t (*r)[2], int max);

#endif
