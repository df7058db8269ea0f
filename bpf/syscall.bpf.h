/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What a task is doing in the kernel, without a syscall tracepoint: any
 * attached one sends every system call of the machine down the slow path
 * (~100 ns each here), where these reads cost a few ns on the events that
 * need them. A task that left the CPU inside a system call still has that
 * call's number and arguments in its saved user registers (pt_regs); a
 * task in no call (preempted in user mode, a page fault) has -1 there.
 */
#ifndef TRACER_SYSCALL_BPF_H
#define TRACER_SYSCALL_BPF_H

#include <bpf/bpf_core_read.h>
#include "maps.bpf.h"

#if defined(__TARGET_ARCH_x86)
#define NR_futex		202
#define NR_exit			60
#define REGS_NR(r)		((r)->orig_ax)
#define REGS_ARG0(r)		((r)->di)
#define REGS_ARG1(r)		((r)->si)
#elif defined(__TARGET_ARCH_arm64)
#define NR_futex		98
#define NR_exit			93
#define REGS_NR(r)		((r)->syscallno)
#define REGS_ARG0(r)		((r)->orig_x0)	/* x0 is the return value by then */
#define REGS_ARG1(r)		((r)->regs[1])
#else
#error "syscall.bpf.h: pt_regs of this architecture not described"
#endif
/* the generic numbers, on every architecture */
#define NR_futex_waitv		449
#define NR_futex_wake		454
#define NR_futex_wait		455
#define NR_futex_requeue	456

#define PF_KTHREAD_		0x00200000
#define PF_EXITING_		0x00000004
#define TASK_STOPPED_BITS	0x0000000c	/* __TASK_STOPPED | __TASK_TRACED */

extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;

/*
 * Where task_pt_regs(t) lies from t->stack: the same for every task, learnt
 * from bpf_task_pt_regs() once. That helper call costs 30-45 ns here
 * (mitigations: measured as sched_switch's and sched_waking's cost with
 * and without it), more than the clock read these programs must make;
 * t->stack + the offset, cast with bpf_rdonly_cast (which the verifier
 * turns into a move), costs a load. The address goes through this CPU's
 * pcpu to become a number: through a global, two CPUs learning at once
 * mixed their values.
 */
static __u64 regs_off;

static __always_inline struct pt_regs *regs_of(struct task_struct *t, struct pcpu *pc)
{
	__u64 off = regs_off;
	struct pt_regs *r;

	if (off && bpf_rdonly_cast)
		return bpf_rdonly_cast((void *)((__u64)t->stack + off),
				       bpf_core_type_id_kernel(struct pt_regs));
	r = (struct pt_regs *)bpf_task_pt_regs(t);
	pc->regs_seen = (__u64)r;
	regs_off = pc->regs_seen - (__u64)t->stack;
	return r;
}

/*
 * The futex call whose saved registers are r, as FX_OP_* (a thread's
 * exit(2) is FX_OP_EXIT: the kernel wakes the thread's joiner from it;
 * exit_group(2) is not: its wakings are of threads it kills), or -1;
 * *uaddr: its word, 0 for a call of several.
 */
static __always_inline int futex_call_in(struct pt_regs *r, __u64 *uaddr)
{
	*uaddr = 0;
	switch (REGS_NR(r)) {
	case NR_futex:
		*uaddr = REGS_ARG0(r);
		return REGS_ARG1(r) & FUTEX_CMD_MASK;
	case NR_futex_wait:
		*uaddr = REGS_ARG0(r);
		return FX_OP_WAIT2;
	case NR_futex_wake:
		*uaddr = REGS_ARG0(r);
		return FX_OP_WAKE2;
	case NR_futex_waitv:
		return FX_OP_WAITV;
	case NR_futex_requeue:
		return FX_OP_REQUEUE2;
	case NR_exit:
		return FX_OP_EXIT;
	}
	return -1;
}

/* The futex call task t is in (see futex_call_in()), or -1. */
static __always_inline int futex_call_of(struct task_struct *t, struct pcpu *pc,
					 __u64 *uaddr)
{
	*uaddr = 0;
	if (t->flags & PF_KTHREAD_)
		return -1;
	return futex_call_in(regs_of(t, pc), uaddr);
}

