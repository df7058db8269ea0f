// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Runs for `tracer verify`. Each is a separate `tracer run` process, so a
 * measurement sees exactly what a user's own `tracer run` would: the same
 * probes, the same summary, nothing shared between runs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include "core/clock.h"
#include "live/catalog.h"
#include "io/csvread.h"
#include "core/log.h"
#include "core/result.h"
#include "verify/verifyrun.h"

#define RUN_TIMEOUT_S	300	/* a run taking longer is ended */
#define KILL_GRACE_S	5	/* after SIGTERM, before SIGKILL */
#define MAX_ARGS	64
/* A CPU the tree ran on this much of the time counts for interference. */
#define TREE_CPU_MIN_PCT	10.0

volatile int vrun_stop;

static void on_signal(int sig)
{
	vrun_stop = sig;
}

void vrun_install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* The first non-empty line of a file: where a failure says what it was. */
static void first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	char line[512];

	buf[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (*line) {
			size_t n = strnlen(line, len - 1);

			memcpy(buf, line, n);
			buf[n] = '\0';
			break;
		}
	}
	fclose(f);
}

/* argv for `tracer run`: by catalog name, or the program itself. */
static int build_argv(struct vrun_env *env, const struct run_spec *spec, const char *csv,
		      char *prog, size_t plen, char *ncpu, char **argv, struct vrun *out)
{
	const char *const *opts = env->quick ? spec->quick : spec->full;
	int n = 0, first;

	argv[n++] = (char *)env->tracer;
	argv[n++] = "run";
	argv[n++] = "--csv";
	argv[n++] = (char *)csv;
	if (catalog_find(spec->workload)) {
		argv[n++] = (char *)spec->workload;
	} else {
		struct workload w = { .name = spec->workload, .prog = spec->prog };

		if (catalog_prog_path(&w, prog, plen)) {
			snprintf(out->why, sizeof(out->why), "workload '%s' (%s) not found",
				 spec->workload, spec->prog);
			return -1;
		}
		argv[n++] = "--";
		if (strstr(spec->prog, ".py"))
			argv[n++] = (char *)env->python;
		argv[n++] = prog;
	}
	first = n;
	for (; *opts && n < MAX_ARGS - 1; opts++)
		argv[n++] = strcmp(*opts, RUN_NCPU) ? (char *)*opts : ncpu;
	argv[n] = NULL;
	out->args = calloc(n - first + 1, sizeof(*out->args));
	if (!out->args)
		return -1;
	for (int i = first; i < n; i++)
		out->args[i - first] = strdup(argv[i]);
	return 0;
}

/*
 * A run in a process group of its own: an untraced twin has no tracer to
 * end what it started (process-pingpong's partner), so the stop and the
 * timeout below signal the whole group.
 */
static pid_t start(char **argv, const char *outp, const char *errp)
{
	pid_t pid = fork();
	int in, o, e;

	if (pid > 0)
		setpgid(pid, pid);	/* both sides: whichever comes first */
	if (pid)
		return pid;
	setpgid(0, 0);
	/* out of verify's group: a SIGKILL of verify (or of its group) reaches
	 * the run this way (tracer run, and a workload, pass it on) */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	in = open("/dev/null", O_RDONLY);
	o = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	e = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (in < 0 || o < 0 || e < 0 || dup2(in, 0) < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
		_exit(126);
	signal(SIGPIPE, SIG_DFL);	/* tracer ignores it; exec would keep that */
	execv(argv[0], argv);
	_exit(127);
}

/* Waits for the run; ends it on timeout or when verify is interrupted. */
static int finish(pid_t pid, double t0)
{
	double stop_at = t0 + RUN_TIMEOUT_S, kill_at = 0;
	struct timespec tick = { 0, 5 * 1000 * 1000 };
	int status;

	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			return status;
		if (w < 0 && errno != EINTR)
			return -1;
		if (vrun_stop && stop_at > mono_s())	/* a terminal's ^C does not reach it */
			stop_at = mono_s();
		if (!kill_at && mono_s() >= stop_at) {
			kill(-pid, SIGTERM);
			kill_at = mono_s() + KILL_GRACE_S;
		}
		if (kill_at && mono_s() >= kill_at)
			kill(-pid, SIGKILL);
		nanosleep(&tick, NULL);
	}
}

