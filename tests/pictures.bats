#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# tracer report FILE --plot DIR: one run in pictures, drawn by gnuplot from
# the CSVs beside them, whose figures add up to the summary's.
bats_require_minimum_version 1.5.0

setup() {
	load helpers
	G="$ROOT/tests/fixtures/golden"
	D="$BATS_TEST_TMPDIR/p"
}

# sums DIR SUMMARY.csv: the pictures' CSVs against the summary CSV
sums() {
	"$PY" - "$1" "$2" <<'PY'
import csv, sys
d, summary = sys.argv[1], sys.argv[2]
s = next(csv.DictReader(open(summary, newline="")))
tl = list(csv.DictReader(open(f"{d}/timeline.csv", newline="")))
assert sum(int(r["switches"]) for r in tl) == int(s["switches"]), s["switches"]
lat = list(csv.DictReader(open(f"{d}/latency.csv", newline="")))
for col, name in [("wakeup_same_cpu", "wakeup_latency_same_cpu"),
                  ("wakeup_cross_cpu", "wakeup_latency_cross_cpu"),
                  ("preempt_delay", "preempt_delay"), ("futex_wait", "futex_wait")]:
    assert sum(int(r[col]) for r in lat) == int(s[name + "_count"]), (col, s[name + "_count"])
# the slots follow each other, in microseconds
for a, b in zip(lat, lat[1:]):
    assert float(a["to_us"]) == float(b["from_us"]) and float(a["from_us"]) < float(a["to_us"]), (a, b)
print(len(tl), len(lat))
PY
}

@test "report --plot: three pictures and their data, which add up to the summary's figures" {
	command -v gnuplot >/dev/null || skip "needs gnuplot"
	run -0 --separate-stderr "$TOOL" report "$G/thread-pingpong.events.csv.gz" --plot "$D" \
		--csv "$BATS_TEST_TMPDIR/s.csv"
	[ "$stderr" = "report: pictures in $D: concurrency.png, switches.png, latency.png" ]
	# the report itself is the same with pictures or without
	diff <(echo "$output") "$G/thread-pingpong.report.txt"
	[ "$(ls "$D" | tr '\n' ' ')" = \
	  "concurrency.png latency.csv latency.png plots.gp switches.png timeline.csv " ]
	run -0 sums "$D" "$G/thread-pingpong.summary.csv"
	# a file of a tracer that did not record its machine says so in each title
	grep -qxF "machine = 'the machine is not recorded in '.'$G/thread-pingpong.events.csv.gz'" "$D/plots.gp"
	[ "$(grep -c '\.machine$' "$D/plots.gp")" = 3 ]
	# lines in the pictures' blue; the histograms' bars, filled at 0.7
	[ "$(pixels "$D/concurrency.png" 61,133,198 20)" -gt 200 ]
	[ "$(pixels "$D/switches.png" 61,133,198 20)" -gt 200 ]
	[ "$(pixels "$D/latency.png" 119,170,215 20)" -gt 200 ]
}

@test "report --plot: the pictures are drawn from the CSVs beside them" {
	command -v gnuplot >/dev/null || skip "needs gnuplot"
	"$TOOL" report "$G/prodcons.events.csv.gz" --plot "$D" >/dev/null 2>&1
	[ "$(pixels "$D/latency.png" 119,170,215 20)" -gt 1000 ]
	# no latency counted: gnuplot plots.gp redraws the histograms empty
	sed -i '2,$s/^\([^,]*\),\([^,]*\),.*/\1,\2,0,0,0,0/' "$D/latency.csv"
	cd "$D"
	gnuplot plots.gp 2>/dev/null
	[ "$(pixels "$D/latency.png" 119,170,215 20)" -lt 50 ]
}

@test "report --plot: without gnuplot the data is written and a warning says so" {
	run -0 --separate-stderr env PATH=/nonexistent "$TOOL" report \
		"$G/thread-pingpong.events.csv.gz" --plot "$D"
	[ "$stderr" = "tracer: warning: report: --plot: gnuplot not found (Debian: apt-get install gnuplot-nox); data written to $D, no pictures" ]
	[ "$(ls "$D" | tr '\n' ' ')" = "latency.csv plots.gp timeline.csv " ]
}

