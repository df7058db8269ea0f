/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Types shared by the bpf/ programs and user/: the ABI between the two sides.
 * Fixed-width types only; bump EV_ABI_VERSION whenever an event record's
 * layout changes (they are kept in capture files; task_stat is not).
 *
 * The bpf/ programs are linked into one object (bpftool gen object), so
 * they share the maps declared in maps.bpf.h and one skeleton.
 */
#ifndef TRACER_EVENTS_H
#define TRACER_EVENTS_H

#ifdef __bpf__
#include "vmlinux.h"		/* __u32 & co, struct bpf_spin_lock */
#else
#include <linux/types.h>
#include <linux/bpf.h>	/* struct bpf_spin_lock */
#endif

#define NSIG_MAX	64	/* signals counted in tree_signals (launch.c) */
#define EV_ABI_VERSION	7	/* 6: switch and waking records of fixed size */
#define COMM_LEN	16
#define MAX_TASKS	65536	/* tasks followed at once (default of --max-tasks) */
#define MAX_PAIRS	16384	/* waker -> wakee pairs alive at once (default of --max-pairs;
				 * histograms: 21 MB, preallocated) and as many more */
#define MAX_FUTEX_KEYS	16384	/* (futex, waiter) pairs alive at once */
#define MAX_LEVEL	16	/* concurrency levels kept apart; more share the last */
#define MAX_EV_KINDS	16	/* counters kept per event kind: room for NR_EV_KINDS */

/*
 * Log-linear histogram of nanoseconds: 8 linear sub-buckets per power of two,
 * so a percentile read from it is within 12.5% of the true value.
 * Slot of v: v < 8 -> v; else with e = floor(log2 v): 8 * (e - 2) + the three
 * bits below the top one. Covers up to 2^42 ns (73 minutes); longer values
 * share the last slot (a percentile there reads its midpoint; max stays exact).
 */
#define HIST_SUB_BITS	3
#define HIST_SLOTS	320

struct hist {
	__u32 slots[HIST_SLOTS];
	__u64 count;		/* the slots' sum; not kept in the kernel (histslot.h) */
	__u64 sum_ns;
	__u64 max_ns;
};

enum hist_id {
	HIST_WAKE_SAME,	/* waking -> on-CPU, woken on the CPU it runs on */
	HIST_WAKE_CROSS,	/* waking -> on-CPU, woken from another CPU */
	HIST_PREEMPT,	/* preempted (left runnable) -> back on CPU */
	HIST_OFF_S,	/* off-CPU after leaving to sleep (S) */
	HIST_OFF_D,	/* off-CPU after leaving uninterruptible (D) */
	HIST_FUTEX_WAIT,	/* futex waits that blocked: off-CPU in one */
	HIST_CREATE_PROC,	/* fork/clone entry -> the new process first on CPU */
	HIST_CREATE_THREAD,/* clone entry -> the new thread first on CPU */
	NR_HISTS,
	/*
	 * As kept by logic.h, one histogram per sleep: HIST_OFF_S holds the S
	 * sleeps outside a futex wait, HIST_FUTEX_WAIT those in one that a
	 * seen switch-in ended, this one those an unreported switch-in ended
	 * (no S sleep then). hists_final() (user/core/hist.c) makes them the
	 * figures above. One histogram less per switch-in: ~5 ns.
	 */
	HIST_FUTEX_UNSEEN = NR_HISTS,
	NR_HISTS_KEPT,
};

#define NR_FX_OPS	40	/* futex ops counted apart: futex(2) commands, FX_OP_* */

