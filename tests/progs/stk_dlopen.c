// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * stk_dlopen LIB N [spin]: wait once (tracer reads its mappings then), then
 * load LIB and wait N times inside it: code mapped after the mappings were
 * read. With spin, no wait first: it runs until preempted once (another
 * task on its CPU: tracer's first note of it is a preemption's).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>

/* Run until the kernel has taken the CPU from this thread once; 0, or -1 after 10 s */
static int spin_until_preempted(void)
{
	time_t until = time(NULL) + 10;
	struct rusage ru;

	do {
		for (volatile int i = 0; i < 100000; i++)
			;
		if (getrusage(RUSAGE_THREAD, &ru))
			return -1;
	} while (!ru.ru_nivcsw && time(NULL) < until);
	return ru.ru_nivcsw ? 0 : -1;
}

int main(int argc, char **argv)
{
	void (*lib_wait)(int);
	void *h;

	if (argc < 3)
		return 2;
	if (argc > 3 && !strcmp(argv[3], "spin")) {
		if (spin_until_preempted()) {
			fprintf(stderr, "stk_dlopen: never preempted in 10 s\n");
			return 3;
		}
	} else {
		usleep(20000);
	}
	h = dlopen(argv[1], RTLD_NOW);
	lib_wait = h ? (void (*)(int))dlsym(h, "lib_wait") : NULL;
	if (!lib_wait) {
		fprintf(stderr, "stk_dlopen: %s\n", dlerror());
		return 1;
	}
	lib_wait(atoi(argv[2]));
	return 0;
}
