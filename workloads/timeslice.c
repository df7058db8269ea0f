// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * timeslice: more CPU-bound threads than CPUs, all pinned to one CPU, each
 * reading CLOCK_MONOTONIC (vDSO, ~25 ns) in a tight loop. A jump between
 * two reads longer than --gap-us means the thread was off the CPU; the
 * stretches between such gaps are the slices the scheduler gave it. The
 * first and last stretch of each thread are cut by the start and the end,
 * so only stretches with a gap on both sides count.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include "wl_common.h"

/* Per thread and kind: 32768 slices of >= 1 ms last over 30 s. */
#define MAX_RECORDS	32768

static struct {
	uint64_t threads, duration_ms, gap_us;
	int cpu;
} opt = { 3, 1000, 50, -1 };

struct recorder {
	uint64_t n, kept;
	uint64_t *ns;
};

static struct spinner {
	pthread_t tid;
	struct recorder slices, gaps;
} *spinners;

static pthread_barrier_t start;
static uint64_t deadline;

static void record(struct recorder *r, uint64_t ns)
{
	if (r->kept < MAX_RECORDS)
		r->ns[r->kept++] = ns;
	r->n++;
}

static void *spin(void *arg)
{
	struct spinner *s = arg;
	uint64_t gap = opt.gap_us * 1000, slice_start = 0, prev, now;

	pthread_barrier_wait(&start);
	prev = wl_now_ns();
	while (prev < deadline) {
		now = wl_now_ns();
		if (now - prev > gap) {
			if (slice_start)	/* the first stretch began at the start */
				record(&s->slices, prev - slice_start);
			record(&s->gaps, now - prev);
			slice_start = now;
		}
		prev = now;
	}
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* All threads' records of one kind, sorted; *n is how many. */
static uint64_t *merge(size_t off, uint64_t *n)
{
	uint64_t *all = malloc(opt.threads * MAX_RECORDS * sizeof(*all));

	if (!all)
		wl_die("malloc");
	*n = 0;
	for (uint64_t i = 0; i < opt.threads; i++) {
		struct recorder *r = (void *)((char *)&spinners[i] + off);

		memcpy(all + *n, r->ns, r->kept * sizeof(*all));
		*n += r->kept;
	}
	qsort(all, *n, sizeof(*all), cmp_u64);
	return all;
}

/* Nearest-rank percentile, in us; 0 when there is nothing. */
static double pct_us(const uint64_t *v, uint64_t n, unsigned pct)
{
	uint64_t rank = (n * pct + 99) / 100;

	return n ? v[rank ? rank - 1 : 0] / 1e3 : 0;
}

static long read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* The scheduler's base slice (EEVDF) or minimum granularity (CFS), ns. */
static long base_slice_ns(void)
{
	static const char *const paths[] = {
		"/sys/kernel/debug/sched/base_slice_ns",	/* 6.6+ */
		"/sys/kernel/debug/sched/min_granularity_ns",	/* 5.13-6.5 */
		"/proc/sys/kernel/sched_min_granularity_ns",	/* older */
	};
	long v;

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if ((v = read_long(paths[i])) > 0)
			return v;
	return -1;
}

/* CONFIG_HZ from the kernel's config in /boot, -1 if unreadable. */
static long config_hz(void)
{
	char path[300], line[128];
	struct utsname u;
	long hz = -1;
	FILE *f;

	if (uname(&u))
		return -1;
	snprintf(path, sizeof(path), "/boot/config-%s", u.release);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CONFIG_HZ=%ld", &hz) == 1)
			break;
	fclose(f);
	return hz;
}

/* jiffies from /proc/timer_list (root only), -1 if unreadable. */
static long long jiffies(void)
{
	FILE *f = fopen("/proc/timer_list", "r");
	char line[256];
	long long j = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "jiffies: %lld", &j) == 1)
			break;
	fclose(f);
	return j;
}

/*
 * HZ from the jiffies counted over the run, snapped to a Kconfig choice if
 * within 5% (+-1 jiffy of error over a 100 ms run is 4% at HZ=250).
 */
static long measured_hz(long long j0, uint64_t t0, long long j1, uint64_t t1)
{
	static const long choices[] = { 100, 250, 300, 1000 };
	double rate = (j1 - j0) / ((t1 - t0) / 1e9);

	if (j0 < 0 || j1 <= j0)
		return -1;
	for (size_t i = 0; i < sizeof(choices) / sizeof(choices[0]); i++)
		if (rate > choices[i] * 0.95 && rate < choices[i] * 1.05)
			return choices[i];
	return -1;
}

