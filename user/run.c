// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * `tracer run`: start the probes, launch the tree, wait, then report.
 * Order matters: the probes are attached before the fork, so the tree is
 * counted from its first instruction; the output file is created before
 * that, so a bad path costs nothing.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include "catalog.h"
#include "cli.h"
#include "csv.h"
#include "attach.h"
#include "envcheck.h"
#include "launch.h"
#include "loader.h"
#include "log.h"
#include "procstat.h"
#include "runas.h"
#include "report.h"
#include "summary.h"

/* The argv to exec: the workload's program with its preset and user args. */
static char **build_argv(const struct run_config *cfg, char *prog)
{
	const struct workload *w = cfg->wl;
	char **argv;
	int n = 0, npre = 0;

	if (!w)
		return cfg->cmd;
	while (w->args[npre])
		npre++;
	argv = calloc(npre + cfg->nwl_args + 2, sizeof(*argv));
	if (!argv)
		return NULL;
	argv[n++] = prog;
	for (int i = 0; i < npre; i++)
		argv[n++] = (char *)w->args[i];
	for (int i = 0; i < cfg->nwl_args; i++)
		argv[n++] = cfg->wl_args[i];
	return argv;
}

static void join_argv(char *buf, size_t len, char **argv)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; argv[i] && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? " " : "",
				i ? argv[i] : strrchr(argv[0], '/') ?
				strrchr(argv[0], '/') + 1 : argv[0]);
}

static int leader_gone(void *ctx, pid_t pid)
{
	return probes__task_exited(ctx, pid);
}

static double tv_s(struct timeval tv)
{
	return tv.tv_sec + tv.tv_usec / 1e6;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int track(void *ctx, uint32_t tid, uint32_t tgid, uint32_t ppid,
		 const char *comm)
{
	return probes__track(ctx, tid, tgid, ppid, comm);
}

/* -p PID: register the running tree, trace until it ends or time is up. */
static int trace_running(const struct run_config *cfg, struct probes *p,
			 struct summary *s, uint64_t *start, uint64_t *end)
{
	long n;

	*start = now_ns();
	probes__set_window(p, *start, 0);
	n = attach_tree(cfg->pid, track, p);
	if (n < 0) {
		pr_err("no process %d to trace", cfg->pid);
		return -1;
	}
	pr_info("tracing %ld tasks of process %d", n, cfg->pid);
	snprintf(s->command, sizeof(s->command), "-p %d", cfg->pid);
	s->attached = 1;
	attach_wait(cfg->pid, cfg->duration_s, end);
	return 0;
}

/* Run the command as a traced child; returns tracer's exit code, or -1. */
static int trace_command(char **cmd, const struct runas *ra, struct probes *p,
			 struct summary *s, uint64_t *start, uint64_t *end)
{
	struct launch l;
	int err, code;

	*start = now_ns();
	probes__set_window(p, *start, 0);
	err = launch_start(&l, cmd, ra);
	if (err) {
		pr_err("cannot start %s: %s", cmd[0], strerror(-err));
		return -1;
	}
	err = launch_wait(&l, leader_gone, p);
	if (err) {
		pr_err("waiting for %s: %s", cmd[0], strerror(-err));
		return -1;
	}
	code = launch_exit_code(&l);
	if (l.exec_errno) {
		if (l.exec_stage == LAUNCH_RUNAS)
			pr_err("cannot run '%s' as user %s: %s", cmd[0], ra->name,
			       strerror(l.exec_errno));
		else
			pr_err("cannot run '%s': %s", cmd[0], strerror(l.exec_errno));
		return code;
	}
	*end = l.end_ns;
	s->exit_code = code;
	s->partial = !!l.signalled;
	s->signal = l.signalled;
	s->leftovers = l.leftovers;
	s->wall_s = (l.end_ns - l.start_ns) / 1e9;
	s->cpu_user_s = tv_s(l.ru.ru_utime);
	s->cpu_sys_s = tv_s(l.ru.ru_stime);
	s->rusage_vol = l.ru.ru_nvcsw;
	s->rusage_invol = l.ru.ru_nivcsw;
	/* a result line from a failed or killed run is not a result */
	if (code == 0 && l.result[0])
		summary_parse_result(s, l.result);
	else if (l.result[0])
		pr_warn("ignoring the result line of a run that exited with status %d", code);
	return code;
}

int cmd_run(int argc, char **argv)
{
	struct run_config cfg;
	struct trace_data td = {};
	struct probes_opts popts = {};
	struct summary s = {};
	struct runas ra;
	uint64_t steal0, start = 0, end = 0;
	struct probes *p = NULL;
	struct csv *csv = NULL;
	char prog[PATH_MAX], **cmd = NULL;
	int code = 1;

	cli_parse_run(argc, argv, &cfg);
	if (runas_resolve(&ra, cfg.user))
		return EXIT_USAGE;
	if (!cfg.pid) {
		if (cfg.wl && catalog_prog_path(cfg.wl, prog, sizeof(prog)))
			return 1;
		cmd = build_argv(&cfg, prog);
		if (!cmd)
			return 1;
		s.workload = cfg.wl ? cfg.wl->name : "";
		join_argv(s.command, sizeof(s.command), cmd);
	} else {
		s.workload = "";
	}

	if (envcheck_tracing())
		goto out;
	if (!cfg.pid)
		launch_init_signals();
	if (cfg.csv_path && csv__open(&csv, cfg.csv_path, &ra))
		goto out;
	log_setup_libbpf();
	popts.bpf_stats = cfg.bpf_stats;
	if (probes__start(&p, &popts))
		goto out;

	steal0 = procstat_steal_ns();
	if (cfg.pid) {
		if (trace_running(&cfg, p, &s, &start, &end))
			goto out;
		code = 0;
		s.wall_s = (end - start) / 1e9;
	} else {
		code = trace_command(cmd, &ra, p, &s, &start, &end);
		if (code < 0 || !end) {
			code = code < 0 ? 1 : code;
			goto out;
		}
	}
	probes__set_window(p, 0, end);
	if (probes__collect(p, &td)) {
		code = 1;
		goto out;
	}
	summary_from_trace(&s, &td);
	s.steal_s = (procstat_steal_ns() - steal0) / 1e9;

	/* the file first: a report cut short (a closed pipe) must not lose it */
	if (csv) {
		int err = report_write_csv(csv, &s);

		csv = NULL;
		if (err && !code)
			code = 1;
	}
	report_print(stderr, &s);
	fflush(stderr);
out:
	/* detaching takes a while (RCU grace periods): after the report */
	trace_data_free(&td);
	csv__abort(csv);
	probes__destroy(p);
	if (cmd != cfg.cmd)
		free(cmd);
	free(cfg.wl_args);
	return code;
}
