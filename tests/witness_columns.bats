#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Summary columns and report parts against cases whose true value is known
# by construction: the kernel's own per-task counters read by the workload
# (se.nr_migrations, getrusage RUSAGE_THREAD), what the workload did and
# counted itself (execs, futex words, wakes, pids it reused), the CPU time
# of a task outside the tree, the map and ring sizes of bpf/events.h.
# Counts and bounds only: the machine is shared.
bats_require_minimum_version 1.5.0

setup() {
	load helpers
	requires root btf python3
	csv="$BATS_TEST_TMPDIR/s.csv"
	err="$BATS_TEST_TMPDIR/err"
	out="$BATS_TEST_TMPDIR/out"
	[ -x "$PROGS/col_pingpong" ] || skip "needs the test programs (make testprogs)"
}

teardown() {
	# only what this test started and has not reaped yet (a test that
	# got to its end reaped it and unset the variable): a stopped tracer,
	# a process outside the tree
	if [ -n "${tracer_pid:-}" ]; then
		kill -CONT "$tracer_pid" 2>/dev/null || true
		kill -TERM "$tracer_pid" 2>/dev/null || true
	fi
	if [ -n "${bg:-}" ]; then kill "$bg" 2>/dev/null || true; fi
}

# stopped PID: until process PID has stopped itself (fault.so's *_STOP
# hooks), 30 s at most; fails if it did not
stopped() {
	for _ in $(seq 3000); do
		[ "$(cut -d' ' -f3 "/proc/$1/stat")" = T ] && return 0
		sleep 0.01
	done
	return 1
}

# stop_bg: end the process $bg this test started, reap it, forget it
stop_bg() {
	kill "$bg"
	wait "$bg" || true
	unset bg
}

# switches_per_s is switches / wall_s, to the CSV's rounding (%.1f of the
# rate, wall_s to the microsecond)
rate_ok() {
	fcmp "abs(${C[switches]} / ${C[wall_s]} - ${C[switches_per_s]}) <= 0.0501 + ${C[switches]} * 5e-7 / (${C[wall_s]} * (${C[wall_s]} - 5e-7))"
}

# task_rows FILE: "TID VOL INVOL MIGR" for each row of the report's per-task table
task_rows() {
	"$PY" - "$1" <<'PY'
import sys
txt = open(sys.argv[1]).read()
rows = txt.split("\nper task (")[1].split("\n\n")[0].splitlines()[2:]
for l in rows:
    f = l.split()
    print(f[0], f[-3], f[-2], f[-1])
PY
}

# task_col FILE TID N: field N (2 VOL, 3 INVOL, 4 MIGR) of TID's row; empty if none
task_col() {
	task_rows "$1" | awk -v t="$2" -v n="$3" '$1 == t { print $n }'
}

# pair_rows FILE: "WAKER WAKEE COUNT" for each row of "who woke whom"
pair_rows() {
	"$PY" - "$1" <<'PY'
import sys
txt = open(sys.argv[1]).read()
rows = txt.split("\nwho woke whom (")[1].split("\n\n")[0].splitlines()[2:]
for l in rows:
    if l.startswith("  and "):	# the lighter pairs of tasks gone, folded
        continue
    # fixed columns: "  %-21.21s %-21.21s %9llu ..."
    print(l[2:23].split()[0], l[24:45].split()[0], int(l[46:55]))
PY
}

# pair_count FILE WAKER WAKEE
pair_count() {
	pair_rows "$1" | awk -v a="$2" -v b="$3" '$1 == a && $2 == b { print $3 }'
}

# tree_pairs FILE: of a two-task tree, "who woke whom" has both pairs of the
# two, and any other pair is a waker outside the tree: the stopper thread
# that moved a task pinning itself to a CPU it was not on (sched_setaffinity
# waits for it), at most as many as the wakee's migrations, or an interrupt
# ending a D sleep (a page fault's I/O; waker 0 when the CPU was idle), at
# most as many as the tree's D sleeps (C[], loaded by the caller)
tree_pairs() {
	local tids a b p
	tids=$(task_rows "$1" | awk '{print $1}' | sort -n)
	[ "$(wc -l <<<"$tids")" = 2 ]
	a=$(head -1 <<<"$tids") b=$(tail -1 <<<"$tids")
	[ -n "$(pair_count "$1" "$a" "$b")" ]
	[ -n "$(pair_count "$1" "$b" "$a")" ]
	[ "$(pair_rows "$1" | awk -v a="$a" -v b="$b" '($1 == a || $1 == b) && ($2 == a || $2 == b)' | wc -l)" = 2 ]
	while read -r a b p; do
		[ "$(task_col "$1" "$a" 1)" = "" ]	# not a tree task
		[ "$p" -le $(( $(task_col "$1" "$b" 4) + C[offcpu_uninterruptible_count] )) ]
	done < <(pair_rows "$1" | awk -v t="$(tr '\n' ' ' <<<"$tids")" 'index(" " t, " " $1 " ") == 0')
}

