/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_LOG_H
#define TRACER_LOG_H

/* Diagnostics go to stderr as "tracer: message"; the newline is added here. */
#define EXIT_USAGE	64	/* a usage error: argp's EX_USAGE */

extern int log_verbosity;	/* 0 default, 1 -v, 2 -vv (libbpf debug) */

void pr_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pr_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pr_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pr_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
