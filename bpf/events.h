/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Types shared by the bpf/ programs and user/: the ABI between the two sides.
 * Fixed-width types only; bump EV_ABI_VERSION whenever a layout changes.
 */
#ifndef TRACER_EVENTS_H
#define TRACER_EVENTS_H

#ifndef __bpf__
#include <linux/types.h>	/* the BPF side gets __u32 & co from vmlinux.h */
#endif

#define EV_ABI_VERSION	1
#define COMM_LEN	16
#define MAX_TASKS	65536	/* default size of the tasks map */

/* task_stat.flags */
#define TASK_F_EXITED	(1u << 0)	/* made its final switch (TASK_DEAD) */
#define TASK_F_ROOT	(1u << 1)	/* the task tracer launched */

/*
 * One entry per traced task (thread), keyed by tid. A task's fields are only
 * written from its own switch-out or from the fork that created it, so no
 * two CPUs ever write one entry at the same time.
 */
struct task_stat {
	__u32 tgid;
	__u32 ppid;		/* tgid of the parent process */
	__u32 flags;		/* TASK_F_* */
	__u32 pad;
	__u64 switches_vol;	/* left the CPU to wait (sleep, I/O, exit) */
	__u64 switches_invol;	/* left the CPU while still runnable */
	char comm[COMM_LEN];	/* at fork; updated at exit */
};

/* Counters of what the programs could not do: reported, never hidden. */
struct trace_loss {
	__u64 tasks_untracked;	/* tasks map full at fork */
};

#endif /* TRACER_EVENTS_H */