static int read_summary(const char *path, struct vrun *out)
{
	struct csvr *r;
	char **f;
	size_t n;
	int err;

	err = csvr_open(&r, path);
	if (err)
		return err;
	err = csvr_read_header(r);
	if (!err)
		err = csvr_read(r, &f, &n);
	if (err <= 0) {
		snprintf(out->why, sizeof(out->why), "summary: %.200s",
			 err ? csvr_error(r) : "no row");
		csvr_close(r);
		return -EINVAL;
	}
	out->cols = calloc(n, sizeof(*out->cols));
	out->vals = calloc(n, sizeof(*out->vals));
	if (!out->cols || !out->vals) {
		csvr_close(r);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		out->cols[i] = strdup(csvr_colname(r, i));
		out->vals[i] = strdup(f[i]);
	}
	out->ncols = n;
	csvr_close(r);
	return 0;
}

/* The workload program itself, as tracer run would start it (catalog_argv). */
static char **untraced_argv(struct vrun_env *env, const struct run_spec *spec,
			    char *prog, size_t plen, char *interp, size_t ilen, char *ncpu)
{
	const struct workload *w = catalog_find(spec->workload);
	const char *const *opts = env->quick ? spec->quick : spec->full;
	struct workload fallback = { .name = spec->workload, .prog = spec->prog };
	char *extra[MAX_ARGS];
	int n = 0;

	if (!w)
		w = &fallback;
	if (catalog_interpreter(w, interp, ilen) < 0 || catalog_prog_path(w, prog, plen))
		return NULL;
	for (; *opts && n < MAX_ARGS - 1; opts++)
		extra[n++] = strcmp(*opts, RUN_NCPU) ? (char *)*opts : ncpu;
	return catalog_argv(w, prog, interp, extra, n);
}

/* Append the last result line's pairs as untraced_wl_KEY columns. */
static void add_untraced(struct vrun *out, const char *outp)
{
	char line[4096], last[4096] = "", name[128];
	struct kv kv[64];
	FILE *f = fopen(outp, "r");
	size_t n;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "result:", 7))
			snprintf(last, sizeof(last), "%s", line);
	fclose(f);
	if (!*last)
		return;
	n = result_parse(last, kv, sizeof(kv) / sizeof(kv[0]));
	for (size_t i = 0; i < n; i++) {
		char **c = realloc(out->cols, (out->ncols + 1) * sizeof(*c)), **v;

		if (c)
			out->cols = c;
		v = c ? realloc(out->vals, (out->ncols + 1) * sizeof(*v)) : NULL;
		if (!v)
			return;
		out->vals = v;
		snprintf(name, sizeof(name), "untraced_wl_%.63s", kv[i].key);
		out->cols[out->ncols] = strdup(name);
		out->vals[out->ncols] = strdup(kv[i].val);
		if (!out->cols[out->ncols] || !out->vals[out->ncols]) {
			free(out->cols[out->ncols]);
			free(out->vals[out->ncols]);
			return;		/* out of memory: the twin's figures are missing */
		}
		out->ncols++;
	}
}

/* "<id>[ untraced] failed (exit status N | signal N)[: msg]" into out->why */
static void say_failed(struct vrun *out, const char *id, const char *what, int status,
		       const char *msg)
{
	snprintf(out->why, sizeof(out->why), "%s%s failed (%s %d)%s%s", id, what,
		 status != -1 && WIFSIGNALED(status) ? "signal" : "exit status",
		 status == -1 ? -1 : WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status),
		 *msg ? ": " : "", msg);
}

/* The same workload run without tracer, for its own timings. */
static void run_twin(struct vrun_env *env, const struct run_spec *spec, int seq,
		     char *ncpu, struct vrun *out)
{
	char prog[4096], interp[4096] = "", outp[512], errp[512];
	char **argv = untraced_argv(env, spec, prog, sizeof(prog), interp, sizeof(interp), ncpu);
	pid_t pid;
	int status;

	if (!argv)
		return;
	snprintf(outp, sizeof(outp), "%s/%d-%s.untraced.out", env->tmpdir, seq, spec->id);
	snprintf(errp, sizeof(errp), "%s/%d-%s.untraced.err", env->tmpdir, seq, spec->id);
	pid = start(argv, outp, errp);
	free(argv);
	if (pid < 0) {
		snprintf(out->why, sizeof(out->why), "%s untraced: cannot fork: %s", spec->id,
			 strerror(errno));
		return;
	}
	status = finish(pid, mono_s());
	if (status != -1 && WIFEXITED(status) && !WEXITSTATUS(status)) {
		add_untraced(out, outp);
		return;
	}
	/* the traced run stays; a claim timed by this one says why it is not */
	say_failed(out, spec->id, " untraced", status, "");
}

