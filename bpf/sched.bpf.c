// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Scheduler probes: switches, wakeups and migrations of the traced tree,
 * and where every CPU's time went while the tree ran. What a switch or a
 * waking means is in logic.h, shared with the replay of event files.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "common.bpf.h"
#include "syscall.bpf.h"

/*
 * Charge this CPU's time since its last switch to what ran in it. prev_run:
 * a tree task leaving a CPU it was not seen getting on ran that long (the
 * kernel's count); before that ran what the last switch put on, whose
 * switch-out the kernel did not report (docs/report.md: a guest agent's thread).
 * A switch within one kind (tree to tree: every hand-off of a ping-pong)
 * only cuts the current stretch in two: it is charged whole, later. Before
 * the first switch on a CPU (last_ts 0), what ran there is unknown.
 */
static __always_inline void cpu_account(struct pcpu *pc, __u32 cat_prev,
					__u32 cat_next, __u64 now, __u64 prev_run)
{
	__u64 from, to;

	if (cat_prev == cat_next && cat_prev == pc->cur && !prev_run)
		return;
	from = pc->last_ts > t_start ? pc->last_ts : t_start;
	to = t_stop && t_stop < now ? t_stop : now;	/* set with t_end, or before it */
	if (t_start && to > from && cat_prev < NR_CATS) {
		if (prev_run && prev_run < to - from && pc->last_ts && pc->cur < NR_CATS) {
			pc->ns[pc->cur] += to - from - prev_run;
			pc->ns[cat_prev] += prev_run;
		} else {
			pc->ns[cat_prev] += to - from;
		}
	}
	pc->last_ts = now;
	pc->cur = cat_next;
}

/*
 * Run on each CPU (a test run: an interrupt there) as the window begins. A
 * CPU no switch was seen on since the programs were attached has run its
 * current task since before the window: that is what its time goes to
 * until a switch says otherwise.
 */
SEC("raw_tp")
int note_cpu(void *ctx)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct pcpu *pc = this_cpu();

	if (!pc || pc->last_ts || !t_start)
		return 0;
	pc->cur = !t->pid ? CAT_IDLE : task_of(t) ? CAT_TREE : CAT_OTHER;
	pc->last_ts = t_start;
	return 0;
}

