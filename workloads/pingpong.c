// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * pingpong: two units hand a token back and forth; each hand-off forces the
 * receiver to be woken and the sender to wait, so a round trip is two
 * hand-offs and (at least) two context switches. The IPC calls alone, with
 * no switch, are timed first in the same run (as lmbench does) so the
 * switch-only share of a hand-off can be shown.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "wl_common.h"

enum unit { UNIT_PROCESS, UNIT_THREAD };
enum ipc { IPC_FUTEX, IPC_PIPE };
static const char *const unit_names[] = { "process", "thread", NULL };
static const char *const ipc_names[] = { "futex", "pipe", NULL };

static struct {
	enum unit unit;
	enum ipc ipc;
	enum wl_cpus cpus;
	uint64_t rounds;
} opt = { UNIT_THREAD, IPC_FUTEX, WL_CPUS_SAME, 150000 };

static int cpu_a, cpu_b;		/* chosen before either is pinned */

static int *turn;		/* futex word: 0 = A's turn, 1 = B's turn */
static int futex_flags;		/* FUTEX_PRIVATE_FLAG for threads */
static int a2b[2], b2a[2];	/* pipes */

static long futex(int *uaddr, int op, int val)
{
	return syscall(SYS_futex, uaddr, op | futex_flags, val, NULL, NULL, 0);
}

/* Wait until *turn == want, then hand the turn to the other side. */
static void futex_handoff(int want)
{
	while (__atomic_load_n(turn, __ATOMIC_ACQUIRE) != want)
		if (futex(turn, FUTEX_WAIT, !want) && errno != EAGAIN && errno != EINTR)
			wl_die("futex wait");
	__atomic_store_n(turn, !want, __ATOMIC_RELEASE);
	if (futex(turn, FUTEX_WAKE, 1) < 0)
		wl_die("futex wake");
}

static void pipe_xfer(int rfd, int wfd, int read_first)
{
	char c = 0;

	if (read_first && read(rfd, &c, 1) != 1)
		wl_die("pipe read");
	if (write(wfd, &c, 1) != 1)
		wl_die("pipe write");
	if (!read_first && read(rfd, &c, 1) != 1)
		wl_die("pipe read");
}

static void party_b(void)
{
	wl_pin_self(cpu_b);
	for (uint64_t i = 0; i < opt.rounds; i++) {
		if (opt.ipc == IPC_FUTEX)
			futex_handoff(1);
		else
			pipe_xfer(a2b[0], b2a[1], 1);
	}
}

static void *thread_b(void *arg)
{
	(void)arg;
	party_b();
	return NULL;
}

/* Per hand-off cost of the IPC calls alone: one side's wake + wait, no switch. */
static double ipc_only_ns(void)
{
	uint64_t n = opt.rounds < 100000 ? opt.rounds : 100000, t0;
	int word = 0, p[2];
	char c = 0;

	if (opt.ipc == IPC_PIPE && pipe(p))
		wl_die("pipe");
	t0 = wl_now_ns();
	for (uint64_t i = 0; i < n; i++) {
		if (opt.ipc == IPC_FUTEX) {
			futex(&word, FUTEX_WAKE, 1);	 /* nobody waits */
			futex(&word, FUTEX_WAIT, 1);	 /* EAGAIN at once */
		} else if (write(p[1], &c, 1) != 1 || read(p[0], &c, 1) != 1) {
			wl_die("pipe");
		}
	}
	t0 = wl_now_ns() - t0;
	if (opt.ipc == IPC_PIPE) {
		close(p[0]);
		close(p[1]);
	}
	return (double)t0 / n;
}

static void usage(void)
{
	printf("usage: pingpong [--unit process|thread] [--ipc futex|pipe]\n"
	       "                [--cpus same|cross|any] [--rounds N]\n"
	       "Two units hand a token back and forth N times (default 150000).\n"
	       "  --unit   process: fork, shared-memory futex; thread: pthreads (default)\n"
	       "  --ipc    futex (default) or a pair of pipes\n"
	       "  --cpus   same: both pinned to one CPU (default); cross: two CPUs;\n"
	       "           any: the scheduler places them\n"
	       "Result: ns per round trip, per hand-off, the IPC calls alone and the\n"
	       "switch-only remainder, plus the kernel's switch counters (getrusage).\n");
}

static void parse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "ipc", required_argument, NULL, 'i' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "rounds", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'u': opt.unit = wl_parse_choice("--unit", optarg, unit_names); break;
		case 'i': opt.ipc = wl_parse_choice("--ipc", optarg, ipc_names); break;
		case 'c': opt.cpus = wl_parse_choice("--cpus", optarg, wl_cpus_names); break;
		case 'n': opt.rounds = wl_parse_u64("--rounds", optarg, 1, 1000000000); break;
		case 'h': usage(); exit(0);
		default: wl_bad_option(c, argv);
		}
	}
	if (optind < argc)
		wl_usage_error("unexpected argument '%s'", argv[optind]);
}

int main(int argc, char **argv)
{
	uint64_t t0, wall;
	double ipc_ns, rt_ns;
	pthread_t tid;
	pid_t pid = 0;
	int status;

	wl_name = "pingpong";
	parse(argc, argv);

	turn = mmap(NULL, sizeof(*turn), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (turn == MAP_FAILED)
		wl_die("mmap");
	futex_flags = opt.unit == UNIT_THREAD ? FUTEX_PRIVATE_FLAG : 0;
	if (opt.ipc == IPC_PIPE && (pipe(a2b) || pipe(b2a)))
		wl_die("pipe");
	cpu_a = wl_cpu_for(opt.cpus, 0);
	cpu_b = wl_cpu_for(opt.cpus, 1);
	wl_pin_self(cpu_a);
	ipc_ns = ipc_only_ns();

	t0 = wl_now_ns();
	if (opt.unit == UNIT_THREAD) {
		if ((errno = pthread_create(&tid, NULL, thread_b, NULL)))
			wl_die("pthread_create");
	} else {
		pid = fork();
		if (pid < 0)
			wl_die("fork");
		if (pid == 0) {
			party_b();
			_exit(0);
		}
	}
	for (uint64_t i = 0; i < opt.rounds; i++) {
		if (opt.ipc == IPC_FUTEX)
			futex_handoff(0);
		else
			pipe_xfer(b2a[0], a2b[1], 0);
	}
	if (opt.ipc == IPC_FUTEX)	/* B's last hand-off set turn to 0: done */
		while (__atomic_load_n(turn, __ATOMIC_ACQUIRE) != 0)
			futex(turn, FUTEX_WAIT, 1);
	wall = wl_now_ns() - t0;

	if (opt.unit == UNIT_THREAD) {
		pthread_join(tid, NULL);
	} else if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		   WEXITSTATUS(status)) {
		fprintf(stderr, "pingpong: partner process failed\n");
		return 1;
	}

	rt_ns = (double)wall / opt.rounds;
	wl_result_begin();
	wl_result_str("unit", unit_names[opt.unit]);
	wl_result_str("ipc", ipc_names[opt.ipc]);
	wl_result_str("cpus", wl_cpus_names[opt.cpus]);
	wl_result_u64("round_trips", opt.rounds);
	wl_result_f("wall_ms", wall / 1e6);
	wl_result_f("round_trip_ns", rt_ns);
	wl_result_f("handoff_ns", rt_ns / 2);
	wl_result_f("ipc_only_ns", ipc_ns);
	wl_result_f("switch_only_ns", rt_ns / 2 - ipc_ns);
	wl_result_ctxsw();
	wl_result_end();
	return 0;
}
