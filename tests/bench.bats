#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# tools/bench: its interface and the shape of its CSV. Timings are never
# asserted (the machine is shared); --smoke runs each contender once.
bats_require_minimum_version 1.5.0

setup() {
	load helpers
	BENCH="$ROOT/tools/bench"
}

@test "bench: --help names the options" {
	requires python3
	run -0 "$BENCH" --help
	[[ "$output" == *"--quick"*"--csv"* ]]
}

@test "bench: an unknown section is a usage error" {
	requires python3
	run --separate-stderr -2 "$BENCH" --only nosuch
	[[ "$stderr" == *"--only: unknown section 'nosuch'"* ]]
}

@test "bench: --readme needs one pair of its markers, checked before any run" {
	requires python3
	printf '# x\nno block here\n' >"$BATS_TEST_TMPDIR/r.md"
	run --separate-stderr -2 "$BENCH" --readme "$BATS_TEST_TMPDIR/r.md"
	[[ "$stderr" == *"--readme: $BATS_TEST_TMPDIR/r.md needs one '<!-- make bench: targets -->' line"* ]]
	printf '<!-- /make bench: targets -->\n<!-- make bench: targets -->\n' >"$BATS_TEST_TMPDIR/r.md"
	run --separate-stderr -2 "$BENCH" --readme "$BATS_TEST_TMPDIR/r.md"
	[[ "$stderr" == *"needs one '<!-- make bench: targets -->' line, then one"* ]]
	run --separate-stderr -2 "$BENCH" --readme "$BATS_TEST_TMPDIR/nosuch.md"
	[[ "$stderr" == *"--readme: $BATS_TEST_TMPDIR/nosuch.md: No such file or directory"* ]]
}

# bats test_tags=root
@test "bench: --smoke writes one row per figure with every column" {
	requires root btf python3
	csv="$BATS_TEST_TMPDIR/bench.csv"
	was=$(cat /proc/sys/kernel/bpf_stats_enabled)
	md="$BATS_TEST_TMPDIR/perf.md" readme="$BATS_TEST_TMPDIR/README.md"
	cp "$ROOT/README.md" "$readme"
	# a guard against a hang, not a time limit: ~45 s here, every
	# contender once (the budget only ends passes, and smoke makes one)
	run -0 timeout 450 "$BENCH" --smoke --no-install --csv "$csv" --markdown "$md" --readme "$readme"
	[[ "$output" == *"contender"*"figure"*"value"*"target"*"met"* ]]
	[ "$(head -1 "$md")" = "# Performance" ]
	grep -q '^| tracer | added round-trip time, pipe-process | ' "$md"
	# the README's block holds the figures with a target, and nothing else of it moved
	outside() { sed '/^<!-- make bench: targets -->$/,/^<!-- \/make bench: targets -->$/d' "$1"; }
	diff <(outside "$ROOT/README.md") <(outside "$readme")
	grep -q '^| targets | tracer | added round-trip time, futex-thread | .* | <= 15 | ' "$readme"
	grep -q '^| bpf-cost | tracer | sched_switch / clock-only, one run | .* | <= 1.5 | ' "$readme"
	run -1 grep -q '^| overhead | untraced | ' "$readme"
	# the sysctl it turns on for the BPF cost is restored
	[ "$(cat /proc/sys/kernel/bpf_stats_enabled)" = "$was" ]
	python3 - "$csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
cols = ["contender", "figure", "value", "unit", "target", "met", "note"]
assert list(rows[0].keys()) == cols, rows[0].keys()
figs = {(r["contender"], r["figure"]) for r in rows}
# every section has its rows, measured or skipped with a reason
for want in [("untraced", "round trip, pipe-process"),
             ("tracer", "added round-trip time, pipe-process"),
             ("tracer", "added round-trip time, futex-thread"),
             ("tracer --events csv", "added round-trip time, pipe-process"),
             ("floor: per-task figures, the least", "added round-trip time over the floor, futex-thread"),
             ("floor: event records, the least", "added round-trip time over the floor, pipe-process"),
             ("perf sched record", "added round-trip time, pipe-process"),
             ("runqlat", "added round-trip time, futex-thread"),
             ("bpftrace counter", "added round-trip time, futex-thread"),
             ("tracer", "attach: start to command start"), ("tracer", "peak RSS"),
             ("tracer", "switches missed vs kernel rusage"),
             ("coroutine asm", "ns per switch")]:
    assert want in figs, want
assert any(c == "tracer" and f.startswith("BPF ns/event") for c, f in figs)
for r in rows:
    assert r["met"] in ("yes", "no", "n/a"), r
    if r["value"] == "":
        assert r["note"].startswith("skipped: ") and r["met"] == "n/a", r
    else:
        float(r["value"])
    if r["met"] != "n/a":
        assert r["target"], r
# what tracer measures exactly is checked, not timed
exact = {r["figure"]: r["value"] for r in rows if r["contender"] == "tracer"}
assert exact["switches missed vs kernel rusage"] == "0", exact
assert exact["tasks untracked (task map full)"] == "0", exact
PY
}

