/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * How events become figures, written once for both sides: the BPF programs
 * run it on live events in the kernel, user/core/replay.c on the events of a
 * file (tracer report) or of an --events run. Same code, same figures.
 *
 * A task's life is cut into three kinds of interval (perf sched's terms):
 *
 *   on-CPU ..... switch-out ......... waking ........ switch-in ..... on-CPU
 *      |--- run ---|------ sleep --------|---- runq -------|---- run ----
 *
 * A task that leaves the CPU still runnable (preempted, or yielding) does
 * not sleep: its whole off-CPU interval is run-queue delay (HIST_PREEMPT).
 * Otherwise waking -> switch-in is its wakeup latency, kept apart by whether
 * the waker ran on the CPU the wakee then runs on (HIST_WAKE_SAME) or on
 * another one (HIST_WAKE_CROSS: on a VM, an idle vCPU must be woken first).
 * Voluntary and involuntary follow the kernel's own nvcsw/nivcsw split:
 * preempted, or switched out still TASK_RUNNING, is involuntary, but for a
 * task that went to sleep with a signal pending (logic_switch_out).
 *
 * The includer defines LOGIC_CTX (a pointer type handed back to its hooks),
 * LOGIC_FN (the storage class of functions) and these hooks:
 *   logic_add(ctx, counter_id, n)         n more of a counter
 *   logic_hist(ctx, hist_id, ns)          one value into a histogram
 *   logic_wakeup(ctx, ts, hist_id, waker, wakee, ns)
 *                                         a wakeup latency: into a histogram
 *                                         and the pair's (ts: the wakee's)
 *   logic_level(ctx, up, now)             a tree task got on (up) or off CPU
 *   logic_futex_wait(ctx, ts, tid, uaddr, ns)  a blocked futex wait of task tid
 * The histogram helpers the hooks may use (hist_slot, hist_add_at,
 * hist_add_to) are histslot.h's, included first. LOGIC_RARE_FN, if the
 * includer defines it, is the storage class of the functions of paths
 * that are rare (switches the kernel did not report): in BPF, functions
 * the verifier checks once rather than at each inlined call site.
 */
#ifndef TRACER_LOGIC_H
#define TRACER_LOGIC_H

#include "events.h"
#include "histslot.h"

#ifndef LOGIC_RARE_FN
#define LOGIC_RARE_FN	LOGIC_FN
#endif

#define TASK_RUNNING_STATE	0x0000
#define TASK_UNINTERRUPTIBLE	0x0002
#define TASK_DEAD_STATE		0x0080

#define logic_count(ctx, id)	logic_add(ctx, id, 1)

#define ERR_EAGAIN		11
#define ERR_ETIMEDOUT		110

/* futex(2) commands (after FUTEX_CMD_MASK, events.h) */
enum {
	FX_WAIT, FX_WAKE, FX_FD, FX_REQUEUE, FX_CMP_REQUEUE, FX_WAKE_OP,
	FX_LOCK_PI, FX_UNLOCK_PI, FX_TRYLOCK_PI, FX_WAIT_BITSET,
	FX_WAKE_BITSET, FX_WAIT_REQUEUE_PI, FX_CMP_REQUEUE_PI, FX_LOCK_PI2,
};

LOGIC_FN int futex_is_wait(__u32 op)
{
	return op == FX_WAIT || op == FX_WAIT_BITSET || op == FX_LOCK_PI ||
	       op == FX_LOCK_PI2 || op == FX_WAIT_REQUEUE_PI ||
	       op == FX_OP_WAITV || op == FX_OP_WAIT2;
}

LOGIC_FN int futex_is_wake(__u32 op)
{
	return op == FX_WAKE || op == FX_WAKE_BITSET || op == FX_WAKE_OP ||
	       op == FX_REQUEUE || op == FX_CMP_REQUEUE ||
	       op == FX_CMP_REQUEUE_PI || op == FX_UNLOCK_PI ||
	       op == FX_OP_WAKE2 || op == FX_OP_REQUEUE2;
}

/*
 * knl_*: the kernel's own counters of the task, read at this switch.
 * Returns 1 if the task had been seen getting on the CPU.
 */
