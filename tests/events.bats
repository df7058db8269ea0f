#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# --events and tracer report: every event, a stable schema, the same figures.
bats_require_minimum_version 1.5.0

setup() {
	load helpers
	ev="$BATS_TEST_TMPDIR/ev.csv"
	csv="$BATS_TEST_TMPDIR/s.csv"
}

# bats test_tags=root
@test "event CSV parses, rows are as wide as the header, kinds match the summary" {
	requires root btf python3
	for sys in --no-syscalls --syscalls; do
		check_kinds "$sys"
	done
}

check_kinds() {
	"$TOOL" run thread-pingpong --rounds 3000 "$1" --events "$ev.gz" --csv "$csv" \
		>/dev/null 2>"$BATS_TEST_TMPDIR/err"
	# the figures come from the rows: the kernel's witnesses still hold
	csv_load "$csv"
	[ "${C[switches_match_rusage]}" = 1 ]
	[ "${C[tasks_check_failed]}" = 0 ]
	[ "${C[tasks_checked]}" = 2 ]
	run ! grep -E 'the events count|records lost' "$BATS_TEST_TMPDIR/err"
	run -0 gzip -t "$ev.gz"
	run -0 "$PY" - "$ev.gz" "$csv" "$1" <<'PY'
import csv, gzip, sys
rows = list(csv.reader(gzip.open(sys.argv[1], "rt", newline="")))
head, body = rows[0], rows[1:]
assert all(len(r) == len(head) for r in body), "ragged rows"
kinds = {}
for r in body:
    kinds[r[3]] = kinds.get(r[3], 0) + 1
s = next(csv.DictReader(open(sys.argv[2], newline="")))
meta = {r[head.index("key")]: r[head.index("value")] for r in body if r[3] == "meta"}
assert meta["end"] == "complete"
assert kinds["switch"] == int(s["events_switch"]), (kinds, s["events_switch"])
assert kinds["fork"] == int(s["processes_created"]) + int(s["threads_created"])
assert kinds.get("futex", 0) == int(s["futex_calls"])
assert (kinds.get("futex", 0) > 0) == (sys.argv[3] == "--syscalls"), kinds
assert kinds["waking"] == int(s["wakeups"])
assert kinds["exit"] == int(s["exits"])
assert int(s["events_written"]) == sum(v for k, v in kinds.items() if k != "meta")
assert s["events_lost"] == "0"
PY
}

# bats test_tags=root
@test "tracer report on the event file reproduces the live summary CSV exactly" {
	requires root btf python3
	# --interval: the report's sparkline is drawn at the live run's interval
	"$TOOL" run process-pingpong --rounds 2000 --events "$ev" --csv "$csv" --interval 2 \
		2>"$BATS_TEST_TMPDIR/live.txt" >/dev/null
	# equal by construction (both from the rows) unless the rows are wrong:
	# the kernel's rusage and per-task counters are the check
	csv_load "$csv"
	[ "${C[switches_match_rusage]}" = 1 ]
	[ "${C[tasks_check_failed]}" = 0 ]
	[ "${C[tasks_checked]}" = 2 ]
	run ! grep -E 'the events count|records lost' "$BATS_TEST_TMPDIR/live.txt"
	run -0 "$TOOL" report "$ev" --csv "$BATS_TEST_TMPDIR/off.csv"
	[[ "$output" == *"context switches of the traced tree"* ]]
	cmp "$csv" "$BATS_TEST_TMPDIR/off.csv"
	spark=$(grep 'tasks running over time' "$BATS_TEST_TMPDIR/live.txt")
	[ -n "$spark" ]
	[[ "$output" == *"$spark"* ]]
	# and without root
	pub=$(mktemp -d)
	cp "$ev" "$pub/ev.csv"
	chmod 755 "$pub"
	chmod 644 "$pub/ev.csv"
	run -0 setpriv --reuid=65534 --regid=65534 --clear-groups "$TOOL" report "$pub/ev.csv"
	rm -rf "$pub"
}

