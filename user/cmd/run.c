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
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include "io/metarows.h"
#include "core/clock.h"
#include "io/capture.h"
#include "live/catalog.h"
#include "live/collector.h"
#include "io/evcsv.h"
#include "cmd/cli.h"
#include "io/csv.h"
#include "live/attach.h"
#include "live/envcheck.h"
#include "live/launch.h"
#include "live/machine.h"
#include "live/loader.h"
#include "core/log.h"
#include "core/meta.h"
#include "render/perfetto.h"
#include "live/pidns.h"
#include "live/procstat.h"
#include "core/runas.h"
#include "core/replay.h"
#include "render/report.h"
#include "render/flamegraph.h"
#include "render/stacks.h"
#include "render/sinks.h"
#include "core/summary.h"
#include "render/timeline.h"

/* The argv to exec: the workload's program with its preset and user args. */
/* The argv to exec: [interpreter], the workload's program, preset and user args. */
static char **build_argv(const struct run_config *cfg, char *prog, char *interp)
{
	if (!cfg->wl)
		return cfg->cmd;
	return catalog_argv(cfg->wl, prog, interp, cfg->wl_args, cfg->nwl_args);
}

/* One argument as a shell would need it: bare if it can be, else in '...'. */
static size_t put_arg(char *buf, size_t len, const char *a)
{
	size_t off = 0;

	if (*a && strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			 "0123456789_@%+=:,./-") == strlen(a))
		return snprintf(buf, len, "%s", a);
	off += snprintf(buf, len, "'");
	for (; *a && off < len; a++)
		off += snprintf(buf + off, len - off, *a == '\'' ? "'\\''" : "%c", *a);
	return off < len ? off + snprintf(buf + off, len - off, "'") : off;
}

/* The command line, its program by base name, arguments quoted as needed. */
static void join_argv(char *buf, size_t len, char **argv)
{
	const char *prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	size_t off = put_arg(buf, len, prog);

	for (int i = 1; argv[i] && off + 1 < len; i++) {
		buf[off++] = ' ';
		off += put_arg(buf + off, len - off, argv[i]);
	}
}

static int leader_gone(void *ctx, pid_t pid)
{
	return probes_task_exited(ctx, pid);
}

static void window_end(void *ctx, uint64_t ns)
{
	probes_set_stop(ctx, ns);
}

struct tracking {
	struct probes *p;
	struct capture *cap;	/* with an event output: task rows */
	/* -p, CPU time known: the kernel's tid, and the tids /proc knows it by */
	struct found { uint32_t tid, local_tid, local_tgid; } *found;
	size_t nfound;
	uint64_t untracked;	/* found, but no room for them: tasks_untracked */
};

static int track(void *ctx, uint32_t tid, uint32_t tgid, uint32_t ppid,
		 const char *comm)
{
	struct tracking *t = ctx;
	/* before the task has storage: a switch-out before then goes unseen */
	uint64_t runtime = procstat_runtime_ns(tgid, tid);
	struct found *f = realloc(t->found, (t->nfound + 1) * sizeof(*f));
	/* the programs know it by the kernel's tids (a nested PID namespace's differ) */
	uint32_t ktid = pidns_kernel(tid), ktgid = pidns_kernel(tgid);
	uint32_t kppid = ppid ? pidns_kernel(ppid) : 0;
	int err;

	if (!f)
		return -ENOMEM;
	t->found = f;
	if (!ktid || !ktgid)
		return -ESRCH;	/* gone since /proc listed it */
	err = probes_track(t->p, ktid, ktgid, kppid, comm, runtime);
	if (err == -EEXIST)	/* followed from its fork on: nothing to add */
		return 0;
	if (err == -ENOSPC)	/* counted as the programs count a task they have no slot for */
		t->untracked++;
	if (!err && runtime)	/* its CPU time at the end is read too */
		f[t->nfound++] = (struct found){ ktid, tid, tgid };
	if (!err && t->cap) {
		union ev_any row = { .row = { .hdr = { .pid = ktgid, .tid = ktid }, .ppid = kppid,
					      .runtime_ns = runtime } };

		memcpy(row.row.comm, comm, strnlen(comm, COMM_LEN));
		capture_put(t->cap, CAP_TASK, &row.row, sizeof(row.row));
	}
	return err;
}

/* -p PID: register the running tree; its events are read from then on. */
static int attach_running(const struct run_config *cfg, struct tracking *t,
			  struct run_meta *m)
{
	long n = attach_tree(cfg->pid, track, t);

