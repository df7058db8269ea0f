// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * cpubound: N tasks of identical CPU work (a chain of integer hash rounds,
 * each depending on the last, so nothing can vectorise or skip it), run
 * serially, as threads, as processes, as coroutines on one thread taking
 * turns, or as threads under an emulated interpreter lock (wl_gil.c). The
 * checksum (sum of every task's final hash) proves each mode did the same
 * work.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "wl_common.h"
#include "wl_coro.h"
#include "wl_gil.h"

enum mode { SERIAL, THREADS, PROCESSES, COROUTINES, GIL };
static const char *const mode_names[] = {
	"serial", "threads", "processes", "coroutines", "gil", NULL
};

/*
 * Rounds (~0.5 us) between two looks at the GIL's drop request (CPython's
 * eval breaker), and between two yields of a coroutine.
 */
#define CHECK_ROUNDS	256

static struct {
	enum mode mode;
	uint64_t tasks, work, switch_ms, baseline_ms;
	int serial_first;
} opt = { SERIAL, 2, 250000000, 5, 0, 0 };

static uint64_t *results;	/* per task; MAP_SHARED so processes can fill it */
static uint64_t coro_yields;

static uint64_t hash_rounds(uint64_t x, uint64_t n)
{
	while (n--)
		x = (x ^ (x >> 29)) * 0xbf58476d1ce4e5b9ull + 1;
	return x;
}

static uint64_t seed(uint64_t task)
{
	return task + 1;
}

static void *thread_task(void *arg)
{
	uint64_t i = (uintptr_t)arg;

	results[i] = hash_rounds(seed(i), opt.work);
	return NULL;
}

/* The same work in chunks, holding the GIL, letting go when asked to. */
static void *gil_task(void *arg)
{
	uint64_t i = (uintptr_t)arg, x = seed(i), left = opt.work, n;

	gil_take(i);
	while (left) {
		n = left < CHECK_ROUNDS ? left : CHECK_ROUNDS;
		x = hash_rounds(x, n);
		left -= n;
		if (gil_drop_requested()) {
			gil_drop(i, 1);
			gil_take(i);
		}
	}
	gil_drop(i, 0);
	results[i] = x;
	return NULL;
}

/* The same work in chunks, yielding to the next coroutine after each. */
static void coro_task(void *arg)
{
	uint64_t i = (uintptr_t)arg, x = seed(i), left = opt.work, n;

	while (left) {
		n = left < CHECK_ROUNDS ? left : CHECK_ROUNDS;
		x = hash_rounds(x, n);
		left -= n;
		if (left) {
			coro_yields++;
			coro_ready(coro_self());
			coro_park();
		}
	}
	results[i] = x;
}

static void run_coroutines(void)
{
	struct coro *co[opt.tasks];

	coro_init(CORO_ASM);
	for (uint64_t i = 0; i < opt.tasks; i++) {
		co[i] = coro_create(coro_task, (void *)(uintptr_t)i, CORO_STACK_DEFAULT);
		if (!co[i])
			wl_die("coro_create");
		coro_ready(co[i]);
	}
	coro_run();
	for (uint64_t i = 0; i < opt.tasks; i++)
		coro_free(co[i]);
}

static void run_threads(void *(*fn)(void *))
{
	pthread_t tid[opt.tasks];

	for (uint64_t i = 0; i < opt.tasks; i++)
		if ((errno = pthread_create(&tid[i], NULL, fn, (void *)(uintptr_t)i)))
			wl_die("pthread_create");
	for (uint64_t i = 0; i < opt.tasks; i++)
		pthread_join(tid[i], NULL);
}

static void run_processes(void)
{
	int status, failed = 0;
	pid_t pid;

	for (uint64_t i = 0; i < opt.tasks; i++) {
		pid = fork();
		if (pid < 0)
			wl_die("fork");
		if (pid == 0) {
			thread_task((void *)(uintptr_t)i);
			_exit(0);
		}
	}
	while ((pid = wait(&status)) > 0)
		failed |= !WIFEXITED(status) || WEXITSTATUS(status);
	if (failed) {
		fprintf(stderr, "cpubound: a task process failed\n");
		exit(1);
	}
}

static uint64_t cpu_ns(void)
{
	struct rusage s, c;

	getrusage(RUSAGE_SELF, &s);
	getrusage(RUSAGE_CHILDREN, &c);
	return ((uint64_t)s.ru_utime.tv_sec + s.ru_stime.tv_sec + c.ru_utime.tv_sec +
		c.ru_stime.tv_sec) * 1000000000ull +
	       ((uint64_t)s.ru_utime.tv_usec + s.ru_stime.tv_usec + c.ru_utime.tv_usec +
		c.ru_stime.tv_usec) * 1000;
}

/* Run every task in a mode; returns the checksum, wall and CPU time. */
static uint64_t run(enum mode mode, uint64_t *wall, uint64_t *cpu)
{
	uint64_t t0 = wl_now_ns(), c0 = cpu_ns(), sum = 0;

	switch (mode) {
	case SERIAL:
		for (uint64_t i = 0; i < opt.tasks; i++)
			thread_task((void *)(uintptr_t)i);
		break;
	case THREADS:
		run_threads(thread_task);
		break;
	case PROCESSES:
		run_processes();
		break;
	case COROUTINES:
		run_coroutines();
		break;
	case GIL:
		run_threads(gil_task);
		break;
	}
	*wall = wl_now_ns() - t0;
	*cpu = cpu_ns() - c0;
	for (uint64_t i = 0; i < opt.tasks; i++)
		sum += results[i];
	return sum;
}

static void usage(void)
{
	printf("usage: cpubound [--mode serial|threads|processes|coroutines|gil]\n"
	       "                [--tasks N] [--work N] [--switch-interval-ms N]\n"
	       "                [--baseline-ms N | --serial-first]\n"
	       "N tasks (default 2) of identical CPU work: --work hash rounds each\n"
	       "(default 250000000, about 0.5 s).\n"
	       "  --mode  serial: one after another in one thread (default);\n"
	       "          threads / processes: one each, in parallel;\n"
	       "          coroutines: on one thread, yielding every 256 rounds;\n"
	       "          gil: threads that must hold one global lock to compute,\n"
	       "          handed over on request after --switch-interval-ms\n"
	       "          (default 5), as CPython does\n"
	       "  --baseline-ms   serial wall time known from elsewhere, for speedup\n"
	       "  --serial-first  time the serial run first, in this process\n"
	       "Result: checksum (equal in every mode), wall and CPU time, speedup\n"
	       "over serial when known, GIL hand-offs and waits.\n");
}

static void parse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "tasks", required_argument, NULL, 't' },
		{ "work", required_argument, NULL, 'w' },
		{ "switch-interval-ms", required_argument, NULL, 's' },
		{ "baseline-ms", required_argument, NULL, 'b' },
		{ "serial-first", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'm': opt.mode = wl_parse_choice("--mode", optarg, mode_names); break;
		case 't': opt.tasks = wl_parse_u64("--tasks", optarg, 1, 1024); break;
		case 'w': opt.work = wl_parse_u64("--work", optarg, 1, 1000000000000ull); break;
		case 's': opt.switch_ms = wl_parse_u64("--switch-interval-ms", optarg, 1, 10000); break;
		case 'b': opt.baseline_ms = wl_parse_u64("--baseline-ms", optarg, 1, 100000000); break;
		case 'f': opt.serial_first = 1; break;
		case 'h': usage(); exit(0);
		default: wl_bad_option(c, argv);
		}
	}
	if (optind < argc)
		wl_usage_error("unexpected argument '%s'", argv[optind]);
	if (opt.baseline_ms && opt.serial_first)
		wl_usage_error("--baseline-ms and --serial-first exclude each other");
}

