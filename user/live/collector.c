// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "core/clock.h"
#include "io/capture.h"
#include "live/collector.h"
#include "live/thread.h"
#include "core/log.h"

#define POLL_US		5000	/* the ring takes ~140 ms of a 1M events/s stream */
#define FLUSH_EVERY	2	/* polls: records wait ~10 ms in their CPU's stage */
#define FINAL_US	1000
#define FINAL_TRIES	1000	/* FINAL_US apart: a program holds a stage for ns */
#define CPU_TRIES	100	/* flushes of a held stage before the pass gives up */

struct collector {
	struct ring_buffer *rb;
	struct capture *cap;
	int flush_fd, ncpus;
	size_t page;
	const unsigned long *cons, *prod;	/* the ring's positions (read-only maps) */
	pthread_t thread;
	int stop;		/* set by collector_stop(): __atomic, read by the thread */
};

/* A record of the ring (one CPU's event records, back to back), as it is. */
static int on_record(void *ctx, void *data, size_t size)
{
	struct collector *c = ctx;

	capture_put(c->cap, CAP_CHUNK, data, size);
	return 0;
}

/* 0: flushed; 1: held by a program this run interrupted; or -errno */
static int flush_cpu(struct collector *c, int cpu)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .flags = BPF_F_TEST_RUN_ON_CPU, .cpu = cpu);

	if (bpf_prog_test_run_opts(c->flush_fd, &o))
		return errno == ENXIO ? 0 : -errno;	/* offline: holds nothing */
	return o.retval ? 1 : 0;
}

/*
 * Have every CPU flush its stage, read the ring, then mark the capture:
 * every record older than the moment we asked (or than upto, if not 0:
 * UINT64_MAX once tracing is over) is in it; any still to come is younger
 * (stage.bpf.h). Returns 0, 1 if a stage stayed held or a record
 * uncommitted (try again later), or -errno.
 */
static int advance(struct collector *c, uint64_t upto)
{
	uint64_t asked = mono_ns();
	unsigned long prod;

	/* a CPU flushed after `asked` stays so: retry only the held one */
	for (int cpu = 0; cpu < c->ncpus; cpu++) {
		int err;

		for (int i = 0; (err = flush_cpu(c, cpu)) == 1 && i < CPU_TRIES; i++)
			;
		if (err)
			return err;
	}
	/*
	 * consume() stops at a record reserved but not yet committed; the
	 * ones after it may be older than `asked`: wait for them.
	 */
	prod = __atomic_load_n(c->prod, __ATOMIC_ACQUIRE);
	ring_buffer__consume(c->rb);
	if ((long)(prod - __atomic_load_n(c->cons, __ATOMIC_ACQUIRE)) > 0)
		return 1;
	if (!upto)
		upto = asked;
	capture_put(c->cap, CAP_MARK, &upto, sizeof(upto));
	return 0;
}

static void *poll_loop(void *arg)
{
	struct collector *c = arg;

	/*
	 * A workload that keeps every CPU busy would starve the reader and
	 * the ring would overflow: a lost event is worse than the CPU time
	 * the reader takes, which the report shows as interference.
	 */
	setpriority(PRIO_PROCESS, syscall(SYS_gettid), -20);

	for (unsigned long n = 1; !__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE); n++) {
		ring_buffer__consume(c->rb);
		if (n % FLUSH_EVERY == 0)
			advance(c, 0);
		usleep(POLL_US);
	}
	return NULL;
}

static void collector_free(struct collector *c)
{
	if (c->cons)
		munmap((void *)c->cons, c->page);
	if (c->prod)
		munmap((void *)c->prod, c->page);
	ring_buffer__free(c->rb);
	free(c);
}

int collector_start(struct collector **out, int ring_fd, int flush_fd, int ncpus,
		    struct capture *cap)
{
	struct collector *c = calloc(1, sizeof(*c));
	int err;

	if (!c) {
		pr_err("out of memory for the event reader");
		return -ENOMEM;
	}
	c->cap = cap;
	c->flush_fd = flush_fd;
	c->ncpus = ncpus;
	c->page = sysconf(_SC_PAGESIZE);
	c->rb = ring_buffer__new(ring_fd, on_record, c, NULL);
	c->cons = mmap(NULL, c->page, PROT_READ, MAP_SHARED, ring_fd, 0);
	c->prod = mmap(NULL, c->page, PROT_READ, MAP_SHARED, ring_fd, c->page);
	if (c->cons == MAP_FAILED)
		c->cons = NULL;
	if (c->prod == MAP_FAILED)
		c->prod = NULL;
	if (!c->rb || !c->cons || !c->prod) {
		err = -errno;
		pr_err("cannot read the event ring buffer: %s", strerror(-err));
		collector_free(c);
		return err;
	}
	err = advance(c, 0);
	if (err < 0) {
		pr_err("cannot flush the CPUs' event stages (BPF_PROG_TEST_RUN): %s",
		       strerror(-err));
		collector_free(c);
		return err;
	}
	err = -quiet_thread(&c->thread, poll_loop, c);
	if (err) {
		pr_err("cannot start the event reader thread: %s", strerror(-err));
		collector_free(c);
		return err;
	}
	*out = c;
	return 0;
}

void collector_stop(struct collector *c)
{
	int err;

	if (!c)
		return;
	__atomic_store_n(&c->stop, 1, __ATOMIC_RELEASE);
	pthread_join(c->thread, NULL);
	/* t_end is set: a program that holds a stage now is the last one there */
	for (int i = 0; (err = advance(c, UINT64_MAX)); i++) {
		if (err < 0 || i == FINAL_TRIES) {
			pr_warn("cannot flush the CPUs' event stages (%s): their last records "
				"are missing", err < 0 ? strerror(-err) : "held");
			break;
		}
		usleep(FINAL_US);
	}
	while (ring_buffer__consume(c->rb) > 0)
		;
	collector_free(c);
}
