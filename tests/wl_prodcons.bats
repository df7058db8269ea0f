#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# prodcons on its own: every item arrives exactly once, waits are counted.
bats_require_minimum_version 1.5.0

setup() { load helpers; }

@test "prodcons: every unit delivers each item once (checksum = expected)" {
	for unit in thread process coroutine; do
		for shape in "1 1 16" "3 2 4" "2 5 1"; do
			set -- $shape
			run -0 "$WLDIR/prodcons" --unit $unit --producers $1 --consumers $2 \
				--capacity $3 --items 20000
			[[ "$output" == "result: unit=$unit producers=$1 consumers=$2 capacity=$3 items=20000 "* ]]
			[ "$(kv checksum)" = 200010000 ]
			[ "$(kv expected)" = 200010000 ]
		done
	done
}

@test "prodcons: waits are counted and add up" {
	for unit in thread process coroutine; do
		run -0 "$WLDIR/prodcons" --unit $unit --capacity 1 --items 5000
		# 5000 items through one slot: the two sides cannot alternate
		# perfectly every time
		[ "$(kv waits)" -ge 1 ]
		[ "$(kv waits)" -eq $(($(kv producer_waits) + $(kv consumer_waits))) ]
		python3 -c 'import sys; assert abs(float(sys.argv[1]) - int(sys.argv[2]) / 5000) < 1e-4' \
			"$(kv waits_per_item)" "$(kv waits)"
	done
	# one slot on one thread: each item makes the producer wait for the
	# consumer and the consumer wait for the next item
	run -0 "$WLDIR/prodcons" --unit coroutine --capacity 1 --items 5000
	[ "$(kv waits)" -ge 5000 ]
}

@test "prodcons: bad options are one-line errors with exit 2" {
	run --separate-stderr -2 "$WLDIR/prodcons" --unit fiber
	[ "$stderr" = "prodcons: --unit: 'fiber' is not one of thread|process|coroutine" ]
	run --separate-stderr -2 "$WLDIR/prodcons" --capacity 0
	[ "$stderr" = "prodcons: --capacity: 0 is out of range [1, 1000000]" ]
	run --separate-stderr -2 "$WLDIR/prodcons" --producers
	[ "$stderr" = "prodcons: option '--producers' needs a value" ]
	run --separate-stderr -2 "$WLDIR/prodcons" --items -3
	[ "$stderr" = "prodcons: --items: '-3' is not a whole number" ]
}

@test "prodcons: --help describes the options" {
	run -0 "$WLDIR/prodcons" --help
	[[ "$output" == *"--unit"*"--producers"*"--consumers"*"--items"*"--capacity"* ]]
}
