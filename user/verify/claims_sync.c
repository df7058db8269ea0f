// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Shared state: C10 (lost updates), C14 (a condition-variable queue), E5.
 */
#include <math.h>
#include <stdio.h>
#include "verify/verdict.h"

#define C10_MIN_COST_RATIO	1.1	/* mutex / unprotected time per increment */
#define C14_MIN_KERNEL_SHARE	0.5	/* queue waits that reach futex */

/*
 * Judged on CPython: its `counter += 1` (no bytecode between the read and
 * the store lets the GIL go, since 3.10: there the claim holds partly at
 * most, on the call variant), and the same increment with a call between
 * them, where a switch can fall; a lock around the latter must lose none.
 * The C counter races at every increment: the contrast.
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

static const struct meas_spec c14_m[] = {
	M("items", R_PRODCONS, "wl_items", "count", NULL),
	M("waits", R_PRODCONS, "wl_waits", "count", NULL),
	M("futex_waits", R_PRODCONS, "futex_waits", "count", NULL),
	M("futex_wait_bitset", R_PRODCONS, "futex_blocked_wait_bitset", "count", "one per wait"),
	M("futex_woken", R_PRODCONS, "futex_woken", "count", NULL),
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

const struct claim_def claim_C10 = { { "C10", "an unprotected counter loses updates; a lock fixes it at a cost",
	  "in CPython, two threads running counter += 1 may lose updates; a lock fixes it, "
	  "at a cost",
		c10_m, 0 }, c10 };

const struct claim_def claim_C14 = { { "C14", "a lock + condvar queue hands items over by wait/notify",
	  "producers and consumers wait and notify",
		c14_m, 0 }, c14 };

const struct claim_def claim_E5 = { { "E5", "two Python threads run counter += 1 without a lock",
	  "updates may be lost",
		e5_m, 1 }, e5 };
