#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The Python workloads on their own: same work in every mode, strict options.
bats_require_minimum_version 1.5.0

setup() {
	load helpers
	requires python3
	PY="$WLDIR/python"
}

@test "python cpu.py: every mode gives the same checksum, cpubound's" {
	run -0 "$WLDIR/cpubound" --tasks 3 --work 20000
	want=$(kv checksum)
	for mode in serial threads processes; do
		run -0 "$PY/cpu.py" --mode $mode --tasks 3 --work 20000
		[[ "$output" == "result: mode=$mode tasks=3 work=20000 checksum=$want "* ]]
	done
}

@test "python cpu.py: switch interval, --serial-first and --baseline-ms" {
	run -0 "$PY/cpu.py" --mode threads --work 1000 --switch-interval-ms 2 --serial-first
	[ "$(kv switch_interval_ms)" = 2.0 ]
	[[ "$output" == *" serial_ms="*" speedup="* ]]
	run -0 "$PY/cpu.py" --work 1000 --baseline-ms 100
	[[ "$output" == *" speedup="* ]]
}

@test "python io.py: every mode and io completes every wait" {
	for io in socket sleep; do
		for mode in serial threads asyncio; do
			run -0 "$PY/io.py" --mode $mode --io $io --tasks 4 --wait-ms 10
			[[ "$output" == "result: mode=$mode io=$io tasks=4 wait_ms=10 "* ]]
		done
	done
	run -0 "$PY/io.py" --mode threads --tasks 4 --pool 2 --wait-ms 10
	[ "$(kv pool)" = 2 ]
}

@test "python io.py: a wait is never shorter than asked" {
	# serial: 4 waits of 20 ms one after another take at least 80 ms
	run -0 "$PY/io.py" --mode serial --tasks 4 --wait-ms 20
	python3 -c 'import sys; assert float(sys.argv[1]) >= 80, sys.argv[1]' "$(kv wall_ms)"
}

@test "python switch.py: the article's loops run every iteration of every task" {
	for mode in threads asyncio; do
		run -0 "$PY/switch.py" --mode $mode --tasks 3 --iterations 100
		[[ "$output" == "result: mode=$mode tasks=3 iterations=300 wall_ms="*" ns_per_iteration="* ]]
		# ns_per_iteration is the wall time over all iterations (wall_ms has
		# one decimal: 0.05 ms over 300)
		python3 -c 'import sys; w, n = map(float, sys.argv[1:]); assert abs(w * 1e6 / 300 - n) <= 0.05e6 / 300 + 0.1, (w, n)' \
			"$(kv wall_ms)" "$(kv ns_per_iteration)"
	done
	# the article's: two tasks
	run -0 "$PY/switch.py" --iterations 10
	[[ "$output" == "result: mode=threads tasks=2 iterations=20 "* ]]
}

@test "python counter.py: a lock loses no update; the count adds up" {
	for op in inplace call; do
		run -0 "$PY/counter.py" --sync lock --op $op --threads 3 --increments 20000
		[[ "$output" == "result: sync=lock op=$op threads=3 expected=60000 actual=60000 lost_updates=0 "* ]]
		# unlocked: some count, never more than was added
		run -0 "$PY/counter.py" --op $op --threads 3 --increments 20000
		[ "$(kv expected)" -eq 60000 ]
		[ "$(kv actual)" -gt 0 ]
		[ "$(kv actual)" -le 60000 ]
	done
}

@test "python: the result line also goes to TRACER_RESULT_FD" {
	run -0 env TRACER_RESULT_FD=3 "$PY/cpu.py" --work 100 3>"$BATS_TEST_TMPDIR/r"
	[ "$(cat "$BATS_TEST_TMPDIR/r")" = "$output" ]
	run -0 env TRACER_RESULT_FD=3 "$PY/io.py" --tasks 1 --wait-ms 1 3>"$BATS_TEST_TMPDIR/r"
	[ "$(cat "$BATS_TEST_TMPDIR/r")" = "$output" ]
}

@test "python: bad options are one-line errors with exit 2" {
	run --separate-stderr -2 "$PY/cpu.py" --mode asyncio
	[ "$stderr" = "cpu.py: --mode: 'asyncio' is not one of serial|threads|processes" ]
	run --separate-stderr -2 "$PY/cpu.py" --tasks 0
	[ "$stderr" = "cpu.py: --tasks: 0 is out of range [1, 1024]" ]
	run --separate-stderr -2 "$PY/cpu.py" --work 1e6
	[ "$stderr" = "cpu.py: --work: '1e6' is not a whole number" ]
	run --separate-stderr -2 "$PY/cpu.py" --work
	[ "$stderr" = "cpu.py: option '--work' needs a value" ]
	run --separate-stderr -2 "$PY/cpu.py" --wor 5
	[ "$stderr" = "cpu.py: unknown option '--wor' (see --help)" ]
	run --separate-stderr -2 "$PY/io.py" --mode processes
	[ "$stderr" = "io.py: --mode: 'processes' is not one of serial|threads|asyncio" ]
	run --separate-stderr -2 "$PY/io.py" --wait-ms -1
	[ "$stderr" = "io.py: --wait-ms: '-1' is not a whole number" ]
	run --separate-stderr -2 "$PY/io.py" stray
	[ "$stderr" = "io.py: unexpected argument 'stray'" ]
	run --separate-stderr -2 "$PY/counter.py" --op add
	[ "$stderr" = "counter.py: --op: 'add' is not one of inplace|call" ]
	run --separate-stderr -2 "$PY/switch.py" --mode processes
	[ "$stderr" = "switch.py: --mode: 'processes' is not one of threads|asyncio" ]
	run --separate-stderr -2 "$PY/switch.py" --iterations 0
	[ "$stderr" = "switch.py: --iterations: 0 is out of range [1, 100000000]" ]
}

@test "python: --help describes the options" {
	run -0 "$PY/cpu.py" --help
	[[ "$output" == *"--mode"*"--tasks"*"--work"*"--switch-interval-ms"* ]]
	run -0 "$PY/io.py" --help
	[[ "$output" == *"--mode"*"--tasks"*"--wait-ms"*"--io"*"--pool"* ]]
	run -0 "$PY/counter.py" --help
	[[ "$output" == *"--sync"*"--op"*"--threads"*"--increments"* ]]
	run -0 "$PY/switch.py" --help
	[[ "$output" == *"--mode"*"--tasks"*"--iterations"* ]]
}
