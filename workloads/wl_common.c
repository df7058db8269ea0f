// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "wl_common.h"

const char *wl_name = "workload";

void wl_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", wl_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(WL_EXIT_USAGE);
}

void wl_die(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	fprintf(stderr, "%s: ", wl_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err));
	exit(1);
}

void wl_bad_option(int c, char **argv)
{
	if (c == ':')
		wl_usage_error("option '%s' needs a value", argv[optind - 1]);
	wl_usage_error("unknown option '%s' (see --help)", argv[optind - 1]);
}

uint64_t wl_parse_u64(const char *opt, const char *s, uint64_t min, uint64_t max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	if (*s < '0' || *s > '9')
		wl_usage_error("%s: '%s' is not a whole number", opt, s);
	v = strtoull(s, &end, 10);
	if (*end)
		wl_usage_error("%s: '%s' is not a whole number", opt, s);
	if (errno == ERANGE || v < min || v > max)
		wl_usage_error("%s: %s is out of range [%" PRIu64 ", %" PRIu64 "]",
			       opt, s, min, max);
	return v;
}

int wl_parse_choice(const char *opt, const char *s, const char *const *choices)
{
	char list[256] = "";

	for (int i = 0; choices[i]; i++)
		if (!strcmp(s, choices[i]))
			return i;
	for (int i = 0; choices[i]; i++) {
		strncat(list, i ? "|" : "", sizeof(list) - strlen(list) - 1);
		strncat(list, choices[i], sizeof(list) - strlen(list) - 1);
	}
	wl_usage_error("%s: '%s' is not one of %s", opt, s, list);
}

uint64_t wl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

const char *const wl_cpus_names[] = { "same", "cross", "any", NULL };

int wl_cpu_for(enum wl_cpus cpus, int party)
{
	cpu_set_t set;
	int found = 0;

	if (cpus == WL_CPUS_ANY)
		return -1;
	if (sched_getaffinity(0, sizeof(set), &set))
		wl_die("sched_getaffinity");
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &set))
			continue;
		if (cpus == WL_CPUS_SAME || found == party)
			return cpu;
		found++;
	}
	wl_usage_error("--cpus cross needs two CPUs, this process may use %d",
		       CPU_COUNT(&set));
}

void wl_pin_self(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		wl_die("sched_setaffinity(cpu %d)", cpu);
}

/* The line is built in memory and written once, so it is never interleaved. */
static char result[4096];
static size_t result_len;

static void result_add(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static void result_add(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(result + result_len, sizeof(result) - result_len, fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof(result) - result_len)
		result_len += n;
}

void wl_result_begin(void)
{
	result_len = 0;
	result_add("result:");
}

void wl_result_str(const char *key, const char *val)
{
	result_add(" %s=%s", key, val);
}

void wl_result_u64(const char *key, uint64_t val)
{
	result_add(" %s=%" PRIu64, key, val);
}

void wl_result_f(const char *key, double val)
{
	result_add(" %s=%.1f", key, val);
}

void wl_result_ctxsw(void)
{
	struct rusage self, kids;

	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	wl_result_u64("ctxsw_voluntary", self.ru_nvcsw + kids.ru_nvcsw);
	wl_result_u64("ctxsw_involuntary", self.ru_nivcsw + kids.ru_nivcsw);
}

void wl_result_end(void)
{
	const char *fd_env = getenv("TRACER_RESULT_FD");

	result_add("\n");
	fputs(result, stdout);
	fflush(stdout);
	if (fd_env && *fd_env) {
		int fd = atoi(fd_env);

		if (write(fd, result, result_len) != (ssize_t)result_len)
			wl_die("writing the result to fd %d", fd);
	}
}
