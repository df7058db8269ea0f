#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# counter on its own: locks lose nothing; the race can only lose.
bats_require_minimum_version 1.5.0

setup() { load helpers; }

@test "counter: mutex, spin and atomic lose no update" {
	for sync in mutex spin atomic; do
		run -0 "$WLDIR/counter" --sync $sync --threads 4 --increments 200000
		[[ "$output" == "result: sync=$sync threads=4 increments=200000 expected=800000 actual=800000 lost_updates=0 "* ]]
	done
}

@test "counter: none can lose updates but never invents one" {
	# losing is likely, not certain (a loaded machine may never overlap the threads)
	run -0 "$WLDIR/counter" --sync none --threads 2 --increments 1000000
	[[ "$output" =~ expected=2000000\ actual=([0-9]+)\ lost_updates=([0-9]+)\  ]]
	actual=${BASH_REMATCH[1]} lost=${BASH_REMATCH[2]}
	[ "$actual" -le 2000000 ]
	[ $((actual + lost)) -eq 2000000 ]
}

@test "counter: one thread alone loses nothing even without a lock" {
	run -0 "$WLDIR/counter" --sync none --threads 1 --increments 100000
	[[ "$output" == *" expected=100000 actual=100000 lost_updates=0 "* ]]
}

@test "counter: bad options are one-line errors with exit 2" {
	run --separate-stderr -2 "$WLDIR/counter" --sync rcu
	[ "$stderr" = "counter: --sync: 'rcu' is not one of none|mutex|spin|atomic" ]
	run --separate-stderr -2 "$WLDIR/counter" --threads 0
	[ "$stderr" = "counter: --threads: 0 is out of range [1, 1024]" ]
	run --separate-stderr -2 "$WLDIR/counter" --increments x
	[ "$stderr" = "counter: --increments: 'x' is not a whole number" ]
	run --separate-stderr -2 "$WLDIR/counter" --bogus
	[ "$stderr" = "counter: unknown option '--bogus' (see --help)" ]
}

@test "counter: --help describes the options" {
	run -0 "$WLDIR/counter" --help
	[[ "$output" == *"--sync"*"--threads"*"--increments"* ]]
}
