// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * spawn: create N processes, threads or coroutines, each parking until all
 * exist, measure what they cost in time and memory while all are alive,
 * then release them all and wait for every one to end.
 *
 * Processes and threads report "parked" with a byte on a ready pipe and park
 * in read() on a release pipe: closing its write end wakes them all with
 * EOF, and if this program dies the kernel closes it for us, so no unit can
 * outlive the run. Coroutines park in the scheduler and are resumed to end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "wl_common.h"
#include "wl_coro.h"

enum unit { UNIT_PROCESS, UNIT_THREAD, UNIT_COROUTINE };
static const char *const unit_names[] = { "process", "thread", "coroutine", NULL };

static struct {
	enum unit unit;
	uint64_t count;
	uint64_t max;		/* --until-limit bound; 0: the unit's default */
	uint64_t stack_kib;	/* 0: the unit's default */
	int exec;
	int until_limit;
	enum coro_impl impl;
} opt = { UNIT_THREAD, 1000, 0, 0, 0, 0, CORO_ASM };

static int release[2], ready[2];	/* pipes */
static pthread_attr_t thread_attr;
static char *exec_argv[5];		/* --exec: this program, parked */
static void *stack_lo;			/* the first unit's stack */
static size_t stack_len;

struct mem {
	uint64_t rss_kib, vsz_kib, pss_kib;
};

union unit_ref {
	pid_t pid;
	pthread_t tid;
	struct coro *co;
};

/* A process or thread: report, then park until the release pipe closes. */
static void park(int release_fd, int ready_fd)
{
	char c = 0;

	if (write(ready_fd, &c, 1) != 1)
		_exit(1);
	while (read(release_fd, &c, 1) < 0 && errno == EINTR)
		;
}

static void *thread_unit(void *first)
{
	pthread_attr_t attr;

	if (first && !pthread_getattr_np(pthread_self(), &attr)) {
		pthread_attr_getstack(&attr, &stack_lo, &stack_len);
		pthread_attr_destroy(&attr);
	}
	park(release[0], ready[1]);
	return NULL;
}

static void coro_unit(void *arg)
{
	(void)arg;
	coro_park();
}

/* Create unit i; 0, or an errno value (EAGAIN and ENOMEM mean "refused"). */
static int create(uint64_t i, union unit_ref *u)
{
	switch (opt.unit) {
	case UNIT_PROCESS:
		u->pid = fork();
		if (u->pid < 0)
			return errno;
		if (u->pid == 0) {
			close(release[1]);
			if (opt.exec) {
				execv("/proc/self/exe", exec_argv);
				_exit(127);
			}
			park(release[0], ready[1]);
			_exit(0);
		}
		return 0;
	case UNIT_THREAD:
		return pthread_create(&u->tid, &thread_attr, thread_unit, (void *)(uintptr_t)!i);
	case UNIT_COROUTINE:
		u->co = coro_create(coro_unit, NULL, opt.stack_kib * 1024);
		if (!u->co)
			return errno;
		coro_switch(u->co);	/* runs until it parks */
		if (!i)
			coro_stack(u->co, &stack_lo, &stack_len);
		return 0;
	}
	return EINVAL;
}

/* Release every unit and wait for it to end; 0 if all ended well. */
static int release_all(union unit_ref *units, uint64_t n)
{
	int status, bad = 0;

	if (opt.unit == UNIT_COROUTINE) {
		for (uint64_t i = 0; i < n; i++)
			coro_ready(units[i].co);
		coro_run();
		for (uint64_t i = 0; i < n; i++) {
			bad |= !coro_done(units[i].co);
			coro_free(units[i].co);
		}
		return bad;
	}
	close(release[1]);
	for (uint64_t i = 0; i < n; i++) {
		if (opt.unit == UNIT_THREAD)
			bad |= pthread_join(units[i].tid, NULL);
		else
			bad |= waitpid(units[i].pid, &status, 0) != units[i].pid ||
			       !WIFEXITED(status) || WEXITSTATUS(status);
	}
	return bad;
}