/*
 * The task running this program, without bpf_get_current_task_btf(): a
 * helper call, 20 ns here (medians of 5 runs of a sketch), more than all
 * the rest of sched_waking. It is the task the last switch on this CPU put
 * on (pc->cur_task) if this program's own stack lies in that task's kernel
 * stack; not in an interrupt (another stack), nor after a switch the
 * kernel did not report (docs/report.md: a guest agent's), nor between a switch's
 * tracepoint and the switch itself. Read-only (untrusted); NULL: not known
 * so, ask the helper.
 */
#define THREAD_SIZE_	16384	/* x86-64, arm64; a bigger stack only fails the test */
#define TASK_DEAD_	0x80

static __always_inline struct task_struct *current_seen(struct pcpu *pc)
{
	struct task_struct *t;
	__u64 here, stack;

	if (!pc || !pc->cur_task || !regs_off || !bpf_rdonly_cast)
		return NULL;
	pc->sp_seen = (__u64)&here;	/* a number when read back */
	here = pc->sp_seen;
	t = bpf_rdonly_cast((void *)pc->cur_task, bpf_core_type_id_kernel(struct task_struct));
	stack = (__u64)t->stack;
	if (here - stack >= THREAD_SIZE_ || (t->__state & TASK_DEAD_))
		return NULL;
	return t;
}

/*
 * Whether this program runs on current task t's own kernel stack: not in
 * an interrupt that came in the kernel (x86-64 and arm64 take those, and
 * the softirqs after them, on a stack of their own; one from user space
 * stays on the task's), whose wakings are none of t's doing.
 */
static __always_inline int on_own_stack(struct task_struct *t, struct pcpu *pc)
{
	__u64 here;

	pc->sp_seen = (__u64)&here;	/* a number when read back */
	here = pc->sp_seen;
	return here - (__u64)t->stack < THREAD_SIZE_;
}

/*
 * Whether the task whose saved user registers are at regs is in an
 * exception from user space, not in an interrupt: x86-64 saves -1 for a
 * system call in both and runs both on the task's stack. Both entry stubs
 * switch to that stack with the registers at its top and call their C
 * handler from there: the return address just below the registers is in
 * the stub (idtentry_body), an asm_exc_* one for an exception.
 */
static __always_inline int in_exception(struct pt_regs *regs)
{
	__u64 at;
	int i;

	if (!cfg_exc[0][1] || bpf_probe_read_kernel(&at, sizeof(at), (void *)regs - sizeof(at)))
		return 0;
	for (i = 0; i < EXC_RANGES; i++)
		if (at >= cfg_exc[i][0] && at < cfg_exc[i][1])
			return 1;
	return 0;
}

/*
 * Whether a waking on current task t's own stack, whose saved registers
 * (regs) name no system call (it came in from user space), is t's own
 * doing, not an interrupt's: t exiting (a fatal signal taken on the way
 * back to user space: its exit wakes its parent), t stopping (a stop
 * signal, or a ptrace stop such as strace's signal-delivery-stop: its
 * state is set before it tells the parent, which it wakes), or in an
 * exception such as a page fault (userfaultfd's handler wakes its reader,
 * a released mmap_lock its writer). Stopping, t runs in the kernel, where
 * an interrupt takes its own stack: the state cannot be an interrupt's.
 */
static __always_inline int own_from_user(struct task_struct *t, struct pt_regs *regs)
{
#if defined(__TARGET_ARCH_arm64)
	return 1;	/* arm64 takes every interrupt (softirqs too) on a stack of its own */
#else
	return (t->flags & PF_EXITING_) || (t->__state & TASK_STOPPED_BITS) ||
	       in_exception(regs);
#endif
}

/* The saved user registers of t, from current_seen(). */
static __always_inline struct pt_regs *regs_seen(struct task_struct *t)
{
	return bpf_rdonly_cast((void *)((__u64)t->stack + regs_off),
			       bpf_core_type_id_kernel(struct pt_regs));
}

#endif /* TRACER_SYSCALL_BPF_H */