	if (n < 0) {
		pr_err("no process %d to trace", cfg->pid);
		return -1;
	}
	if (!n) {	/* each gone since /proc listed it, or not to be told to BPF */
		pr_err("process %d: none of its tasks could be traced", cfg->pid);
		return -1;
	}
	if (t->untracked)
		pr_warn("%llu tasks of process %d not traced: no room for them (--max-tasks)",
			(unsigned long long)t->untracked, cfg->pid);
	pr_info("tracing %ld tasks of process %d", n, cfg->pid);
	m->attached = 1;
	return 0;
}

/* Run the command as a traced child; returns tracer's exit code, or -1. */
static int trace_command(char **cmd, const struct runas *ra, struct probes *p,
			 struct run_meta *m, uint64_t *end)
{
	struct launch l;
	int err, code;

	launch_watch_tree_signals(probes_tree_signals(p));
	err = launch_start(&l, cmd, ra);
	if (err == -EINTR) {
		pr_err("interrupted before %s started", cmd[0]);
		return 128 + launch_signal();
	}
	if (err) {
		pr_err("cannot start %s: %s", cmd[0], strerror(-err));
		return -1;
	}
	err = launch_wait(&l, leader_gone, window_end, p);
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
	m->exit_code = code;
	m->partial = l.signalled || WIFSIGNALED(l.status);	/* interrupted, or crashed */
	m->killed = WIFSIGNALED(l.status) ? WTERMSIG(l.status) : 0;
	m->signal = l.signalled;
	m->leftovers = l.leftovers;
	m->wall_ns = l.exit_ns - l.start_ns;
	m->cpu_user_us = l.ru.ru_utime.tv_sec * 1000000ull + l.ru.ru_utime.tv_usec;
	m->cpu_sys_us = l.ru.ru_stime.tv_sec * 1000000ull + l.ru.ru_stime.tv_usec;
	m->rusage_vol = l.ru.ru_nvcsw;
	m->rusage_invol = l.ru.ru_nivcsw;
	/* a result line from a failed or killed run is not a result */
	if (code == 0)
		snprintf(m->result, sizeof(m->result), "%s", l.result);
	else if (l.result[0])
		pr_warn("ignoring the result line of a run that exited with status %d", code);
	return code;
}

static uint64_t self_maxrss_kib(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) ? 0 : ru.ru_maxrss;
}

/* tracer's own CPU time so far, all its threads (not the command's) */
static uint64_t self_cpu_us(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0;
	return ru.ru_utime.tv_sec * 1000000ull + ru.ru_utime.tv_usec +
	       ru.ru_stime.tv_sec * 1000000ull + ru.ru_stime.tv_usec;
}


/*
 * With --events the figures come from the events (so that `tracer report`
 * on the file gives the same); the kernel's own maps are the check.
 * dropped: records the capture file had no room for, by kind.
 */
static int replay_events(struct replay *r, struct trace_data *td, const uint64_t *dropped)
{
	uint64_t lost = trace_ring_lost(td), nodisk = 0, kernel = trace_tree_switches(td);
	int err;

	for (int k = 0; k < NR_EV_KINDS; k++)
		nodisk += dropped[k];
	if (lost) {
		/* the kernel's maps missed nothing: the report comes from them */
		pr_warn("%llu event records lost (the ring buffer was full; try --ring-mb): "
			"the event file is incomplete, this report is from the kernel's maps",
			(unsigned long long)lost);
	}
	if (nodisk)
		pr_warn("%llu event records did not fit in the capture file: the event file "
			"is incomplete, this report is from the kernel's maps",
			(unsigned long long)nodisk);
	if (lost || nodisk)
		return 0;
	err = replay_result(r, td);
	if (err)
		pr_err("out of memory for the figures of the events: %s", strerror(-err));
	if (!err && trace_tree_switches(td) != kernel)
		pr_warn("the events count %llu switches, the kernel's maps %llu",
			(unsigned long long)trace_tree_switches(td), (unsigned long long)kernel);
	return err;
}

/* Close a kept capture: meta rows last, so a file that has them is whole. */
static int capture_finish(struct capture *cap, const struct run_meta *m,
			  const struct trace_data *td, int partial)
{
	meta_write(capture_meta, cap, m, td, partial);
	return capture_commit(cap);
}

/*
 * The capture's directory: the first event output's, where the user keeps
 * what it becomes; for outputs that are no file's name (a FIFO,
 * /dev/stdout), $TMPDIR's or /var/tmp.
 */
