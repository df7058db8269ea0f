#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The coroutine runtime, through pingpong --unit coroutine (no root).
bats_require_minimum_version 1.5.0

setup() { load helpers; }

@test "pingpong coroutine: both switches complete N round trips" {
	for impl in asm ucontext; do
		run -0 "$WLDIR/pingpong" --unit coroutine --impl $impl --rounds 20000
		[[ "$output" == "result: unit=coroutine ipc=none cpus=same impl=$impl round_trips=20000 "* ]]
	done
	run -0 "$WLDIR/pingpong" --unit coroutine --cpus any --rounds 1
	[[ "$output" == *" cpus=any impl=asm round_trips=1 "* ]]
}

@test "pingpong coroutine: result figures are consistent" {
	requires python3
	run -0 "$WLDIR/pingpong" --unit coroutine --rounds 100000
	"$PY" - "$output" <<'PY'
import sys
kv = dict(p.split("=", 1) for p in sys.argv[1].split()[1:])
rt, ho = float(kv["round_trip_ns"]), float(kv["handoff_ns"])
assert abs(rt - 2 * ho) < 0.2, (rt, ho)
assert float(kv["ipc_only_ns"]) == 0.0, kv
assert kv["switch_only_ns"] == kv["handoff_ns"] == kv["ns_per_switch"], kv
PY
}

@test "pingpong: every unit reports ns_per_switch (= handoff_ns)" {
	for unit in thread process coroutine; do
		run -0 "$WLDIR/pingpong" --unit $unit --rounds 200
		[[ "$output" =~ handoff_ns=([0-9.]+).*ns_per_switch=([0-9.]+) ]]
		[ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]
	done
}

@test "pingpong coroutine: options that do not apply are errors" {
	run --separate-stderr -2 "$WLDIR/pingpong" --unit coroutine --ipc pipe
	[ "$stderr" = "pingpong: --ipc: coroutines hand over without IPC" ]
	run --separate-stderr -2 "$WLDIR/pingpong" --unit coroutine --cpus cross
	[ "$stderr" = "pingpong: --cpus cross: coroutines share one thread" ]
	run --separate-stderr -2 "$WLDIR/pingpong" --unit thread --impl asm
	[ "$stderr" = "pingpong: --impl applies to --unit coroutine only" ]
	run --separate-stderr -2 "$WLDIR/pingpong" --unit coroutine --impl fibers
	[ "$stderr" = "pingpong: --impl: 'fibers' is not one of asm|ucontext" ]
	run --separate-stderr -2 "$WLDIR/pingpong" --unit fiber
	[ "$stderr" = "pingpong: --unit: 'fiber' is not one of process|thread|coroutine" ]
}

@test "pingpong: --help gives the default rounds per unit" {
	run -0 "$WLDIR/pingpong" --help
	[[ "$output" == *"--impl"*"asm"*"ucontext"* ]]
	[[ "$output" == *"default 150000 for"*"processes and threads, 10000000 for coroutines, 1000000 with ucontext"* ]]
}
