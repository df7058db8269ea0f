// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Process probes: who belongs to the tree, and what creating a task costs.
 *
 * The tree starts with the process tracer forks to run the workload: any fork
 * whose parent is the tracer itself (launcher_tgid) registers the child,
 * so counting is exact from the child's first instruction. Every later fork
 * or clone by a tracked task registers the new task too, in the kernel.
 *
 * Creation cost is clone/fork entry in the parent -> the child's first time
 * on a CPU (sched.bpf.c closes it). The syscall entries are classic
 * tracepoints (they need tracefs at attach time only); without them the
 * fork tracepoint's own time stands in and the report says so.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "common.bpf.h"

static __always_inline int track(struct task_struct *parent,
				  struct task_struct *child, __u32 flags,
				  __u64 created_ts, struct pcpu *pc)
{
	struct task_stat st = {};
	__u32 tid = child->pid;

	st.start_ns = child->start_time;
	st.tgid = child->tgid;
	st.ppid = parent->tgid;
	st.flags = flags;
	st.created_ts = created_ts;
	bpf_probe_read_kernel_str(st.comm, sizeof(st.comm), child->comm);
	if (!task_new(child, &st)) {
		logic_count(pc, CNT_LOST_TASKS);
		return -1;
	}
	logic_count(pc, st.tgid == tid ? CNT_PROCS_CREATED : CNT_THREADS_CREATED);
	emit_task(pc, EV_FORK, child, parent, created_ts, 0, 0, 0);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(handle_sched_process_fork, struct task_struct *parent,
	     struct task_struct *child)
{
	struct task_stat *ps;
	struct pcpu *pc;
	__u64 now;

	if (tracing_over())
		return 0;
	if (cfg_events)	/* a tid a chunk said may be taken again: stage_part_task() */
		__sync_fetch_and_add(&comm_gen, 1);
	ps = task_of(parent);
	pc = this_cpu();
	now = bpf_ktime_get_ns();
	if (ps) {
		logic_count(pc, CNT_FORK);
		track(parent, child, 0, ps->clone_ts ? ps->clone_ts : now, pc);
		ps->clone_ts = 0;
	} else if (parent->tgid == launcher_tgid &&
		   child->tgid != launcher_tgid) {
		/* the launched child, not a thread of tracer's own */
		track(parent, child, TASK_F_ROOT, 0, pc);
	}
	return 0;
}

/*
 * A thread other than the leader calls exec (de_thread): the leader exits,
 * then the kernel swaps the two tids, and the exec tracepoint comes after
 * the new program is loaded. Meanwhile each task's slot is the other's
 * alias (task_of() tries it when the tid's slot is not the task's); the
 * leader's final switch hands its tid to the thread (task_release()).
 */
static __always_inline void exec_begins(struct task_struct *leader, struct task_stat *lst)
{
	struct task_struct *t = leader->signal->group_exec_task;
	struct task_stat *st;

	if (!t || t == leader || leader->pid != leader->tgid)
		return;		/* no exec, or one of the other threads it ends */
	st = task_of(t);
	if (!st)
		return;
	lst->alias = st->slot;
	st->alias = lst->slot;
}

/* ... and at its exec tracepoint, the thread has the leader's tid for good. */
static __always_inline void exec_took_tid(struct task_struct *p, __u32 old_pid)
{
	__u32 tid = p->pid, *to = bpf_map_lookup_elem(&tid_slot, &tid);
	__u32 *from = bpf_map_lookup_elem(&tid_slot, &old_pid), s;
	struct task_stat *st = task_of(p), *lst = NULL;
	struct pcpu *pc;

	if (!st || !to || !from)
		return;
	if (st->alias) {
		s = st->alias;
		lst = bpf_map_lookup_elem(&task_slots, &s);
		st->alias = 0;
	}
	if (*from == st->slot)
		*from = 0;
	if (lst && lst->alias == st->slot) {	/* the leader's final switch is to come */
		lst->alias = 0;
		lst->tid = old_pid;
		*from = lst->slot;
	}
	st->tid = tid;
	*to = st->slot;
	/* on this CPU as it execs: known by its new tid when it leaves (logic.h) */
	if ((pc = this_cpu()) && pc->on.tid == old_pid)
		pc->on.tid = tid;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(handle_sched_process_exec, struct task_struct *p, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	struct task_stat *ts;

	if (tracing_over())
		return 0;
	if (old_pid != p->pid)
		exec_took_tid(p, old_pid);
	if (cfg_events)	/* its new name in place: see stage_part_task() */
		__sync_fetch_and_add(&comm_gen, 1);
	ts = task_of(p);
	if (!ts)
		return 0;
	struct pcpu *pc = this_cpu();

	bpf_probe_read_kernel_str(ts->comm, sizeof(ts->comm), p->comm);
	ts->flags |= TASK_F_EXECED;
	/* --stacks: new mappings; its next block has user space read them */
	if (cfg_stacks)
		bpf_map_delete_elem(&stk_procs, &ts->tgid);
	if (cfg_eh)	/* its tables are the old image's: none until read again */
		bpf_map_delete_elem(&eh_procs, &ts->tgid);
	logic_count(pc, CNT_EXEC);
	/* a thread that took its leader's tid: the one it had (replay.c follows) */
	emit_task(pc, EV_EXEC, p, NULL, 0, 0, 0, old_pid != p->pid ? old_pid : 0);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(handle_sched_process_exit, struct task_struct *p)
{
	struct task_stat *ts = task_of(p);

	if (!ts || tracing_over())
		return 0;
	struct pcpu *pc = this_cpu();

	bpf_probe_read_kernel_str(ts->comm, sizeof(ts->comm), p->comm);
	ts->exit_code = p->exit_code;
	exec_begins(p, ts);
	/*
	 * The process's last thread (do_exit counted it out already): its
	 * tables go, and a new process under its tgid is noted afresh
	 */
	if (cfg_stacks && !p->signal->live.counter) {
		bpf_map_delete_elem(&stk_procs, &ts->tgid);
		if (cfg_eh)
			bpf_map_delete_elem(&eh_procs, &ts->tgid);
	}
	logic_count(pc, CNT_EXIT);
	emit_task(pc, EV_EXIT, p, NULL, 0, p->exit_code, 0, 0);
	return 0;
}

/*
 * A signal a tree task sends tracer: a script's `kill 0` reaches the
 * process group the command shares with tracer. Counted where the sender
 * is known (current): by the time tracer's handler runs, it may be gone
 * (launch.c leaves such a signal to the tree). A kill(2) or sigqueue(3)
 * queued, not one the kernel sends (info SEND_SIG_PRIV: a terminal's
 * Ctrl-C, written from whatever task), nor one merged into a pending one.
 */
#define SI_USER_	0
#define SI_QUEUE_	(-1)

SEC("tp_btf/signal_generate")
int BPF_PROG(handle_signal_generate, int sig, struct kernel_siginfo *info,
	     struct task_struct *task, int group, int result)
{
	int code = SI_USER_;	/* info NULL: SEND_SIG_NOINFO, a user's */
	__u32 i;

	if (task->tgid != launcher_tgid || sig <= 0 || sig > NSIG_MAX || result ||
	    (__u64)info == 1 || !current_task_of())
		return 0;
	/* a scalar to the verifier (it may be a SEND_SIG_* value): read, not loaded */
	if (info)
		bpf_core_read(&code, sizeof(code), &info->si_code);
	i = sig;
	asm volatile("" : "+r"(i));	/* bounded here, where the verifier sees it */
	if ((code == SI_USER_ || code == SI_QUEUE_) && i <= NSIG_MAX)
		__sync_fetch_and_add(&tree_signals[i], 1);
	return 0;
}

/* t's pid in the namespace of that level (0: the host's); -1 if it has none there */
static __always_inline int upid_of(struct task_struct *t, __u32 level, struct upid *up)
{
	struct pid *pid = t->thread_pid;
	__u64 at;

	if (!pid || pid->level < level)
		return -1;
	/* numbers[level]: a variable index, read as memory rather than walked */
	at = (__u64)pid + bpf_core_field_offset(struct pid, numbers) +
	     level * bpf_core_type_size(struct upid);
	return bpf_probe_read_kernel(up, sizeof(*up), (void *)at) ? -1 : 0;
}

/*
 * Run once by user space (BPF_PROG_TEST_RUN, in tracer's own context)
 * before the probes attach: tracer's pid as the kernel numbers it, which
 * getpid() is not in a nested PID namespace.
 */
SEC("raw_tp")
int whoami(void *ctx)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct upid up;

	launcher_tgid = bpf_get_current_pid_tgid() >> 32;
	self_ns_level = t->thread_pid->level;
	if (!upid_of(t, self_ns_level, &up))
		self_ns = (__u64)up.ns;
	return 0;
}

/*
 * Run on demand by user space (bpf_iter) in a nested PID namespace: each
 * task's tid as the kernel numbers it and as tracer's namespace does, for
 * the /proc files of the tasks the programs name (user/live/pidns.c).
 */
SEC("iter/task")
int ns_pids(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;
	struct upid up;
	__u32 rec[2];

	if (!t || upid_of(t, self_ns_level, &up) || (__u64)up.ns != self_ns)
		return 0;
	rec[0] = t->pid;
	rec[1] = up.nr;
	bpf_seq_write(ctx->meta->seq, rec, sizeof(rec));
	return 0;
}

/* Consumed by the fork tracepoint: every clone/fork passes an entry below. */
static __always_inline int clone_enter(void)
{
	struct task_stat *ts = current_task_of();

	if (ts && !tracing_over())
		ts->clone_ts = bpf_ktime_get_ns();
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_clone")
int handle_enter_clone(void *ctx) { clone_enter(); return TP_KEEP; }
SEC("tracepoint/syscalls/sys_enter_clone3")
int handle_enter_clone3(void *ctx) { clone_enter(); return TP_KEEP; }
SEC("tracepoint/syscalls/sys_enter_fork")
int handle_enter_fork(void *ctx) { clone_enter(); return TP_KEEP; }
SEC("tracepoint/syscalls/sys_enter_vfork")
int handle_enter_vfork(void *ctx) { clone_enter(); return TP_KEEP; }

/*
 * Run on demand by user space (bpf_iter): the figures of every traced task
 * still alive go to the tasks map (the exited ones went to done).
 */
SEC("iter/task")
int snapshot_tasks(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;
	struct task_stat *st;

	if (!t)
		return 0;
	st = task_of(t);
	if (st)
		keep(st);
	return 0;
}