# burst_while_stopped DIR: a col_* program of tracer $tracer_pid's tree made
# DIR/ready: stop every thread of tracer, let the program make its burst
# (DIR/go .. DIR/done), go on, and reap tracer (exit 0)
burst_while_stopped() {
	local states rc=0
	wait_for "$1/ready"
	kill -STOP "$tracer_pid"
	for _ in $(seq 500); do
		states=$(cat /proc/"$tracer_pid"/task/*/stat 2>/dev/null | sed 's/.*) //' | cut -d' ' -f1 | sort -u | tr -d '\n')
		[ "$states" = T ] && break
		sleep 0.01
	done
	[ "$states" = T ]
	touch "$1/go"
	wait_for "$1/done"
	kill -CONT "$tracer_pid"
	wait "$tracer_pid" || rc=$?
	unset tracer_pid
	[ "$rc" = 0 ]
}

# burst_traced DIR ARGS...: tracer run ARGS (a col_* program handed DIR)
# in the background, out and err to $out and $err, its burst while tracer is stopped
burst_traced() {
	local d=$1
	shift
	mkdir -p "$d"
	"$TOOL" run "$@" >"$out" 2>"$err" 3>&- &
	tracer_pid=$!
	burst_while_stopped "$d"
}

# field KEY FILE [LINE]: the value of KEY=value on line LINE (default 1) of FILE
field() {
	sed -n "${3:-1}p" "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# wait_for FILE: until it exists (10 s at most)
wait_for() {
	for _ in $(seq 1000); do
		[ -e "$1" ] && return 0
		sleep 0.01
	done
	echo "never appeared: $1" >&2
	return 1
}

# bats test_tags=root
@test "migrations: pinned to CPU 0 and 1 in turn, the count is the kernel's own se.nr_migrations" {
	[ "$(nproc)" -ge 2 ] || skip "needs two CPUs"
	grep -q '^se.nr_migrations' /proc/self/sched || skip "no se.nr_migrations in /proc/PID/sched"
	# one task: the column is its se.nr_migrations (0 at fork), read when
	# pinned to one CPU, so it cannot move again before it exits
	"$TOOL" run --csv "$csv" -- "$PROGS/col_migrate" 8 >"$out" 2>"$err"
	forced=$(field forced "$out")
	knl=$(field nr_migrations "$out")
	csv_load "$csv"
	echo "# forced $forced, kernel $knl, traced ${C[migrations]}" >&3
	[ "${C[tasks]}" = 1 ]
	[ "$forced" -ge 7 ]	# 8 pins to the other CPU, the first maybe not a move
	[ "$knl" -ge "$forced" ]
	[ "${C[migrations]}" = "$knl" ]
	pid=$(task_rows "$err" | awk '{print $1}')
	[ "$(task_col "$err" "$pid" 4)" = "$knl" ]
	rate_ok

	# a shell moved by taskset -p from its children, CPUs 0 1 0 1 0: at
	# least 4 moves, its own row is its se.nr_migrations (read by a child
	# while it waits, pinned); the column adds the children's
	"$TOOL" run --csv "$csv" -- sh -c 'for c in 0 1 0 1 0; do
			taskset -pc $c $$ >/dev/null
			i=0; while [ $i -lt 2000 ]; do i=$((i+1)); done
		done
		echo pid=$$ $(sed -n "s/^se.nr_migrations *: */nr_migrations=/p" /proc/$$/sched)' \
		>"$out" 2>"$err"
	pid=$(field pid "$out")
	knl=$(field nr_migrations "$out")
	csv_load "$csv"
	[ "$knl" -ge 4 ]
	[ "$(task_col "$err" "$pid" 4)" = "$knl" ]
	[ "${C[migrations]}" -ge "$knl" ]
	rate_ok
}

# bats test_tags=root
@test "switches_voluntary: a task that goes to sleep with a signal pending, left runnable, counts as the kernel counts it" {
	[ "$(nproc)" -ge 2 ] || skip "needs two CPUs"
	local ev="$BATS_TEST_TMPDIR/ev.csv"
	# the tracepoint says R (since 6.13: the scheduler left it runnable),
	# its nvcsw moved: voluntary, by the kernel's count, as tracer's. The
	# witnesses: the kernel's own counts per task at its final switch, the
	# tree's rusage, and the waiter's getrusage before its last two switches
	# (its final one, a preemption on the way maybe)
	"$TOOL" run --events "$ev" --csv "$csv" -- "$PROGS/col_sigsleep" 50000 >"$out" 2>"$err"
	tid=$(field tid "$out")
	csv_load "$csv"
	echo "# waiter: own nvcsw $(field nvcsw "$out") nivcsw $(field nivcsw "$out"), traced $(task_col "$err" "$tid" 2) $(task_col "$err" "$tid" 3)" >&3
	[ "${C[tasks]}" = 3 ]
	[ "${C[tasks_checked]}" = 3 ]
	[ "${C[tasks_check_failed]}" = 0 ]
	[ "${C[switches_match_rusage]}" = 1 ]
	[ "$(task_col "$err" "$tid" 2)" = $(( $(field nvcsw "$out") + 1 )) ]
	[ "$(task_col "$err" "$tid" 3)" -ge "$(field nivcsw "$out")" ]
	[ "$(task_col "$err" "$tid" 3)" -le $(( $(field nivcsw "$out") + 1 )) ]
	# the case came up: R switch-outs the kernel's nvcsw alone counted
	n=$("$PY" - "$ev" <<'PY'
import csv, sys
last, n = {}, 0
for r in csv.DictReader(open(sys.argv[1], newline="")):
    if r["kind"] != "switch" or r["prev_tree"] != "1":
        continue
    v, i = int(r["knl_nvcsw"]), int(r["knl_nivcsw"])
    if r["tid"] in last and r["preempt"] == "0" and r["prev_state"] == "0":
        n += (v, i) == (last[r["tid"]][0] + 1, last[r["tid"]][1])
    last[r["tid"]] = (v, i)
print(n)
PY
)
	echo "# R switch-outs counted voluntary: $n" >&3
	[ "$n" -ge 1 ]
	# the event file's replay counts them alike
	run -0 "$TOOL" report "$ev" --csv "$BATS_TEST_TMPDIR/r.csv"
	[ "$(csv_get "$BATS_TEST_TMPDIR/r.csv" switches_voluntary)" = "${C[switches_voluntary]}" ]
	[ "$(csv_get "$BATS_TEST_TMPDIR/r.csv" tasks_check_failed)" = 0 ]
}

# bats test_tags=root
@test "execs: each exec of a chain counts, the command's own first exec included; a failed exec does not" {
	# docs/report.md: "1 execs" for a workload that execs nothing itself; the
	# launched command's exec is one of them
	"$TOOL" run --csv "$csv" -- sh -c 'exec sh -c "exec true"' 2>/dev/null
	csv_load "$csv"
	[ "${C[execs]}" = 3 ]	# sh, sh, true: one process
	[ "${C[processes]}" = 1 ]
	[ "${C[exits]}" = 1 ]
	[ "${C[tids_reused]}" = 0 ]
	rate_ok
	"$TOOL" run --csv "$csv" -- sh -c '/bin/true & wait' 2>/dev/null
	csv_load "$csv"
	[ "${C[execs]}" = 2 ]	# sh, and its forked child's /bin/true
	[ "${C[processes]}" = 2 ]
	run -127 "$TOOL" run --csv "$csv" -- sh -c 'exec /nonexistent/prog' 2>/dev/null
	csv_load "$csv"
	[ "${C[exit_status]}" = 127 ]
	[ "${C[execs]}" = 1 ]	# sh only: the exec that failed never happened
}

# bats test_tags=root
@test "execs: a thread's exec takes the leader's tid; leader, thread and program all counted" {
	# the kernel ends the other threads, gives the exec'ing thread the
	# leader's tid and start time, then loads the program (de_thread);
	# tracer finds a task by tid, so each of the two tasks is found by the
	# other's slot meanwhile: a lost switch shows against rusage. With
	# --events the figures are the replay's of the events (user/core/replay.c),
	# which follows the swap from the exec record's old tid
	local ev
	for ev in "" "$BATS_TEST_TMPDIR/e.csv" "$BATS_TEST_TMPDIR/e.csv.gz"; do
		"$TOOL" run --csv "$csv" ${ev:+--events "$ev"} -- "$PY" -c '
import os, threading, time
def go():
    time.sleep(0.02)
    os.execv("/bin/sh", ["sh", "-c", "for i in 1 2 3 4 5; do sleep 0.01; done"])
threading.Thread(target=time.sleep, args=(5,)).start()
threading.Thread(target=go).start()
time.sleep(5)' 2>"$BATS_TEST_TMPDIR/err"
		# the replay and the kernel's maps agree (run.c warns otherwise)
		run -1 grep 'the events count' "$BATS_TEST_TMPDIR/err"
		csv_load "$csv"
		echo "execs ${C[execs]} processes ${C[processes]} threads ${C[threads]} exits ${C[exits]}" \
			"match ${C[switches_match_rusage]} checked ${C[tasks_checked]}/${C[tasks]}" \
			"failed ${C[tasks_check_failed]} reused ${C[tids_reused]}"
		[ "${C[execs]}" = 7 ]		# python, sh from a thread, 5 sleep
		# the leader and the thread that took its tid: two processes of one
		# tid (tids_reused), and the other thread; 5 sleep
		[ "${C[processes]}" = 7 ]
		[ "${C[threads]}" = 1 ]
		[ "${C[tids_reused]}" = 1 ]
		[ "${C[tasks]}" = 8 ]
		[ "${C[exits]}" = 8 ]
		[ "${C[switches_match_rusage]}" = 1 ]
		[ "${C[tasks_checked]}" = 8 ]
		[ "${C[tasks_check_failed]}" = 0 ]
		[ "${C[tasks_untracked]}" = 0 ]
	done
}

# bats test_tags=root
@test "interference_s: a busy loop outside the tree on the tree's CPU is in it, as its own CPU time says" {
	# the outsider: pinned to CPU 0, at nice -10 so that a busy machine
	# does not starve it; ends by itself after 30 s
	nice -n -10 taskset -c 0 "$PROGS/col_spin" 30 >/dev/null 2>&1 3>&- &
	bg=$!
	[ "$(getconf CLK_TCK)" = 100 ]
	ticks() { awk '{ print $14 + $15 }' "/proc/$bg/stat"; }
	before=$(ticks)
	# the tree, pinned to CPU 0 too and busy there, reads the outsider's
	# CPU time (utime + stime) as its first and its last act, and goes on
	# until the outsider had 0.2 s of it (4 s at most): that much of the
	# outsider's CPU time lies inside the window
	"$TOOL" run --csv "$csv" -- taskset -c 0 sh -c '
		ticks() { awk "{ print \$14 + \$15 }" /proc/$1/stat; }
		a=$(ticks $1)
		echo $a >"$2/a"
		i=0
		while [ $(( $(ticks $1) - a )) -lt 20 ] && [ $i -lt 40 ]; do
			"$3" 0.1
			i=$((i + 1))
		done
		ticks $1 >"$2/b"' sh "$bg" "$BATS_TEST_TMPDIR" "$PROGS/col_spin" 2>/dev/null
	after=$(ticks)
	stop_bg
	inside=$(( $(cat "$BATS_TEST_TMPDIR/b") - $(cat "$BATS_TEST_TMPDIR/a") ))
	csv_load "$csv"
	echo "# outsider CPU: $((inside * 10)) ms in the window, $((before * 10)) -> $((after * 10)) ms around the run; interference ${C[interference_s]} s, cpu0 other ${C[cpu0_other_pct]}% of ${C[window_s]} s" >&3
	[ "$inside" -ge 5 ]
	# clock ticks (10 ms) and a scheduler tick's stale runtime at each end: 30 ms
	fcmp "${C[interference_s]} >= $inside / 100 - 0.03"
	# all of it on CPU 0
	fcmp "${C[cpu0_other_pct]} / 100 * ${C[window_s]} >= $inside / 100 - 0.03"
	fcmp "${C[interference_s]} <= ${C[window_s]} * $(nproc) + 0.001"
	[ "$inside" -le $(( after - before + 1 )) ]
	rate_ok
}

# bats test_tags=root
@test "tids_reused: pids freed and taken again in the run (clone3 set_tid) are counted, each task kept" {
	# the only way within a run without a global setting (pid_max,
	# ns_last_pid): clone3 asking for the pid a reaped child had; root
	run -0 "$TOOL" run --user root --csv "$csv" -- "$PROGS/col_tidreuse" 10
	line=$(grep '^children=' <<<"$output")
	echo "# $line" >&3
	reused=$(sed 's/.*reused=\([0-9]*\).*/\1/' <<<"$line")
	children=$(sed 's/^children=\([0-9]*\).*/\1/' <<<"$line")
	[ "$reused" -ge 1 ] || skip "clone3 set_tid refused here: $line"
	csv_load "$csv"
	[ "${C[tids_reused]}" = "$reused" ]
	[ "${C[processes]}" = $(( children + 1 )) ]
	[ "${C[tasks_check_failed]}" = 0 ]	# two tasks of one tid never mixed
	[[ "$output" == *"  $reused tids of exited tasks were reused by new ones"* ]]
}

# bats test_tags=root
@test "lost_futex_keys: distinct futex words beyond the map's room are lost, exactly the excess; none below it" {
	cap=$(sed -n 's/^#define MAX_FUTEX_KEYS[[:space:]]*\([0-9]*\).*/\1/p' "$ROOT/bpf/events.h")
	[ "$cap" -gt 0 ]
	# one thread, cap + 100 words, one 50 us wait each: each a timed-out
	# wait with a (word, waiter) key of its own if it slept (the program
	# counts those from its own nvcsw: nearly all do)
	n=$(( cap + 100 ))
	# with --events the figures come from the replay of the events: it has
	# the kernel's room, and counts alike
	"$TOOL" run --syscalls --events "$BATS_TEST_TMPDIR/e.csv.gz" --csv "$csv" -- \
		"$PROGS/col_futexkeys" $n >"$out" 2>"$err"
	[ "$(field timedout "$out")" = $n ]
	slept=$(field slept "$out")
	[ "$slept" -gt "$cap" ]
	csv_load "$csv"
	# both views count the timeouts of waits that slept; the scheduler sees
	# them by their timer's waking, but one the kernel did not report
	# (docs/report.md: the switch-in after it is then unmatched or unseen)
	[ "${C[futex_sys_timeouts]}" = "$slept" ]
	[ "${C[futex_timeouts]}" -le "$slept" ]
	[ "${C[futex_timeouts]}" -ge $(( slept - C[switch_ins_unseen] - C[wakeups_unmatched] )) ]
	[ "${C[futex_waits]}" = "$slept" ]
	[ "${C[futex_sys_waits]}" = "$slept" ]
	[ "${C[lost_futex_keys]}" = $(( slept - cap )) ]
	[ "${C[events_lost]}" -ge $(( slept - cap )) ]
	grep -q " $(( slept - cap )) futex keys\$" "$err"
	rate_ok
	"$TOOL" report "$BATS_TEST_TMPDIR/e.csv.gz" --csv "$csv" 2>/dev/null
	csv_load "$csv"
	[ "${C[lost_futex_keys]}" = $(( slept - cap )) ]
	# the scheduler's view alone, by default
	"$TOOL" run --csv "$csv" -- "$PROGS/col_futexkeys" 1000 >"$out" 2>/dev/null
	[ "$(field timedout "$out")" = 1000 ]
	csv_load "$csv"
	[ "${C[futex_calls]}" = 0 ]
	[ "${C[futex_waits]}" = "$(field slept "$out")" ]
	[ "${C[lost_futex_keys]}" = 0 ]
}

# bats test_tags=root
@test "futex_keys_folded: keys of tasks gone give their room back; the heaviest kept to the room, the rest folded, exactly" {
	cap=$(sed -n 's/^#define MAX_FUTEX_KEYS[[:space:]]*\([0-9]*\).*/\1/p' "$ROOT/bpf/events.h")
	[ "$cap" -gt 0 ]
	# two processes one after the other, cap - 100 words each: more keys
	# than the room over the run, never at once. The kernel's view, then
	# the replay's (--events), then the replay of the file
	n=$(( cap - 100 ))
	for how in kernel events report; do
		case $how in
		kernel)	"$TOOL" run --csv "$csv" -- "$PROGS/col_futexkeys" $n 2 >"$out" 2>"$err" ;;
		events)	"$TOOL" run --events "$BATS_TEST_TMPDIR/e.csv.gz" --csv "$csv" -- \
				"$PROGS/col_futexkeys" $n 2 >"$out" 2>"$err" ;;
		report)	"$TOOL" report "$BATS_TEST_TMPDIR/e.csv.gz" --csv "$csv" >"$err" 2>&1 ;;
		esac
		[ "$(grep -c '^timedout=' "$out")" = 2 ]
		slept=$(( $(field slept "$out" 1) + $(field slept "$out" 2) ))
		echo "# $how: slept $slept, room $cap" >&3
		[ "$slept" -gt "$cap" ]
		csv_load "$csv"
		[ "${C[futex_waits]}" = "$slept" ]
		[ "${C[lost_futex_keys]}" = 0 ]
		[ "${C[keys_folded_in_kernel]}" = 0 ]
		# a key a wait: all gone by the end, the room's worth kept
		[ "${C[futex_keys_folded]}" = $(( slept - cap )) ]
		[ "${C[futex_keys_folded_waits]}" = $(( slept - cap )) ]
		grep -q "  and $(( slept - cap )) lighter (word, waiter) keys of tasks gone, $(( slept - cap )) waits" "$err"
	done
}

