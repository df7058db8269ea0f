/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_QUIET_H
#define TRACER_QUIET_H

#include <pthread.h>

/*
 * A helper thread that takes no signal: tracer's signals (launch.c) must
 * reach the main thread, whose wait they interrupt (a signal a reader
 * thread took left the command running). pthread_create's error.
 */
int quiet_thread(pthread_t *t, void *(*fn)(void *), void *arg);

#endif
