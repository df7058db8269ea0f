// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "live/catalog.h"
#include "core/log.h"

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const struct workload workloads[] = {
	{ "thread-pingpong", "pingpong", ARGS("--unit", "thread"),
	  "two threads hand a token back and forth through a futex" },
	{ "process-pingpong", "pingpong", ARGS("--unit", "process"),
	  "two processes hand a token back and forth through a shared futex" },
	{ "coroutine-pingpong", "pingpong", ARGS("--unit", "coroutine"),
	  "two coroutines in one thread, our own user-space switch" },
	{ "ucontext-pingpong", "pingpong", ARGS("--unit", "coroutine", "--impl", "ucontext"),
	  "the same with glibc swapcontext (a syscall per switch)" },
	{ "io-bound", "iobound", ARGS("--mode", "serial"),
	  "tasks wait on timerfds: --mode serial|threads|coroutines" },
	{ "io-10k-coroutines", "iobound",
	  ARGS("--mode", "coroutines", "--tasks", "10000", "--wait-ms", "100"),
	  "10,000 coroutines each wait 100 ms on a timerfd" },
	{ "spawn", "spawn", ARGS("--unit", "thread"),
	  "create N units that park until all exist: --unit process|thread|coroutine" },
	{ "cpu-bound", "cpubound", ARGS("--mode", "serial"),
	  "identical CPU work: --mode serial|threads|processes|coroutines|gil (a C model of a GIL)" },
	{ "prodcons", "prodcons", ARGS("--unit", "thread"),
	  "producers and consumers through a bounded queue (mutex + condvar)" },
	{ "counter", "counter", ARGS("--sync", "none"),
	  "threads increment one counter: --sync none|mutex|spin|atomic" },
	{ "timeslice", "timeslice", ARGS("--threads", "3"),
	  "more CPU-bound threads than CPUs on one CPU: the slices they get" },
	{ "py-cpu", "python/cpu.py", ARGS("--mode", "threads"),
	  "Python CPU work: --mode serial|threads|processes (needs python3)" },
	{ "py-io", "python/io.py", ARGS("--mode", "threads"),
	  "Python IO waits: --mode serial|threads|asyncio (needs python3)" },
	{ "py-counter", "python/counter.py", ARGS("--sync", "none"),
	  "Python threads add 1 to one counter: --sync none|lock, --op inplace|call (needs python3)" },
	{ "py-switch", "python/switch.py", ARGS("--mode", "threads"),
	  "the article's switch benchmarks: time.sleep(0) threads, --mode asyncio (needs python3)" },
};

const struct workload *catalog_at(size_t i)
{
	return i < sizeof(workloads) / sizeof(workloads[0]) ? &workloads[i] : NULL;
}

const struct workload *catalog_find(const char *name)
{
	const struct workload *w;

	for (size_t i = 0; (w = catalog_at(i)); i++)
		if (!strcmp(w->name, name))
			return w;
	return NULL;
}

/*
 * Installed: <prefix>/bin/tracer and <prefix>/libexec/tracer/<prog>.
 * Build tree: ./tracer and ./.output/workloads/<prog>.
 * TRACER_WORKLOAD_DIR overrides both.
 */
/*
 * The Python workloads run under python3: Debian's own when there is one
 * (a wrapper found first in PATH, such as pyenv's shim, would add its own
 * processes to the traced tree), else the first in PATH.
 */
int catalog_python3(char *buf, size_t len)
{
	const char *path = getenv("PATH"), *p;

	snprintf(buf, len, "/usr/bin/python3");
	if (!access(buf, X_OK))
		return 0;
	for (p = path ? path : ""; *p; p += strcspn(p, ":") + !!p[strcspn(p, ":")]) {
		snprintf(buf, len, "%.*s/python3", (int)strcspn(p, ":"), p);
		if (!access(buf, X_OK))
			return 0;
	}
	return -ENOENT;
}

int catalog_interpreter(const struct workload *w, char *buf, size_t len)
{
	size_t n = strlen(w->prog);

	if (n < 3 || strcmp(w->prog + n - 3, ".py"))
		return 0;
	if (catalog_python3(buf, len)) {
		pr_err("%s needs python3, which is not installed (apt-get install python3)",
		       w->name);
		return -ENOENT;
	}
	return 1;
}

int catalog_prog_path(const struct workload *w, char *buf, size_t len)
{
	static const char *const rel[] = { "../libexec/tracer", ".output/workloads" };
	char exe[PATH_MAX], *slash;
	const char *env = getenv("TRACER_WORKLOAD_DIR");
	ssize_t n;

	if (env && *env) {
		snprintf(buf, len, "%s/%s", env, w->prog);
		return access(buf, X_OK) ? -errno : 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return -errno;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(buf, len, "%s/%s/%s", exe, rel[i], w->prog);
		if (!access(buf, X_OK))
			return 0;
	}
	pr_err("workload program '%s' not found next to %s (run 'make' or 'make install')",
	       w->prog, exe);
	return -ENOENT;
}

char **catalog_argv(const struct workload *w, char *prog, char *interp,
		    char *const *extra, int nextra)
{
	int npre = 0, n = 0;
	char **argv;

	while (w->args && w->args[npre])
		npre++;
	argv = calloc(npre + nextra + 3, sizeof(*argv));
	if (!argv) {
		pr_err("out of memory");
		return NULL;
	}
	if (interp && *interp)
		argv[n++] = interp;
	argv[n++] = prog;
	for (int i = 0; i < npre; i++)
		argv[n++] = (char *)w->args[i];
	for (int i = 0; i < nextra; i++)
		argv[n++] = extra[i];
	return argv;
}
