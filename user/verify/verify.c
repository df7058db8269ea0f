// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * `tracer verify`: run the workloads that measure each claim, judge the
 * claim from the measurements (claims.c), print the verdicts. With --from
 * the measurements come from an earlier --csv file instead, so verdicts
 * can be recomputed, and the verdict code tested, without root or runs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <argp.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sched.h>
#include <dirent.h>
#include <fcntl.h>
#include "core/clock.h"
#include "live/catalog.h"
#include "live/machine.h"
#include "verify/claims.h"
#include "io/csv.h"
#include "io/csvread.h"
#include "core/log.h"
#include "core/runas.h"
#include "verify/verify.h"
#include "verify/verifyplot.h"
#include "render/gnuplot.h"
#include "verify/verifyrun.h"

#define MAX_REPS	5
#define WIDTH		79	/* of the text output */
#define INDENT		15

struct vopts {
	int quick;
	const char *only, *csv, *plot, *from;
};

struct verify {
	struct vopts o;
	size_t nclaims;
	int *selected;			/* per claim */
	struct mset *sets;		/* per claim */
	struct judgement *js;		/* per claim */
	char (*fails)[800];		/* per claim: runs that failed */
	struct vrun runs[R_COUNT][MAX_REPS];
	int nreps[R_COUNT];
	int median[R_COUNT];		/* the rep used, or -1 */
	int done[R_COUNT];
	struct vrun_env env;
	struct csv *csv;		/* --csv, opened before the runs */
	char machine[512];		/* what it ran on: this one, or --from's */
};

static const char doc[] =
"Put each claim of the concurrency article to the test on this machine: run\n"
"the bundled workloads under tracing, then print per claim the article's\n"
"figure, the measured one, a verdict (holds, partly, does not hold) and the\n"
"kernel's evidence. Progress goes to stderr, the verdicts to stdout.\n"
"\v"
"Exit status: 0 when every selected claim was judged or skipped, 1 when\n"
"tracing or a file failed, 64 for usage errors, 130 when interrupted.";

