// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Pictures for `tracer verify`: each is a small CSV in DIR plus a section
 * of DIR/plots.gp, so the figures can be redrawn, restyled or fed to any
 * other tool. A picture whose measurements are missing is left out.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "core/log.h"
#include "verify/verifyplot.h"

struct plot {
	const char *dir;
	const struct mset *sets;
	const int *selected;
	size_t n;
	FILE *gp;		/* the script */
	int made;		/* pictures in the script */
	char names[128];	/* their file names */
};

/* A measurement of a selected claim, or NAN. */
static double get(const struct plot *p, const char *id, const char *name)
{
	double v;

	for (size_t i = 0; i < p->n; i++)
		if (p->selected[i] && !strcmp(claim_at(i)->id, id) &&
		    !mset_get(&p->sets[i], name, &v))
			return v;
	return NAN;
}

static void pic(struct plot *p, const char *name)
{
	size_t n = strlen(p->names);

	snprintf(p->names + n, sizeof(p->names) - n, "%s%s", n ? ", " : "", name);
	p->made++;
}

static FILE *data(const struct plot *p, const char *name, const char *header)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", p->dir, name);
	f = fopen(path, "w");
	if (!f) {
		pr_err("verify: --plot: cannot write %s: %s", path, strerror(errno));
		return NULL;
	}
	fprintf(f, "%s\n", header);
	return f;
}

/* "?" is the script's missing value */
static void field(FILE *f, double v, int last)
{
	if (isfinite(v))
		fprintf(f, "%.6g%s", v, last ? "\n" : ",");
	else
		fprintf(f, "?%s", last ? "\n" : ",");
}

static int row(FILE *f, const char *label, int n, const double *v)
{
	fprintf(f, "%s,", label);
	for (int i = 0; i < n; i++)
		field(f, v[i], i == n - 1);
	return 0;
}

static int done(FILE *f)
{
	return fclose(f) ? -1 : 0;
}

static int switch_cost(struct plot *p)
{
	double ps = get(p, "C1", "process_same_handoff_ns"), ts = get(p, "C1", "thread_same_handoff_ns");
	FILE *f;

	if (!isfinite(ps) || !isfinite(ts))
		return 0;
	f = data(p, "switch_cost.csv", "unit,same_cpu_ns,cross_cpu_ns");
	if (!f)
		return -1;
	row(f, "process", 2, (double[]){ ps, get(p, "C1", "process_cross_handoff_ns") });
	row(f, "thread", 2, (double[]){ ts, get(p, "C1", "thread_cross_handoff_ns") });
	row(f, "coroutine", 2, (double[]){ get(p, "C1", "coroutine_switch_ns"), NAN });
	row(f, "ucontext", 2, (double[]){ get(p, "C1", "ucontext_switch_ns"), NAN });
	fprintf(p->gp,
		"set output 'switch_cost.png'\n"
		"set title 'Cost of one hand-off (one switch), log scale'\n"
		"set ylabel 'ns per hand-off'\n"
		"set logscale y\nset yrange [1:*]\n"
		"plot 'switch_cost.csv' using 2:xtic(1) title 'both on one CPU', \\\n"
		"     '' using 3 title 'on two CPUs', \\\n"
		"     '' using ($0-0.17):($2*1.4):(ns($2)) with labels notitle, \\\n"
		"     '' using ($0+0.17):($3*1.4):(ns($3)) with labels notitle\n"
		"unset logscale y\nset yrange [*:*]\n\n");
	pic(p, "switch_cost.png");
	return done(f);
}