# bats test_tags=root
@test "pairs_folded: pairs of tasks gone give their room back; the heaviest kept, the rest folded, each wakeup counted once" {
	# 12 threads one after another, thread i ping-pongs with main i * 50
	# times: 24 pairs, the last threads' the heaviest, through a room of 8.
	# First come, first kept would keep the lightest and lose the rest.
	for how in kernel events report; do
		case $how in
		kernel)	"$TOOL" run --max-pairs 8 --csv "$csv" -- "$PROGS/col_pairs" 12 50 \
				>"$out" 2>"$err" ;;
		events)	"$TOOL" run --max-pairs 8 --events "$BATS_TEST_TMPDIR/e.csv" --csv "$csv" -- \
				"$PROGS/col_pairs" 12 50 >"$out" 2>"$err" ;;
		report)	"$TOOL" report "$BATS_TEST_TMPDIR/e.csv" --csv "$csv" >"$err" 2>&1 ;;
		esac
		[ "$(grep -c '^tid=' "$out")" = 12 ]
		csv_load "$csv"
		main=$(task_rows "$err" | awk '{print $1}' | sort -n | head -1)
		rows=$(pair_rows "$err")
		echo "# $how: $(wc -l <<<"$rows") rows, ${C[pairs_folded]} folded" >&3
		[ "${C[lost_pairs]}" = 0 ]
		[ "${C[keys_folded_in_kernel]}" = 0 ]
		# every wakeup in one pair, listed or folded; every pair in one place
		[ "$(awk '{s += $3} END {print s}' <<<"$rows")" = \
		  $(( C[wakeup_latency_same_cpu_count] + C[wakeup_latency_cross_cpu_count] - C[pairs_folded_wakeups] )) ]
		[ "${C[pairs_folded]}" -ge 12 ]
		[ $(( $(wc -l <<<"$rows") + C[pairs_folded] )) -le 26 ]
		# the two heaviest threads' pairs kept, each as its threads saw it:
		# at most the wakee's woken waits (main's join: one more, by the
		# thread's exit), at least those but the sleeps whose switch-in or
		# waking the kernel did not report (and a page fault's sleep or two)
		for line in 11 12; do
			tid=$(field tid "$out" $line)
			there=$(pair_count "$err" "$main" "$tid") back=$(pair_count "$err" "$tid" "$main")
			ws=$(field worker_slept "$out" $line) ms=$(field main_slept "$out" $line)
			echo "#   $main -> $tid: $there (woken $ws); back: $back (woken $ms)" >&3
			[ "$there" -le "$ws" ]
			[ "$there" -ge $(( ws - C[switch_ins_unseen] - C[wakeups_unmatched] - 2 )) ]
			[ "$back" -le $(( ms + 1 )) ]
			[ "$back" -ge $(( ms - C[switch_ins_unseen] - C[wakeups_unmatched] - 2 )) ]
		done
		# the lightest thread's not kept
		tid=$(field tid "$out" 1)
		[ -z "$(pair_count "$err" "$main" "$tid")" ]
		[ -z "$(pair_count "$err" "$tid" "$main")" ]
	done
}

