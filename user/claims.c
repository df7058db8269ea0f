// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The claims, the runs that measure them, and their verdicts.
 *
 * A verdict compares measurements with the article's figures through the
 * named thresholds below, never with figures of a particular machine:
 * "holds", "partly" (some of the claim holds, or only roughly), "does not
 * hold", or "not measured". The thresholds are repeated in docs/verify.md.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "claims.h"

/* "Agrees with the article": within this factor of its range, either way. */
#define ARTICLE_SLACK		2.0
/* Cross-CPU hand-off this many times the same-CPU one: placement dominates. */
#define PLACEMENT_DOMINATES	2.0
#define C1_MIN_RATIO		10.0	/* thread hand-off / coroutine switch */
/*
 * "tens" of processes, "hundreds" of threads, "tens of thousands" of
 * coroutines: scales 10x and 100x apart, which cost per unit would justify
 * if a process cost ~10x a thread and a thread ~100x a coroutine. A ratio
 * within half an order of magnitude of that agrees.
 */
#define C2_PROC_SCALE		"50"
#define C2_THREAD_SCALE		"500"
#define C2_CORO_SCALE		"20000"
#define C2_MIN_PT_RATIO		3.16	/* process / thread cost: ~10x */
#define C2_MIN_TC_RATIO		31.6	/* thread / coroutine cost: ~100x */
#define C3_STACK_MIN_KIB	4096	/* "~8 MB" of thread stack: 4-16 MiB */
#define C3_STACK_MAX_KIB	16384
#define C3_CORO_MAX_KIB		8.0	/* "~2 KB": at most two 4 KiB pages */
#define C3_REAL_SHARE		0.1	/* 10,000 threads' RSS vs the 80 GB */
#define C4_MIN_EFFICIENCY	0.7	/* processes: speedup >= 0.7 x tasks */
#define C4_GIL_MAX_SPEEDUP	1.15	/* GIL threads: "no speedup" */
#define C5_MIN_EFFICIENCY	0.8	/* of the ideal speedup */
#define C5_LARGE_SPEEDUP	2.0
#define C6_MAX_RATIO		1.5	/* wall / one wait: "about 0.1 s" */
#define C6_MIN_OVERLAP_SHARE	0.25	/* waits in flight / coroutines: partly */
#define C7_SLICE_MIN_US		1000.0	/* "every few ms": 1-20 ms */
#define C7_SLICE_MAX_US		20000.0
#define C7_MIN_INVOL_SHARE	0.5	/* preemptions among all switches */
#define C8_MIN_FACTOR		0.5	/* hand-off interval / switch interval */
#define C8_MAX_FACTOR		2.0
#define C9_MIN_RATIO		2.0	/* process / thread: "5-10 us" against "20-100 us" */
/* the article's own benchmarks: a figure within this factor of its own */
#define E_TOLERANCE		1.25
#define C10_MIN_COST_RATIO	1.1	/* mutex / unprotected time per increment */
#define C11_MAX_SWITCH_RATIO	0.001	/* kernel switches per coroutine switch */
#define C11_MAX_SYS_NS		10.0	/* system time per switch; a syscall >= ~100 ns */
#define C13_MIN_RATIO		2.0	/* process / thread creation time */
#define C13_PARTLY_RATIO	1.2
#define C14_MIN_KERNEL_SHARE	0.5	/* queue waits that reach futex */
#define C15_MIN_OVERLAP_SHARE	0.25	/* waits in flight / tasks */
#define C15_PARTLY_OVERLAP	2.0

#define A(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define PINGPONG(unit, cpus, n) A("--unit", unit, "--cpus", cpus, "--rounds", n)
/* 512 pages a side: within the STLB here, not the L1 TLB */
#define C9_WS_KIB	"2048"
#define PINGPONG_WS(unit, n) A("--unit", unit, "--cpus", "same", "--rounds", n, \
			       "--touch-kib", C9_WS_KIB)
#define CPU(mode, work) A("--mode", mode, "--tasks", RUN_NCPU, "--work", work, \
			  "--switch-interval-ms", "5")
#define IO(mode, ms) A("--mode", mode, "--tasks", "20", "--wait-ms", ms)
#define IO_POOL(ms) A("--mode", "threads", "--pool", "10", "--tasks", "20", "--wait-ms", ms)
#define CNT(sync, n) A("--sync", sync, "--threads", RUN_NCPU, "--increments", n)
#define PYIO(mode, ms) A("--mode", mode, "--tasks", "20", "--wait-ms", ms)
#define IO_UCTX(n, ms) A("--mode", "coroutines", "--impl", "ucontext", "--tasks", n, \
			 "--wait-ms", ms)
/* the article's own IO comparison: 20 tasks sleeping, serially, in a pool of 10, asyncio */
#define PYSLEEP(mode, ms) A("--mode", mode, "--io", "sleep", "--tasks", "20", "--wait-ms", ms)
#define PYSLEEP_POOL(ms) A("--mode", "threads", "--pool", "10", "--io", "sleep", \
			   "--tasks", "20", "--wait-ms", ms)
#define PYCNT(sync, op, n) A("--sync", sync, "--op", op, "--threads", "2", "--increments", n)
#define PYCPU(mode, work) A("--mode", mode, "--tasks", RUN_NCPU, "--work", work)

const struct run_spec run_specs[R_COUNT] = {
	[R_THR_SAME] = { "thread-same", "thread-pingpong", "pingpong",
		PINGPONG("thread", "same", "20000"), PINGPONG("thread", "same", "100000"),
		3, "untraced_wl_handoff_ns", 0, 1, 1 },
	[R_THR_CROSS] = { "thread-cross", "thread-pingpong", "pingpong",
		PINGPONG("thread", "cross", "2000"), PINGPONG("thread", "cross", "10000"),
		3, "untraced_wl_handoff_ns", 0, 1 },
	[R_PROC_SAME] = { "process-same", "process-pingpong", "pingpong",
		PINGPONG("process", "same", "20000"), PINGPONG("process", "same", "100000"),
		3, "untraced_wl_handoff_ns", 0, 1, 1 },
	/* C9: a working set the TLB must hold across the switches */
	[R_THR_SAME_WS] = { "thread-same-2mib", "thread-pingpong", "pingpong",
		PINGPONG_WS("thread", "3000"), PINGPONG_WS("thread", "20000"),
		3, "untraced_wl_handoff_ns", 0, 1, 1 },
	[R_PROC_SAME_WS] = { "process-same-2mib", "process-pingpong", "pingpong",
		PINGPONG_WS("process", "3000"), PINGPONG_WS("process", "20000"),
		3, "untraced_wl_handoff_ns", 0, 1, 1 },
	[R_PROC_CROSS] = { "process-cross", "process-pingpong", "pingpong",
		PINGPONG("process", "cross", "2000"), PINGPONG("process", "cross", "10000"),
		3, "untraced_wl_handoff_ns", 0, 1 },
	[R_CORO] = { "coroutine", "coroutine-pingpong", "pingpong",
		A("--unit", "coroutine", "--rounds", "4000000"),
		A("--unit", "coroutine", "--rounds", "10000000"), 3, "untraced_wl_handoff_ns", 0, 1 },
	[R_UCTX] = { "ucontext", "ucontext-pingpong", "pingpong",
		A("--unit", "coroutine", "--impl", "ucontext", "--rounds", "50000"),
		A("--unit", "coroutine", "--impl", "ucontext", "--rounds", "200000"),
		1, NULL, 0, 1 },
	/* 10x the article's scales, or until the system refuses */
	[R_SPAWN_PROC] = { "spawn-process", "spawn", "spawn",
		A("--unit", "process", "--until-limit", "--max", "200"),
		A("--unit", "process", "--until-limit", "--max", "500"), 3, "untraced_wl_ns_per_create", 0, 1 },
	[R_SPAWN_EXEC] = { "spawn-exec", "spawn", "spawn",
		A("--unit", "process", "--exec", "--count", "50"),
		A("--unit", "process", "--exec", "--count", "200"), 1, NULL, 0, 1 },
	[R_SPAWN_THR] = { "spawn-thread", "spawn", "spawn",
		A("--unit", "thread", "--until-limit", "--max", "2000"),
		A("--unit", "thread", "--until-limit", "--max", "5000"), 3, "untraced_wl_ns_per_create", 0, 1 },
	[R_SPAWN_CORO] = { "spawn-coroutine", "spawn", "spawn",
		A("--unit", "coroutine", "--until-limit", "--max", "20000"),
		A("--unit", "coroutine", "--until-limit", "--max", "200000"), 1, NULL, 0, 1 },
	/* the article's scales */
	[R_SCALE_PROC] = { "scale-process", "spawn", "spawn",
		A("--unit", "process", "--count", C2_PROC_SCALE),
		A("--unit", "process", "--count", C2_PROC_SCALE), 3, "untraced_wl_ns_per_create", 0, 1 },
	[R_SCALE_THR] = { "scale-thread", "spawn", "spawn",
		A("--unit", "thread", "--count", C2_THREAD_SCALE),
		A("--unit", "thread", "--count", C2_THREAD_SCALE), 3, "untraced_wl_ns_per_create", 0, 1 },
	[R_SCALE_CORO] = { "scale-coroutine", "spawn", "spawn",
		A("--unit", "coroutine", "--count", C2_CORO_SCALE),
		A("--unit", "coroutine", "--count", C2_CORO_SCALE), 3, "untraced_wl_ns_per_create", 0, 1 },
	[R_CPU_SERIAL] = { "cpu-serial", "cpu-bound", "cpubound",
		CPU("serial", "30000000"), CPU("serial", "150000000"), 3, "untraced_wl_wall_ms", 0, 1 },
	[R_CPU_THREADS] = { "cpu-threads", "cpu-bound", "cpubound",
		CPU("threads", "30000000"), CPU("threads", "150000000"), 3, "untraced_wl_wall_ms", 0, 1 },
	[R_CPU_PROCS] = { "cpu-processes", "cpu-bound", "cpubound",
		CPU("processes", "30000000"), CPU("processes", "150000000"), 3, "untraced_wl_wall_ms", 0, 1 },
	[R_IO_SERIAL] = { "io-serial", "io-bound", "iobound",
		IO("serial", "20"), IO("serial", "50"), 1, NULL, 0, 1 },
	[R_IO_THREADS] = { "io-threads", "io-bound", "iobound",
		IO_POOL("20"), IO_POOL("50"), 1, NULL, 0, 1 },
	[R_IO_CORO] = { "io-coroutines", "io-bound", "iobound",
		IO("coroutines", "20"), IO("coroutines", "50"), 1, NULL, 0, 1 },
	[R_IO_10K] = { "io-10k", "io-10k-coroutines", "iobound",
		A("--mode", "coroutines", "--tasks", "10000", "--wait-ms", "100"),
		A("--mode", "coroutines", "--tasks", "10000", "--wait-ms", "100"), 1, NULL, 0, 1 },
	[R_IO_CORO_UCTX] = { "io-coroutines-ucontext", "io-bound", "iobound",
		IO_UCTX("20", "20"), IO_UCTX("20", "50"), 1, NULL, 0, 1 },
	[R_IO_10K_UCTX] = { "io-10k-ucontext", "io-bound", "iobound",
		IO_UCTX("10000", "100"), IO_UCTX("10000", "100"), 1, NULL, 0, 1 },
	/* CPython: the article's 20 x sleep(0.5) (E3, C5), 10,000 asyncio waits (C6) */
	[R_PY_SLEEP_SERIAL] = { "py-sleep-serial", "py-io", "python/io.py",
		PYSLEEP("serial", "50"), PYSLEEP("serial", "500"), 1, NULL, 1, 1 },
	[R_PY_SLEEP_POOL] = { "py-sleep-pool", "py-io", "python/io.py",
		PYSLEEP_POOL("50"), PYSLEEP_POOL("500"), 1, NULL, 1, 1 },
	[R_PY_SLEEP_ASYNC] = { "py-sleep-asyncio", "py-io", "python/io.py",
		PYSLEEP("asyncio", "50"), PYSLEEP("asyncio", "500"), 1, NULL, 1, 1 },
	[R_PY_IO_10K] = { "py-io-10k-asyncio", "py-io", "python/io.py",
		A("--mode", "asyncio", "--io", "sleep", "--tasks", "10000", "--wait-ms", "100"),
		A("--mode", "asyncio", "--io", "sleep", "--tasks", "10000", "--wait-ms", "100"),
		1, NULL, 1, 1 },
	[R_SLICE] = { "timeslice", "timeslice", "timeslice",
		A("--threads", "3", "--duration-ms", "300"),
		A("--threads", "3", "--duration-ms", "1000"), 3, "untraced_wl_slice_p50_us", 0, 1 },
	/* CPython: C4's subject, and the GIL's hand-offs of C8 */
	[R_PY_CPU] = { "py-cpu-threads", "py-cpu", "python/cpu.py",
		PYCPU("threads", "600000"), PYCPU("threads", "3000000"), 3, "untraced_wl_wall_ms",
		1, 1 },
	[R_PY_CPU_SERIAL] = { "py-cpu-serial", "py-cpu", "python/cpu.py",
		PYCPU("serial", "600000"), PYCPU("serial", "3000000"), 3, "untraced_wl_wall_ms",
		1, 1 },
	[R_PY_CPU_PROCS] = { "py-cpu-processes", "py-cpu", "python/cpu.py",
		PYCPU("processes", "600000"), PYCPU("processes", "3000000"), 3,
		"untraced_wl_wall_ms", 1, 1 },
	[R_CNT_NONE] = { "counter-none", "counter", "counter",
		CNT("none", "5000000"), CNT("none", "10000000"), 3,
		"untraced_wl_ns_per_increment", 0, 1 },
	[R_CNT_MUTEX] = { "counter-mutex", "counter", "counter",
		CNT("mutex", "5000000"), CNT("mutex", "10000000"), 3,
		"untraced_wl_ns_per_increment", 0, 1 },
	[R_CNT_ATOMIC] = { "counter-atomic", "counter", "counter",
		CNT("atomic", "5000000"), CNT("atomic", "10000000"), 3,
		"untraced_wl_ns_per_increment", 0, 1 },
	[R_PRODCONS] = { "prodcons", "prodcons", "prodcons",
		A("--unit", "thread", "--items", "50000"),
		A("--unit", "thread", "--items", "200000"), 1, NULL, 0 },
	[R_PY_IO_SERIAL] = { "py-io-serial", "py-io", "python/io.py",
		PYIO("serial", "25"), PYIO("serial", "50"), 1, NULL, 1, 1 },
	[R_PY_IO_THREADS] = { "py-io-threads", "py-io", "python/io.py",
		PYIO("threads", "25"), PYIO("threads", "50"), 1, NULL, 1, 1 },
	/* C10 on CPython: the article's counter += 1, a call between read and store */
	[R_PY_CNT_INPLACE] = { "py-counter-inplace", "py-counter", "python/counter.py",
		PYCNT("none", "inplace", "1000000"), PYCNT("none", "inplace", "2000000"), 3,
		"untraced_wl_ns_per_increment", 1, 1 },
	[R_PY_CNT_CALL] = { "py-counter-call", "py-counter", "python/counter.py",
		PYCNT("none", "call", "1000000"), PYCNT("none", "call", "2000000"), 3,
		"untraced_wl_ns_per_increment", 1, 1 },
	[R_PY_CNT_LOCK] = { "py-counter-lock", "py-counter", "python/counter.py",
		PYCNT("lock", "call", "50000"), PYCNT("lock", "call", "500000"), 3,
		"untraced_wl_ns_per_increment", 1, 1 },
	/* the article's own switch benchmarks, timed untraced */
	[R_PY_SLEEP0] = { "py-sleep0-threads", "py-switch", "python/switch.py",
		A("--mode", "threads", "--iterations", "5000"),
		A("--mode", "threads", "--iterations", "20000"), 3,
		"untraced_wl_ns_per_iteration", 1, 1 },
	[R_PY_ASYNC0] = { "py-asyncio-sleep0", "py-switch", "python/switch.py",
		A("--mode", "asyncio", "--iterations", "100000"),
		A("--mode", "asyncio", "--iterations", "300000"), 3,
		"untraced_wl_ns_per_iteration", 1, 1 },
};

