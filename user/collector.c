// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <bpf/libbpf.h>
#include "collector.h"
#include "csv.h"
#include "evcsv.h"
#include "log.h"
#include "perfetto.h"
#include "replay.h"
#include "timeline.h"

#define POLL_US	1000

struct collector {
	struct ring_buffer *rb;
	struct sinks sinks;
	uint64_t nread, nbad;
	pthread_t thread;
	volatile int stop;
};

static size_t record_size(__u32 kind)
{
	switch (kind) {
	case EV_SWITCH: return sizeof(struct ev_switch);
	case EV_WAKING: return sizeof(struct ev_waking);
	case EV_FUTEX: return sizeof(struct ev_futex);
	default: return kind < NR_EV_KINDS ? sizeof(struct ev_task) : 0;
	}
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct collector *c = ctx;
	union ev_any e;
	__u32 kind;

	if (size < sizeof(struct ev_hdr)) {
		c->nbad++;
		return 0;
	}
	kind = ((struct ev_hdr *)data)->kind;
	if (!kind || record_size(kind) != size) {
		c->nbad++;
		return 0;
	}
	memcpy(&e, data, size);
	c->nread++;
	sinks_event(&c->sinks, &e);
	return 0;
}

void sinks_event(const struct sinks *s, const void *ev)
{
	const union ev_any *e = ev;

	if (s->events)
		evcsv_event(s->events, e, s->t_start);
	replay_event(s->r, e);
	if (s->tl)
		timeline_event(s->tl, e);
	if (s->perfetto)
		perfetto_event(s->perfetto, e);
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

	while (!c->stop) {
		ring_buffer__consume(c->rb);
		usleep(POLL_US);
	}
	return NULL;
}

int collector_start(struct collector **out, int ring_fd, const struct sinks *s)
{
	struct collector *c = calloc(1, sizeof(*c));
	int err;

	if (!c)
		return -ENOMEM;
	c->sinks = *s;
	c->rb = ring_buffer__new(ring_fd, on_record, c, NULL);
	if (!c->rb) {
		err = -errno;
		pr_err("cannot read the event ring buffer: %s", strerror(-err));
		free(c);
		return err;
	}
	err = -pthread_create(&c->thread, NULL, poll_loop, c);
	if (err) {
		ring_buffer__free(c->rb);
		free(c);
		return err;
	}
	*out = c;
	return 0;
}

uint64_t collector_stop(struct collector *c)
{
	uint64_t n;

	if (!c)
		return 0;
	c->stop = 1;
	pthread_join(c->thread, NULL);
	while (ring_buffer__consume(c->rb) > 0)
		;
	if (c->nbad)
		pr_warn("%llu malformed event records skipped", (unsigned long long)c->nbad);
	n = c->nread;
	ring_buffer__free(c->rb);
	free(c);
	return n;
}
