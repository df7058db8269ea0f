/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_RESULT_H
#define TRACER_RESULT_H

#include <stddef.h>

/* A workload's result line: "result: key=value key=value ..." */
struct kv {
	char key[64];
	char val[256];		/* a command line as long as the report's (run_meta) */
};

/*
 * The pairs of line (which starts with "result:") into kv[max]; returns
 * how many. A key said again keeps its last value, in its first place: a
 * CSV's column names are unique. Parsing stops at the first word that is
 * no key=value.
 */
size_t result_parse(const char *line, struct kv *kv, size_t max);

#endif