# bats test_tags=root
@test "tasks: a run makes many more tasks than --max-tasks follows at once; each counted and checked" {
	# 300 processes one after another, 16 followed at once: the figures of
	# each gone task leave the kernel as the run goes (tasks beyond the 64
	# busiest are folded into totals, tests/unit/tasks_check.c)
	"$TOOL" run --max-tasks 16 --csv "$csv" -- sh -c 'for i in $(seq 300); do /bin/true; done' \
		2>"$err"
	csv_load "$csv"
	echo "tasks ${C[tasks]} checked ${C[tasks_checked]} untracked ${C[tasks_untracked]}" \
		"folded in the kernel ${C[tasks_folded_in_kernel]}"
	[ "${C[processes]}" = 302 ]	# sh, seq, 300 true
	[ "${C[tasks]}" = 302 ]
	[ "${C[tasks_checked]}" = 302 ]
	[ "${C[tasks_check_failed]}" = 0 ]
	[ "${C[switches_match_rusage]}" = 1 ]
	[ "${C[tasks_untracked]}" = 0 ]
	[ "${C[tasks_folded_in_kernel]}" = 0 ]
	grep -q "^per task (busiest 20 of 302;" "$err"
	# the replay of the same run's events folds alike
	"$TOOL" run --max-tasks 16 --events "$BATS_TEST_TMPDIR/e.csv" -- \
		sh -c 'for i in $(seq 300); do /bin/true; done' 2>/dev/null
	"$TOOL" report "$BATS_TEST_TMPDIR/e.csv" --csv "$csv" 2>/dev/null
	csv_load "$csv"
	[ "${C[tasks]}" = 302 ]
	[ "${C[tasks_checked]}" = 302 ]
	[ "${C[tasks_check_failed]}" = 0 ]
}