# bats test_tags=root
@test "a lost switch record does not count a task on two CPUs: the levels stay possible" {
	requires root btf python3
	"$TOOL" run thread-pingpong --rounds 3000 --events "$ev" --csv "$csv" >/dev/null 2>&1
	# drop a hand-off in the middle (a record the ring had no room for):
	# the task it switched out is next seen getting on the CPU again
	run -0 "$PY" - "$ev" "$BATS_TEST_TMPDIR/cut.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
h = {c: i for i, c in enumerate(rows[0])}
hand = [i for i, r in enumerate(rows) if r[h["kind"]] == "switch" and
        r[h["prev_tree"]] == "1" and r[h["next_tree"]] == "1"]
assert len(hand) > 1000, len(hand)
del rows[hand[len(hand) // 2]]
csv.writer(open(sys.argv[2], "w", newline=""), lineterminator="\n").writerows(rows)
PY
	run -0 "$TOOL" report "$BATS_TEST_TMPDIR/cut.csv" --csv "$BATS_TEST_TMPDIR/off.csv"
	csv_load "$BATS_TEST_TMPDIR/off.csv"
	# one CPU, one of the two tasks on it at a time (two only around the start)
	fcmp "${C[concurrency_2_s]} < 0.1 * ${C[window_s]}"
	fcmp "${C[concurrency_3_s]:-0} == 0"
}

# bats test_tags=root
@test "a switch the kernel did not report between two tree tasks: both runs kept, counted once" {
	requires root btf python3
	# slices of ~ms on one CPU, taken from each other (tree to tree)
	"$TOOL" run timeslice --threads 2 --duration-ms 200 --events "$ev" --csv "$csv" >/dev/null 2>&1
	"$TOOL" report "$ev" --csv "$BATS_TEST_TMPDIR/full.csv" >/dev/null 2>&1
	# drop a hand-off T1 -> T2, and give T2's next switch-out the kernel's
	# count tracer writes when it saw no switch-in: T2's time on the CPU
	output=$("$PY" - "$ev" "$BATS_TEST_TMPDIR/cut.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
h = {c: i for i, c in enumerate(rows[0])}
sw = [i for i, r in enumerate(rows) if r[h["kind"]] == "switch"]
hand = [i for i in sw if rows[i][h["prev_tree"]] == "1" and rows[i][h["next_tree"]] == "1"
        and rows[i][h["tid"]] != rows[i][h["next_tid"]]]
# the hand-off followed by the longest run of T2 there (a busy machine
# puts other tasks between the slices: a few hand-offs are enough)
best = None
for cut in hand:
    t2, cpu, ts = rows[cut][h["next_tid"]], rows[cut][h["cpu"]], int(rows[cut][h["ts_ns"]])
    out = next((i for i in sw if i > cut and rows[i][h["tid"]] == t2), None)
    if out and rows[out][h["cpu"]] == cpu and rows[out][h["run_ns"]] in ("", "0"):
        run = int(rows[out][h["ts_ns"]]) - ts
        if not best or run > best[2]:
            best = (cut, out, run)
assert best, f"no hand-off among {len(hand)}"
cut, out, run = best
rows[out][h["run_ns"]] = str(run)
del rows[cut]
csv.writer(open(sys.argv[2], "w", newline=""), lineterminator="\n").writerows(rows)
print(f"run={run}")
PY
)
	echo "$output"
	run_ns=$(kv run)
	run -0 "$TOOL" report "$BATS_TEST_TMPDIR/cut.csv" --csv "$BATS_TEST_TMPDIR/cut.sum.csv"
	[[ "$output" == *" switch-out"*" the kernel did not report"* ]]
	csv_load "$BATS_TEST_TMPDIR/full.csv"
	local full_oncpu=${C[oncpu_s]} full_unseen=${C[switch_ins_unseen]} full_c1=${C[concurrency_1_s]}
	local full_outs=${C[switch_outs_unseen]}
	csv_load "$BATS_TEST_TMPDIR/cut.sum.csv"
	echo "oncpu: full $full_oncpu s, cut ${C[oncpu_s]} s; one task at a time: $full_c1 s, ${C[concurrency_1_s]} s"
	# (the kernel may have missed some already)
	[ "${C[switch_outs_unseen]}" = $((full_outs + 1)) ]
	[ "${C[switch_ins_unseen]}" = $((full_unseen + 1)) ]
	# T1's run until the hand-off was counted, T2's from the kernel's count:
	# the same time on CPU, one task at a time (before: T1's run was lost)
	fcmp "abs(${C[oncpu_s]} - $full_oncpu) <= 2e-6"
	fcmp "abs(${C[concurrency_1_s]} - $full_c1) <= 2e-6"
	fcmp "${C[concurrency_2_s]} < 0.01 * ${C[window_s]}"
	fcmp "$run_ns > 100000"
}

# bats test_tags=root
@test "a switch-in the kernel did not report: the run comes from run_ns, the kernel's count (schema 2), or is missing (schema 1)" {
	requires root btf python3
	# a task that sleeps and computes in turn: each wakeup is a switch-in
	# from the idle task, of a task seen before, followed by a run
	"$TOOL" run --events "$ev" --csv "$csv" -- "$PY" -c '
import time
for i in range(40):
    time.sleep(0.002)
    sum(range(30000))' >/dev/null 2>&1
	csv_load "$csv"
	# the kernel may have missed some already: schema 1 goes without those
	live_oncpu=${C[oncpu_s]} live_unseen=${C[switch_ins_unseen]} live_est=${C[oncpu_from_kernel_s]}
	# drop a switch-in, as the kernel does for a guest agent's switches
	# here, and give the switch-out the kernel's count tracer would have
	# written there: "later", the longest run after a switch-out, a count
	# beyond the time since that switch-out (capped to it); "first", the
	# first run of a new task, 3/4 of the run. Schema 1: the same file
	# without the columns from run_ns on.
	for which in later first; do
		# (not under run: a failed assertion shows its message)
		output=$("$PY" - "$ev" "$BATS_TEST_TMPDIR" "$which" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
h = {c: i for i, c in enumerate(rows[0])}
later = sys.argv[3] == "later"
out = {}		# tid -> ts of its last switch-out
cand = None		# (row index, ts, tid) of a switch-in from a task not traced
best = None		# (switch-in row, switch-out row, stretch on CPU, the estimate)
for i, r in enumerate(rows[1:], 1):
    if r[h["kind"]] != "switch":
        continue
    ts = int(r[h["ts_ns"]])
    if r[h["prev_tree"]] == "1":
        tid = r[h["tid"]]
        if cand and cand[2] == tid and (not best or ts - cand[1] > best[2]):
            gap = ts - out.get(tid, 0)
            best = (cand[0], i, ts - cand[1], gap if later else (ts - cand[1]) * 3 // 4)
        cand = None
        out[tid] = ts
    nt = r[h["next_tid"]]
    if r[h["next_tree"]] == "1" and r[h["prev_tree"]] == "0" and \
            (nt in out) == later and not (best and not later):
        cand = (i, ts, nt)
assert best, "no such switch-in"
rows[best[1]][h["run_ns"]] = str(best[3] + 10**9 if later else best[3])
cut = rows[:best[0]] + rows[best[0] + 1:]
csv.writer(open(sys.argv[2] + "/cut.csv", "w", newline=""), lineterminator="\n").writerows(cut)
v1 = [r[:h["run_ns"]] for r in cut]	# schema 1 ended before run_ns
for r in v1:
    if r[h["kind"]] == "meta" and r[h["key"]] == "schema_version":
        r[h["value"]] = "1"
csv.writer(open(sys.argv[2] + "/v1.csv", "w", newline=""), lineterminator="\n").writerows(v1)
print(f"stretch={best[2]} estimate={best[3]}")
PY
)
		echo "$which: $output"
		stretch=$(kv stretch) estimate=$(kv estimate)
		"$TOOL" report "$BATS_TEST_TMPDIR/cut.csv" --csv "$BATS_TEST_TMPDIR/s2.csv" >/dev/null 2>&1
		"$TOOL" report "$BATS_TEST_TMPDIR/v1.csv" --csv "$BATS_TEST_TMPDIR/s1.csv" >/dev/null 2>&1
		csv_load "$BATS_TEST_TMPDIR/s1.csv"
		[ "${C[switch_ins_unseen]}" = $((live_unseen + 1)) ]
		[ "${C[oncpu_from_kernel_s]}" = 0.000000 ]
		fcmp "abs(${C[oncpu_s]} - ($live_oncpu - $live_est - $stretch / 1e9)) < 3e-6"
		csv_load "$BATS_TEST_TMPDIR/s2.csv"
		[ "${C[switch_ins_unseen]}" = $((live_unseen + 1)) ]
		fcmp "abs(${C[oncpu_from_kernel_s]} - ($live_est + $estimate / 1e9)) < 2e-6"
		fcmp "abs(${C[oncpu_s]} - ($live_oncpu - ($stretch - $estimate) / 1e9)) < 2e-6"
		# the levels have the run too
		weighted=0
		for k in $(seq 1 15); do weighted="$weighted + $k * ${C[concurrency_${k}_s]}"; done
		fcmp "abs($weighted - ${C[oncpu_s]}) <= 0.02 * ${C[oncpu_s]}"
	done
}

# bats test_tags=root
@test "event CSV: futex calls, -p's task rows and every kind read back to the same bytes" {
	requires root btf
	local rt="$ROOT/.output/unit/evcsv_roundtrip" out="$BATS_TEST_TMPDIR/out.csv"
	# --syscalls: a row per futex call (a record with no comm of its own)
	"$TOOL" run thread-pingpong --rounds 300 --syscalls --events "$ev" >/dev/null 2>&1
	grep -q ',futex,' "$ev"
	run -0 "$rt" "$ev" "$out"
	cmp "$ev" "$out"
	# a call's word is whatever it was given: one above 2^62 (EFAULT) too
	"$TOOL" run --syscalls --events "$ev" -- "$PY" -c 'import ctypes, platform
nr = {"x86_64": 202, "aarch64": 98}[platform.machine()]
ctypes.CDLL(None, use_errno=True).syscall(nr, ctypes.c_void_p(0xfffffffffffff000), 1, 1, None, None, 0)' >/dev/null 2>&1
	grep -q ',futex,.*,18446744073709547520,' "$ev"
	run -0 "$rt" "$ev" "$out"
	cmp "$ev" "$out"
	run -0 "$TOOL" report "$ev"
	# -p: a task row for what it found; fork, exec, exit, waking, from a
	# tree that forks all along
	sh -c 'while :; do /bin/true; done' 3>&- &
	local sh=$!
	"$TOOL" run -p $sh --duration 0.3 --events "$ev.gz" >/dev/null 2>&1
	kill $sh
	run -0 "$rt" "$ev.gz" "$out"
	zcat "$ev.gz" | cmp - "$out"
	for k in task fork exec exit waking switch; do
		zgrep -q ",$k," "$ev.gz"
	done
}

# bats test_tags=root
@test "a comm with a comma, a quote and a newline round-trips" {
	requires root btf python3
	"$TOOL" run --events "$ev" --csv "$csv" -- "$PY" -c '
import ctypes, time
ctypes.CDLL(None).prctl(15, b"a,b\"c\nd", 0, 0, 0)
time.sleep(0.01)' >/dev/null 2>&1
	run -0 "$PY" - "$ev" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert any(r["comm"] == 'a,b"c\nd' for r in rows), set(r["comm"] for r in rows)
PY
	run -0 "$TOOL" report "$ev" --csv "$BATS_TEST_TMPDIR/off.csv"
	cmp "$csv" "$BATS_TEST_TMPDIR/off.csv"
	# the report's tables show it on one line, its newline a '?'
	[[ "$output" == *' a,b"c?d '* ]]
}

# bats test_tags=root
@test "an interrupted run leaves a valid event file marked partial" {
	requires root btf python3
	"$TOOL" run --events "$ev.gz" -- sleep 30 2>/dev/null &
	t=$!
	for _ in $(seq 100); do pgrep -x sleep -P "$t" >/dev/null && break; sleep 0.05; done
	kill -TERM "$t"
	wait "$t" || true
	run -0 gzip -t "$ev.gz"
	run -0 "$PY" - "$ev.gz" <<'PY'
import csv, gzip, sys
rows = list(csv.DictReader(gzip.open(sys.argv[1], "rt", newline="")))
meta = {r["key"]: r["value"] for r in rows if r["kind"] == "meta"}
assert meta["end"] == "partial" and meta["partial"] == "1", meta.get("end")
PY
	run -0 "$TOOL" report "$ev.gz"
	[[ "$output" == *"PARTIAL"* ]]
}

@test "tracer report: bad files are one-line errors" {
	requires python3
	f="$BATS_TEST_TMPDIR/f.csv"
	: > "$f"
	run --separate-stderr -1 "$TOOL" report "$f"
	[ "$stderr" = "tracer: error: $f: empty file" ]
	echo "a,b,c" > "$f"
	run --separate-stderr -1 "$TOOL" report "$f"
	[[ "$stderr" == "tracer: error: $f: not an event file of tracer"* ]]
	run --separate-stderr -1 "$TOOL" report "$BATS_TEST_TMPDIR/none.csv"
	[[ "$stderr" == "tracer: error: cannot open $BATS_TEST_TMPDIR/none.csv: No such file or directory" ]]
	printf '\x1f\x8b\x08\x00garbage' > "$f.gz"
	run --separate-stderr -1 "$TOOL" report "$f.gz"
	[[ "$stderr" == "tracer: error: $f.gz: "* ]]
	run --separate-stderr -64 "$TOOL" report
	[[ "${stderr_lines[0]}" == *"which event file?"* ]]
}

@test "tracer report: an output that names the event file is refused, the file kept" {
	local d="$BATS_TEST_TMPDIR/p"
	mkdir "$d"
	cp "$ROOT/tests/fixtures/golden/thread-pingpong.events.csv.gz" "$d/ev.csv.gz"
	cp "$d/ev.csv.gz" "$BATS_TEST_TMPDIR/orig"
	run --separate-stderr -64 "$TOOL" report "$d/ev.csv.gz" --csv "$d/../p/ev.csv.gz"
	[ "$stderr" = "tracer: error: --csv names the event file $d/ev.csv.gz: give the summary a name of its own" ]
	# the pictures' data files, beside the event file or the summary
	mv "$d/ev.csv.gz" "$d/timeline.csv"
	run --separate-stderr -64 "$TOOL" report "$d/timeline.csv" --plot "$d"
	[ "$stderr" = "tracer: error: --plot $d would write over $d/timeline.csv" ]
	run --separate-stderr -64 "$TOOL" report "$d/timeline.csv" --csv "$BATS_TEST_TMPDIR/latency.csv" \
		--plot "$BATS_TEST_TMPDIR"
	[ "$stderr" = "tracer: error: --plot $BATS_TEST_TMPDIR would write over $BATS_TEST_TMPDIR/latency.csv" ]
	cmp "$d/timeline.csv" "$BATS_TEST_TMPDIR/orig"
	[ "$(ls "$d")" = timeline.csv ]
}

@test "tracer report: usage errors name the command, as tracer run's do, and exit 64" {
	run --separate-stderr -64 "$TOOL" report
	[ "${#stderr_lines[@]}" = 2 ]
	[ "${stderr_lines[0]}" = "tracer report: which event file? (tracer run --events FILE writes one)" ]
	[ "${stderr_lines[1]}" = "Try \`tracer report --help' or \`tracer report --usage' for more information." ]
	run --separate-stderr -64 "$TOOL" report --no-such-option x.csv
	[ "${stderr_lines[0]}" = "tracer report: unrecognized option '--no-such-option'" ]
	run --separate-stderr -64 "$TOOL" report a.csv b.csv
	[ "${stderr_lines[0]}" = "tracer report: one event file at a time" ]
	run --separate-stderr -64 "$TOOL" report x.csv --csv
	[ "${stderr_lines[0]}" = "tracer report: option '--csv' requires an argument" ]
}

# bats test_tags=root
@test "tracer report: a truncated file or another schema version is refused" {
	requires root btf python3
	"$TOOL" run thread-pingpong --rounds 500 --events "$ev" >/dev/null 2>&1
	head -n 200 "$ev" > "$BATS_TEST_TMPDIR/cut.csv"
	run --separate-stderr -1 "$TOOL" report "$BATS_TEST_TMPDIR/cut.csv"
	[[ "$stderr" == *"incomplete: no end record"* ]]
	sed 's/,schema_version,3,,$/,schema_version,99,,/' "$ev" > "$BATS_TEST_TMPDIR/v99.csv"
	run --separate-stderr -1 "$TOOL" report "$BATS_TEST_TMPDIR/v99.csv"
	[[ "$stderr" == *"schema version 99, this tracer reads 1 to 3"* ]]
	# a -p task's CPU time at the end that is not a number
	sed 's/,t_end_ns,\([0-9]*\),,$/,runtime_end_5,abc,,/' "$ev" > "$BATS_TEST_TMPDIR/bad.csv"
	run --separate-stderr -1 "$TOOL" report "$BATS_TEST_TMPDIR/bad.csv"
	[ "${#stderr_lines[@]}" = 1 ]
	[[ "$stderr" == *"bad meta value runtime_end_5=abc"* ]]
}

# bats test_tags=root
@test "tracer report: a row of the wrong width, an open quote or a NUL byte is one line with its line number" {
	requires root btf python3
	"$TOOL" run thread-pingpong --rounds 500 --events "$ev" >/dev/null 2>&1
	f="$BATS_TEST_TMPDIR/f.csv"
	# cut inside a row, as a killed run leaves it
	head -n 200 "$ev" > "$f"
	printf %s "$(sed -n 201p "$ev" | cut -d, -f1-5)" >> "$f"
	run --separate-stderr -1 "$TOOL" report "$f"
	[ "$stderr" = "tracer: error: $f: line 201: 5 fields, the header has 35" ]
	sed '100a 1,2,3' "$ev" > "$f"
	run --separate-stderr -1 "$TOOL" report "$f"
	[ "$stderr" = "tracer: error: $f: line 101: 3 fields, the header has 35" ]
	sed '100s/$/,x/' "$ev" > "$f"
	run --separate-stderr -1 "$TOOL" report "$f"
	[ "$stderr" = "tracer: error: $f: line 100: 36 fields, the header has 35" ]
	sed '$s/,end,/,"end,/' "$ev" > "$f"
	run --separate-stderr -1 "$TOOL" report "$f"
	[ "$stderr" = "tracer: error: $f: line $(wc -l < "$ev"): quoted field never closed (end of input)" ]
	sed '100s/,/,\x00/' "$ev" > "$f"
	run --separate-stderr -1 "$TOOL" report "$f"
	[ "$stderr" = "tracer: error: $f: line 100: NUL byte in a field" ]
}

# bats test_tags=root
@test "tracer report: a row after the end row is a one-line error" {
	requires root btf
	"$TOOL" run thread-pingpong --rounds 500 --events "$ev" >/dev/null 2>&1
	f="$BATS_TEST_TMPDIR/f.csv"
	last=$(wc -l < "$ev")
	{ cat "$ev"; sed -n 100p "$ev"; } > "$f"
	run --separate-stderr -1 "$TOOL" report "$f"
	[ "$stderr" = "tracer: error: $f: line $((last + 1)): a row after the end row" ]
	{ cat "$ev"; tail -n 1 "$ev"; } > "$f"
	run --separate-stderr -1 "$TOOL" report "$f"
	[ "$stderr" = "tracer: error: $f: line $((last + 1)): a row after the end row" ]
}

# bats test_tags=root
@test "tracer report: the temporary file a killed run leaves is a one-line error" {
	requires root btf
	# the events reach the file after the command, from the capture: killed
	# while the workload runs, the file is empty or has its header at most;
	# killed while it is written, it stops mid-row or before its end row
	for when in running writing; do
		"$TOOL" run thread-pingpong --rounds 500000 --events "$ev" >/dev/null 2>&1 &
		t=$!
		for _ in $(seq 400); do
			tmp=$(ls "$ev".* 2>/dev/null) || true
			if [ "$when" = running ]; then
				wl=$(pgrep -P "$t") && [ -n "$tmp" ] && break
			elif [ -n "$tmp" ] && [ "$(stat -c %s "$tmp")" -gt 1000000 ]; then
				break
			fi
			sleep 0.02
		done
		wl=$(pgrep -P "$t") || true
		kill -KILL "$t"
		wait "$t" || true
		# gone already, as a rule: its death signal came with tracer's
		[ -z "$wl" ] || kill -KILL $wl 2>/dev/null || true
		[ -n "$tmp" ]
		run --separate-stderr -1 "$TOOL" report "$tmp"
		[ "${#stderr_lines[@]}" = 1 ]
		[[ "$stderr" =~ ^"tracer: error: $tmp: "("empty file"|"line "[0-9]+": "[0-9]+" fields, the header has 35"|"incomplete: no end record".*)$ ]]
		rm -f "$tmp"
	done
}

@test "tracer report: a file cut inside its last field is incomplete, not a bad value" {
	# a killed run's file may stop inside a waking row's wake_by ("fut"):
	# as many fields as the header, the last cut short (CI saw "bad wake_by")
	local f="$BATS_TEST_TMPDIR/cut.csv" n
	zcat "$ROOT/tests/fixtures/golden/thread-pingpong.events.csv.gz" >"$f.all"
	n=$(grep -n ',waking,.*,futex$' "$f.all" | sed -n 10p | cut -d: -f1)
	[ -n "$n" ]
	head -n "$n" "$f.all" | head -c -3 >"$f"
	[ "$(tail -c 4 "$f")" = ",fut" ]
	run --separate-stderr -1 "$TOOL" report "$f"
	[ "$stderr" = "tracer: error: $f: incomplete: no end record (line $n cut short: the run that wrote it did not finish)" ]
	# the same rows whole, with their newline: read on to the missing end row
	head -n "$n" "$f.all" >"$f"
	run --separate-stderr -1 "$TOOL" report "$f"
	[ "$stderr" = "tracer: error: $f: incomplete: no end record (the run that wrote it did not finish)" ]
}

@test "tracer report: a header the reader refuses is said once" {
	f="$BATS_TEST_TMPDIR/wide.csv"
	seq -s, 300000 > "$f"
	run --separate-stderr -1 "$TOOL" report "$f"
	[ "$stderr" = "tracer: error: $f: line 1: more than 4096 fields" ]
}

# bats test_tags=root
@test "tracer report: a damaged gzip file is one line, without a line number" {
	requires root btf python3
	"$TOOL" run thread-pingpong --rounds 500 --events "$ev.gz" >/dev/null 2>&1
	f="$BATS_TEST_TMPDIR/f.csv.gz"
	flip_crc() {
		"$PY" -c 'import sys; p = sys.argv[1]; b = bytearray(open(p, "rb").read())
b[-6] ^= 0xff; open(p, "wb").write(b)' "$1"
	}
	cp "$ev.gz" "$f"
	flip_crc "$f"
	run --separate-stderr -1 "$TOOL" report "$f"
	[ "$stderr" = "tracer: error: $f: corrupt gzip data (incorrect data check)" ]
	# small enough that the header's read meets the error
	gzip -dc "$ev.gz" | head -n 50 | gzip > "$f"
	flip_crc "$f"
	run --separate-stderr -1 "$TOOL" report "$f"
	[ "$stderr" = "tracer: error: $f: corrupt gzip data (incorrect data check)" ]
	head -c $(($(stat -c %s "$ev.gz") / 2)) "$ev.gz" > "$f"
	run --separate-stderr -1 "$TOOL" report "$f"
	[ "$stderr" = "tracer: error: $f: truncated gzip data" ]
	{ cat "$ev.gz"; echo garbage; } > "$f"
	run --separate-stderr -1 "$TOOL" report "$f"
	[ "$stderr" = "tracer: error: $f: data after the end of the gzip stream" ]
	# a second member cut short in its header, or before its first block
	{ cat "$ev.gz"; printf '\037\213'; } > "$f"
	run --separate-stderr -1 "$TOOL" report "$f"
	[ "$stderr" = "tracer: error: $f: truncated gzip data" ]
	{ cat "$ev.gz"; gzip -dc "$ev.gz" | gzip | head -c 10; } > "$f"
	run --separate-stderr -1 "$TOOL" report "$f"
	[ "$stderr" = "tracer: error: $f: truncated gzip data" ]
	# gzip's members one after another are one stream (RFC 1952)
	{ gzip -dc "$ev.gz" | head -n 100 | gzip; gzip -dc "$ev.gz" | tail -n +101 | gzip; } > "$f"
	run -0 "$TOOL" report "$f"
}

@test "tracer report: a directory cannot be opened" {
	run --separate-stderr -1 "$TOOL" report "$BATS_TEST_TMPDIR"
	[ "$stderr" = "tracer: error: cannot open $BATS_TEST_TMPDIR: Is a directory" ]
}

@test "tracer report: interrupted, it writes no report and leaves no file" {
	requires python3
	local d="$BATS_TEST_TMPDIR/out" fifo="$BATS_TEST_TMPDIR/ev.csv" sig rc
	mkdir "$d"
	for sig in INT TERM; do
		rm -f "$fifo" "$BATS_TEST_TMPDIR/going"
		mkfifo "$fifo"
		# an event file that never ends: a golden file's rows before its end
		# rows, its events again and again; "going" once 200,000 are out
		"$PY" - "$ROOT/tests/fixtures/golden/thread-pingpong.events.csv.gz" "$fifo" \
			"$BATS_TEST_TMPDIR/going" <<'PY' 3>&- &
import gzip, sys
rows = gzip.open(sys.argv[1], "rt", newline="").read().splitlines(True)
head = [r for r in rows if ",meta," not in r or "t_end_ns" not in r]
head = head[:head.index(next(r for r in head if ",switch," in r))]
events = "".join(r for r in rows if ",meta," not in r[:40] and r not in head)
out, n = open(sys.argv[2], "w"), 0
out.write("".join(head))
try:
    while True:
        out.write(events)
        n += events.count("\n")
        if n > 200000 and n - events.count("\n") <= 200000:
            open(sys.argv[3], "w").close()
except BrokenPipeError:
    pass
PY
		w=$!
		"$TOOL" report "$fifo" --csv "$d/o.csv" >"$BATS_TEST_TMPDIR/report" \
			2>"$BATS_TEST_TMPDIR/err" 3>&- &
		t=$!
		for _ in $(seq 200); do [ -e "$BATS_TEST_TMPDIR/going" ] && break; sleep 0.05; done
		[ -e "$BATS_TEST_TMPDIR/going" ]
		kill -"$sig" "$t"
		rc=0
		wait "$t" || rc=$?
		kill "$w" 2>/dev/null || true
		echo "SIG$sig: exit $rc: $(cat "$BATS_TEST_TMPDIR/err")"
		# 128 + the signal's number, as a shell reports a process it killed
		[ "$rc" = $((128 + $(kill -l "$sig"))) ]
		[ "$(cat "$BATS_TEST_TMPDIR/err")" = "tracer: error: interrupted: $fifo not read to its end, no report written" ]
		[ ! -s "$BATS_TEST_TMPDIR/report" ]
		[ -z "$(ls -A "$d")" ]	# neither the CSV nor its temporary file
	done
}

# bats test_tags=root
@test "--timeline: intervals of running and runnable tasks and CPU shares" {
	requires root btf python3
	tl="$BATS_TEST_TMPDIR/tl.csv"
	run --separate-stderr -0 "$TOOL" run thread-pingpong --rounds 3000 --timeline "$tl" --interval 5 \
		--csv "$csv"
	[[ "$stderr" == *"tasks running over time: "* ]]
	csv_load "$csv"
	levels=0
	for k in $(seq 1 15); do levels="$levels + $k * ${C[concurrency_${k}_s]}"; done
	# the running tasks are the replay's concurrency level: their task-time
	# is the levels', to the rounding of 3 decimals an interval (and runs
	# rebuilt from the kernel's count, added where they ran). A switch-out
	# the kernel did not report lowers the level from its last change, a
	# time the timeline has passed: then they may differ, and it is said.
	run -0 "$PY" - "$tl" "$(nproc)" "$("$PY" -c "print($levels)")" "${C[oncpu_from_kernel_s]}" \
		"${C[switch_outs_unseen]}" "${C[switches]}" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
ncpus = int(sys.argv[2])
# the switches of each interval add up to the run's, which rusage checks
if not int(sys.argv[5]):
    assert sum(int(r["switches"]) for r in rows) == int(sys.argv[6]), (sys.argv[6], len(rows))
task_s = sum(float(r["running_avg"]) * float(r["interval_ms"]) / 1e3 for r in rows)
if int(sys.argv[5]):
    print(f"{sys.argv[5]} switch-outs unseen: timeline {task_s} task-s, levels {sys.argv[3]}")
else:
    assert abs(task_s - float(sys.argv[3])) <= len(rows) * 2.6e-6 + float(sys.argv[4]) + 2e-6, \
        (task_s, sys.argv[3], len(rows))
assert rows and list(rows[0])[:3] == ["interval_start_ms", "running_avg", "runnable_avg"]
for i, r in enumerate(rows):
    assert abs(float(r["interval_start_ms"]) - 5 * i) < 1e-6
    last = i == len(rows) - 1
    assert 0 < float(r["interval_ms"]) <= 5 if last else float(r["interval_ms"]) == 5
    assert 0 <= float(r["running_avg"]) <= ncpus + 1e-6
    assert float(r["runnable_avg"]) >= 0
    for c in range(ncpus):
        assert 0 <= float(r[f"cpu{c}_tree_pct"]) <= 100.0001, (i, r)
# a same-CPU ping-pong keeps about one task running
assert max(float(r["running_avg"]) for r in rows) > 0.5
PY
	# one interval longer than the run: its averages are over the run
	"$TOOL" run --timeline "$tl" --interval 60000 --csv "$csv" -- \
		sh -c 'i=0; while [ $i -lt 200000 ]; do i=$((i + 1)); done' 2>/dev/null
	csv_load "$csv"
	# (the window: wall_s begins later, at the command's start)
	run -0 "$PY" - "$tl" "${C[parallelism_avg]}" "${C[window_s]}" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert len(rows) == 1, rows
r = rows[0]
assert abs(float(r["running_avg"]) - float(sys.argv[2])) <= 0.01, (r, sys.argv[2])
assert abs(float(r["interval_ms"]) / 1e3 - float(sys.argv[3])) <= 0.0011, (r, sys.argv[3])
PY
}

# bats test_tags=root
@test "--perfetto: ftrace text lines Perfetto parses, one sched_switch per switch event, under ftrace's header" {
	requires root btf python3
	pf="$BATS_TEST_TMPDIR/trace.txt"
	"$TOOL" run process-pingpong --rounds 1000 --perfetto "$pf" --csv "$csv" >/dev/null 2>&1
	[ "$(head -1 "$pf")" = "# tracer: nop" ]
	run -0 "$PY" - "$pf" "$csv" <<'PY'
import csv, re, sys
line = re.compile(r"^ *\S.{0,15}-\d+ +\( *\d+\) \[\d{3}\] \S{5} \d+\.\d{6}: "
                  r"(sched_switch|sched_waking|sched_wakeup_new|sched_process_fork|"
                  r"sched_process_exit|task_rename): (.*)$")
sw = re.compile(r"prev_comm=\S+ prev_pid=\d+ prev_prio=-?\d+ prev_state=(R\+?|[SDTtXZPI]) "
                r"==> next_comm=\S+ next_pid=\d+ next_prio=-?\d+$")
# ftrace's five flag columns (irqs-off .. migrate-disable), over the lines' own
head = [l for l in open(sys.argv[1]) if l.startswith("#")]
flags = re.search(r"\|+", next(l for l in head if "TASK-PID" in l)).span()
assert flags[1] - flags[0] == 5 and sum("=>" in l for l in head) == 5, head
n = 0
for l in open(sys.argv[1]):
    if l.startswith("#"):
        continue
    m = line.match(l.rstrip("\n"))
    assert m, l
    assert re.search(r"\] (\S+) ", l).span(1) == flags, l
    if m.group(1) == "sched_switch":
        assert sw.match(m.group(2)), l
        n += 1
s = next(csv.DictReader(open(sys.argv[2], newline="")))
assert n == int(s["events_switch"]), (n, s["events_switch"])
PY
}

# pf_states TRACE EVENTS: each sched_switch line of TRACE has the prev_state
# ftrace prints for its switch row of EVENTS (both are written in one order);
# prints how many lines have each letter, e.g. "R=3 R+=1 S=20".
pf_states() {
	"$PY" - "$1" "$2" <<'PY'
import collections, csv, re, sys

def letter(state, preempt):
    # the kernel's __task_state_index(): TASK_IDLE is I, RTLOCK_WAIT and
    # FROZEN are D, else the highest TASK_REPORT bit; the record has no
    # exit_state, so TASK_DEAD is X
    if preempt:
        return "R+"
    if state & 0x402 == 0x402:
        return "I"
    if state & 0x9000:
        return "D"
    if state & 0x80:
        return "X"
    return "RSDTtXZP"[(state & 0x7f).bit_length()]

rows = [r for r in csv.DictReader(open(sys.argv[2], newline="")) if r["kind"] == "switch"]
lines = [l for l in open(sys.argv[1]) if ": sched_switch: " in l]
assert len(rows) == len(lines), (len(rows), len(lines))
n = collections.Counter()
for r, l in zip(rows, lines):
    m = re.search(r" prev_pid=(\d+) prev_prio=-?\d+ prev_state=(\S+) ", l)
    want = letter(int(r["prev_state"]), int(r["preempt"]))
    assert m and m.group(1) == r["tid"] and m.group(2) == want, (l, r["prev_state"], r["preempt"])
    n[want] += 1
print(" ".join(f"{k}={v}" for k, v in sorted(n.items())))
PY
}

# bats test_tags=root
@test "--perfetto: prev_state R+ only for a preempted task, R for one that yielded" {
	requires root btf python3
	pf="$BATS_TEST_TMPDIR/trace.txt"
	# two processes on one CPU hand it to each other with sched_yield: each
	# waits for its turn (a shared byte) yielding, so every turn passed is
	# a switch (yielding alone, EEVDF let one finish its 100 yields before
	# the other was eligible: 5 switches once)
	"$TOOL" run --perfetto "$pf" --events "$ev" -- "$PY" -c '
import mmap, os
os.sched_setaffinity(0, {0})
turn = mmap.mmap(-1, 1)
pid = os.fork()
me = 0 if pid else 1
for _ in range(100):
    while turn[0] != me:
        os.sched_yield()
    turn[0] = 1 - me
if pid:
    os.waitpid(pid, 0)' >/dev/null 2>&1
	run -0 pf_states "$pf" "$ev"
	[[ " $output" =~ \ R=[0-9]{2,} ]]
}

# bats test_tags=root
@test "--perfetto: prev_state I for TASK_IDLE (a thread waiting out its process's core dump)" {
	requires root btf python3
	pf="$BATS_TEST_TMPDIR/trace.txt"
	# the other threads of a dumping process wait in TASK_IDLE; no core file
	run -134 "$TOOL" run --perfetto "$pf" --events "$ev" -- "$PY" -c '
import os, resource, threading
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
threading.Thread(target=threading.Event().wait, daemon=True).start()
os.abort()'
	run -0 pf_states "$pf" "$ev"
	grep -q 'prev_comm=python3 .* prev_state=I ' "$pf"
}

# bats test_tags=root
@test "--perfetto: sched_wakeup_new's target_cpu is where the new task was placed (the event CSV's orig_cpu)" {
	requires root btf python3
	pf="$BATS_TEST_TMPDIR/trace.txt"
	"$TOOL" run spawn --count 20 --unit thread --events "$ev" --perfetto "$pf" >/dev/null 2>&1
	run -0 "$PY" - "$pf" "$ev" <<'PY'
import csv, re, sys
rows = [r for r in csv.DictReader(open(sys.argv[2], newline="")) if r["kind"] != "meta"]
placed = {r["tid"]: r["orig_cpu"] for r in rows if r["kind"] == "wakeup_new"}
# orig_cpu is where the task first runs, unless it migrated before that
# (or its first switch-in is one the kernel did not report: no such row)
first = {}
for r in rows:
    if r["kind"] == "migrate" and r["tid"] in placed and r["tid"] not in first:
        first[r["tid"]] = None
    if r["kind"] == "switch" and r["next_tid"] in placed and r["next_tid"] not in first:
        first[r["next_tid"]] = r["cpu"]
assert sum(first.get(t) == c for t, c in placed.items()) >= 5, (placed, first)
assert all(first.get(t) in (c, None) for t, c in placed.items()), (placed, first)
n = 0
for l in open(sys.argv[1]):
    m = re.search(r": sched_wakeup_new: comm=\S+ pid=(\d+) prio=-?\d+ target_cpu=(\d+)$", l)
    if m:
        assert int(m.group(2)) == int(placed[m.group(1)]), (l, placed[m.group(1)])
        n += 1
assert n == len(placed) >= 20, (n, len(placed))
PY
}

# bats test_tags=root
@test "--perfetto: a comm's bytes other than printable ASCII become _ (tab, control, non-UTF-8, space)" {
	requires root btf
	pf="$BATS_TEST_TMPDIR/trace.txt"
	odd="$BATS_TEST_TMPDIR/"$'t\tb\001\376 x'
	ln -s /bin/sleep "$odd"
	"$TOOL" run --perfetto "$pf" -- "$odd" 0.01 >/dev/null 2>&1
	grep -q ' task_rename: pid=[0-9]* oldcomm=[^ ]* newcomm=t_b___x ' "$pf"
	grep -q ' prev_comm=t_b___x ' "$pf"
	# every line is printable ASCII
	run ! env LC_ALL=C grep -q '[^ -~]' "$pf"
}

# bats test_tags=root
@test "--perfetto: wakers, the creator waking a new task and a comm before exec are named from earlier lines" {
	requires root btf python3
	pf="$BATS_TEST_TMPDIR/trace.txt"
	"$TOOL" run --perfetto "$pf" -- sh -c 'sleep .01; sleep .01' >/dev/null 2>&1
	run -0 "$PY" - "$pf" <<'PY'
import collections, re, sys
head = re.compile(r"^ *(\S.{0,15})-(\d+) +\( *(\d+)\) \[\d{3}\] \S{5} \d+\.\d{6}: (\w+): (.*)$")
known, forked, given, n = {}, {}, {}, collections.Counter()
for l in open(sys.argv[1]):
    if l.startswith("#"):
        continue
    task, tid, tgid, ev, body = head.match(l.rstrip("\n")).groups()
    a = dict(kv.split("=", 1) for kv in body.split() if "=" in kv)
    # ftrace's name of tid 0, every CPU's idle task
    assert (task == "<idle>") == (tid == "0"), l
    if ev == "sched_waking" and tid in known:
        assert task == known[tid], (l, known[tid])
        n["waker"] += 1
    elif ev == "sched_wakeup_new":
        assert (task, tid, tgid) == forked[a["pid"]], (l, forked[a["pid"]])
        n["creator"] += 1
    elif ev == "sched_process_fork":
        # the child's comm is a copy of the parent's
        assert a["comm"] == a["child_comm"] == known.get(a["pid"], a["comm"]), l
        forked[a["child_pid"]] = (a["comm"], a["pid"], tgid)
        given[a["child_pid"]] = a["child_comm"]
    elif ev == "task_rename":
        # the comm its fork or last exec gave it (a switch inside the exec
        # may show the new one before this line)
        assert a["oldcomm"] == given[a["pid"]], (l, given[a["pid"]])
        given[a["pid"]] = a["newcomm"]
        n["renamed"] += a["oldcomm"] != a["newcomm"]
    if task != "<...>" and tid != "0":
        known[tid] = task
    for p, c in (("prev_pid", "prev_comm"), ("next_pid", "next_comm"), ("pid", "comm"),
                 ("child_pid", "child_comm"), ("pid", "newcomm")):
        if p in a and c in a and a[p] != "0":
            known[a[p]] = a[c]
# tracer -> sh -> sleep, sleep; sh creates and is woken by each sleep
assert n["waker"] >= 2 and n["creator"] >= 3 and n["renamed"] >= 3, n
PY
}

@test "output options must name different files, however spelled; none may be empty" {
	cd "$BATS_TEST_TMPDIR"
	for pair in "x.csv x.csv" "x.csv ./x.csv" "x.csv $BATS_TEST_TMPDIR/x.csv" \
		    "x.csv ../${BATS_TEST_TMPDIR##*/}/x.csv"; do
		set -- $pair
		run --separate-stderr -64 "$TOOL" run --events "$1" --timeline "$2" -- echo RAN
		[ "$stderr" = "tracer: error: two output options name the same file" ]
		[ -z "$output" ]
	done
	touch y.csv		# an existing file, through a symlink to its directory
	ln -s . here
	run --separate-stderr -64 "$TOOL" run --csv y.csv --perfetto here/y.csv -- true
	for opt in --csv --events --timeline --perfetto; do
		run --separate-stderr -64 "$TOOL" run "$opt" "" -- echo RAN
		[ "${stderr_lines[0]}" = "tracer run: ${opt} needs a file name" ]
		[ -z "$output" ]
	done
}

@test "tracer report: an enormous line is refused, not a crash" {
	requires python3
	f="$BATS_TEST_TMPDIR/big.csv"
	"$PY" -c '
import sys
from pathlib import Path
cols = "ts_ns,ts_boot_ns,cpu,kind,pid,tid,comm,prio,prev_state,preempt,prev_tree,next_tree,next_pid,next_tid,next_comm,next_prio,knl_nvcsw,knl_nivcsw,waker_pid,waker_tid,target_cpu,parent_pid,parent_tid,clone_ts_ns,exit_code,orig_cpu,dest_cpu,op,uaddr,duration_ns,result,key,value"
Path(sys.argv[1]).write_text(cols + "\n" + ",,,meta" + "," * 28 + "x," + "y" * 5000000 + "\n")' "$f"
	run --separate-stderr -1 "$TOOL" report "$f"
	[[ "$stderr" == "tracer: error: $f: line 2: "* ]]
}

# bats test_tags=root
@test "-p with --events: task rows for the running tree, and report reproduces the summary" {
	requires root btf python3
	sh -c 'while :; do sleep 0.02; done' &
	bg=$!
	run -0 "$TOOL" run -p "$bg" --duration 0.3 --events "$ev" --csv "$csv"
	kill "$bg"
	grep -q ',task,' "$ev"
	"$TOOL" report "$ev" --csv "$BATS_TEST_TMPDIR/off.csv" >/dev/null
	cmp "$csv" "$BATS_TEST_TMPDIR/off.csv"
}

# bats test_tags=root
@test "-p with --events: events are read while the tree runs, none lost" {
	requires root btf python3
	# not pinned (--cpus any): pinned to CPU 0 with something else busy
	# there, it made as few as 8 records in the 2 s
	"$WLDIR/pingpong" --ipc pipe --cpus any --rounds 100000000 >/dev/null &
	bg=$!
	# attached once it hands off (its second thread is there): before, it
	# times its pipe calls alone, which takes no switch
	for _ in $(seq 100); do
		tasks=(/proc/"$bg"/task/*)
		[ "${#tasks[@]}" -ge 2 ] && break
		sleep 0.05
	done
	# The stream runs at 0.2-1.2M records/s. The host takes a vCPU away
	# for 20-45 ms at a time, several times a run (steal, with the reader
	# not waiting to run): a 4 MiB ring (~40 ms of 1.2M/s) lost 146,706
	# once on CI. 64 MiB holds ~0.6 s of the fastest stream.
	cap="$BATS_TEST_TMPDIR/run.cap"
	run "$TOOL" run -p "$bg" --duration 2 --ring-mb 64 --events "$ev" --csv "$csv" \
		--capture "$cap"
	kill "$bg"	# also when tracer failed: no spinning pair left behind
	[ "$status" -eq 0 ]
	# Read while it ran: a mark (a time, docs/formats.md "Capture file")
	# is written after the ring was read up to it; the reader writes one
	# every ~10 ms while tracing, and marks of all time (2^64 - 1) at the
	# end. Most chunks come before the last mark written while tracing.
	run -0 "$PY" - "$csv" "$cap" <<'PY'
import csv, struct, sys
s = next(csv.DictReader(open(sys.argv[1], newline="")))
assert s["events_lost"] == "0", (s["events_lost"], s["events_written"], s["steal_s"])
assert int(s["events_written"]) > 150000, s["events_written"]
b = open(sys.argv[2], "rb").read()
assert b[:8] == b"tracecap", b[:8]
off, chunks, marks, before = 32, 0, [], 0
while off + 8 <= len(b):
    t, n = struct.unpack_from("<II", b, off)
    p = b[off + 8:off + 8 + n]
    off += 8 + n + (-n % 8)
    if t == 1:
        chunks += n
    elif t == 2:
        (at,) = struct.unpack("<Q", p)
        if at != 2**64 - 1:
            marks.append(at)
            before = chunks
assert off == len(b), (off, len(b))
assert len(marks) >= 20 and marks == sorted(marks), (len(marks), marks[:5])
assert before > chunks / 2, (before, chunks)
PY
}

# bats test_tags=root
@test "event rows are in time order across CPUs (records are staged per CPU)" {
	requires root btf python3
	[ "$(nproc)" -ge 2 ] || skip "needs two CPUs"
	"$TOOL" run thread-pingpong --cpus cross --rounds 3000 --events "$ev" --csv "$csv" >/dev/null 2>&1
	run -0 "$PY" - "$ev" "$csv" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], newline="")) if r["kind"] not in ("meta", "task")]
cpus = {r["cpu"] for r in rows}
assert len(cpus) == 2, cpus
ts = [int(r["ts_ns"]) for r in rows]
bad = [i for i in range(1, len(ts)) if ts[i] < ts[i - 1]]
assert not bad, (len(bad), rows[bad[0] - 1], rows[bad[0]])
s = next(csv.DictReader(open(sys.argv[2], newline="")))
assert s["events_lost"] == "0" and int(s["events_written"]) == len(rows)
PY
}

# bats test_tags=root
@test "records say a task's comm and prio anew after a rename or a new nice, though a chunk says each once" {
	requires root btf python3
	# 24 threads (a stage remembers 16 tasks: slots shared) pass a token
	# around a ring on one CPU, 40 laps; at each turn a thread renames
	# itself (odd laps) or sets a new nice (even laps): tests/progs/col_rename.c
	run -0 "$TOOL" run --events "$ev" --csv "$csv" -- "$PROGS/col_rename" 24 40
	run -0 "$PY" - "$ev" "$csv" 24 40 "$output" <<'PY'
import csv, re, sys
evf, sf, n, laps, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
idx = {int(m[1]): int(m[2]) for m in re.finditer(r"tid=(\d+) i=(\d+)", out)}
assert len(idx) == n, out
rows = [r for r in csv.DictReader(open(evf, newline="")) if r["kind"] in ("switch", "waking")]
s = next(csv.DictReader(open(sf, newline="")))
assert s["events_lost"] == "0" and int(s["events_switch"]) > n * laps, s["events_switch"]
assert all(r["comm"] for r in rows), "a record without its comm"
def states(i):	# (comm, prio) of thread i after each lap, 0: before its first turn
    st, name, nice = [("col_rename", 120)], "col_rename", 0
    for k in range(1, laps + 1):
        if k % 2:
            name = "rn%d-%d" % (i, k)
        else:
            nice = k // 2 % 8
        st.append((name, 120 + nice))
    return st
want = {t: states(i) for t, i in idx.items()}
at = {t: 0 for t in idx}		# the state a thread's last mention was in
covered = {t: set() for t in idx}
mentions = 0
for r in rows:
    sides = [(r["tid"], r["comm"], r["prio"])]
    if r["kind"] == "switch":
        sides.append((r["next_tid"], r["next_comm"], r["next_prio"]))
    for tid, comm, prio in sides:
        t = int(tid)
        if t not in want:
            continue
        o, w, j = (comm, int(prio)), want[t], at[t]
        while j <= laps and w[j] != o:	# states only move on
            j += 1
        assert j <= laps, (t, o, "after", w[at[t]])
        at[t] = j
        covered[t].add(j)
        mentions += 1
# between two turns a thread leaves the CPU: a row shows each state
for t, c in covered.items():
    assert set(range(1, laps + 1)) <= c, (t, sorted(set(range(1, laps + 1)) - c))
print(mentions)
PY
	[ "$output" -gt $((2 * 24 * 40)) ]
}

# bats test_tags=root
@test "records the ring had no room for are counted per kind: rows + lost = the kernel's count" {
	requires root btf python3
	"$TOOL" run thread-pingpong --ipc pipe --rounds 600000 --ring-mb 1 --events "$ev" \
		--csv "$csv" >/dev/null 2>&1 &
	t=$!
	# switches of the ping-pong so far (its threads' own counts), once both run
	wl_switches() {
		cat /proc/"$wl"/task/*/status 2>/dev/null |
			awk '/^voluntary_ctxt_switches/ { s += $2 } END { print s + 0 }'
	}
	for _ in $(seq 400); do
		wl=$(pgrep -P "$t" pingpong || true)
		if [ -n "$wl" ] && [ "$(ls /proc/"$wl"/task 2>/dev/null | wc -l)" -ge 2 ]; then break; fi
		sleep 0.05
	done
	[ -n "$wl" ]
	kill -STOP "$t"		# the reader stops; the programs go on
	# until the ring (1 MiB: ~13,000 records) must have overflowed: 30,000
	# more switches, each a record (a stop 0.5 s into the run, for a fixed
	# second, lost nothing once on a loaded machine)
	n0=$(wl_switches)
	for _ in $(seq 400); do
		if [ "$(wl_switches)" -gt $((n0 + 30000)) ] || [ ! -d /proc/"$wl" ]; then break; fi
		sleep 0.05
	done
	kill -CONT "$t"
	wait "$t"
	run -0 "$PY" - "$ev" "$csv" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], newline="")) if r["kind"] not in ("meta", "task")]