@test "bench: --ab takes executable files, each once, and no section or page" {
	requires python3
	cp "$ROOT/tracer" "$BATS_TEST_TMPDIR/a"
	run --separate-stderr -2 "$BENCH" --ab "$BATS_TEST_TMPDIR/a,$BATS_TEST_TMPDIR/nosuch"
	[[ "$stderr" == *"--ab: '$BATS_TEST_TMPDIR/nosuch' is not an executable file"* ]]
	run --separate-stderr -2 "$BENCH" --ab "$BATS_TEST_TMPDIR/a,$BATS_TEST_TMPDIR/../${BATS_TEST_TMPDIR##*/}/a"
	[[ "$stderr" == *"--ab: a build is named twice"* ]]
	run --separate-stderr -2 "$BENCH" --ab "$BATS_TEST_TMPDIR/a" --only overhead
	[[ "$stderr" == *"--ab runs no section and writes no page"* ]]
	run --separate-stderr -2 "$BENCH" --ab-rt "$BATS_TEST_TMPDIR/nosuch"
	[[ "$stderr" == *"--ab-rt: '$BATS_TEST_TMPDIR/nosuch' is not an executable file"* ]]
	run --separate-stderr -2 "$BENCH" --ab-rt "$BATS_TEST_TMPDIR/a" --markdown x.md
	[[ "$stderr" == *"--ab-rt runs no section and writes no page"* ]]
	run --separate-stderr -2 "$BENCH" --ab "$BATS_TEST_TMPDIR/a" --ab-rt "$BATS_TEST_TMPDIR/a"
	[[ "$stderr" == *"--ab and --ab-rt: one at a time"* ]]
}

# bats test_tags=root
@test "bench: --ab sets builds side by side: each against the clock, then against the first" {
	requires root btf python3
	csv="$BATS_TEST_TMPDIR/ab.csv" a="$BATS_TEST_TMPDIR/a" b="$BATS_TEST_TMPDIR/b"
	cp "$ROOT/tracer" "$a"
	cp "$ROOT/tracer" "$b"
	was=$(cat /proc/sys/kernel/bpf_stats_enabled)
	run -0 timeout 60 "$BENCH" --smoke --no-install --ab "$a,$b" --csv "$csv"
	[ "$(cat /proc/sys/kernel/bpf_stats_enabled)" = "$was" ]
	python3 - "$csv" "$a" "$b" <<'PY'
import csv, sys
_, path, a, b = sys.argv
rows = {(r["contender"], r["figure"]): r for r in csv.DictReader(open(path, newline=""))}
want = [(x, f"{p} / clock-only, one run") for x in (a, b) for p in ("sched_switch", "sched_waking")]
want += [(b, f"{p} / clock-only, against {a}") for p in ("sched_switch", "sched_waking")]
assert sorted(rows) == sorted(want), sorted(rows)
for k in want:
    assert float(rows[k]["value"]) > 0, rows[k]
    assert rows[k]["unit"] == "x", rows[k]
PY
}