/* Per-CPU event counters: what was seen, matched, and lost. */
enum counter_id {
	CNT_SWITCH,		/* sched_switch events (all tasks) */
	CNT_SWITCH_TREE,		/* ... with a tree task going or coming */
	CNT_WAKING,		/* sched_waking of tree tasks */
	CNT_WAKEUP_NEW,		/* sched_wakeup_new of tree tasks */
	CNT_MIGRATE,		/* sched_migrate_task of tree tasks */
	CNT_FORK, CNT_EXEC, CNT_EXIT,	/* tree tasks */
	CNT_PROCS_CREATED, CNT_THREADS_CREATED,
	CNT_FUTEX_CALLS,		/* futex syscalls of tree tasks (all ops) */
	/* the scheduler's view: a tree task leaving a CPU to wait inside a
	 * futex wait call (its pt_regs), and what woke it */
	CNT_FUTEX_WAITS,		/* waits that blocked */
	CNT_FUTEX_EAGAIN,		/* wait calls that returned at once: value changed */
	CNT_FUTEX_TIMEOUTS,	/* blocked waits woken by an interrupt (their timer) */
	CNT_FUTEX_WAKES,		/* wake calls (WAKE, WAKE_BITSET, WAKE_OP, REQUEUE, UNLOCK_PI) */
	CNT_FUTEX_WOKEN,		/* blocked waits woken by a futex call (or a thread's exit) */
	CNT_FUTEX_OTHER,		/* other ops, errors of wake ops */
	CNT_UNMATCHED_WAKEUP,	/* back on CPU after a sleep with no waking seen */
	CNT_LOST_TASKS,		/* a new task found no slot (or its tid > pid_max) */
	CNT_LOST_PAIRS,		/* pairs map full */
	CNT_LOST_FUTEX,		/* futex map full */
	CNT_LOST_DEAD,		/* ring `done` full: a task's final figures folded in the kernel */
	CNT_TID_REUSED,		/* tids that served more than one traced task */
	CNT_FUTEX_OP,		/* CNT_FUTEX_OP + n: calls of futex op n (FX_OP_*) */
	CNT_EV_SENT = CNT_FUTEX_OP + NR_FX_OPS,	/* + kind: events written to the ring */
	CNT_EV_LOST = CNT_EV_SENT + MAX_EV_KINDS,	/* + kind: ring full, event dropped */
	/* left the CPU again with no switch-in traced since: the kernel does not
	 * report the switches of some tasks (a guest agent's, here) */
	CNT_UNSEEN_SWITCH_IN = CNT_EV_LOST + MAX_EV_KINDS,
	CNT_KNL_RUN_NS,		/* ns: runs whose start no switch showed (those,
				 * and -p tasks on a CPU when tracing began),
				 * from the kernel's count of their CPU time */
	/* the futex syscalls' view (their tracepoints): wait calls during
	 * which the task slept, of those timed out, and those a wake ended */
	CNT_FUTEX_SYS_WAITS,
	CNT_FUTEX_SYS_TIMEOUTS,
	CNT_FUTEX_SYS_WOKEN,
	CNT_FUTEX_BLOCK_OP,	/* + n: blocked waits of futex op n (FX_OP_*) */
	/* a tree task's switch-out the kernel did not report: a later switch
	 * showed another task leaving its CPU, or it got on a CPU again */
	CNT_UNSEEN_SWITCH_OUT = CNT_FUTEX_BLOCK_OP + NR_FX_OPS,
	/* --stacks: a blocking switch-out's stack not read (no frames, a
	 * bucket of the stack map taken by another stack, map full), and
	 * off-CPU entries the table had no room for */
	CNT_STACK_FAIL,
	CNT_OFFCPU_LOST,
	CNT_WSTACK_FAIL,		/* --stacks: a waker's stack not read */
	CNT_R_SKIPPED,		/* --stacks: preemptions past their budget, not noted */
	CNT_RSTACK_FAIL,	/* --stacks: a preemption's stack not read */
	/* ring `done` full: pairs and futex keys of tasks gone folded in the
	 * kernel (their rows not kept), with their wakeups and waits */
	CNT_PAIRS_FOLDED,
	CNT_PAIR_WAKEUPS_FOLDED,
	CNT_FUTEX_FOLDED,
	CNT_FUTEX_WAITS_FOLDED,
	/* runs of tracer's programs the kernel skipped, one already running on
	 * that CPU (bpf_prog_info.recursion_misses): events lost. Set by user
	 * space from the programs' info, never by BPF */
	CNT_RUNS_MISSED,
	NR_CNT,
};

/*
 * Event records (--events): one per traced event, through a BPF ring
 * buffer. Each starts with ev_hdr; the task it is about is pid/tid. A
 * record of the ring holds one or more of them, back to back: a CPU's
 * stage of up to STAGE_BYTES (bpf/stage.bpf.h), in time order.
 */