static const char *capture_dir(const struct run_config *cfg, char *buf, size_t len)
{
	const char *paths[] = { cfg->events_path, cfg->perfetto_path, cfg->timeline_path };
	const char *tmp = getenv("TMPDIR");

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		const char *slash;
		struct stat st;

		if (!paths[i] || csv_own_fd(paths[i]) != -1 ||
		    (!stat(paths[i], &st) && !S_ISREG(st.st_mode)))
			continue;
		slash = strrchr(paths[i], '/');
		if (!slash)
			return ".";
		snprintf(buf, len, "%.*s", (int)(slash - paths[i] + 1), paths[i]);
		return buf;
	}
	return tmp && *tmp ? tmp : "/var/tmp";
}

/* The output files, opened before any work; each goes to its sink when the events start. */
struct outputs {
	struct csv *csv;	/* --csv: the summary */
	struct csv *events, *perfetto, *timeline;
	struct csv *folded;	/* --folded */
	struct csv *flame;	/* --flamegraph */
};

/* Open the output files now, so a bad path fails before any work. */
static int open_outputs(const struct run_config *cfg, const struct runas *ra,
			struct outputs *o)
{
	if (cfg->csv_path && csv_open(&o->csv, cfg->csv_path, ra))
		return -1;
	if (cfg->events_path && csv_open(&o->events, cfg->events_path, ra))
		return -1;
	if (cfg->perfetto_path && csv_open(&o->perfetto, cfg->perfetto_path, ra))
		return -1;
	if (cfg->timeline_path && csv_open(&o->timeline, cfg->timeline_path, ra))
		return -1;
	if (cfg->folded_path && csv_open(&o->folded, cfg->folded_path, ra))
		return -1;
	if (cfg->flamegraph_path && csv_open(&o->flame, cfg->flamegraph_path, ra))
		return -1;
	return 0;
}

static void close_outputs(struct outputs *o, struct sinks *k)
{
	csv_abort(o->csv);
	csv_abort(o->events);
	csv_abort(o->perfetto);
	csv_abort(o->timeline);
	csv_abort(o->folded);
	csv_abort(o->flame);
	sinks_abort(k);
	replay_free(k->r);
}

/*
 * The event outputs, from the capture once the command is over. A capture
 * cut short by a full disk is said, its lost records go to *dropped, and
 * the outputs are marked partial. Returns 0, -EINTR if a signal stopped it,
 * or -1 if it could not be read.
 */
static int capture_post(struct capture *cap, struct sinks *k, const uint64_t **dropped,
			int *partial)
{
	uint64_t bytes;
	int err = capture_replay(cap, &sinks_ops, k, "writing the outputs");	/* the last of it first */
	int stopped = err < 0 && k->stop && *k->stop;

	if (err < 0 && !stopped)
		return -1;
	err = capture_error(cap, &bytes);
	if (err) {
		pr_err("cannot write the capture file: %s after %.1f MiB: the events after "
		       "that are lost", strerror(-err), bytes / 1048576.0);
		*partial = 1;
	}
	*dropped = capture_dropped(cap);
	return stopped ? -EINTR : 0;
}

/* The event outputs and a kept capture, once the run is over; 0 or -1. */
static int finish_streams(struct sinks *k, struct capture **cap, const struct run_meta *m,
			  const struct trace_data *td, struct summary *s, int partial)
{
	struct sink_end end = { m, td, s, partial };
	int err = sinks_finish(k, &end);

	if (*cap)
		err |= capture_finish(*cap, m, td, partial);
	*cap = NULL;
	return err ? -1 : 0;
}

/*
 * What is traced: the command to launch (its argv in *cmd) or the running
 * tree of -p. 0, or the exit code after saying why.
 */
static int target_prepare(const struct run_config *cfg, struct run_meta *m, char ***cmd,
			  char *prog, char *interp)
{
	if (cfg->pid) {
		pid_t tgid;
		int err = attach_check(cfg->pid, &tgid);

		if (err == -EINVAL) {
			pr_err("-p %d is a thread of process %d: give the process (its threads "
			       "are traced with it)", cfg->pid, tgid);
			return EXIT_USAGE;
		}
		if (err) {
			pr_err(err == -ESRCH ? "-p %d has exited: nothing to trace" :
			       "no process %d to trace", cfg->pid);
			return 1;
		}
		if (!cfg->duration_s && attach_is_ancestor(cfg->pid)) {
			pr_err("-p %d: tracer runs inside it and would wait for itself; "
			       "give --duration", cfg->pid);
			return EXIT_USAGE;
		}
		snprintf(m->command, sizeof(m->command), "-p %d", cfg->pid);
		return 0;
	}
	if (cfg->wl && (catalog_interpreter(cfg->wl, interp, PATH_MAX) < 0 ||
			catalog_prog_path(cfg->wl, prog, PATH_MAX)))
		return 1;
	*cmd = build_argv(cfg, prog, interp);
	if (!*cmd)
		return 1;
	snprintf(m->workload, sizeof(m->workload), "%s", cfg->wl ? cfg->wl->name : "");
	join_argv(m->command, sizeof(m->command), *cmd);
	return 0;
}