/* in this order on --help (argp sorts within a group) */
static const struct argp_option options[] = {
	{ "quick", 'q', NULL, 0, "Smaller runs, one of each but C9's three (under 30 s on 2 CPUs; "
	  "the full run takes a few minutes at most)", 01 },
	{ "only", 'o', "LIST", 0, "Only these claims or benchmarks, e.g. C1,C4,E1", 02 },
	{ "csv", 'c', "FILE", 0, "One row per claim and measurement: claim, measurement, "
	  "value, unit, article_value, verdict, evidence", 03 },
	{ "plot", 'P', "DIR", 0, "Pictures (PNG, with gnuplot) and their data in DIR", 04 },
	{ "from", 'f', "FILE", 0, "Recompute the verdicts from the measurements in a --csv "
	  "FILE instead of running anything (no root)", 05 },
	{ "verbose", 'v', NULL, 0, "Show each tracer run", 06 },
	{}
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct vopts *o = state->input;

	switch (key) {
	case 'q':
		o->quick = 1;
		break;
	case 'o':
		o->only = arg;
		break;
	case 'c':
		o->csv = arg;
		break;
	case 'P':
		o->plot = arg;
		break;
	case 'f':
		o->from = arg;
		break;
	case 'v':
		log_verbosity++;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END:
		if ((o->csv && !*o->csv) || (o->plot && !*o->plot) || (o->from && !*o->from))
			argp_error(state, "an empty file or directory name");
		if (o->from && o->quick)
			argp_error(state, "--quick and --from do not go together: --from runs nothing");
		if (o->csv && o->from && !strcmp(o->csv, o->from))
			argp_error(state, "--csv and --from name the same file");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* Parse argv of `verify` (argv[0] is "verify"); exits with EXIT_USAGE on errors. */
static void parse_opts(int argc, char **argv, struct vopts *o)
{
	static const struct argp argp = { options, parse_opt, NULL, doc, NULL, NULL, NULL };

	memset(o, 0, sizeof(*o));
	argv[0] = "tracer verify";	/* argp's messages name the command by it */
	argp_parse(&argp, argc, argv, 0, NULL, o);
}

static int select_claims(struct verify *v)
{
	char *list, *id, *save = NULL;
	const struct claim *c;

	if (!v->o.only) {
		for (size_t i = 0; i < v->nclaims; i++)
			v->selected[i] = 1;
		return 0;
	}
	list = strdup(v->o.only);
	if (!list)
		return -1;
	if (!*list || list[strlen(list) - 1] == ',' || *list == ',' || strstr(list, ",,")) {
		pr_err("verify: --only: an empty claim id in '%s'", v->o.only);
		free(list);
		return -1;
	}
	for (id = strtok_r(list, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
		c = claim_find(id);
		if (!c) {
			size_t nb = 0;

			for (size_t i = 0; i < v->nclaims; i++)
				nb += claim_at(i)->bench;
			pr_err("verify: --only: unknown claim '%s' (claims are C1-C%zu, the "
			       "article's benchmarks E1-E%zu)", id, v->nclaims - nb, nb);
			free(list);
			return -1;
		}
		for (size_t i = 0; i < v->nclaims; i++)
			if (claim_at(i) == c)
				v->selected[i] = 1;
	}
	free(list);
	return 0;
}

static int run_reps(const struct verify *v, int r)
{
	int n = v->o.quick && !run_specs[r].noise ? 1 : run_specs[r].reps;

	return n < 1 ? 1 : n > MAX_REPS ? MAX_REPS : n;
}

/*
 * The good reps of run r, in idx[], sorted by col (as they ran if col is
 * NULL), their values in x[]: how many. Those without a col are left out.
 */
static int sorted_reps(const struct verify *v, int r, const char *col, int *idx, double *x)
{
	int n = 0;

	for (int i = 0; i < v->nreps[r]; i++)
		if (v->runs[r][i].ok && (!col || !vrun_num(&v->runs[r][i], col, &x[n])))
			idx[n++] = i;
	for (int i = 1; col && i < n; i++)		/* insertion sort of <= 5 */
		for (int j = i; j > 0 && x[j] < x[j - 1]; j--) {
			double t = x[j];
			int k = idx[j];

			x[j] = x[j - 1];
			x[j - 1] = t;
			idx[j] = idx[j - 1];
			idx[j - 1] = k;
		}
	return n;
}

/* The rep whose key is the median of the successful reps, or -1. */
static int pick_median(struct verify *v, int r)
{
	int idx[MAX_REPS], n;
	double x[MAX_REPS];

	n = sorted_reps(v, r, run_specs[r].key, idx, x);
	return n ? idx[(n - 1) / 2] : -1;
}

static int read_num_file(const char *path, double *v)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, "%lf", v) == 1;
	fclose(f);
	return ok ? 0 : -1;
}

/* 1 if /proc/cpuinfo lists flag, 0 if not; -1 if it cannot be read */
static int cpu_flag(const char *flag, double *v)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[8192], *tok, *save;

	if (!f)
		return -1;
	*v = 0;
	while (!*v && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5))
			continue;
		if (!strchr(line, ':'))
			continue;
		for (tok = strtok_r(strchr(line, ':'), ": \t\n", &save); tok && !*v;
		     tok = strtok_r(NULL, " \t\n", &save))
			*v = !strcmp(tok, flag);
		break;
	}
	fclose(f);
	return 0;
}

/* (max - min) / median of col over run r's good reps, in %; -1 below two */
static int spread(const struct verify *v, int r, const char *col, double *out)
{
	int idx[MAX_REPS], n;
	double x[MAX_REPS], med;

	n = sorted_reps(v, r, col, idx, x);
	if (n < 2)
		return -1;
	med = n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
	if (med <= 0)
		return -1;
	*out = (x[n - 1] - x[0]) / med * 100;
	return 0;
}

static void add_fail(char *buf, size_t len, const char *why)
{
	size_t n = strlen(buf);

	if (strstr(buf, why))
		return;
	snprintf(buf + n, len - n, "%s%s", n ? "; " : "", why);
}