LOGIC_FN int logic_switch_out(struct task_stat *ts, int preempt, __u32 state,
			      __u64 now, __u64 knl_nvcsw, __u64 knl_nivcsw,
			      __u64 knl_runtime)
{
	int was_on = !!(ts->flags & TASK_F_ONCPU);

	if (was_on) {
		ts->run_ns += now - ts->oncpu_ts;
		ts->flags &= ~TASK_F_ONCPU;
	}
	ts->offcpu_ts = now;
	ts->runtime_off = knl_runtime;
	if (preempt || state == TASK_RUNNING_STATE) {	/* still runnable */
		/*
		 * Or going to sleep as a signal came: the scheduler left it
		 * runnable (the tracepoint says R since 6.13) and the kernel
		 * counts it voluntary. Told by its counters (incremented before
		 * the tracepoint) where they match ours so far, as for a task
		 * born in the tree with every switch seen: nvcsw alone one ahead.
		 */
		if (!preempt && !(ts->flags & TASK_F_PREEXIST) &&
		    (__u32)knl_nvcsw == (__u32)(ts->switches_vol + 1) &&
		    (__u32)knl_nivcsw == (__u32)ts->switches_invol)
			ts->switches_vol++;
		else
			ts->switches_invol++;
		ts->off_state = OFF_R;
		ts->off_hist = HIST_PREEMPT;
		return was_on;
	}
	ts->switches_vol++;
	ts->sleep_ts = now;
	ts->off_state = state & TASK_UNINTERRUPTIBLE ? OFF_D : OFF_S;
	ts->off_hist = state & TASK_UNINTERRUPTIBLE ? HIST_OFF_D : HIST_OFF_S;
	if (state & TASK_DEAD_STATE) {
		ts->flags |= TASK_F_EXITED;
		/* incremented before the tracepoint: these are final */
		ts->knl_nvcsw = knl_nvcsw;
		ts->knl_nivcsw = knl_nivcsw;
	}
	return was_on;
}

/*
 * Back on a CPU at now after blocking in a futex wait: its time off it, to
 * its word (and to HIST_FUTEX_UNSEEN if no switch-in showed: a seen one
 * puts it in HIST_FUTEX_WAIT).
 */
LOGIC_FN void logic_futex_back(LOGIC_CTX ctx, struct task_stat *ts, __u32 tid,
			       __u64 now, int unseen)
{
	if (!ts->fxb_ts)
		return;
	if (now > ts->fxb_ts) {
		if (unseen)
			logic_hist(ctx, HIST_FUTEX_UNSEEN, now - ts->fxb_ts);
		logic_futex_wait(ctx, ts, tid, ts->fxb_uaddr, now - ts->fxb_ts);
	}
	ts->fxb_ts = 0;
}

LOGIC_FN void logic_switch_in(LOGIC_CTX ctx, struct task_stat *ts, __u32 tid,
			      __u32 cpu, __u64 now)
{
	__u32 cross;
	__u64 off, lat;

	ts->oncpu_ts = now;
	ts->flags |= TASK_F_ONCPU;
	logic_futex_back(ctx, ts, tid, now, 0);
	if (unlikely(ts->created_ts)) {
		logic_hist(ctx, ts->tgid == tid ? HIST_CREATE_PROC : HIST_CREATE_THREAD,
			   now - ts->created_ts);
		ts->created_ts = 0;
	}
	if (unlikely(!ts->offcpu_ts))
		goto out;
	off = now - ts->offcpu_ts;
	/*
	 * One call site (each is a copy of the histogram code in BPF), its id
	 * chosen at the switch-out: chosen here, each value had the verifier
	 * walk the rest of the program again (sched_switch loaded in 87 ms,
	 * not 62).
	 */
	logic_hist(ctx, ts->off_hist, off);
	if (ts->off_state == OFF_R) {
		ts->runq_ns += off;
		goto out;
	}
	if (unlikely(!ts->waking_ts || ts->waking_ts > now)) {
		logic_count(ctx, CNT_UNMATCHED_WAKEUP);
		ts->sleep_ns += off;
		goto out;
	}
	lat = now - ts->waking_ts;
	if (lat > off)		/* woken before it was switched out */
		lat = off;
	ts->runq_ns += lat;
	ts->sleep_ns += off - lat;
	cross = ts->waking_cpu ^ cpu;	/* 1 if they differ, without a branch (as above) */
	cross = (cross | (0 - cross)) >> 31;
	logic_wakeup(ctx, ts, HIST_WAKE_SAME + cross, ts->waker_tid, tid, lat);
out:
	ts->offcpu_ts = 0;
	ts->waking_ts = 0;
}

/*
 * A run whose start no switch showed, from the kernel's count of the task's
 * CPU time since runtime_off (0 where unknown: a file of schema 1) and no
 * longer than since then: it began at now - run, as if seen there. The
 * level goes up then, or at its last change if that came later: what lies
 * before it was counted one level lower. Returns that start, 0 if unknown.
 */
