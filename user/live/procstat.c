// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <unistd.h>
#include "live/procstat.h"

uint64_t procstat_steal_ns(void)
{
	unsigned long long v[8] = {};
	long hz = sysconf(_SC_CLK_TCK);
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (!f)
		return 0;
	/* cpu  user nice system idle iowait irq softirq steal ... */
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1],
		   &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	return n == 8 && hz > 0 ? v[7] * (1000000000ull / hz) : 0;
}

uint64_t procstat_runtime_ns(uint32_t tgid, uint32_t tid)
{
	unsigned long long ns = 0;
	char path[64];
	FILE *f;

	/* schedstat: on-CPU ns, run-queue ns, slices (CONFIG_SCHED_INFO) */
	snprintf(path, sizeof(path), "/proc/%u/task/%u/schedstat", tgid, tid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%llu", &ns) != 1)
		ns = 0;
	fclose(f);
	return ns;
}
