#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The capture file: the event outputs are written from it after the command
# (user/io/capture.h); --capture keeps it, and tracer report reads it back.
bats_require_minimum_version 1.5.0

setup() {
	load helpers
	cap="$BATS_TEST_TMPDIR/run.cap"
	ev="$BATS_TEST_TMPDIR/ev.csv"
	csv="$BATS_TEST_TMPDIR/s.csv"
}

# bats test_tags=root
@test "--capture: tracer report rebuilds the live summary from the capture, as from the event file" {
	requires root btf
	"$TOOL" run thread-pingpong --rounds 5000 --capture "$cap" --events "$ev" --csv "$csv" \
		>/dev/null 2>"$BATS_TEST_TMPDIR/err"
	[ "$(head -c 8 "$cap")" = tracecap ]
	run -0 "$TOOL" report "$cap" --csv "$BATS_TEST_TMPDIR/from-cap.csv"
	run -0 "$TOOL" report "$ev" --csv "$BATS_TEST_TMPDIR/from-ev.csv"
	cmp "$csv" "$BATS_TEST_TMPDIR/from-cap.csv"
	cmp "$csv" "$BATS_TEST_TMPDIR/from-ev.csv"
	csv_load "$csv"
	[ "${C[switches_match_rusage]}" = 1 ]
	[ "${C[events_lost]}" = 0 ]
	[ "${C[events_written]}" -gt 10000 ]
	# tracer's own CPU, while and after, within what the kernel charged
	# tracer and its children (less the command's own), from outside
	run -0 "$PY" -c '
import csv, resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(ru.ru_utime + ru.ru_stime)' "$TOOL" run thread-pingpong --rounds 20000 --events "$ev.gz" --csv "$csv"
	csv_load "$csv"
	echo "tracer + tree ${output} s; tree ${C[cpu_user_s]} + ${C[cpu_sys_s]}; tracer ${C[tracer_cpu_run_s]} + ${C[tracer_cpu_post_s]}"
	fcmp "${C[tracer_cpu_run_s]} > 0"
	fcmp "${C[tracer_cpu_post_s]} > 0"
	fcmp "${C[tracer_cpu_run_s]} + ${C[tracer_cpu_post_s]} + ${C[cpu_user_s]} + ${C[cpu_sys_s]} <= $output + 0.01"
	# -p: the tasks found running are in the capture too
	sh -c 'while :; do sleep 0.01; done' &
	bg=$!
	"$TOOL" run -p "$bg" --duration 0.3 --capture "$cap" --csv "$csv" 2>/dev/null
	kill "$bg"
	run -0 "$TOOL" report "$cap" --csv "$BATS_TEST_TMPDIR/from-cap.csv"
	cmp "$csv" "$BATS_TEST_TMPDIR/from-cap.csv"
	csv_load "$csv"
	# ~25 sleeps forked in the window; any will do: cmp held them
	[ "${C[processes_created]}" -ge 1 ]
}

# bats test_tags=root
@test "a capture whose disk fills: the run fails in one line, what fit stays readable, marked partial" {
	requires root btf
	# the capture on a 256 KiB file system, the event file and summary
	# elsewhere: the events after the first ~2,500 are lost
	run --separate-stderr -1 unshare -m sh -c '
		d=$(mktemp -d)
		mount -t tmpfs -o size=256k tmpfs "$d" || exit 9
		"$0" run thread-pingpong --rounds 20000 --capture "$d/cap" --events "$1" --csv "$2" >/dev/null
		rc=$?
		cp "$d/cap" "$3"
		exit $rc' "$TOOL" "$ev" "$csv" "$cap"
	[[ "$stderr" == *"tracer: error: cannot write the capture file: No space left on device after 0."*" MiB: the events after that are lost"* ]]
	grep -q 'PARTIAL: the capture file was cut short' <<<"$stderr"
	# the figures from the kernel's maps, exact; the lost records counted
	csv_load "$csv"
	[ "${C[switches_match_rusage]}" = 1 ]
	[ "${C[events_lost_capture]}" -gt 10000 ]
	[ "${C[events_lost_capture]}" = "${C[events_lost]}" ]
	tail -1 "$ev" | grep -q ',end,partial,'
	# the kept capture ends with a whole record: its events are the file's
	run --separate-stderr -0 "$TOOL" report "$cap" --csv "$BATS_TEST_TMPDIR/cut.csv"
	[[ "$stderr" == *"$cap: no end record: the run that wrote it did not finish writing it"* ]]
	[[ "$output" == *"[PARTIAL: the capture file was cut short]"* ]]
	rows=$(grep -c '^[0-9-]*,[0-9]*,[0-9]*,switch,' "$ev")
	[ "$rows" -gt 500 ]
	[ "$(csv_get "$BATS_TEST_TMPDIR/cut.csv" events_switch)" = "$rows" ]
	# the rows the file has are those written: the ring's, less the lost
	all=$(grep -cE '^-?[0-9]+,[0-9]+,[0-9]+,[a-z_]+,' "$ev")
	[ "$all" -gt "$rows" ]
	[ "${C[events_written]}" = "$all" ]
	[ "$(stat -c %s "$cap")" -le 262144 ]
}

