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

#endif
