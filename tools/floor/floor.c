// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * floor PROG...: attach the named programs of floor.bpf.c, print "ready",
 * hold them until SIGINT or SIGTERM. A contender of make bench.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "floor.skel.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int wanted(const char *name, int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct floor_bpf *skel;
	struct bpf_program *prog;
	int n = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: floor PROG... (programs of floor.bpf.c)\n");
		return 64;
	}
	skel = floor_bpf__open();
	if (!skel) {
		perror("floor: open");
		return 1;
	}
	bpf_object__for_each_program(prog, skel->obj) {
		int on = wanted(bpf_program__name(prog), argc, argv);

		bpf_program__set_autoload(prog, on);
		n += on;
	}
	if (n != argc - 1) {
		fprintf(stderr, "floor: unknown program among the arguments\n");
		floor_bpf__destroy(skel);
		return 64;
	}
	if (floor_bpf__load(skel) || floor_bpf__attach(skel)) {
		fprintf(stderr, "floor: cannot load or attach the programs\n");
		floor_bpf__destroy(skel);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("ready\n");
	fflush(stdout);
	while (!stop)
		pause();
	floor_bpf__destroy(skel);
	return 0;
}