/*
 * 16 KiB: the flush's copy into the ring is most of a record's cost; four
 * times fewer of them took ~6.6 ns off a futex round trip's BPF time with
 * --events (306 -> 300 ns, bpf_stats, 11 interleaved runs).
 */
#define STAGE_BYTES	16384
enum ev_kind {
	EV_SWITCH = 1,	/* ev_switch: the task is prev */
	EV_WAKING,	/* ev_waking: the task is the wakee */
	EV_WAKEUP_NEW,	/* ev_task */
	EV_MIGRATE,	/* ev_task: orig_cpu -> dest_cpu */
	EV_FORK,	/* ev_task: the task is the child */
	EV_EXEC,	/* ev_task */
	EV_EXIT,	/* ev_task: exit_code */
	EV_FUTEX,	/* ev_futex: one per call, at its return */
	NR_EV_KINDS,
};
_Static_assert(NR_EV_KINDS <= MAX_EV_KINDS, "MAX_EV_KINDS: no room for the kinds' counters");

struct ev_hdr {
	__u64 ts;		/* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u32 kind;		/* enum ev_kind */
	__u32 cpu;
	__u32 pid;
	__u32 tid;
};

struct ev_switch {
	struct ev_hdr hdr;
	__u32 next_pid;
	__u32 next_tid;
	__u32 prev_state;
	__u8 preempt;
	__u8 prev_tree;		/* prev is a traced task */
	__u8 next_tree;
	__u8 fx_block;		/* prev left to wait in a futex call: fx_* */
	__s32 prev_prio;
	__s32 next_prio;
	__u32 knl_nvcsw;	/* prev's own counters, on its final switch */
	__u32 knl_nivcsw;
	char prev_comm[COMM_LEN];
	char next_comm[COMM_LEN];
	__u64 run_ns;		/* a traced prev not seen getting on the CPU: its
				 * CPU time since its last switch-out (or since
				 * found or born), the kernel's count; else 0 */
	__u32 fx_op;		/* the futex call prev waits in (FX_OP_*) */
	__u32 pad;
	__u64 fx_uaddr;		/* and its word (0: several) */
};

/*
 * Switch and waking records as the programs write them (the wire): a fixed
 * part, then the parts hdr.kind's flags (above EV_KIND_MASK) say follow, in
 * this order. A task's prio and comm (ev_part_task) are left out when its
 * last part in the same ring record (a stage: one chunk) said the same, so
 * that a ping-pong's chunk says them once a task, not at every record:
 * switch 48-64 bytes, not 112 (the ring's cost is per byte). A record sent
 * alone (st NULL in stage.bpf.h) has every part. user/core/event.c decodes
 * them into struct ev_switch and ev_waking, the records user space sees.
 */
#define EV_KIND_MASK	0xff
#define EV_HAS_PREV	0x100	/* ev_part_task of the switch's prev (hdr.tid) */
#define EV_HAS_NEXT	0x200	/* ev_part_task of next, or of a waking's wakee */
#define EV_HAS_FX	0x400	/* ev_part_fx */
#define EV_HAS_RUN	0x800	/* __u64 run_ns (ev_switch) */
#define EV_STAGE_SEEN	16	/* tasks a stage remembers: by tid & (EV_STAGE_SEEN - 1) */

struct ev_switch_wire {
	struct ev_hdr hdr;
	__u32 next_pid;
	__u32 next_tid;
	__u32 prev_state;
	__u8 preempt;
	__u8 prev_tree;
	__u8 next_tree;
	__u8 fx_block;
	__u32 knl_nvcsw;
	__u32 knl_nivcsw;
};

struct ev_waking_wire {
	struct ev_hdr hdr;
	__u32 waker_pid;
	__u32 waker_tid;
	__u32 target_cpu;
	__u32 wake_by;
};

struct ev_part_task {
	__s32 prio;
	__u32 pad;
	char comm[COMM_LEN];
} __attribute__((aligned(8)));	/* comm in two 8-byte stores */

struct ev_part_fx {
	__u32 fx_op;
	__u32 pad;
	__u64 fx_uaddr;
};

#define EV_SWITCH_WIRE_MAX	(sizeof(struct ev_switch_wire) + 2 * sizeof(struct ev_part_task) + \
				 sizeof(struct ev_part_fx) + sizeof(__u64))
