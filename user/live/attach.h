/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_ATTACH_H
#define TRACER_ATTACH_H

#include <stdint.h>
#include <sys/types.h>

/* `tracer run -p PID`: trace a tree that is already running. */

typedef int (*track_fn)(void *ctx, uint32_t tid, uint32_t tgid, uint32_t ppid,
			const char *comm);

/*
 * Register PID, its threads and all its descendants through track(). Forks
 * after a task is registered are followed in the kernel; the scan repeats
 * until it finds no new process, to catch forks that raced with it.
 * Returns the number of tasks registered, or -errno if PID does not exist.
 */
long attach_tree(pid_t root, track_fn track, void *ctx);
/* Whether pid is tracer or one of its ancestors: -p of it would wait for itself. */
int attach_is_ancestor(pid_t pid);
/*
 * Whether pid is a process to trace: 0; -EINVAL if it is a thread of
 * process *tgid; -ESRCH if it has exited (a zombie); -errno if none.
 */
int attach_check(pid_t pid, pid_t *tgid);

/*
 * Wait until PID exits, duration_s passes (0: no limit) or SIGINT/SIGTERM.
 * Sets *end_ns (CLOCK_MONOTONIC) to when tracing should stop. Returns 1 if
 * PID exited, else 0.
 */
int attach_wait(pid_t root, double duration_s, uint64_t *end_ns);
/* SIGINT, SIGTERM, SIGHUP (unless ignored) end attach_wait(), from now on */
void attach_init_signals(void);

#endif