/* The claim's measurements from the runs it needs (run now if not yet). */
static int measure(struct verify *v, size_t ci)
{
	const struct claim *cl = claim_at(ci);
	struct mset *s = &v->sets[ci];
	int need[R_COUNT] = { 0 }, maxreps = 1, got = 0;
	double inter = 0, x;

	for (const struct meas_spec *m = cl->specs; m->name; m++)
		need[m->run] = 1;
	for (int r = 0; r < R_COUNT; r++)
		if (need[r] && !v->done[r] && run_reps(v, r) > maxreps)
			maxreps = run_reps(v, r);
	/* rep by rep, so repeated runs of different units interleave */
	for (int rep = 0; rep < maxreps; rep++)
		for (int r = 0; r < R_COUNT; r++) {
			struct vrun *out = &v->runs[r][rep];

			if (!need[r] || v->done[r] || rep >= run_reps(v, r))
				continue;
			if (vrun_stop)
				return -1;
			v->nreps[r]++;
			if (vrun_exec(&v->env, &run_specs[r], out)) {
				pr_err("verify: tracing failed, stopping: %s", out->why);
				return -1;
			}
			if (!out->ok && strncmp(out->why, "skipped", 7))
				pr_warn("verify: %s: %s", run_specs[r].id, out->why);
			else if (out->ok && *out->why)	/* its untraced twin */
				pr_warn("verify: %s", out->why);
		}
	for (int r = 0; r < R_COUNT; r++)
		if (need[r] && !v->done[r]) {
			v->done[r] = 1;
			v->median[r] = pick_median(v, r);
		}

	for (const struct meas_spec *m = cl->specs; m->name; m++) {
		int med = v->median[m->run];
		struct vrun *run;
		int err;

		if (med < 0) {
			char why[256];

			snprintf(why, sizeof(why), "%s", v->runs[m->run][0].why);
			if (!*why)	/* never empty: an empty one added nothing */
				snprintf(why, sizeof(why), "%s gave no %s", run_specs[m->run].id,
					 run_specs[m->run].key ? run_specs[m->run].key : "figure");
			add_fail(v->fails[ci], sizeof(v->fails[ci]), why);
			continue;
		}
		run = &v->runs[m->run][med];
		if (!strncmp(m->col, "@arg:", 5))
			err = vrun_arg(run, m->col + 5, &x);
		else if (!strncmp(m->col, "@file:", 6))
			err = read_num_file(m->col + 6, &x);
		else if (!strncmp(m->col, "@cpuflag:", 9))
			err = cpu_flag(m->col + 9, &x);
		else if (!strncmp(m->col, "@spread:", 8))
			err = spread(v, m->run, m->col + 8, &x);
		else
			err = vrun_num(run, m->col, &x);
		if (!err) {
			mset_put(s, m->name, x, m->unit, m->article, 0);
			got++;
		} else if (*run->why) {
			add_fail(v->fails[ci], sizeof(v->fails[ci]), run->why);	/* its twin's */
		}
	}
	for (int r = 0; r < R_COUNT; r++)
		if (need[r] && v->median[r] >= 0 && vrun_interference(&v->runs[r][v->median[r]]) > inter)
			inter = vrun_interference(&v->runs[r][v->median[r]]);
	if (!got) {
		snprintf(s->skipped, sizeof(s->skipped), "%s", *v->fails[ci] ? v->fails[ci] :
			 "no measurement");
		v->fails[ci][0] = '\0';
	} else {
		mset_put(s, INTERFERENCE_NAME, inter, "%", NULL, 0);
	}
	return 0;
}

/* ---- --from: measurements from an earlier --csv ---- */