#define EV_WAKING_WIRE_MAX	(sizeof(struct ev_waking_wire) + sizeof(struct ev_part_task) + \
				 sizeof(struct ev_part_fx))

/*
 * What woke a tree task (ev_waking.wake_by): a futex call of the waker, a
 * timer callback (for a futex wait, its timeout), anything else (I/O, a
 * pipe, a signal). NONE: a file of schema 2, which did not say.
 */
enum wake_by { WAKE_BY_NONE, WAKE_BY_OTHER, WAKE_BY_FUTEX, WAKE_BY_TIMER };

struct ev_waking {
	struct ev_hdr hdr;
	__u32 waker_pid;
	__u32 waker_tid;
	__s32 prio;
	__u32 target_cpu;
	char comm[COMM_LEN];
	/* what woke it (enum wake_by) and, for a futex call, the call and
	 * its word */
	__u32 wake_by;
	__u32 fx_op;
	__u64 fx_uaddr;
};

struct ev_task {
	struct ev_hdr hdr;
	__u32 parent_pid;	/* fork */
	__u32 parent_tid;
	__u64 clone_ts;		/* fork: the creator's clone entry, or 0 */
	__s32 exit_code;	/* exit */
	__u32 orig_cpu;		/* migrate */
	__u32 dest_cpu;
	__s32 prio;
	char comm[COMM_LEN];
};

struct ev_futex {
	struct ev_hdr hdr;
	__u32 op;		/* futex(2) command or FX_OP_* */
	__s32 ret;		/* its return: >= 0, or -errno */
	__u64 uaddr;
	__u64 dur_ns;		/* entry -> return */
};

/* Futex ops as recorded: the futex(2) command, or one of the newer calls. */
/* futex(2) commands are ops 0..: after masking FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME */
#define FUTEX_CMD_MASK	0x7f
#define FX_OP_WAITV	32	/* futex_waitv(2) */
#define FX_OP_WAIT2	33	/* futex_wait(2), Linux 6.7 */
#define FX_OP_WAKE2	34	/* futex_wake(2) */
#define FX_OP_REQUEUE2	35	/* futex_requeue(2) */
#define FX_OP_EXIT	36	/* a thread's exit: the kernel wakes its joiner */

/* Where a CPU's time went: the tree, any other task, or idle. */
enum cpu_cat { CAT_TREE, CAT_OTHER, CAT_IDLE, NR_CATS };

/* The tree task the last tree switch on a CPU put on it (tid 0: none), and when */
struct cpu_on {
	__u64 ts;
	__u32 tid;
	__u32 pad;
};

/*
 * Tasks gone, folded into totals: by user space past the busiest it keeps
 * (core/tasks.c), and by the kernel when the ring `done` is full (pcpu).
 */
struct task_fold {
	__u64 tasks, processes, threads, exited, threads_exited;
	__u64 checked, check_failed;	/* the kernel's counters against ours */
	__u64 switches_vol, switches_invol, migrations, run_ns;
};

struct pcpu {
	__u64 cnt[NR_CNT];
	struct task_fold fold;	/* final figures the ring `done` had no room for */
	__u64 ns[NR_CATS];	/* time per category inside [t_start, t_end] */
	__u64 last_ts;		/* last switch on this CPU */
	__u32 cur;		/* category of the task running since last_ts */
	__u32 in_timer;		/* in a timer callback (hrtimer_expire_entry) */
	__u64 regs_seen;	/* a pt_regs address, read back as a number */
	__u64 cur_task;		/* the task the last switch put on this CPU */
	__u64 sp_seen;		/* a stack address, read back as a number */
	__u64 stk_uaddr;	/* --stacks: the futex word prev blocks on; 0 */
	__u64 stk_run;		/* --stacks: prev's run since a switch-in not seen; 0 */
	__u64 stk_now;		/* --stacks: the tree switch's time, for stacks_sched_switch; 0 */
	struct cpu_on on;	/* logic.h's, for switches the kernel did not report */
	/* logic.h's histograms, this CPU's part: here, no lookup of their own */
	struct hist hists[NR_HISTS_KEPT];
};

/* How many tree tasks run at once, and for how long. */
struct level_state {
	struct bpf_spin_lock lock;
	__u32 running;
	__u64 last_ts;
	__u64 ns[MAX_LEVEL];
};