/* --cpu, checked against the CPUs allowed, or the first of them. */
static int pick_cpu(int cpu)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		wl_die("sched_getaffinity");
	if (cpu >= 0 && !CPU_ISSET(cpu, &set))
		wl_usage_error("--cpu: this process may not use CPU %d", cpu);
	while (cpu < 0 || !CPU_ISSET(cpu, &set))
		cpu++;
	return cpu;
}

static void usage(void)
{
	printf("usage: timeslice [--threads N] [--cpu C] [--duration-ms N] [--gap-us N]\n"
	       "N CPU-bound threads (default 3), all pinned to CPU C (default: the\n"
	       "first this process may use), spin reading the clock for --duration-ms\n"
	       "(default 1000). A jump over --gap-us (default 50) between two reads\n"
	       "is time off the CPU; the stretches between are the slices.\n"
	       "Result: slice count and percentiles, the gap between slices, and the\n"
	       "kernel's base slice and HZ where they can be read.\n");
}

static void parse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "threads", required_argument, NULL, 't' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "duration-ms", required_argument, NULL, 'd' },
		{ "gap-us", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 't': opt.threads = wl_parse_u64("--threads", optarg, 1, 64); break;
		case 'c': opt.cpu = wl_parse_u64("--cpu", optarg, 0, CPU_SETSIZE - 1); break;
		case 'd': opt.duration_ms = wl_parse_u64("--duration-ms", optarg, 1, 3600000); break;
		case 'g': opt.gap_us = wl_parse_u64("--gap-us", optarg, 1, 1000000); break;
		case 'h': usage(); exit(0);
		default: wl_bad_option(c, argv);
		}
	}
	if (optind < argc)
		wl_usage_error("unexpected argument '%s'", argv[optind]);
}

int main(int argc, char **argv)
{
	uint64_t *slices, *gaps, n_slices, n_gaps, total = 0, t0, t1;
	long long j0, j1;
	long base, hz;
	pthread_attr_t attr;
	cpu_set_t set;

	wl_name = "timeslice";
	parse(argc, argv);
	opt.cpu = pick_cpu(opt.cpu);
	spinners = calloc(opt.threads, sizeof(*spinners));
	if (!spinners)
		wl_die("calloc");
	for (uint64_t i = 0; i < opt.threads; i++) {
		spinners[i].slices.ns = malloc(MAX_RECORDS * sizeof(uint64_t));
		spinners[i].gaps.ns = malloc(MAX_RECORDS * sizeof(uint64_t));
		if (!spinners[i].slices.ns || !spinners[i].gaps.ns)
			wl_die("malloc");
	}

	/* Pinned from birth, so no thread ever runs on another CPU. */
	CPU_ZERO(&set);
	CPU_SET(opt.cpu, &set);
	pthread_attr_init(&attr);
	pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
	pthread_barrier_init(&start, NULL, opt.threads + 1);
	for (uint64_t i = 0; i < opt.threads; i++) {
		if ((errno = pthread_create(&spinners[i].tid, &attr, spin, &spinners[i])))
			wl_die("pthread_create");
	}
	j0 = jiffies();
	t0 = wl_now_ns();
	deadline = t0 + opt.duration_ms * 1000000;
	pthread_barrier_wait(&start);
	for (uint64_t i = 0; i < opt.threads; i++)
		pthread_join(spinners[i].tid, NULL);
	t1 = wl_now_ns();
	j1 = jiffies();

	slices = merge(offsetof(struct spinner, slices), &n_slices);
	gaps = merge(offsetof(struct spinner, gaps), &n_gaps);
	for (uint64_t i = 0; i < opt.threads; i++)
		total += spinners[i].slices.n;
	base = base_slice_ns();
	hz = config_hz();
	if (hz < 0)
		hz = measured_hz(j0, t0, j1, t1);

	wl_result_begin();
	wl_result_u64("threads", opt.threads);
	wl_result_u64("cpu", opt.cpu);
	wl_result_f("wall_ms", (t1 - t0) / 1e6);
	wl_result_u64("slices", total);
	wl_result_f("slice_p50_us", pct_us(slices, n_slices, 50));
	wl_result_f("slice_p99_us", pct_us(slices, n_slices, 99));
	wl_result_f("slice_max_us", pct_us(slices, n_slices, 100));
	wl_result_f("gap_p50_us", pct_us(gaps, n_gaps, 50));
	wl_result_f("gap_max_us", pct_us(gaps, n_gaps, 100));
	if (base > 0)
		wl_result_f("base_slice_us", base / 1e3);
	else
		wl_result_str("base_slice_us", "unknown");
	if (hz > 0)
		wl_result_u64("hz", hz);
	else
		wl_result_str("hz", "unknown");
	wl_result_ctxsw();
	wl_result_end();
	return 0;
}
