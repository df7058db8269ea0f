// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include "core/clock.h"
#include "events.h"
#include "live/launch.h"
#include "core/progress.h"
#include "core/log.h"

#define GRACE_NS	2000000000ull	/* after a signal, before SIGKILL */

static volatile sig_atomic_t child_pid;
static volatile sig_atomic_t got_signal;	/* the first of stop_signals */
static volatile sig_atomic_t nsignals;
static volatile sig_atomic_t tree_signals;	/* from the tree, left to it */
static volatile sig_atomic_t post_phase;	/* the run is over: outputs are written */
static volatile sig_atomic_t post_signal;	/* one then: stop writing them */
static volatile uint64_t post_start, post_grace;

/*
 * The signals that stop a run. One ignored when tracer started (SIGINT and
 * SIGQUIT of a script's background job) stays ignored by the command, as
 * it would be without tracer; tracer still stops at it. SIGHUP ignored
 * (nohup) stays ignored by both: they are to outlive the terminal.
 */
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
static sigset_t ignored_at_start;

void stop_signals_catch(const struct sigaction *sa)
{
	struct sigaction old;

	sigemptyset(&ignored_at_start);
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++) {
		int sig = stop_signals[i];

		if (!sigaction(sig, NULL, &old) && old.sa_handler == SIG_IGN)
			sigaddset(&ignored_at_start, sig);
		if (sig != SIGHUP || !sigismember(&ignored_at_start, sig))
			sigaction(sig, sa, NULL);
	}
}

/* In the command, before exec: as they were when tracer started */
static void stop_signals_restore(void)
{
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		signal(stop_signals[i], sigismember(&ignored_at_start, stop_signals[i]) ?
					SIG_IGN : SIG_DFL);
}

/* Signals a tree task sent tracer, by number: counted by proc.bpf.c */
static const volatile uint32_t *tree_sent;
static uint32_t tree_taken[NSIG_MAX + 1];

void launch_watch_tree_signals(const volatile uint32_t *counts)
{
	tree_sent = counts;
}

/*
 * Whether this signal came from the tree: one more was sent by a tree task
 * than taken so far. Counted where it was sent (the sender may be gone by
 * now); standard signals do not queue, so one taken stands for all since.
 */
static int from_tree(int sig)
{
	uint32_t n;

	if (!tree_sent || sig <= 0 || sig > NSIG_MAX)
		return 0;
	n = tree_sent[sig];
	if (n == tree_taken[sig])
		return 0;
	tree_taken[sig] = n;
	return 1;
}

/*
 * Ctrl-C from the terminal reaches the whole foreground process group, the
 * command included; a signal sent to tracer alone (kill) is passed on. A
 * second one kills the command at once. Left alone:
 * - a signal a process of the tree sent (a script's `kill 0` or `trap
 *   'kill 0' EXIT` reaches tracer, which shares the command's group): the
 *   tree has it; the command's affair, not a request to stop;
 * - the terminal's, if it was ignored when tracer started (a script's
 *   background job): the command ignores it too, as it would alone.
 */
static void on_signal(int sig, siginfo_t *si, void *uc)
{
	int saved = errno;

	(void)uc;
	if ((si->si_code == SI_USER || si->si_code == SI_QUEUE) && from_tree(sig)) {
		tree_signals++;
		goto out;
	}
	if (si->si_code == SI_KERNEL && sigismember(&ignored_at_start, sig))
		goto out;
	if (launch_post_take(sig))
		goto out;
	if (!nsignals++)
		got_signal = sig;
	if (child_pid <= 0)
		goto out;
	if (nsignals > 1)
		kill(child_pid, SIGKILL);
	else if (si->si_code != SI_KERNEL || getpgid(child_pid) != getpgrp())
		kill(child_pid, sig);	/* the terminal's reaches only its group */
out:
	errno = saved;
}

int launch_signal(void)
{
	return got_signal;
}

void launch_post_begin(void)
{
	post_grace = progress_after() * 1e9;
	post_start = mono_ns();
	post_phase = 1;
}

/*
 * One in the writing's first seconds, before its progress shows (the
 * habit of a second Ctrl-C right after the first, which ended the
 * command) lets it finish; a later one stops it.
 */
