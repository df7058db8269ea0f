#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# `tracer run` on the real kernel: counts checked against the kernel's own.
bats_require_minimum_version 1.5.0

setup() {
	load helpers
	requires root btf python3
}

# bats test_tags=root
@test "thread-pingpong: traced switches equal the kernel's rusage of the tree exactly" {
	csv="$BATS_TEST_TMPDIR/s.csv"
	run -0 "$TOOL" run thread-pingpong --rounds 20000 --csv "$csv"
	[ "$(csv_get "$csv" wl_round_trips)" = 20000 ]
	[ "$(csv_get "$csv" tasks)" = 2 ]
	[ "$(csv_get "$csv" threads)" = 1 ]
	[ "$(csv_get "$csv" threads_exited)" = 1 ]
	vol=$(csv_get "$csv" switches_voluntary)
	invol=$(csv_get "$csv" switches_involuntary)
	rvol=$(csv_get "$csv" rusage_switches_voluntary)
	rinvol=$(csv_get "$csv" rusage_switches_involuntary)
	# getrusage leaves out the final switch of each exited thread, and a
	# preemption of it on its way out (rare, with a busy neighbour)
	[ "$vol" -eq $((rvol + 1)) ]
	[ "$invol" -ge "$rinvol" ]
	[ "$invol" -le $((rinvol + 1)) ]
	[ "$(csv_get "$csv" switches_match_rusage)" = 1 ]
	# 20000 round trips need at least two switches each
	[ $((vol + invol)) -ge 40000 ]
	[ "$(csv_get "$csv" tasks_untracked)" = 0 ]
}

# bats test_tags=root
@test "thread-pingpong: the workload's own getrusage agrees, bar its last few switches" {
	csv="$BATS_TEST_TMPDIR/s.csv"
	run -0 "$TOOL" run thread-pingpong --rounds 20000 --csv "$csv"
	traced=$(( $(csv_get "$csv" switches) ))
	own=$(( $(csv_get "$csv" wl_ctxsw_voluntary) + $(csv_get "$csv" wl_ctxsw_involuntary) ))
	# it reads its counters before printing and exiting: those come after
	[ "$traced" -ge "$own" ]
	[ $((traced - own)) -le 20 ]
}

# bats test_tags=root
@test "the report names the figures and the kernel check" {
	run --separate-stderr -0 "$TOOL" run thread-pingpong --rounds 2000
	[[ "$output" == result:*round_trips=2000* ]]
	[[ "$stderr" == *"context switches of the traced tree"* ]]
	[[ "$stderr" =~ voluntary\ +[0-9]+ ]]
	[[ "$stderr" =~ involuntary\ +[0-9]+ ]]
	[[ "$stderr" == *"round_trip_ns"* ]]
	[[ "$stderr" == *"getrusage of the tree"*": equal"* ]]
}

# bats test_tags=root
@test "a long command line: the summary CSV has all the report shows" {
	local long
	long=$(printf 'argument-%03d ' $(seq 1 20))	# 280 characters
	run --separate-stderr -0 "$TOOL" run --csv "$BATS_TEST_TMPDIR/s.csv" -- echo $long
	csv_load "$BATS_TEST_TMPDIR/s.csv"
	# the report's line is the command, as far as it keeps it (255 characters)
	local shown
	shown=$(grep -m1 '^echo argument-001 ' <<<"$stderr")
	[ "${#shown}" -ge 250 ]
	[ "${C[command]}" = "$shown" ]
}

# bats test_tags=root
@test "process-pingpong: both processes traced, counts within the reaping race" {
	csv="$BATS_TEST_TMPDIR/s.csv"
	run -0 "$TOOL" run process-pingpong --rounds 5000 --csv "$csv"
	[ "$(csv_get "$csv" processes)" = 2 ]
	[ "$(csv_get "$csv" threads)" = 0 ]
	vol=$(csv_get "$csv" switches_voluntary)
	rvol=$(csv_get "$csv" rusage_switches_voluntary)
	# the partner may be reaped by the workload just before its final switch
	[ "$vol" -ge "$rvol" ]
	[ "$vol" -le $((rvol + 1)) ]
	invol=$(csv_get "$csv" switches_involuntary)
	rinvol=$(csv_get "$csv" rusage_switches_involuntary)
	[ "$invol" -ge "$rinvol" ]
	[ "$invol" -le $((rinvol + 1)) ]
	[ "$(csv_get "$csv" switches_match_rusage)" = 1 ]
	[ "$(csv_get "$csv" tasks_check_failed)" = 0 ]
}

