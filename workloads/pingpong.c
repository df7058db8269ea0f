// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * pingpong: two units hand a token back and forth; each hand-off forces the
 * receiver to be woken and the sender to wait, so a round trip is two
 * hand-offs and (at least) two context switches. The IPC calls alone, with
 * no switch, are timed first in the same run (as lmbench does) so the
 * switch-only share of a hand-off can be shown.
 *
 * Coroutines hand the token over by a user-space switch in one thread: no
 * IPC, no system call (with the asm switch), no kernel context switch.
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
#include <sys/prctl.h>
#include "wl_common.h"
#include "wl_coro.h"

enum unit { UNIT_PROCESS, UNIT_THREAD, UNIT_COROUTINE };
enum ipc { IPC_FUTEX, IPC_PIPE };
static const char *const unit_names[] = { "process", "thread", "coroutine", NULL };
static const char *const ipc_names[] = { "futex", "pipe", NULL };

#define ROUNDS_KERNEL	150000		/* about a second same-CPU */
#define ROUNDS_CORO	10000000	/* about 0.1 s with the asm switch */
#define ROUNDS_UCONTEXT	1000000		/* about 0.7 s with swapcontext */

static struct {
	enum unit unit;
	enum ipc ipc;
	enum wl_cpus cpus;
	enum coro_impl impl;
	uint64_t rounds;		/* 0: the unit's default */
	uint64_t touch_kib;		/* working set each side reads per hand-off */
} opt = { UNIT_THREAD, IPC_FUTEX, WL_CPUS_SAME, CORO_ASM, 0, 0 };

static int cpu_a, cpu_b;		/* chosen before either is pinned */

/*
 * Each side counts its own futex calls and their results, the witness a
 * tracer's futex figures are checked against (one cache line per side, in
 * memory shared with a partner process).
 */
struct futex_count {
	uint64_t wait, woken, eagain, eintr;	/* FUTEX_WAIT calls, by result */
	uint64_t wake, wake_woke;		/* FUTEX_WAKE calls, tasks woken */
} __attribute__((aligned(64)));

static struct shared {
	int turn;			/* futex word: 0 = A's turn, 1 = B's turn */
	int ipc_word;			/* ipc_only_ns(): in the same mapping as turn */
	struct futex_count side[2];	/* A (the main task), B */
} *sh;
static int *turn;
static __thread int me;		/* the side this task counts as */
static int futex_flags;		/* FUTEX_PRIVATE_FLAG for threads */
static int a2b[2], b2a[2];	/* pipes */

/*
 * --touch-kib: each side's own working set, one read per 4 KiB page each
 * time it holds the turn: a TLB entry per page, which a switch between
 * processes may flush (no PCID) and one between threads never does.
 */
static char *ws[2];
static volatile char ws_sink;

static void touch(void)
{
	const volatile char *p = ws[me];
	char acc = 0;

	for (uint64_t off = 0; p && off < opt.touch_kib << 10; off += 4096)
		acc ^= p[off];
	ws_sink = acc;
}

static long futex(int *uaddr, int op, int val)
{
	struct futex_count *c = &sh->side[me];
	long ret = syscall(SYS_futex, uaddr, op | futex_flags, val, NULL, NULL, 0);

	if (op == FUTEX_WAKE) {
		c->wake++;
		c->wake_woke += ret > 0 ? ret : 0;
	} else {
		c->wait++;
		c->woken += ret == 0;
		c->eagain += ret < 0 && errno == EAGAIN;
		c->eintr += ret < 0 && errno == EINTR;
	}
	return ret;
}

/* Wait until *turn == want, then hand the turn to the other side. */
static void futex_handoff(int want)
{
	while (__atomic_load_n(turn, __ATOMIC_ACQUIRE) != want)
		if (futex(turn, FUTEX_WAIT, !want) && errno != EAGAIN && errno != EINTR)
			wl_die("futex wait");
	touch();
	__atomic_store_n(turn, !want, __ATOMIC_RELEASE);
	if (futex(turn, FUTEX_WAKE, 1) < 0)
		wl_die("futex wake");
}

static void pipe_xfer(int rfd, int wfd, int read_first)
{
	char c = 0;

	if (read_first && read(rfd, &c, 1) != 1)
		wl_die("pipe read");
	if (read_first)
		touch();
	if (write(wfd, &c, 1) != 1)
		wl_die("pipe write");
	if (!read_first && read(rfd, &c, 1) != 1)
		wl_die("pipe read");
	if (!read_first)
		touch();
}