int launch_post_take(int sig)
{
	if (!post_phase)
		return 0;
	if (!post_signal && mono_ns() - post_start >= post_grace)
		post_signal = sig;
	return 1;
}

const volatile sig_atomic_t *launch_post_signal(void)
{
	return &post_signal;
}

/*
 * The signals that stop a run are blocked across fork until child_pid is
 * set: one that came between the fork and then (the child may exec and run
 * first) was seen but not passed on, and the command ran to its end (a
 * loaded CI machine's sleep 30 did). Both sides then restore the mask.
 */
static sigset_t mask_before_fork;

void stop_signals_block(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		sigaddset(&set, stop_signals[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

static void block_stop_signals(void)
{
	stop_signals_block(&mask_before_fork);
}

static void restore_signal_mask(void)
{
	sigprocmask(SIG_SETMASK, &mask_before_fork, NULL);
}

void launch_init_signals(void)
{
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO };

	sigemptyset(&sa.sa_mask);
	stop_signals_catch(&sa);
}

static void __attribute__((noreturn))
child_fail(int exec_wr, int stage, int err)
{
	int msg[2] = { stage, err };

	if (write(exec_wr, msg, sizeof(msg)) != sizeof(msg))
		_exit(127);
	_exit(err == ENOENT ? 127 : 126);
}

static void __attribute__((noreturn))
child_exec(char *const argv[], const struct runas *ra, int result_wr, int exec_wr,
	   pid_t tracer)
{
	char fdnum[16];
	int err;

	snprintf(fdnum, sizeof(fdnum), "%d", result_wr);
	setenv("TRACER_RESULT_FD", fdnum, 1);
	stop_signals_restore();
	signal(SIGPIPE, SIG_DFL);	/* ignored by tracer; exec keeps that */
	restore_signal_mask();
	err = runas_apply(ra);
	if (err)
		child_fail(exec_wr, LAUNCH_RUNAS, -err);
	/*
	 * The command gets its user's privileges, not tracer's: capabilities
	 * tracer was given as ambient ones (setpriv, systemd) would pass exec.
	 * Failing (a kernel before 4.3): there were none to pass.
	 */
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	/*
	 * Killed with tracer, even by SIGKILL (set after the change of user,
	 * which clears it; the check closes the race with tracer's death).
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != tracer)
		_exit(128 + SIGKILL);
	execvp(argv[0], argv);
	child_fail(exec_wr, LAUNCH_EXEC, errno);
}

int launch_start(struct launch *l, char *const argv[], const struct runas *ra)
{
	pid_t parent;
	int res[2], ex[2];

	memset(l, 0, sizeof(*l));
	l->result_rd = l->exec_rd = -1;
	if (pipe2(res, O_CLOEXEC) || pipe2(ex, O_CLOEXEC))
		return -errno;
	/* the write end of the result pipe must survive exec */
	if (fcntl(res[1], F_SETFD, 0) || fcntl(res[0], F_SETFL, O_NONBLOCK))
		return -errno;
	/* orphans of the tree come back to us, so they are reaped and counted */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	fflush(NULL);
	parent = getpid();
	l->start_ns = mono_ns();
	block_stop_signals();
	if (nsignals) {	/* asked to stop before anything started (the test: blocked) */
		restore_signal_mask();
		close(res[0]);
		close(res[1]);
		close(ex[0]);
		close(ex[1]);
		return -EINTR;
	}
	l->pid = fork();
	if (l->pid < 0) {
		l->pid = -errno;
		restore_signal_mask();
		return l->pid;
	}
	if (l->pid == 0) {
		close(res[0]);
		close(ex[0]);
		child_exec(argv, ra, res[1], ex[1], parent);
	}
	child_pid = l->pid;
	restore_signal_mask();	/* one that came meanwhile is passed on now */
	close(res[1]);
	close(ex[1]);
	l->result_rd = res[0];
	l->exec_rd = ex[0];
	return 0;
}

static void add_rusage(struct rusage *sum, const struct rusage *ru)
{
	timeradd(&sum->ru_utime, &ru->ru_utime, &sum->ru_utime);
	timeradd(&sum->ru_stime, &ru->ru_stime, &sum->ru_stime);
	sum->ru_nvcsw += ru->ru_nvcsw;
	sum->ru_nivcsw += ru->ru_nivcsw;
	if (ru->ru_maxrss > sum->ru_maxrss)
		sum->ru_maxrss = ru->ru_maxrss;
}

/* Keep the last "result:" line the command wrote to TRACER_RESULT_FD. */
static void take_line(struct launch *l)
{
	l->line[l->line_len] = '\0';
	if (!strncmp(l->line, "result:", 7))
		memcpy(l->result, l->line, l->line_len + 1);
	l->line_len = 0;
}

/*
 * What the command wrote to TRACER_RESULT_FD so far (the pipe does not
 * block): its last "result:" line counts. Read while it runs, so that a
 * writer of more than a pipe's worth never waits on a full one. end: no
 * more will come, a last line without a newline counts too.
 */
static void read_result(struct launch *l, int end)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(l->result_rd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] == '\n')
				take_line(l);
			else if (l->line_len < RESULT_LINE_MAX - 1)
				l->line[l->line_len++] = buf[i];
	if (end && l->line_len)
		take_line(l);
}