# bats test_tags=root
@test "a command's whole process tree is followed" {
	csv="$BATS_TEST_TMPDIR/s.csv"
	# four levels: a background job always forks, and wait keeps each shell
	run -0 "$TOOL" run --csv "$csv" -- \
		sh -c 'sh -c "sh -c \"sleep 0.01 & wait\" & wait" & wait'
	[ "$(csv_get "$csv" processes)" = 4 ]
	[ "$(csv_get "$csv" threads)" = 0 ]
	[ "$(csv_get "$csv" workload)" = "" ]
	[ "$(csv_get "$csv" command)" = "sh -c 'sh -c \"sh -c \\\"sleep 0.01 & wait\\\" & wait\" & wait'" ]
}

# bats test_tags=root
@test "tasks outside the tree are not counted" {
	csv="$BATS_TEST_TMPDIR/s.csv"
	# a busy neighbour switching all the time, started before the run
	( while :; do sleep 0.001; done ) &
	neighbour=$!
	run -0 "$TOOL" run --csv "$csv" -- sleep 0.2
	kill "$neighbour"
	[ "$(csv_get "$csv" tasks)" = 1 ]
	[ "$(csv_get "$csv" switches_voluntary)" -le 5 ]
}

# bats test_tags=root
@test "works with tracefs unmounted, and --syscalls mounts it for the run only" {
	csv="$BATS_TEST_TMPDIR/s.csv"
	run -0 unshare -m sh -c '
		for m in /sys/kernel/tracing /sys/kernel/debug/tracing /sys/kernel/debug; do
			umount "$m" 2>/dev/null
		done
		if grep -q tracefs /proc/mounts; then echo "tracefs still mounted"; exit 9; fi
		"$0" run thread-pingpong --rounds 2000 --syscalls --csv "$1" || exit
		if grep -q tracefs /proc/mounts; then echo "tracefs left mounted"; exit 8; fi' "$TOOL" "$csv"
	[ "$(csv_get "$csv" switches_match_rusage)" = 1 ]
	[ "$(csv_get "$csv" futex_calls)" -gt 0 ]
}

# bats test_tags=root
@test "the command's exit status is tracer's" {
	run -3 "$TOOL" run -- sh -c 'exit 3'
	run -137 "$TOOL" run -- sh -c 'kill -KILL $$'
}

# bats test_tags=root
@test "a command that does not exist exits 127, one that cannot run 126" {
	run --separate-stderr -127 "$TOOL" run -- /no/such/command
	[ "${stderr_lines[0]}" = "tracer: error: cannot run '/no/such/command': No such file or directory" ]
	f="$BATS_TEST_TMPDIR/not-executable"
	echo data > "$f"
	chmod 644 "$f"
	run --separate-stderr -126 "$TOOL" run -- "$f"
	[ "${stderr_lines[0]}" = "tracer: error: cannot run '$f': Permission denied" ]
}

# bats test_tags=root
@test "a result line of a failed run is not presented as a result" {
	csv="$BATS_TEST_TMPDIR/s.csv"
	run --separate-stderr -1 "$TOOL" run --csv "$csv" -- \
		bash -c 'echo "result: fake_ns=1" >&$TRACER_RESULT_FD; exit 1'
	[[ "$stderr" == *"ignoring the result line"* ]]
	run -0 "$PY" -c 'import csv,sys; r=next(csv.DictReader(open(sys.argv[1]))); sys.exit("wl_fake_ns" in r)' "$csv"
}

# bats test_tags=root
@test "the summary's command is quoted as a shell would need; a result key said twice is one column" {
	csv="$BATS_TEST_TMPDIR/s.csv"
	"$TOOL" run --csv "$csv" -- bash -c 'echo "result: a=1 b=2 a=3" >&$TRACER_RESULT_FD' \
		"it's" '' 'x y' k=v 2>/dev/null
	run -0 "$PY" - "$csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert len(set(rows[0])) == len(rows[0]), rows[0]
r = dict(zip(*rows))
assert r["command"] == "bash -c 'echo \"result: a=1 b=2 a=3\" >&$TRACER_RESULT_FD' 'it'\\''s' '' 'x y' k=v", r["command"]
assert (r["wl_a"], r["wl_b"]) == ("3", "2"), r
PY
}

# bats test_tags=root
@test "more than a pipe's worth of result lines: no hang, the last one counts" {
	csv="$BATS_TEST_TMPDIR/s.csv"
	run -0 timeout -s KILL 60 "$TOOL" run --csv "$csv" -- "$PY" -c '
import os
fd = int(os.environ["TRACER_RESULT_FD"])
for i in range(20000):
    os.write(fd, b"result: a=%d\n" % i)
os.write(fd, b"result: last=1")'
	[ "$(csv_get "$csv" wl_last)" = 1 ]
}

# bats test_tags=root
@test "no BPF program of ours is left after a run" {
	run -0 "$TOOL" run -- true
	no_bpf_left
}
