// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * prodcons: producers hand items 1..N to consumers through a bounded FIFO.
 * Threads and processes use the textbook mutex + two condition variables
 * (process-shared in shared memory for processes; glibc's condvars wait
 * with FUTEX_WAIT_BITSET); coroutines use a channel whose waiters park in
 * the coroutine scheduler. Every time a party finds the queue full or empty
 * and has to wait is counted, and the sum of the consumed ids must be
 * N(N+1)/2, so a lost or duplicated item fails the run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "wl_common.h"
#include "wl_coro.h"

enum unit { UNIT_THREAD, UNIT_PROCESS, UNIT_COROUTINE };
static const char *const unit_names[] = { "thread", "process", "coroutine", NULL };

static struct {
	enum unit unit;
	uint64_t producers, consumers, items, capacity;
} opt = { UNIT_THREAD, 1, 1, 500000, 16 };

/* In shared memory, so the same code serves threads and processes. */
static struct queue {
	pthread_mutex_t mutex;
	pthread_cond_t not_full, not_empty;
	uint64_t head, count;		/* ring of opt.capacity slots */
	uint64_t taken, sum;		/* items consumed so far, sum of their ids */
	uint64_t producer_waits, consumer_waits;
	uint64_t slot[];
} *q;

static void push(uint64_t id)
{
	q->slot[(q->head + q->count++) % opt.capacity] = id;
}

static void pop(void)
{
	q->sum += q->slot[q->head];
	q->head = (q->head + 1) % opt.capacity;
	q->count--;
	q->taken++;
}

static void produce(uint64_t p)
{
	for (uint64_t id = p + 1; id <= opt.items; id += opt.producers) {
		pthread_mutex_lock(&q->mutex);
		while (q->count == opt.capacity) {
			q->producer_waits++;
			pthread_cond_wait(&q->not_full, &q->mutex);
		}
		push(id);
		pthread_cond_signal(&q->not_empty);
		pthread_mutex_unlock(&q->mutex);
	}
}

static void consume(void)
{
	for (;;) {
		pthread_mutex_lock(&q->mutex);
		while (!q->count && q->taken < opt.items) {
			q->consumer_waits++;
			pthread_cond_wait(&q->not_empty, &q->mutex);
		}
		if (q->taken == opt.items) {
			pthread_mutex_unlock(&q->mutex);
			return;
		}
		pop();
		if (q->taken == opt.items)	/* release the other consumers */
			pthread_cond_broadcast(&q->not_empty);
		pthread_cond_signal(&q->not_full);
		pthread_mutex_unlock(&q->mutex);
	}
}

/* Party i: producers first, then consumers. */
static void party(uint64_t i)
{
	if (i < opt.producers)
		produce(i);
	else
		consume();
}

static void *party_thread(void *arg)
{
	party((uintptr_t)arg);
	return NULL;
}

/*
 * Coroutines: one thread, no lock; a party that must wait parks on the
 * channel's list for its side until the other side makes room or an item.
 */
struct parked {
	struct coro **co;
	uint64_t n;
};
static struct parked parked_producers, parked_consumers;

static void park_on(struct parked *p)
{
	p->co[p->n++] = coro_self();
	coro_park();
}

static void wake_one(struct parked *p)
{
	if (p->n)
		coro_ready(p->co[--p->n]);
}

static void produce_coro(uint64_t p)
{
	for (uint64_t id = p + 1; id <= opt.items; id += opt.producers) {
		while (q->count == opt.capacity) {
			q->producer_waits++;
			park_on(&parked_producers);
		}
		push(id);
		wake_one(&parked_consumers);
	}
}

static void consume_coro(void)
{
	for (;;) {
		while (!q->count && q->taken < opt.items) {
			q->consumer_waits++;
			park_on(&parked_consumers);
		}
		if (q->taken == opt.items)
			return;
		pop();
		if (q->taken == opt.items)
			while (parked_consumers.n)
				wake_one(&parked_consumers);
		wake_one(&parked_producers);
	}
}

static void party_coro(void *arg)
{
	uint64_t i = (uintptr_t)arg;

	if (i < opt.producers)
		produce_coro(i);
	else
		consume_coro();
}

static void run_coroutines(uint64_t n)
{
	struct coro *co[n];

	parked_producers.co = calloc(opt.producers, sizeof(struct coro *));
	parked_consumers.co = calloc(opt.consumers, sizeof(struct coro *));
	if (!parked_producers.co || !parked_consumers.co)
		wl_die("calloc");
	coro_init(CORO_ASM);
	for (uint64_t i = 0; i < n; i++) {
		co[i] = coro_create(party_coro, (void *)(uintptr_t)i, CORO_STACK_DEFAULT);
		if (!co[i])
			wl_die("coro_create");
		coro_ready(co[i]);
	}
	coro_run();
	for (uint64_t i = 0; i < n; i++)
		coro_free(co[i]);
}