/* What the child reported before exec, if it never got there. */
static void read_exec_failure(struct launch *l)
{
	int msg[2];

	if (read(l->exec_rd, msg, sizeof(msg)) == sizeof(msg)) {
		l->exec_stage = msg[0];
		l->exec_errno = msg[1];
	}
}

/*
 * Whether a process whose main thread has ended (Z) still runs: a thread of
 * it neither ended nor on its way out (PF_EXITING: a whole process exiting
 * shows Z while its last threads free their memory).
 */
static int runs_on(const char *pid)
{
	char path[96], buf[512], *p;
	struct dirent *de;
	unsigned long flags;
	int live = 0;
	char state;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%.16s/task", pid);
	d = opendir(path);
	while (d && !live && (de = readdir(d))) {
		FILE *f;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%.16s/task/%.16s/stat", pid, de->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
		fclose(f);
		if (p && sscanf(p + 1, " %c %*s %*s %*s %*s %*s %lu", &state, &flags) == 2 &&
		    state != 'Z' && state != 'X' && !(flags & 0x4))	/* PF_EXITING */
			live = 1;
	}
	if (d)
		closedir(d);
	return live;
}

/* Our children: tracer is a subreaper, so orphans of the tree land here. */
static int children(pid_t *out, int max)
{
	char path[64], buf[512], *p;
	struct dirent *de;
	pid_t self = getpid(), ppid;
	DIR *d = opendir("/proc");
	long threads;
	char state;
	int n = 0;

	while (d && (de = readdir(d)) && n < max) {
		FILE *f;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%.16s/stat", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
		fclose(f);
		/*
		 * a zombie has ended on its own: reaped next, not a leftover; but
		 * a process whose main thread ended shows Z while its other
		 * threads run on (num_threads, the 20th field, counts them)
		 */
		if (p && sscanf(p + 1, " %c %d %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s "
				"%*s %*s %*s %*s %ld", &state, &ppid, &threads) == 3 &&
		    ppid == self && (state != 'Z' || (threads > 1 && runs_on(de->d_name))))
			out[n++] = atoi(de->d_name);
	}
	if (d)
		closedir(d);
	return n;
}

/*
 * Nothing of the tree may outlive the run: reap the orphans that finished,
 * ask the ones still running to stop, and kill them after a grace period.
 * Only our own unreaped children are signalled, so no pid can be reused.
 */
static int stop_leftovers(struct launch *l, void (*window)(void *ctx, uint64_t ns),
			  void *ctx)
{
	static pid_t asked[1024];	/* sent SIGTERM already */
	uint64_t deadline = 0;
	struct rusage ru;
	pid_t kids[256], pid;
	int st, n, nasked = 0;

	for (;;) {
		while ((pid = wait4(-1, &st, WNOHANG, &ru)) > 0)
			add_rusage(&l->ru, &ru);
		n = children(kids, 256);
		if (!n) {	/* but zombies the scan left: all reaped now */
			while ((pid = wait4(-1, &st, WNOHANG, &ru)) > 0)
				add_rusage(&l->ru, &ru);
			return !!deadline;
		}
		if (!deadline) {
			window(ctx, 0);	/* the tree goes on: so does the window */
			deadline = mono_ns() + GRACE_NS / 2;
		}
		for (int i = 0; i < n; i++) {
			int j = 0, late = mono_ns() >= deadline || nsignals > 1;

			while (j < nasked && asked[j] != kids[i])
				j++;
			if (j == nasked && nasked < 1024) {	/* new: counted once */
				asked[nasked++] = kids[i];
				l->leftovers++;
				if (!late)
					kill(kids[i], SIGTERM);
			}
			if (late)
				kill(kids[i], SIGKILL);
		}
		usleep(10000);
	}
}

