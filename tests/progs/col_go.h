/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The handshake of the col_* programs that make a burst at a moment the
 * test chooses: DIR/ready when started, wait for DIR/go, DIR/done after.
 */
#ifndef COL_GO_H
#define COL_GO_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void touch(const char *dir, const char *name)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	close(open(p, O_CREAT | O_WRONLY, 0644));
}

/* DIR/ready, then until DIR/go: 0, or -1 after 20 s (the test is gone) */
static int ready_wait_go(const char *dir)
{
	struct timespec ms = { 0, 1000000 };
	char go[4096];

	snprintf(go, sizeof(go), "%s/go", dir);
	touch(dir, "ready");
	for (int i = 0; access(go, F_OK); i++) {
		if (i > 20000)
			return -1;
		nanosleep(&ms, NULL);
	}
	return 0;
}

/*
 * The arguments every one of them takes, DIR N: N into *n, then the
 * handshake. 0, or the exit code: 2 bad arguments, 3 no go in time.
 */
static int col_start(int argc, char **argv, long *n)
{
	if (argc != 3)
		return 2;
	*n = atol(argv[2]);
	return ready_wait_go(argv[1]) ? 3 : 0;
}

#endif
