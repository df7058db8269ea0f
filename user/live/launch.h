/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_LAUNCH_H
#define TRACER_LAUNCH_H

#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>
#include "core/runas.h"

#define RESULT_LINE_MAX	4096

enum { LAUNCH_EXEC, LAUNCH_RUNAS };

/* Starts a command, waits for its tree, and collects what the kernel says. */
struct launch {
	pid_t pid;
	int result_rd;		/* read end of TRACER_RESULT_FD */
	int exec_rd;		/* read end of the exec-failure pipe */
	uint64_t start_ns, exit_ns;	/* CLOCK_MONOTONIC: fork, the leader's exit */
	uint64_t end_ns;	/* the window's: the exit, or when the tree outliving it was gone */
	int status;		/* wait status of the leader */
	int exec_errno;		/* non-zero: the command could not be run */
	int exec_stage;		/* where it failed: LAUNCH_EXEC or LAUNCH_RUNAS */
	int signalled;		/* a SIGINT/SIGTERM reached tracer meanwhile */
	int leftovers;		/* processes of the tree still running at the end */
	struct rusage ru;	/* the tree's, as its reapers accumulated it */
	char result[RESULT_LINE_MAX];	/* last "result:" line, or "" */
	char line[RESULT_LINE_MAX];	/* the line being read */
	size_t line_len;
};

/* Catch SIGINT/SIGTERM/SIGHUP/SIGQUIT from now on: they stop the command, not tracer. */
void launch_init_signals(void);

/* Those signals to handler sa, but for the ones ignored when tracer started */
void stop_signals_catch(const struct sigaction *sa);
/* Block those signals; the mask before in old (for ppoll, then sigprocmask) */
void stop_signals_block(sigset_t *old);

/* The BPF side's count of signals tree tasks sent tracer, by number */
void launch_watch_tree_signals(const volatile uint32_t *counts);
/* The first of them caught, or 0. */
int launch_signal(void);
/*
 * The run is over (command, window): a stop signal from now on asks to
 * stop writing the outputs. launch_post_take(sig): whether sig came then
 * (a handler's test: noted); launch_post_signal(): the first such, or 0.
 */
void launch_post_begin(void);
int launch_post_take(int sig);
const volatile sig_atomic_t *launch_post_signal(void);

/*
 * Fork and exec argv[0] (searched in PATH). The child is traced from the
 * fork on. Returns 0, or a negative errno if nothing could be started.
 */
int launch_start(struct launch *l, char *const argv[], const struct runas *ra);

/*
 * Wait for the leader to exit. Before reaping it, wait until leader_gone(ctx,
 * pid) says its final context switch happened, so that the kernel's rusage
 * and the traced counts cover the same switches. Then reap orphans that
 * reached us. window(ctx, ns) says at once where the window ends: at the
 * exit (ns), or not yet (0) when processes of the tree outlive the leader;
 * l->end_ns is then when they were gone.
 */
int launch_wait(struct launch *l, int (*leader_gone)(void *ctx, pid_t pid),
		void (*window)(void *ctx, uint64_t ns), void *ctx);

/* The exit status tracer should return for the command: like a shell. */
int launch_exit_code(const struct launch *l);

#endif
