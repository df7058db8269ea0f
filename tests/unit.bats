#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Unit tests of user/ code, compiled here: no root, no kernel needed.
bats_require_minimum_version 1.5.0

setup() {
	load helpers
}

@test "histograms: percentiles, max, avg, merge and log2 rows agree with the raw samples" {
	run -0 "$ROOT/.output/unit/hist_pct"
	[ "${#lines[@]}" = 1 ]
	[[ "${lines[0]}" == "hist_pct: "*" checks passed "* ]]
}

@test "tasks: finished tasks fold into totals; the replay's memory follows the tasks alive at once" {
	# 100,000 tasks into a table keeping 16, and 200,000 tasks through the
	# replay with 40 alive at once (tests/unit/tasks_check.c)
	run -0 "$ROOT/.output/unit/tasks_check"
	[ "$output" = ok ]
}

@test "gone pairs and futex keys: the heaviest kept whatever the order they come in, the rest folded, a key twice merged" {
	# 20,000 of each, many ties, through a room of 1,000 in three orders,
	# against a sort (tests/unit/gone_check.c)
	run -0 "$ROOT/.output/unit/gone_check"
	[ "$output" = ok ]
}

@test "exception entries: the asm_exc_* stubs' ranges from kallsyms, merged, aliases and a cut file kept" {
	# kallsyms texts: this machine kind's layout, an alias at a merged
	# stub's address, a file cut inside a range, hidden addresses, more
	# ranges than fit (tests/unit/excentry_check.c)
	run -0 "$ROOT/.output/unit/excentry_check"
	[ "$output" = ok ]
}

@test "wire records: task parts left out are the chunk's last said, damaged records refused" {
	# a ping-pong chunk, a slot taken by another tid, kinds, flags and
	# lengths a damaged capture may hold (tests/unit/wire_check.c)
	run -0 "$ROOT/.output/unit/wire_check"
	[ "$output" = ok ]
}

@test "CSV reader: its one-pass fast path (SSE2, and 8 bytes a word without) reads as its byte loop does" {
	# 6,000 random inputs and limits, wide rows, files crossing the read
	# buffer (plain and gzip), limits lowered between records, and every
	# record to 70 bytes at each edge of each limit (tests/unit/csvr_diff.c):
	# every record, line, cut flag and error the same in the three builds
	run -0 "$ROOT/.output/unit/csvr_diff"
	[[ "$output" =~ ^"3 builds agree: "([0-9]+)" inputs ("([0-9]+)" files over 64 KiB), "([0-9]+)" records (fast path: sse2 "([0-9]+)", swar "([0-9]+)")"$ ]]
	[ "${BASH_REMATCH[1]}" -gt 6000 ]
	[ "${BASH_REMATCH[2]}" -ge 200 ]
	[ "${BASH_REMATCH[3]}" -ge 50000 ]
	[ "${BASH_REMATCH[4]}" -ge 40000 ]
	[ "${BASH_REMATCH[4]}" = "${BASH_REMATCH[5]}" ]
}

@test "CSV reader: a .gz reader closed early stops its inflate thread without a data race" {
	# ThreadSanitizer build (tests/unit/csvr_threads.c): 100 readers of a
	# 200,000-row .gz closed after 0, 1, 10, 1000 records or at the end;
	# the stop flag was read outside its lock (a race TSan reported 5 of 5)
	run -0 "$ROOT/.output/unit/csvr_threads" "$BATS_TEST_TMPDIR"
	[ "$output" = ok ]
	[ -z "$(ls "$BATS_TEST_TMPDIR")" ]
}

@test "replay: a waking during a run whose switch-in the kernel did not report waits for the next switch-in" {
	# tid 100 sleeps at 3000, is woken at 4000, gets on a CPU unreported,
	# runs 700 ns from 4500 (run_ns of its switch-out at 5200), is woken at
	# 5000 on its way to sleep, and is back on at 6000: the first waking is
	# spent by the unseen run, the second is a wakeup latency (clamped to
	# the 800 ns off CPU, as any waking before a switch-out), not an
	# unmatched switch-in (perf sched counts it, a run once showed it)
	run -0 "$TOOL" report "$ROOT/tests/fixtures/replay/unseen-waking.csv" --csv "$BATS_TEST_TMPDIR/s.csv"
	csv_load "$BATS_TEST_TMPDIR/s.csv"
	[ "${C[switch_ins_unseen]}" = 1 ]
	[ "${C[wakeups]}" = 2 ]
	[ "${C[wakeups_unmatched]}" = 0 ]
	[ "${C[wakeup_latency_count]}" = 1 ]
	[ "${C[wakeup_latency_max_us]}" = 0.800 ]
}

@test "timeline: two tasks whose tids differ by 65536 are two tasks" {
	# tids 100 and 65636 both on a CPU from 2,000 to ~7,000 ns: the
	# sparkline must be the one of tids 100 and 200 (a table indexed by
	# tid modulo 65536 once took them for one task, and drew half)
	run -0 "$TOOL" report "$ROOT/tests/fixtures/replay/timeline-tids.csv"
	a=$(grep 'tasks running over time' <<<"$output")
	sed 's/65636/200/g' "$ROOT/tests/fixtures/replay/timeline-tids.csv" >"$BATS_TEST_TMPDIR/t.csv"
	run -0 "$TOOL" report "$BATS_TEST_TMPDIR/t.csv"
	b=$(grep 'tasks running over time' <<<"$output")
	echo "65636: $a"
	echo "200:   $b"
	[ -n "$a" ]
	[ "$a" = "$b" ]
}

@test "event CSV: each golden file, read back and written again, is the same bytes" {
	local n=0 f
	for f in "$ROOT"/tests/fixtures/golden/*.events.csv.gz; do
		run -0 "$ROOT/.output/unit/evcsv_roundtrip" "$f" "$BATS_TEST_TMPDIR/out.csv"
		zcat "$f" | cmp - "$BATS_TEST_TMPDIR/out.csv"
		n=$((n + 1))
	done
	[ "$n" -ge 3 ]
	# the comparison can fail: a preempt flag of 2 is read as 1
	zcat "$f" | "$PY" -c '
import csv, sys
rows = list(csv.reader(sys.stdin))
r = next(r for r in rows if r[3] == "switch")
r[9] = "2"
csv.writer(sys.stdout, lineterminator="\n").writerows(rows)' >"$BATS_TEST_TMPDIR/in.csv"
	run -0 "$ROOT/.output/unit/evcsv_roundtrip" "$BATS_TEST_TMPDIR/in.csv" "$BATS_TEST_TMPDIR/out.csv"
	run -1 cmp "$BATS_TEST_TMPDIR/in.csv" "$BATS_TEST_TMPDIR/out.csv"
}
