// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * col_threads DIR N: creates DIR/ready, waits for DIR/go, then starts and
 * joins N threads one at a time (each returns at once), then creates
 * DIR/done. Prints "threads=T failed=F". A burst of task ends made at a
 * moment the test chooses (while tracer's reader is stopped).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "col_go.h"

static void *nothing(void *arg)
{
	return arg;
}

int main(int argc, char **argv)
{
	long n, made = 0, failed = 0;
	int rc = col_start(argc, argv, &n);

	if (rc)
		return rc;
	for (long i = 0; i < n; i++) {
		pthread_t t;

		if (pthread_create(&t, NULL, nothing, NULL)) {
			failed++;
			continue;
		}
		pthread_join(t, NULL);
		made++;
	}
	touch(argv[1], "done");
	printf("threads=%ld failed=%ld\n", made, failed);
	return 0;
}