static int load_from(struct verify *v, int *present)
{
	const char *path = v->o.from;
	int ci, mi, vi, ui, ai, ei, err;
	struct csvr *r;
	char **f;
	size_t n;

	err = csvr_open(&r, path);
	if (err) {
		pr_err("verify: cannot open %s: %s", path, strerror(-err));
		return -1;
	}
	err = csvr_read_header(r);
	ci = csvr_col(r, "claim");
	mi = csvr_col(r, "measurement");
	vi = csvr_col(r, "value");
	ui = csvr_col(r, "unit");
	ai = csvr_col(r, "article_value");
	ei = csvr_col(r, "evidence");
	if (err) {
		pr_err("verify: %s: %s", path, csvr_error(r));
		goto fail_quiet;
	}
	if (ci < 0 || mi < 0 || vi < 0) {
		pr_err("verify: %s: the header lacks claim, measurement or value", path);
		goto fail_quiet;
	}
	while ((err = csvr_read(r, &f, &n)) > 0) {
		const struct claim *cl = claim_find(f[ci]);
		const struct meas_spec *m;
		struct mset *s;
		char *end;
		double x;
		size_t k;

		if (!strcmp(f[ci], "machine") && ei >= 0) {	/* what it ran on */
			snprintf(v->machine, sizeof(v->machine), "%s", f[ei]);
			continue;
		}
		if (!cl) {
			pr_err("verify: %s: line %lu: unknown claim '%s'", path, csvr_line(r), f[ci]);
			goto fail_quiet;
		}
		for (k = 0; claim_at(k) != cl; k++)
			;
		present[k] = 1;
		s = &v->sets[k];
		if (!*f[mi]) {		/* a claim that was not measured */
			snprintf(s->skipped, sizeof(s->skipped), "%s",
				 ei >= 0 && *f[ei] ? f[ei] : "not measured");
			continue;
		}
		if (!*f[vi])
			continue;
		errno = 0;
		x = strtod(f[vi], &end);
		if (*end || errno || !isfinite(x)) {
			pr_err("verify: %s: line %lu: value '%s' of %s is not a number", path,
			       csvr_line(r), f[vi], f[mi]);
			goto fail_quiet;
		}
		m = claim_spec(cl, f[mi]);
		if (mset_put(s, f[mi], x, m ? m->unit : ui >= 0 ? f[ui] : "",
			     m ? m->article : ai >= 0 ? f[ai] : "", 0)) {
			pr_err("verify: %s: line %lu: too many measurements for %s", path,
			       csvr_line(r), cl->id);
			goto fail_quiet;
		}
	}
	if (err < 0) {
		pr_err("verify: %s: %s", path, csvr_error(r));
		goto fail_quiet;
	}
	csvr_close(r);
	return 0;
fail_quiet:
	csvr_close(r);
	return -1;
}

/* ---- output ---- */

/* label, then text wrapped at WIDTH; '\n' in text starts a new line */
static void print_field(const char *label, const char *text)
{
	const char *p = text;
	int first = 1;

	if (!*text)
		return;
	while (*p) {
		size_t room = WIDTH - INDENT, len = strcspn(p, "\n"), cut = len;

		if (len > room) {
			for (cut = room; cut > 0 && p[cut] != ' '; cut--)
				;
			if (!cut)
				cut = room;
		}
		printf("    %-*s%.*s\n", INDENT - 4, first ? label : "", (int)cut, p);
		first = 0;
		p += cut;
		while (*p == ' ')
			p++;
		if (*p == '\n')
			p++;
	}
}

static void print_claim(const struct claim *c, const struct judgement *j)
{
	printf("%-4s %-14s %s\n", c->id, claim_verdict_name(c, j->v), c->text);
	print_field("article", c->article);
	print_field("measured", j->measured);
	print_field("why", j->why);
	print_field("placement", j->placement);
	print_field("evidence", j->evidence);
	print_field("note", j->note);
	putchar('\n');
}

/* why; placement; evidence; note: the CSV's evidence column */
static void evidence_text(const struct judgement *j, const char *fails, char *buf,
			  size_t len)
{
	const char *parts[] = { j->why, j->placement, j->evidence, j->note, fails };
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (parts[i] && *parts[i] && off < len)
			off += snprintf(buf + off, len - off, "%s%s", off ? "; " : "", parts[i]);
}

