// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Pictures for `tracer verify`: each is a small CSV in DIR plus a section
 * of DIR/plots.gp, so the figures can be redrawn, restyled or fed to any
 * other tool. Each sets the article's figure beside the measured one (a
 * band or a marker, with the article's words, from the CSV too) and says
 * what it ran on. A picture whose measurements are missing is left out.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "core/log.h"
#include "render/gnuplot.h"
#include "verify/verifyplot.h"

/* The article's figures the pictures show (../shared/claims.md) */
#define ART_PROCESS_NS		20000, 100000	/* C1/C9: "20-100 us" */
#define ART_THREAD_NS		5000, 10000	/* C1/C9/C12: "5-10 us" */
#define ART_COROUTINE_NS	100, 500	/* C1/C12: "0.1-0.5 us" */
#define ART_THREAD_STACK_KIB	8192		/* C3: "~8 MB" */
#define ART_COROUTINE_KIB	2		/* C3: "~2 KB" */

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
	FILE *f = gnuplot_file("verify", p->dir, name);

	if (f)
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

/* label, the values, then words (no comma in them) if not NULL */
static void row(FILE *f, const char *label, int n, const double *v, const char *words)
{
	fprintf(f, "%s,", label);
	for (int i = 0; i < n; i++)
		field(f, v[i], i == n - 1 && !words);
	if (words)
		fprintf(f, "%s\n", words);
}

static int done(const struct plot *p, const char *name, FILE *f)
{
	return gnuplot_close("verify", p->dir, name, f);
}

static void histograms(FILE *gp)
{
	fprintf(gp, "set style data histograms\nset style histogram clustered gap 1\n"
		    "set style fill solid 0.85 border -1\nset boxwidth 0.9\n");
}

static int switch_cost(struct plot *p)
{
	double ps = get(p, "C1", "process_same_handoff_ns"), ts = get(p, "C1", "thread_same_handoff_ns");
	double top = 1e6;
	const char *names[] = { "process_same_handoff_ns", "process_cross_handoff_ns",
				"thread_cross_handoff_ns", "coroutine_switch_ns",
				"ucontext_switch_ns" };
	FILE *f;

	if (!isfinite(ps) || !isfinite(ts))
		return 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (get(p, "C1", names[i]) * 4 > top)
			top = get(p, "C1", names[i]) * 4;
	f = data(p, "switch_cost.csv",
		 "unit,same_cpu_ns,cross_cpu_ns,article_low_ns,article_high_ns,article");
	if (!f)
		return -1;
	row(f, "process", 4, (double[]){ ps, get(p, "C1", "process_cross_handoff_ns"),
		ART_PROCESS_NS }, "process 20-100 us");
	row(f, "thread", 4, (double[]){ ts, get(p, "C1", "thread_cross_handoff_ns"),
		ART_THREAD_NS }, "thread 5-10 us");
	row(f, "coroutine", 4, (double[]){ get(p, "C1", "coroutine_switch_ns"), NAN,
		ART_COROUTINE_NS }, "coroutine 0.1-0.5 us");
	row(f, "ucontext", 4, (double[]){ get(p, "C1", "ucontext_switch_ns"), NAN,
		ART_COROUTINE_NS }, "");
	/* bars placed by hand, 3 apart, so that the bands can sit behind their pair */
	fprintf(p->gp,
		"set output 'switch_cost.png'\n"
		"set title \"Cost of one hand-off (one switch): measured bars, the article's bands\\n\".machine\n"
		"set xlabel 'what switches (coroutine: our assembly; ucontext: glibc swapcontext)'\n"
		"set ylabel 'ns per hand-off (log scale)'\n"
		"set logscale y\nset yrange [1:%g]\nset xrange [-1.6:10.6]\n"
		"set xtics ('process' 0, 'thread' 3, 'coroutine' 6, 'ucontext' 9)\n"
		"set boxwidth 0.9 absolute\nset style fill solid 0.85 border -1\n"
		"plot 'switch_cost.csv' using ($0*3):4:($0*3-1.45):($0*3+1.45):4:5 with boxxyerror "
		"fs solid 0.3 noborder lc rgb '#e69138' title \"the article's figure\", \\\n"
		"     '' using ($0*3-0.5):2 with boxes lc rgb '#3d85c6' title 'both on one CPU', \\\n"
		"     '' using ($0*3+0.5):3 with boxes lc rgb '#93c47d' title 'on two CPUs', \\\n"
		"     '' using ($0*3-0.5):($2/1.6):(ns($2)) with labels font ',9' notitle, \\\n"
		"     '' using ($0*3+0.5):($3/1.6):(ns($3)) with labels font ',9' notitle, \\\n"
		"     '' using ($0*3):($5*1.7):(strcol(6) eq '' ? '' : 'article: '.strcol(6)) "
		"with labels boxed font ',10' tc rgb '#b45f06' notitle\n"
		"unset logscale y\nset yrange [*:*]\nset xrange [*:*]\nset xtics auto\nunset xlabel\n\n", top);
	pic(p, "switch_cost.png");
	return done(p, "switch_cost.csv", f);
}

