// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * IO-bound work: C5 (overlapped waits), C6 (10,000 coroutines), C15
 * (Python threads), E3.
 */
#include <math.h>
#include <stdio.h>
#include "verify/verdict.h"

#define C5_MIN_EFFICIENCY	0.8	/* of the ideal speedup */
#define C5_LARGE_SPEEDUP	2.0
#define C6_MAX_RATIO		1.5	/* wall / one wait: "about 0.1 s" */
#define C6_MIN_OVERLAP_SHARE	0.25	/* waits in flight / coroutines: partly */
#define C15_MIN_OVERLAP_SHARE	0.25	/* waits in flight / tasks */
#define C15_PARTLY_OVERLAP	2.0

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
	/* the pool takes the tasks in rounds of pool: whole rounds, one at least */
	rounds = pool >= 1 ? (double)(((long)n + (long)pool - 1) / (long)pool) : NAN;
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

const struct claim_def claim_C5 = { { "C5", "IO-bound: threads and coroutines overlap the waits",
	  "20 tasks x 0.5 s: serial 10 s, a pool of 10 threads ~1 s, coroutines ~0.5 s",
		c5_m, 0 }, c5 };

const struct claim_def claim_C6 = { { "C6", "10,000 coroutines waiting 0.1 s finish in ~0.1 s", "about 0.1 s",
		c6_m, 0 }, c6 };

const struct claim_def claim_C15 = { { "C15", "Python threads overlap IO (the GIL is released while blocked)",
	  "IO-bound Python threads overlap their waits",
		c15_m, 0 }, c15 };

const struct claim_def claim_E3 = { { "E3", "20 tasks sleep 0.5 s: serially, in a pool of 10 threads, in asyncio",
	  "serial 10 s, a pool of 10 threads ~1 s, asyncio ~0.5 s",
		e3_m, 1 }, e3 };