/* task_stat.flags */
#define TASK_F_EXITED	(1u << 0)	/* made its final switch (TASK_DEAD) */
#define TASK_F_ROOT	(1u << 1)	/* the task tracer launched */
#define TASK_F_ONCPU	(1u << 2)	/* its switch-in was seen, not yet its switch-out */
#define TASK_F_PREEXIST	(1u << 3)	/* registered by -p: born before tracing */
#define TASK_F_EXECED	(1u << 4)	/* has exec'd since tracing began */

/* task_stat.off_state: how the task last left the CPU */
enum off_state { OFF_NONE, OFF_S, OFF_D, OFF_R };

/*
 * One per traced task (thread): its task-local storage while it lives, a
 * copy in the tasks map once it has exited (or when the run ends). Fields
 * are written from the task's own switches, syscalls and fork; waking_*
 * from its waker and migrations from the migrating CPU (atomically).
 */
struct task_stat {
	__u64 start_ns;		/* task->start_time at its fork: with its tid,
				 * its key in the tasks map */
	__u64 task;		/* its task_struct's address (0: -p found it;
				 * set at its first event) */
	__u32 tid;		/* its index in tid_slot (bpf/common.bpf.h) */
	__u32 slot;		/* and its slot, there and in task_slots */
	__u32 alias;		/* while a thread's exec swaps it with the
				 * leader's tid: the other's slot */
	__u32 off_hist;		/* the histogram of its time off the CPU */
	__u32 tgid;
	__u32 ppid;		/* tgid of the parent process */
	__u32 flags;		/* TASK_F_* */
	__u32 off_state;	/* enum off_state */
	__u64 switches_vol;	/* left the CPU to wait (sleep, I/O, exit) */
	__u64 switches_invol;	/* left the CPU while still runnable */
	__u64 migrations;
	__u64 run_ns;		/* on-CPU time */
	__u64 sleep_ns;		/* off-CPU after S/D, up to its waking */
	__u64 runq_ns;		/* runnable, not running: wakeup latency + preempted */
	__u64 oncpu_ts;		/* last switch-in; -p: when it was found */
	__u64 offcpu_ts;	/* last switch-out */
	__u64 sleep_ts;		/* last switch-out to wait (voluntary) */
	__u64 fxb_ts;		/* left the CPU to wait in a futex call then */
	__u64 fxb_uaddr;	/* its word */
	__u32 fxb_by;		/* what first woke it (enum wake_by); 0: not yet */
	__u32 fx_slot;		/* 1 + index in futex_vals of (fx_slot_uaddr, it) */
	__u64 fx_slot_uaddr;
	__u64 runtime_off;	/* the kernel's count of its CPU time then
				 * (-p: when it was found, if known) */
	__u64 waking_ts;	/* last sched_waking, cleared on switch-in */
	__u32 waking_cpu;
	__u32 waker_tid;
	__u32 pair_waker;	/* the waker whose pair slot is cached below */
	__u32 pair_slot;	/* 1 + its index in pair_hists; 0: none */
	__u64 created_ts;	/* clone entry of its creator; cleared on first run */
	__u64 clone_ts;		/* in a clone/fork syscall since */
	__u64 fx_ts;		/* in a futex syscall since */
	__u64 fx_uaddr;
	__u32 fx_op;
	__u32 exit_code;	/* task->exit_code at exit */
	__u64 knl_nvcsw;	/* the kernel's own counters at the final switch */
	__u64 knl_nivcsw;
	char comm[COMM_LEN];	/* at fork; updated at exec and exit */
};

/*
 * --stacks: where a task last left the CPU to wait (S or D), and when; in
 * an array beside task_slots (same slot), so that task_stat keeps its 256
 * bytes (4 cache lines) and the default run its footprint.
 */
struct task_stk {
	__s32 user;		/* ids in ustacks (eh_stacks) and kstacks; < 0: none */
	__s32 kern;
	__u64 ts;		/* 0: no blocking switch-out pending */
	__u32 state;		/* OFF_S, OFF_D, or OFF_R (preempted: runnable) */
	__u32 wtid;		/* the task that woke it since; 0: none (an interrupt, not yet) */
	__u32 wtgid;
	__s32 wuser;		/* the waker's stacks as it woke it; < 0: not read */
	__s32 wkern;
	__u32 seq;		/* --unwind dwarf: its blocking switch-outs so far */
	__u64 uaddr;		/* the futex word it waits on; 0: none */
};