/*
 * The event outputs' half that runs with the command: the replay and
 * timeline they will be written through, the capture file, its header.
 * 0, or -1 after saying why.
 */
static int events_start(const struct run_config *cfg, const struct runas *ra,
			struct outputs *o, struct sinks *k, struct tracking *t,
			struct capture **cap, uint64_t start, int ncpus)
{
	struct timeline *tl;
	struct sink out;
	char dir[PATH_MAX];

	k->r = replay_new(start, cfg->max_pairs);
	tl = timeline_new(start, cfg->interval_ms * 1000000ull, ncpus);
	if (!k->r || !tl) {
		timeline_free(tl);
		pr_err("out of memory for the replay of the events");
		return -1;
	}
	sinks_add(k, timeline_sink(tl, o->timeline));	/* the report's sparkline too */
	o->timeline = NULL;
	if (capture_create(cap, cfg->capture_path, capture_dir(cfg, dir, sizeof(dir)), ra,
			   ncpus))
		return -1;
	t->cap = *cap;
	if (o->events) {
		if (evcsv_sink(&out, o->events, start)) {
			pr_err("out of memory for the event CSV");
			return -1;
		}
		sinks_add(k, out);
		o->events = NULL;
	}
	meta_begin(capture_meta, *cap, start, ncpus, cfg->interval_ms * 1000000ull,
		   cfg->max_pairs);
	if (o->perfetto) {
		if (perfetto_sink(&out, o->perfetto))
			return -1;
		sinks_add(k, out);
		o->perfetto = NULL;
	}
	return 0;
}

/*
 * -p: until the tree is gone or --duration has passed; the CPU time of its
 * tasks then, for the runs no switch showed.
 */
static void attached_wait(const struct run_config *cfg, const struct tracking *t,
			  struct trace_data *td, struct run_meta *m, uint64_t start,
			  uint64_t *end)
{
	if (attach_wait(cfg->pid, cfg->duration_s, end) && cfg->duration_s)
		pr_warn("process %d exited %.1f s in: the trace ends there, before --duration's "
			"%g s", cfg->pid, (*end - start) / 1e9, cfg->duration_s);
	probes_set_window(t->p, 0, *end);
	for (size_t i = 0; i < t->nfound; i++) {
		uint64_t ns = procstat_runtime_ns(t->found[i].local_tgid, t->found[i].local_tid);

		if (ns && trace_add_end(td, t->found[i].tid, ns)) {
			pr_warn("no room for the CPU time of task %u at the end: "
				"if no switch showed it, its on-CPU time is missing",
				t->found[i].tid);
			break;
		}
	}
	m->wall_ns = *end - start;
}

