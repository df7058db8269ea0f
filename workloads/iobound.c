// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * iobound: N tasks, each waiting M ms on real kernel IO (a timerfd that
 * expires), done one after another (serial), by threads (one per task or a
 * bounded pool), or by coroutines parked on epoll in one thread. The waits
 * cost no CPU, so what a mode buys is overlap: how many waits are in flight
 * at once.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include "wl_common.h"
#include "wl_coro.h"

enum mode { MODE_SERIAL, MODE_THREADS, MODE_COROUTINES };
static const char *const mode_names[] = { "serial", "threads", "coroutines", NULL };

static struct {
	enum mode mode;
	uint64_t tasks;
	uint64_t wait_ms;
	uint64_t pool;		/* threads mode; 0: one thread per task */
	uint64_t stack_kib;
	enum coro_impl impl;
} opt = { MODE_SERIAL, 20, 50, 0, CORO_STACK_DEFAULT / 1024, CORO_ASM };

static uint64_t next_task;	/* threads: the next task to take */
static uint64_t waited_ns;	/* sum of every task's wait */
static uint64_t last_start_ns;	/* when the last task began to wait */
static uint64_t last_end_ns;	/* when the last wait ended */

static void atomic_max(uint64_t *p, uint64_t v)
{
	uint64_t seen = __atomic_load_n(p, __ATOMIC_RELAXED);

	while (v > seen && !__atomic_compare_exchange_n(p, &seen, v, 1, __ATOMIC_RELAXED,
							 __ATOMIC_RELAXED))
		;
}

/* A task that began to wait at t0 is done. */
static void account(uint64_t t0)
{
	uint64_t t1 = wl_now_ns();

	__atomic_fetch_add(&waited_ns, t1 - t0, __ATOMIC_RELAXED);
	atomic_max(&last_start_ns, t0);
	atomic_max(&last_end_ns, t1);
}

/* One task blocking in read() on a timerfd. */
static void wait_blocking(void)
{
	struct itimerspec its = {
		.it_value = { .tv_sec = opt.wait_ms / 1000,
			      .tv_nsec = opt.wait_ms % 1000 * 1000000 },
	};
	uint64_t t0 = wl_now_ns(), expirations;
	int fd;

	fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	if (fd < 0 || timerfd_settime(fd, 0, &its, NULL))
		wl_die("timerfd");
	if (read(fd, &expirations, sizeof(expirations)) != sizeof(expirations))
		wl_die("timerfd read");
	close(fd);
	account(t0);
}

static void *worker(void *arg)
{
	(void)arg;
	while (__atomic_fetch_add(&next_task, 1, __ATOMIC_RELAXED) < opt.tasks)
		wait_blocking();
	return NULL;
}

static void run_threads(void)
{
	pthread_t *tids = calloc(opt.pool, sizeof(*tids));

	if (!tids)
		wl_die("calloc");
	for (uint64_t i = 0; i < opt.pool; i++)
		if ((errno = pthread_create(&tids[i], NULL, worker, NULL)))
			wl_die("pthread_create (thread %llu)", (unsigned long long)i + 1);
	for (uint64_t i = 0; i < opt.pool; i++)
		pthread_join(tids[i], NULL);
	free(tids);
}

static void coro_task(void *arg)
{
	uint64_t t0 = wl_now_ns();

	(void)arg;
	if (coro_sleep_ms(opt.wait_ms))
		wl_die("coro_sleep_ms");
	account(t0);
}

static void run_coroutines(void)
{
	struct coro **cos = calloc(opt.tasks, sizeof(*cos));

	if (!cos)
		wl_die("calloc");
	for (uint64_t i = 0; i < opt.tasks; i++) {
		cos[i] = coro_create(coro_task, NULL, opt.stack_kib * 1024);
		if (!cos[i])
			wl_die("coroutine %llu", (unsigned long long)i + 1);
		coro_ready(cos[i]);
	}
	coro_run();
	for (uint64_t i = 0; i < opt.tasks; i++)
		coro_free(cos[i]);
	free(cos);
}

/* Every wait in flight holds a timerfd: raise the soft limit to the hard one. */
static void need_files(uint64_t in_flight)
{
	uint64_t need = in_flight + 16;	/* stdio, epoll, libc */
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		wl_die("getrlimit");
	if (rl.rlim_cur < need && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl))
			wl_die("setrlimit(RLIMIT_NOFILE)");
	}
	if (rl.rlim_cur < need) {
		fprintf(stderr, "iobound: %llu waits at once need %llu open files, "
			"the limit is %llu (ulimit -Hn)\n", (unsigned long long)in_flight,
			(unsigned long long)need, (unsigned long long)rl.rlim_cur);
		exit(1);
	}
}