static int speedup(struct plot *p)
{
	double s = get(p, "C4", "serial_wall_ms"), n = get(p, "C4", "cpu_tasks");
	double ps = get(p, "C4", "py_serial_wall_ms");
	double is = get(p, "C5", "serial_wall_ms"), pool = get(p, "C5", "io_pool");
	double tasks = get(p, "C5", "io_tasks");
	FILE *f;

	if (!isfinite(s) && !isfinite(ps) && !isfinite(is))
		return 0;
	f = data(p, "speedup_cpu.csv", "mode,speedup,article");
	if (!f)
		return -1;
	row(f, "serial", 2, (double[]){ 1, 1 });
	row(f, "py thr", 2, (double[]){ ps / get(p, "C4", "gil_wall_ms"), 1 });
	row(f, "py proc", 2, (double[]){ ps / get(p, "C4", "py_processes_wall_ms"), n });
	row(f, "C thr", 2, (double[]){ s / get(p, "C4", "threads_wall_ms"), NAN });
	row(f, "C proc", 2, (double[]){ s / get(p, "C4", "processes_wall_ms"), NAN });
	if (done(f))
		return -1;
	f = data(p, "speedup_io.csv", "mode,speedup,article");
	if (!f)
		return -1;
	row(f, "serial", 2, (double[]){ 1, 1 });
	row(f, "pool", 2, (double[]){ is / get(p, "C5", "threads_wall_ms"), pool });
	row(f, "coroutines", 2, (double[]){ is / get(p, "C5", "coroutines_wall_ms"), tasks });
	if (done(f))
		return -1;
	fprintf(p->gp,
		"set output 'speedup.png'\n"
		"set multiplot layout 1,2 title 'Speedup over serial'\n"
		"set ylabel 'x serial'\nset yrange [0:*]\n"
		"set title 'CPU-bound, %g tasks (py: CPython; C: no GIL)'\n"
		"plot 'speedup_cpu.csv' using 2:xtic(1) title 'measured', '' using 3 title 'article'\n"
		"set title 'IO-bound, %g tasks: a pool of %g threads, coroutines'\n"
		"plot 'speedup_io.csv' using 2:xtic(1) title 'measured', '' using 3 title 'article'\n"
		"unset multiplot\nset yrange [*:*]\n\n", n, tasks, pool);
	pic(p, "speedup.png");
	return 0;
}

static int parallelism(struct plot *p)
{
	double g[5], q[5], gsum = 0, qsum = 0, n = get(p, "C4", "cpu_tasks");
	char name[64], label[8];
	FILE *f;

	for (int k = 0; k < 5; k++) {
		snprintf(name, sizeof(name), "gil_concurrency_%d_s", k);
		g[k] = get(p, "C4", name);
		snprintf(name, sizeof(name), "processes_concurrency_%d_s", k);
		q[k] = get(p, "C4", name);
		gsum += isfinite(g[k]) ? g[k] : 0;
		qsum += isfinite(q[k]) ? q[k] : 0;
	}
	if (gsum <= 0 || qsum <= 0)
		return 0;
	f = data(p, "parallelism.csv", "on_cpu_at_once,gil_threads_pct,processes_pct");
	if (!f)
		return -1;
	for (int k = 0; k < 5 && (!isfinite(n) || k <= n); k++) {
		snprintf(label, sizeof(label), "%d", k);
		row(f, label, 2, (double[]){ 100 * g[k] / gsum, 100 * q[k] / qsum });
	}
	if (done(f))
		return -1;
	fprintf(p->gp,
		"set output 'parallelism.png'\n"
		"set title 'CPU-bound tasks on a CPU at once, share of the run'\n"
		"set xlabel 'tasks on CPU at once'\nset ylabel '%% of wall time'\n"
		"set yrange [0:100]\n"
		"plot 'parallelism.csv' using 2:xtic(1) title 'CPython threads (%.2f CPUs on average)', \\\n"
		"     '' using 3 title 'CPython processes (%.2f CPUs on average)'\n"
		"unset xlabel\nset yrange [*:*]\n\n",
		get(p, "C4", "gil_parallelism"), get(p, "C4", "py_processes_parallelism"));
	pic(p, "parallelism.png");
	return 0;
}