s = next(csv.DictReader(open(sys.argv[2], newline="")))
n = lambda k: sum(r["kind"] == k for r in rows)
assert int(s["events_lost_switch"]) > 0, "nothing lost: the test did not fill the ring"
assert n("switch") + int(s["events_lost_switch"]) == int(s["events_switch"])
assert n("waking") + int(s["events_lost_waking"]) == int(s["wakeups"])
assert int(s["events_written"]) == len(rows)
PY
	# offline, the figures come from what was kept: said so, and no level
	# above the tree's two tasks from a switch-out lost
	run -0 --separate-stderr "$TOOL" report "$ev" --csv "$BATS_TEST_TMPDIR/off.csv"
	[[ "$stderr" == *"event records were lost when it was written"*"incomplete" ]]
	csv_load "$BATS_TEST_TMPDIR/off.csv"
	fcmp "${C[concurrency_3_s]:-0} == 0"
}

@test "reorder: records of up to 64 CPUs, in chunks in any order, come out once and in time order" {
	run -0 "$ROOT/.output/unit/reorder_check"
}

@test "histogram slots: histslot.h's branch-free log2 follows the rule events.h states" {
	run -0 "$ROOT/.output/unit/hist_check"
}

# bats test_tags=root
@test "a kernel without BPF_PROG_TEST_RUN: --events fails in one line, leaves no file or program" {
	requires root btf
	# 10: BPF_PROG_TEST_RUN, how the reader has each CPU flush its stage
	mkdir "$BATS_TEST_TMPDIR/out"
	run -1 --separate-stderr "$ROOT/.output/unit/deny_bpf" 10 \
		"$TOOL" run --events "$BATS_TEST_TMPDIR/out/ev.csv" -- true
	[ "${#stderr_lines[@]}" = 1 ]
	[[ "$stderr" == *"cannot flush the CPUs' event stages"* ]]
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/out")" ]
	no_bpf_left
	# the summary mode does not need it
	run -0 "$ROOT/.output/unit/deny_bpf" 10 "$TOOL" run --csv "$csv" -- true
}
