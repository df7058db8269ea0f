// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* One run in pictures: `tracer report FILE --plot DIR` (runplot.h). */
#include <limits.h>
#include <stdio.h>
#include "core/hist.h"
#include "core/summary.h"
#include "core/trace.h"
#include "io/csv.h"
#include "render/gnuplot.h"
#include "render/runplot.h"

#define WHO	"report"

/* The latency histograms pictured, in latency.csv's column order */
static const struct {
	enum hist_id id;
	const char *title;
} lats[] = {
	{ HIST_WAKE_SAME, "wakeup to on-CPU, same CPU" },
	{ HIST_WAKE_CROSS, "wakeup to on-CPU, cross-CPU" },
	{ HIST_PREEMPT, "preempted to back on CPU" },
	{ HIST_FUTEX_WAIT, "futex waits that blocked" },
};
#define NLATS	(sizeof(lats) / sizeof(lats[0]))

int runplot_begin(const char *dir, struct csv **tl)
{
	char path[PATH_MAX];

	if (gnuplot_dir(WHO, dir))
		return -1;
	snprintf(path, sizeof(path), "%s/timeline.csv", dir);
	return csv_open(tl, path, NULL) ? -1 : 0;
}

/*
 * latency.csv: per histogram slot from the first used to the last, its
 * range in microseconds and each histogram's count there.
 */
static int latency_csv(const char *dir, const struct trace_data *td)
{
	unsigned int first = HIST_SLOTS, last = 0;
	FILE *f;

	for (size_t k = 0; k < NLATS; k++)
		for (unsigned int i = 0; i < HIST_SLOTS; i++)
			if (td->hists[lats[k].id].slots[i]) {
				first = i < first ? i : first;
				last = i > last ? i : last;
			}
	f = gnuplot_file(WHO, dir, "latency.csv");
	if (!f)
		return -1;
	fprintf(f, "from_us,to_us,wakeup_same_cpu,wakeup_cross_cpu,preempt_delay,futex_wait\n");
	for (unsigned int i = first; i <= last && first < HIST_SLOTS; i++) {
		__u64 lo, width;

		hist_slot_range(i, &lo, &width);
		fprintf(f, "%.3f,%.3f", lo / 1e3, (lo + width) / 1e3);
		for (size_t k = 0; k < NLATS; k++)
			fprintf(f, ",%u", td->hists[lats[k].id].slots[i]);
		fputc('\n', f);
	}
	return gnuplot_close(WHO, dir, "latency.csv", f);
}

static void script(FILE *gp, const struct summary *s, const char *source,
		   const char *machine)
{
	int ncpus = s->td->ncpus;

	gnuplot_preamble(gp, "tracer report");
	fprintf(gp, "run = ");
	gnuplot_str(gp, *s->command ? s->command : source);
	fprintf(gp, "\nmachine = ");
	if (*machine) {
		gnuplot_str(gp, machine);
	} else {	/* a file of an older tracer */
		fprintf(gp, "'the machine is not recorded in '.");
		gnuplot_str(gp, source);
	}
	fprintf(gp, "\n");
	fprintf(gp, "\n"
		"set output 'concurrency.png'\n"
		"set multiplot layout 2,1 title \"Concurrency over time: \".run.\"\\n\".machine\n"
		"set xlabel 'time since the start (s)'\n"
		"set ylabel 'tree tasks'\nset yrange [0:*]\nset offsets 0,0,graph 0.1,0\n"
		"set title 'tasks of the tree on a CPU and runnable (waiting for one), per interval'\n"
		"plot 'timeline.csv' using ($1/1e3):2 with steps lw 2 lc rgb '#3d85c6' title 'running', \\\n"
		"     '' using ($1/1e3):3 with steps lw 1 lc rgb '#e69138' title 'runnable'\n"
		"set ylabel '%% of the CPU on the tree'\nset yrange [0:105]\n"
		"set title 'each CPU: share of each interval spent on the tree'\n"
		"plot for [c=0:%d] 'timeline.csv' using ($1/1e3):(column(4+c)) with steps "
		"title sprintf('CPU %%d', c)\n"
		"unset multiplot\nset yrange [*:*]\nset offsets 0,0,0,0\n\n", ncpus - 1);
	fprintf(gp,
		"set output 'switches.png'\n"
		"set title \"Context switches of the tree per second: \".run.\"\\n\".machine\n"
		"set xlabel 'time since the start (s)'\n"
		"set ylabel 'switches per second (tree tasks leaving a CPU)'\nset yrange [0:*]\n"
		"plot 'timeline.csv' using ($1/1e3):(column(%d) * 1e3 / $%d) with steps lw 2 "
		"lc rgb '#3d85c6' title sprintf('%%d switches in all', %llu)\n"
		"set yrange [*:*]\n\n", 4 + ncpus + 1, 4 + ncpus,
		(unsigned long long)(s->switches_vol + s->switches_invol));
	fprintf(gp,
		"set output 'latency.png'\n"
		"set multiplot layout 2,2 title \"Latency histograms: \".run.\"\\n\".machine\n"
		"set logscale x\nset xlabel 'latency (log scale)'\nset ylabel 'count'\n"
		"set format x '%%.0s %%cs'\n"
		"set style fill solid 0.7 border -1\nset yrange [0:*]\n"
		"lo(us) = (us > 0 ? us : 0.001) / 1e6\n");
	for (size_t k = 0; k < NLATS; k++) {
		const struct lat *l = &s->lat[lats[k].id];

		fprintf(gp, "set title '%s: %llu, p50 %.1f us, p99 %.1f us' font ',10'\n",
			lats[k].title, (unsigned long long)l->count, l->p50_us, l->p99_us);
		/* empty slots left out: the x range is that of the latencies seen */
		fprintf(gp, "plot 'latency.csv' using (column(%zu) > 0 ? sqrt(lo($1)*$2/1e6) : 1/0):"
			"(column(%zu)/2.0):(lo($1)):($2/1e6):(0):%zu "
			"with boxxyerror lc rgb '#3d85c6' notitle\n", 3 + k, 3 + k, 3 + k);
	}
	fprintf(gp, "unset multiplot\nunset logscale x\nset yrange [*:*]\nset format x '%%h'\n");
}

int runplot_finish(const char *dir, struct csv *tl, const struct summary *s,
		   const char *source, const char *machine)
{
	FILE *gp;
	int err;

	if (csv_commit(tl) || latency_csv(dir, s->td))
		return -1;
	gp = gnuplot_file(WHO, dir, "plots.gp");
	if (!gp)
		return -1;
	script(gp, s, source, machine);
	if (gnuplot_close(WHO, dir, "plots.gp", gp))
		return -1;
	err = gnuplot_draw(WHO, dir);
	if (err)
		return err < 0 ? -1 : 0;
	fprintf(stderr, "report: pictures in %s: concurrency.png, switches.png, latency.png\n",
		dir);
	return 0;
}
