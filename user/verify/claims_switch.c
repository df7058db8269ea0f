// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Switch cost: C1, C9, C11, C12, and the article's own switch benchmarks
 * (E1, E2). See docs/verify.md for what measures each.
 */
#include <math.h>
#include <stdio.h>
#include "verify/verdict.h"

#define C1_MIN_RATIO		10.0	/* thread hand-off / coroutine switch */
#define C9_MIN_RATIO		2.0	/* process / thread: "5-10 us" against "20-100 us" */
#define C11_MAX_SWITCH_RATIO	0.001	/* kernel switches per coroutine switch */
#define C11_MAX_SYS_NS		10.0	/* system time per switch; a syscall >= ~100 ns */

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
		EVIDENCE("PCID %s: %s; ", pcid ? "on (the kernel lists the pcid flag, which it "
			 "clears when it does not use it)" : "off",
			 pcid ? "a process switch changes address space without flushing "
			 "the TLB, whose entries carry the process's tag" :
			 "a process switch flushes the TLB");
	if (isfinite(tsw) && isfinite(psw))
		EVIDENCE("%s kernel switches for %s thread round trips, %s for %s process "
			 "round trips", count(tsw), count(trt), count(psw), count(prt));
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
	if (isfinite(fw) && isfinite(fwa) && sl > fw) {
		sla = (sl * sla - fw * fwa) / (sl - fw);
		sl -= fw;
	}
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

const struct claim_def claim_C1 = { { "C1", "switch cost: processes > threads > coroutines",
	  "process 20-100 us (\"ms-level\" in its table), thread 5-10 us, coroutine "
	  "0.1-0.5 us; coroutines 10-100x cheaper than threads",
		c1_m, 0 }, c1 };

const struct claim_def claim_C9 = { { "C9", "a thread switch is cheaper than a process switch",
	  "cheaper, the address space (TLB) not switched: about 5-10 us against 20-100 us, "
	  "a 2-20x difference",
		c9_m, 0 }, c9 };

const struct claim_def claim_C11 = { { "C11", "a coroutine switch makes no syscall and no kernel switch",
	  "no system call, no kernel context switch",
		c11_m, 0 }, c11 };

const struct claim_def claim_C12 = { { "C12", "a kernel thread switch costs ~5-10 us, a coroutine's ~0.1-0.5 us",
	  "thread ~5-10 us in all (syscall ~100 ns, registers ~50 ns, TLB ~200 ns, "
	  "scheduler ~100 ns ...); coroutine ~100-500 ns",
		c12_m, 0 }, c12 };

const struct claim_def claim_E1 = { { "E1", "two Python threads loop on time.sleep(0), an iteration a switch",
	  "a thread switch, 5-10 us",
		e1_m, 1 }, e1 };

const struct claim_def claim_E2 = { { "E2", "two asyncio tasks loop on await asyncio.sleep(0) under gather",
	  "a coroutine switch, 0.1-0.5 us",
		e2_m, 1 }, e2 };
