// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <argp.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cmd/cli.h"
#include "io/csv.h"
#include "core/log.h"
#include "core/trace.h"
#include "render/timeline.h"

static const char run_doc[] =
"Run a bundled workload, or any command, with its whole process tree traced.\n"
"\n"
"USAGE:\n"
"  tracer run WORKLOAD [workload options] [tracer options]\n"
"  tracer run [tracer options] -- COMMAND [ARGS...]\n"
"  tracer run -p PID [--duration SECONDS] [tracer options]\n"
"\n"
"Options that are not tracer's own are passed to the workload. The report goes\n"
"to stderr; the command's own output is left untouched. Under sudo the command\n"
"runs as the invoking user, not as root.\n"
"\n"
"EXAMPLES:\n"
"  sudo tracer run thread-pingpong\n"
"  sudo tracer run thread-pingpong --rounds 50000 --csv out.csv\n"
"  sudo tracer run -- python3 my_script.py\n"
"  sudo tracer run -p 1234 --duration 5\n"
"\v"
"Exit status: the command's own (128+N if killed by signal N), 127 if it\n"
"was not found, 126 if it could not be executed, 64 for usage errors, 1 when\n"
"tracing failed.";

enum { OPT_SYSCALLS = 0x100, OPT_NO_SYSCALLS, OPT_CAPTURE, OPT_MAX_TASKS, OPT_MAX_PAIRS, OPT_STACKS,
       OPT_FOLDED, OPT_FLAMEGRAPH, OPT_UNWIND };

static const struct argp_option run_options[] = {
	{ "csv", 'c', "FILE", 0, "Write the run's summary as CSV (FILE.gz: compressed)", 0 },
	{ "events", 'e', "FILE", 0, "Write every traced event as CSV (FILE.gz: compressed)", 0 },
	{ "timeline", 't', "FILE", 0, "Write tasks running/runnable and CPU shares per interval", 0 },
	{ "interval", 'i', "MS", 0, "Timeline interval in milliseconds (default 10)", 0 },
	{ "perfetto", 'P', "FILE", 0, "Write a trace ui.perfetto.dev opens (ftrace text)", 0 },
	{ "capture", OPT_CAPTURE, "FILE", 0, "Keep the raw capture the event outputs are written from (tracer report reads it)", 0 },
	{ "ring-mb", 'R', "MB", 0, "Size of the event ring buffer (default 8)", 0 },
	{ "stacks", OPT_STACKS, NULL, 0, "Where the tree waited: off-CPU time by user and kernel stack (~3 us a blocking switch)", 0 },
	{ "folded", OPT_FOLDED, "FILE", 0, "With --stacks: write the off-CPU stacks folded (flamegraph.pl, speedscope)", 0 },
	{ "unwind", OPT_UNWIND, "fp|dwarf|ehframe", 0, "With --stacks: user stacks by frame pointers in the kernel (default); copied and unwound with DWARF CFI, through code built without them (dwarf; ~3 us a blocking switch and ~5 us of tracer's CPU); or walked in the kernel with the files' .eh_frame (ehframe; ~2-6 us a blocking switch, none of tracer's CPU); x86-64", 0 },
	{ "flamegraph", OPT_FLAMEGRAPH, "FILE", 0, "With --stacks: draw the off-CPU stacks as an SVG flame graph", 0 },
	{ "max-tasks", OPT_MAX_TASKS, "N", 0, "Tasks followed at once (default 65536; over a run, any number)", 0 },
	{ "max-pairs", OPT_MAX_PAIRS, "N", 0, "Waker -> wakee pairs kept at once (default 16384, and as "
	  "many more for good; over a run, any number: the heaviest N of those gone kept)", 0 },
	{ "pid", 'p', "PID", 0, "Trace this running process and its descendants", 0 },
	{ "duration", 'd', "SECONDS", 0, "With -p: stop after this long (default: when PID exits)", 0 },
	{ "user", 'u', "USER", 0, "Run the command as USER (default: the sudo caller)", 0 },
	{ "bpf-stats", 'S', NULL, 0, "Measure the BPF programs' own run time per event", 0 },
	{ "syscalls", OPT_SYSCALLS, NULL, 0, "Also trace futex calls and clone entry: syscall tracepoints slow down every system call of the machine", 0 },
	{ "no-syscalls", OPT_NO_SYSCALLS, NULL, 0, "No syscall tracepoints (the default)", 0 },
	{ "verbose", 'v', NULL, 0, "More diagnostics (-vv: libbpf's too)", 0 },
	{}
};

