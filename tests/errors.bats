#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Every exit-1 path says why in one line, and leaves no BPF program: calls
# that cannot be made to fail otherwise fail here under fault.so
# (tests/fault/fault.c, LD_PRELOAD'ed).
bats_require_minimum_version 1.5.0

setup() {
	load helpers
	FAULT="$ROOT/.output/fault.so"
	[ -f "$FAULT" ] || skip "needs make testprogs (fault.so)"
	ev="$BATS_TEST_TMPDIR/ev.csv"
}

# fail NAME=VALUE... -- ARGS: tracer ARGS under fault.so set so; the
# errors in $errs, the exit status checked to be 1
fail() {
	local env=()

	while [ "$1" != -- ]; do
		env+=("$1")
		shift
	done
	shift
	run --separate-stderr -1 env "${env[@]}" LD_PRELOAD="$FAULT" "$TOOL" "$@"
	errs=$(grep '^tracer: error: ' <<<"$stderr" || true)
	echo "$stderr"
}

# bats test_tags=root
@test "no helper thread (tasks gone, capture, events, stacks): one line, exit 1, no program left" {
	requires root btf
	# the first thread reads the tasks gone, the second writes the
	# capture, the third reads the events
	fail FAULT_PTHREAD_CREATE=1 -- run --events "$ev" -- true
	[ "$errs" = "tracer: error: cannot read the figures of the tasks gone: Resource temporarily unavailable" ]
	no_bpf_left
	fail FAULT_PTHREAD_CREATE=2 -- run --events "$ev" -- true
	[ "$errs" = "tracer: error: cannot start the capture's writer thread: Resource temporarily unavailable" ]
	no_bpf_left
	[ ! -e "$ev" ]
	fail FAULT_PTHREAD_CREATE=3 -- run --events "$ev" -- true
	[ "$errs" = "tracer: error: cannot start the event reader thread: Resource temporarily unavailable" ]
	no_bpf_left
	# with --stacks, the second reads the processes that block
	fail FAULT_PTHREAD_CREATE=2 -- run --stacks -- true
	[ "$errs" = "tracer: error: cannot start the stack watcher thread: Resource temporarily unavailable" ]
	no_bpf_left
}

# bats test_tags=root
@test "a kept capture that cannot be finished: one line, exit 1, a whole file or none" {
	requires root btf
	local cap="$BATS_TEST_TMPDIR/d/cap"
	mkdir "$BATS_TEST_TMPDIR/d"
	# no room as it is flushed (a file system that says so at fsync): kept
	fail FAULT_FSYNC=28 -- run --capture "$cap" -- true
	[ "$errs" = "tracer: error: cannot write the end of the capture file $cap: No space left on device: kept, tracer report reads what it holds" ]
	no_bpf_left
	[ "$(ls "$BATS_TEST_TMPDIR/d")" = cap ]
	run -0 "$TOOL" report "$cap"
	rm "$cap"
	# an I/O error: not kept
	fail FAULT_FSYNC=5 -- run --capture "$cap" -- true
	[ "$errs" = "tracer: error: cannot write the capture file $cap: Input/output error: not kept" ]
	no_bpf_left
	[ -z "$(ls "$BATS_TEST_TMPDIR/d")" ]
	# its name cannot be given: nothing left under another
	fail FAULT_RENAME=13 -- run --capture "$cap" -- true
	[ "$errs" = "tracer: error: cannot keep the capture file $cap: Permission denied" ]
	no_bpf_left
	[ -z "$(ls "$BATS_TEST_TMPDIR/d")" ]
}

