// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * CPU-bound work and preemption: C4 (CPython threads and processes), C7
 * (the timer), C8 (the GIL's interval), E4.
 */
#include <math.h>
#include <stdio.h>
#include "verify/verdict.h"

#define C4_MIN_EFFICIENCY	0.7	/* processes: speedup >= 0.7 x tasks */
#define C4_GIL_MAX_SPEEDUP	1.15	/* GIL threads: "no speedup" */
#define C7_SLICE_MIN_US		1000.0	/* "every few ms": 1-20 ms */
#define C7_SLICE_MAX_US		20000.0
#define C7_MIN_INVOL_SHARE	0.5	/* preemptions among all switches */
#define C8_MIN_FACTOR		0.5	/* hand-off interval / switch interval */
#define C8_MAX_FACTOR		2.0
#define CONC(mode, run, k) M(mode "_concurrency_" #k "_s", run, "concurrency_" #k "_s", \
			     "s", NULL)

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
	if (isfinite(fto) && fto > 0 && isfinite(tw) && n == 2)	/* one waiter: C8 */
		EVIDENCE(": a forced hand-off every %s", ns(tw * 1e6 / fto));
	if (isfinite(sw))
		EVIDENCE("; %s kernel switches", count(sw));
}

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
	M("threads", R_PY_GIL2, "wl_tasks", "count", NULL),
	M("wall_ms", R_PY_GIL2, "wl_wall_ms", "ms", NULL),
	M("switch_interval_ms", R_PY_GIL2, "wl_switch_interval_ms", "ms", "5 ms"),
	M("futex_timeouts", R_PY_GIL2, "futex_timeouts", "count", NULL),
	M("futex_waits", R_PY_GIL2, "futex_waits", "count", NULL),
	M("futex_wait_bitset", R_PY_GIL2, "futex_blocked_wait_bitset", "count", NULL),
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

const struct claim_def claim_C4 = { { "C4", "CPU-bound: GIL threads gain nothing, processes ~N x",
	  "CPython threads no speedup, can be \"even slower than one thread\"; processes: "
	  "4 cores, about 1/4 of the time",
		c4_m, 0 }, c4 };

const struct claim_def claim_C7 = { { "C7", "the OS preempts on a timer every few ms",
	  "a forced switch every few ms (\"e.g. every 10 ms\", \"5 ms\" for threads)",
		c7_m, 0 }, c7 };

const struct claim_def claim_C8 = { { "C8", "CPython hands the GIL over every 5 ms", "5 ms switch interval",
		c8_m, 0 }, c8 };

const struct claim_def claim_E4 = { { "E4", "CPU-bound Python: N threads against N processes, over serial",
	  "threads no faster than serial (even slower); processes ~1/N of the time",
		e4_m, 1 }, e4 };