static void party_b(void)
{
	me = 1;
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

/*
 * Per hand-off cost of the IPC calls alone: one side's wake + wait, no
 * switch, on a word of the same shared mapping with the same flags as the
 * hand-off's (a shared futex of processes costs more to find than a private one).
 */
static double ipc_only_ns(void)
{
	uint64_t n = opt.rounds < 100000 ? opt.rounds : 100000, t0;
	int *word = &sh->ipc_word, p[2];
	char c = 0;

	if (opt.ipc == IPC_PIPE && pipe(p))
		wl_die("pipe");
	t0 = wl_now_ns();
	for (uint64_t i = 0; i < n; i++) {
		if (opt.ipc == IPC_FUTEX) {
			futex(word, FUTEX_WAKE, 1);	 /* nobody waits */
			futex(word, FUTEX_WAIT, 1);	 /* EAGAIN at once */
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

static struct coro *co_a, *co_b;
static uint64_t token;		/* both sides count: 2 per round trip */

static void coro_party_a(void *arg)
{
	(void)arg;
	for (uint64_t i = 0; i < opt.rounds; i++) {
		token++;
		coro_switch(co_b);
	}
}

static void coro_party_b(void *arg)
{
	(void)arg;
	for (;;) {
		token++;
		coro_switch(co_a);
	}
}

/* The wall time of the coroutine ping-pong; the thread is pinned already. */
static uint64_t coro_pingpong(void)
{
	uint64_t t0;

	coro_init(opt.impl);
	co_a = coro_create(coro_party_a, NULL, CORO_STACK_DEFAULT);
	co_b = coro_create(coro_party_b, NULL, CORO_STACK_DEFAULT);
	if (!co_a || !co_b)
		wl_die("coroutine stack");
	t0 = wl_now_ns();
	coro_switch(co_a);	/* back here when A has done its rounds */
	t0 = wl_now_ns() - t0;
	if (!coro_done(co_a) || token != 2 * opt.rounds) {
		fprintf(stderr, "pingpong: token count %llu, expected %llu\n",
			(unsigned long long)token, 2ull * opt.rounds);
		exit(1);
	}
	coro_free(co_a);
	coro_free(co_b);
	return t0;
}

static void usage(void)
{
	printf("usage: pingpong [--unit process|thread|coroutine] [--ipc futex|pipe]\n"
	       "                [--cpus same|cross|any] [--impl asm|ucontext] [--rounds N]\n"
	       "                [--touch-kib N]\n"
	       "Two units hand a token back and forth N times (default %d for\n"
	       "processes and threads, %d for coroutines, %d with ucontext).\n"
	       "  --unit   process: fork, shared-memory futex; thread: pthreads (default);\n"
	       "           coroutine: two coroutines in one thread, user-space switch\n"
	       "  --ipc    futex (default) or a pair of pipes; not for coroutines\n"
	       "  --cpus   same: both pinned to one CPU (default); cross: two CPUs;\n"
	       "           any: the scheduler places them; coroutines: same or any\n"
	       "  --impl   coroutine switch: asm (ours, default) or ucontext (glibc\n"
	       "           swapcontext, which makes a system call per switch)\n"
	       "  --touch-kib  each side reads one byte of every page of its own N KiB\n"
	       "           each time it has the turn: a working set for the TLB\n"
	       "Result: ns per round trip, per hand-off, the IPC calls alone and the\n"
	       "switch-only remainder, plus the kernel's switch counters (getrusage).\n",
	       ROUNDS_KERNEL, ROUNDS_CORO, ROUNDS_UCONTEXT);
}

static void parse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "ipc", required_argument, NULL, 'i' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "impl", required_argument, NULL, 'm' },
		{ "rounds", required_argument, NULL, 'n' },
		{ "touch-kib", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int c, ipc_set = 0, impl_set = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'u': opt.unit = wl_parse_choice("--unit", optarg, unit_names); break;
		case 'i':
			opt.ipc = wl_parse_choice("--ipc", optarg, ipc_names);
			ipc_set = 1;
			break;
		case 'm':
			opt.impl = wl_parse_choice("--impl", optarg, coro_impl_names);
			impl_set = 1;
			break;
		case 'c': opt.cpus = wl_parse_choice("--cpus", optarg, wl_cpus_names); break;
		case 'n': opt.rounds = wl_parse_u64("--rounds", optarg, 1, 1000000000); break;
		case 't': opt.touch_kib = wl_parse_u64("--touch-kib", optarg, 0, 1 << 20); break;
		case 'h': usage(); exit(0);
		default: wl_bad_option(c, argv);
		}
	}
	if (optind < argc)
		wl_usage_error("unexpected argument '%s'", argv[optind]);
	if (opt.unit == UNIT_COROUTINE && ipc_set)
		wl_usage_error("--ipc: coroutines hand over without IPC");
	if (opt.unit == UNIT_COROUTINE && opt.cpus == WL_CPUS_CROSS)
		wl_usage_error("--cpus cross: coroutines share one thread");
	if (opt.unit != UNIT_COROUTINE && impl_set)
		wl_usage_error("--impl applies to --unit coroutine only");
	if (opt.unit == UNIT_COROUTINE && opt.touch_kib)
		wl_usage_error("--touch-kib: for processes and threads");
	if (!opt.rounds && opt.unit != UNIT_COROUTINE)
		opt.rounds = ROUNDS_KERNEL;
	else if (!opt.rounds)
		opt.rounds = opt.impl == CORO_ASM ? ROUNDS_CORO : ROUNDS_UCONTEXT;
}

/* The wall time of the thread or process ping-pong; *ipc_ns: the IPC alone. */
static uint64_t kernel_pingpong(double *ipc_ns)
{
	uint64_t t0, wall;
	pthread_t tid;
	pid_t pid = 0;
	int status;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		wl_die("mmap");
	turn = &sh->turn;
	futex_flags = opt.unit == UNIT_THREAD ? FUTEX_PRIVATE_FLAG : 0;
	for (int i = 0; opt.touch_kib && i < 2; i++) {
		ws[i] = malloc(opt.touch_kib << 10);
		if (!ws[i])
			wl_die("malloc");
		memset(ws[i], i + 1, opt.touch_kib << 10);	/* resident before the clock */
	}
	if (opt.ipc == IPC_PIPE && (pipe(a2b) || pipe(b2a)))
		wl_die("pipe");
	cpu_a = wl_cpu_for(opt.cpus, 0);
	cpu_b = wl_cpu_for(opt.cpus, 1);
	wl_pin_self(cpu_a);
	*ipc_ns = ipc_only_ns();

	t0 = wl_now_ns();
	if (opt.unit == UNIT_THREAD) {
		if ((errno = pthread_create(&tid, NULL, thread_b, NULL)))
			wl_die("pthread_create");
	} else {
		pid_t parent = getpid();

		pid = fork();
		if (pid < 0)
			wl_die("fork");
		if (pid == 0) {
			/* party A killed: B would wait for its turn for good */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(1);
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
		exit(1);
	}
	return wall;
}

int main(int argc, char **argv)
{
	int coro;
	double ipc_ns = 0, rt_ns;
	uint64_t wall;

	wl_name = "pingpong";
	parse(argc, argv);
	coro = opt.unit == UNIT_COROUTINE;
	if (coro) {
		wl_pin_self(wl_cpu_for(opt.cpus, 0));
		wall = coro_pingpong();
	} else {
		wall = kernel_pingpong(&ipc_ns);
	}

	rt_ns = (double)wall / opt.rounds;
	wl_result_begin();
	wl_result_str("unit", unit_names[opt.unit]);
	wl_result_str("ipc", coro ? "none" : ipc_names[opt.ipc]);
	wl_result_str("cpus", wl_cpus_names[opt.cpus]);
	if (coro)
		wl_result_str("impl", coro_impl_names[opt.impl]);
	wl_result_u64("round_trips", opt.rounds);
	wl_result_f("wall_ms", wall / 1e6);
	wl_result_f("round_trip_ns", rt_ns);
	wl_result_f("handoff_ns", rt_ns / 2);
	wl_result_f("ipc_only_ns", ipc_ns);
	wl_result_f("switch_only_ns", rt_ns / 2 - ipc_ns);
	wl_result_f("ns_per_switch", rt_ns / 2);	/* one switch per hand-off */
	if (opt.touch_kib)
		wl_result_u64("touch_kib", opt.touch_kib);
	if (!coro && opt.ipc == IPC_FUTEX) {
		struct futex_count *a = &sh->side[0], *b = &sh->side[1];

		wl_result_u64("futex_wait_calls", a->wait + b->wait);
		wl_result_u64("futex_wait_woken", a->woken + b->woken);
		wl_result_u64("futex_wait_eagain", a->eagain + b->eagain);
		wl_result_u64("futex_wait_eintr", a->eintr + b->eintr);
		wl_result_u64("futex_wake_calls", a->wake + b->wake);
		wl_result_u64("futex_wake_woke", a->wake_woke + b->wake_woke);
	}
	wl_result_ctxsw();
	wl_result_end();
	return 0;
}
