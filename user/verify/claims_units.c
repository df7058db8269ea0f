// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Creating units: C2 (practical scale as cost), C3 (memory), C13
 * (creation time).
 */
#include <math.h>
#include <stdio.h>
#include "verify/verdict.h"

#define C2_MIN_PT_RATIO		3.16	/* process / thread cost: ~10x */
#define C2_MIN_TC_RATIO		31.6	/* thread / coroutine cost: ~100x */
#define C3_STACK_MIN_KIB	4096	/* "~8 MB" of thread stack: 4-16 MiB */
#define C3_STACK_MAX_KIB	16384
#define C3_CORO_MAX_KIB		8.0	/* "~2 KB": at most two 4 KiB pages */
#define C3_REAL_SHARE		0.1	/* 10,000 threads' RSS vs the 80 GB */
#define C13_MIN_RATIO		2.0	/* process / thread creation time */
#define C13_PARTLY_RATIO	1.2

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

const struct claim_def claim_C2 = { { "C2", "practical scale follows the cost of a unit",
	  "processes: tens; threads: hundreds; coroutines: tens of thousands (its pitfall: "
	  "1,000 processes are \"too many\")",
		c2_m, 0 }, c2 };

const struct claim_def claim_C3 = { { "C3", "memory per unit",
	  "thread stack ~8 MB, coroutine ~2 KB; 10,000 coroutines ~20 MB, 10,000 threads "
	  "would need 80 GB",
		c3_m, 0 }, c3 };

const struct claim_def claim_C13 = { { "C13", "creating a process is expensive, a thread cheap",
	  "process creation expensive, thread creation cheap",
		c13_m, 0 }, c13 };
