#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The command line: help, listing, usage errors. No root needed.
bats_require_minimum_version 1.5.0

setup() { load helpers; }

@test "--help shows usage and examples" {
	run -0 "$TOOL" --help
	[[ "$output" == *"USAGE:"* ]]
	[[ "$output" == *"EXAMPLES:"* ]]
	[[ "$output" == *"tracer run thread-pingpong"* ]]
}

@test "run --help describes the tracer options and exit codes" {
	run -0 "$TOOL" run --help
	[[ "$output" == *"--csv"* ]]
	[[ "$output" == *"Exit status"* ]]
}

@test "--version prints the version" {
	run -0 "$TOOL" --version
	[[ "$output" =~ ^tracer\ [0-9]+\.[0-9]+ ]]
}

@test "list shows each workload with the claims it serves, as verify measures them" {
	run -0 "$TOOL" list
	[[ "${lines[0]}" == WORKLOAD*CLAIMS* ]]
	# from verify's measurements: process ping-pongs do not measure C12
	[[ "$output" =~ thread-pingpong\ +C1,C9,C12\  ]]
	[[ "$output" =~ process-pingpong\ +C1,C9\  ]]
	[[ "$output" =~ py-switch\ +C1,C11,C12,E1,E2\  ]]
	# every bundled workload serves a claim
	run -1 grep -E '^[a-z0-9-]+ +- ' <<<"$output"
}

@test "the workloads page lists every workload with the claims tracer list gives" {
	run -0 "$TOOL" list
	local name ids want n=0
	while read -r name ids _; do
		want="| \`$name\` | "
		grep -F "$want" "$ROOT/docs/workloads.md" | grep -qF " | ${ids//,/, } | "
		n=$((n + 1))
	done < <(tail -n +2 <<<"$output")
	[ "$n" = "$(grep -c '^| `[a-z0-9-]*` | `' "$ROOT/docs/workloads.md")" ]
}

@test "list WORKLOAD shows its command line and the program's own options" {
	run -0 "$TOOL" list ucontext-pingpong
	[ "${lines[0]}" = "ucontext-pingpong: the same with glibc swapcontext (a syscall per switch)" ]
	[ "${lines[1]}" = "claims: C1,C11,C12" ]
	[ "${lines[2]}" = "runs: pingpong --unit coroutine --impl ucontext [OPTIONS]" ]
	# the rest is the program's usage, as it prints it itself
	diff <(tail -n +5 <<<"$output") <("$WLDIR/pingpong" --help 2>&1)
	run -0 "$TOOL" list py-counter
	[ "${lines[2]}" = "runs: python/counter.py --sync none [OPTIONS]" ]
	[[ "$output" == *"--op "* ]]
}

@test "list takes at most one known workload" {
	run --separate-stderr -64 "$TOOL" list no-such-workload
	[ "$stderr" = "tracer: error: unknown workload 'no-such-workload' (see 'tracer list')" ]
	run --separate-stderr -64 "$TOOL" list spawn counter
	[ "${stderr_lines[0]}" = "tracer list: at most one workload name" ]
	run -0 "$TOOL" list --help
	[[ "$output" == "Usage: tracer list [OPTION...] [WORKLOAD]"* ]]
}

@test "--max-pairs and --max-tasks out of range are one-line usage errors" {
	for opt in --max-pairs --max-tasks; do
		for v in 0 x 2000000; do
			run --separate-stderr -64 "$TOOL" run "$opt" "$v" -- true
			[ "${stderr_lines[0]}" = "tracer run: $opt: '$v' is not a whole number in [1, 1048576]" ]
		done
	done
}

@test "no command is a usage error" {
	run --separate-stderr -64 "$TOOL"
	[ "$stderr" = "tracer: error: no command given (see 'tracer --help')" ]
}

@test "an unknown command is a usage error" {
	run --separate-stderr -64 "$TOOL" frobnicate
	[ "$stderr" = "tracer: error: unknown command 'frobnicate' (see 'tracer --help')" ]
}

@test "an unknown workload is a usage error naming it" {
	run --separate-stderr -64 "$TOOL" run no-such-workload
	[ "$stderr" = "tracer: error: unknown workload 'no-such-workload' (see 'tracer list')" ]
}

@test "'--' with no command after it is a usage error" {
	run --separate-stderr -64 "$TOOL" run --
	[ "$stderr" = "tracer: error: nothing to run after '--' (see 'tracer run --help')" ]
}

@test "run with neither workload nor command is a usage error" {
	run --separate-stderr -64 "$TOOL" run
	[[ "$stderr" == *"run needs a workload name or '-- COMMAND'"* ]]
}

@test "a workload and a command together are a usage error" {
	run --separate-stderr -64 "$TOOL" run thread-pingpong -- true
	[ "$stderr" = "tracer: error: give a workload or '-- COMMAND', not both" ]
}

@test "an unknown tracer option is a usage error" {
	run --separate-stderr -64 "$TOOL" run --no-such-option -- true
	[[ "${stderr_lines[0]}" == *"unrecognized option '--no-such-option'"* ]]
}

@test "--csv without a file name is a usage error" {
	run --separate-stderr -64 "$TOOL" run thread-pingpong --csv
	[[ "${stderr_lines[0]}" == *"'--csv' requires an argument"* ]]
}

# bats test_tags=root
@test "tracing as an unprivileged user says to use sudo" {
	requires root
	run --separate-stderr -1 setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$TOOL" run -- true
	[ "$stderr" = "tracer: error: tracing needs root or CAP_BPF+CAP_PERFMON: run it with sudo" ]
}