static void run_threads(uint64_t n)
{
	pthread_t tid[n];

	for (uint64_t i = 0; i < n; i++)
		if ((errno = pthread_create(&tid[i], NULL, party_thread, (void *)(uintptr_t)i)))
			wl_die("pthread_create");
	for (uint64_t i = 0; i < n; i++)
		pthread_join(tid[i], NULL);
}

static void run_processes(uint64_t n)
{
	int status, failed = 0;
	pid_t pid;

	for (uint64_t i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0)
			wl_die("fork");
		if (pid == 0) {
			party(i);
			_exit(0);
		}
	}
	while ((pid = wait(&status)) > 0)
		failed |= !WIFEXITED(status) || WEXITSTATUS(status);
	if (failed) {
		fprintf(stderr, "prodcons: a party process failed\n");
		exit(1);
	}
}

static void queue_init(void)
{
	int pshared = opt.unit == UNIT_PROCESS ? PTHREAD_PROCESS_SHARED
					       : PTHREAD_PROCESS_PRIVATE;
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;

	q = mmap(NULL, sizeof(*q) + opt.capacity * sizeof(q->slot[0]),
		 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (q == MAP_FAILED)
		wl_die("mmap");
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, pshared);
	pthread_mutex_init(&q->mutex, &ma);
	pthread_condattr_init(&ca);
	pthread_condattr_setpshared(&ca, pshared);
	pthread_cond_init(&q->not_full, &ca);
	pthread_cond_init(&q->not_empty, &ca);
}

static void usage(void)
{
	printf("usage: prodcons [--unit thread|process|coroutine] [--producers P]\n"
	       "                [--consumers C] [--items N] [--capacity K]\n"
	       "P producers (default 1) hand items 1..N (default 500000) to C\n"
	       "consumers (default 1) through a FIFO of K slots (default 16).\n"
	       "  --unit  thread (default) or process: mutex + condition variables,\n"
	       "          process-shared for processes; coroutine: a channel on one\n"
	       "          thread\n"
	       "Result: items per second, how often a party had to wait (queue full\n"
	       "or empty), and the sum of consumed ids against N(N+1)/2.\n");
}

static void parse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "producers", required_argument, NULL, 'p' },
		{ "consumers", required_argument, NULL, 'c' },
		{ "items", required_argument, NULL, 'n' },
		{ "capacity", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'u': opt.unit = wl_parse_choice("--unit", optarg, unit_names); break;
		case 'p': opt.producers = wl_parse_u64("--producers", optarg, 1, 1000); break;
		case 'c': opt.consumers = wl_parse_u64("--consumers", optarg, 1, 1000); break;
		case 'n': opt.items = wl_parse_u64("--items", optarg, 1, 1000000000); break;
		case 'k': opt.capacity = wl_parse_u64("--capacity", optarg, 1, 1000000); break;
		case 'h': usage(); exit(0);
		default: wl_bad_option(c, argv);
		}
	}
	if (optind < argc)
		wl_usage_error("unexpected argument '%s'", argv[optind]);
}

int main(int argc, char **argv)
{
	uint64_t n, t0, wall, waits, expected;
	char buf[32];

	wl_name = "prodcons";
	parse(argc, argv);
	queue_init();
	n = opt.producers + opt.consumers;
	expected = opt.items * (opt.items + 1) / 2;

	t0 = wl_now_ns();
	if (opt.unit == UNIT_THREAD)
		run_threads(n);
	else if (opt.unit == UNIT_PROCESS)
		run_processes(n);
	else
		run_coroutines(n);
	wall = wl_now_ns() - t0;
	waits = q->producer_waits + q->consumer_waits;

	wl_result_begin();
	wl_result_str("unit", unit_names[opt.unit]);
	wl_result_u64("producers", opt.producers);
	wl_result_u64("consumers", opt.consumers);
	wl_result_u64("capacity", opt.capacity);
	wl_result_u64("items", q->taken);
	wl_result_f("wall_ms", wall / 1e6);
	wl_result_f("items_per_s", q->taken / (wall / 1e9));
	wl_result_u64("waits", waits);
	wl_result_u64("producer_waits", q->producer_waits);
	wl_result_u64("consumer_waits", q->consumer_waits);
	snprintf(buf, sizeof(buf), "%.4f", (double)waits / opt.items);
	wl_result_str("waits_per_item", buf);
	wl_result_u64("checksum", q->sum);
	wl_result_u64("expected", expected);
	wl_result_ctxsw();
	wl_result_end();
	if (q->taken != opt.items || q->sum != expected) {
		fprintf(stderr, "prodcons: consumed %llu items summing to %llu, expected %llu and %llu\n",
			(unsigned long long)q->taken, (unsigned long long)q->sum,
			(unsigned long long)opt.items, (unsigned long long)expected);
		return 1;
	}
	return 0;
}
