// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * counter: T threads each add 1 to one shared counter N times. Without
 * synchronisation the load, add and store of two CPUs interleave and
 * updates are lost; a mutex, a spinlock or an atomic add loses none, at a
 * price per increment that this measures.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "wl_common.h"

enum sync { SYNC_NONE, SYNC_MUTEX, SYNC_SPIN, SYNC_ATOMIC };
static const char *const sync_names[] = { "none", "mutex", "spin", "atomic", NULL };

static struct {
	enum sync sync;
	uint64_t threads, increments;
} opt = { SYNC_NONE, 2, 10000000 };

/* Its own cache line, away from the locks and the options. */
static uint64_t counter __attribute__((aligned(64)));
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_spinlock_t spin;
static pthread_barrier_t start;

static void *incrementer(void *arg)
{
	volatile uint64_t *racy = &counter;
	uint64_t v;

	(void)arg;
	pthread_barrier_wait(&start);
	switch (opt.sync) {
	case SYNC_NONE:
		/* volatile: a real load and store every time, nothing hoisted */
		for (uint64_t i = 0; i < opt.increments; i++) {
			v = *racy;
			*racy = v + 1;
		}
		break;
	case SYNC_MUTEX:
		for (uint64_t i = 0; i < opt.increments; i++) {
			pthread_mutex_lock(&mutex);
			counter++;
			pthread_mutex_unlock(&mutex);
		}
		break;
	case SYNC_SPIN:
		for (uint64_t i = 0; i < opt.increments; i++) {
			pthread_spin_lock(&spin);
			counter++;
			pthread_spin_unlock(&spin);
		}
		break;
	case SYNC_ATOMIC:
		for (uint64_t i = 0; i < opt.increments; i++)
			__atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);
		break;
	}
	return NULL;
}

static void usage(void)
{
	printf("usage: counter [--sync none|mutex|spin|atomic] [--threads T]\n"
	       "               [--increments N]\n"
	       "T threads (default 2) each increment one shared counter N times\n"
	       "(default 10000000).\n"
	       "  --sync  none: plain load + add + store, racing (default);\n"
	       "          mutex, spin (pthread spinlock) or atomic (lock add)\n"
	       "Result: expected and actual count, updates lost, ns per increment.\n");
}

static void parse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "sync", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 't' },
		{ "increments", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 's': opt.sync = wl_parse_choice("--sync", optarg, sync_names); break;
		case 't': opt.threads = wl_parse_u64("--threads", optarg, 1, 1024); break;
		case 'n': opt.increments = wl_parse_u64("--increments", optarg, 1, 1000000000000ull); break;
		case 'h': usage(); exit(0);
		default: wl_bad_option(c, argv);
		}
	}
	if (optind < argc)
		wl_usage_error("unexpected argument '%s'", argv[optind]);
}

int main(int argc, char **argv)
{
	uint64_t t0, wall, expected;
	pthread_t tid[1024];

	wl_name = "counter";
	parse(argc, argv);
	pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
	pthread_barrier_init(&start, NULL, opt.threads + 1);
	for (uint64_t i = 0; i < opt.threads; i++)
		if ((errno = pthread_create(&tid[i], NULL, incrementer, NULL)))
			wl_die("pthread_create");
	/* Timed from the release of all threads at once. */
	t0 = wl_now_ns();
	pthread_barrier_wait(&start);
	for (uint64_t i = 0; i < opt.threads; i++)
		pthread_join(tid[i], NULL);
	wall = wl_now_ns() - t0;
	expected = opt.threads * opt.increments;

	wl_result_begin();
	wl_result_str("sync", sync_names[opt.sync]);
	wl_result_u64("threads", opt.threads);
	wl_result_u64("increments", opt.increments);
	wl_result_u64("expected", expected);
	wl_result_u64("actual", counter);
	wl_result_u64("lost_updates", expected - counter);
	wl_result_f("wall_ms", wall / 1e6);
	wl_result_f("ns_per_increment", (double)wall / expected);
	wl_result_ctxsw();
	wl_result_end();
	return 0;
}