LOGIC_FN __u64 logic_knl_run(LOGIC_CTX ctx, struct task_stat *ts,
			     __u64 knl_runtime, __u64 since, __u64 now)
{
	__u64 run;

	if (knl_runtime <= ts->runtime_off || now <= since)
		return 0;
	run = knl_runtime - ts->runtime_off;
	if (run > now - since)
		run = now - since;
	logic_add(ctx, CNT_KNL_RUN_NS, run);
	ts->oncpu_ts = now - run;
	ts->flags |= TASK_F_ONCPU;
	logic_level(ctx, 1, now - run);
	return now - run;
}

/*
 * A task leaves a CPU it was not seen getting on. Either the kernel did not
 * report that switch (its run is since its last switch-out, or its birth;
 * the waking before that run is spent, its creation latency and the rest of
 * its time off unknown), or a task of -p was on a CPU when it was found
 * (oncpu_ts). A waking during the run (on its way to sleep, as it is
 * switched out: perf sees the same) stays for the next switch-in.
 */
LOGIC_RARE_FN __u64 logic_unseen_run(LOGIC_CTX ctx, struct task_stat *ts, __u32 tid,
				     __u64 knl_runtime, __u64 now)
{
	__u64 start = 0;

	if (!ts)
		return 0;
	if (ts->offcpu_ts || !(ts->flags & TASK_F_PREEXIST)) {
		logic_count(ctx, CNT_UNSEEN_SWITCH_IN);
		ts->created_ts = 0;
		start = logic_knl_run(ctx, ts, knl_runtime, ts->offcpu_ts, now);
		if (!start || ts->waking_ts <= start)
			ts->waking_ts = 0;
		/* a futex wait it came back from: until the run's start if known */
		logic_futex_back(ctx, ts, tid, start ? start : now, 1);
	} else if (ts->oncpu_ts) {
		start = logic_knl_run(ctx, ts, knl_runtime, ts->oncpu_ts, now);
	}
	return start;
}

/*
 * A task got off a CPU at end, unseen: the kernel did not report that
 * switch. How it left and what woke it are unknown, so its next switch-in
 * measures no latency.
 */
LOGIC_RARE_FN int logic_unseen_out(LOGIC_CTX ctx, struct task_stat *ts, __u64 end)
{
	if (!ts)
		return 0;
	logic_count(ctx, CNT_UNSEEN_SWITCH_OUT);
	if (end > ts->oncpu_ts)
		ts->run_ns += end - ts->oncpu_ts;
	ts->flags &= ~TASK_F_ONCPU;
	ts->offcpu_ts = 0;
	ts->waking_ts = 0;
	logic_level(ctx, 0, end);
	return 0;
}

/*
 * The tid of the tree task a switch on a CPU shows was taken off it unseen,
 * 0 if none: the last tree switch there put it on (on), this one has
 * another prev. Its figures go to logic_switch as lost.
 */
LOGIC_FN __u32 logic_lost_tid(const struct cpu_on *on, __u32 prev_tid)
{
	return on->tid != prev_tid ? on->tid : 0;
}

/*
 * A tree switch on cpu (one side or both traced): prev leaves (ps: its
 * figures, NULL if not traced), next comes on (ns, likewise). How many tree
 * tasks are on a CPU changes only when one side is not traced, so a switch
 * between two tree tasks (every hand-off of a ping-pong) leaves the shared
 * level state alone.
 *
 * The kernel does not report every switch (docs/report.md). One it did not
 * report took the CPU's last tree task off it (lost: its figures, found by
 * logic_lost_tid from on, the CPU's state here): its run ends where prev's
 * began if the kernel's count says, else where it began, as the CPU shares
 * charge that stretch to prev's kind. A task getting on a CPU while on
 * another left that one unseen, at a time unknown: its run there is lost.
 */
LOGIC_FN void logic_switch(LOGIC_CTX ctx, struct task_stat *ps, __u32 prev_tid,
			   int preempt, __u32 state, __u64 knl_nvcsw,
			   __u64 knl_nivcsw, __u64 knl_runtime,
			   struct task_stat *ns, __u32 next_tid, __u32 cpu, __u64 now,
			   struct cpu_on *on, struct task_stat *lost)
{
	__u64 start = 0;
	int delta = 0;

	if (unlikely(ps && !(ps->flags & TASK_F_ONCPU)))
		start = logic_unseen_run(ctx, ps, prev_tid, knl_runtime, now);
	if (unlikely(lost && (lost->flags & TASK_F_ONCPU) && lost->oncpu_ts == on->ts))
		logic_unseen_out(ctx, lost, start > on->ts ? start : on->ts);
	if (ps)
		delta -= logic_switch_out(ps, preempt, state, now, knl_nvcsw,
					  knl_nivcsw, knl_runtime);
	if (ns) {
		if (unlikely(ns->flags & TASK_F_ONCPU))
			logic_unseen_out(ctx, ns, ns->oncpu_ts);
		delta++;
		logic_switch_in(ctx, ns, next_tid, cpu, now);
	}
	if (delta)
		logic_level(ctx, delta > 0, now);
	on->ts = now;
	on->tid = ns ? next_tid : 0;
}