/* ---- the verdict helpers ---- */

struct jc {
	struct mset *s;
	struct judgement *j;
	char missing[160];
};

static double get(struct jc *c, const char *name, int needed)
{
	size_t n = strlen(c->missing);
	double v;

	if (!mset_get(c->s, name, &v))
		return v;
	if (needed)
		snprintf(c->missing + n, sizeof(c->missing) - n, "%s%s", n ? ", " : "", name);
	return NAN;
}

#define NEED(name)	get(c, name, 1)
#define OPT(name)	get(c, name, 0)

/* Nothing to judge without these; says which are missing. */
static int missing(struct jc *c)
{
	if (!*c->missing)
		return 0;
	c->j->v = V_NONE;
	snprintf(c->j->why, sizeof(c->j->why), "missing %s", c->missing);
	return 1;
}

static void derive(struct jc *c, const char *name, double v, const char *unit,
		   const char *article)
{
	if (isfinite(v))
		mset_put(c->s, name, v, unit, article, 1);
}

static void cat(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void cat(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

#define WHY(...)	cat(c->j->why, sizeof(c->j->why), __VA_ARGS__)
#define MEASURED(...)	cat(c->j->measured, sizeof(c->j->measured), __VA_ARGS__)
#define PLACEMENT(...)	cat(c->j->placement, sizeof(c->j->placement), __VA_ARGS__)
#define EVIDENCE(...)	cat(c->j->evidence, sizeof(c->j->evidence), __VA_ARGS__)

/* Formatted numbers live in a ring of buffers: a few per message. */
static char *ring(void)
{
	static char bufs[24][40];
	static unsigned int i;

	return bufs[i++ % 24];
}

static const char *count(double v)
{
	char digits[32], *out = ring();
	int n, o = 0;

	if (!isfinite(v))
		return "?";
	n = snprintf(digits, sizeof(digits), "%.0f", fabs(v));
	if (v < 0)
		out[o++] = '-';
	for (int i = 0; i < n && o < 38; i++) {
		if (i && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return out;
}

static const char *scaled(double v, const char *const units[], double step, int nunits)
{
	char *out = ring();
	int u = 0;

	if (!isfinite(v))
		return "?";
	while (u < nunits - 1 && fabs(v) >= step * 0.9995) {
		v /= step;
		u++;
	}
	snprintf(out, 40, "%.3g %s", v, units[u]);
	return out;
}

static const char *ns(double v)
{
	static const char *const u[] = { "ns", "us", "ms", "s" };

	return scaled(v, u, 1000, 4);
}

static const char *kib(double v)
{
	static const char *const u[] = { "KiB", "MiB", "GiB", "TiB" };

	return scaled(v, u, 1024, 4);
}

static const char *num(double v)
{
	char *out = ring();

	snprintf(out, 40, "%.3g", v);
	return out;
}

static const char *times(double v)
{
	char *out = ring();

	snprintf(out, 40, v >= 100 ? "%.0fx" : "%.2gx", v);
	return out;
}

static int within(double v, double lo, double hi)
{
	return v >= lo / ARTICLE_SLACK && v <= hi * ARTICLE_SLACK;
}

static const char *vs(double v, double lo, double hi)
{
	return v < lo ? "below" : v > hi ? "above" : "within";
}

/* Say how cross-CPU hand-offs compare with same-CPU ones. */
static void placement(struct jc *c, const char *unit, double same, double cross)
{
	double r = cross / same;

	if (!isfinite(r))
		return;
	if (r >= PLACEMENT_DOMINATES)
		PLACEMENT("%s hand-off across CPUs %s vs %s on one CPU (%s): waking the other "
			  "CPU dominates, not the switch", unit, ns(cross), ns(same), times(r));
	else
		PLACEMENT("%s hand-off across CPUs %s vs %s on one CPU (%s): placement matters "
			  "little here", unit, ns(cross), ns(same), times(r));
}

/* ---- one verdict function per claim ---- */

/*
 * A claim about "coroutines" and "threads" is judged per implementation,
 * like with like: CPython (the article's: time.sleep(0) threads against
 * asyncio.sleep(0), its own methods), and C (a futex hand-off against our
 * asm switch, and against glibc's swapcontext). Those measured agree, or
 * the verdict depends on the implementation, naming each one's.
 */
enum { IMPL_PY, IMPL_ASM, IMPL_UCTX, NR_IMPLS };

static const char *const impl_names[NR_IMPLS] = {
	"CPython (asyncio)", "C (our asm coroutines)", "C (glibc ucontext)",
};

static void combine(struct jc *c, const enum verdict *v)
{
	enum verdict first = V_NONE;
	int n = 0, same = 1;

	for (int i = 0; i < NR_IMPLS; i++) {
		if (v[i] == V_NONE)
			continue;
		if (!n++)
			first = v[i];
		else if (v[i] != first)
			same = 0;
	}
	c->j->v = same ? first : V_DEPENDS;
	if (same)
		return;
	WHY("depends on the implementation: ");
	for (int i = 0, k = 0; i < NR_IMPLS; i++)
		if (v[i] != V_NONE)
			WHY("%s%s %s", k++ ? ", " : "", impl_names[i], verdict_name(v[i]));
	WHY(". ");
}

static void c1(struct jc *c)
{
	double ps = NEED("process_same_handoff_ns"), ts = NEED("thread_same_handoff_ns");
	double co = NEED("coroutine_switch_ns"), uc = OPT("ucontext_switch_ns");
	double pt = OPT("py_thread_iteration_ns"), pa = OPT("asyncio_switch_ns");
	double pc = OPT("process_cross_handoff_ns"), tc = OPT("thread_cross_handoff_ns");
	double rt = OPT("thread_same_round_trips"), sw = OPT("thread_same_switches");
	double crt = OPT("coroutine_round_trips"), csw = OPT("coroutine_kernel_switches");
	double thr[NR_IMPLS] = { pt, ts, ts }, cor[NR_IMPLS] = { pa, co, uc }, r[NR_IMPLS];
	static const char *const keys[NR_IMPLS] = {
		"py_thread_over_asyncio", "thread_over_coroutine", "thread_over_ucontext" };
	enum verdict v[NR_IMPLS];
	int order, in;

	if (missing(c))
		return;
	order = ps > ts;
	for (int i = 0; i < NR_IMPLS; i++) {
		r[i] = thr[i] / cor[i];
		v[i] = V_NONE;
		if (!isfinite(r[i]))
			continue;
		derive(c, keys[i], r[i], "x", "10-100x");
		in = within(ps, 20e3, 100e3) + within(thr[i], 5e3, 10e3) +
		     within(cor[i], 100, 500);
		v[i] = r[i] < C1_MIN_RATIO ? V_FAILS : in == 3 && order ? V_HOLDS : V_PARTLY;
	}
	combine(c, v);
	WHY("a coroutine switch is %s cheaper than a thread's", times(r[IMPL_ASM]));
	if (isfinite(r[IMPL_PY]))
		WHY(" in C (asm), %s in CPython (asyncio.sleep(0) vs time.sleep(0))",
		    times(r[IMPL_PY]));
	if (isfinite(r[IMPL_UCTX]))
		WHY(", %s with glibc ucontext", times(r[IMPL_UCTX]));
	WHY(" (claim: 10-100x)");
	if (!order)
		WHY("; a process hand-off (%s) is not dearer than a thread's (%s) here",
		    ns(ps), ns(ts));
	if (c->j->v != V_HOLDS)
		WHY("; vs the article: process %s (%s 20-100 us), C thread %s (%s 5-10 us), "
		    "asm coroutine %s (%s 100-500 ns)", ns(ps), vs(ps, 20e3, 100e3),
		    ns(ts), vs(ts, 5e3, 10e3), ns(co), vs(co, 100, 500));
	if (c->j->v != V_HOLDS && isfinite(r[IMPL_PY]))
		WHY(", CPython thread %s (%s), asyncio %s (%s)", ns(pt), vs(pt, 5e3, 10e3),
		    ns(pa), vs(pa, 100, 500));
	MEASURED("one CPU: process %s, thread %s, coroutine %s", ns(ps), ns(ts), ns(co));
	if (isfinite(uc))
		MEASURED(" (glibc ucontext %s)", ns(uc));
	if (isfinite(pc) || isfinite(tc))
		MEASURED("\ntwo CPUs: process %s, thread %s", ns(pc), ns(tc));
	MEASURED("\nper hand-off (one switch), timed untraced; the counts come from a traced twin run");
	if (isfinite(pt) || isfinite(pa))
		MEASURED("\nCPython, the article's methods (E1, E2), untraced: a time.sleep(0) "
			 "iteration of two threads %s, an asyncio.sleep(0) of two tasks %s",
			 ns(pt), ns(pa));
	placement(c, "thread", ts, tc);
	if (isfinite(sw) && isfinite(rt))
		EVIDENCE("%s kernel switches for %s thread round trips", count(sw), count(rt));
	if (isfinite(csw) && isfinite(crt))
		EVIDENCE("%s%s kernel switches during %s coroutine switches", *c->j->evidence ?
			 "; " : "", count(csw), count(2 * crt));
}

/* "1,000 processes (the bound)" or "32,753 coroutines (then refused)" */
static const char *tried(const char *unit, double n, double bound)
{
	char *out = ring();

	snprintf(out, 40, "%s %s (%s)", count(n), unit, n >= bound ? "the bound" :
		 "then refused");
	return out;
}

/* the larger, NAN only if both are */
static double max2(double a, double b)
{
	return a > b || isnan(b) ? a : b;
}

/* memory of a unit: its own pages, and the kernel's for it where measured */
static double unit_kib(double user, double kernel)
{
	return user + (isfinite(kernel) && kernel > 0 ? kernel : 0);
}

/*
 * Judged as the article means it (its pitfall calls 1,000 processes "too
 * many"): as advice on cost, at its own scales. Capacity until a limit is
 * context, never the verdict.
 */
static void c2(struct jc *c)
{
	double pt = NEED("process_create_ns"), tt = NEED("thread_create_ns");
	double ct = NEED("coroutine_create_ns"), pu = NEED("process_pss_kib");
	double tu = NEED("thread_rss_kib"), cu = NEED("coroutine_rss_kib");
	double pm = unit_kib(pu, OPT("process_kernel_kib"));
	double tm = unit_kib(tu, OPT("thread_kernel_kib"));
	double cm = unit_kib(cu, OPT("coroutine_kernel_kib"));
	double pn = OPT("process_scale"), tn = OPT("thread_scale"), cn = OPT("coroutine_scale");
	double p10 = OPT("process_create_10x_ns"), t10 = OPT("thread_create_10x_ns");
	double c10 = OPT("coroutine_create_10x_ns");
	double p = OPT("process_created"), t = OPT("thread_created");
	double co = OPT("coroutine_created"), pb = OPT("process_bound");
	double tb = OPT("thread_bound"), cb = OPT("coroutine_bound");
	double pk = OPT("process_forks_traced"), tk = OPT("thread_clones_traced");
	double tmax = OPT("kernel_threads_max"), pmax = OPT("kernel_pid_max");
	double maps = OPT("kernel_max_map_count");
	double pt_r, tc_r;
	int pt_ok, tc_ok;

	if (missing(c))
		return;
	pt_r = max2(pt / tt, pm / tm);
	tc_r = max2(tt / ct, tm / cm);
	derive(c, "process_over_thread_time", pt / tt, "x", "~10x");
	derive(c, "process_over_thread_memory", pm / tm, "x", "~10x");
	derive(c, "thread_over_coroutine_time", tt / ct, "x", "~100x");
	derive(c, "thread_over_coroutine_memory", tm / cm, "x", "~100x");
	pt_ok = pt_r >= C2_MIN_PT_RATIO;
	tc_ok = tc_r >= C2_MIN_TC_RATIO;
	c->j->v = pt_ok && tc_ok ? V_HOLDS : pt_ok || tc_ok ? V_PARTLY : V_FAILS;
	WHY("scales 10x and 100x apart imply a process ~10x a thread's cost and a thread "
	    "~100x a coroutine's; per unit, a process costs %s a thread's time and %s its "
	    "memory (%s), a thread %s a coroutine's time and %s its memory (%s)",
	    times(pt / tt), times(pm / tm), pt_ok ? "agrees" : "far less",
	    times(tt / ct), times(tm / cm), tc_ok ? "agrees" : "far less");
	MEASURED("per unit at the article's scales (%s processes, %s threads, %s "
		 "coroutines): creation %s, %s, %s; memory %s, %s, %s", count(pn), count(tn),
		 count(cn), ns(pt), ns(tt), ns(ct), kib(pm), kib(tm), kib(cm));
	if (isfinite(p10) || isfinite(t10) || isfinite(c10))
		MEASURED("\ncreation at 10x the scales: %s, %s, %s per unit", ns(p10), ns(t10),
			 ns(c10));
	if (isfinite(p) && isfinite(t) && isfinite(co))
		MEASURED("\ncapacity (context): created %s, %s, %s", tried("processes", p, pb),
			 tried("threads", t, tb), tried("coroutines", co, cb));
	if (isfinite(tmax) && isfinite(pmax))
		MEASURED("\nkernel limits: threads-max %s, pid_max %s", count(tmax), count(pmax));
	if (isfinite(co) && co < cb && fabs(2 * co - maps) < 0.01 * maps)
		MEASURED("\ncoroutines stop at vm.max_map_count (%s): each stack is two "
			 "mappings, the stack and its guard page", count(maps));
	if (isfinite(pk) && isfinite(tk))
		EVIDENCE("the kernel saw %s processes and %s threads created at 10x the scales",
			 count(pk), count(tk));
}

static void c3(struct jc *c)
{
	double ts = NEED("thread_stack_reserved_kib"), tr = NEED("thread_rss_per_unit_kib");
	double tv = NEED("thread_vsz_per_unit_kib"), cr = NEED("coroutine_rss_per_unit_kib");
	double cs = OPT("coroutine_stack_reserved_kib"), pp = OPT("process_pss_per_unit_kib");
	double tk = OPT("thread_kernel_per_unit_kib"), tn = OPT("thread_count");
	double cn = OPT("coroutine_count");
	double rss10k, vsz10k;
	int reserve, coro, real;

	if (missing(c))
		return;
	rss10k = tr * 10000;
	vsz10k = tv * 10000;
	derive(c, "threads_10k_rss_mib", rss10k / 1024, "MiB", "80 GB");
	derive(c, "threads_10k_vsz_gib", vsz10k / (1024 * 1024), "GiB", "80 GB");
	derive(c, "coroutines_10k_rss_mib", cr * 10000 / 1024, "MiB", "20 MB");
	reserve = ts >= C3_STACK_MIN_KIB && ts <= C3_STACK_MAX_KIB;
	coro = cr <= C3_CORO_MAX_KIB;
	real = rss10k >= C3_REAL_SHARE * 80 * 1024 * 1024;
	c->j->v = reserve && coro && real ? V_HOLDS : reserve || coro ? V_PARTLY : V_FAILS;
	WHY("a thread reserves %s of stack, %s; ", kib(ts), reserve ? "as claimed" :
	    "not ~8 MB");
	if (real)
		WHY("10,000 threads hold %s resident; ", kib(rss10k));
	else
		WHY("but only %s is resident per thread: 10,000 threads take %s of address space "
		    "and %s of memory, not 80 GB; ", kib(tr), kib(vsz10k), kib(rss10k));
	WHY("a coroutine holds %s, %s the article's ~2 KB", kib(cr), coro ? "close to" :
	    "not");
	MEASURED("thread: %s reserved, %s resident, %s virtual", kib(ts), kib(tr), kib(tv));
	if (isfinite(tk))
		MEASURED(", %s kernel", kib(tk));
	MEASURED("\ncoroutine: %s reserved, %s resident", kib(cs), kib(cr));
	if (isfinite(pp))
		MEASURED("\nprocess (fork): %s proportional (PSS)", kib(pp));
	if (isfinite(tn) && isfinite(cn))
		EVIDENCE("per unit, with %s threads and %s coroutines alive at once", count(tn),
			 count(cn));
}

/*
 * Judged on CPython, the article's subject: its threads against its
 * processes, over its own serial run. The C runs of the same work show what
 * threads give without an interpreter lock.
 */
static void c4(struct jc *c)
{
	double n = NEED("cpu_tasks"), s = NEED("py_serial_wall_ms"), g = NEED("gil_wall_ms");
	double p = NEED("py_processes_wall_ms"), gp = OPT("gil_parallelism");
	double pp = OPT("py_processes_parallelism"), fw = OPT("gil_futex_waits");
	double cs = OPT("serial_wall_ms"), ct = OPT("threads_wall_ms");
	double cp = OPT("processes_wall_ms"), ctp = OPT("threads_parallelism");
	double ps, gs;
	int p_ok, g_ok;

	if (missing(c))
		return;
	ps = s / p;
	gs = s / g;
	derive(c, "py_processes_speedup", ps, "x", "~N x on N cores");
	derive(c, "gil_speedup", gs, "x", "<= 1x");
	derive(c, "threads_speedup", cs / ct, "x", NULL);
	derive(c, "processes_speedup", cs / cp, "x", NULL);
	p_ok = ps >= C4_MIN_EFFICIENCY * n;
	g_ok = gs <= C4_GIL_MAX_SPEEDUP;
	c->j->v = p_ok && g_ok ? V_HOLDS : p_ok || g_ok ? V_PARTLY : V_FAILS;
	WHY("CPython with %s tasks, speedup over serial: processes %s (%s), threads %s%s",
	    num(n), times(ps), p_ok ? "about N x" : "short of N x", times(gs),
	    gs < 1 ? " (slower than serial)" : g_ok ? " (no speedup)" : " (a speedup)");
	if (isfinite(cs / ct))
		WHY("; the same work in C, threads without a GIL: %s", times(cs / ct));
	MEASURED("CPython wall: serial %s, threads %s, processes %s", ns(s * 1e6),
		 ns(g * 1e6), ns(p * 1e6));
	if (isfinite(cs))
		MEASURED("\nC wall: serial %s, threads %s, processes %s", ns(cs * 1e6),
			 ns(ct * 1e6), ns(cp * 1e6));
	EVIDENCE("CPUs busy on average: CPython threads %s, processes %s", num(gp), num(pp));
	if (isfinite(ctp))
		EVIDENCE("; C threads %s", num(ctp));
	if (isfinite(fw))
		EVIDENCE("; the CPython threads blocked on the GIL %s times (futex)", count(fw));
}

static enum verdict c5_impl(double n, double pool, double s, double t, double co,
			    double *ts, double *cs)
{
	double t_ideal = pool < n ? pool : n;
	int t_ok, c_ok;

	*ts = s / t;
	*cs = s / co;
	if (!isfinite(*ts) || !isfinite(*cs))
		return V_NONE;
	t_ok = *ts >= C5_MIN_EFFICIENCY * t_ideal;
	c_ok = *cs >= C5_MIN_EFFICIENCY * n;
	if (t_ok && c_ok)
		return V_HOLDS;
	if (t_ok || c_ok || (*ts >= C5_LARGE_SPEEDUP && *cs >= C5_LARGE_SPEEDUP))
		return V_PARTLY;
	return V_FAILS;
}

/* Per implementation: CPython's pool and asyncio (the article's), C's pool and coroutines. */
static void c5(struct jc *c)
{
	double n = NEED("io_tasks"), w = NEED("io_wait_ms"), pool = NEED("io_pool");
	double s = NEED("serial_wall_ms"), t = NEED("threads_wall_ms");
	double co = NEED("coroutines_wall_ms"), uc = OPT("ucontext_wall_ms");
	double tp = OPT("threads_parallelism"), csw = OPT("coroutines_switches");
	double pn = OPT("py_io_tasks"), pw = OPT("py_io_wait_ms"), pp = OPT("py_io_pool");
	double ps = OPT("py_serial_wall_ms"), pt = OPT("py_threads_wall_ms");
	double pa = OPT("asyncio_wall_ms");
	double ts[NR_IMPLS], cs[NR_IMPLS];
	enum verdict v[NR_IMPLS];

	if (missing(c))
		return;
	v[IMPL_ASM] = c5_impl(n, pool, s, t, co, &ts[IMPL_ASM], &cs[IMPL_ASM]);
	v[IMPL_UCTX] = c5_impl(n, pool, s, t, uc, &ts[IMPL_UCTX], &cs[IMPL_UCTX]);
	v[IMPL_PY] = c5_impl(pn, pp, ps, pt, pa, &ts[IMPL_PY], &cs[IMPL_PY]);
	derive(c, "threads_speedup", ts[IMPL_ASM], "x", "10x (pool of 10)");
	derive(c, "coroutines_speedup", cs[IMPL_ASM], "x", "20x");
	derive(c, "ucontext_speedup", cs[IMPL_UCTX], "x", "20x");
	derive(c, "py_threads_speedup", ts[IMPL_PY], "x", "10x (pool of 10)");
	derive(c, "asyncio_speedup", cs[IMPL_PY], "x", "20x");
	combine(c, v);
	WHY("in C, a pool of %s threads %s faster than serial (ideal %s), coroutines %s "
	    "(ideal %s)", num(pool), times(ts[IMPL_ASM]), times(pool < n ? pool : n),
	    times(cs[IMPL_ASM]), times(n));
	if (v[IMPL_UCTX] != V_NONE)
		WHY(", with ucontext %s", times(cs[IMPL_UCTX]));
	if (v[IMPL_PY] != V_NONE)
		WHY("; in CPython, the pool %s, asyncio %s", times(ts[IMPL_PY]),
		    times(cs[IMPL_PY]));
	MEASURED("C, %s tasks x %s wait: serial %s, %s threads %s, coroutines %s", num(n),
		 ns(w * 1e6), ns(s * 1e6), num(pool), ns(t * 1e6), ns(co * 1e6));
	if (isfinite(uc))
		MEASURED(" (ucontext %s)", ns(uc * 1e6));
	if (v[IMPL_PY] != V_NONE)
		MEASURED("\nCPython, %s x sleep(%s): serial %s, %s threads %s, asyncio %s",
			 num(pn), ns(pw * 1e6), ns(ps * 1e6), num(pp), ns(pt * 1e6),
			 ns(pa * 1e6));
	if (isfinite(tp))
		EVIDENCE("parallelism of the C thread pool %s: the waits overlap, not the CPU "
			 "work", num(tp));
	if (isfinite(csw))
		EVIDENCE("%s%s kernel switches for %s coroutine waits", *c->j->evidence ?
			 "; " : "", count(csw), count(n));
}

static enum verdict c6_impl(double wall, double w, double n, double ov, double *r)
{
	*r = wall / w;
	if (!isfinite(*r) || !isfinite(ov))
		return V_NONE;
	if (*r <= C6_MAX_RATIO)
		return V_HOLDS;
	return ov >= C6_MIN_OVERLAP_SHARE * n ? V_PARTLY : V_FAILS;
}

static void c6(struct jc *c)
{
	double wall = NEED("wall_ms"), w = NEED("wait_ms"), n = NEED("tasks");
	double last = OPT("last_start_ms"), ov = NEED("overlap");
	double sw = OPT("kernel_switches"), th = OPT("traced_tasks");
	double uw = OPT("ucontext_wall_ms"), ul = OPT("ucontext_last_start_ms");
	double uo = OPT("ucontext_overlap"), aw = OPT("asyncio_wall_ms");
	double ao = OPT("asyncio_overlap"), an = OPT("asyncio_tasks");
	double awt = OPT("asyncio_wait_ms"), asw = OPT("asyncio_kernel_switches");
	double r[NR_IMPLS], after;
	enum verdict v[NR_IMPLS];

	if (missing(c))
		return;
	v[IMPL_ASM] = c6_impl(wall, w, n, ov, &r[IMPL_ASM]);
	v[IMPL_UCTX] = c6_impl(uw, w, n, uo, &r[IMPL_UCTX]);
	v[IMPL_PY] = c6_impl(aw, awt, an, ao, &r[IMPL_PY]);
	after = isfinite(last) ? wall - last : wall;
	derive(c, "wall_over_wait", r[IMPL_ASM], "x", "~1x");
	derive(c, "after_last_start_ms", after, "ms", "~100 ms");
	derive(c, "ucontext_wall_over_wait", r[IMPL_UCTX], "x", "~1x");
	derive(c, "asyncio_wall_over_wait", r[IMPL_PY], "x", "~1x");
	combine(c, v);
	WHY("%s of our coroutines each waiting %s finished in %s (%s one wait)", count(n),
	    ns(w * 1e6), ns(wall * 1e6), times(r[IMPL_ASM]));
	if (v[IMPL_ASM] == V_PARTLY)
		WHY(": the waits overlapped (%s in flight on average), but starting them "
		    "all took %s", count(ov), ns(last * 1e6));
	if (v[IMPL_UCTX] != V_NONE)
		WHY("; with ucontext %s", ns(uw * 1e6));
	if (v[IMPL_PY] != V_NONE)
		WHY("; %s asyncio tasks %s (%s)", count(an), ns(aw * 1e6), times(r[IMPL_PY]));
	MEASURED("ours: wall %s, the last wait began at %s, all had ended %s later; %s waits "
		 "in flight on average", ns(wall * 1e6), ns(last * 1e6), ns(after * 1e6),
		 count(ov));
	if (v[IMPL_UCTX] != V_NONE)
		MEASURED("\nucontext: wall %s, the last wait began at %s; %s in flight",
			 ns(uw * 1e6), ns(ul * 1e6), count(uo));
	if (v[IMPL_PY] != V_NONE)
		MEASURED("\nasyncio (asyncio.sleep): wall %s; %s in flight", ns(aw * 1e6),
			 count(ao));
	if (isfinite(sw) && isfinite(th))
		EVIDENCE("%s kernel task(s), %s kernel switches for %s coroutine waits",
			 count(th), count(sw), count(n));
	if (isfinite(asw))
		EVIDENCE("; asyncio: %s kernel switches (python3's start included)", count(asw));
}

static void c7(struct jc *c)
{
	double p50 = NEED("slice_p50_us"), inv = NEED("switches_involuntary");
	double vol = NEED("switches_voluntary"), p99 = OPT("slice_p99_us");
	double hz = OPT("hz"), n = OPT("threads"), wall = OPT("wall_s");
	double share;
	int slice_ok;

	if (missing(c))
		return;
	share = inv + vol > 0 ? inv / (inv + vol) : 0;
	derive(c, "involuntary_pct", share * 100, "%", NULL);
	if (isfinite(wall) && wall > 0)
		derive(c, "preemptions_per_s", inv / wall, "1/s", "100-200/s");
	slice_ok = p50 >= C7_SLICE_MIN_US && p50 <= C7_SLICE_MAX_US;
	if (share < C7_MIN_INVOL_SHARE)
		c->j->v = V_FAILS;
	else
		c->j->v = slice_ok ? V_HOLDS : V_PARTLY;
	WHY("%s%% of the switches were preemptions; a CPU-bound thread ran %s at a time "
	    "(median)%s", num(share * 100), ns(p50 * 1e3), slice_ok ? "" :
	    ", outside \"every few ms\"");
	MEASURED("slice p50 %s, p99 %s, %s threads on one CPU", ns(p50 * 1e3),
		 ns(p99 * 1e3), num(n));
	if (isfinite(hz))
		MEASURED("; timer tick %s (HZ %s)", ns(1e9 / hz), num(hz));
	EVIDENCE("%s involuntary and %s voluntary switches", count(inv), count(vol));
}

static void c8(struct jc *c)
{
	double wall = NEED("wall_ms"), to = NEED("futex_timeouts");
	double si = NEED("switch_interval_ms"), n = OPT("threads");
	double fw = OPT("futex_waits"), bs = OPT("futex_wait_bitset");
	double iv;

	if (missing(c))
		return;
	iv = to > 0 ? wall / to : INFINITY;
	if (to > 0)
		derive(c, "handoff_interval_ms", iv, "ms", "5 ms");
	if (to <= 0)
		c->j->v = V_FAILS;
	else
		c->j->v = iv >= C8_MIN_FACTOR * si && iv <= C8_MAX_FACTOR * si ?
			  V_HOLDS : V_PARTLY;
	if (to > 0)
		WHY("a forced GIL hand-off every %s (switch interval %s)", ns(iv * 1e6),
		    ns(si * 1e6));
	else
		WHY("no GIL wait timed out: no forced hand-offs seen");
	MEASURED("%s CPU-bound Python threads, %s wall", num(n), ns(wall * 1e6));
	EVIDENCE("%s futex waits timed out (the GIL's timed wait), of %s that blocked",
		 count(to), count(fw));
	if (isfinite(bs))
		EVIDENCE("; %s of them in FUTEX_WAIT_BITSET", count(bs));
}

/*
 * One comparison of process against thread hand-offs: beyond the noise band
 * (the larger spread of the two over their interleaved repetitions) or not,
 * and by the article's margin (2x) or not.
 */
static enum verdict c9_variant(double t, double p, double ts, double ps, double *pct,
			       double *band)
{
	*pct = (p - t) / t * 100;
	*band = ts > ps ? ts : ps;
	if (!isfinite(*pct) || !isfinite(*band))
		return V_NONE;
	if (*pct > *band)
		return p / t >= C9_MIN_RATIO ? V_HOLDS : V_PARTLY;
	return V_FAILS;		/* within the noise, or a process cheaper */
}

static const char *beyond(double pct, double band)
{
	return pct > band ? "beyond" : pct < -band ? "below, beyond" : "within";
}

static void c9(struct jc *c)
{
	double t = NEED("thread_same_handoff_ns"), p = NEED("process_same_handoff_ns");
	double ts = NEED("thread_same_spread_pct"), ps = NEED("process_same_spread_pct");
	double tw = OPT("thread_ws_handoff_ns"), pw = OPT("process_ws_handoff_ns");
	double tws = OPT("thread_ws_spread_pct"), pws = OPT("process_ws_spread_pct");
	double ws = OPT("ws_kib"), pcid = OPT("pcid");
	double tso = OPT("thread_same_switch_only_ns"), pso = OPT("process_same_switch_only_ns");
	double tsw = OPT("thread_same_switches"), psw = OPT("process_same_switches");
	double trt = OPT("thread_same_round_trips"), prt = OPT("process_same_round_trips");
	double pct, band, wpct, wband;
	enum verdict v, vw;

	if (missing(c))
		return;
	v = c9_variant(t, p, ts, ps, &pct, &band);
	vw = c9_variant(tw, pw, tws, pws, &wpct, &wband);
	derive(c, "process_over_thread_pct", pct, "%", "100-1900%");
	derive(c, "noise_band_pct", band, "%", NULL);
	derive(c, "ws_process_over_thread_pct", wpct, "%", NULL);
	derive(c, "ws_noise_band_pct", wband, "%", NULL);
	/* the article's reason is the TLB: the variant that exercises it counts too */
	c->j->v = vw != V_NONE && vw < v ? vw : v;
	WHY("a process hand-off costs %s%% more than a thread's on one CPU, %s the noise "
	    "band of +-%s%%", num(pct), beyond(pct, band), num(band));
	if (vw != V_NONE)
		WHY("; with %s of working set read at each turn, %s%% more (%s +-%s%%)",
		    kib(ws), num(wpct), beyond(wpct, wband), num(wband));
	WHY("; the article: a 2-20x difference (5-10 us against 20-100 us)");
	MEASURED("one CPU, per hand-off: thread %s, process %s", ns(t), ns(p));
	if (isfinite(tso) && isfinite(pso))
		MEASURED("\nswitch only (IPC calls subtracted): thread %s, process %s",
			 ns(tso), ns(pso));
	if (vw != V_NONE)
		MEASURED("\nwith %s read each turn: thread %s, process %s", kib(ws), ns(tw),
			 ns(pw));
	MEASURED("\nnoise band: the spread (max - min over median) of each figure over its "
		 "interleaved untraced repetitions");
	if (isfinite(pcid))
		EVIDENCE("PCID %s: %s; ", pcid ? "in use (the CPU flag is on)" : "not in use",
			 pcid ? "a process switch changes address space without flushing "
			 "the TLB, whose entries carry the process's tag" :
			 "a process switch flushes the TLB");
	if (isfinite(tsw) && isfinite(psw))
		EVIDENCE("%s kernel switches for %s thread round trips, %s for %s process "
			 "round trips", count(tsw), count(trt), count(psw), count(prt));
}

/*
 * Judged on CPython: its `counter += 1` (no bytecode between the read and
 * the store lets the GIL go, since 3.10), and the same increment with a call
 * between them, where a switch can fall; a lock around the latter must lose
 * none. The C counter races at every increment: the contrast.
 */
static void c10(struct jc *c)
{
	double e = NEED("py_expected"), il = NEED("py_inplace_lost");
	double cl = NEED("py_call_lost"), ll = NEED("py_lock_lost");
	double cn = NEED("py_call_ns_per_increment"), ln = NEED("py_lock_ns_per_increment");
	double in = OPT("py_inplace_ns_per_increment"), ce = OPT("py_call_expected");
	double fw = OPT("py_lock_futex_waits"), rl = OPT("race_lost"), re = OPT("expected");
	double rn = OPT("race_ns_per_increment"), mn = OPT("mutex_ns_per_increment");
	double r;

	if (missing(c))
		return;
	r = ln / cn;
	derive(c, "py_lock_cost_ratio", r, "x", "> 1x");
	if (ll > 0)
		c->j->v = V_FAILS;
	else if (il > 0)
		c->j->v = r >= C10_MIN_COST_RATIO ? V_HOLDS : V_PARTLY;
	else
		c->j->v = cl > 0 ? V_PARTLY : V_FAILS;
	WHY("CPython: `counter += 1` lost %s of %s updates", count(il), count(e));
	if (!il)
		WHY(" (the interpreter lets the GIL go only at calls and backward jumps, "
		    "none of which falls inside it)");
	WHY("; with a call between the read and the store, %s of %s lost", count(cl),
	    count(isfinite(ce) ? ce : e));
	WHY("; %s lost with a lock, which costs %s the time per increment", count(ll),
	    times(r));
	MEASURED("CPython per increment: `+= 1` %s, with a call %s, with a call under a "
		 "lock %s", ns(in), ns(cn), ns(ln));
	if (isfinite(rl))
		MEASURED("\nC: a plain load, add, store lost %s of %s; per increment %s, "
			 "mutex %s", count(rl), count(re), ns(rn), ns(mn));
	if (isfinite(fw))
		EVIDENCE("the locked CPython run blocked in futex %s times (the lock and the GIL "
			 "contended)", count(fw));
}

static enum verdict c11_impl(double kernel_ratio, double sys_ns)
{
	if (!isfinite(kernel_ratio) || !isfinite(sys_ns))
		return V_NONE;
	if (kernel_ratio > C11_MAX_SWITCH_RATIO)
		return V_FAILS;
	return sys_ns <= C11_MAX_SYS_NS ? V_HOLDS : V_PARTLY;
}

static void c11(struct jc *c)
{
	double rt = NEED("coroutine_round_trips"), sw = NEED("coroutine_kernel_switches");
	double sys = NEED("coroutine_sys_s"), urt = OPT("ucontext_round_trips");
	double usw = OPT("ucontext_kernel_switches"), usys = OPT("ucontext_sys_s");
	double ait = OPT("asyncio_iterations"), asw = OPT("asyncio_kernel_switches");
	double asys = OPT("asyncio_sys_s");
	double n = 2 * rt, ratio[NR_IMPLS], sns[NR_IMPLS];
	enum verdict v[NR_IMPLS];

	if (missing(c))
		return;
	ratio[IMPL_ASM] = sw / n;
	sns[IMPL_ASM] = sys * 1e9 / n;
	ratio[IMPL_UCTX] = usw / (2 * urt);
	sns[IMPL_UCTX] = usys * 1e9 / (2 * urt);
	ratio[IMPL_PY] = asw / ait;
	sns[IMPL_PY] = asys * 1e9 / ait;
	derive(c, "kernel_switches_per_coroutine_switch", ratio[IMPL_ASM], "ratio", "0");
	derive(c, "coroutine_sys_ns_per_switch", sns[IMPL_ASM], "ns", "0");
	derive(c, "ucontext_kernel_switches_per_switch", ratio[IMPL_UCTX], "ratio", "0");
	derive(c, "ucontext_sys_ns_per_switch", sns[IMPL_UCTX], "ns", "0");
	derive(c, "asyncio_kernel_switches_per_switch", ratio[IMPL_PY], "ratio", "0");
	derive(c, "asyncio_sys_ns_per_switch", sns[IMPL_PY], "ns", "0");
	for (int i = 0; i < NR_IMPLS; i++)
		v[i] = c11_impl(ratio[i], sns[i]);
	combine(c, v);
	WHY("our coroutines: %s kernel switches in %s switches, %s of system time a switch",
	    count(sw), count(n), ns(sns[IMPL_ASM]));
	if (v[IMPL_UCTX] != V_NONE)
		WHY("; glibc swapcontext: %s (a sigprocmask call per switch)", ns(sns[IMPL_UCTX]));
	if (v[IMPL_PY] != V_NONE)
		WHY("; asyncio: %s (an epoll_wait of the event loop every turn)",
		    ns(sns[IMPL_PY]));
	if (c->j->v == V_PARTLY)
		WHY(": system calls are made");
	MEASURED("system time per switch: our coroutines %s", ns(sns[IMPL_ASM]));
	if (v[IMPL_UCTX] != V_NONE)
		MEASURED(", glibc swapcontext %s", ns(sns[IMPL_UCTX]));
	if (v[IMPL_PY] != V_NONE)
		MEASURED(", CPython asyncio.sleep(0) %s", ns(sns[IMPL_PY]));
	EVIDENCE("%s kernel switches of the task during %s coroutine switches (start and "
		 "exit included)", count(sw), count(n));
	if (isfinite(usw) && isfinite(urt))
		EVIDENCE("; swapcontext: %s during %s", count(usw), count(2 * urt));
	if (isfinite(asw) && isfinite(ait))
		EVIDENCE("; asyncio: %s during %s (python3's start included)", count(asw),
			 count(ait));
}

static enum verdict c12_impl(double thr, double co)
{
	int t_ok = within(thr, 5e3, 10e3), c_ok = within(co, 100, 500);

	if (!isfinite(thr) || !isfinite(co))
		return V_NONE;
	return t_ok && c_ok ? V_HOLDS : t_ok || c_ok ? V_PARTLY : V_FAILS;
}

static void c12(struct jc *c)
{
	double t = NEED("thread_same_handoff_ns"), co = NEED("coroutine_switch_ns");
	double ipc = OPT("thread_same_ipc_only_ns"), so = OPT("thread_same_switch_only_ns");
	double tc = OPT("thread_cross_handoff_ns"), uc = OPT("ucontext_switch_ns");
	double sys = OPT("thread_same_sys_s"), sw = OPT("thread_same_switches");
	double pt = OPT("py_thread_iteration_ns"), pa = OPT("asyncio_switch_ns");
	enum verdict v[NR_IMPLS];

	if (missing(c))
		return;
	derive(c, "cross_over_same", tc / t, "x", NULL);
	v[IMPL_PY] = c12_impl(pt, pa);
	v[IMPL_ASM] = c12_impl(t, co);
	v[IMPL_UCTX] = c12_impl(t, uc);
	combine(c, v);
	WHY("a thread hand-off on one CPU costs %s (%s 5-10 us), our coroutine switch %s "
	    "(%s 100-500 ns)", ns(t), vs(t, 5e3, 10e3), ns(co), vs(co, 100, 500));
	if (isfinite(uc))
		WHY(", glibc swapcontext %s (%s)", ns(uc), vs(uc, 100, 500));
	if (v[IMPL_PY] != V_NONE)
		WHY("; CPython, the article's methods: a time.sleep(0) iteration %s (%s), "
		    "an asyncio.sleep(0) %s (%s)", ns(pt), vs(pt, 5e3, 10e3), ns(pa),
		    vs(pa, 100, 500));
	if (isfinite(so))
		WHY("; the article's own items sum to ~1 us, the switch alone here (the hand-off "
		    "less its futex calls) is %s", ns(so));
	MEASURED("thread hand-off %s = futex calls %s + switch %s; coroutine switch %s",
		 ns(t), ns(ipc), ns(so), ns(co));
	placement(c, "thread", t, tc);
	if (isfinite(sys) && isfinite(sw))
		EVIDENCE("%s kernel switches, %s s of system time", count(sw), num(sys));
	if (v[IMPL_PY] != V_NONE)
		EVIDENCE("%swhat a time.sleep(0) iteration is made of: see E1", *c->j->evidence ?
			 "; " : "");
}

static void c13(struct jc *c)
{
	double p = NEED("process_create_ns"), t = NEED("thread_create_ns");
	double e = OPT("exec_create_ns"), co = OPT("coroutine_create_ns");
	double pn = OPT("processes_created"), tn = OPT("threads_created");
	double ps = OPT("process_sys_s"), ts = OPT("thread_sys_s");
	double r;

	if (missing(c))
		return;
	r = p / t;
	derive(c, "process_over_thread", r, "x", "> 1x");
	c->j->v = r >= C13_MIN_RATIO ? V_HOLDS : r >= C13_PARTLY_RATIO ? V_PARTLY : V_FAILS;
	WHY("creating a process (fork) takes %s the time of a thread", times(r));
	MEASURED("per unit: fork %s, fork + exec %s, thread %s, coroutine %s", ns(p), ns(e),
		 ns(t), ns(co));
	if (isfinite(pn) && isfinite(tn))
		EVIDENCE("the kernel saw %s processes and %s threads created; system time per "
			 "unit: process %s, thread %s", count(pn), count(tn), ns(ps * 1e9 / pn),
			 ns(ts * 1e9 / tn));
}

/*
 * A condition wait that sleeps does so in FUTEX_WAIT_BITSET (glibc): those
 * per queue wait, not all blocking futex waits, which mutex contention adds to.
 */
static void c14(struct jc *c)
{
	double items = NEED("items"), w = NEED("waits"), bs = NEED("futex_wait_bitset");
	double fw = OPT("futex_waits"), wo = OPT("futex_woken");
	double share;

	if (missing(c))
		return;
	share = w > 0 ? bs / w : 0;
	derive(c, "waits_per_item", w / items, "ratio", NULL);
	derive(c, "condvar_waits_per_wait", share, "ratio", "1");
	if (w <= 0 || bs <= 0)
		c->j->v = V_FAILS;
	else
		c->j->v = share >= C14_MIN_KERNEL_SHARE ? V_HOLDS : V_PARTLY;
	WHY("%s queue waits for %s items (%s per item); the kernel saw %s condition waits "
	    "block (FUTEX_WAIT_BITSET), %s per queue wait", count(w), count(items),
	    num(w / items), count(bs), num(share));
	MEASURED("%s waits (queue full or empty), %s condition waits that blocked", count(w),
		 count(bs));
	EVIDENCE("%s blocking futex waits in all, the others mutex contention; %s woken by a "
		 "futex wake", count(fw), count(wo));
}

static void c15(struct jc *c)
{
	double n = NEED("tasks"), w = NEED("wait_ms"), t = NEED("threads_wall_ms");
	double ov = NEED("threads_overlap"), s = OPT("serial_wall_ms");
	double par = OPT("threads_parallelism"), cpu = OPT("threads_cpu_ms");

	if (missing(c))
		return;
	derive(c, "threads_speedup", s / t, "x", NULL);
	if (ov >= C15_MIN_OVERLAP_SHARE * n)
		c->j->v = V_HOLDS;
	else
		c->j->v = ov >= C15_PARTLY_OVERLAP ? V_PARTLY : V_FAILS;
	WHY("%s Python threads had %s waits in flight on average", num(n), num(ov));
	MEASURED("%s tasks x %s: serial %s, threads %s", num(n), ns(w * 1e6), ns(s * 1e6),
		 ns(t * 1e6));
	if (isfinite(par))
		EVIDENCE("parallelism %s and %s of CPU for the threads: they waited, not "
			 "computed", num(par), ns(cpu * 1e6));
}

/*
 * The ping-pongs are timed in an untraced twin run (the probes add their
 * own cost to every switch); the traced run gives the kernel's evidence.
 */

/* ---- the table ---- */

#define M(name, run, col, unit, article) { name, run, col, unit, article }

/* ---- the article's own benchmarks, explained ---- */

static const char *pct(double share)
{
	char *out = ring();

	snprintf(out, 40, "%.0f%%", 100 * share);
	return out;
}

/*
 * time.sleep(0) is clock_nanosleep() with a deadline already past, and the
 * kernel still sleeps until its timer fires, up to the task's timer slack
 * (50 us by default) later: an iteration is mostly that sleep, the two
 * threads sleeping at once. Said only as far as the trace shows it.
 */
static void e1(struct jc *c)
{
	double it = NEED("iterations"), t = NEED("ns_per_iteration");
	double th = OPT("threads"), vol = OPT("switches_voluntary");
	double inv = OPT("switches_involuntary"), fw = OPT("futex_waits");
	double ws = OPT("wakeups_same_cpu"), wc = OPT("wakeups_cross_cpu");
	double as = OPT("wakeup_same_cpu_avg_us"), ac = OPT("wakeup_cross_cpu_avg_us");
	double par = OPT("parallelism"), sl = OPT("sleeps"), sla = OPT("sleep_avg_us");
	double wall = OPT("traced_wall_ms"), slack = OPT("timer_slack_ns");
	double fwa = OPT("futex_wait_avg_us"), cross, slept, waited;

	if (missing(c))
		return;
	c->j->v = within(t, 5e3, 10e3) ? V_HOLDS : V_FAILS;
	cross = wc / (ws + wc);
	/* sleeps outside a futex: the main thread's join is a futex wait */
	sla = (sl * sla - fw * fwa) / (sl - fw);
	sl -= fw;
	/* shares of the threads' time in the traced run, all of it under the probes */
	slept = sl * sla / (th * wall * 1e3);
	waited = (ws * as + wc * ac) / (th * wall * 1e3);
	derive(c, "switches_per_iteration", (vol + inv) / it, "count", "1");
	derive(c, "sleeps_per_iteration", sl / it, "count", "0");
	derive(c, "futex_waits_per_iteration", fw / it, "count", NULL);
	derive(c, "sleep_share", slept, "ratio", NULL);
	derive(c, "wakeup_latency_share", waited, "ratio", NULL);
	derive(c, "cross_cpu_wakeup_share", cross, "ratio", NULL);
	WHY("%s an iteration (the article: 5-10 us a switch)", ns(t));
	MEASURED("%s iterations of two threads, %s each, timed untraced", count(it), ns(t));
	EVIDENCE("per iteration the kernel saw %s switches", num((vol + inv) / it));
	if (isfinite(sl) && isfinite(sla))
		EVIDENCE(" and %s sleeps outside a futex: time.sleep(0) sleeps in "
			 "clock_nanosleep until a timer fires, %s off the CPU on average (timer "
			 "slack %s)", num(sl / it), ns(sla * 1e3), ns(slack));
	if (isfinite(fw))
		EVIDENCE("; the GIL made a thread block %s times an iteration", num(fw / it));
	if (isfinite(slept) && isfinite(waited) && isfinite(cross))
		EVIDENCE("; these sleeps took %s of each thread's time, %s of that woken and "
			 "waiting for a CPU (%s of wakeups across CPUs)", pct(slept),
			 pct(waited / slept), pct(cross));
	if (isfinite(par))
		EVIDENCE("; %s CPUs busy on average", num(par));
	if (isfinite(slept) && slept >= 0.5)
		EVIDENCE(": an iteration is mostly a timer sleep, not a switch");
	else if (isfinite(waited) && waited >= 0.5)
		EVIDENCE(": an iteration is mostly waiting to be put on a CPU, not a switch");
}

static void e2(struct jc *c)
{
	double it = NEED("iterations"), t = NEED("ns_per_iteration");
	double sw = OPT("kernel_switches"), usr = OPT("cpu_user_s"), sys = OPT("cpu_sys_s");
	double par = OPT("parallelism");

	if (missing(c))
		return;
	c->j->v = within(t, 100, 500) ? V_HOLDS : V_FAILS;
	derive(c, "kernel_switches_per_iteration", sw / it, "count", "0");
	derive(c, "user_ns_per_iteration", usr * 1e9 / it, "ns", NULL);
	derive(c, "sys_ns_per_iteration", sys * 1e9 / it, "ns", NULL);
	WHY("%s an iteration (the article: 100-500 ns a switch)", ns(t));
	MEASURED("%s iterations of two tasks, %s each, timed untraced", count(it), ns(t));
	if (isfinite(sw))
		EVIDENCE("%s kernel switches in %s iterations (python3's start included): "
			 "none is a kernel switch", count(sw), count(it));
	if (isfinite(usr) && isfinite(sys))
		EVIDENCE("; CPU time per iteration %s in user space, %s in the kernel (the "
			 "event loop's epoll_wait every turn)", ns(usr * 1e9 / it),
			 ns(sys * 1e9 / it));
	if (isfinite(par))
		EVIDENCE("; %s CPUs busy: the cost is the interpreter's, on one CPU", num(par));
}

/* v within E_TOLERANCE of the article's figure fig, either way */
static int near(double v, double fig)
{
	return v >= fig / E_TOLERANCE && v <= fig * E_TOLERANCE;
}

static void e3(struct jc *c)
{
	double n = NEED("tasks"), w = NEED("wait_ms"), pool = NEED("pool");
	double s = NEED("serial_wall_ms"), t = NEED("pool_wall_ms"), a = NEED("asyncio_wall_ms");
	double tsw = OPT("pool_switches"), tth = OPT("pool_threads");
	double tp = OPT("pool_parallelism"), tcpu = OPT("pool_cpu_ms");
	double asw = OPT("asyncio_switches"), acpu = OPT("asyncio_cpu_ms");
	double rounds;

	if (missing(c))
		return;
	rounds = n / pool;	/* the pool takes the tasks in rounds of pool */
	c->j->v = near(s, n * w) && near(t, rounds * w) && near(a, w) ? V_HOLDS : V_FAILS;
	WHY("serial %s, a pool of %s threads %s, asyncio %s (the article, scaled to %s waits: "
	    "%s, %s, %s)", ns(s * 1e6), num(pool), ns(t * 1e6), ns(a * 1e6), ns(w * 1e6),
	    ns(n * w * 1e6), ns(rounds * w * 1e6), ns(w * 1e6));
	MEASURED("%s tasks x sleep(%s), timed untraced: serial %s, %s threads %s, asyncio %s",
		 num(n), ns(w * 1e6), ns(s * 1e6), num(pool), ns(t * 1e6), ns(a * 1e6));
	if (isfinite(tsw) && isfinite(tth))
		EVIDENCE("the pool: %s threads, %s kernel switches (about two a sleep: to "
			 "sleep, and back), %s CPUs busy, %s of CPU in all", count(tth),
			 count(tsw), num(tp), ns(tcpu * 1e6));
	if (isfinite(asw))
		EVIDENCE("; asyncio: one thread, %s kernel switches for %s sleeps (the loop "
			 "sleeps in epoll_wait until the next timer), %s of CPU", count(asw),
			 count(n), ns(acpu * 1e6));
	EVIDENCE(": the time is the sleeping itself, overlapped or not, not switching");
}

static void e4(struct jc *c)
{
	double n = NEED("tasks"), s = NEED("serial_wall_ms"), t = NEED("threads_wall_ms");
	double p = NEED("processes_wall_ms"), tp = OPT("threads_parallelism");
	double pp = OPT("processes_parallelism"), fw = OPT("threads_futex_waits");
	double fto = OPT("threads_futex_timeouts"), sw = OPT("threads_switches");
	double tw = OPT("threads_traced_wall_ms"), si = OPT("switch_interval_ms");

	if (missing(c))
		return;
	c->j->v = t >= s / C4_GIL_MAX_SPEEDUP && near(p, s / n) ? V_HOLDS : V_FAILS;
	derive(c, "threads_over_serial", t / s, "x", ">= 1x");
	derive(c, "processes_over_serial", p / s, "x", "1/N");
	WHY("%s threads took %s of the serial time, %s processes %s (the article: no less, "
	    "and 1/%s)", num(n), times(t / s), num(n), times(p / s), num(n));
	MEASURED("wall, timed untraced: serial %s, threads %s, processes %s", ns(s * 1e6),
		 ns(t * 1e6), ns(p * 1e6));
	if (isfinite(tp) && isfinite(pp))
		EVIDENCE("CPUs busy on average: threads %s (one holds the GIL at a time), "
			 "processes %s", num(tp), num(pp));
	if (isfinite(fw) && isfinite(fto))
		EVIDENCE("; the threads blocked on the GIL %s times, %s of them timed out at "
			 "the %s switch interval (then the holder is asked to let go)", count(fw),
			 count(fto), ns(si * 1e6));
	if (isfinite(fto) && fto > 0 && isfinite(tw))
		EVIDENCE(": a forced hand-off every %s", ns(tw * 1e6 / fto));
	if (isfinite(sw))
		EVIDENCE("; %s kernel switches", count(sw));
}

static void e5(struct jc *c)
{
	double e = NEED("expected"), l = NEED("lost"), cl = OPT("call_lost");
	double ce = OPT("call_expected"), pv = OPT("python_version"), sw = OPT("switches");
	double fw = OPT("futex_waits"), fto = OPT("futex_timeouts"), tl = OPT("traced_lost");

	if (missing(c))
		return;
	c->j->v = l > 0 ? V_HOLDS : V_FAILS;
	WHY("%s of %s updates lost", count(l), count(e));
	if (isfinite(pv))
		WHY(" with CPython %d.%d", (int)pv / 100, (int)pv % 100);
	if (isfinite(cl))
		WHY("; with a call between the read and the store, %s of %s", count(cl),
		    count(isfinite(ce) ? ce : e));
	MEASURED("%s increments by two threads, untraced: %s lost", count(e), count(l));
	if (isfinite(tl))
		MEASURED(" (traced: %s)", count(tl));
	if (isfinite(sw) && isfinite(fw))
		EVIDENCE("the kernel saw %s switches and %s blocking GIL waits (%s forced by "
			 "the switch interval) during the increments, each a chance for a lost "
			 "update", count(sw), count(fw), count(fto));
	if (!l && isfinite(cl) && cl > 0)
		EVIDENCE(": none fell inside `counter += 1`, since the interpreter lets the GIL "
			 "go only at calls and backward jumps; a call inside it lets updates be lost");
}

static const struct meas_spec c1_m[] = {
	M("process_same_handoff_ns", R_PROC_SAME, "untraced_wl_handoff_ns", "ns", "20-100 us"),
	M("thread_same_handoff_ns", R_THR_SAME, "untraced_wl_handoff_ns", "ns", "5-10 us"),
	M("coroutine_switch_ns", R_CORO, "untraced_wl_handoff_ns", "ns", "100-500 ns"),
	M("ucontext_switch_ns", R_UCTX, "untraced_wl_handoff_ns", "ns", NULL),
	M("process_cross_handoff_ns", R_PROC_CROSS, "untraced_wl_handoff_ns", "ns", "20-100 us"),
	M("thread_cross_handoff_ns", R_THR_CROSS, "untraced_wl_handoff_ns", "ns", "5-10 us"),
	M("thread_same_round_trips", R_THR_SAME, "wl_round_trips", "count", NULL),
	M("thread_same_switches", R_THR_SAME, "switches", "count", NULL),
	M("coroutine_round_trips", R_CORO, "wl_round_trips", "count", NULL),
	M("coroutine_kernel_switches", R_CORO, "switches", "count", NULL),
	M("py_thread_iteration_ns", R_PY_SLEEP0, "untraced_wl_ns_per_iteration", "ns", "5-10 us"),
	M("asyncio_switch_ns", R_PY_ASYNC0, "untraced_wl_ns_per_iteration", "ns", "100-500 ns"),
	{ NULL },
};

static const struct meas_spec c2_m[] = {
	M("process_create_ns", R_SCALE_PROC, "untraced_wl_ns_per_create", "ns", NULL),
	M("thread_create_ns", R_SCALE_THR, "untraced_wl_ns_per_create", "ns", NULL),
	M("coroutine_create_ns", R_SCALE_CORO, "untraced_wl_ns_per_create", "ns", NULL),
	M("process_pss_kib", R_SCALE_PROC, "wl_pss_per_unit_kib", "KiB", NULL),
	M("thread_rss_kib", R_SCALE_THR, "wl_rss_per_unit_kib", "KiB", NULL),
	M("coroutine_rss_kib", R_SCALE_CORO, "wl_rss_per_unit_kib", "KiB", NULL),
	M("process_kernel_kib", R_SCALE_PROC, "wl_kernel_per_unit_kib", "KiB", NULL),
	M("thread_kernel_kib", R_SCALE_THR, "wl_kernel_per_unit_kib", "KiB", NULL),
	M("coroutine_kernel_kib", R_SCALE_CORO, "wl_kernel_per_unit_kib", "KiB", NULL),
	M("process_scale", R_SCALE_PROC, "wl_count", "count", "tens"),
	M("thread_scale", R_SCALE_THR, "wl_count", "count", "hundreds"),
	M("coroutine_scale", R_SCALE_CORO, "wl_count", "count", "tens of thousands"),
	/* 10x the scales, or the limit: context */
	M("process_create_10x_ns", R_SPAWN_PROC, "untraced_wl_ns_per_create", "ns", NULL),
	M("thread_create_10x_ns", R_SPAWN_THR, "untraced_wl_ns_per_create", "ns", NULL),
	M("coroutine_create_10x_ns", R_SPAWN_CORO, "untraced_wl_ns_per_create", "ns", NULL),
	M("process_created", R_SPAWN_PROC, "wl_count", "count", NULL),
	M("process_bound", R_SPAWN_PROC, "@arg:--max", "count", NULL),
	M("process_forks_traced", R_SPAWN_PROC, "processes_created", "count", NULL),
	M("thread_created", R_SPAWN_THR, "wl_count", "count", NULL),
	M("thread_bound", R_SPAWN_THR, "@arg:--max", "count", NULL),
	M("thread_clones_traced", R_SPAWN_THR, "threads_created", "count", NULL),
	M("coroutine_created", R_SPAWN_CORO, "wl_count", "count", NULL),
	M("coroutine_bound", R_SPAWN_CORO, "@arg:--max", "count", NULL),
	M("kernel_threads_max", R_SPAWN_THR, "@file:/proc/sys/kernel/threads-max", "count",
	  NULL),
	M("kernel_pid_max", R_SPAWN_PROC, "@file:/proc/sys/kernel/pid_max", "count", NULL),
	M("kernel_max_map_count", R_SPAWN_CORO, "@file:/proc/sys/vm/max_map_count", "count",
	  NULL),
	{ NULL },
};

static const struct meas_spec c3_m[] = {
	M("thread_stack_reserved_kib", R_SPAWN_THR, "wl_stack_reserved_kib", "KiB", "8 MB"),
	M("thread_rss_per_unit_kib", R_SPAWN_THR, "wl_rss_per_unit_kib", "KiB", NULL),
	M("thread_vsz_per_unit_kib", R_SPAWN_THR, "wl_vsz_per_unit_kib", "KiB", "8 MB"),
	M("thread_kernel_per_unit_kib", R_SPAWN_THR, "wl_kernel_per_unit_kib", "KiB", NULL),
	M("thread_count", R_SPAWN_THR, "wl_count", "count", NULL),
	M("coroutine_stack_reserved_kib", R_SPAWN_CORO, "wl_stack_reserved_kib", "KiB", NULL),
	M("coroutine_rss_per_unit_kib", R_SPAWN_CORO, "wl_rss_per_unit_kib", "KiB", "2 KB"),
	M("coroutine_vsz_per_unit_kib", R_SPAWN_CORO, "wl_vsz_per_unit_kib", "KiB", NULL),
	M("coroutine_count", R_SPAWN_CORO, "wl_count", "count", NULL),
	M("process_rss_per_unit_kib", R_SPAWN_PROC, "wl_rss_per_unit_kib", "KiB", NULL),
	M("process_pss_per_unit_kib", R_SPAWN_PROC, "wl_pss_per_unit_kib", "KiB", NULL),
	M("process_vsz_per_unit_kib", R_SPAWN_PROC, "wl_vsz_per_unit_kib", "KiB", NULL),
	{ NULL },
};

#define CONC(mode, run, k) M(mode "_concurrency_" #k "_s", run, "concurrency_" #k "_s", \
			     "s", NULL)

static const struct meas_spec c4_m[] = {
	M("cpu_tasks", R_PY_CPU_SERIAL, "wl_tasks", "count", "4"),
	M("py_serial_wall_ms", R_PY_CPU_SERIAL, "untraced_wl_wall_ms", "ms", NULL),
	M("gil_wall_ms", R_PY_CPU, "untraced_wl_wall_ms", "ms", ">= serial"),
	M("py_processes_wall_ms", R_PY_CPU_PROCS, "untraced_wl_wall_ms", "ms", "1/N of serial"),
	M("gil_parallelism", R_PY_CPU, "parallelism_avg", "CPUs", "1"),
	M("py_processes_parallelism", R_PY_CPU_PROCS, "parallelism_avg", "CPUs", "N"),
	M("gil_futex_waits", R_PY_CPU, "futex_waits", "count", NULL),
	/* C: the same work without an interpreter lock, the contrast */
	M("serial_wall_ms", R_CPU_SERIAL, "untraced_wl_wall_ms", "ms", NULL),
	M("threads_wall_ms", R_CPU_THREADS, "untraced_wl_wall_ms", "ms", NULL),
	M("processes_wall_ms", R_CPU_PROCS, "untraced_wl_wall_ms", "ms", NULL),
	M("threads_parallelism", R_CPU_THREADS, "parallelism_avg", "CPUs", NULL),
	M("processes_parallelism", R_CPU_PROCS, "parallelism_avg", "CPUs", NULL),
	CONC("gil", R_PY_CPU, 0), CONC("gil", R_PY_CPU, 1), CONC("gil", R_PY_CPU, 2),
	CONC("gil", R_PY_CPU, 3), CONC("gil", R_PY_CPU, 4),
	CONC("processes", R_PY_CPU_PROCS, 0), CONC("processes", R_PY_CPU_PROCS, 1),
	CONC("processes", R_PY_CPU_PROCS, 2), CONC("processes", R_PY_CPU_PROCS, 3),
	CONC("processes", R_PY_CPU_PROCS, 4),
	{ NULL },
};

static const struct meas_spec c5_m[] = {
	M("io_tasks", R_IO_SERIAL, "wl_tasks", "count", "20"),
	M("io_wait_ms", R_IO_SERIAL, "wl_wait_ms", "ms", "500 ms"),
	M("io_pool", R_IO_THREADS, "wl_pool", "count", "10"),
	M("serial_wall_ms", R_IO_SERIAL, "untraced_wl_wall_ms", "ms", "10 s at 500 ms"),
	M("threads_wall_ms", R_IO_THREADS, "untraced_wl_wall_ms", "ms", "1 s at 500 ms"),
	M("coroutines_wall_ms", R_IO_CORO, "untraced_wl_wall_ms", "ms", "0.5 s at 500 ms"),
	M("ucontext_wall_ms", R_IO_CORO_UCTX, "untraced_wl_wall_ms", "ms", "0.5 s at 500 ms"),
	M("threads_parallelism", R_IO_THREADS, "parallelism_avg", "CPUs", NULL),
	M("coroutines_switches", R_IO_CORO, "switches", "count", NULL),
	/* CPython, the article's own method: 20 x sleep */
	M("py_io_tasks", R_PY_SLEEP_SERIAL, "wl_tasks", "count", "20"),
	M("py_io_wait_ms", R_PY_SLEEP_SERIAL, "wl_wait_ms", "ms", "500 ms"),
	M("py_io_pool", R_PY_SLEEP_POOL, "wl_pool", "count", "10"),
	M("py_serial_wall_ms", R_PY_SLEEP_SERIAL, "untraced_wl_wall_ms", "ms", "10 s at 500 ms"),
	M("py_threads_wall_ms", R_PY_SLEEP_POOL, "untraced_wl_wall_ms", "ms", "1 s at 500 ms"),
	M("asyncio_wall_ms", R_PY_SLEEP_ASYNC, "untraced_wl_wall_ms", "ms", "0.5 s at 500 ms"),
	{ NULL },
};

static const struct meas_spec c6_m[] = {
	M("wall_ms", R_IO_10K, "untraced_wl_wall_ms", "ms", "about 100 ms"),
	M("wait_ms", R_IO_10K, "wl_wait_ms", "ms", "100 ms"),
	M("tasks", R_IO_10K, "wl_tasks", "count", "10000"),
	M("last_start_ms", R_IO_10K, "untraced_wl_last_start_ms", "ms", NULL),
	M("overlap", R_IO_10K, "untraced_wl_overlap", "waits", NULL),
	M("kernel_switches", R_IO_10K, "switches", "count", NULL),
	M("traced_tasks", R_IO_10K, "tasks", "count", NULL),
	M("ucontext_wall_ms", R_IO_10K_UCTX, "untraced_wl_wall_ms", "ms", "about 100 ms"),
	M("ucontext_last_start_ms", R_IO_10K_UCTX, "untraced_wl_last_start_ms", "ms", NULL),
	M("ucontext_overlap", R_IO_10K_UCTX, "untraced_wl_overlap", "waits", NULL),
	M("asyncio_wall_ms", R_PY_IO_10K, "untraced_wl_wall_ms", "ms", "about 100 ms"),
	M("asyncio_overlap", R_PY_IO_10K, "untraced_wl_overlap", "waits", NULL),
	M("asyncio_tasks", R_PY_IO_10K, "wl_tasks", "count", "10000"),
	M("asyncio_wait_ms", R_PY_IO_10K, "wl_wait_ms", "ms", "100 ms"),
	M("asyncio_kernel_switches", R_PY_IO_10K, "switches", "count", NULL),
	{ NULL },
};

static const struct meas_spec c7_m[] = {
	M("slice_p50_us", R_SLICE, "untraced_wl_slice_p50_us", "us", "5-10 ms"),
	M("slice_p99_us", R_SLICE, "untraced_wl_slice_p99_us", "us", NULL),
	M("threads", R_SLICE, "wl_threads", "count", NULL),
	M("hz", R_SLICE, "wl_hz", "1/s", NULL),
	M("switches_involuntary", R_SLICE, "switches_involuntary", "count", NULL),
	M("switches_voluntary", R_SLICE, "switches_voluntary", "count", NULL),
	M("wall_s", R_SLICE, "wall_s", "s", NULL),
	{ NULL },
};

static const struct meas_spec c8_m[] = {
	M("threads", R_PY_CPU, "wl_tasks", "count", NULL),
	M("wall_ms", R_PY_CPU, "wl_wall_ms", "ms", NULL),
	M("switch_interval_ms", R_PY_CPU, "wl_switch_interval_ms", "ms", "5 ms"),
	M("futex_timeouts", R_PY_CPU, "futex_timeouts", "count", NULL),
	M("futex_waits", R_PY_CPU, "futex_waits", "count", NULL),
	M("futex_wait_bitset", R_PY_CPU, "futex_blocked_wait_bitset", "count", NULL),
	{ NULL },
};

static const struct meas_spec c9_m[] = {
	M("thread_same_handoff_ns", R_THR_SAME, "untraced_wl_handoff_ns", "ns", "5-10 us"),
	M("process_same_handoff_ns", R_PROC_SAME, "untraced_wl_handoff_ns", "ns", "20-100 us"),
	M("thread_same_spread_pct", R_THR_SAME, "@spread:untraced_wl_handoff_ns", "%", NULL),
	M("process_same_spread_pct", R_PROC_SAME, "@spread:untraced_wl_handoff_ns", "%", NULL),
	M("thread_ws_handoff_ns", R_THR_SAME_WS, "untraced_wl_handoff_ns", "ns", NULL),
	M("process_ws_handoff_ns", R_PROC_SAME_WS, "untraced_wl_handoff_ns", "ns", "> thread"),
	M("thread_ws_spread_pct", R_THR_SAME_WS, "@spread:untraced_wl_handoff_ns", "%", NULL),
	M("process_ws_spread_pct", R_PROC_SAME_WS, "@spread:untraced_wl_handoff_ns", "%", NULL),
	M("ws_kib", R_THR_SAME_WS, "@arg:--touch-kib", "KiB", NULL),
	M("pcid", R_THR_SAME, "@cpuflag:pcid", "flag", NULL),
	M("thread_same_switch_only_ns", R_THR_SAME, "untraced_wl_switch_only_ns", "ns", NULL),
	M("process_same_switch_only_ns", R_PROC_SAME, "untraced_wl_switch_only_ns", "ns", NULL),
	M("thread_same_switches", R_THR_SAME, "switches", "count", NULL),
	M("process_same_switches", R_PROC_SAME, "switches", "count", NULL),
	M("thread_same_round_trips", R_THR_SAME, "wl_round_trips", "count", NULL),
	M("process_same_round_trips", R_PROC_SAME, "wl_round_trips", "count", NULL),
	{ NULL },
};

static const struct meas_spec c10_m[] = {
	M("py_expected", R_PY_CNT_INPLACE, "untraced_wl_expected", "count", NULL),
	M("py_inplace_lost", R_PY_CNT_INPLACE, "untraced_wl_lost_updates", "count", "> 0"),
	M("py_call_lost", R_PY_CNT_CALL, "untraced_wl_lost_updates", "count", NULL),
	M("py_call_expected", R_PY_CNT_CALL, "untraced_wl_expected", "count", NULL),
	M("py_lock_lost", R_PY_CNT_LOCK, "untraced_wl_lost_updates", "count", "0"),
	M("py_inplace_ns_per_increment", R_PY_CNT_INPLACE, "untraced_wl_ns_per_increment", "ns", NULL),
	M("py_call_ns_per_increment", R_PY_CNT_CALL, "untraced_wl_ns_per_increment", "ns", NULL),
	M("py_lock_ns_per_increment", R_PY_CNT_LOCK, "untraced_wl_ns_per_increment", "ns", "more"),
	M("py_lock_futex_waits", R_PY_CNT_LOCK, "futex_waits", "count", NULL),
	/* C: a plain load, add, store always races; the contrast */
	M("expected", R_CNT_NONE, "wl_expected", "count", NULL),
	M("race_lost", R_CNT_NONE, "untraced_wl_lost_updates", "count", NULL),
	M("mutex_lost", R_CNT_MUTEX, "untraced_wl_lost_updates", "count", NULL),
	M("race_ns_per_increment", R_CNT_NONE, "untraced_wl_ns_per_increment", "ns", NULL),
	M("mutex_ns_per_increment", R_CNT_MUTEX, "untraced_wl_ns_per_increment", "ns", NULL),
	M("atomic_ns_per_increment", R_CNT_ATOMIC, "untraced_wl_ns_per_increment", "ns", NULL),
	{ NULL },
};

static const struct meas_spec c11_m[] = {
	M("coroutine_round_trips", R_CORO, "wl_round_trips", "count", NULL),
	M("coroutine_kernel_switches", R_CORO, "switches", "count", "0"),
	M("coroutine_sys_s", R_CORO, "cpu_sys_s", "s", "0"),
	M("coroutine_user_s", R_CORO, "cpu_user_s", "s", NULL),
	M("ucontext_round_trips", R_UCTX, "wl_round_trips", "count", NULL),
	M("ucontext_kernel_switches", R_UCTX, "switches", "count", NULL),
	M("ucontext_sys_s", R_UCTX, "cpu_sys_s", "s", NULL),
	M("asyncio_iterations", R_PY_ASYNC0, "wl_iterations", "count", NULL),
	M("asyncio_kernel_switches", R_PY_ASYNC0, "switches", "count", "0"),
	M("asyncio_sys_s", R_PY_ASYNC0, "cpu_sys_s", "s", "0"),
	{ NULL },
};

static const struct meas_spec c12_m[] = {
	M("thread_same_handoff_ns", R_THR_SAME, "untraced_wl_handoff_ns", "ns", "5-10 us"),
	M("thread_same_ipc_only_ns", R_THR_SAME, "untraced_wl_ipc_only_ns", "ns", "~100 ns per syscall"),
	M("thread_same_switch_only_ns", R_THR_SAME, "untraced_wl_switch_only_ns", "ns", NULL),
	M("thread_cross_handoff_ns", R_THR_CROSS, "untraced_wl_handoff_ns", "ns", NULL),
	M("coroutine_switch_ns", R_CORO, "untraced_wl_handoff_ns", "ns", "100-500 ns"),
	M("ucontext_switch_ns", R_UCTX, "untraced_wl_handoff_ns", "ns", NULL),
	M("thread_same_sys_s", R_THR_SAME, "cpu_sys_s", "s", NULL),
	M("thread_same_switches", R_THR_SAME, "switches", "count", NULL),
	M("py_thread_iteration_ns", R_PY_SLEEP0, "untraced_wl_ns_per_iteration", "ns", "5-10 us"),
	M("asyncio_switch_ns", R_PY_ASYNC0, "untraced_wl_ns_per_iteration", "ns", "100-500 ns"),
	{ NULL },
};

static const struct meas_spec c13_m[] = {
	M("process_create_ns", R_SPAWN_PROC, "untraced_wl_ns_per_create", "ns", "expensive"),
	M("exec_create_ns", R_SPAWN_EXEC, "untraced_wl_ns_per_create", "ns", NULL),
	M("thread_create_ns", R_SPAWN_THR, "untraced_wl_ns_per_create", "ns", "cheap"),
	M("coroutine_create_ns", R_SPAWN_CORO, "untraced_wl_ns_per_create", "ns", NULL),
	M("processes_created", R_SPAWN_PROC, "processes_created", "count", NULL),
	M("threads_created", R_SPAWN_THR, "threads_created", "count", NULL),
	M("process_sys_s", R_SPAWN_PROC, "cpu_sys_s", "s", NULL),
	M("thread_sys_s", R_SPAWN_THR, "cpu_sys_s", "s", NULL),
	{ NULL },
};

static const struct meas_spec c14_m[] = {
	M("items", R_PRODCONS, "wl_items", "count", NULL),
	M("waits", R_PRODCONS, "wl_waits", "count", NULL),
	M("futex_waits", R_PRODCONS, "futex_waits", "count", "one per wait"),
	M("futex_wait_bitset", R_PRODCONS, "futex_blocked_wait_bitset", "count", NULL),
	M("futex_woken", R_PRODCONS, "futex_woken", "count", NULL),
	{ NULL },
};

static const struct meas_spec c15_m[] = {
	M("tasks", R_PY_IO_THREADS, "wl_tasks", "count", NULL),
	M("wait_ms", R_PY_IO_THREADS, "wl_wait_ms", "ms", NULL),
	M("serial_wall_ms", R_PY_IO_SERIAL, "untraced_wl_wall_ms", "ms", NULL),
	M("threads_wall_ms", R_PY_IO_THREADS, "untraced_wl_wall_ms", "ms", "overlapped"),
	M("threads_overlap", R_PY_IO_THREADS, "untraced_wl_overlap", "waits", "~tasks"),
	M("threads_parallelism", R_PY_IO_THREADS, "parallelism_avg", "CPUs", NULL),
	M("threads_cpu_ms", R_PY_IO_THREADS, "untraced_wl_cpu_ms", "ms", NULL),
	{ NULL },
};

static const struct meas_spec e1_m[] = {
	M("threads", R_PY_SLEEP0, "wl_tasks", "count", "2"),
	M("iterations", R_PY_SLEEP0, "wl_iterations", "count", NULL),
	M("ns_per_iteration", R_PY_SLEEP0, "untraced_wl_ns_per_iteration", "ns", "5-10 us"),
	M("traced_ns_per_iteration", R_PY_SLEEP0, "wl_ns_per_iteration", "ns", NULL),
	M("switches_voluntary", R_PY_SLEEP0, "switches_voluntary", "count", NULL),
	M("switches_involuntary", R_PY_SLEEP0, "switches_involuntary", "count", NULL),
	M("futex_waits", R_PY_SLEEP0, "futex_waits", "count", NULL),
	M("wakeups_same_cpu", R_PY_SLEEP0, "wakeup_latency_same_cpu_count", "count", NULL),
	M("wakeups_cross_cpu", R_PY_SLEEP0, "wakeup_latency_cross_cpu_count", "count", NULL),
	M("wakeup_same_cpu_avg_us", R_PY_SLEEP0, "wakeup_latency_same_cpu_avg_us", "us", NULL),
	M("wakeup_cross_cpu_avg_us", R_PY_SLEEP0, "wakeup_latency_cross_cpu_avg_us", "us", NULL),
	M("parallelism", R_PY_SLEEP0, "parallelism_avg", "CPUs", NULL),
	M("sleeps", R_PY_SLEEP0, "offcpu_sleep_count", "count", NULL),
	M("sleep_avg_us", R_PY_SLEEP0, "offcpu_sleep_avg_us", "us", NULL),
	M("futex_wait_avg_us", R_PY_SLEEP0, "futex_wait_avg_us", "us", NULL),
	M("traced_wall_ms", R_PY_SLEEP0, "wl_wall_ms", "ms", NULL),
	M("timer_slack_ns", R_PY_SLEEP0, "@file:/proc/self/timerslack_ns", "ns", NULL),
	{ NULL },
};

static const struct meas_spec e2_m[] = {
	M("tasks", R_PY_ASYNC0, "wl_tasks", "count", "2"),
	M("iterations", R_PY_ASYNC0, "wl_iterations", "count", NULL),
	M("ns_per_iteration", R_PY_ASYNC0, "untraced_wl_ns_per_iteration", "ns", "100-500 ns"),
	M("kernel_switches", R_PY_ASYNC0, "switches", "count", "0"),
	M("cpu_user_s", R_PY_ASYNC0, "cpu_user_s", "s", NULL),
	M("cpu_sys_s", R_PY_ASYNC0, "cpu_sys_s", "s", NULL),
	M("parallelism", R_PY_ASYNC0, "parallelism_avg", "CPUs", NULL),
	{ NULL },
};

static const struct meas_spec e3_m[] = {
	M("tasks", R_PY_SLEEP_SERIAL, "wl_tasks", "count", "20"),
	M("wait_ms", R_PY_SLEEP_SERIAL, "wl_wait_ms", "ms", "500 ms"),
	M("pool", R_PY_SLEEP_POOL, "wl_pool", "count", "10"),
	M("serial_wall_ms", R_PY_SLEEP_SERIAL, "untraced_wl_wall_ms", "ms", "10 s"),
	M("pool_wall_ms", R_PY_SLEEP_POOL, "untraced_wl_wall_ms", "ms", "1 s"),
	M("asyncio_wall_ms", R_PY_SLEEP_ASYNC, "untraced_wl_wall_ms", "ms", "0.5 s"),
	M("pool_switches", R_PY_SLEEP_POOL, "switches", "count", NULL),
	M("pool_threads", R_PY_SLEEP_POOL, "threads_created", "count", NULL),
	M("pool_parallelism", R_PY_SLEEP_POOL, "parallelism_avg", "CPUs", NULL),
	M("pool_cpu_ms", R_PY_SLEEP_POOL, "untraced_wl_cpu_ms", "ms", NULL),
	M("asyncio_switches", R_PY_SLEEP_ASYNC, "switches", "count", NULL),
	M("asyncio_cpu_ms", R_PY_SLEEP_ASYNC, "untraced_wl_cpu_ms", "ms", NULL),
	{ NULL },
};

static const struct meas_spec e4_m[] = {
	M("tasks", R_PY_CPU_SERIAL, "wl_tasks", "count", "4"),
	M("serial_wall_ms", R_PY_CPU_SERIAL, "untraced_wl_wall_ms", "ms", NULL),
	M("threads_wall_ms", R_PY_CPU, "untraced_wl_wall_ms", "ms", ">= serial"),
	M("processes_wall_ms", R_PY_CPU_PROCS, "untraced_wl_wall_ms", "ms", "1/N of serial"),
	M("threads_parallelism", R_PY_CPU, "parallelism_avg", "CPUs", "1"),
	M("processes_parallelism", R_PY_CPU_PROCS, "parallelism_avg", "CPUs", "N"),
	M("threads_futex_waits", R_PY_CPU, "futex_waits", "count", NULL),
	M("threads_futex_timeouts", R_PY_CPU, "futex_timeouts", "count", NULL),
	M("threads_switches", R_PY_CPU, "switches", "count", NULL),
	M("threads_traced_wall_ms", R_PY_CPU, "wl_wall_ms", "ms", NULL),
	M("switch_interval_ms", R_PY_CPU, "wl_switch_interval_ms", "ms", "5 ms"),
	{ NULL },
};

static const struct meas_spec e5_m[] = {
	M("expected", R_PY_CNT_INPLACE, "untraced_wl_expected", "count", NULL),
	M("lost", R_PY_CNT_INPLACE, "untraced_wl_lost_updates", "count", "> 0"),
	M("call_lost", R_PY_CNT_CALL, "untraced_wl_lost_updates", "count", NULL),
	M("call_expected", R_PY_CNT_CALL, "untraced_wl_expected", "count", NULL),
	M("python_version", R_PY_CNT_INPLACE, "wl_python_version", "x.yy", NULL),
	M("switches", R_PY_CNT_INPLACE, "switches", "count", NULL),
	M("futex_waits", R_PY_CNT_INPLACE, "futex_waits", "count", NULL),
	M("futex_timeouts", R_PY_CNT_INPLACE, "futex_timeouts", "count", NULL),
	M("traced_lost", R_PY_CNT_INPLACE, "wl_lost_updates", "count", NULL),
	{ NULL },
};

typedef void (*judge_fn)(struct jc *);

static const struct {
	struct claim c;
	judge_fn fn;
} claims[] = {
#define C(id, fn, text, article) { { id, text, article, fn##_m, 0 }, fn }
	C("C1", c1, "switch cost: processes > threads > coroutines",
	  "process 20-100 us (\"ms-level\" in its table), thread 5-10 us, coroutine "
	  "0.1-0.5 us; coroutines 10-100x cheaper than threads"),
	C("C2", c2, "practical scale follows the cost of a unit",
	  "processes: tens; threads: hundreds; coroutines: tens of thousands (its pitfall: "
	  "1,000 processes are \"too many\")"),
	C("C3", c3, "memory per unit",
	  "thread stack ~8 MB, coroutine ~2 KB; 10,000 coroutines ~20 MB, 10,000 threads "
	  "would need 80 GB"),
	C("C4", c4, "CPU-bound: GIL threads gain nothing, processes ~N x",
	  "CPython threads no speedup, can be \"even slower than one thread\"; processes: "
	  "4 cores, about 1/4 of the time"),
	C("C5", c5, "IO-bound: threads and coroutines overlap the waits",
	  "20 tasks x 0.5 s: serial 10 s, a pool of 10 threads ~1 s, coroutines ~0.5 s"),
	C("C6", c6, "10,000 coroutines waiting 0.1 s finish in ~0.1 s", "about 0.1 s"),
	C("C7", c7, "the OS preempts on a timer every few ms",
	  "a forced switch every few ms (\"e.g. every 10 ms\", \"5 ms\" for threads)"),
	C("C8", c8, "CPython hands the GIL over every 5 ms", "5 ms switch interval"),
	C("C9", c9, "a thread switch is cheaper than a process switch",
	  "cheaper, the address space (TLB) not switched: about 5-10 us against 20-100 us, "
	  "a 2-20x difference"),
	C("C10", c10, "an unprotected counter loses updates; a lock fixes it at a cost",
	  "in CPython, two threads running counter += 1 may lose updates; a lock fixes it, "
	  "at a cost"),
	C("C11", c11, "a coroutine switch makes no syscall and no kernel switch",
	  "no system call, no kernel context switch"),
	C("C12", c12, "a kernel thread switch costs ~5-10 us, a coroutine's ~0.1-0.5 us",
	  "thread ~5-10 us in all (syscall ~100 ns, registers ~50 ns, TLB ~200 ns, "
	  "scheduler ~100 ns ...); coroutine ~100-500 ns"),
	C("C13", c13, "creating a process is expensive, a thread cheap",
	  "process creation expensive, thread creation cheap"),
	C("C14", c14, "a lock + condvar queue hands items over by wait/notify",
	  "producers and consumers wait and notify"),
	C("C15", c15, "Python threads overlap IO (the GIL is released while blocked)",
	  "IO-bound Python threads overlap their waits"),
#define E(id, fn, text, article) { { id, text, article, fn##_m, 1 }, fn }
	E("E1", e1, "two Python threads loop on time.sleep(0), an iteration a switch",
	  "a thread switch, 5-10 us"),
	E("E2", e2, "two asyncio tasks loop on await asyncio.sleep(0) under gather",
	  "a coroutine switch, 0.1-0.5 us"),
	E("E3", e3, "20 tasks sleep 0.5 s: serially, in a pool of 10 threads, in asyncio",
	  "serial 10 s, a pool of 10 threads ~1 s, asyncio ~0.5 s"),
	E("E4", e4, "CPU-bound Python: N threads against N processes, over serial",
	  "threads no faster than serial (even slower); processes ~1/N of the time"),
	E("E5", e5, "two Python threads run counter += 1 without a lock",
	  "updates may be lost"),
#undef E
#undef C
};

#define NCLAIMS (sizeof(claims) / sizeof(claims[0]))

size_t claim_count(void)
{
	return NCLAIMS;
}

const struct claim *claim_at(size_t i)
{
	return i < NCLAIMS ? &claims[i].c : NULL;
}

const struct claim *claim_find(const char *id)
{
	for (size_t i = 0; i < NCLAIMS; i++)
		if (!strcasecmp(claims[i].c.id, id))
			return &claims[i].c;
	return NULL;
}

const struct meas_spec *claim_spec(const struct claim *c, const char *name)
{
	for (const struct meas_spec *m = c->specs; m->name; m++)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case V_HOLDS:
		return "holds";
	case V_PARTLY:
		return "partly";
	case V_FAILS:
		return "does not hold";
	case V_DEPENDS:
		return "depends";
	default:
		return "not measured";
	}
}

const char *claim_verdict_name(const struct claim *c, enum verdict v)
{
	if (!c->bench)
		return verdict_name(v);
	return v == V_HOLDS ? "reproduced" : v == V_FAILS ? "not reproduced" : verdict_name(v);
}

int mset_get(const struct mset *s, const char *name, double *v)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->m[i].name, name)) {
			*v = s->m[i].value;
			return 0;
		}
	return -ENOENT;
}

