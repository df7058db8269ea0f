#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# iobound on its own (no tracing, no root). No timing is asserted: only
# counts, and overlap bounds that a working mode cannot miss.
bats_require_minimum_version 1.5.0

setup() { load helpers; }

# kv KEY: the value of KEY in $output's result line
@test "iobound: every mode completes every task" {
	run -0 "$WLDIR/iobound" --tasks 4 --wait-ms 5
	[[ "$output" == "result: mode=serial tasks=4 pool=1 wait_ms=5 "* ]]
	run -0 "$WLDIR/iobound" --mode threads --tasks 6 --wait-ms 5
	[[ "$output" == "result: mode=threads tasks=6 pool=6 wait_ms=5 "* ]]
	run -0 "$WLDIR/iobound" --mode threads --pool 2 --tasks 6 --wait-ms 5
	[[ "$output" == "result: mode=threads tasks=6 pool=2 wait_ms=5 "* ]]
	run -0 "$WLDIR/iobound" --mode threads --pool 50 --tasks 3 --wait-ms 5
	[[ "$output" == *" tasks=3 pool=3 "* ]]
	for impl in asm ucontext; do
		run -0 "$WLDIR/iobound" --mode coroutines --impl $impl --tasks 6 --wait-ms 5
		[[ "$output" == "result: mode=coroutines impl=$impl tasks=6 pool=1 wait_ms=5 "* ]]
	done
}

@test "iobound: figures are consistent" {
	run -0 "$WLDIR/iobound" --tasks 3 --wait-ms 10
	[ "$(kv serial_ideal_ms)" = "30.0" ]
	# each wait lasts at least its timer: serial takes at least N x M
	fcmp "$(kv wall_ms) >= 30 and $(kv overlap) <= 1.0"
}

@test "iobound: 2000 coroutines overlap their waits" {
	run -0 "$WLDIR/iobound" --mode coroutines --tasks 2000 --wait-ms 20
	[[ "$output" == *" tasks=2000 "* ]]
	# serial would take 40 s; an event loop keeps hundreds of waits in flight
	fcmp "$(kv overlap) > 100"
}

@test "iobound: 10000 coroutines (C6) complete" {
	[ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge 10016 ] ||
		skip "needs 10016 open files, the hard limit is $(ulimit -Hn)"
	run -0 "$WLDIR/iobound" --mode coroutines --tasks 10000 --wait-ms 50
	[[ "$output" == *" tasks=10000 "* ]]
	fcmp "$(kv overlap) > 100"
}

@test "iobound: too few file descriptors is a one-line error" {
	run --separate-stderr -1 bash -c 'ulimit -n 64; exec "$0" --mode coroutines --tasks 100' "$WLDIR/iobound"
	[ "$stderr" = "iobound: 100 waits at once need 116 open files, the limit is 64 (ulimit -Hn)" ]
}

@test "iobound: bad options are one-line errors with exit 2" {
	run --separate-stderr -2 "$WLDIR/iobound" --mode fibers
	[ "$stderr" = "iobound: --mode: 'fibers' is not one of serial|threads|coroutines" ]
	run --separate-stderr -2 "$WLDIR/iobound" --wait-ms 0
	[ "$stderr" = "iobound: --wait-ms: 0 is out of range [1, 3600000]" ]
	run --separate-stderr -2 "$WLDIR/iobound" --tasks 0
	[ "$stderr" = "iobound: --tasks: 0 is out of range [1, 1000000]" ]
	run --separate-stderr -2 "$WLDIR/iobound" --pool 4
	[ "$stderr" = "iobound: --pool applies to --mode threads only" ]
	run --separate-stderr -2 "$WLDIR/iobound" --mode threads --stack-kib 64
	[ "$stderr" = "iobound: --stack-kib and --impl apply to --mode coroutines only" ]
	run --separate-stderr -2 "$WLDIR/iobound" --mode coroutines --impl x
	[ "$stderr" = "iobound: --impl: 'x' is not one of asm|ucontext" ]
	run --separate-stderr -2 "$WLDIR/iobound" extra
	[ "$stderr" = "iobound: unexpected argument 'extra'" ]
}

@test "iobound: --help describes the options" {
	run -0 "$WLDIR/iobound" --help
	[[ "$output" == *"--mode"*"--tasks"*"--wait-ms"*"--pool"*"--stack-kib"*"--impl"* ]]
}