/* Wait for the leader, escalating to SIGKILL if a signal asked us to stop. */
static int wait_leader(struct launch *l)
{
	int pidfd = syscall(SYS_pidfd_open, l->pid, 0);
	uint64_t deadline = 0;
	int result_hup = 0, err = 0;
	sigset_t unblocked;
	siginfo_t si;

	/* blocked but in ppoll: one cannot come between the test of nsignals and the wait */
	stop_signals_block(&unblocked);
	for (;;) {
		struct pollfd pfd[2] = { { .fd = pidfd, .events = POLLIN },
					 { .fd = l->result_rd, .events = POLLIN } };
		int ms = -1;

		if (nsignals && !deadline)
			deadline = mono_ns() + GRACE_NS;
		if (deadline) {
			uint64_t now = mono_ns();

			if (now >= deadline || nsignals > 1) {
				kill(l->pid, SIGKILL);
				deadline = UINT64_MAX;
			} else if (deadline != UINT64_MAX) {
				ms = (deadline - now) / 1000000 + 1;
			}
		}
		if (pidfd < 0) {	/* no pidfd: poll */
			ms = ms < 0 || ms > 10 ? 10 : ms;
			pfd[0].fd = -1;
		}
		if (result_hup)
			pfd[1].fd = -1;
		ppoll(pfd, 2, ms < 0 ? NULL : &(struct timespec){ ms / 1000, ms % 1000 * 1000000L },
		      &unblocked);
		if (pfd[1].revents & POLLIN)
			read_result(l, 0);
		else if (pfd[1].revents & POLLHUP)
			result_hup = 1;
		memset(&si, 0, sizeof(si));
		/* errno only where the call failed: an older one is no error */
		if (waitid(P_PID, l->pid, &si, WEXITED | WNOWAIT | WNOHANG) < 0 &&
		    errno != EINTR) {
			err = -errno;
			break;
		}
		if (si.si_pid)
			break;
	}
	sigprocmask(SIG_SETMASK, &unblocked, NULL);
	if (pidfd >= 0)
		close(pidfd);
	return err;
}

int launch_wait(struct launch *l, int (*leader_gone)(void *ctx, pid_t pid),
		void (*window)(void *ctx, uint64_t ns), void *ctx)
{
	struct rusage ru;
	int tries, err;

	err = wait_leader(l);
	if (err)
		return err;
	l->exit_ns = l->end_ns = mono_ns();
	window(ctx, l->end_ns);	/* before the waits below */
	/* the exit path ends with one last switch; let it be counted first */
	for (tries = 0; tries < 20000 && !leader_gone(ctx, l->pid); tries++)
		usleep(50);
	if (tries == 20000)
		pr_debug("final switch of pid %d not seen after 1 s", l->pid);

	child_pid = 0;	/* it has exited: nothing to pass on, and its pid is freed next */
	if (wait4(l->pid, &l->status, 0, &ru) != l->pid)
		return -errno;
	add_rusage(&l->ru, &ru);
	if (stop_leftovers(l, window, ctx))
		l->end_ns = mono_ns();	/* the window covers what outlived the leader */
	l->signalled = got_signal;
	if (tree_signals)
		pr_debug("%d signal(s) the tree sent its own process group left to it",
			 (int)tree_signals);

	read_exec_failure(l);
	read_result(l, 1);
	close(l->exec_rd);
	close(l->result_rd);
	return 0;
}

int launch_exit_code(const struct launch *l)
{
	if (WIFSIGNALED(l->status))
		return 128 + WTERMSIG(l->status);
	return WEXITSTATUS(l->status);
}