int mset_put(struct mset *s, const char *name, double v, const char *unit,
	     const char *article, int derived)
{
	struct meas *m = NULL;

	for (int i = 0; i < s->n && !m; i++)
		if (!strcmp(s->m[i].name, name))
			m = &s->m[i];
	if (!m) {
		if (s->n >= MSET_MAX)
			return -ENOSPC;
		m = &s->m[s->n++];
	}
	snprintf(m->name, sizeof(m->name), "%s", name);
	snprintf(m->unit, sizeof(m->unit), "%s", unit ? unit : "");
	snprintf(m->article, sizeof(m->article), "%s", article ? article : "");
	m->value = v;
	m->derived = derived;
	return 0;
}

void claim_judge(const struct claim *cl, struct mset *s, struct judgement *j)
{
	struct jc c = { .s = s, .j = j };
	double inter;

	memset(j, 0, sizeof(*j));
	if (*s->skipped) {
		j->v = V_NONE;
		snprintf(j->why, sizeof(j->why), "%s", s->skipped);
		return;
	}
	for (size_t i = 0; i < NCLAIMS; i++)
		if (&claims[i].c == cl)
			claims[i].fn(&c);
	if (!mset_get(s, INTERFERENCE_NAME, &inter) && inter > INTERFERENCE_NOTE_PCT)
		snprintf(j->note, sizeof(j->note), "other tasks took up to %.0f%% of a CPU "
			 "this claim's workloads used: figures may be inflated", inter);
}