int vrun_exec(struct vrun_env *env, const struct run_spec *spec, struct vrun *out)
{
	char csv[512], outp[512], errp[512], prog[4096], ncpu[16], msg[200];
	const char *key;
	char *argv[MAX_ARGS];
	double t0;
	int status, seq = ++env->seq, err;
	pid_t pid;

	memset(out, 0, sizeof(*out));
	if (spec->python && !env->python) {
		snprintf(out->why, sizeof(out->why), "skipped: python3 not found (Debian: apt-get install python3)");
		return 0;
	}
	if (spec->parallel && env->usable < 2) {
		snprintf(out->why, sizeof(out->why),
			 "skipped: one CPU usable here, and a speedup needs two");
		return 0;
	}
	snprintf(csv, sizeof(csv), "%s/%d-%s.csv", env->tmpdir, seq, spec->id);
	snprintf(outp, sizeof(outp), "%s/%d-%s.out", env->tmpdir, seq, spec->id);
	snprintf(errp, sizeof(errp), "%s/%d-%s.err", env->tmpdir, seq, spec->id);
	snprintf(ncpu, sizeof(ncpu), "%d", env->ncpu);
	if (build_argv(env, spec, csv, prog, sizeof(prog), ncpu, argv, out))
		return 0;
	if (log_verbosity) {
		char line[1024] = "";
		size_t off = 0;

		for (int i = 0; argv[i] && off < sizeof(line); i++)
			off += snprintf(line + off, sizeof(line) - off, " %s", argv[i]);
		pr_info("run:%s", line);
	}
	t0 = mono_s();
	pid = start(argv, outp, errp);

	if (pid < 0) {
		snprintf(out->why, sizeof(out->why), "cannot fork: %s", strerror(errno));
		return -1;
	}
	status = finish(pid, t0);
	out->seconds = mono_s() - t0;
	first_line(errp, msg, sizeof(msg));
	err = read_summary(csv, out);
	if (err == -ENOENT) {
		const char *m = strncmp(msg, "tracer: error: ", 15) ? msg : msg + 15;

		snprintf(out->why, sizeof(out->why), "%s", *m ? m : "tracer run failed");
		return -1;
	}
	if (err) {
		if (!*out->why)
			snprintf(out->why, sizeof(out->why), "%s", strerror(-err));
		return 0;
	}
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		say_failed(out, spec->id, "", status, msg);
		return 0;
	}
	if (vrun_get(out, "partial") && !strcmp(vrun_get(out, "partial"), "1")) {
		snprintf(out->why, sizeof(out->why), "%s was interrupted", spec->id);
		return 0;
	}
	out->ok = 1;
	if (spec->twin)
		run_twin(env, spec, seq, ncpu, out);
	key = spec->key ? vrun_get(out, spec->key) : NULL;
	if (key)	/* what the median of the reps is taken by */
		pr_info("run %s: %.2f s, interference %.1f%%, %s %s", spec->id,
			out->seconds, vrun_interference(out), spec->key, key);
	else
		pr_info("run %s: %.2f s, interference %.1f%%", spec->id, out->seconds,
			vrun_interference(out));
	return 0;
}

const char *vrun_get(const struct vrun *r, const char *col)
{
	for (size_t i = 0; i < r->ncols; i++)
		if (!strcmp(r->cols[i], col))
			return r->vals[i];
	return NULL;
}

static int parse_num(const char *s, double *v)
{
	char *end;

	if (!s || !*s)
		return -1;
	errno = 0;
	*v = strtod(s, &end);
	return *end || errno || !isfinite(*v) ? -1 : 0;
}

int vrun_num(const struct vrun *r, const char *col, double *v)
{
	return parse_num(vrun_get(r, col), v);
}

int vrun_arg(const struct vrun *r, const char *opt, double *v)
{
	for (int i = 0; r->args && r->args[i]; i++)
		if (!strcmp(r->args[i], opt))
			return parse_num(r->args[i + 1], v);
	return -1;
}

double vrun_interference(const struct vrun *r)
{
	char tree[32], other[32];
	double t, o, max = 0;

	for (int i = 0;; i++) {
		snprintf(tree, sizeof(tree), "cpu%d_tree_pct", i);
		snprintf(other, sizeof(other), "cpu%d_other_pct", i);
		if (vrun_num(r, tree, &t) || vrun_num(r, other, &o))
			break;
		if (t >= TREE_CPU_MIN_PCT && o > max)
			max = o;
	}
	return max;
}

void vrun_free(struct vrun *r)
{
	for (size_t i = 0; i < r->ncols; i++) {
		free(r->cols[i]);
		free(r->vals[i]);
	}
	for (int i = 0; r->args && r->args[i]; i++)
		free(r->args[i]);
	free(r->cols);
	free(r->vals);
	free(r->args);
	memset(r, 0, sizeof(*r));
}