/*
 * --stacks: off-CPU time aggregated in the kernel by task, user stack,
 * kernel stack and state, from a blocking switch-out to the next switch-in
 * (the wait and the run-queue delay after it, as offcputime measures),
 * and by the task that woke it and its stacks then (offwaketime's pairs).
 */
/*
 * Distinct stacks of each kind. A stack map keeps one stack per hash bucket
 * and refuses a second (-EEXIST): with n stacks, n^2 / 2 / MAX_STACKS of a
 * collision, so each kind has its own map, larger than the stacks a run has.
 */
#define MAX_STACKS	32768
#define MAX_OFFCPU	16384	/* (task, stacks, state) entries */
#define USTACK_DEPTH	64	/* frames kept: user stacks, kernel stacks */
#define KSTACK_DEPTH	48
#define OFFCPU_SLOTS	40	/* log2 of ns: up to 2^40 ns (18 minutes) */

struct offcpu_key {
	__u32 tgid;
	__u32 tid;
	__s32 user;		/* stack ids; < 0: not read */
	__s32 kern;
	__u32 state;		/* OFF_S, OFF_D, or OFF_R (preempted: runnable) */
	__u32 wtid;		/* its waker, a task (0: an interrupt, a timer) */
	__u32 wtgid;
	__s32 wuser;		/* the waker's stacks as it woke it */
	__s32 wkern;
	__u32 pad;
	__u64 uaddr;		/* the futex word of the wait; 0: not a futex wait */
};

/*
 * --unwind dwarf: at a blocking switch-out, the task's user registers and
 * the top of its user stack (perf's --call-graph dwarf), unwound in user
 * space with the .eh_frame tables of its files; at its next switch-in, the
 * wait it was (the kernel side as offcpu_key; user 0 if its sample was
 * sent, -1 if not; wuser alike for the waker's sample, copied as it woke
 * the task). Both through the stk_new ring beside the 4-byte new
 * process notes, told apart by kind; the sample comes first (reserved
 * first), matched by (tid, seq).
 */
#define USTK_COPY	16384	/* bytes of user stack: 4 pages at most */

enum { USTK_SAMPLE = 1, USTK_WAIT, USTK_WAKER, USTK_EH_ASK };

/* A waiter's at its blocking switch-out, or (USTK_WAKER) its waker's as it wakes it */
struct ustk_sample {
	__u32 kind;		/* USTK_SAMPLE, USTK_WAKER */
	__u32 tgid, tid;	/* whose stack */
	__u32 seq;		/* the wait's (its task's blocking switch-outs) */
	__u32 len;		/* bytes of data, from sp up */
	__u32 wakee;		/* USTK_WAKER: the task of the wait */
	__u32 exec_id;		/* task->self_exec_id: which image of tgid */
	__u32 pad;
	__u64 ip, sp, bp;
	__u8 data[USTK_COPY];
};

struct ustk_wait {
	__u32 kind;		/* USTK_WAIT */
	__u32 seq;
	struct offcpu_key key;
	__u64 ns;		/* off the CPU */
};

/*
 * --unwind ehframe: user stacks walked in the kernel, at the switch-out,
 * from each file's .eh_frame turned into rows by user space (live/ehtab.c):
 * from its pc (in the file's addresses) to the next row's, the CFA is rsp
 * or rbp plus an offset, the return address at CFA - 8, and rbp, if saved,
 * at CFA + bp_off. A process's executable mappings say which rows are its.
 */
#define EH_FRAMES	32	/* frames walked, at most */
#define EH_MAPS		64	/* executable file mappings of a process */
#define MAX_EH_ROWS	(1 << 20)	/* rows of all files: 16 MiB */
#define MAX_EH_PROCS	1024	/* processes walked at once: 3 MiB */
/*
 * A row is found from its 64-byte bucket of the file's code: the bucket's
 * entry in eh_idx is the row in force at its start, and a scan of at most
 * 64 rows (one can begin at each byte) the one at pc. A binary search had
 * the verifier walk both ways at each of its steps.
 */
#define EH_BUCKET_SHIFT	6
#define EH_SCAN		(1 << EH_BUCKET_SHIFT)
#define MAX_EH_IDX	(1 << 20)	/* buckets of all files: 64 MiB of code */

