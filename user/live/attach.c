// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "core/clock.h"
#include "live/attach.h"
#include "live/launch.h"

#define MAX_PROCS	65536

/* comm and ppid of a process, from /proc/PID/stat ("pid (comm) S ppid ..."). */
static int proc_stat(pid_t pid, pid_t tid, char *comm, size_t len, pid_t *ppid)
{
	char path[64], buf[512], *open, *close;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	open = strchr(buf, '(');
	close = strrchr(buf, ')');
	if (!open || !close || close < open)
		return -EINVAL;
	snprintf(comm, len, "%.*s", (int)(close - open - 1), open + 1);
	if (sscanf(close + 1, " %*c %d", ppid) != 1)
		return -EINVAL;
	return 0;
}

/*
 * Register every thread of one process; returns how many. Each as it is
 * listed: a thread made meanwhile by one not registered yet (no fork
 * tracepoint sees it) has a higher tid, which the listing, going on from
 * the last tid it gave, still reaches (unless tids wrapped around).
 */
static long track_threads(pid_t pid, pid_t ppid, track_fn track, void *ctx)
{
	char path[64], comm[32];
	struct dirent *de;
	long n = 0;
	pid_t dummy;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		pid_t tid = atoi(de->d_name);

		if (tid > 0 && !proc_stat(pid, tid, comm, sizeof(comm), &dummy) &&
		    !track(ctx, tid, pid, ppid, comm))
			n++;
	}
	closedir(d);
	return n;
}

static int in_set(const pid_t *set, size_t n, pid_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == pid)
			return 1;
	return 0;
}

int attach_check(pid_t pid, pid_t *tgid)
{
	char path[64], line[256], state = 0;
	long threads = 0;
	FILE *f;

	*tgid = 0;
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (!sscanf(line, "State: %c", &state) && !sscanf(line, "Tgid: %d", tgid))
			sscanf(line, "Threads: %ld", &threads);
	fclose(f);
	if (*tgid && *tgid != pid)
		return -EINVAL;
	/* Z with threads left: its main thread ended, the others run on */
	return (state == 'Z' && threads <= 1) || state == 'X' ? -ESRCH : 0;
}

int attach_is_ancestor(pid_t pid)
{
	char comm[32];

	for (pid_t p = getpid(); p > 0; )
		if (p == pid || proc_stat(p, p, comm, sizeof(comm), &p))
			return p == pid;
	return 0;
}

long attach_tree(pid_t root, track_fn track, void *ctx)
{
	pid_t *tree = calloc(MAX_PROCS, sizeof(*tree)), ppid;
	size_t ntree = 0, before;
	char comm[32];
	long ntasks = 0;

	if (!tree)
		return -ENOMEM;
	if (proc_stat(root, root, comm, sizeof(comm), &ppid)) {
		free(tree);
		return -ESRCH;
	}
	tree[ntree++] = root;
	ntasks += track_threads(root, ppid, track, ctx);
	do {	/* add children of known members until nothing new appears */
		struct dirent *de;
		DIR *d = opendir("/proc");

		before = ntree;
		while (d && (de = readdir(d)) && ntree < MAX_PROCS) {
			pid_t pid = atoi(de->d_name);

			if (pid <= 0 || in_set(tree, ntree, pid) ||
			    proc_stat(pid, pid, comm, sizeof(comm), &ppid) ||
			    !in_set(tree, ntree, ppid))
				continue;
			tree[ntree++] = pid;
			ntasks += track_threads(pid, ppid, track, ctx);
		}
		if (d)
			closedir(d);
	} while (ntree != before);
	free(tree);
	return ntasks;
}

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	if (!launch_post_take(sig))	/* after the window: stop writing the outputs */
		stop = sig;
}

/*
 * From before the outputs are made: a signal then ends the trace at once,
 * its files written whole. One ignored at the start stays so (launch.c).
 */
void attach_init_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop };

	sigemptyset(&sa.sa_mask);
	stop_signals_catch(&sa);
}

int attach_wait(pid_t root, double duration_s, uint64_t *end_ns)
{
	uint64_t deadline = duration_s > 0 ? mono_ns() + duration_s * 1e9 : 0;
	int pidfd = syscall(SYS_pidfd_open, root, 0);
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
	sigset_t unblocked;
	int gone = 0;

	/* blocked but in ppoll: one cannot come between the test of stop and the wait */
	stop_signals_block(&unblocked);
	while (!stop) {
		int ms = -1;

		if (deadline) {
			uint64_t now = mono_ns();

			if (now >= deadline)
				break;
			ms = (deadline - now + 999999) / 1000000;
		}
		if (pidfd < 0) {	/* already gone, or no pidfd: poll /proc */
			if (kill(root, 0) && errno == ESRCH) {
				gone = 1;
				break;
			}
			ms = ms < 0 || ms > 100 ? 100 : ms;
		}
		if (ppoll(pidfd >= 0 ? &pfd : NULL, pidfd >= 0,
			  ms < 0 ? NULL : &(struct timespec){ ms / 1000, ms % 1000 * 1000000L },
			  &unblocked) > 0) {
			gone = 1;	/* the root exited */
			break;
		}
	}
	sigprocmask(SIG_SETMASK, &unblocked, NULL);
	*end_ns = mono_ns();
	if (pidfd >= 0)
		close(pidfd);
	return gone;
}