# bats test_tags=root
@test "the unnamed capture gives its disk back as the outputs are written from it" {
	requires root btf
	# 20,000 round trips: a capture of ~3.6 MB and an event CSV of ~7.7 MB
	# (the kept capture measures it; less with shorter pids, or fewer
	# wakings), on a 9 MiB file system: they fit one after the other, not
	# side by side
	run -0 unshare -m sh -c '
		d=$(mktemp -d)
		mount -t tmpfs -o size=9m tmpfs "$d" || exit 9
		"$0" run thread-pingpong --rounds 20000 --capture "$2" --events "$d/ev.csv" --csv "$1" \
			>/dev/null 2>&1 || exit 1
		rm "$d/ev.csv"
		"$0" run thread-pingpong --rounds 20000 --events "$d/ev.csv" --csv "$1" >/dev/null || exit 2
		cp "$d/ev.csv" "$3"' "$TOOL" "$csv" "$cap" "$ev"
	cap_bytes=$(stat -c %s "$cap")
	ev_bytes=$(stat -c %s "$ev")
	echo "capture $cap_bytes, event CSV $ev_bytes bytes"
	[ $((cap_bytes + ev_bytes)) -gt $((9 << 20)) ]
	# the whole file: every event the ring gave, none lost, the end row
	csv_load "$csv"
	[ "${C[events_lost]}" = 0 ]
	all=$(grep -cE '^-?[0-9]+,[0-9]+,[0-9]+,[a-z_]+,' "$ev")
	[ "${C[events_written]}" = "$all" ]
	tail -1 "$ev" | grep -q ',end,complete,'
}

# bats test_tags=root
@test "reading back a capture or an event file shows progress on a terminal, and only there" {
	requires root btf
	"$TOOL" run thread-pingpong --rounds 2000 --capture "$cap" --events "$ev.gz" --csv "$csv" \
		>/dev/null 2>&1
	# after 0 s of reading rather than 2, so that the test need not wait;
	# script(1) gives stdout and stderr a terminal
	local tty="$BATS_TEST_TMPDIR/tty"
	TRACER_PROGRESS_AFTER_S=0 script -qefc "'$TOOL' report '$cap' --csv '$BATS_TEST_TMPDIR/o.csv'" \
		/dev/null >"$tty" 3>&-
	cat -v "$tty" | head -3
	grep -aq $'\rtracer: reading the capture: .*% of .* MiB, [0-9]* events, .* s left \r\033\[K' "$tty"
	cmp "$csv" "$BATS_TEST_TMPDIR/o.csv"
	# the run's own read-back too
	TRACER_PROGRESS_AFTER_S=0 script -qefc "'$TOOL' run thread-pingpong --rounds 2000 --events '$ev' >/dev/null" \
		/dev/null >"$tty" 3>&-
	grep -aq $'\rtracer: writing the outputs: ' "$tty"
	# tracer report of an event CSV (.gz too): rows read, the rate, what is left
	TRACER_PROGRESS_AFTER_S=0 script -qefc "'$TOOL' report '$ev.gz' --csv '$BATS_TEST_TMPDIR/o.csv'" \
		/dev/null >"$tty" 3>&-
	grep -aq $'\rtracer: reading the events: .*% of .* MiB, [0-9]* events, [0-9.]*M events/s, .* s left \r\033\[K' "$tty"
	cmp "$csv" "$BATS_TEST_TMPDIR/o.csv"
	# not on a pipe or a file, whatever the threshold
	TRACER_PROGRESS_AFTER_S=0 "$TOOL" report "$ev.gz" >/dev/null 2>"$BATS_TEST_TMPDIR/err"
	TRACER_PROGRESS_AFTER_S=0 "$TOOL" report "$cap" >/dev/null 2>>"$BATS_TEST_TMPDIR/err"
	TRACER_PROGRESS_AFTER_S=0 "$TOOL" run thread-pingpong --rounds 2000 --events "$ev" \
		>/dev/null 2>>"$BATS_TEST_TMPDIR/err"
	cat "$BATS_TEST_TMPDIR/err"
	run -1 grep -cE 'writing the outputs|reading the (events|capture)' "$BATS_TEST_TMPDIR/err"
}