enum { EH_CFA_RSP, EH_CFA_RBP, EH_CFA_NONE };

struct eh_row {
	__u64 pc;		/* in the file's addresses (before its load bias) */
	__s32 cfa_off;
	__u8 cfa_reg;		/* EH_CFA_*: NONE where no rule says (a gap, a PLT) */
	__u8 bp_saved;
	__s16 bp_off;
};

struct eh_map {
	__u64 start, end;	/* the mapping */
	__u64 bias;		/* its load bias: pc - bias is the file's address */
	__u64 lo;		/* the file's first row's pc: bucket 0 starts there */
	__u32 row, nrows;	/* its file's rows in eh_rows */
	__u32 idx, nidx;	/* its buckets in eh_idx */
};

struct eh_proc {
	__u32 n;		/* mappings, sorted by start */
	__u32 pad;
	__u64 asked_ns;		/* when a walk last asked for its mappings again */
	struct eh_map m[EH_MAPS];
};

/* A walk met code in no mapping it has rows for (a library loaded since): read them again */
#define EH_ASK_NS	100000000ull	/* at most every 100 ms a process */
struct eh_ask {
	__u32 kind;		/* USTK_EH_ASK */
	__u32 tgid;
};

struct eh_stack {
	__u64 ips[EH_FRAMES];	/* innermost first; 0 past the last */
};

struct offcpu_val {
	__u64 count;
	__u64 total_ns;
	__u64 max_ns;
	__u32 slots[OFFCPU_SLOTS];	/* by floor(log2 ns) */
};

/* A task for good: tids are reused, a tid and a start time are not. */
struct task_key {
	__u32 tid;
	__u32 pad;
	__u64 start_ns;
};

struct pair_key {
	__u32 waker_tid;	/* 0: woken from idle or interrupt context */
	__u32 wakee_tid;
};

struct fx_key {
	__u64 uaddr;		/* user address; per process unless shared */
	__u32 tgid;
	__u32 tid;		/* the waiter */
};

struct fx_val {
	__u64 waits;
	__u64 wait_ns;
	__u64 max_ns;
};

/*
 * A traced task's keys (same slot as in task_slots; rare paths only, so
 * that task_stat keeps its 256 bytes): the lists of its pairs as the wakee
 * and of its (futex word, it) keys, given back at its final switch; gen
 * tells the slot's tasks apart.
 */
struct task_keys {
	__u32 gen;		/* tasks the slot has held */
	__u32 pairs;		/* 1 + index of its first pair; 0: none */
	__u32 futex;		/* 1 + index of its first futex key; 0: none */
	__u32 walked;		/* tasks_gone when its pairs were last walked */
};

/*
 * A pair's place in its wakee's list, whose it is (two tasks may share a
 * tid for a while: a reaped thread's next, an exec's swap), and who its
 * waker was.
 */
struct pair_link {
	struct pair_key key;
	__u32 next;		/* 1 + index of the wakee's next pair; 0: the last */
	__u32 owner_slot;	/* the wakee's task slot and gen */
	__u32 owner_gen;
	__u32 waker_slot;	/* the waker's task slot and gen; slot 0: not traced */
	__u32 waker_gen;
};

struct fx_link {
	struct fx_key key;
	__u32 next;		/* 1 + index of the waiter's next key; 0: the last */
	__u32 owner_slot;	/* the waiter's task slot and gen */
	__u32 owner_gen;
	__u32 pad;
};

/* A walk for room (the slots full) looks at most this many of the wakee's pairs. */
#define KEYS_WALK_MAX	1024

/*
 * A pair or a futex key whose task is gone: its figures leave the kernel
 * by the ring `done`, as a task's do (told apart from those by size), and
 * its slot serves a new one. A run's pairs and keys are bounded only by
 * those alive at once.
 */
enum gone_kind { GONE_PAIR = 1, GONE_FUTEX = 2 };

struct gone_pair {
	__u32 kind;
	__u32 pad;
	struct pair_key key;
	struct hist h;
};

struct gone_futex {
	__u32 kind;
	__u32 pad;
	struct fx_key key;
	struct fx_val val;
};

#endif /* TRACER_EVENTS_H */
