/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_CLAIMS_H
#define TRACER_CLAIMS_H

#include <stddef.h>

/*
 * The claims of ../shared/claims.md, what measures each one, and the pure
 * functions that turn measurements into a verdict. Nothing here runs or
 * reads anything: `tracer verify` fills a struct mset per claim from the
 * runs of run_specs[] (or from a CSV with --from) and calls claim_judge().
 */

/* V_DEPENDS: implementations disagree (asyncio, asm, ucontext; CPython, C) */
enum verdict { V_NONE, V_HOLDS, V_PARTLY, V_FAILS, V_DEPENDS, NR_VERDICTS };

#define M_NAME		48
#define MSET_MAX	64

struct meas {
	char name[M_NAME];
	double value;
	char unit[16];
	char article[48];	/* the article's figure for it, or "" */
	int derived;		/* computed by the verdict code from the others */
};

/* The measurements of one claim. */
struct mset {
	struct meas m[MSET_MAX];
	int n;
	char skipped[800];	/* why it was not measured, or "" */
};

struct judgement {
	enum verdict v;
	char why[800];		/* a few words on the verdict */
	char measured[800];	/* the figures, lines separated by '\n' */
	char placement[240];	/* same-CPU vs cross-CPU, where it matters */
	char evidence[800];	/* what the trace saw */
	char note[1000];		/* interference, noise */
};

/* The workload runs verify performs, each shared by the claims using it. */
enum run_id {
	R_THR_SAME, R_THR_CROSS, R_PROC_SAME, R_PROC_CROSS, R_CORO, R_UCTX,
	R_THR_SAME_WS, R_PROC_SAME_WS,
	R_SPAWN_PROC, R_SPAWN_EXEC, R_SPAWN_THR, R_SPAWN_CORO,
	R_SCALE_PROC, R_SCALE_THR, R_SCALE_CORO,
	R_CPU_SERIAL, R_CPU_THREADS, R_CPU_PROCS,
	R_IO_SERIAL, R_IO_THREADS, R_IO_CORO, R_IO_10K, R_IO_CORO_UCTX, R_IO_10K_UCTX,
	R_PY_SLEEP_SERIAL, R_PY_SLEEP_POOL, R_PY_SLEEP_ASYNC, R_PY_IO_10K,
	R_SLICE, R_PY_CPU, R_PY_CPU_SERIAL, R_PY_CPU_PROCS, R_PY_GIL2,
	R_CNT_NONE, R_CNT_MUTEX, R_CNT_ATOMIC,
	R_PRODCONS, R_PY_IO_SERIAL, R_PY_IO_THREADS,
	R_PY_SLEEP0, R_PY_ASYNC0, R_PY_CNT_INPLACE, R_PY_CNT_CALL, R_PY_CNT_LOCK,
	R_COUNT
};

#define RUN_NCPU	"{ncpu}"	/* in args: CPUs usable, 2..8 */

struct run_spec {
	const char *id;			/* for progress and errors */
	const char *workload;		/* tracer's catalog name */
	const char *prog;		/* under workloads/, if the catalog lacks it */
	const char *const *quick;	/* workload options with --quick */
	const char *const *full;	/* and without */
	int reps;			/* without --quick: runs, median by key */
	const char *key;		/* column ranked for the median: the one the
					   figures come from (untraced_ for a twin) */
	int python;			/* needs python3 */
	int twin;			/* also run untraced: its wl_* as untraced_wl_* */
	int noise;			/* repeated with --quick too: the spread of its
					   key is a noise band (@spread:) */
	int parallel;			/* measures a speedup: needs two usable CPUs */
};

/*
 * A measurement taken from a run: col is a summary CSV column, or
 * "@arg:OPT" (the value of OPT in the run's options), "@file:PATH" (a
 * number read from PATH, e.g. a sysctl), "@cpuflag:FLAG" (1 if
 * /proc/cpuinfo lists FLAG, else 0) or "@spread:COL" (the spread of COL
 * over the run's repetitions, (max - min) / median in %: a noise band).
 */
struct meas_spec {
	const char *name;
	int run;
	const char *col;
	const char *unit;
	const char *article;
};

struct claim {
	const char *id;
	const char *text;
	const char *article;
	const struct meas_spec *specs;	/* ends with a NULL name */
	int bench;	/* one of the article's own benchmarks, run as it runs it and
			   explained: "reproduced" or not, rather than a claim */
};

extern const struct run_spec run_specs[R_COUNT];

size_t claim_count(void);
const struct claim *claim_at(size_t i);
const struct claim *claim_find(const char *id);	/* case-insensitive */
const struct meas_spec *claim_spec(const struct claim *c, const char *name);

/*
 * The ids of the claims and benchmarks a workload (catalog name) measures,
 * "C1,C9,E1", from their measurements: the one mapping, never restated.
 */
void claims_of_workload(const char *name, char *buf, size_t len);

const char *verdict_name(enum verdict v);
/* The word for v of c: a benchmark's figure is reproduced or not. */
const char *claim_verdict_name(const struct claim *c, enum verdict v);
/* Adds or replaces; -ENOSPC when full. */
int mset_put(struct mset *s, const char *name, double v, const char *unit,
	     const char *article, int derived);
int mset_get(const struct mset *s, const char *name, double *v);

/* Others' share of a CPU the workload used, above which a note is added. */
#define INTERFERENCE_NOTE_PCT	10.0
#define INTERFERENCE_NAME	"interference_pct"

/* The verdict of c from s; derived measurements are added to s. */
void claim_judge(const struct claim *c, struct mset *s, struct judgement *j);

#endif