int cmd_run(int argc, char **argv)
{
	struct run_config cfg;
	struct trace_data td = {};
	struct probes_opts popts = {};
	struct summary s;
	struct run_meta m = {};
	struct sinks k = {};
	struct outputs o = {};
	struct tracking t = {};
	struct capture *cap = NULL;
	const uint64_t *dropped = (uint64_t[NR_EV_KINDS]){ 0 };
	int partial = 0;
	struct collector *col = NULL;
	struct runas ra;
	uint64_t steal0, start, end = 0, cpu0, cpu1;
	char prog[PATH_MAX], interp[PATH_MAX] = "", **cmd = NULL;
	int code = 1, err = 0, stopped = 0;

	code = cli_parse_run(argc, argv, &cfg);
	if (code)
		return code;
	if (runas_resolve(&ra, cfg.user))
		return EXIT_USAGE;
	code = target_prepare(&cfg, &m, &cmd, prog, interp);
	if (code)
		return code;
	code = 1;
	machine_describe(m.machine, sizeof(m.machine));	/* for report --plot */

	if (envcheck_tracing())
		goto out;
	if (!cfg.pid)
		launch_init_signals();
	else
		attach_init_signals();
	if (open_outputs(&cfg, &ra, &o))
		goto out;
	popts.bpf_stats = cfg.bpf_stats;
	popts.syscalls = cfg.syscalls;
	popts.events = o.events || o.perfetto || o.timeline || cfg.capture_path;
	popts.ring_mb = cfg.ring_mb;
	popts.max_tasks = cfg.max_tasks;
	popts.max_pairs = cfg.max_pairs;
	popts.stacks = cfg.stacks;
	popts.dwarf = cfg.unwind == UNWIND_DWARF;
	popts.eh = cfg.unwind == UNWIND_EH;
	popts.exe = cmd ? cmd[0] : NULL;
	if (probes_start(&t.p, &popts))
		goto out;

	steal0 = procstat_steal_ns();
	cpu0 = self_cpu_us();
	start = mono_ns();
	probes_set_window(t.p, start, 0);
	if (popts.events && events_start(&cfg, &ra, &o, &k, &t, &cap, start, probes_ncpus(t.p)))
		goto out;
	if (cfg.pid && attach_running(&cfg, &t, &m))
		goto out;
	probes_note_cpus(t.p);
	if (popts.events && collector_start(&col, probes_ring_fd(t.p), probes_flush_fd(t.p),
					     probes_ncpus(t.p), cap))
		goto out;
	if (cfg.pid) {
		attached_wait(&cfg, &t, &td, &m, start, &end);
		code = 0;
	} else {
		code = trace_command(cmd, &ra, t.p, &m, &end);
		if (code < 0 || !end) {
			code = code < 0 ? 1 : code;
			goto out;
		}
	}
	probes_set_window(t.p, 0, end);
	/* from now on a stop signal stops the writing of the event outputs */
	launch_post_begin();
	k.stop = launch_post_signal();
	collector_stop(col);
	col = NULL;
	cpu1 = self_cpu_us();
	m.tracer_cpu_run_us = cpu1 - cpu0;
	if (cap && (err = capture_post(cap, &k, &dropped, &partial)) == -EINTR) {
		/* the figures then come from the kernel's maps, as when events are lost */
		stopped = *k.stop;
		pr_err("interrupted while writing the event outputs: not written (a FIFO or a "
		       "descriptor has their start); this report is from the kernel's maps");
		sinks_abort(&k);
		replay_free(k.r);
		k.r = NULL;
	} else if (err) {
		code = 1;
		goto out;
	}
	if (partial) {		/* the capture was cut short (a full disk, an I/O error): said */
		code = 1;
		m.partial = m.cut_short = 1;
		for (int i = 0; i < NR_EV_KINDS; i++)
			m.capture_lost += dropped[i];
	}
	if (probes_collect(t.p, &td)) {
		code = 1;
		goto out;
	}
	td.cnt[CNT_LOST_TASKS] += t.untracked;
	if ((k.r && replay_events(k.r, &td, dropped)) || probes_name_words(t.p, &td)) {
		code = 1;
		goto out;
	}
	trace_close_window(&td);
	m.steal_ns = procstat_steal_ns() - steal0;
	m.tracer_rss_kib = self_maxrss_kib();
	m.tracer_cpu_post_us = self_cpu_us() - cpu1;
	summary_build(&s, &td, &m);

	/* files first: a report cut short (a closed pipe) must not lose them */
	if (!cfg.capture_path) {	/* what the capture had to give is in the outputs */
		capture_abort(cap);
		cap = NULL;
	}
	if (finish_streams(&k, &cap, &m, &td, &s, m.partial) && !code)
		code = 1;
	if (o.csv) {
		int err = report_write_csv(o.csv, &s);

		o.csv = NULL;
		if (err && !code)
			code = 1;
	}
	if (o.folded) {
		int err = stacks_write_folded(o.folded, &td);

		o.folded = NULL;
		if (err && !code)
			code = 1;
	}
	if (o.flame) {
		int err = flamegraph_write(o.flame, &td, s.command);

		o.flame = NULL;
		if (err && !code)
			code = 1;
	}
	report_print(stderr, &s);
	fflush(stderr);
	if (stopped)
		code = 128 + stopped;
out:
	if (col)	/* stopped early: the probes stop first, then the reader */
		probes_set_window(t.p, 0, mono_ns());
	/* detaching takes a while (RCU grace periods): after the report */
	collector_stop(col);
	close_outputs(&o, &k);
	capture_abort(cap);
	trace_data_free(&td);
	probes_destroy(t.p);
	free(t.found);
	if (cmd != cfg.cmd)
		free(cmd);
	free(cfg.wl_args);
	return code;
}
