/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What every workload shares: strict option values, CPU placement, a clock,
 * and the final result line (key=value pairs, units in the keys) that tracer
 * reads from the fd named by TRACER_RESULT_FD and turns into wl_* columns.
 */
#ifndef WL_COMMON_H
#define WL_COMMON_H

#include <stdint.h>
#include <sys/resource.h>

#define WL_EXIT_USAGE	2

extern const char *wl_name;	/* program name for messages */

/* Print "NAME: message" on stderr and exit 2. */
void wl_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
/* Print "NAME: message: strerror(errno)" on stderr and exit 1. */
void wl_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* After getopt_long(":..."): the option in error, missing value or unknown. */
void wl_bad_option(int c, char **argv) __attribute__((noreturn));
/* A whole decimal number in [min, max], or a usage error naming the option. */
uint64_t wl_parse_u64(const char *opt, const char *s, uint64_t min, uint64_t max);
/* Index of s in the NULL-terminated choices, or a usage error. */
int wl_parse_choice(const char *opt, const char *s, const char *const *choices);

uint64_t wl_now_ns(void);	/* CLOCK_MONOTONIC */

/* CPU placement of two parties: same CPU, two different CPUs, or free. */
enum wl_cpus { WL_CPUS_SAME, WL_CPUS_CROSS, WL_CPUS_ANY };
extern const char *const wl_cpus_names[];
/* The CPU for party 0 or 1 under a placement, -1 for free; exits if impossible. */
int wl_cpu_for(enum wl_cpus cpus, int party);
void wl_pin_self(int cpu);

/* Result line: wl_result_begin(), wl_result_*() per key, wl_result_end(). */
void wl_result_begin(void);
void wl_result_str(const char *key, const char *val);
void wl_result_u64(const char *key, uint64_t val);
void wl_result_f(const char *key, double val);
void wl_result_end(void);

/* Voluntary and involuntary switches of this process and its reaped children. */
void wl_result_ctxsw(void);

#endif
