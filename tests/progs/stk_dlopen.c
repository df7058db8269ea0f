// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * stk_dlopen LIB N: wait once (tracer reads its mappings then), then load
 * LIB and wait N times inside it: code mapped after the mappings were read.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	void (*lib_wait)(int);
	void *h;

	if (argc < 3)
		return 2;
	usleep(20000);
	h = dlopen(argv[1], RTLD_NOW);
	lib_wait = h ? (void (*)(int))dlsym(h, "lib_wait") : NULL;
	if (!lib_wait) {
		fprintf(stderr, "stk_dlopen: %s\n", dlerror());
		return 1;
	}
	lib_wait(atoi(argv[2]));
	return 0;
}
