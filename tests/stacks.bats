#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# --stacks and --folded: where the tree waited, held to the switch counts
# the kernel verifies (a wait per blocking switch-out) and to the
# workload's own code (its functions in the stacks).
bats_require_minimum_version 1.5.0

setup() {
	load helpers
	requires root btf python3
	csv="$BATS_TEST_TMPDIR/s.csv"
	err="$BATS_TEST_TMPDIR/err"
	folded="$BATS_TEST_TMPDIR/f.folded"
}

# top_stack FILE: the frames of the report's heaviest stack, one a line
top_stack() {
	"$PY" - "$1" <<'PY'
import sys
txt = open(sys.argv[1]).read()
sec = txt.split("\nwhere the tree waited (")[1].split("\n\n")[0].splitlines()
first = [i for i, l in enumerate(sec) if l.startswith("  ") and not l.startswith("   ") and " waits (" in l][:1]
i = first[0] + 1
while i < len(sec) and sec[i].startswith("      "):
    print(sec[i].strip())
    i += 1
PY
}

# bats test_tags=root
@test "--stacks: a wait per blocking switch-out, the kernel's voluntary switches less the final ones" {
	"$TOOL" run --stacks --csv "$csv" thread-pingpong --rounds 20000 2>"$err"
	csv_load "$csv"
	echo "waits ${C[stack_waits]} voluntary ${C[switches_voluntary]} exits ${C[exits]}" \
		"unseen ${C[switch_ins_unseen]} not read ${C[stacks_not_read]}" \
		"lost ${C[stack_entries_lost]} unresolved ${C[stack_procs_unresolved]}"
	[ "${C[stacks]}" = 1 ]
	[ "${C[switches_match_rusage]}" = 1 ]
	# each switch-out to wait (S or D) that got back on: all but the final
	# switches; one whose switch-in the kernel did not report may merge with the next
	[ "${C[stack_waits]}" -le $(( C[switches_voluntary] - C[exits] )) ]
	[ "${C[stack_waits]}" -ge $(( C[switches_voluntary] - C[exits] - C[switch_ins_unseen] )) ]
	[ "${C[stack_waits]}" -ge 20000 ]
	[ "${C[stack_entries_lost]}" = 0 ]
	[ "${C[stack_procs_unresolved]}" = 0 ]
	grep -q "^  ${C[stack_waits]} waits, " "$err"
}

# bats test_tags=root
@test "--stacks: the heaviest wait is the futex wait, in the workload's own functions" {
	"$TOOL" run --stacks thread-pingpong --rounds 20000 2>"$err"
	top_stack "$err" >"$BATS_TEST_TMPDIR/top"
	cat "$BATS_TEST_TMPDIR/top"
	# the kernel's side from the scheduler on (not tracer's own program)
	[ "$(head -1 "$BATS_TEST_TMPDIR/top")" = __schedule ]
	grep -qx futex_wait "$BATS_TEST_TMPDIR/top"
	run ! grep -q bpf_prog "$BATS_TEST_TMPDIR/top"
	# the user side: the workload's functions, built with frame pointers
	grep -qx futex_handoff "$BATS_TEST_TMPDIR/top"
	grep -qE '^(main|party_[ab]|thread_b)$' "$BATS_TEST_TMPDIR/top"
}

# bats test_tags=root
@test "--folded: a line per stack, outermost frame first; its total is the report's" {
	"$TOOL" run --folded "$folded" --csv "$csv" thread-pingpong --rounds 5000 2>/dev/null
	csv_load "$csv"
	[ "${C[stacks]}" = 1 ]	# --folded implies --stacks
	run -0 "$PY" - "$folded" "${C[stack_offcpu_s]}" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
assert lines, "no line"
total = 0
for l in lines:
    assert re.fullmatch(r"[^ ;]+(;[^ ;]+)+ [0-9]+", l), l
    frames, us = l.rsplit(" ", 1)
    f = frames.split(";")
    assert f[0] == "pingpong", f[0]		# the task's name first
    assert f[-1].endswith("_[k]"), f[-1]	# the innermost: kernel
    total += int(us)
want = float(sys.argv[2]) * 1e6
print(f"folded {total} us, report {want:.0f} us over {len(lines)} lines")
assert abs(total - want) <= 0.01 * want + len(lines), (total, want)
PY
	echo "$output"
}

# bats test_tags=root
@test "without --stacks: no stack is read, no section" {
	"$TOOL" run --csv "$csv" thread-pingpong --rounds 2000 2>"$err"
	csv_load "$csv"
	[ "${C[stacks]}" = 0 ]
	[ "${C[stack_waits]}" = 0 ]
	run ! grep -q "where the tree waited" "$err"
}

# bats test_tags=root
@test "--folded to a path that cannot be made: one line, exit 1, nothing run" {
	run -1 --separate-stderr "$TOOL" run --folded /nonexistent/f.folded -- touch "$BATS_TEST_TMPDIR/ran"
	[ "$stderr" = "tracer: error: cannot create /nonexistent/f.folded: No such file or directory" ]
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	no_bpf_left
}

# bats test_tags=root
@test "--stacks: a futex word in a global variable is named by it (counter's mutex)" {
	# 8 threads on one mutex: waits in the kernel on the word of 'mutex', a
	# static variable of counter (workloads/counter.c, in its .bss)
	"$TOOL" run --stacks counter --sync mutex --threads 8 --increments 1000000 2>"$err"
	sed -n '/most waited-on futex words/,/^$/p' "$err"
	grep -qE '^    [0-9]+ 0x[0-9a-f]+ mutex \(counter\): [0-9]+ waits' "$err"
	# with an event output the futex table comes from the replay: named too
	"$TOOL" run --stacks --events "$BATS_TEST_TMPDIR/e.csv.gz" --csv "$csv" \
		counter --sync mutex --threads 8 --increments 1000000 2>"$err"
	grep -qE '^    [0-9]+ 0x[0-9a-f]+ mutex \(counter\): [0-9]+ waits' "$err"
	csv_load "$csv"
	[ "${C[stack_waits]}" -gt 0 ]
	# without --stacks the words are addresses alone
	"$TOOL" run counter --sync mutex --threads 8 --increments 1000000 2>"$err"
	run ! grep -q ' mutex (counter):' "$err"
}
