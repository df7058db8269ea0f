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
#include "envcheck.h"
#include "launch.h"
#include "loader.h"
#include "log.h"
#include "procstat.h"
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

int cmd_run(int argc, char **argv)
{
	struct run_config cfg;
	struct trace_data td = {};
	struct probes_opts popts = {};
	struct summary s = {};
	uint64_t steal0;
	struct launch l;
	struct probes *p = NULL;
	struct csv *csv = NULL;
	char prog[PATH_MAX], **cmd;
	int err, code = 1;

	cli_parse_run(argc, argv, &cfg);
	if (cfg.wl && catalog_prog_path(cfg.wl, prog, sizeof(prog)))
		return 1;
	cmd = build_argv(&cfg, prog);
	if (!cmd)
		return 1;
	s.workload = cfg.wl ? cfg.wl->name : "";
	join_argv(s.command, sizeof(s.command), cmd);

	if (envcheck_tracing())
		return 1;
	if (cfg.csv_path && csv__open(&csv, cfg.csv_path))
		return 1;
	log_setup_libbpf();
	popts.bpf_stats = cfg.bpf_stats;
	if (probes__start(&p, &popts))
		goto out;

	steal0 = procstat_steal_ns();
	probes__set_window(p, now_ns(), 0);
	err = launch_start(&l, cmd);
	if (err) {
		pr_err("cannot start %s: %s", cmd[0], strerror(-err));
		goto out;
	}
	err = launch_wait(&l, leader_gone, p);
	if (err) {
		pr_err("waiting for %s: %s", cmd[0], strerror(-err));
		goto out;
	}
	code = launch_exit_code(&l);
	if (l.exec_errno) {
		pr_err("cannot run '%s': %s", cmd[0], strerror(l.exec_errno));
		goto out;
	}
	probes__set_window(p, 0, l.end_ns);
	if (probes__collect(p, &td))
		goto out;
	probes__destroy(p);
	p = NULL;
	summary_from_trace(&s, &td);
	s.steal_s = (procstat_steal_ns() - steal0) / 1e9;

	s.exit_code = code;
	s.partial = !!l.signalled;
	s.wall_s = (l.end_ns - l.start_ns) / 1e9;
	s.cpu_user_s = tv_s(l.ru.ru_utime);
	s.cpu_sys_s = tv_s(l.ru.ru_stime);
	s.rusage_vol = l.ru.ru_nvcsw;
	s.rusage_invol = l.ru.ru_nivcsw;
	/* a result line from a failed or killed run is not a result */
	if (code == 0 && l.result[0])
		summary_parse_result(&s, l.result);
	else if (l.result[0])
		pr_warn("ignoring the result line of a run that exited with status %d", code);

	report_print(stderr, &s);
	if (csv) {
		err = report_write_csv(csv, &s);
		csv = NULL;
		if (err && !code)
			code = 1;
	}
out:
	trace_data_free(&td);
	csv__abort(csv);
	probes__destroy(p);
	if (cmd != cfg.cmd)
		free(cmd);
	free(cfg.wl_args);
	return code;
}
