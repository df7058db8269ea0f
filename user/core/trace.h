/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_TRACE_H
#define TRACER_TRACE_H

#include <stddef.h>
#include "events.h"
#include "core/tasks.h"

/*
 * Everything the probes collected about one run, as plain data: filled from
 * the kernel's maps by loader.c, read by summary.c. No libbpf here.
 */
/* --stacks: off-CPU time of one (task, user stack, kernel stack, state) */
struct trace_offcpu {
	struct offcpu_key key;
	struct offcpu_val val;
	char **user, **kern;	/* frame names, innermost first */
	__u32 nuser, nkern;
	char **wuser, **wkern;	/* the waker's, as it woke the task */
	__u32 nwuser, nwkern;
	__u32 own, wown;	/* the first user frame outside the C library; nuser if none */
	char wcomm[COMM_LEN];	/* the waker's name, if outside the tree; "" */
};

/* A futex word's name, read back from an event file (applied to td->futex after its replay) */
struct trace_word_name {
	__u32 tgid;
	__u64 uaddr;
	char *name;
};

struct trace_pair {
	struct pair_key key;
	struct hist h;
};

struct trace_futex {
	struct fx_key key;
	struct fx_val val;
	char *name;		/* --stacks: the variable holding the word; NULL */
};

/* Probe families that can be missing; the report says which were. */
#define FEAT_FUTEX	(1u << 0)	/* futex syscalls */
#define FEAT_FUTEX2	(1u << 1)	/* futex_waitv, futex_wait/wake/requeue */
#define FEAT_CLONE	(1u << 2)	/* clone/fork syscall entry */

/* A task of -p alive at the window's end: its CPU time then. */
struct trace_end {
	__u32 tid;
	__u64 runtime;		/* the kernel's count, ns */
};

struct bpf_prog_cost {
	char name[32];
	__u64 run_cnt;
	__u64 run_time_ns;
};

/* How user stacks were walked (--unwind) */
enum { UNWIND_FP, UNWIND_DWARF, UNWIND_EH };

struct trace_data {
	struct trace_task *tasks;	/* alive at the end, and the busiest gone */
	size_t ntasks;
	struct task_fold folded;	/* the other tasks gone */
	__u64 tids_reused;
	struct task_name *names;	/* TASK_NAMES, by tid (core/tasks.h) */
	unsigned char *seen;		/* a bit per tid of a tree task */
	size_t nseen;
	struct trace_pair *pairs;
	size_t npairs;
	struct trace_futex *futex;
	size_t nfutex;
	/* those of tasks gone, lighter than the ones kept (core/gone.h) */
	__u64 pairs_folded, pairs_folded_wakeups;
	__u32 max_pairs;		/* --max-pairs (meta row); 0: the default */
	__u64 futex_folded, futex_folded_waits;
	struct trace_offcpu *offcpu;	/* --stacks */
	size_t noffcpu;
	struct trace_word_name *word_names;	/* from a file: futex words' names */
	size_t nword_names;
	__u64 stacks_unresolved;	/* processes gone before their mappings were read */
	__u64 stacks_unwound_none;	/* --unwind dwarf: waits with no user frame */
	int unwind_dwarf;		/* user stacks: UNWIND_FP, _DWARF (copied) or _EH (in the kernel) */
	int stacks;			/* --stacks was on */
	__u64 cnt[NR_CNT];		/* summed over CPUs */
	struct hist hists[NR_HISTS_KEPT];	/* merged over CPUs */
	__u64 level_ns[MAX_LEVEL];	/* time with k tree tasks on CPU */
	int ncpus;
	__u64 interval_ns;		/* the timeline's, from the file; 0: 10 ms */
	__u64 (*cpu_ns)[NR_CATS];	/* per CPU: tree, other, idle */
	__u64 t_start, t_end;		/* the window, CLOCK_MONOTONIC ns */
	unsigned int features;		/* FEAT_* attached */
	char missing[256];		/* what could not be attached, and why */
	struct bpf_prog_cost costs[32];	/* with --bpf-stats */
	int ncosts;
	struct trace_end *ends;		/* -p */
	size_t nends;
	unsigned int steady;		/* of them, on a CPU all along */
};

/*
 * The runs the window's edges cut: of tasks on a CPU at t_end, and of -p
 * tasks no switch showed (td->ends). Once, on the final figures.
 */
void trace_close_window(struct trace_data *td);
/*
 * The figures of a task -p found, from there on (the kernel's storage and
 * the replay alike); runtime: its CPU time then, the kernel's count (0:
 * unknown); t_start: when tracing began.
 */
void trace_task_found(struct task_stat *st, __u32 tgid, __u32 ppid,
		      const char *comm, __u64 runtime, __u64 t_start);
/*
 * The concurrency level still open when the window closed: running tree
 * tasks on a CPU since last_ts (0: since the window opened, no change seen).
 */
void trace_close_level(struct trace_data *td, __u64 last_ts, __u32 running);
/* Event records of every kind the ring had no room for; sent to it. */
__u64 trace_ring_lost(const struct trace_data *td);
__u64 trace_ring_sent(const struct trace_data *td);
/* Switches of the tree's tasks, voluntary and not. */
__u64 trace_tree_switches(const struct trace_data *td);
/*
 * --stacks: the off-CPU ns of the waits (S, D), or of the preemptions (R),
 * and their count in *count.
 */
__u64 trace_offcpu_total(const struct trace_data *td, int preempted, __u64 *count);
/* The tasks of tt become td's (tt is left empty). */
void trace_take_tasks(struct trace_data *td, struct tasktab *tt);
/* One more of td->ends; -1 if out of room. */
int trace_add_end(struct trace_data *td, __u32 tid, __u64 runtime);
/* Two stacks' frame names in order: by count, then by name, as strcmp. */
int trace_frames_cmp(char *const *a, __u32 na, char *const *b, __u32 nb);
/* The names of word_names to td->futex's words; -ENOMEM. */
int trace_apply_word_names(struct trace_data *td);
void trace_data_free(struct trace_data *td);

#endif