int main(int argc, char **argv)
{
	uint64_t sum, wall, cpu, serial_sum = 0, serial_wall = 0;
	double baseline_ms;
	char buf[32];

	wl_name = "cpubound";
	parse(argc, argv);
	results = mmap(NULL, opt.tasks * sizeof(*results), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (results == MAP_FAILED)
		wl_die("mmap");
	gil_init(opt.switch_ms);

	if (opt.serial_first)
		serial_sum = run(SERIAL, &serial_wall, &cpu);
	sum = run(opt.mode, &wall, &cpu);
	if (opt.serial_first && serial_sum != sum) {
		fprintf(stderr, "cpubound: checksum %llu differs from serial's %llu\n",
			(unsigned long long)sum, (unsigned long long)serial_sum);
		return 1;
	}
	baseline_ms = opt.serial_first ? serial_wall / 1e6 : opt.baseline_ms;

	wl_result_begin();
	wl_result_str("mode", mode_names[opt.mode]);
	wl_result_u64("tasks", opt.tasks);
	wl_result_u64("work", opt.work);
	wl_result_u64("checksum", sum);
	wl_result_f("wall_ms", wall / 1e6);
	wl_result_f("cpu_ms", cpu / 1e6);
	if (opt.serial_first)
		wl_result_f("serial_ms", baseline_ms);
	if (baseline_ms) {	/* two decimals: 0.97 and 1.03 must differ */
		snprintf(buf, sizeof(buf), "%.2f", baseline_ms / (wall / 1e6));
		wl_result_str("speedup", buf);
	}
	if (opt.mode == COROUTINES)
		wl_result_u64("coro_yields", coro_yields);
	if (opt.mode == GIL)
		gil_result();
	wl_result_ctxsw();
	wl_result_end();
	return 0;
}