static int write_csv(struct verify *v)
{
	char val[64], ev[4096];	/* why, placement, evidence, note, fails */
	struct csv *c = v->csv;
	static const char *const hdr[] = { "claim", "measurement", "value", "unit",
					   "article_value", "verdict", "evidence" };

	v->csv = NULL;
	for (size_t i = 0; i < sizeof(hdr) / sizeof(hdr[0]); i++)
		csv_field(c, hdr[i]);
	csv_end_row(c);
	/* what it ran on, for --from and the pictures drawn from this file */
	csv_field(c, "machine");
	csv_empty(c, 5);
	csv_field(c, v->machine);
	csv_end_row(c);
	for (size_t i = 0; i < v->nclaims; i++) {
		const struct claim *cl = claim_at(i);
		const struct mset *s = &v->sets[i];

		if (!v->selected[i])
			continue;
		evidence_text(&v->js[i], v->fails[i], ev, sizeof(ev));
		if (!s->n) {
			csv_field(c, cl->id);
			csv_empty(c, 4);
			csv_field(c, claim_verdict_name(cl, v->js[i].v));
			csv_field(c, ev);
			csv_end_row(c);
		}
		for (int k = 0; k < s->n; k++) {
			snprintf(val, sizeof(val), "%.10g", s->m[k].value);
			csv_field(c, cl->id);
			csv_field(c, s->m[k].name);
			csv_field(c, val);
			csv_field(c, s->m[k].unit);
			csv_field(c, s->m[k].article);
			csv_field(c, claim_verdict_name(cl, v->js[i].v));
			csv_field(c, ev);
			csv_end_row(c);
		}
	}
	return csv_commit(c) ? -1 : 0;
}

/* python3 for the Python workloads, as tracer run finds it; NULL: none */
static const char *find_python(void)
{
	static char found[PATH_MAX];

	return catalog_python3(found, sizeof(found)) ? NULL : found;
}

static void remove_dir(const char *dir)
{
	struct dirent *e;
	DIR *d = opendir(dir);

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(dirfd(d), e->d_name, 0);
	if (d)
		closedir(d);
	rmdir(dir);
}

static int run_all(struct verify *v, size_t nsel)
{
	static char exe[PATH_MAX], tmpl[PATH_MAX];
	const char *tmp = getenv("TMPDIR");
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t k = 0;
	int err = 0;

	if (n < 0) {
		pr_err("verify: cannot find tracer's own executable: %s", strerror(errno));
		return -1;
	}
	exe[n] = '\0';
	snprintf(tmpl, sizeof(tmpl), "%s/tracer-verify.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(tmpl)) {
		pr_err("verify: cannot create a directory %s: %s", tmpl, strerror(errno));
		return -1;
	}
	v->env.tracer = exe;
	v->env.tmpdir = tmpl;
	v->env.python = find_python();
	v->env.quick = v->o.quick;
	vrun_install_signals();
	for (size_t i = 0; i < v->nclaims && !err; i++) {
		const struct claim *cl = claim_at(i);

		if (!v->selected[i])
			continue;
		fprintf(stderr, "verify [%2zu/%zu] %s %s\n", ++k, nsel, cl->id, cl->text);
		err = measure(v, i);
	}
	remove_dir(tmpl);
	return err;
}

