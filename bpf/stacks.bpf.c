// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * --stacks, the waker's side: a program of its own on sched_waking, loaded
 * only with --stacks, so that the default run's sched_waking keeps its
 * code (sched.bpf.c does the switch side, behind cfg_stacks).
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
 * (current_seen() cannot tell until regs_off is learnt), and not in a
 * timer callback (a timed wait's end).
 */
SEC("tp_btf/sched_waking")
int BPF_PROG(stacks_sched_waking, struct task_struct *p)
{
	struct task_struct *cur;
	struct task_stat *ts;
	struct pcpu *pc;
	__u64 here;

	ts = task_of(p);
	if (!ts || tracing_over())
		return 0;
	pc = this_cpu();
	if (!pc || pc->in_timer)
		return 0;
	cur = bpf_get_current_task_btf();
	pc->sp_seen = (__u64)&here;	/* a number when read back */
	here = pc->sp_seen;
	if (here - (__u64)cur->stack < THREAD_SIZE_) {
		struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(cur);

		stack_waker(ctx, ts, pc, cur->pid, cur->tgid, !cur->mm, p->on_rq,
			    regs ? (__s64)REGS_NR(regs) : -1);
	}
	return 0;
}