@test "tracer report: a bad capture is a one-line error" {
	requires python3
	f="$BATS_TEST_TMPDIR/bad.cap"
	# header(v, abi, ncpus) and records (type, payload)
	mk() {
		"$PY" - "$f" "$@" <<'PY'
import struct, sys
out, ver, abi, ncpus = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
b = b"tracecap" + struct.pack("<IIIIQ", ver, abi, 0x01020304, ncpus, 0)
for rec in sys.argv[5:]:
    t, _, hexpay = rec.partition(":")
    p = bytes.fromhex(hexpay)
    if t == "raw":
        b += p
    else:
        b += struct.pack("<II", int(t), len(p)) + p + b"\0" * (-len(p) % 8)
open(out, "wb").write(b)
PY
	}
	abi=$(sed -n 's/^#define EV_ABI_VERSION[[:space:]]*\([0-9]*\).*/\1/p' "$ROOT/bpf/events.h")
	[ -n "$abi" ]
	printf tracecap > "$f"
	run --separate-stderr -1 "$TOOL" report "$f"
	[ "$stderr" = "tracer: error: $f: not a capture file of tracer" ]
	mk 3 "$abi" 2
	run --separate-stderr -1 "$TOOL" report "$f"
	[ "$stderr" = "tracer: error: $f: capture version 3, event ABI $abi: this tracer reads versions 1 to 2, ABI $abi" ]
	mk 0 "$abi" 2
	run --separate-stderr -1 "$TOOL" report "$f"
	[ "$stderr" = "tracer: error: $f: capture version 0, event ABI $abi: this tracer reads versions 1 to 2, ABI $abi" ]
	mk 1 $((abi + 1)) 2
	run --separate-stderr -1 "$TOOL" report "$f"
	[ "$stderr" = "tracer: error: $f: capture version 1, event ABI $((abi + 1)): this tracer reads versions 1 to 2, ABI $abi" ]
	mk 1 "$abi" 0
	run --separate-stderr -1 "$TOOL" report "$f"
	[ "$stderr" = "tracer: error: $f: bad CPU count 0" ]
	mk 1 "$abi" 2 9:0011
	run --separate-stderr -1 "$TOOL" report "$f"
	[ "$stderr" = "tracer: error: $f: bad record (type 9, 2 bytes) at byte 32" ]
	# a meta record without its value's NUL
	mk 1 "$abi" 2 3:6b0076
	run --separate-stderr -1 "$TOOL" report "$f"
	[ "$stderr" = "tracer: error: $f: bad record (type 3, 3 bytes) at byte 32" ]
	# a record longer than any the writer makes
	mk 1 "$abi" 2 raw:0100000000000001
	run --separate-stderr -1 "$TOOL" report "$f"
	[ "$stderr" = "tracer: error: $f: bad record (type 1, 16777216 bytes) at byte 32" ]
	# events before the meta rows that say when and on how many CPUs
	mk 1 "$abi" 2 1:"$("$PY" -c 'import struct; print(struct.pack("<QIIII", 5, 3, 0, 1, 1).hex() + "00" * 48)')"
	run --separate-stderr -1 "$TOOL" report "$f"
	[ "$stderr" = "tracer: error: $f: record 1: events before the schema version, start time and CPU count" ]
}

