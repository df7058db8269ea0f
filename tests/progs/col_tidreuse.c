// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * col_tidreuse R: R times, forks a child that exits, reaps it, and then
 * creates a second child with the very pid the first had (clone3 with
 * set_tid: needs CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE; no global
 * setting is touched), which exits too. Prints "children=C reused=K
 * failed=F errno=E": K pids served two traced processes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 10, children = 0, reused = 0,
	    failed = 0, err = 0;

	for (int i = 0; i < rounds; i++) {
		pid_t first = fork(), second;
		pid_t want;

		if (first < 0)
			return 2;
		if (!first)
			_exit(0);
		children++;
		if (waitpid(first, NULL, 0) != first)
			return 2;
		want = first;
		struct clone_args ca;

		memset(&ca, 0, sizeof(ca));
		ca.exit_signal = SIGCHLD;
		ca.set_tid = (uint64_t)(uintptr_t)&want;
		ca.set_tid_size = 1;
		second = syscall(SYS_clone3, &ca, sizeof(ca));
		if (second < 0) {
			failed++;
			err = errno;
			continue;
		}
		if (!second)
			_exit(0);
		children++;
		reused += second == first;
		if (waitpid(second, NULL, 0) != second)
			return 2;
	}
	printf("children=%d reused=%d failed=%d errno=%d\n", children, reused, failed, err);
	return 0;
}
