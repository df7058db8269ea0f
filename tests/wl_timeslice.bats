#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# timeslice on its own: slices are seen and their figures are ordered.
bats_require_minimum_version 1.5.0

setup() { load helpers; }

@test "timeslice: three threads on one CPU take turns in ordered slices" {
	run -0 "$WLDIR/timeslice" --threads 3 --duration-ms 300
	[[ "$output" == "result: threads=3 cpu="* ]]
	python3 - "$output" <<'PY'
import sys
kv = dict(p.split("=", 1) for p in sys.argv[1].split()[1:])
# three runnable threads on one CPU for 300 ms must be switched at least once
assert int(kv["slices"]) > 0, kv
p50, p99, mx = (float(kv[k]) for k in ("slice_p50_us", "slice_p99_us", "slice_max_us"))
assert 0 < p50 <= p99 <= mx, kv
assert float(kv["gap_p50_us"]) >= 50, kv	# a gap is over --gap-us by definition
assert kv["base_slice_us"] == "unknown" or float(kv["base_slice_us"]) > 0, kv
assert kv["hz"] == "unknown" or int(kv["hz"]) > 0, kv
PY
}

@test "timeslice: --cpu picks the CPU; one it may not use is refused" {
	cpu=$(taskset -pc $$ | sed 's/.*: //; s/[-,].*//')
	run -0 "$WLDIR/timeslice" --threads 2 --duration-ms 50 --cpu "$cpu"
	[[ "$output" == *" cpu=$cpu "* ]]
	run --separate-stderr -2 taskset -c "$cpu" "$WLDIR/timeslice" --cpu 1023
	[ "$stderr" = "timeslice: --cpu: this process may not use CPU 1023" ]
}

@test "timeslice: bad options are one-line errors with exit 2" {
	run --separate-stderr -2 "$WLDIR/timeslice" --threads 0
	[ "$stderr" = "timeslice: --threads: 0 is out of range [1, 64]" ]
	run --separate-stderr -2 "$WLDIR/timeslice" --gap-us 5us
	[ "$stderr" = "timeslice: --gap-us: '5us' is not a whole number" ]
	run --separate-stderr -2 "$WLDIR/timeslice" --duration-ms
	[ "$stderr" = "timeslice: option '--duration-ms' needs a value" ]
	run --separate-stderr -2 "$WLDIR/timeslice" --cpus 1
	[ "$stderr" = "timeslice: unknown option '--cpus' (see --help)" ]
}

@test "timeslice: --help describes the options" {
	run -0 "$WLDIR/timeslice" --help
	[[ "$output" == *"--threads"*"--cpu"*"--duration-ms"*"--gap-us"* ]]
}
