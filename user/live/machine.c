// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* What a figure was measured on: kernel, CPUs, model, VM or not, memory. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include "live/machine.h"

int machine_describe(char *buf, size_t len)
{
	char line[4096], model[128] = "", *p;
	struct utsname u;
	struct sysinfo si;
	cpu_set_t set;
	int vm = 0, ncpu;
	FILE *f;

	ncpu = sched_getaffinity(0, sizeof(set), &set) ? 1 : CPU_COUNT(&set);
	f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (!*model && !strncmp(line, "model name", 10) && (p = strchr(line, ':'))) {
			snprintf(model, sizeof(model), "%s", p + 2);
			model[strcspn(model, "\n")] = '\0';
		}
		if (!strncmp(line, "flags", 5) && strstr(line, " hypervisor"))
			vm = 1;
	}
	if (f)
		fclose(f);
	uname(&u);
	sysinfo(&si);
	snprintf(buf, len, "%s %s %s, %d CPUs%s%s%s%s, %.1f GiB RAM", u.sysname, u.release,
		 u.machine, ncpu, *model ? " (" : "", model, *model ? ")" : "",
		 vm ? ", virtual machine" : "",
		 (double)si.totalram * si.mem_unit / (1024.0 * 1024 * 1024));
	return ncpu;
}