# bats test_tags=root
@test "tasks_untracked: tasks alive at once beyond --max-tasks are counted, exactly the excess" {
	# sh and 30 sleeps alive together, 16 slots: the first 15 sleeps get one
	"$TOOL" run --max-tasks 16 --csv "$csv" -- \
		sh -c "for i in $(seq 30 | tr '\n' ' '); do sleep 2 & done; wait" 2>"$err"
	csv_load "$csv"
	echo "tasks ${C[tasks]} untracked ${C[tasks_untracked]}"
	[ "${C[tasks]}" = 16 ]
	[ "${C[tasks_untracked]}" = 15 ]
	[ "${C[tasks_check_failed]}" = 0 ]
	grep -q "lost: 15 tasks untracked," "$err"
}

# bats test_tags=root
@test "tasks_folded_in_kernel: task ends while tracer is stopped overflow their ring; each still counted and checked" {
	d="$BATS_TEST_TMPDIR/d"
	n=24000
	# a record is 8 + 256 bytes (struct task_stat): a 4 MiB ring holds 15,887;
	# the rest the kernel folds into its totals
	burst_traced "$d" --csv "$csv" -- "$PROGS/col_threads" "$d" $n
	[ "$(field threads "$out")" = $n ]
	csv_load "$csv"
	echo "tasks ${C[tasks]} folded in the kernel ${C[tasks_folded_in_kernel]}" \
		"threads created ${C[threads_created]} checked ${C[tasks_checked]}"
	[ "${C[threads_created]}" = $n ]
	[ "${C[tasks]}" = $(( n + 1 )) ]
	[ "${C[threads]}" = $n ]
	[ "${C[tasks_folded_in_kernel]}" -ge $(( n - 4194304 / 264 )) ]
	# the kernel's counters of each, against ours: in the kernel too
	[ "${C[tasks_checked]}" = $(( n + 1 )) ]
	[ "${C[tasks_check_failed]}" = 0 ]
	[ "${C[switches_match_rusage]}" = 1 ]
	[ "${C[tasks_untracked]}" = 0 ]
	[ "${C[events_lost]}" = 0 ]
	grep -q "^  ${C[tasks_folded_in_kernel]} tasks gone while tracer's reader was behind: folded" "$err"
}