int cmd_verify(int argc, char **argv)
{
	struct verify *v;
	char machine[512];
	struct runas ra;
	struct vopts o;
	int *present = NULL, ret = 0, ncpu;
	cpu_set_t set;
	size_t nsel = 0, counts[2][NR_VERDICTS] = { { 0 } }, nbench = 0;
	double t0 = mono_s();

	parse_opts(argc, argv, &o);
	v = calloc(1, sizeof(*v));
	if (!v) {
		pr_err("out of memory");
		return 1;
	}
	v->o = o;
	v->nclaims = claim_count();
	v->selected = calloc(v->nclaims, sizeof(*v->selected));
	v->sets = calloc(v->nclaims, sizeof(*v->sets));
	v->js = calloc(v->nclaims, sizeof(*v->js));
	v->fails = calloc(v->nclaims, sizeof(*v->fails));
	present = calloc(v->nclaims, sizeof(*present));
	if (!v->selected || !v->sets || !v->js || !v->fails || !present) {
		pr_err("out of memory");
		ret = 1;
		goto out;
	}
	if (select_claims(v)) {
		ret = EXIT_USAGE;
		goto out;
	}
	ncpu = machine_describe(machine, sizeof(machine));
	if (!v->o.from)
		snprintf(v->machine, sizeof(v->machine), "%s", machine);
	/* what taskset or a cgroup leaves us, not the machine's count */
	if (!sched_getaffinity(0, sizeof(set), &set))
		ncpu = CPU_COUNT(&set);
	v->env.usable = ncpu;
	v->env.ncpu = ncpu < 2 ? 2 : ncpu > 8 ? 8 : ncpu;
	if (v->o.from) {
		if (load_from(v, present)) {
			ret = 1;
			goto out;
		}
		for (size_t i = 0; i < v->nclaims; i++)
			if (!v->o.only)
				v->selected[i] = present[i];
	}
	for (size_t i = 0; i < v->nclaims; i++)
		nsel += v->selected[i];
	/* bad output paths fail before minutes of runs, not after */
	if ((v->o.csv && (runas_resolve(&ra, NULL) || csv_open(&v->csv, v->o.csv, &ra))) ||
	    (v->o.plot && gnuplot_dir("verify", v->o.plot))) {
		ret = 1;
		goto out;
	}
	/* a signal during the last run ends nothing after it: checked here too */
	if (!v->o.from && (run_all(v, nsel) || vrun_stop)) {
		if (vrun_stop)
			pr_err("verify: interrupted");
		ret = vrun_stop ? 130 : 1;
		goto out;
	}

	if (v->o.from)
		printf("tracer verify: verdicts recomputed from %s\n\n", v->o.from);
	else
		printf("tracer verify (%s): %s\n%s\n\n", v->o.quick ? "quick" : "full",
		       machine, v->o.quick ?
		       "timings from an untraced twin of each run, counts and the kernel's evidence\n"
		       "from the traced run; one run each (C9's three: their spread is its noise band)" :
		       "timings from an untraced twin of each run, counts and the kernel's evidence\n"
		       "from the traced run; the switch (but ucontext's), CPU-bound, creation (but\n"
		       "exec's and coroutines'), counter, time-slice, GIL and Python switch runs are\n"
		       "repeated 3 times and the median run is used");
	/* the claims, then the article's own benchmarks */
	for (int bench = 0; bench < 2; bench++)
		for (size_t i = 0; i < v->nclaims; i++) {
			const struct claim *cl = claim_at(i);

			if (!v->selected[i] || cl->bench != bench)
				continue;
			if (bench && !nbench++)
				printf("The article's own benchmarks, run as it runs them, and what the "
				       "kernel saw them\nmeasure:\n\n");
			claim_judge(cl, &v->sets[i], &v->js[i]);
			if (*v->fails[i])
				add_fail(v->js[i].note, sizeof(v->js[i].note), v->fails[i]);
			if (!present[i] && v->o.from)
				snprintf(v->js[i].why, sizeof(v->js[i].why), "no measurements in %s",
					 v->o.from);
			print_claim(cl, &v->js[i]);
			counts[bench][v->js[i].v]++;
		}
	if (nsel > nbench)
		printf("summary: %zu hold, %zu partly, %zu depend on the implementation, %zu do "
		       "not hold, %zu not measured (%zu claims)\n", counts[0][V_HOLDS],
		       counts[0][V_PARTLY], counts[0][V_DEPENDS], counts[0][V_FAILS],
		       counts[0][V_NONE], nsel - nbench);
	if (nbench)
		printf("the article's benchmarks: %zu reproduced its figure, %zu did not, %zu "
		       "not measured\n", counts[1][V_HOLDS], counts[1][V_FAILS] +
		       counts[1][V_PARTLY], counts[1][V_NONE]);
	fflush(stdout);
	if (v->o.csv && write_csv(v))
		ret = 1;
	if (v->o.from && !*v->machine)
		snprintf(v->machine, sizeof(v->machine), "a machine %s does not name", v->o.from);
	if (v->o.plot && vplot_make(v->o.plot, v->sets, v->selected, v->nclaims,
				    v->machine) < 0)
		ret = 1;
	if (!v->o.from)
		fprintf(stderr, "verify: done in %.1f s\n", mono_s() - t0);
out:
	csv_abort(v->csv);
	for (int r = 0; r < R_COUNT; r++)
		for (int i = 0; i < MAX_REPS; i++)
			vrun_free(&v->runs[r][i]);
	free(present);
	free(v->selected);
	free(v->sets);
	free(v->js);
	free(v->fails);
	free(v);
	return ret;
}