@test "report --plot: a path that is no directory fails before reading, in one line" {
	touch "$BATS_TEST_TMPDIR/file"
	run -1 --separate-stderr "$TOOL" report "$G/thread-pingpong.events.csv.gz" \
		--plot "$BATS_TEST_TMPDIR/file"
	[ "$stderr" = "tracer: error: report: --plot: $BATS_TEST_TMPDIR/file is not a directory it can write in" ]
	[ -z "$output" ]
	run -1 --separate-stderr "$TOOL" report "$G/thread-pingpong.events.csv.gz" \
		--plot "$BATS_TEST_TMPDIR/no/such/dir"
	[[ "$stderr" == "tracer: error: report: --plot: cannot create $BATS_TEST_TMPDIR/no/such/dir: No such file or directory" ]]
	run -64 --separate-stderr "$TOOL" report "$G/thread-pingpong.events.csv.gz" --plot ''
	[ "${stderr_lines[0]}" = "tracer report: --plot needs a directory" ]
	# a file that is not an event file: nothing drawn, nothing left half-written
	echo garbage >"$BATS_TEST_TMPDIR/bad.csv"
	run -1 "$TOOL" report "$BATS_TEST_TMPDIR/bad.csv" --plot "$D"
	[ -z "$(ls -A "$D")" ]
}

# bats test_tags=root
@test "report --plot of a live run: the machine it ran on, figures equal to its summary" {
	requires root btf
	command -v gnuplot >/dev/null || skip "needs gnuplot"
	"$TOOL" run prodcons --events "$BATS_TEST_TMPDIR/e.csv.gz" --csv "$BATS_TEST_TMPDIR/live.csv" \
		2>"$BATS_TEST_TMPDIR/err"
	run -0 --separate-stderr "$TOOL" report "$BATS_TEST_TMPDIR/e.csv.gz" --plot "$D" \
		--csv "$BATS_TEST_TMPDIR/s.csv"
	run -0 sums "$D" "$BATS_TEST_TMPDIR/s.csv"
	# the summary rebuilt from the file is the run's, rusage-checked
	csv_load "$BATS_TEST_TMPDIR/s.csv"
	[ "${C[switches_match_rusage]}" = 1 ]
	[ "$(csv_get "$BATS_TEST_TMPDIR/live.csv" switches)" = "${C[switches]}" ]
	grep -qE "^machine = 'Linux [^ ]+ [a-z0-9_]+, [0-9]+ CPUs" "$D/plots.gp"
	grep -qF "run = 'prodcons --unit thread'" "$D/plots.gp"
	[ "$(pixels "$D/concurrency.png" 61,133,198 20)" -gt 500 ]
	[ "$(pixels "$D/switches.png" 61,133,198 20)" -gt 500 ]
	[ "$(pixels "$D/latency.png" 119,170,215 20)" -gt 500 ]
}

@test "report --plot: a run of more intervals than the timeline keeps is covered whole, in wider ones" {
	requires python3
	# the golden run's window stretched to 1100 s past its events, at 1 ms
	# intervals: more than the 2^20 the timeline keeps
	"$PY" - "$G/thread-pingpong.events.csv.gz" "$BATS_TEST_TMPDIR/ev.csv" <<'PY'
import gzip, sys
out = open(sys.argv[2], "w")
for line in gzip.open(sys.argv[1], "rt", newline=""):
    f = line.split(",")
    if len(f) > 33 and f[3] == "meta" and f[31] == "interval_ns":
        f[32] = "1000000"
    if len(f) > 33 and f[3] == "meta" and f[31] == "t_end_ns":
        f[32] = str(int(f[32]) + 1100 * 10**9)
    out.write(",".join(f))
PY
	run -0 --separate-stderr "$TOOL" report "$BATS_TEST_TMPDIR/ev.csv" --plot "$D" \
		--csv "$BATS_TEST_TMPDIR/s.csv"
	[ "${stderr_lines[0]}" = "tracer: warning: timeline: a run of more than 1048576 intervals of 1 ms: each is 2 ms" ]
	run -0 sums "$D" "$BATS_TEST_TMPDIR/s.csv"
	# every interval 2 ms, the last one ending with the window
	run -0 awk -F, 'NR > 1 { if ($6 != "2.000") odd++; end = $1 + $6 }
		END { print odd + 0, int(end) }' "$D/timeline.csv"
	[ "$output" = "1 1100019" ]
}
