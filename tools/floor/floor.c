// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * floor PROG...: attach the named programs of floor.bpf.c, print "ready",
 * hold them until SIGINT or SIGTERM, then say on stderr what the two
 * designs' programs did (tests check that they did their work). A
 * contender of make bench.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <stdlib.h>
#include <bpf/libbpf.h>
#include "floor.skel.h"
#include "../../bpf/events.h"

struct cpu_min_u { struct hist off, wake[2]; };	/* floor.bpf.c's struct cpu_min */

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

static __u64 hist_count(const struct hist *h)
{
	__u64 n = 0;

	for (int i = 0; i < HIST_SLOTS; i++)
		n += h->slots[i];
	return n;
}

/* The switch-ins put in the histograms (those with a waking) and the records */
static void say_work(struct floor_bpf *skel)
{
	int ncpu = libbpf_num_possible_cpus();
	size_t msz = (sizeof(struct cpu_min_u) + 7) & ~7ul;
	size_t rsz = bpf_map__value_size(skel->maps.recs);
	__u64 off = 0, woken = 0, recs = 0;
	__u32 zero = 0;
	char *m, *r;

	m = ncpu > 0 ? calloc(ncpu, msz) : NULL;
	r = ncpu > 0 ? calloc(ncpu, rsz) : NULL;
	if (m && !bpf_map__lookup_elem(skel->maps.cpu_mins, &zero, 4, m, ncpu * msz, 0))
		for (int i = 0; i < ncpu; i++) {
			struct cpu_min_u *c = (void *)(m + i * msz);

			off += hist_count(&c->off);
			woken += hist_count(&c->wake[0]) + hist_count(&c->wake[1]);
		}
	if (r && !bpf_map__lookup_elem(skel->maps.recs, &zero, 4, r, ncpu * rsz, 0))
		for (int i = 0; i < ncpu; i++)
			recs += *(__u64 *)(r + i * rsz);	/* head: records made */
	fprintf(stderr, "floor: per task: %llu switch-ins, %llu after a waking; records: %llu\n",
		(unsigned long long)off, (unsigned long long)woken, (unsigned long long)recs);
	free(m);
	free(r);
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
	floor_bpf__detach(skel);
	for (int i = 1; i < argc; i++)
		if (strstr(argv[i], "_per_task") || strstr(argv[i], "_record")) {
			say_work(skel);
			break;
		}
	floor_bpf__destroy(skel);
	return 0;
}
