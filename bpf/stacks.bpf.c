// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * --stacks: programs of their own on sched_switch and sched_waking, loaded
 * only with --stacks, so that the default run's programs keep their code.
 * Inside sched.bpf.c's sched_switch the stacks' paths multiplied the
 * verifier's with --events' (487,000 instructions walked, 0.7 s of every
 * start, with --unwind ehframe 605,000 of the limit's 1,000,000).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "common.bpf.h"
#include "syscall.bpf.h"
#include "stacks.bpf.h"

/*
 * A tree task p woken by the current task in that task's own context:
 * this program's stack in the task's kernel stack, not an interrupt's
 * (current_seen() cannot tell until regs_off is learnt), nor one from user
 * space (on the task's stack, no system call in its registers, not
 * own_from_user()), and not
 * in a timer callback (a timed wait's end).
 */
SEC("tp_btf/sched_waking")
int BPF_PROG(stacks_sched_waking, struct task_struct *p)
{
	struct task_struct *cur;
	struct task_stat *ts;
	struct pcpu *pc;

	ts = task_of(p);
	if (!ts || tracing_over())
		return 0;
	pc = this_cpu();
	if (!pc || pc->in_timer)
		return 0;
	cur = bpf_get_current_task_btf();
	if (on_own_stack(cur, pc)) {
		struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(cur);
		__s64 nr = regs ? (long)REGS_NR(regs) : -1;

		/* in from user space by an interrupt (no system call): not its */
		if (nr < 0 && cur->mm && !own_from_user(cur, regs))
			return 0;
		stack_waker(ctx, ts, pc, cur->pid, cur->tgid, !cur->mm, p->on_rq, nr);
	}
	return 0;
}

/*
 * A tree switch, after handle_sched_switch (attached after it: a
 * tracepoint calls its programs in that order), which left what it worked
 * out in this CPU's pcpu (stk_now set: this switch is the tree's and
 * within the window). next back on a CPU, prev leaving to wait (S, D),
 * preempted (R) or for good: its slot is let go here, last.
 */
SEC("tp_btf/sched_switch")
int BPF_PROG(stacks_sched_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next, unsigned int prev_state)
{
	struct pcpu *pc = this_cpu();
	struct task_stat *ps, *ns;
	__u32 off;
	__u64 now;

	if (!pc || !pc->stk_now)
		return 0;
	now = pc->stk_now;
	pc->stk_now = 0;
	ps = task_of(prev);
	ns = task_of(next);
	off = prev_state & TASK_DEAD_STATE ? 0 : preempt || !prev_state ? OFF_R :
	      prev_state & TASK_UNINTERRUPTIBLE ? OFF_D : OFF_S;
	if (ns)
		stack_account(ns, pc, now);
	/*
	 * prev got the CPU back unseen (docs/report.md: the kernel hides a
	 * switch off a guest agent's thread): its wait ended when its run
	 * began, by the kernel's count; without this, a process that waits
	 * once and exits (a sleep) lost its one wait
	 */
	if (ps && pc->stk_run)
		stack_account(ps, pc, now - pc->stk_run);
	if (ps && off)
		stack_note(ctx, ps, pc, off, now, !prev->mm);
	if (ps && (prev_state & TASK_DEAD_STATE)) {
		stack_forget(ps);
		keys_release(ps);
		task_release(ps);	/* last: a new task may take the slot */
	}
	return 0;
}