# bats test_tags=root
@test "every allocation of 4 KiB or more failing in turn: one line, exit 1, no program left" {
	requires root btf
	# the callocs of a run with --events, in order; each made to fail once
	run -0 env FAULT_LOG=4096 LD_PRELOAD="$FAULT" "$TOOL" run --events "$ev" -- true
	local n k
	n=$(grep -c '^fault: calloc ' <<<"$output")
	echo "$n callocs of 4 KiB or more"
	[ "$n" -ge 10 ]
	for ((k = 0; k < n; k++)); do
		fail FAULT_CALLOC_MIN=4096 FAULT_CALLOC_SKIP=$k -- run --events "$ev" -- true
		[ "$(grep -c . <<<"$stderr")" = 1 ]
		[[ "$errs" == "tracer: error: "* ]]
		[[ "$errs" != *"Unknown error"* ]]
	done
	no_bpf_left
	# the ones that name their table, met on the way: the tasks gone (the
	# names of their tids), the tasks alive (once a silent empty table),
	# the pairs
	fail FAULT_CALLOC_MIN=1048576 -- run -- true
	[ "$errs" = "tracer: error: out of memory for the figures of the tasks gone" ]
	fail FAULT_CALLOC_MIN=1048576 FAULT_CALLOC_SKIP=1 -- run -- true
	[ "$errs" = "tracer: error: out of memory reading the BPF maps" ]
	fail FAULT_CALLOC_MIN=1048576 FAULT_CALLOC_SKIP=2 -- run -- true
	[ "$errs" = "tracer: error: out of memory for the figures in the BPF maps" ]
	no_bpf_left
}

# bats test_tags=root
@test "--stacks on a kernel that makes no stack map: one line, the run goes on without stacks" {
	requires root btf
	# every bpf(BPF_MAP_CREATE) of a stack trace map refused, as such a kernel does
	run --separate-stderr -0 env FAULT_STACK_MAPS=1 LD_PRELOAD="$FAULT" "$TOOL" run --stacks \
		--csv "$BATS_TEST_TMPDIR/s.csv" -- true
	echo "$stderr"
	grep -qx "tracer: warning: --stacks: this kernel makes no stack map (Invalid argument): running without stacks" <<<"$stderr"
	[ "$(csv_get "$BATS_TEST_TMPDIR/s.csv" stacks)" = 0 ]
	run ! grep -q "where the tree waited" <<<"$stderr"
	# without --stacks no stack map is made at all: the same kernel runs tracer
	run --separate-stderr -0 env FAULT_STACK_MAPS=1 LD_PRELOAD="$FAULT" "$TOOL" run -- true
	[[ "$stderr" != *"tracer: "* ]]
	no_bpf_left
}

@test "report --plot: a data file or script it cannot write is one line, and not left cut short" {
	local g="$ROOT/tests/fixtures/golden/thread-pingpong.events.csv.gz" d="$BATS_TEST_TMPDIR/p" f
	for f in latency.csv plots.gp; do
		rm -rf "$d"
		fail FAULT_FOPEN_FULL="$d/$f" -- report "$g" --plot "$d"
		[ "$errs" = "tracer: error: report: --plot: cannot write $d/$f: No space left on device" ]
		[ ! -e "$d/$f" ]
	done
}

@test "tracer report: a report stdout cannot take is an error, not a success" {
	local g="$ROOT/tests/fixtures/golden/thread-pingpong.events.csv.gz"
	run --separate-stderr -1 sh -c '"$0" report "$1" > /dev/full' "$TOOL" "$g"
	[ "$stderr" = "tracer: error: cannot write the report: No space left on device" ]
}

@test "tracer report: out of memory for the summary CSV is one line, and no file" {
	local g="$ROOT/tests/fixtures/golden/thread-pingpong.events.csv.gz"
	# its table of columns (145 KiB): the second allocation of 140 kB or
	# more here, after the reader's
	fail FAULT_CALLOC_MIN=140000 FAULT_CALLOC_SKIP=1 -- report "$g" --csv "$BATS_TEST_TMPDIR/s.csv"
	[ "$errs" = "tracer: error: out of memory writing the summary CSV" ]
	[ -z "$(ls -A "$BATS_TEST_TMPDIR" | grep s.csv)" ]
}
