#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Golden fixtures: tracer report of committed event files of real runs gives
# the committed report and summary CSV, byte for byte, without root. The
# safety net for moving code around (tests/fixtures/golden/update).
bats_require_minimum_version 1.5.0

setup() {
	load helpers
	G="$ROOT/tests/fixtures/golden"
	# a directory nobody can write in: bats' own sits under a private one
	pub=$(mktemp -d)
	chmod 777 "$pub"
}

teardown() {
	rm -rf "$pub"
}

# report NAME: tracer report of NAME's event file, as nobody when root
report() {
	local as=()

	[ "$(id -u)" != 0 ] || as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	cp "$G/$1.events.csv.gz" "$pub/"
	chmod 644 "$pub/$1.events.csv.gz"
	"${as[@]}" "$TOOL" report "$pub/$1.events.csv.gz" --csv "$pub/$1.summary.csv" \
		>"$pub/$1.report.txt"
}

@test "golden: each fixture's report and summary CSV are the committed ones" {
	local n=0 name
	for f in "$G"/*.events.csv.gz; do
		name=$(basename "$f" .events.csv.gz)
		report "$name"
		diff -u "$G/$name.report.txt" "$pub/$name.report.txt"
		diff -u "$G/$name.summary.csv" "$pub/$name.summary.csv"
		n=$((n + 1))
	done
	[ "$n" -ge 3 ]
}

@test "golden: a changed event is seen in the output (the comparison can fail)" {
	# one switch fewer: the counts, and so the files, differ
	zcat "$G/thread-pingpong.events.csv.gz" | awk -F, '
		!done && $4 == "switch" { done = 1; next } { print }' |
		gzip >"$BATS_TEST_TMPDIR/cut.events.csv.gz"
	run -0 "$TOOL" report "$BATS_TEST_TMPDIR/cut.events.csv.gz" --csv "$BATS_TEST_TMPDIR/cut.csv"
	run -1 cmp -s "$G/thread-pingpong.summary.csv" "$BATS_TEST_TMPDIR/cut.csv"
}

@test "a file of a machine of more than 64 CPUs: the 64 first have columns, the interference is of all" {
	# the thread-pingpong fixture, said to come from 66 CPUs, CPU 65 busy
	# with other tasks for 3 s of the window
	zcat "$G/thread-pingpong.events.csv.gz" | "$PY" -c '
import sys
for line in sys.stdin:
    f = line.rstrip("\n").split(",")
    if len(f) > 32 and f[3] == "meta" and f[31] == "ncpus":
        f[32] = "66"
    print(",".join(f))
    if len(f) > 32 and f[3] == "meta" and f[31] == "cpu1_idle_ns":
        for c in range(2, 66):
            for k in ("tree", "other", "idle"):
                g = list(f)
                g[31] = "cpu%d_%s_ns" % (c, k)
                g[32] = "3000000000" if (c, k) == (65, "other") else "0"
                print(",".join(g))
' | gzip >"$BATS_TEST_TMPDIR/wide.events.csv.gz"
	run -0 "$TOOL" report "$BATS_TEST_TMPDIR/wide.events.csv.gz" --csv "$BATS_TEST_TMPDIR/wide.csv"
	run -0 "$TOOL" report "$G/thread-pingpong.events.csv.gz" --csv "$BATS_TEST_TMPDIR/two.csv"
	"$PY" - "$BATS_TEST_TMPDIR/wide.csv" "$BATS_TEST_TMPDIR/two.csv" <<'PY'
import csv, sys
wide, two = (next(csv.DictReader(open(p, newline=""))) for p in sys.argv[1:])
assert "cpu63_other_pct" in wide and "cpu64_other_pct" not in wide, list(wide)[-5:]
got = float(wide["interference_s"]) - float(two["interference_s"])
assert abs(got - 3.0) < 1e-5, got
PY
}
