// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * `tracer list`: the bundled workloads and the claims they test. With a
 * name: that workload's command line and its own options, from the
 * program itself (its --help, run untraced), so that the text cannot
 * drift from what the program accepts; shell completion reads it too.
 */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cmd/list.h"
#include "core/log.h"
#include "live/catalog.h"
#include "verify/claims.h"

static const char doc[] =
"List the bundled workloads and the claims they test; with WORKLOAD, its "
"command line and its own options (given after the name to 'tracer run').";

static const char *wl_name;

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	if (key != ARGP_KEY_ARG)
		return ARGP_ERR_UNKNOWN;
	if (wl_name)
		argp_error(state, "at most one workload name");
	wl_name = arg;
	return 0;
}

static int list_all(void)
{
	const struct workload *w;

	printf("%-18s %-16s %s\n", "WORKLOAD", "CLAIMS", "WHAT IT DOES");
	for (size_t i = 0; (w = catalog_at(i)); i++) {
		char ids[128];

		claims_of_workload(w->name, ids, sizeof(ids));
		printf("%-18s %-16s %s\n", w->name, *ids ? ids : "-", w->desc);
	}
	return 0;
}

/* The program's usage, as it prints it: run with --help, not traced. */
static int list_one(const struct workload *w)
{
	char prog[PATH_MAX], interp[PATH_MAX] = "", ids[128];
	char *extra[] = { "--help" }, **argv;
	int st, ret = EXIT_FAILURE;
	pid_t pid;

	claims_of_workload(w->name, ids, sizeof(ids));
	printf("%s: %s\nclaims: %s\nruns: %s", w->name, w->desc, *ids ? ids : "-", w->prog);
	for (int i = 0; w->args && w->args[i]; i++)
		printf(" %s", w->args[i]);
	printf(" [OPTIONS]\n\n");
	fflush(stdout);
	if (catalog_interpreter(w, interp, sizeof(interp)) < 0 ||
	    catalog_prog_path(w, prog, sizeof(prog)))
		return EXIT_FAILURE;
	argv = catalog_argv(w, prog, interp, extra, 1);
	if (!argv)
		return EXIT_FAILURE;
	pid = fork();
	if (pid == 0) {
		dup2(STDOUT_FILENO, STDERR_FILENO);	/* some print usage to stderr */
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0)
		pr_err("cannot run %s: %s", prog, strerror(errno));
	else if (waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st))
		ret = 0;
	else
		pr_err("%s --help failed", prog);
	free(argv);
	return ret;
}

int cmd_list(int argc, char **argv)
{
	static const struct argp argp = { NULL, parse_opt, "[WORKLOAD]", doc,
					  NULL, NULL, NULL };
	const struct workload *w;

	argv[0] = "tracer list";	/* argp's messages name the command by it */
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	if (!wl_name)
		return list_all();
	w = catalog_find(wl_name);
	if (!w) {
		pr_err("unknown workload '%s' (see 'tracer list')", wl_name);
		return EXIT_USAGE;
	}
	return list_one(w);
}