static int speedup(struct plot *p)
{
	double s = get(p, "C4", "serial_wall_ms"), n = get(p, "C4", "cpu_tasks");
	double ps = get(p, "C4", "py_serial_wall_ms");
	double is = get(p, "C5", "serial_wall_ms"), pool = get(p, "C5", "io_pool");
	double tasks = get(p, "C5", "io_tasks");
	char words[96], cpu_title[48] = "CPU-bound: not measured (C4)",
	     io_title[48] = "IO-bound: not measured (C5)";
	FILE *f;

	if (!isfinite(s) && !isfinite(ps) && !isfinite(is))
		return 0;
	f = data(p, "speedup_cpu.csv", "mode,speedup,article,article_words");
	if (!f)
		return -1;
	row(f, "serial", 2, (double[]){ isfinite(s) || isfinite(ps) ? 1 : NAN, NAN }, "");
	row(f, "py thr", 2, (double[]){ ps / get(p, "C4", "gil_wall_ms"), 1 },
	    "no speedup (the GIL)");
	*words = '\0';	/* a claim not measured: no words of its numbers */
	if (isfinite(n))
		snprintf(words, sizeof(words), "~%gx on %g cores (4 cores: ~1/4 of the time)", n, n);
	row(f, "py proc", 2, (double[]){ ps / get(p, "C4", "py_processes_wall_ms"), n }, words);
	row(f, "C thr", 2, (double[]){ s / get(p, "C4", "threads_wall_ms"), NAN }, "");
	row(f, "C proc", 2, (double[]){ s / get(p, "C4", "processes_wall_ms"), NAN }, "");
	if (done(p, "speedup_cpu.csv", f))
		return -1;
	f = data(p, "speedup_io.csv", "mode,speedup,article,article_words");
	if (!f)
		return -1;
	row(f, "serial", 2, (double[]){ isfinite(is) ? 1 : NAN, NAN }, "");
	*words = '\0';
	if (isfinite(pool))
		snprintf(words, sizeof(words), "pool of %g: ~%gx", pool, pool);
	row(f, "pool", 2, (double[]){ is / get(p, "C5", "threads_wall_ms"), pool }, words);
	*words = '\0';
	if (isfinite(tasks))
		snprintf(words, sizeof(words), "coroutines: ~%gx", tasks);
	row(f, "coroutines", 2, (double[]){ is / get(p, "C5", "coroutines_wall_ms"), tasks }, words);
	if (done(p, "speedup_io.csv", f))
		return -1;
	histograms(p->gp);
	if (isfinite(n))
		snprintf(cpu_title, sizeof(cpu_title), "CPU-bound, %g tasks", n);
	if (isfinite(tasks))
		snprintf(io_title, sizeof(io_title), "IO-bound, %g tasks", tasks);
	fprintf(p->gp,
		"set output 'speedup.png'\n"
		"set multiplot layout 1,2 title \"Speedup over serial: measured bars, the article's markers\\n\".machine\n"
		"set ylabel 'speedup (x serial, wall time)'\nset yrange [0:*]\n"
		"set offsets 0,0,graph 0.15,0\n"
		"set xlabel 'py: CPython; C: no GIL'\n"
		"set title '%s'\n"
		"plot 'speedup_cpu.csv' using 2:xtic(1) title 'measured' lc rgb '#3d85c6', \\\n"
		"     '' using 0:3 with points pt 7 ps 1.5 lc rgb '#cc0000' title 'the article', \\\n"
		"     '' using 0:3:4 with labels offset 0,1.2 font ',9' notitle\n"
		"set xlabel 'serial, threads (a pool), asyncio coroutines'\n"
		"set title '%s'\n"
		"plot 'speedup_io.csv' using 2:xtic(1) title 'measured' lc rgb '#3d85c6', \\\n"
		"     '' using 0:3 with points pt 7 ps 1.5 lc rgb '#cc0000' title 'the article', \\\n"
		"     '' using 0:3:4 with labels offset 0,1.2 font ',9' notitle\n"
		"unset multiplot\nset yrange [*:*]\nset offsets 0,0,0,0\nunset xlabel\n\n", cpu_title,
		io_title);
	pic(p, "speedup.png");
	return 0;
}

