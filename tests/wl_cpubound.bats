#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# cpubound on its own: every mode does the same work (no timing asserted).
bats_require_minimum_version 1.5.0

setup() { load helpers; }

@test "cpubound: every mode gives the same checksum" {
	run -0 "$WLDIR/cpubound" --mode serial --tasks 3 --work 300000
	want=$(kv checksum)
	[ -n "$want" ]
	for mode in threads processes coroutines gil; do
		run -0 "$WLDIR/cpubound" --mode $mode --tasks 3 --work 300000
		[[ "$output" == "result: mode=$mode tasks=3 work=300000 checksum=$want "* ]]
	done
}

@test "cpubound: gil completes, hands the lock over and counts its waits" {
	# 3 tasks of ~0.1 s each with a 1 ms interval: others wait, so they ask
	run -0 "$WLDIR/cpubound" --mode gil --tasks 3 --work 50000000 --switch-interval-ms 1
	[ "$(kv gil_switch_interval_ms)" = 1 ]
	[ "$(kv gil_waits)" -ge 1 ]
	[ "$(kv gil_drop_requests)" -ge 1 ]
	# each thread's first take after another's is a hand-off
	[ "$(kv gil_handoffs)" -ge 2 ]
}

@test "cpubound: --serial-first and --baseline-ms give a speedup" {
	run -0 "$WLDIR/cpubound" --mode threads --work 100000 --serial-first
	[[ "$output" == *" serial_ms="*" speedup="* ]]
	run -0 "$WLDIR/cpubound" --mode processes --work 100000 --baseline-ms 1000
	[[ "$output" == *" speedup="* ]]
	[[ "$output" != *"serial_ms="* ]]
	run -0 "$WLDIR/cpubound" --work 100000
	[[ "$output" != *"speedup="* ]]
}

@test "cpubound: cpu_ms counts the children of processes mode" {
	run -0 "$WLDIR/cpubound" --mode processes --tasks 2 --work 50000000
	# two tasks of tens of ms each: their CPU time cannot round to zero
	python3 -c 'import sys; assert float(sys.argv[1]) > 10, sys.argv[1]' "$(kv cpu_ms)"
}

@test "cpubound: bad options are one-line errors with exit 2" {
	run --separate-stderr -2 "$WLDIR/cpubound" --mode fibers
	[ "$stderr" = "cpubound: --mode: 'fibers' is not one of serial|threads|processes|coroutines|gil" ]
	run --separate-stderr -2 "$WLDIR/cpubound" --tasks 0
	[ "$stderr" = "cpubound: --tasks: 0 is out of range [1, 1024]" ]
	run --separate-stderr -2 "$WLDIR/cpubound" --work 1e6
	[ "$stderr" = "cpubound: --work: '1e6' is not a whole number" ]
	run --separate-stderr -2 "$WLDIR/cpubound" --switch-interval-ms
	[ "$stderr" = "cpubound: option '--switch-interval-ms' needs a value" ]
	run --separate-stderr -2 "$WLDIR/cpubound" --serial-first --baseline-ms 5
	[ "$stderr" = "cpubound: --baseline-ms and --serial-first exclude each other" ]
	run --separate-stderr -2 "$WLDIR/cpubound" --frob
	[ "$stderr" = "cpubound: unknown option '--frob' (see --help)" ]
	run --separate-stderr -2 "$WLDIR/cpubound" extra
	[ "$stderr" = "cpubound: unexpected argument 'extra'" ]
}

@test "cpubound: --help describes the options" {
	run -0 "$WLDIR/cpubound" --help
	[[ "$output" == *"--mode"*"--tasks"*"--work"*"--switch-interval-ms"*"--baseline-ms"*"--serial-first"* ]]
}
