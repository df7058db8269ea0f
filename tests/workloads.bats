#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The workload programs on their own (no tracing, no root).
bats_require_minimum_version 1.5.0

setup() { load helpers; }

@test "pingpong: every unit and ipc completes N round trips" {
	for unit in thread process; do
		for ipc in futex pipe; do
			run -0 "$WLDIR/pingpong" --unit $unit --ipc $ipc --rounds 500
			[[ "$output" == *"unit=$unit ipc=$ipc cpus=same round_trips=500 "* ]]
		done
	done
}

@test "pingpong: --cpus any and cross run (cross where two CPUs are allowed)" {
	run -0 "$WLDIR/pingpong" --cpus any --rounds 200
	if [ "$(nproc)" -ge 2 ]; then
		run -0 "$WLDIR/pingpong" --cpus cross --rounds 200
		[[ "$output" == *"cpus=cross"* ]]
	fi
	run --separate-stderr -2 taskset -c 0 "$WLDIR/pingpong" --cpus cross
	[ "$stderr" = "pingpong: --cpus cross needs two CPUs, this process may use 1" ]
}

@test "pingpong: result figures are consistent" {
	run -0 "$WLDIR/pingpong" --rounds 1000
	"$PY" - "$output" <<'PY'
import sys
kv = dict(p.split("=", 1) for p in sys.argv[1].split()[1:])
rt, ho = float(kv["round_trip_ns"]), float(kv["handoff_ns"])
assert abs(rt - 2 * ho) < 0.2, (rt, ho)
assert abs(ho - float(kv["ipc_only_ns"]) - float(kv["switch_only_ns"])) < 0.2
# two switches per round trip on one CPU, less the partner's final one,
# which getrusage leaves out
assert int(kv["ctxsw_voluntary"]) + int(kv["ctxsw_involuntary"]) >= 1998, kv
PY
}

@test "pingpong: bad options are one-line errors with exit 2" {
	run --separate-stderr -2 "$WLDIR/pingpong" --rounds 0
	[ "$stderr" = "pingpong: --rounds: 0 is out of range [1, 1000000000]" ]
	run --separate-stderr -2 "$WLDIR/pingpong" --rounds 12x
	[ "$stderr" = "pingpong: --rounds: '12x' is not a whole number" ]
	run --separate-stderr -2 "$WLDIR/pingpong" --rounds -5
	[ "$stderr" = "pingpong: --rounds: '-5' is not a whole number" ]
	run --separate-stderr -2 "$WLDIR/pingpong" --unit fiber
	[ "$stderr" = "pingpong: --unit: 'fiber' is not one of process|thread|coroutine" ]
	run --separate-stderr -2 "$WLDIR/pingpong" --rounds
	[ "$stderr" = "pingpong: option '--rounds' needs a value" ]
	run --separate-stderr -2 "$WLDIR/pingpong" --frob
	[ "$stderr" = "pingpong: unknown option '--frob' (see --help)" ]
}

@test "pingpong: --help describes the options" {
	run -0 "$WLDIR/pingpong" --help
	[[ "$output" == *"--unit"*"--ipc"*"--cpus"*"--rounds"* ]]
}