# bats test_tags=root
@test "pairs folded in the kernel: pairs gone while tracer is stopped overflow their ring; each keeps its wakeups" {
	d="$BATS_TEST_TMPDIR/d"
	n=4000
	# a gone pair is a record of ~1,330 bytes (its key and histogram): a
	# 2 MiB ring holds ~1,570; the kernel folds the rest into its counters,
	# where their wakeups are the slots' sum (the kernel keeps no count)
	burst_traced "$d" --csv "$csv" -- "$PROGS/col_wakeone" "$d" $n
	[ "$(field threads "$out")" = $n ]
	[ "$(field woken "$out")" = $n ]
	csv_load "$csv"
	echo "# pairs folded ${C[pairs_folded]}, their wakeups ${C[pairs_folded_wakeups]};" \
		"futex keys ${C[futex_keys_folded]}; in the kernel ${C[keys_folded_in_kernel]}" >&3
	[ "${C[lost_pairs]}" = 0 ]
	[ "${C[lost_futex_keys]}" = 0 ]
	# each thread's pair (main -> it, one wakeup) went while tracer was
	# stopped: those beyond the ring's room folded in the kernel (with
	# the threads' futex keys: the in-kernel count is of both)
	[ "${C[pairs_folded]}" -ge $(( n - 2097152 / 1300 )) ]
	[ $(( C[pairs_folded] + C[futex_keys_folded] )) -ge "${C[keys_folded_in_kernel]}" ]
	[ "${C[keys_folded_in_kernel]}" -ge $(( n - 2097152 / 1300 )) ]
	# a pair exists from its first wakeup, a key from its first wait:
	# folded ones have one at least
	[ "${C[pairs_folded_wakeups]}" -ge "${C[pairs_folded]}" ]
	[ "${C[futex_keys_folded_waits]}" -ge "${C[futex_keys_folded]}" ]
	# and no more than the run's wakeups
	[ "${C[pairs_folded_wakeups]}" -le \
	  $(( C[wakeup_latency_same_cpu_count] + C[wakeup_latency_cross_cpu_count] )) ]
}

