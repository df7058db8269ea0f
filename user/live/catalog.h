/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_CATALOG_H
#define TRACER_CATALOG_H

#include <stddef.h>

/* A bundled workload: a program under workloads/ with preset arguments. */
struct workload {
	const char *name;
	const char *prog;
	const char *const *args;	/* NULL-terminated, before the user's */
	const char *desc;
};

const struct workload *catalog_find(const char *name);
const struct workload *catalog_at(size_t i);	/* NULL past the end */
/* 1 and the interpreter's path if w runs under one, 0 if not, or -ENOENT. */
int catalog_interpreter(const struct workload *w, char *buf, size_t len);
/* Absolute path of a workload program, found from tracer's own location. */
int catalog_prog_path(const struct workload *w, char *buf, size_t len);
/*
 * The argv of workload w: [interp] prog, its preset arguments, then
 * extra[0..nextra). The strings are the callers' and w's: free the array
 * only. NULL if out of memory.
 */
char **catalog_argv(const struct workload *w, char *prog, char *interp,
		    char *const *extra, int nextra);
/* Debian's python3, else the first on PATH: 0, or -ENOENT. */
int catalog_python3(char *buf, size_t len);

#endif
