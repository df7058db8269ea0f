/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_VERIFYRUN_H
#define TRACER_VERIFYRUN_H

#include "verify/claims.h"

/*
 * One traced run for `tracer verify`: tracer executes itself as
 * `tracer run --csv TMP WORKLOAD OPTIONS...` and reads back the one-row
 * summary CSV it wrote.
 */
struct vrun {
	int ok;			/* a summary was read and the workload exited 0 */
	char why[240];		/* what went wrong, if !ok */
	size_t ncols;
	char **cols, **vals;	/* the summary row */
	char **args;		/* the workload options used, NULL-terminated */
	double seconds;		/* wall time of the whole tracer run */
};

struct vrun_env {
	const char *tracer;	/* our own executable */
	const char *tmpdir;	/* private, for the summaries */
	const char *python;	/* a python3 to run .py programs with, or NULL */
	int quick;
	int ncpu;		/* substituted for RUN_NCPU */
	int usable;		/* CPUs this process may run on (its affinity) */
	int seq;		/* numbers the temporary files */
};

/*
 * Runs spec once into out. Returns 0 (out->ok says whether it worked), or
 * -1 when tracing itself failed (no summary written): every further run
 * would fail the same way, so the caller should stop.
 */
int vrun_exec(struct vrun_env *env, const struct run_spec *spec, struct vrun *out);
const char *vrun_get(const struct vrun *r, const char *col);
/* A numeric column; -1 if absent or not a number. */
int vrun_num(const struct vrun *r, const char *col, double *v);
/* The value given to option opt in the run's options, as a number. */
int vrun_arg(const struct vrun *r, const char *opt, double *v);
/* Others' largest share (%) of a CPU the tree used much during the run. */
double vrun_interference(const struct vrun *r);
void vrun_free(struct vrun *r);

/* Set by SIGINT/SIGTERM; a run in progress is ended and verify stops. */
extern volatile int vrun_stop;
void vrun_install_signals(void);

#endif
