// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * col_burst DIR N: creates DIR/ready, waits for DIR/go, then makes N
 * FUTEX_WAKE calls on a word nobody waits on (N futex events, no switch),
 * then creates DIR/done. Prints "calls=N woken=W". A burst of events made
 * at a moment the test chooses (while the reader is stopped).
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include "col_go.h"

int main(int argc, char **argv)
{
	long n, calls = 0, woken = 0;
	int word = 0;
	int rc = col_start(argc, argv, &n);

	if (rc)
		return rc;
	for (long i = 0; i < n; i++) {
		long r = syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);

		calls++;
		woken += r > 0 ? r : 0;
	}
	touch(argv[1], "done");
	printf("calls=%ld woken=%ld\n", calls, woken);
	return 0;
}
