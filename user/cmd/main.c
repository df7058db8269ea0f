// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* tracer: argument dispatch only; each subcommand lives in its own file. */
#include <argp.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include "live/catalog.h"
#include "verify/claims.h"
#include "cmd/cli.h"
#include "cmd/list.h"
#include "core/log.h"
#include "cmd/offline.h"
#include "cmd/run.h"
#include "verify/verify.h"

const char *argp_program_version = "tracer " TRACER_VERSION;
const char *argp_program_bug_address = NULL;

static const char doc[] =
"Measure what the kernel does for processes, threads and coroutines.\n"
"\n"
"USAGE:\n"
"  tracer list [WORKLOAD]          the bundled workloads and the claims they test\n"
"  tracer run WORKLOAD [OPTIONS]   run a bundled workload under tracing\n"
"  tracer run [OPTIONS] -- CMD...  run any command and its children under tracing\n"
"  tracer report FILE              rebuild a run's report from its event file\n"
"  tracer verify [--quick]         test every claim on this machine, with verdicts\n"
"\n"
"EXAMPLES:\n"
"  sudo tracer run thread-pingpong\n"
"  sudo tracer run thread-pingpong --csv out.csv.gz\n"
"  sudo tracer run -- python3 my_script.py\n"
"\v"
"'tracer COMMAND --help' describes each command's options.";

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "list", cmd_list },
	{ "run", cmd_run },
	{ "report", cmd_report },
	{ "verify", cmd_verify },
};

static int cmd_index;

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	if (key != ARGP_KEY_ARG)
		return ARGP_ERR_UNKNOWN;
	cmd_index = state->next - 1;	/* the rest belongs to the command */
	state->next = state->argc;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct argp argp = { NULL, parse_opt, "COMMAND [ARGS...]", doc,
					  NULL, NULL, NULL };
	const char *name;

	/* a reader gone (tracer ... | head): a write error, not a death */
	signal(SIGPIPE, SIG_IGN);
	/* ignored by whoever started tracer, children would be reaped unseen */
	signal(SIGCHLD, SIG_DFL);
	argp_parse(&argp, argc, argv, ARGP_IN_ORDER, NULL, NULL);
	if (!cmd_index) {
		pr_err("no command given (see 'tracer --help')");
		return EXIT_USAGE;
	}
	name = argv[cmd_index];
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(name, commands[i].name))
			return commands[i].fn(argc - cmd_index, argv + cmd_index);
	pr_err("unknown command '%s' (see 'tracer --help')", name);
	return EXIT_USAGE;
}
