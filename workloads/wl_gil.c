// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include "wl_common.h"
#include "wl_gil.h"

static struct {
	pthread_mutex_t mutex;
	pthread_cond_t cond;		/* the lock was released */
	pthread_cond_t switch_cond;	/* the lock was taken */
	int locked;
	int64_t holder;			/* the last holder, -1 before any */
	uint64_t switch_number;		/* acquisitions so far */
	int drop_request;		/* polled without the mutex */
	uint64_t interval_ns;
	uint64_t handoffs, waits, drop_requests;
} gil = {
	.mutex = PTHREAD_MUTEX_INITIALIZER,
	.switch_cond = PTHREAD_COND_INITIALIZER,
	.holder = -1,
};

void gil_init(uint64_t switch_interval_ms)
{
	pthread_condattr_t attr;

	gil.interval_ns = switch_interval_ms * 1000000;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&gil.cond, &attr);
	pthread_condattr_destroy(&attr);
}

int gil_drop_requested(void)
{
	return __atomic_load_n(&gil.drop_request, __ATOMIC_RELAXED);
}

void gil_take(uint64_t me)
{
	struct timespec ts;
	uint64_t saved, until;

	pthread_mutex_lock(&gil.mutex);
	while (gil.locked) {
		saved = gil.switch_number;
		until = wl_now_ns() + gil.interval_ns;
		ts.tv_sec = until / 1000000000;
		ts.tv_nsec = until % 1000000000;
		gil.waits++;
		/* A whole interval without a hand-off: ask the holder to let go. */
		if (pthread_cond_timedwait(&gil.cond, &gil.mutex, &ts) == ETIMEDOUT &&
		    gil.locked && gil.switch_number == saved) {
			__atomic_store_n(&gil.drop_request, 1, __ATOMIC_RELAXED);
			gil.drop_requests++;
		}
	}
	gil.locked = 1;
	if (gil.holder >= 0 && gil.holder != (int64_t)me)
		gil.handoffs++;
	gil.holder = me;
	gil.switch_number++;
	pthread_cond_signal(&gil.switch_cond);
	__atomic_store_n(&gil.drop_request, 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&gil.mutex);
}

void gil_drop(uint64_t me, int forced)
{
	pthread_mutex_lock(&gil.mutex);
	gil.locked = 0;
	pthread_cond_signal(&gil.cond);
	/*
	 * CPython's FORCE_SWITCHING: the thread asked to let go must not take
	 * the lock straight back, which it would (it is running, the waiter
	 * still has to be woken), so it waits until someone else has it.
	 */
	if (forced)
		while (gil.holder == (int64_t)me)
			pthread_cond_wait(&gil.switch_cond, &gil.mutex);
	pthread_mutex_unlock(&gil.mutex);
}

void gil_result(void)
{
	wl_result_u64("gil_handoffs", gil.handoffs);
	wl_result_u64("gil_waits", gil.waits);
	wl_result_u64("gil_drop_requests", gil.drop_requests);
	wl_result_u64("gil_switch_interval_ms", gil.interval_ns / 1000000);
}
