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
@test "no reader thread for the events: one line, exit 1, no program left" {
	requires root btf
	fail FAULT_PTHREAD_CREATE=1 -- run --events "$ev" -- true
	[ "$errs" = "tracer: error: cannot start the event reader thread: Resource temporarily unavailable" ]
	no_bpf_left
}

# bats test_tags=root
@test "out of memory for the replay, for the figures, reading the maps: one line each" {
	requires root btf
	# the first calloc of 64 KiB or more with --events is the replay's
	fail FAULT_CALLOC_MIN=65536 -- run --events "$ev" -- true
	[ "$errs" = "tracer: error: out of memory for the replay of the events" ]
	no_bpf_left
	# the first of 1 MiB or more: the table of the tasks' figures
	fail FAULT_CALLOC_MIN=1048576 -- run -- true
	[ "$errs" = "tracer: error: out of memory for the figures in the BPF maps" ]
	# the third: reading the tasks map (once a silent empty table)
	fail FAULT_CALLOC_MIN=1048576 FAULT_CALLOC_SKIP=2 -- run -- true
	[ "$errs" = "tracer: error: out of memory reading the BPF maps" ]
	no_bpf_left
}