# bats test_tags=root
@test "tracer report: a damaged record cuts its chunk short, said once; the rest of the capture is read" {
	requires root btf python3
	"$TOOL" run thread-pingpong --rounds 2000 --capture "$cap" --csv "$csv" >/dev/null 2>&1
	run -0 "$TOOL" report "$cap" --csv "$BATS_TEST_TMPDIR/whole.csv"
	# the first switch record that says prev's comm now says it does not:
	# the chunk never said that task, and what follows no longer lines up
	run -0 "$PY" - "$cap" "$BATS_TEST_TMPDIR/bad.cap" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
fixed = {1: 48, 2: 40, 8: 48}	# ev_switch_wire, ev_waking_wire, ev_futex; else ev_task (72)
def size(kind):
    f = kind & ~0xff
    return (fixed.get(kind & 0xff, 72) + (bool(f & 0x100) + bool(f & 0x200)) * 24
            + (16 if f & 0x400 else 0) + (8 if f & 0x800 else 0))
off = 32
while off + 8 <= len(d):
    t, n = struct.unpack_from("<II", d, off)
    q, end = off + 8, off + 8 + n
    while t == 1 and q + 24 <= end:
        kind = struct.unpack_from("<I", d, q + 8)[0]
        if kind & 0xff == 1 and kind & 0x100:
            struct.pack_into("<I", d, q + 8, kind & ~0x100)
            open(sys.argv[2], "wb").write(d)
            sys.exit(0)
        q += size(kind)
    off = end + (-n % 8)
sys.exit("no switch record saying prev's comm")
PY
	run --separate-stderr -0 "$TOOL" report "$BATS_TEST_TMPDIR/bad.cap" --csv "$BATS_TEST_TMPDIR/bad.csv"
	[ "$(grep -c 'cut short' <<<"$stderr")" = 1 ]
	[[ "$stderr" == *"bad.cap: 1 chunk of event records cut short by a malformed record (the records after it skipped)"* ]]
	# fewer switches than the whole capture's, but most of them
	whole=$(csv_get "$BATS_TEST_TMPDIR/whole.csv" events_switch)
	bad=$(csv_get "$BATS_TEST_TMPDIR/bad.csv" events_switch)
	[ "$bad" -lt "$whole" ]
	[ "$bad" -gt $(( whole / 2 )) ]
}

@test "--capture: a directory, a FIFO or another output's file is refused in one line" {
	requires root btf
	d="$BATS_TEST_TMPDIR/out"
	mkdir "$d"
	run --separate-stderr -1 "$TOOL" run --capture "$d" -- true
	[ "$stderr" = "tracer: error: --capture: $d is not a regular file's name (the capture is read back)" ]
	mkfifo "$d/fifo"
	run --separate-stderr -1 "$TOOL" run --capture "$d/fifo" -- true
	[ "$stderr" = "tracer: error: --capture: $d/fifo is not a regular file's name (the capture is read back)" ]
	# a descriptor's name, whatever file it holds (here a regular one); in
	# a mount namespace over a /dev of its own (csv.bats: /dev/stdout), so
	# that a regression cannot replace this machine's
	run --separate-stderr -1 unshare -m sh -c 'mount -t tmpfs tracer-test /dev &&
		ln -s /proc/self/fd/1 /dev/stdout && mknod /dev/null c 1 3 &&
		{ "$0" run --capture /dev/stdout -- true > "$1"; rc=$?; }; [ -L /dev/stdout ] &&
		exit $rc' "$TOOL" "$d/out"
	[ "$stderr" = "tracer: error: --capture: /dev/stdout is not a regular file's name (the capture is read back)" ]
	rm "$d/out"
	run --separate-stderr -64 "$TOOL" run --capture "$d/ev.csv" --events "$d/ev.csv" -- true
	[ "$stderr" = "tracer: error: two output options name the same file" ]
	run --separate-stderr -64 "$TOOL" run --capture "" -- true
	[[ "$stderr" == *"--capture needs a file name"* ]]
	# none of them left a file behind
	[ "$(ls -A "$d")" = fifo ]
}

# bats test_tags=root
@test "no room for an unnamed capture is one line before the command runs, and leaves no program" {
	requires root btf
	# /dev/null is no file: the capture goes to $TMPDIR
	run --separate-stderr -1 env TMPDIR=/nonexistent "$TOOL" run --events /dev/null -- echo ran
	[ "$stderr" = "tracer: error: cannot create the capture file in /nonexistent: No such file or directory" ]
	[ -z "$output" ]
	no_bpf_left
}