static int memory(struct plot *p)
{
	double tr = get(p, "C3", "thread_rss_per_unit_kib");
	double cr = get(p, "C3", "coroutine_rss_per_unit_kib");
	FILE *f;

	if (!isfinite(tr) || !isfinite(cr))
		return 0;
	f = data(p, "memory.csv", "unit,resident_kib,virtual_kib,article_kib");
	if (!f)
		return -1;
	row(f, "process (PSS)", 3, (double[]){ get(p, "C3", "process_pss_per_unit_kib"),
		get(p, "C3", "process_vsz_per_unit_kib"), NAN });
	row(f, "thread", 3, (double[]){ tr, get(p, "C3", "thread_vsz_per_unit_kib"), 8192 });
	row(f, "coroutine", 3, (double[]){ cr, get(p, "C3", "coroutine_vsz_per_unit_kib"), 2 });
	fprintf(p->gp,
		"set output 'memory.png'\n"
		"set title 'Memory per unit, log scale'\n"
		"set ylabel 'KiB per unit'\n"
		"set logscale y\nset yrange [0.5:*]\n"
		"plot 'memory.csv' using 2:xtic(1) title 'resident', '' using 3 title 'virtual (reserved)', \\\n"
		"     '' using 4 title 'the article'\n"
		"unset logscale y\nset yrange [*:*]\n\n");
	pic(p, "memory.png");
	return done(f);
}

static const char *find_gnuplot(char *buf, size_t len)
{
	const char *path = getenv("PATH");
	char *dirs, *d, *save = NULL;

	if (!path || !(dirs = strdup(path)))
		return NULL;
	for (d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(buf, len, "%s/gnuplot", d);
		if (!access(buf, X_OK)) {
			free(dirs);
			return buf;
		}
	}
	free(dirs);
	return NULL;
}

static int draw(const char *dir, const char *gnuplot)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		if (chdir(dir))
			_exit(126);
		signal(SIGPIPE, SIG_DFL);
		execl(gnuplot, "gnuplot", "plots.gp", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	return 0;
}

int vplot_prepare(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0755) && errno != EEXIST) {
		pr_err("verify: --plot: cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	if (stat(dir, &st) || !S_ISDIR(st.st_mode) || access(dir, W_OK | X_OK)) {
		pr_err("verify: --plot: %s is not a directory it can write in", dir);
		return -1;
	}
	return 0;
}

int vplot_make(const char *dir, const struct mset *sets, const int *selected, size_t n)
{
	struct plot p = { .dir = dir, .sets = sets, .selected = selected, .n = n };
	char path[PATH_MAX], gnuplot[PATH_MAX];
	int err = 0;

	if (mkdir(dir, 0755) && errno != EEXIST) {
		pr_err("verify: --plot: cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/plots.gp", dir);
	p.gp = fopen(path, "w");
	if (!p.gp) {
		pr_err("verify: --plot: cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	fprintf(p.gp,
		"# tracer verify: gnuplot plots.gp in this directory redraws the pictures\n"
		"if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
		"    set terminal pngcairo size 960,560 font 'sans,11'\n"
		"} else {\n"
		"    set terminal png size 960,560\n"
		"}\n"
		"set datafile separator ','\nset datafile missing '?'\n"
		"set datafile columnheaders\n"
		"set style data histograms\nset style histogram clustered gap 1\n"
		"set style fill solid 0.85 border -1\nset boxwidth 0.9\n"
		"set key below\nset grid ytics\nset xtics nomirror\n"
		"ns(x) = x >= 1e6 ? sprintf('%%.3g ms', x / 1e6) : x >= 1e3 ? "
		"sprintf('%%.3g us', x / 1e3) : sprintf('%%.3g ns', x)\n\n");
	if (switch_cost(&p) || speedup(&p) || parallelism(&p) || memory(&p))
		err = -1;
	if (fclose(p.gp))
		err = -1;
	if (err)
		return -1;
	if (!p.made) {
		pr_warn("verify: --plot: no claim plotted is selected (C1, C3, C4, C5)");
		return 0;
	}
	if (!find_gnuplot(gnuplot, sizeof(gnuplot))) {
		pr_warn("verify: --plot: gnuplot not found (Debian: apt-get install gnuplot-nox); "
			"data written to %s, no pictures", dir);
		return 0;
	}
	if (draw(dir, gnuplot)) {
		pr_err("verify: --plot: gnuplot failed on %s/plots.gp", dir);
		return -1;
	}
	fprintf(stderr, "verify: pictures in %s: %s\n", dir, p.names);
	return 0;
}