static __always_inline void emit_switch(struct pcpu *pc, __u64 now, bool preempt,
				       struct task_struct *prev,
				       struct task_struct *next, struct task_stat *ps,
				       struct task_stat *ns, unsigned int prev_state,
				       int prev_tree, int next_tree, __u64 run_ns,
				       int fx_op, __u64 fx_uaddr)
{
	/* interrupts are off: nothing can come between the clock read and here */
	struct stage *st = stage_hold();
	struct ev_switch_wire *e = EV_RESERVE(struct ev_switch_wire, EV_SWITCH,
					      EV_SWITCH_WIRE_MAX, pc, st, now, prev);
	__u32 kind = EV_SWITCH, off = sizeof(*e), n, prev_tid, next_tid;
	struct ev_part_fx *fx;

	if (!e)
		goto out;
	prev_tid = task_tid(ps, prev);
	next_tid = task_tid(ns, next);
	e->hdr.tid = prev_tid;
	e->next_pid = next->tgid;
	e->next_tid = next_tid;
	e->prev_state = prev_state;
	e->preempt = preempt;
	e->prev_tree = prev_tree;
	e->next_tree = next_tree;
	e->fx_block = fx_op >= 0;
	e->knl_nvcsw = prev->nvcsw;
	e->knl_nivcsw = prev->nivcsw;
	/* the parts: after the reservation, which may have begun a chunk */
	stage_fresh(st);
	if ((n = stage_part_task(st, (void *)e + off, prev, prev_tid))) {
		kind |= EV_HAS_PREV;
		off += n;
	}
	if ((n = stage_part_task(st, (void *)e + off, next, next_tid))) {
		kind |= EV_HAS_NEXT;
		off += n;
	}
	if (fx_op >= 0 || !st) {	/* alone in the ring: every part */
		fx = (void *)e + off;
		fx->fx_op = fx_op >= 0 ? fx_op : 0;
		fx->pad = 0;
		fx->fx_uaddr = fx_uaddr;
		kind |= EV_HAS_FX;
		off += sizeof(*fx);
	}
	if (run_ns || !st) {
		*(__u64 *)((void *)e + off) = run_ns;
		kind |= EV_HAS_RUN;
		off += sizeof(__u64);
	}
	e->hdr.kind = kind;
	ev_submit(e, st, EV_SWITCH, off);
out:
	stage_release(st);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(handle_sched_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next, unsigned int prev_state)
{
	__u64 runtime = prev->se.sum_exec_runtime, run_ns = 0, now, fx_uaddr = 0;
	struct task_stat *ps, *ns;
	int prev_tree = 0, next_tree = 0, fx_op = -1, dead = 0;
	__u32 lost_tid;
	struct pcpu *pc;

	now = bpf_ktime_get_ns();	/* first: what any latency must pay */
	if (unlikely(tracing_over())) {
		/*
		 * A tree task gone after the window (-p's tree lives on past it):
		 * its figures as they stood at the window's end, where the
		 * snapshot of the living ones (proc.bpf.c) would have found them
		 * had it come first; the same key, so kept once either way.
		 */
		if (unlikely(prev_state & TASK_DEAD_STATE) && (ps = task_of(prev)))
			keep(ps);
		return 0;
	}
	pc = this_cpu();
	if (unlikely(!pc))
		return 0;
	pc->in_timer = 0;	/* no timer callback switches: one that did not end here did */
	pc->cur_task = (__u64)next;	/* see current_seen() */
	ps = task_of(prev);
	ns = task_of(next);
	/*
	 * Leaving a CPU it was not seen getting on: the replay needs the
	 * kernel's count since logic.h last took it (a switch-out, -p finding
	 * it, its birth). Only then: on every switch it cost ~0.9 bytes an
	 * event in a gzipped file.
	 */
	if (unlikely(ps && !(ps->flags & TASK_F_ONCPU) && runtime > ps->runtime_off))
		run_ns = runtime - ps->runtime_off;
	pc->cnt[CNT_SWITCH]++;
	/* flags, not pointer tests: the verifier forbids OR-ing map pointers */
	if (ps)
		prev_tree = 1;
	if (ns)
		next_tree = 1;
	/* tree to tree, as the CPU's stretch began: cpu_account's first test,
	 * made before it works out the two kinds (~1 ns a hand-off) */
	if (!(prev_tree & next_tree) || pc->cur != CAT_TREE || run_ns)
		cpu_account(pc, !prev->pid ? CAT_IDLE : ps ? CAT_TREE : CAT_OTHER,
			    !next->pid ? CAT_IDLE : ns ? CAT_TREE : CAT_OTHER, now, run_ns);
	if (!prev_tree && !next_tree)
		return 0;
	/*
	 * the tids the tracer knows them by (a thread's exec swaps its and its
	 * leader's), read where used: kept in variables, they were spilled
	 */
	lost_tid = logic_lost_tid(&pc->on, task_tid(ps, prev));
	logic_switch(pc, ps, task_tid(ps, prev), preempt, prev_state, prev->nvcsw, prev->nivcsw,
		     runtime, ns, task_tid(ns, next), bpf_get_smp_processor_id(), now, &pc->on,
		     unlikely(lost_tid) ? task_of_tid(lost_tid) : NULL);
	if (ps) {
		/* left to wait (S) inside a futex wait call: blocked there */
		if (!preempt && prev_state &&
		    !(prev_state & (TASK_UNINTERRUPTIBLE | TASK_DEAD_STATE))) {
			fx_op = futex_call_of(prev, pc, &fx_uaddr);
			if (fx_op >= 0 && futex_is_wait(fx_op))
				logic_futex_block(pc, ps, fx_op, fx_uaddr, now);
			else
				fx_op = -1;
		}
		if (unlikely(prev_state & TASK_DEAD_STATE)) {
			keep_final(ps, pc);
			if (ps->flags & TASK_F_ROOT)
				root_exited = 1;
			dead = 1;
		}
	}
	if (cfg_stacks) {	/* for stacks_sched_switch, run next (stacks.bpf.c) */
		pc->stk_uaddr = fx_op >= 0 ? fx_uaddr : 0;
		pc->stk_run = run_ns;
		pc->stk_now = now;
	}
	pc->cnt[CNT_SWITCH_TREE]++;
	emit_switch(pc, now, preempt, prev, next, ps, ns, prev_state, prev_tree,
		    next_tree, run_ns, fx_op, fx_uaddr);
	/* with --stacks, let go by stacks_sched_switch, which still needs it */
	if (unlikely(dead && ps) && !cfg_stacks) {
		keys_release(ps);
		task_release(ps);	/* last: a new task may take the slot */
	}
	return 0;
}

SEC("tp_btf/sched_waking")
int BPF_PROG(handle_sched_waking, struct task_struct *p)
{
	__u32 by, fx_op = 0, waker_pid, waker_tgid, kthread, kind, off, n;
	struct ev_waking_wire *e;
	struct task_struct *cur;
	struct ev_part_fx *fx;
	struct pt_regs *regs;
	struct task_stat *ts;
	__u64 now, fx_uaddr = 0;
	struct stage *st;
	struct pcpu *pc;
	int op;

	ts = task_of(p);
	if (!ts)
		return 0;
	st = stage_hold();	/* before the clock read: see stage.bpf.h */
	if (tracing_over())
		goto out;
	pc = this_cpu();
	now = bpf_ktime_get_ns();
	/*
	 * The waker: the task running this. An interrupt's waking (a timer's
	 * too) is no task's: waker 0, as on an idle CPU, whatever task or
	 * call it came in (regs NULL). One that came in the kernel runs on the
	 * interrupt's own stack; one from user space on the task's, whose
	 * saved registers then name no system call (own_from_user() tells the
	 * task's own doing there).
	 */
	cur = current_seen(pc);
	if (cur) {
		regs = regs_seen(cur);
	} else {
		cur = bpf_get_current_task_btf();
		regs = pc && on_own_stack(cur, pc) ? regs_of(cur, pc) : NULL;
	}
	kthread = cur->flags & PF_KTHREAD_;
	if (regs && !kthread && (long)REGS_NR(regs) < 0 && !own_from_user(cur, regs))
		regs = NULL;
	waker_pid = regs ? cur->pid : 0;
	waker_tgid = regs ? cur->tgid : 0;
	logic_waking(pc, ts, now, bpf_get_smp_processor_id(), waker_pid);
	/* by what: in a timer callback, the registers are the interrupted task's */
	by = pc && pc->in_timer ? WAKE_BY_TIMER : WAKE_BY_OTHER;
	if (pc && by == WAKE_BY_OTHER && !kthread && regs) {
		op = futex_call_in(regs, &fx_uaddr);
		if (op >= 0 && (op != FX_OP_EXIT || waker_tgid == p->tgid)) {
			by = WAKE_BY_FUTEX;
			fx_op = op;
		}
	}
	logic_futex_waking(pc, ts, by);
	e = EV_RESERVE(struct ev_waking_wire, EV_WAKING, EV_WAKING_WIRE_MAX, pc, st, now, p);
	if (!e)
		goto out;
	e->hdr.tid = ts->tid;
	e->waker_pid = waker_tgid;
	e->waker_tid = waker_pid;
	e->target_cpu = p->wake_cpu;
	e->wake_by = by;
	kind = EV_WAKING;
	off = sizeof(*e);
	stage_fresh(st);
	if ((n = stage_part_task(st, (void *)e + off, p, ts->tid))) {
		kind |= EV_HAS_NEXT;
		off += n;
	}
	if (by == WAKE_BY_FUTEX || !st) {	/* alone in the ring: every part */
		fx = (void *)e + off;
		fx->fx_op = fx_op;
		fx->pad = 0;
		fx->fx_uaddr = fx_uaddr;
		kind |= EV_HAS_FX;
		off += sizeof(*fx);
	}
	e->hdr.kind = kind;
	ev_submit(e, st, EV_WAKING, off);
out:
	stage_release(st);
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(handle_sched_wakeup_new, struct task_struct *p)
{
	struct pcpu *pc;

	if (tracing_over() || !task_of(p))
		return 0;
	pc = this_cpu();
	logic_count(pc, CNT_WAKEUP_NEW);
	emit_task(pc, EV_WAKEUP_NEW, p, NULL, 0, 0, 0, 0);
	return 0;
}

SEC("tp_btf/sched_migrate_task")
int BPF_PROG(handle_sched_migrate_task, struct task_struct *p, int dest_cpu)
{
	struct task_stat *ts;
	struct pcpu *pc;

	if (tracing_over())
		return 0;
	ts = task_of(p);
	if (!ts)
		return 0;
	__sync_fetch_and_add(&ts->migrations, 1);
	pc = this_cpu();
	logic_count(pc, CNT_MIGRATE);
	emit_task(pc, EV_MIGRATE, p, NULL, 0, 0, dest_cpu, 0);
	return 0;
}

/*
 * In a timer callback on this CPU: a futex wait woken there timed out.
 * (The kernel's preempt count would tell any interrupt apart, but this one
 * keeps it in a per-CPU variable that kallsyms does not list: BPF cannot
 * find it.) Set and cleared, not counted: a count went wrong for good when
 * entries were seen before the exit program was attached (every waking on
 * that CPU then read as a timer's). The entry program is attached after
 * the exit one, and a switch clears it too (no callback switches, outside
 * PREEMPT_RT). A hard timer's callback inside a soft one's clears it
 * early: no futex wait has a soft timer outside PREEMPT_RT.
 */
SEC("tp_btf/hrtimer_expire_entry")
int BPF_PROG(handle_timer_entry)
{
	struct pcpu *pc = this_cpu();

	if (pc)
		pc->in_timer = 1;
	return 0;
}

SEC("tp_btf/hrtimer_expire_exit")
int BPF_PROG(handle_timer_exit)
{
	struct pcpu *pc = this_cpu();

	if (pc)
		pc->in_timer = 0;
	return 0;
}
