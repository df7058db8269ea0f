// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Helper threads that take no signal (quiet.h). */
#include <signal.h>
#include "core/quiet.h"

int quiet_thread(pthread_t *t, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int err;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);	/* the new thread's mask */
	err = pthread_create(t, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return err;
}