# bats test_tags=root
@test "bench: --ab-rt sets builds' round trips side by side, summary mode and --events" {
	requires root btf python3
	csv="$BATS_TEST_TMPDIR/abrt.csv" a="$BATS_TEST_TMPDIR/a" b="$BATS_TEST_TMPDIR/b"
	cp "$ROOT/tracer" "$a"
	cp "$ROOT/tracer" "$b"
	run -0 timeout 120 "$BENCH" --smoke --no-install --ab-rt "$a,$b" --csv "$csv"
	python3 - "$csv" "$a" "$b" <<'PY'
import csv, sys
_, path, a, b = sys.argv
rows = {(r["contender"], r["figure"]): r for r in csv.DictReader(open(path, newline=""))}
want = []
for wl in ("pipe-process", "futex-thread"):
    for x in (a, b):
        want += [(x, f"added round-trip time, {wl}"), (f"{x} --events csv", f"added round-trip time, {wl}"),
                 (f"{x} --events csv", f"added round-trip time over summary mode, {wl}")]
    want += [(b, f"round trip against {a}, {wl}"),
             (f"{b} --events csv", f"round trip against {a} --events csv, {wl}")]
assert sorted(rows) == sorted(want), sorted(set(rows) ^ set(want))
for k in want:
    assert rows[k]["unit"] == "%" and rows[k]["value"], rows[k]
PY
}

@test "floor: bad arguments are one-line errors with exit 64" {
	[ -x "$ROOT/.output/floor" ] || skip "tools/floor is not built"
	run --separate-stderr -64 "$ROOT/.output/floor"
	[ "$stderr" = "usage: floor PROG... (programs of floor.bpf.c)" ]
	run --separate-stderr -64 "$ROOT/.output/floor" switch_clock no_such_prog
	[ "$stderr" = "floor: unknown program among the arguments" ]
}

# bats test_tags=root
@test "floor: the designs' least does its work on every switch of the ping-pong" {
	requires root btf
	[ -x "$ROOT/.output/floor" ] || skip "tools/floor is not built"
	local err="$BATS_TEST_TMPDIR/floor.err" res per rec vol inv
	for progs in "switch_per_task waking_per_task exec_pick" "switch_record waking_record exec_pick"; do
		"$ROOT/.output/floor" $progs >"$BATS_TEST_TMPDIR/floor.out" 2>"$err" &
		for _ in $(seq 300); do grep -q ready "$BATS_TEST_TMPDIR/floor.out" && break; sleep 0.1; done
		grep -q ready "$BATS_TEST_TMPDIR/floor.out"	# else it failed, or never got there
		res=$("$ROOT/.output/workloads/pingpong" --unit thread --ipc futex --cpus same --rounds 3000)
		kill -INT $!
		wait $!
		vol=$(sed -n 's/.* ctxsw_voluntary=\([0-9]*\).*/\1/p' <<<"$res")
		inv=$(sed -n 's/.* ctxsw_involuntary=\([0-9]*\).*/\1/p' <<<"$res")
		# two switches a round trip on one CPU, less the partner's final
		# one, which getrusage leaves out (5999 in ~3 runs of 10 here)
		[ "$((vol + inv))" -ge 5999 ]
		read -r per woken rec < <(sed -n 's/^floor: per task: \([0-9]*\) switch-ins, \([0-9]*\) after a waking; records: \([0-9]*\)$/\1 \2 \3/p' "$err")
		if [[ $progs == switch_per_task* ]]; then
			# each switch-in the kernel counted (getrusage), less the first and last
			[ "$per" -ge "$((vol + inv - 4))" ]
			[ "$per" -le "$((vol + inv + 4))" ]
			# each voluntary switch is a sleep a waking ended
			[ "$woken" -ge "$((vol - 4))" ]
			[ "$woken" -le "$((vol + 4))" ]
			[ "$rec" -eq 0 ]
		else
			# one a switch of theirs, one a waking
			[ "$rec" -ge "$((vol + inv + vol - 8))" ]
			[ "$per" -eq 0 ]
		fi
	done
}