/* The value in kB after "key:" in a /proc file, or 0. */
static uint64_t proc_kib(const char *path, const char *key)
{
	static char buf[65536];	/* static: at the limit, malloc may fail */
	size_t klen = strlen(key);
	ssize_t n;
	char *p;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	for (p = buf; p; p = strchr(p, '\n')) {
		p += *p == '\n';
		if (!strncmp(p, key, klen) && p[klen] == ':')
			return strtoull(p + klen + 1, NULL, 10);
	}
	return 0;
}

static uint64_t pid_kib(pid_t pid, const char *file, const char *key)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	return proc_kib(path, key);
}

static void mem_add(struct mem *m, pid_t pid)
{
	m->rss_kib += pid_kib(pid, "status", "VmRSS");
	m->vsz_kib += pid_kib(pid, "status", "VmSize");
	m->pss_kib += pid_kib(pid, "smaps_rollup", "Pss");
}

/* Kernel memory the units may hold: stacks, page tables, unreclaimable slab. */
static uint64_t kernel_kib(void)
{
	return proc_kib("/proc/meminfo", "KernelStack") +
	       proc_kib("/proc/meminfo", "PageTables") +
	       proc_kib("/proc/meminfo", "SUnreclaim");
}

/* Resident pages of [lo, lo + len), by mincore(). */
static uint64_t resident_kib(void *lo, size_t len)
{
	static unsigned char vec[4096];
	size_t page = sysconf(_SC_PAGESIZE), pages;
	uintptr_t a = (uintptr_t)lo & ~(page - 1);
	uintptr_t end = (uintptr_t)lo + len;
	uint64_t n = 0;

	for (; a < end; a += pages * page) {
		pages = (end - a + page - 1) / page;
		if (pages > sizeof(vec))
			pages = sizeof(vec);
		if (mincore((void *)a, pages * page, vec))
			return 0;
		for (size_t i = 0; i < pages; i++)
			n += vec[i] & 1;
	}
	return n * page / 1024;
}

/* A process's main stack: what its [stack] mapping has resident. */
static uint64_t process_stack_kib(pid_t pid)
{
	static char buf[1 << 16];
	char path[64], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);	/* [stack] is near the end: read all */
	while (n > 0 && (size_t)n < sizeof(buf) - 1) {
		ssize_t m = read(fd, buf + n, sizeof(buf) - 1 - n);

		if (m <= 0)
			break;
		n += m;
	}
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strstr(buf, "[stack]");
	p = p ? strstr(p, "\nRss:") : NULL;
	return p ? strtoull(p + 5, NULL, 10) : 0;
}

static uint64_t stack_reserved_kib(void)
{
	pthread_attr_t attr;
	struct rlimit rl;
	size_t size = 0;

	switch (opt.unit) {
	case UNIT_PROCESS:	/* the main stack may grow to the limit */
		getrlimit(RLIMIT_STACK, &rl);
		return rl.rlim_cur == RLIM_INFINITY ? 0 : rl.rlim_cur / 1024;
	case UNIT_THREAD:
		if (opt.stack_kib)
			return opt.stack_kib;
		pthread_attr_init(&attr);	/* glibc: from RLIMIT_STACK */
		pthread_attr_getstacksize(&attr, &size);
		pthread_attr_destroy(&attr);
		return size / 1024;
	case UNIT_COROUTINE:
		return opt.stack_kib;
	}
	return 0;
}

/* The hidden unit of --exec: this very program, parked on inherited fds. */
static int exec_child(const char *release_fd, const char *ready_fd)
{
	park(atoi(release_fd), atoi(ready_fd));
	return 0;
}