static long parse_long(struct argp_state *state, const char *opt,
		       const char *arg, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (!*arg || *end || errno || v < min || v > max)
		argp_error(state, "%s: '%s' is not a whole number in [%ld, %ld]",
			   opt, arg, min, max);
	return v;
}

static double parse_seconds(struct argp_state *state, const char *opt,
			    const char *arg)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (!*arg || *end || errno || !(v > 0 && v <= 1e6))
		argp_error(state, "%s: '%s' is not a number of seconds in (0, 1e6]",
			   opt, arg);
	return v;
}

static error_t run_parse_opt(int key, char *arg, struct argp_state *state)
{
	struct run_config *cfg = state->input;

	switch (key) {
	case 'c':
		if (!*arg)
			argp_error(state, "--csv needs a file name");
		cfg->csv_path = arg;
		break;
	case 'e':
		if (!*arg)
			argp_error(state, "--events needs a file name");
		cfg->events_path = arg;
		break;
	case 't':
		if (!*arg)
			argp_error(state, "--timeline needs a file name");
		cfg->timeline_path = arg;
		break;
	case 'i':
		cfg->interval_ms = parse_long(state, "--interval", arg, 1, 3600000);
		break;
	case 'P':
		if (!*arg)
			argp_error(state, "--perfetto needs a file name");
		cfg->perfetto_path = arg;
		break;
	case OPT_CAPTURE:
		if (!*arg)
			argp_error(state, "--capture needs a file name");
		cfg->capture_path = arg;
		break;
	case 'R':
		cfg->ring_mb = parse_long(state, "--ring-mb", arg, 1, 1024);
		if (cfg->ring_mb & (cfg->ring_mb - 1))
			argp_error(state, "--ring-mb: %s is not a power of two", arg);
		break;
	case OPT_STACKS:
		cfg->stacks = 1;
		break;
	case OPT_FOLDED:
		if (!*arg)
			argp_error(state, "--folded needs a file name");
		cfg->folded_path = arg;
		cfg->stacks = 1;
		break;
	case OPT_UNWIND:
		if (strcmp(arg, "fp") && strcmp(arg, "dwarf") && strcmp(arg, "ehframe"))
			argp_error(state, "--unwind: '%s' is not fp, dwarf or ehframe", arg);
		cfg->unwind = !strcmp(arg, "dwarf") ? UNWIND_DWARF :
			      !strcmp(arg, "ehframe") ? UNWIND_EH : UNWIND_FP;
#ifndef __x86_64__
		/* the registers and their DWARF numbers are x86-64's */
		if (cfg->unwind != UNWIND_FP)
			argp_error(state, "--unwind %s: x86-64 only", arg);
#endif
		cfg->stacks = 1;
		break;
	case OPT_FLAMEGRAPH:
		if (!*arg)
			argp_error(state, "--flamegraph needs a file name");
		cfg->flamegraph_path = arg;
		cfg->stacks = 1;
		break;
	case OPT_MAX_TASKS:	/* ~550 bytes each in the kernel (a slot, an end-of-run entry) */
		cfg->max_tasks = parse_long(state, "--max-tasks", arg, 1, 1 << 20);
		break;
	case OPT_MAX_PAIRS:	/* ~1.3 KiB each in the kernel (a histogram), preallocated */
		cfg->max_pairs = parse_long(state, "--max-pairs", arg, 1, 1 << 20);
		break;
	case 'p':
		cfg->pid = parse_long(state, "--pid", arg, 1, 1 << 30);
		break;
	case 'd':
		cfg->duration_s = parse_seconds(state, "--duration", arg);
		break;
	case 'u':
		cfg->user = arg;
		break;
	case 'S':
		cfg->bpf_stats = 1;
		break;
	case OPT_SYSCALLS:
	case OPT_NO_SYSCALLS:
		cfg->syscalls = key == OPT_SYSCALLS;	/* the last one given wins */
		break;
	case 'v':
		log_verbosity++;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* How many argv entries a tracer option at argv[i] spans, or 0 if not ours. */
static int tracer_opt_len(char **argv, int i, int argc)
{
	const char *a = argv[i];

	for (const struct argp_option *o = run_options; o->name || o->key; o++) {
		size_t n = o->name ? strlen(o->name) : 0;

		if (a[0] == '-' && a[1] == '-' && n && !strncmp(a + 2, o->name, n)) {
			if (a[2 + n] == '=')
				return 1;
			if (a[2 + n])
				continue;
			return o->arg && i + 1 < argc ? 2 : 1;
		}
		if (a[0] == '-' && a[1] == o->key && a[1] != '-') {
			if (!o->arg)	/* -v, -vv */
				return strspn(a + 1, (char[]){ (char)o->key, 0 }) ==
				       strlen(a + 1);
			return !a[2] && i + 1 < argc ? 2 : 1;
		}
	}
	return 0;
}

int cli_parse_run(int argc, char **argv, struct run_config *cfg)
{
	static const struct argp argp = { run_options, run_parse_opt, NULL, run_doc, NULL, NULL, NULL };
	char **targv = calloc(argc + 1, sizeof(*targv));
	const char *wl_name = NULL;
	int targc = 0, i, n;

	memset(cfg, 0, sizeof(*cfg));
	cfg->ring_mb = 8;
	cfg->interval_ms = TIMELINE_INTERVAL_MS;
	cfg->wl_args = calloc(argc + 1, sizeof(*cfg->wl_args));
	if (!targv || !cfg->wl_args) {
		free(targv);
		pr_err("out of memory");
		return 1;
	}
	targv[targc++] = "tracer run";
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			if (i + 1 >= argc) {
				free(targv);
				pr_err("nothing to run after '--' (see 'tracer run --help')");
				return EXIT_USAGE;
			}
			cfg->cmd = &argv[i + 1];
			break;
		}
		n = tracer_opt_len(argv, i, argc);
		if (n) {
			while (n--)
				targv[targc++] = argv[i++];
			i--;
		} else if (!wl_name && argv[i][0] != '-') {
			wl_name = argv[i];
		} else if (wl_name) {
			cfg->wl_args[cfg->nwl_args++] = argv[i];
		} else {
			targv[targc++] = argv[i];	/* argp reports it */
		}
	}
	argp_parse(&argp, targc, targv, 0, NULL, cfg);
	free(targv);

	if (wl_name && cfg->cmd) {
		pr_err("give a workload or '-- COMMAND', not both");
		return EXIT_USAGE;
	}
	if (cfg->pid && (wl_name || cfg->cmd)) {
		pr_err("-p traces a running process: give no workload or command with it");
		return EXIT_USAGE;
	}
	if (cfg->duration_s && !cfg->pid) {
		pr_err("--duration needs -p");
		return EXIT_USAGE;
	}
	const char *outs[] = { cfg->csv_path, cfg->events_path, cfg->timeline_path,
			       cfg->perfetto_path, cfg->capture_path };
	for (size_t a = 0; a < sizeof(outs) / sizeof(outs[0]); a++)
		for (size_t b = a + 1; b < sizeof(outs) / sizeof(outs[0]); b++)
			if (csv_same_file(outs[a], outs[b])) {
				pr_err("two output options name the same file");
				return EXIT_USAGE;
			}
	if (cfg->pid)
		return 0;
	if (!wl_name && !cfg->cmd) {
		pr_err("run needs a workload name or '-- COMMAND' (see 'tracer list')");
		return EXIT_USAGE;
	}
	if (wl_name && !(cfg->wl = catalog_find(wl_name))) {
		pr_err("unknown workload '%s' (see 'tracer list')", wl_name);
		return EXIT_USAGE;
	}
	return 0;
}
