// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* col_spin SECONDS: spin on the CPU until SECONDS of wall time have passed. */
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	double s = argc > 1 ? atof(argv[1]) : 1, t0, t;
	struct timespec ts;
	volatile unsigned long x = 0;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	t0 = ts.tv_sec + ts.tv_nsec / 1e9;
	do {
		for (int i = 0; i < 10000; i++)
			x++;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		t = ts.tv_sec + ts.tv_nsec / 1e9;
	} while (t - t0 < s);
	return 0;
}
