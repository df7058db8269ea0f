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