static void usage(void)
{
	printf("usage: spawn [--unit process|thread|coroutine] [--count N] [--exec]\n"
	       "             [--until-limit [--max N]] [--stack-kib S] [--impl asm|ucontext]\n"
	       "Create N units (default 1000), each parking until all exist; measure time\n"
	       "per creation and memory while all are alive; release them all, wait for all.\n"
	       "  --unit         process: fork; thread: pthreads (default); coroutine: ours\n"
	       "  --exec         processes: fork + exec (of this program, parked)\n"
	       "  --until-limit  create until the system refuses (EAGAIN, ENOMEM) or --max\n"
	       "  --max          the bound for --until-limit (default 20000 processes or\n"
	       "                 threads, 200000 coroutines)\n"
	       "  --stack-kib    stack per thread (default: glibc's, from ulimit -s) or per\n"
	       "                 coroutine (default 16), above a guard page\n"
	       "  --impl         coroutine switch: asm (default) or ucontext\n"
	       "Result: ns per creation, RSS/VSZ/PSS of the tree and per unit, kernel memory\n"
	       "per unit, stack reserved and touched per unit, the limit if asked.\n");
}

static void parse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "count", required_argument, NULL, 'n' },
		{ "exec", no_argument, NULL, 'e' },
		{ "until-limit", no_argument, NULL, 'l' },
		{ "max", required_argument, NULL, 'M' },
		{ "stack-kib", required_argument, NULL, 's' },
		{ "impl", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int c, count_set = 0, impl_set = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'u': opt.unit = wl_parse_choice("--unit", optarg, unit_names); break;
		case 'n':
			opt.count = wl_parse_u64("--count", optarg, 1, 1000000);
			count_set = 1;
			break;
		case 'e': opt.exec = 1; break;
		case 'l': opt.until_limit = 1; break;
		case 'M': opt.max = wl_parse_u64("--max", optarg, 1, 1000000); break;
		case 's': opt.stack_kib = wl_parse_u64("--stack-kib", optarg, 4, 1048576); break;
		case 'i':
			opt.impl = wl_parse_choice("--impl", optarg, coro_impl_names);
			impl_set = 1;
			break;
		case 'h': usage(); exit(0);
		default: wl_bad_option(c, argv);
		}
	}
	if (optind < argc)
		wl_usage_error("unexpected argument '%s'", argv[optind]);
	if (opt.exec && opt.unit != UNIT_PROCESS)
		wl_usage_error("--exec applies to --unit process only");
	if (opt.stack_kib && opt.unit == UNIT_PROCESS)
		wl_usage_error("--stack-kib applies to threads and coroutines only");
	if (impl_set && opt.unit != UNIT_COROUTINE)
		wl_usage_error("--impl applies to --unit coroutine only");
	if (opt.max && !opt.until_limit)
		wl_usage_error("--max applies to --until-limit only");
	if (count_set && opt.until_limit)
		wl_usage_error("--count and --until-limit exclude each other");
	if (!opt.max)
		opt.max = opt.unit == UNIT_COROUTINE ? 200000 : 20000;
	if (!opt.stack_kib && opt.unit == UNIT_COROUTINE)
		opt.stack_kib = CORO_STACK_DEFAULT / 1024;
}