static int parallelism(struct plot *p)
{
	double g[5], q[5], gsum = 0, qsum = 0, n = get(p, "C4", "cpu_tasks");
	double gp = get(p, "C4", "gil_parallelism"), pp = get(p, "C4", "py_processes_parallelism");
	char name[64], label[8], gavg[48] = "", pavg[48] = "";
	int rows = 0;
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
	for (int k = 0; k < 5 && (!isfinite(n) || k <= n); k++, rows++) {
		snprintf(label, sizeof(label), "%d", k);
		row(f, label, 2, (double[]){ 100 * g[k] / gsum, 100 * q[k] / qsum }, NULL);
	}
	if (isfinite(gp))
		snprintf(gavg, sizeof(gavg), " (%.2f CPUs on average)", gp);
	if (isfinite(pp))
		snprintf(pavg, sizeof(pavg), " (%.2f CPUs on average)", pp);
	if (done(p, "parallelism.csv", f))
		return -1;
	fprintf(p->gp,
		"set output 'parallelism.png'\n"
		"set title \"CPU-bound tasks on a CPU at once, share of the run (from the trace)\\n\".machine\n"
		"set xlabel 'tasks on a CPU at once'\nset ylabel '%% of wall time'\n"
		"set yrange [0:115]\nset xrange [-1.6:%g]\nset xtics 3 format ''\n"
		"set boxwidth 0.9 absolute\nset style fill solid 0.85 border -1\n"
		"set arrow 1 from 3,111 to 3,101 lw 2 lc rgb '#cc0000'\n"
		"set label 1 \"article: CPython threads run one at a time (the GIL)\" at 3,113 left "
		"font ',9' tc rgb '#cc0000'\n"
		"plot 'parallelism.csv' using ($0*3-0.5):2:xtic(1) with boxes lc rgb '#3d85c6' "
		"title 'CPython threads%s', \\\n"
		"     '' using ($0*3+0.5):3 with boxes lc rgb '#93c47d' "
		"title 'CPython processes%s; the article: N at once on N cores', \\\n"
		"     '' using ($0*3):(-4):1 with labels notitle\n"
		"unset arrow 1\nunset label 1\nunset xlabel\nset yrange [*:*]\nset xrange [*:*]\n"
		"set xtics auto format '%%h'\n\n", (rows - 1) * 3 + 1.6, gavg, pavg);
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
	f = data(p, "memory.csv", "unit,resident_kib,virtual_kib,article_kib,article_words");
	if (!f)
		return -1;
	row(f, "process (PSS)", 3, (double[]){ get(p, "C3", "process_pss_per_unit_kib"),
		get(p, "C3", "process_vsz_per_unit_kib"), NAN }, "");
	row(f, "thread", 3, (double[]){ tr, get(p, "C3", "thread_vsz_per_unit_kib"),
		ART_THREAD_STACK_KIB }, "~8 MB stack");
	row(f, "coroutine", 3, (double[]){ cr, get(p, "C3", "coroutine_vsz_per_unit_kib"),
		ART_COROUTINE_KIB }, "~2 KB");
	fprintf(p->gp,
		"set output 'memory.png'\n"
		"set title \"Memory per unit: measured bars, the article's markers\\n\".machine\n"
		"set xlabel 'unit (spawn workloads)'\n"
		"set ylabel 'KiB per unit (log scale)'\n"
		"set logscale y\nset yrange [0.5:*]\nset xrange [-1.6:7.6]\n"
		"set xtics ('process (PSS)' 0, 'thread' 3, 'coroutine' 6)\n"
		"set offsets 0,0,graph 0.1,0\n"
		"set boxwidth 0.9 absolute\nset style fill solid 0.85 border -1\n"
		"plot 'memory.csv' using ($0*3-0.5):2 with boxes lc rgb '#3d85c6' title 'resident', \\\n"
		"     '' using ($0*3+0.5):3 with boxes lc rgb '#93c47d' title 'virtual (reserved)', \\\n"
		"     '' using ($0*3-1.4):4:(2.8):(0) with vectors nohead lw 3 lc rgb '#cc0000' title 'the article', \\\n"
		"     '' using ($0*3):($4*2.2):(strcol(5) eq '' ? '' : 'article: '.strcol(5)) "
		"with labels boxed font ',10' tc rgb '#cc0000' notitle\n"
		"unset logscale y\nset yrange [*:*]\nset xrange [*:*]\nset xtics auto\n"
		"set offsets 0,0,0,0\nunset xlabel\n\n");
	pic(p, "memory.png");
	return done(p, "memory.csv", f);
}

int vplot_make(const char *dir, const struct mset *sets, const int *selected, size_t n,
	       const char *machine)
{
	struct plot p = { .dir = dir, .sets = sets, .selected = selected, .n = n };
	int err = 0;

	if (gnuplot_dir("verify", dir))
		return -1;
	p.gp = gnuplot_file("verify", dir, "plots.gp");
	if (!p.gp)
		return -1;
	gnuplot_preamble(p.gp, "tracer verify");
	fprintf(p.gp, "machine = ");
	gnuplot_str(p.gp, machine);
	fprintf(p.gp, "\n\n");
	if (switch_cost(&p) || speedup(&p) || parallelism(&p) || memory(&p))
		err = -1;
	if (gnuplot_close("verify", dir, "plots.gp", p.gp))
		err = -1;
	if (err)
		return -1;
	if (!p.made) {
		pr_warn("verify: --plot: no claim plotted is selected (C1, C3, C4, C5)");
		return 0;
	}
	err = gnuplot_draw("verify", dir);
	if (err)
		return err < 0 ? -1 : 0;
	fprintf(stderr, "verify: pictures in %s: %s\n", dir, p.names);
	return 0;
}