# bats test_tags=root
@test "events_lost_ring: a burst while tracer is stopped overflows a 1 MiB ring; written + lost = made" {
	d="$BATS_TEST_TMPDIR/d" ev="$BATS_TEST_TMPDIR/ev.csv"
	n=200000
	# 200,000 futex records of 48 bytes: 9 MiB, in a 1 MiB ring nobody drains
	burst_traced "$d" --syscalls --ring-mb 1 --events "$ev" --csv "$csv" -- "$PROGS/col_burst" "$d" $n
	[ "$(field calls "$out")" = $n ]
	csv_load "$csv"
	rows() { "$PY" -c 'import csv, sys, collections
c = collections.Counter(r["kind"] for r in csv.DictReader(open(sys.argv[1], newline="")))
print(c[sys.argv[2]] if sys.argv[2] != "*" else sum(v for k, v in c.items() if k not in ("meta", "task")))' "$ev" "$1"; }
	written_fx=$(rows futex)
	echo "# futex records: $written_fx written, ${C[events_lost_futex]} lost of $n" >&3
	# the kernel's count of the calls is whole; the file lacks the lost ones
	[ "${C[futex_calls]}" = $n ]
	[ $(( written_fx + C[events_lost_futex] )) = $n ]
	# no more than the ring (and a stage per CPU, STAGE_BYTES) holds got through
	stage=$(sed -n 's/^#define STAGE_BYTES[[:space:]]*\([0-9]*\).*/\1/p' "$ROOT/bpf/events.h")
	[ "$stage" -ge 4096 ]
	[ "$written_fx" -le $(( (1048576 + stage * $(nproc)) / 48 )) ]
	sum=0
	for k in switch waking wakeup_new migrate fork exec exit futex; do
		sum=$(( sum + C[events_lost_$k] ))
	done
	[ "${C[events_lost_ring]}" = "$sum" ]
	[ "${C[events_written]}" = "$(rows '*')" ]
	[ "${C[events_lost]}" -ge "${C[events_lost_ring]}" ]
	grep -q "^tracer: warning: ${C[events_lost_ring]} event records lost" "$err"
	rate_ok

	# not stopped, the default ring: nothing lost, every call in the file
	rm -f "$d"/*
	touch "$d/go"
	"$TOOL" run --syscalls --events "$ev" --csv "$csv" -- "$PROGS/col_burst" "$d" 20000 >"$out" 2>/dev/null
	csv_load "$csv"
	[ "${C[events_lost_ring]}" = 0 ]
	[ "$(rows futex)" = 20000 ]
	[ "${C[events_written]}" = "$(rows '*')" ]
}

# bats test_tags=root
@test "-p: tasks gone after the window, before tracer read them, keep their figures" {
	"$WLDIR/prodcons" --items 1000000000 >/dev/null &
	bg=$!
	until [ "$(ls "/proc/$bg/task" | wc -l)" -ge 3 ]; do sleep 0.01; done
	# tracer stops itself as it comes to read the tasks still alive (its
	# first BPF iterator): the window is over, the tree is not
	FAULT_ITER_STOP=1 LD_PRELOAD="$ROOT/.output/fault.so" \
		"$TOOL" run -p "$bg" --duration 0.5 --csv "$csv" >"$out" 2>"$err" &
	tracer_pid=$!
	stopped "$tracer_pid"
	stop_bg		# its three tasks gone: no longer there to be read
	kill -CONT "$tracer_pid"
	wait "$tracer_pid"
	unset tracer_pid
	csv_load "$csv"
	echo "# tasks ${C[tasks]}, switches ${C[switches]}, alive at the end ${C[tasks_alive_at_end]}" >&3
	[ "${C[tasks]}" = 3 ]
	[ "${C[tasks_alive_at_end]}" = 3 ]
	[ "${C[switches]}" -gt 1000 ]
	[ "${C[events_lost]}" = 0 ]
}

# bats test_tags=root
@test "-p: threads made after the listing, by a thread not yet registered, are found" {
	d="$BATS_TEST_TMPDIR/d"
	mkdir "$d"
	"$PROGS/col_late" "$d" 3 &
	bg=$!
	until [ -e "$d/ready" ]; do sleep 0.01; done
	# tracer stops itself once it has listed the threads (leader and B), at
	# the first one's stat, before it registers any
	FAULT_FOPEN_STOP=/task/ FAULT_FOPEN_NTH=2 LD_PRELOAD="$ROOT/.output/fault.so" \
		"$TOOL" run -p "$bg" --duration 0.3 --csv "$csv" >"$out" 2>"$err" &
	tracer_pid=$!
	stopped "$tracer_pid"
	touch "$d/go"	# B makes 3 threads: no fork tracepoint knows B yet
	for _ in $(seq 3000); do [ -e "$d/done" ] && break; sleep 0.01; done
	[ -e "$d/done" ]
	[ "$(ls "/proc/$bg/task" | wc -l)" = 5 ]
	kill -CONT "$tracer_pid"
	wait "$tracer_pid"
	unset tracer_pid
	stop_bg
	csv_load "$csv"
	[ "${C[tasks]}" = 5 ]
	[ "${C[tasks_alive_at_end]}" = 5 ]
}

# bats test_tags=root
@test "bpf_runs_missed: the kernel's recursion_misses of tracer's own programs, in events_lost" {
	before=$(bpftool prog show -j | "$PY" -c 'import json, sys; print(max([p["id"] for p in json.load(sys.stdin)] + [0]))')
	# the witness: bpftool's view of the programs loaded since, as the command ends
	"$TOOL" run --csv "$csv" -- sh -c "'$WLDIR/pingpong' --unit thread --rounds 20000 >/dev/null; bpftool prog show -j >'$BATS_TEST_TMPDIR/progs.json'" >"$out" 2>"$err"
	read -r nprogs missed < <("$PY" - "$BATS_TEST_TMPDIR/progs.json" "$before" <<'PY'
import json, sys
ps = [p for p in json.load(open(sys.argv[1])) if p["id"] > int(sys.argv[2])]
print(len(ps), sum(p.get("recursion_misses", 0) for p in ps))
PY
)
	csv_load "$csv"
	echo "# tracer's programs: $nprogs, runs missed: bpftool $missed, tracer ${C[bpf_runs_missed]}" >&3
	[ "$nprogs" -ge 5 ]
	# later misses (the command's exit) count too: never fewer than the witness saw
	[ "${C[bpf_runs_missed]}" -ge "$missed" ]
	[ "${C[events_lost]}" -ge "${C[bpf_runs_missed]}" ]
	if [ "${C[bpf_runs_missed]}" -gt 0 ]; then
		grep -q "program runs the kernel skipped: ${C[bpf_runs_missed]} " "$out"
	else
		[ "$(grep -c "program runs the kernel skipped" "$out")" = 0 ]
	fi
}

# bats test_tags=root
@test "per task and who woke whom: a two-thread ping-pong's own tids, switch counts and wakes" {
	rounds=20000
	"$TOOL" run --csv "$csv" -- "$PROGS/col_pingpong" $rounds >"$out" 2>"$err"
	csv_load "$csv"
	rate_ok
	[ "${C[tasks]}" = 2 ]
	main=$(field tid "$out" 1) worker=$(field tid "$out" 2)
	echo "# $(tr '\n' ' ' <"$out")" >&3
	# the table's tids are the program's own (gettid)
	[ "$(task_rows "$err" | awk '{print $1}' | sort | tr '\n' ' ')" = "$(printf '%s\n' "$main" "$worker" | sort | tr '\n' ' ')" ]
	# the rows add up to the summary
	[ "$(task_rows "$err" | awk '{ s += $2 } END { print s }')" = "${C[switches_voluntary]}" ]
	[ "$(task_rows "$err" | awk '{ s += $3 } END { print s }')" = "${C[switches_involuntary]}" ]
	# each row against the thread's own getrusage at its end: then its
	# final switch (and main's join) to come, and at most a preemption or two
	for i in 1 2; do
		tid=$(field tid "$out" $i)
		vol=$(task_col "$err" "$tid" 2) invol=$(task_col "$err" "$tid" 3)
		nv=$(field nvcsw "$out" $i) niv=$(field nivcsw "$out" $i)
		[ "$vol" -ge $(( nv + 1 )) ]
		[ "$vol" -le $(( nv + 3 )) ]
		[ "$invol" -ge "$niv" ]
		[ "$invol" -le $(( niv + 3 )) ]
	done
	# who woke whom: the two pairs, each within what the threads saw
	tree_pairs "$err"
	[ "$(pair_rows "$err" | awk '{ s += $3 } END { print s }')" = "${C[wakeup_latency_count]}" ]
	for i in 1 2; do
		a=$(( 3 - i ))	# the waker's line; i: the wakee's
		A=$(field tid "$out" $a) B=$(field tid "$out" $i)
		p=$(pair_count "$err" "$A" "$B")
		woke=$(field woke "$out" $a)	# FUTEX_WAKE's returns: B dequeued by A
		slept=$(field slept "$out" $i)	# B's waits that returned 0: woken
		nv=$(field nvcsw "$out" $i)	# B's sleeps: only in those waits
		# +1: the worker's exit wakes main in pthread_join (after main's count)
		join=$(( i == 1 ? 1 : 0 ))
		echo "# $A -> $B: $p; waker's wakes $woke, wakee slept $slept, nvcsw $nv" >&3
		[ "$p" -le $(( woke + join )) ]
		[ "$p" -le $(( slept + join )) ]
		[ "$p" -le $(( nv + join )) ]
		# every sleep of B ended by A's wake, but those whose switch-in the
		# kernel did not report or whose waking was not seen (and a page
		# fault's sleep or two)
		[ "$p" -ge $(( nv - C[switch_ins_unseen] - C[wakeups_unmatched] - 2 )) ]
	done

	# the bundled thread-pingpong --cpus same: its two threads are the two
	# pairs, each at most the wakee's sleeps (its switches but its last)
	"$TOOL" run thread-pingpong --rounds 5000 --cpus same --csv "$csv" 2>"$err"
	csv_load "$csv"
	[ "${C[tasks]}" = 2 ]
	tree_pairs "$err"
	while read -r A B p; do
		[ "$p" -le $(( $(task_col "$err" "$B" 2) - 1 )) ]
	done < <(pair_rows "$err")
	# all the wakes its threads made, the join's, a rare D sleep's
	[ "${C[wakeup_latency_count]}" -le $(( C[wl_futex_wake_woke] + C[futex_blocked_wait_bitset] + C[offcpu_uninterruptible_count] )) ]
	rate_ok
}

# bats test_tags=root
@test "-v and -vv: -v names the tasks -p found, -vv adds libbpf's debug log" {
	# a process of 4 threads, as /proc says
	"$PY" -c 'import threading, time
for _ in range(3):
    threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
time.sleep(30)' >/dev/null 2>&1 3>&- &
	bg=$!
	for _ in $(seq 500); do
		[ "$(ls /proc/$bg/task | wc -l)" = 4 ] && break
		sleep 0.01
	done
	[ "$(ls /proc/$bg/task | wc -l)" = 4 ]
	run -0 --separate-stderr "$TOOL" run -p "$bg" --duration 0.2 -v
	[ "$(grep -c '^tracer: ' <<<"$stderr")" = 1 ]
	grep -qx "tracer: tracing 4 tasks of process $bg" <<<"$stderr"
	run -0 --separate-stderr "$TOOL" run -p "$bg" --duration 0.2
	[ "$(grep -c '^tracer: ' <<<"$stderr")" = 0 ]
	stop_bg
	# libbpf speaks only from -v on (warnings), its debug log at -vv
	run -0 --separate-stderr "$TOOL" run -- true
	[ "$(grep -c '^libbpf: ' <<<"$stderr")" = 0 ]
	run -0 --separate-stderr "$TOOL" run -v -- true
	v=$(grep -c '^libbpf: ' <<<"$stderr" || true)
	run -0 --separate-stderr "$TOOL" run -vv -- true
	vv=$(grep -c '^libbpf: ' <<<"$stderr")
	[ "$vv" -gt "$v" ]
	grep -q "^libbpf: loading object 'tracer_bpf'" <<<"$stderr"
	# said once: libbpf's messages carry their own prefix
	[ "$(grep -c '^libbpf: libbpf: ' <<<"$stderr")" = 0 ]
	# the report is still there, once
	[ "$(grep -c '^context switches of the traced tree' <<<"$stderr")" = 1 ]
}

# bats test_tags=root
@test "verify: each short option does what its long one does" {
	run -0 "$TOOL" verify "-?"
	short=$output
	run -0 "$TOOL" verify --help
	[ "$output" = "$short" ]
	[[ "$short" == "Usage: tracer verify "* ]]

	# -q -o -v -c against --quick --only --verbose --csv: the same quick
	# run of C7 alone (timeslice --duration-ms 300, not the full 1000)
	mkdir "$BATS_TEST_TMPDIR/tmp"
	export TMPDIR="$BATS_TEST_TMPDIR/tmp"
	run -0 --separate-stderr "$TOOL" verify -q -o C7 -v -c "$BATS_TEST_TMPDIR/q1.csv"
	s1=$(sed 's|/tmp/tracer-verify[^/]*/|DIR/|; s|/[^ ]*/tracer-verify[^/]*/|DIR/|' <<<"$stderr" | grep '^tracer: run:')
	o1=$(grep -cE '^C[0-9]+ ' <<<"$output")
	run -0 --separate-stderr "$TOOL" verify --quick --only C7 --verbose --csv "$BATS_TEST_TMPDIR/q2.csv"
	s2=$(sed 's|/tmp/tracer-verify[^/]*/|DIR/|; s|/[^ ]*/tracer-verify[^/]*/|DIR/|' <<<"$stderr" | grep '^tracer: run:')
	[ "$o1" = 1 ]
	[ "$(grep -cE '^C[0-9]+ ' <<<"$output")" = 1 ]
	[[ "$output" == *"C7 "* ]]
	[ "$s1" = "$s2" ]
	[ "$(wc -l <<<"$s1")" = 1 ]
	[[ "$s1" == *" timeslice --threads 3 --duration-ms 300" ]]
	[ "$(cut -d, -f1,2 "$BATS_TEST_TMPDIR/q1.csv")" = "$(cut -d, -f1,2 "$BATS_TEST_TMPDIR/q2.csv")" ]
	[ "$(cut -d, -f1 "$BATS_TEST_TMPDIR/q1.csv" | sort -u | tr '\n' ' ')" = "C7 claim machine " ]
	# without -v, the same run shows no run line
	run -0 --separate-stderr "$TOOL" verify -q -o C7
	[ "$(grep -c '^tracer: run' <<<"$stderr")" = 0 ]
	[ "$(grep -cE '^C[0-9]+ ' <<<"$output")" = 1 ]

	# -f -o -c -P against --from --only --csv --plot: no run, same output
	m="$BATS_TEST_TMPDIR/m.csv"
	{
		echo "claim,measurement,value,unit,article_value,verdict,evidence"
		echo "C1,process_same_handoff_ns,2000,,,,"
		echo "C1,thread_same_handoff_ns,1500,,,,"
		echo "C1,coroutine_switch_ns,5,,,,"
		echo "C1,thread_cross_handoff_ns,40000,,,,"
		echo "C13,process_create_ns,300,,,,"
		echo "C13,thread_create_ns,100,,,,"
	} >"$m"
	run -0 --separate-stderr "$TOOL" verify -f "$m" -o C1 -c "$BATS_TEST_TMPDIR/f1.csv" -P "$BATS_TEST_TMPDIR/p1"
	short=$output
	run -0 --separate-stderr "$TOOL" verify --from "$m" --only C1 --csv "$BATS_TEST_TMPDIR/f2.csv" --plot "$BATS_TEST_TMPDIR/p2"
	[ "$output" = "$short" ]
	[ "$(grep -cE '^C[0-9]+ ' <<<"$output")" = 1 ]
	cmp "$BATS_TEST_TMPDIR/f1.csv" "$BATS_TEST_TMPDIR/f2.csv"
	[ "$(cut -d, -f1 "$BATS_TEST_TMPDIR/f1.csv" | sort -u | tr '\n' ' ')" = "C1 claim machine " ]
	[ "$(ls "$BATS_TEST_TMPDIR/p1")" = "$(ls "$BATS_TEST_TMPDIR/p2")" ]
	cmp "$BATS_TEST_TMPDIR/p1/switch_cost.csv" "$BATS_TEST_TMPDIR/p2/switch_cost.csv"

	# and the errors: -q with -f, -o with an unknown claim, as the long ones
	run -64 --separate-stderr "$TOOL" verify -q -f "$m"
	short=$stderr
	run -64 --separate-stderr "$TOOL" verify --quick --from "$m"
	[ "$stderr" = "$short" ]
	[[ "$short" == *"--quick and --from do not go together"* ]]
	run -64 --separate-stderr "$TOOL" verify -o C99 -f "$m"
	short=$stderr
	run -64 --separate-stderr "$TOOL" verify --only C99 --from "$m"
	[ "$stderr" = "$short" ]
	[[ "$short" == *"unknown claim 'C99'"* ]]
}