int main(int argc, char **argv)
{
	uint64_t n, want, t0, create_ns, kern0, kern, touched;
	static char release_fd[16], ready_fd[16];
	struct mem base = {}, all = {};
	const char *reason = "bound";
	union unit_ref *units;
	int err = 0;
	char c;

	wl_name = "spawn";
	if (argc == 4 && !strcmp(argv[1], "--exec-child"))
		return exec_child(argv[2], argv[3]);
	parse(argc, argv);

	want = opt.until_limit ? opt.max : opt.count;
	units = calloc(want, sizeof(*units));
	if (!units)
		wl_die("calloc");
	/* Children keep only the read end of release and the write end of ready. */
	if (pipe2(release, 0) || pipe2(ready, 0) ||
	    fcntl(release[1], F_SETFD, FD_CLOEXEC) || fcntl(ready[0], F_SETFD, FD_CLOEXEC))
		wl_die("pipe");
	snprintf(release_fd, sizeof(release_fd), "%d", release[0]);
	snprintf(ready_fd, sizeof(ready_fd), "%d", ready[1]);
	exec_argv[0] = argv[0];
	exec_argv[1] = "--exec-child";
	exec_argv[2] = release_fd;
	exec_argv[3] = ready_fd;
	pthread_attr_init(&thread_attr);
	if (opt.unit == UNIT_THREAD && opt.stack_kib &&
	    pthread_attr_setstacksize(&thread_attr, opt.stack_kib * 1024))
		wl_usage_error("--stack-kib: %llu is too small for a thread",
			       (unsigned long long)opt.stack_kib);
	if (opt.unit == UNIT_COROUTINE)
		coro_init(opt.impl);

	mem_add(&base, getpid());
	kern0 = kernel_kib();

	t0 = wl_now_ns();
	for (n = 0; n < want; n++) {
		err = create(n, &units[n]);
		if (err)
			break;
	}
	if (err && (!opt.until_limit || (err != EAGAIN && err != ENOMEM))) {
		errno = err;
		wl_die("creating %s %llu", unit_names[opt.unit], (unsigned long long)n + 1);
	}
	if (!n) {
		errno = err;
		wl_die("the system refused the first %s", unit_names[opt.unit]);
	}
	if (err)
		reason = err == EAGAIN ? "EAGAIN" : "ENOMEM";
	/* All exist once each has reported; for processes, EOF: some died first. */
	if (opt.unit == UNIT_PROCESS)
		close(ready[1]);
	for (uint64_t got = 0; opt.unit != UNIT_COROUTINE && got < n; got++)
		if (read(ready[0], &c, 1) != 1) {
			fprintf(stderr, "spawn: only %llu of %llu units started\n",
				(unsigned long long)got, (unsigned long long)n);
			exit(1);
		}
	create_ns = wl_now_ns() - t0;

	mem_add(&all, getpid());
	for (uint64_t i = 0; opt.unit == UNIT_PROCESS && i < n; i++)
		mem_add(&all, units[i].pid);
	kern = kernel_kib();
	touched = opt.unit == UNIT_PROCESS ? process_stack_kib(units[0].pid) :
		  resident_kib(stack_lo, stack_len);

	if (release_all(units, n)) {
		fprintf(stderr, "spawn: a unit did not end well\n");
		return 1;
	}
	free(units);

	wl_result_begin();
	wl_result_str("unit", unit_names[opt.unit]);
	if (opt.unit == UNIT_PROCESS)
		wl_result_u64("exec", opt.exec);
	if (opt.unit == UNIT_COROUTINE)
		wl_result_str("impl", coro_impl_names[opt.impl]);
	wl_result_u64("count", n);
	wl_result_f("ns_per_create", (double)create_ns / n);
	wl_result_u64("rss_base_kib", base.rss_kib);
	wl_result_u64("rss_kib", all.rss_kib);
	wl_result_u64("vsz_kib", all.vsz_kib);
	wl_result_u64("pss_kib", all.pss_kib);
	wl_result_f("rss_per_unit_kib", ((double)all.rss_kib - base.rss_kib) / n);
	wl_result_f("vsz_per_unit_kib", ((double)all.vsz_kib - base.vsz_kib) / n);
	wl_result_f("pss_per_unit_kib", ((double)all.pss_kib - base.pss_kib) / n);
	wl_result_f("kernel_per_unit_kib", ((double)kern - kern0) / n);
	wl_result_u64("stack_reserved_kib", stack_reserved_kib());
	wl_result_u64("stack_touched_kib", touched);
	if (opt.until_limit) {
		wl_result_u64("limit_reached", n);
		wl_result_str("limit_reason", reason);
	}
	wl_result_ctxsw();
	wl_result_end();
	return 0;
}