static void usage(void)
{
	printf("usage: iobound [--mode serial|threads|coroutines] [--tasks N] [--wait-ms M]\n"
	       "               [--pool K] [--stack-kib S] [--impl asm|ucontext]\n"
	       "N tasks (default 20) each wait M ms (default 50) for a timerfd to expire.\n"
	       "  --mode       serial: one after another (default); threads: one thread\n"
	       "               per task, or a pool; coroutines: one thread, epoll\n"
	       "  --pool       threads mode: K threads take the tasks in turn\n"
	       "  --stack-kib  coroutines mode: stack per coroutine (default 16)\n"
	       "  --impl       coroutines mode: switch, asm (default) or ucontext\n"
	       "Result: wall time (start to the end of the last wait), when the last wait\n"
	       "began, serial_ideal_ms (N x M), speedup over it, and overlap (the average\n"
	       "number of waits in flight: sum of waits / wall time).\n");
}

static void parse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "tasks", required_argument, NULL, 'n' },
		{ "wait-ms", required_argument, NULL, 'w' },
		{ "pool", required_argument, NULL, 'p' },
		{ "stack-kib", required_argument, NULL, 's' },
		{ "impl", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int c, coro_set = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'm': opt.mode = wl_parse_choice("--mode", optarg, mode_names); break;
		case 'n': opt.tasks = wl_parse_u64("--tasks", optarg, 1, 1000000); break;
		case 'w': opt.wait_ms = wl_parse_u64("--wait-ms", optarg, 1, 3600000); break;
		case 'p': opt.pool = wl_parse_u64("--pool", optarg, 1, 1000000); break;
		case 's':
			opt.stack_kib = wl_parse_u64("--stack-kib", optarg, 4, 65536);
			coro_set = 1;
			break;
		case 'i':
			opt.impl = wl_parse_choice("--impl", optarg, coro_impl_names);
			coro_set = 1;
			break;
		case 'h': usage(); exit(0);
		default: wl_bad_option(c, argv);
		}
	}
	if (optind < argc)
		wl_usage_error("unexpected argument '%s'", argv[optind]);
	if (opt.pool && opt.mode != MODE_THREADS)
		wl_usage_error("--pool applies to --mode threads only");
	if (coro_set && opt.mode != MODE_COROUTINES)
		wl_usage_error("--stack-kib and --impl apply to --mode coroutines only");
	if (opt.mode != MODE_THREADS)
		opt.pool = 1;		/* one thread waits */
	else if (!opt.pool || opt.pool > opt.tasks)
		opt.pool = opt.tasks;
}

int main(int argc, char **argv)
{
	uint64_t start, wall, ideal_ns;

	wl_name = "iobound";
	parse(argc, argv);
	need_files(opt.mode == MODE_COROUTINES ? opt.tasks : opt.pool);
	if (opt.mode == MODE_COROUTINES)
		coro_init(opt.impl);

	start = wl_now_ns();
	if (opt.mode == MODE_SERIAL)
		for (uint64_t i = 0; i < opt.tasks; i++)
			wait_blocking();
	else if (opt.mode == MODE_THREADS)
		run_threads();
	else
		run_coroutines();
	/* Up to the end of the last wait: thread exits, unmapping are not waiting. */
	wall = last_end_ns - start;

	ideal_ns = opt.tasks * opt.wait_ms * 1000000;
	wl_result_begin();
	wl_result_str("mode", mode_names[opt.mode]);
	if (opt.mode == MODE_COROUTINES)
		wl_result_str("impl", coro_impl_names[opt.impl]);
	wl_result_u64("tasks", opt.tasks);
	wl_result_u64("pool", opt.pool);
	wl_result_u64("wait_ms", opt.wait_ms);
	wl_result_f("wall_ms", wall / 1e6);
	wl_result_f("last_start_ms", (last_start_ns - start) / 1e6);
	wl_result_f("serial_ideal_ms", ideal_ns / 1e6);
	wl_result_f("speedup", (double)ideal_ns / wall);
	wl_result_f("overlap", (double)waited_ns / wall);
	wl_result_ctxsw();
	wl_result_end();
	return 0;
}
