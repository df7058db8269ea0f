// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * col_migrate MOVES: a witness for the migrations column. Pins itself to
 * CPU 0, 1, 0, 1, ... (MOVES times; each pin to the other CPU forces a
 * migration), spins a little on each, then prints the kernel's own count
 * of its migrations (se.nr_migrations of /proc/self/sched, 0 at fork) as
 * "forced=N nr_migrations=K". Pinned to one CPU when it reads, it cannot
 * migrate again before it exits. Exit 2 without two CPUs or the field.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "col_pin.h"

static void spin_ms(int ms)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	do
		clock_gettime(CLOCK_MONOTONIC, &b);
	while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

int main(int argc, char **argv)
{
	int moves = argc > 1 ? atoi(argv[1]) : 6, forced = 0, cur;
	char line[256];
	long long k = -1;
	FILE *f;

	cur = sched_getcpu();
	for (int i = 0; i < moves; i++) {
		int to = i % 2;

		pin(to);
		if (sched_getcpu() != to) {
			fprintf(stderr, "col_migrate: not on cpu %d after pinning\n", to);
			return 2;
		}
		forced += cur != to;
		cur = to;
		spin_ms(2);
	}
	f = fopen("/proc/self/sched", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "se.nr_migrations", 16))
			k = atoll(strchr(line, ':') + 1);
	if (k < 0)
		return 2;
	printf("forced=%d nr_migrations=%lld\n", forced, k);
	return 0;
}
