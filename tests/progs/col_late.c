// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * col_late DIR N: a thread B, made at once; B creates DIR/ready, waits for
 * DIR/go, then makes N threads of its own, creates DIR/done, and sleeps
 * with them until the process is killed. Threads made at a moment the test
 * chooses by a thread that is not the leader (as -p lists a process's
 * threads and registers them one by one).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "col_go.h"

static int argc_;
static char **argv_;

static void *sleeper(void *arg)
{
	for (;;)
		pause();
	return arg;
}

static void *maker(void *arg)
{
	long n;
	int rc = col_start(argc_, argv_, &n);

	if (rc)
		exit(rc);
	for (long i = 0; i < n; i++) {
		pthread_t t;

		if (pthread_create(&t, NULL, sleeper, NULL))
			exit(4);
	}
	touch(argv_[1], "done");
	return sleeper(arg);
}

int main(int argc, char **argv)
{
	pthread_t b;

	argc_ = argc;
	argv_ = argv;
	if (pthread_create(&b, NULL, maker, NULL))
		return 4;
	for (;;)
		pause();
}