/*
 * The scheduler's view of futex waits (no syscall tracepoint): a task that
 * leaves the CPU to wait (S) inside a futex wait call blocked there; the
 * caller read the call from its pt_regs. A waking of a tree task by a futex
 * call of the waker (a wake, a requeue's wake, a PI unlock's hand-over; a
 * thread's exit waking its joiner) is a task a futex wake woke, whether or
 * not it had left the CPU yet; the waking of a blocked wait in a timer
 * callback is its timeout.
 */
LOGIC_FN void logic_futex_block(LOGIC_CTX ctx, struct task_stat *ts, __u32 op,
				__u64 uaddr, __u64 now)
{
	ts->fxb_ts = now;
	ts->fxb_uaddr = uaddr;
	ts->fxb_by = WAKE_BY_NONE;
	ts->off_hist = HIST_FUTEX_WAIT;
	logic_count(ctx, CNT_FUTEX_WAITS);
	if (op < NR_FX_OPS)
		logic_count(ctx, CNT_FUTEX_BLOCK_OP + op);
}

LOGIC_FN void logic_futex_waking(LOGIC_CTX ctx, struct task_stat *ts, __u32 by)
{
	if (by == WAKE_BY_FUTEX)
		logic_count(ctx, CNT_FUTEX_WOKEN);
	if (!ts->fxb_ts || ts->fxb_by)	/* not blocked, or woken already */
		return;
	ts->fxb_by = by;
	if (by == WAKE_BY_TIMER)
		logic_count(ctx, CNT_FUTEX_TIMEOUTS);
}

/* The latest waking wins: an earlier one may not have led to a sleep. */
LOGIC_FN void logic_waking(LOGIC_CTX ctx, struct task_stat *ts, __u64 now,
			   __u32 cpu, __u32 waker_tid)
{
	ts->waking_ts = now;
	ts->waking_cpu = cpu;
	ts->waker_tid = waker_tid;
	logic_count(ctx, CNT_WAKING);
}

/*
 * The syscalls' view (their tracepoints): a futex call of the task returned
 * ret at now, after dur ns (waits are always timed). A wait
 * blocked if the task left the CPU to wait during the call: a failed call
 * (EINVAL, EDEADLK), a PI lock taken at once, or a wait woken before it
 * slept did not. The tasks a wake woke are counted where they wake: a plain
 * wait that returned 0 or more was taken off the queue by a wake (requeued
 * first or not), a PI lock that returned 0 after blocking was handed over
 * by an unlock; a wake's return value adds requeued tasks (CMP_REQUEUE) or
 * is 0 for a hand-over (UNLOCK_PI). A timeout is a blocked wait that
 * returned ETIMEDOUT (one whose time had passed before it slept is no
 * wait). Its blocked waits, timeouts and woken are counted apart
 * (CNT_FUTEX_SYS_*) from the scheduler's view, the one the figures come
 * from, so that the two can be held against each other.
 */
LOGIC_FN void logic_futex(LOGIC_CTX ctx, struct task_stat *ts, __u32 op,
			  long ret, __u64 now, __u64 dur)
{
	int pi, slept;

	logic_count(ctx, CNT_FUTEX_CALLS);
	if (op < NR_FX_OPS)
		logic_count(ctx, CNT_FUTEX_OP + op);
	if (futex_is_wait(op)) {
		if (ret == -ERR_EAGAIN) {
			logic_count(ctx, CNT_FUTEX_EAGAIN);
			return;
		}
		pi = op == FX_LOCK_PI || op == FX_LOCK_PI2;
		slept = ts->sleep_ts && ts->sleep_ts + dur >= now;
		if (ret >= 0 && (slept || !pi))
			logic_count(ctx, CNT_FUTEX_SYS_WOKEN);
		if (!slept)	/* a timeout past already: no wait */
			return;
		logic_count(ctx, CNT_FUTEX_SYS_WAITS);
		if (ret == -ERR_ETIMEDOUT)
			logic_count(ctx, CNT_FUTEX_SYS_TIMEOUTS);
	} else if (futex_is_wake(op) && ret >= 0) {
		logic_count(ctx, CNT_FUTEX_WAKES);
	} else {
		logic_count(ctx, CNT_FUTEX_OTHER);
	}
}

#endif /* TRACER_LOGIC_H */
