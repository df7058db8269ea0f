#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The summary CSV: schema, compression, atomic creation, bad paths.
bats_require_minimum_version 1.5.0

setup() {
	load helpers
	requires root btf python3
}

# bats test_tags=root
@test "summary CSV has a header and one row of the same width, snake_case names" {
	csv="$BATS_TEST_TMPDIR/s.csv"
	"$TOOL" run thread-pingpong --rounds 1000 --csv "$csv" 2>/dev/null
	run -0 "$PY" - "$csv" <<'PY'
import csv, re, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert len(rows) == 2, rows
assert len(rows[0]) == len(rows[1]), (len(rows[0]), len(rows[1]))
for name in rows[0]:
    assert re.fullmatch(r"[a-z][a-z0-9_]*", name), name
for name in ("wall_s", "switches", "switches_voluntary", "switches_involuntary",
             "wl_round_trip_ns", "wl_handoff_ns"):
    assert name in rows[0], name
PY
}

# bats test_tags=root
@test "a .gz CSV is gzip-compressed and holds the same columns" {
	csv="$BATS_TEST_TMPDIR/s.csv.gz"
	"$TOOL" run thread-pingpong --rounds 1000 --csv "$csv" 2>/dev/null
	run -0 gzip -t "$csv"
	[ "$(csv_get "$csv" wl_round_trips)" = 1000 ]
}

# bats test_tags=root
@test "an unwritable CSV path fails before the workload runs" {
	run --separate-stderr -1 "$TOOL" run thread-pingpong --csv /no/such/dir/s.csv
	[ "$stderr" = "tracer: error: cannot create /no/such/dir/s.csv: No such file or directory" ]
	[ -z "$output" ]	# the workload never printed its result
}

# bats test_tags=root
@test "no temporary file is left next to the CSV" {
	"$TOOL" run --csv "$BATS_TEST_TMPDIR/s.csv" -- true 2>/dev/null
	run -0 ls "$BATS_TEST_TMPDIR"
	[ "$output" = s.csv ]
}

# bats test_tags=root
@test "an output path that is a directory fails before the workload runs" {
	run --separate-stderr -1 "$TOOL" run thread-pingpong --csv "$BATS_TEST_TMPDIR"
	[ "$stderr" = "tracer: error: cannot create $BATS_TEST_TMPDIR: Is a directory" ]
	[ -z "$output" ]
}

# bats test_tags=root
@test "a symlink planted at the output path is replaced, never followed" {
	victim="$BATS_TEST_TMPDIR/victim"
	echo precious > "$victim"
	ln -s "$victim" "$BATS_TEST_TMPDIR/s.csv"
	run -0 "$TOOL" run --csv "$BATS_TEST_TMPDIR/s.csv" -- true
	[ "$(cat "$victim")" = precious ]
	[ ! -L "$BATS_TEST_TMPDIR/s.csv" ]
	head -1 "$BATS_TEST_TMPDIR/s.csv" | grep -q '^schema_version,'
}

# bats test_tags=root
@test "a FIFO or device at the output path is written in place, never replaced" {
	mkdir "$BATS_TEST_TMPDIR/o"
	cd "$BATS_TEST_TMPDIR/o"
	mknod null c 1 3
	mkfifo fifo
	run -0 "$TOOL" run --csv null --events fifo.csv -- true
	[ -c null ]
	# a reader before tracer opens it: cat's own open may come later (a
	# clean run's tracer found none, once), so this shell holds one too;
	# not cat (it would never see the end), nor fd 3 (a cat left by a
	# failure would hold bats' output open)
	exec 5<>fifo
	cat fifo > from-fifo 3>&- 5>&- &
	run -0 "$TOOL" run --events fifo -- true
	exec 5>&-	# the last writer gone: cat sees the end
	wait
	[ -p fifo ]
	head -1 from-fifo | grep -q '^ts_ns,'
	# no reader: an error before the command runs, not a hang
	run --separate-stderr -1 timeout 20 "$TOOL" run --csv fifo -- echo RAN
	[ "$stderr" = "tracer: error: cannot open fifo: No such device or address" ]
	[ -z "$output" ]
	run --separate-stderr -1 "$TOOL" run --csv /dev/full -- true
	[ "${stderr_lines[0]}" = "tracer: error: cannot write /dev/full: No space left on device" ]
	mknod disk b 7 0
	run --separate-stderr -1 "$TOOL" run --csv disk -- echo RAN
	[ "$stderr" = "tracer: error: cannot create disk: Is a block device" ]
	[ -z "$output" ]
	[ "$(ls | sort | tr '\n' ' ')" = "disk fifo fifo.csv from-fifo null " ]
}

# bats test_tags=root
@test "/dev/stdout redirected to a file is written through, never replaced" {
	# a temporary file renamed over /dev/stdout would replace the device
	# link with a file of its own and leave the redirected file empty: in
	# a mount namespace of its own, over a /dev of its own, so that a
	# regression cannot take this machine's
	cd "$BATS_TEST_TMPDIR"
	run -0 unshare -m sh -c 'mount -t tmpfs tracer-test /dev &&
		ln -s /proc/self/fd/1 /dev/stdout && ln -s /proc/self/fd /dev/fd &&
		mknod /dev/null c 1 3 && "$0" run --csv /dev/stdout -- echo RAN > out &&
		[ -L /dev/stdout ]' "$TOOL"
	[ "$(head -1 out)" = RAN ]
	[ "$(wc -l < out)" = 3 ]
	sed -n 2,3p out > s.csv
	[ "$(csv_get s.csv exit_status)" = 0 ]	# the summary, whole
	# appended to, as >> asks; and through /dev/fd/N as through /dev/stdout
	run -0 sh -c '"$0" run --events /dev/fd/4 -- true 4>> out' "$TOOL"
	cmp <(head -3 out) <(echo RAN; cat s.csv)
	sed -n 4p out | grep -q '^ts_ns,'
	[ -z "$(ls | grep -v '^out$' | grep -v '^s.csv$')" ]	# no temporary file
}

# bats test_tags=root
@test "the command inherits no descriptor of tracer's outputs, .gz ones included" {
	cd "$BATS_TEST_TMPDIR"
	run -0 "$TOOL" run --csv s.csv.gz --events e.csv.gz --timeline t.csv.gz \
		--perfetto p.json -- sh -c 'for f in /proc/$$/fd/*; do readlink "$f"; done'
	printf '%s\n' "$output"	# shown if it fails
	[[ "$output" == *"/dev/"* || "$output" == *"pipe:"* ]]	# the listing ran
	[[ "$output" != *"$(realpath "$BATS_TEST_TMPDIR")"* ]]
}

# bats test_tags=root
@test "output files get the mode the umask gives, like any new file" {
	(umask 077; "$TOOL" run --csv "$BATS_TEST_TMPDIR/a.csv" -- true 2>/dev/null)
	(umask 022; "$TOOL" run --csv "$BATS_TEST_TMPDIR/b.csv" -- true 2>/dev/null)
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/a.csv")" = 600 ]
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/b.csv")" = 644 ]
}
