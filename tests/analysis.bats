#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# What the kernel saw, checked against independent witnesses: the kernel's
# own per-task and per-tree counters, rusage CPU time, what the workload did.
bats_require_minimum_version 1.5.0

setup() {
	load helpers
	requires root btf python3
	csv="$BATS_TEST_TMPDIR/s.csv"
}

# bats test_tags=root
@test "per task, switch counts equal the kernel's nvcsw/nivcsw (threads and processes)" {
	for wl in thread-pingpong process-pingpong; do
		"$TOOL" run $wl --rounds 5000 --csv "$csv" 2>/dev/null
		csv_load "$csv"
		[ "${C[tasks_checked]}" = "${C[tasks]}" ]
		[ "${C[tasks_check_failed]}" = 0 ]
	done
	"$TOOL" run --csv "$csv" -- sh -c 'for i in 1 2 3 4 5; do sleep 0.01 & done; wait' 2>/dev/null
	csv_load "$csv"
	[ "${C[tasks]}" = 6 ]
	[ "${C[tasks_checked]}" = 6 ]
	[ "${C[tasks_check_failed]}" = 0 ]
}

# bats test_tags=root
@test "a loop of forks and execs: the tree's switches match its rusage, reaped processes allowed for" {
	for _ in 1 2 3; do
		"$TOOL" run --csv "$csv" -- sh -c 'for i in $(seq 200); do /bin/true; done' 2>/dev/null
		csv_load "$csv"
		[ "${C[processes]}" = 202 ]	# sh, seq, 200 true
		[ "${C[switches_match_rusage]}" = 1 ]
		[ "${C[tasks_check_failed]}" = 0 ]
	done
}

# bats test_tags=root
@test "on-CPU time agrees within 2% with the tree's rusage CPU time" {
	"$TOOL" run --csv "$csv" -- \
		sh -c 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done' 2>/dev/null
	csv_load "$csv"
	# the kernel does not report the switches of a guest agent's threads
	# here: the run after a switch-in from one comes from the kernel's count
	[ "${C[switch_ins_unseen]}" = 0 ] ||
		echo "# ${C[switch_ins_unseen]} switch-ins unseen, ${C[oncpu_from_kernel_s]} s" >&3
	fcmp "${C[oncpu_s]} > 0.1"
	# the kernel's CPU time leaves out what the hypervisor stole from the
	# vCPU meanwhile; time on CPU between switches does not
	fcmp "abs(${C[oncpu_s]} - (${C[cpu_user_s]} + ${C[cpu_sys_s]})) <= 0.02 * ${C[oncpu_s]} + ${C[steal_s]}"
	# parallelism is on-CPU time over the window; levels partition the window
	fcmp "abs(${C[parallelism_avg]} - ${C[oncpu_s]} / ${C[window_s]}) < 0.01"
	levels=0; weighted=0
	for k in $(seq 0 15); do
		levels="$levels + ${C[concurrency_${k}_s]}"
		weighted="$weighted + $k * ${C[concurrency_${k}_s]}"
	done
	fcmp "abs($levels - ${C[window_s]}) <= 0.01 * ${C[window_s]}"
	fcmp "abs($weighted - ${C[oncpu_s]}) <= 0.02 * ${C[oncpu_s]}"
}

# bats test_tags=root
@test "each CPU's shares add up to the window: none counted after the command exits" {
	# the waits after the exit (its last switch, reaping) took them to 108-378%
	for _ in 1 2 3 4 5; do
		"$TOOL" run --csv "$csv" -- true 2>/dev/null
		csv_load "$csv"
		for ((cpu = 0; cpu < $(nproc); cpu++)); do
			fcmp "abs(${C[cpu${cpu}_tree_pct]} + ${C[cpu${cpu}_other_pct]} + ${C[cpu${cpu}_idle_pct]} - 100) <= 0.5"
		done
	done
	# the tree's shares are its on-CPU time, to the shares' rounding (0.005%
	# of the window a CPU) and a few us: 2-7 us in 8 runs. A switch-in the
	# kernel did not report (docs/report.md) once charged the hidden task's stretch
	# before the run to the tree too (+240 us with one unseen).
	for _ in 1 2 3; do
		"$TOOL" run --csv "$csv" -- sh -c 'for i in $(seq 300); do /bin/true; done' 2>/dev/null
		csv_load "$csv"
		tree=0
		for ((cpu = 0; cpu < $(nproc); cpu++)); do
			tree="$tree + ${C[cpu${cpu}_tree_pct]}"
		done
		# what a failure needs to be told apart (one CI run in ~13 was off by
		# +1.3 ms, 2026-12-06, cause not found): hidden switches, runs from the
		# kernel's count, tasks not followed or whose figures were dropped
		echo "window ${C[window_s]} s, oncpu ${C[oncpu_s]} s, unseen ${C[switch_ins_unseen]}," \
			"from the kernel's count ${C[oncpu_from_kernel_s]} s, untracked ${C[tasks_untracked]}," \
			"checked ${C[tasks_checked]}, failed ${C[tasks_check_failed]}, wakeups unmatched" \
			"${C[wakeups_unmatched]}, interference ${C[interference_s]} s"
		fcmp "abs(($tree) / 100 * ${C[window_s]} - ${C[oncpu_s]}) <= $(nproc) * 0.00005 * ${C[window_s]} + 20e-6"
	done
}

# bats test_tags=root
@test "a CPU no switch showed during the run is charged to what ran there, not to the tree" {
	[ "$(nproc)" -ge 2 ] || skip "needs two CPUs"
	# a real-time busy loop on CPU 1: no task of the time-sharing class
	# takes that CPU from it, so its switches are few or none. Its timeout
	# has a higher priority, or the loop would keep it from ever ending it.
	# tracer and its command keep to CPU 0.
	taskset -c 1 chrt -f 2 timeout 2 chrt -f 1 sh -c 'while :; do :; done' 3>&- &
	hog=$!
	taskset -c 0 "$TOOL" run --csv "$csv" -- true 2>/dev/null
	kill $hog 2>/dev/null || true
	wait $hog || true
	csv_load "$csv"
	echo "cpu1: tree ${C[cpu1_tree_pct]}%, other ${C[cpu1_other_pct]}%, idle ${C[cpu1_idle_pct]}%"
	fcmp "${C[cpu1_tree_pct]} == 0"
	fcmp "abs(${C[cpu1_tree_pct]} + ${C[cpu1_other_pct]} + ${C[cpu1_idle_pct]} - 100) <= 0.5"
}

# bats test_tags=root
@test "two CPU loops side by side are more parallel than the same loops in turn" {
	[ "$(nproc)" -ge 2 ] || skip "needs two CPUs"
	# ~0.6 s each: a start delayed by I/O (exec of taskset and sh, no CPU
	# used, so no interference) stays a small part of the window; 100,000
	# iterations, a 0.13 s window, once overlapped for 0.056 s
	loop='i=0; while [ $i -lt 1000000 ]; do i=$((i+1)); done'
	# pinned apart, at nice -20: a busy neighbour cannot keep them together
	both="taskset -c 0 sh -c '$loop' & taskset -c 1 sh -c '$loop' & wait"
	turns="taskset -c 0 sh -c '$loop'; taskset -c 1 sh -c '$loop'"
	"$TOOL" run --csv "$csv" -- nice -n -20 sh -c "$turns" 2>/dev/null
	csv_load "$csv"
	# in turns, two tasks run at once only around a fork (and while the
	# host steals a vCPU that one of them is on)
	fcmp "${C[oncpu_s]} <= 1.05 * ${C[window_s]} + ${C[steal_s]}"
	fcmp "${C[concurrency_2_s]} < 0.02 * ${C[window_s]} + ${C[steal_s]}"
	# side by side they overlap but while another task holds a CPU, or one
	# loop lags behind by as long, or the host steals a vCPU. A run whose
	# switch-in the kernel did not report (a guest agent's thread before
	# it) is counted in the levels from their last change on: one level
	# lower before (up to 0.38 s of a 1.5 s window here)
	"$TOOL" run --csv "$csv" -- nice -n -20 sh -c "$both" 2>/dev/null
	csv_load "$csv"
	echo "window ${C[window_s]} s: 2 at once ${C[concurrency_2_s]} s, interference" \
		"${C[interference_s]} s, steal ${C[steal_s]} s, from the kernel's count" \
		"${C[oncpu_from_kernel_s]} s"
	fcmp "${C[concurrency_2_s]} + 2 * (${C[interference_s]} + ${C[steal_s]}) + ${C[oncpu_from_kernel_s]} >= 0.7 * ${C[window_s]}"
}

# bats test_tags=root
@test "threads created equal what the program created" {
	"$TOOL" run --csv "$csv" -- "$PY" -c '
import threading
ts = [threading.Thread(target=lambda: None) for _ in range(7)]
for t in ts: t.start()
for t in ts: t.join()' 2>/dev/null
	csv_load "$csv"
	[ "${C[threads_created]}" = 7 ]
	[ "${C[threads]}" = 7 ]
	[ "${C[processes_created]}" = 1 ]	# the root
	# a thread whose first run the kernel hid (docs/report.md: a switch off
	# a guest agent's thread is not reported) has no creation latency, and
	# that run counts as an unseen switch-in: a CI run once had 6 of 7
	echo "create_thread_count ${C[create_thread_count]}, switch_ins_unseen ${C[switch_ins_unseen]}"
	[ "${C[create_thread_count]}" -le 7 ]
	[ "${C[create_thread_count]}" -ge $((7 - C[switch_ins_unseen])) ]
}

# bats test_tags=root
@test "a fork tree four levels deep is followed completely" {
	"$TOOL" run --csv "$csv" -- \
		sh -c 'sh -c "sh -c \"sleep 0.01 & wait\" & wait" & wait' 2>/dev/null
	csv_load "$csv"
	[ "${C[processes_created]}" = 4 ]
	[ "${C[exits]}" = 4 ]
	[ "${C[tasks_alive_at_end]}" = 0 ]
	# the root has no traced creator; a first run the kernel hid has no
	# creation latency (as for threads, above)
	[ "${C[create_process_count]}" -le 3 ]
	[ "${C[create_process_count]}" -ge $((3 - C[switch_ins_unseen])) ]
}

# bats test_tags=root
@test "condvar waits (FUTEX_WAIT_BITSET) are seen, not only FUTEX_WAIT" {
	"$TOOL" run --syscalls --csv "$csv" -- "$PY" -c '
import threading
c = threading.Condition(); turn = [0]
def worker():
    for i in range(100):
        with c:
            while turn[0] != 1: c.wait()
            turn[0] = 0; c.notify()
t = threading.Thread(target=worker); t.start()
for i in range(100):
    with c:
        turn[0] = 1; c.notify()
        while turn[0] != 0: c.wait()
t.join()' 2>/dev/null
	csv_load "$csv"
	[ "${C[futex_op_wait_bitset]}" -ge 100 ]
	[ "${C[futex_waits]}" -ge 100 ]
	[ "${C[futex_wait_count]}" = "${C[futex_waits]}" ]
	[ "${C[futex_op_wake]}" -gt 0 ]
}

# bats test_tags=root
@test "futex ping-pong: waits, EAGAINs and wakes equal the workload's own count of its calls" {
	# the processes make every futex call of the tree themselves
	"$TOOL" run process-pingpong --rounds 5000 --syscalls --csv "$csv" 2>/dev/null
	csv_load "$csv"
	[ "${C[wl_futex_wait_eintr]}" = 0 ]
	[ "${C[futex_op_wait]}" = "${C[wl_futex_wait_calls]}" ]
	# a wait blocked if it slept: one woken after it queued but before it
	# left the CPU returned 0 too; its sleeps are voluntary switches, of which
	# the others are the exits (2), the parent's waitpid and D sleeps
	[ "${C[futex_waits]}" -le "${C[wl_futex_wait_woken]}" ]
	[ "${C[futex_waits]}" -le "${C[switches_voluntary]}" ]
	[ "${C[futex_waits]}" -ge $(( C[switches_voluntary] - 3 - C[offcpu_uninterruptible_count] )) ]
	[ "${C[futex_eagain]}" = "${C[wl_futex_wait_eagain]}" ]
	[ "${C[futex_timeouts]}" = 0 ]
	[ "${C[futex_op_wake]}" = "${C[wl_futex_wake_calls]}" ]
	[ "${C[futex_wakes]}" = "${C[wl_futex_wake_calls]}" ]
	[ "${C[futex_woken]}" = "${C[wl_futex_wake_woke]}" ]
	[ "${C[futex_calls]}" = $(( C[wl_futex_wait_calls] + C[wl_futex_wake_calls] )) ]
	[ "${C[futex_wait_count]}" = "${C[futex_waits]}" ]
	# threads: glibc's pthread_join adds one wait (FUTEX_WAIT_BITSET on the
	# thread id) when the thread has not exited yet; the kernel's wake at
	# the thread's exit is no call
	"$TOOL" run thread-pingpong --rounds 5000 --syscalls --csv "$csv" 2>/dev/null
	csv_load "$csv"
	[ "${C[futex_calls_traced]}" = 1 ]
	[ "${C[create_basis]}" = clone ]
	join=${C[futex_op_wait_bitset]}
	[ "$join" -le 1 ]
	[ "${C[futex_op_wait]}" = "${C[wl_futex_wait_calls]}" ]
	[ "${C[futex_eagain]}" -ge "${C[wl_futex_wait_eagain]}" ]
	[ "${C[futex_eagain]}" -le $(( C[wl_futex_wait_eagain] + join )) ]
	[ "${C[futex_waits]}" -le $(( C[wl_futex_wait_woken] + join )) ]
	[ "${C[futex_op_wake]}" = "${C[wl_futex_wake_calls]}" ]
	# the join's wait, if it queued, is ended by the kernel's wake at exit
	[ "${C[futex_woken]}" -ge "${C[wl_futex_wake_woke]}" ]
	[ "${C[futex_woken]}" -le $(( C[wl_futex_wake_woke] + join )) ]
	ops=0
	for k in "${!C[@]}"; do
		if [[ $k == futex_op_* ]]; then ops=$((ops + C[$k])); fi
	done
	[ "${C[futex_calls]}" = "$ops" ]
	[ "${C[events_lost]}" = 0 ]
}

# bats test_tags=root
@test "wakeups: same-CPU and cross-CPU are told apart, and every sleep is matched" {
	# The witness: the tasks each futex wake woke, as the workload counted
	# them (FUTEX_WAKE's return). Every other wakeup of the tree: the join
	# (the exiting thread wakes the joiner, who blocked on FUTEX_WAIT_BITSET
	# if at all) and a rare D sleep (a page fault's I/O). A switch-in the
	# kernel did not report (docs/report.md: a guest agent's thread ran before it)
	# ends a sleep with no wakeup counted: under a fork storm 6 runs in 30
	# had 1-3.
	check_wakeups() {
		csv_load "$csv"
		woke=$(( C[wl_futex_wake_woke] + C[futex_blocked_wait_bitset] ))
		echo "wakeups ${C[wakeup_latency_count]}; woken by the workload ${C[wl_futex_wake_woke]}," \
			"join blocked ${C[futex_blocked_wait_bitset]}, D ${C[offcpu_uninterruptible_count]};" \
			"futex_woken ${C[futex_woken]}, S ${C[offcpu_sleep_count]}," \
			"blocked ${C[futex_waits]}, unmatched ${C[wakeups_unmatched]}, unseen ${C[switch_ins_unseen]}"
		# shown if it fails: the tree's S sleeps outside a futex wait (once
		# in a clean-clone CI run, --cpus cross, one wakeup more than the
		# bound below; not seen again in ~1,200 runs)
		"$PY" -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    if r["kind"] == "switch" and r["prev_tree"] == "1" and r["preempt"] == "0" \
       and int(r["prev_state"]) & 0x83 == 1 and not r["op"]:
        print("S sleep outside a futex wait:", r["ts_ns"], r["cpu"], r["tid"], r["comm"])' "$ev"
		# a wake can find its waiter queued on the futex but still on its
		# CPU, before it switched out: the workload counts it woken, and
		# there was no sleep to end (2 of 5,853 once, --cpus cross, in a
		# clean-clone CI run): a per-mille, and 2, allowed for
		[ "${C[wakeup_latency_count]}" -ge $(( woke - C[switch_ins_unseen] - woke / 1000 - 2 )) ]
		[ "${C[wakeup_latency_count]}" -le $(( woke + C[offcpu_uninterruptible_count] )) ]
		sleeps=$(( C[offcpu_sleep_count] + C[offcpu_uninterruptible_count] ))
		[ $(( C[wakeup_latency_count] + C[wakeups_unmatched] )) = "$sleeps" ]
		[ "${C[wakeup_latency_count]}" = $(( C[wakeup_latency_same_cpu_count] + C[wakeup_latency_cross_cpu_count] )) ]
	}
	ev=$BATS_TEST_TMPDIR/ev.csv
	# pinned to one CPU, the partner's wakes are all same-CPU
	"$TOOL" run thread-pingpong --rounds 3000 --cpus same --csv "$csv" --events "$ev" 2>/dev/null
	check_wakeups
	# less the wakeups an unseen switch-in ended (as check_wakeups allows)
	[ "${C[wakeup_latency_same_cpu_count]}" -ge $(( C[wl_futex_wake_woke] - C[switch_ins_unseen] )) ]
	[ "${C[wl_futex_wake_woke]}" -ge 1000 ]
	if [ "$(nproc)" -ge 2 ]; then
		# pinned apart, they are all cross-CPU. How many waits block depends
		# on whether the other vCPU was awake: 1,995 of 1,000 round trips
		# usually, once 96 (both awake, most waits found the word changed)
		"$TOOL" run thread-pingpong --rounds 3000 --cpus cross --csv "$csv" --events "$ev" 2>/dev/null
		check_wakeups
		# and the wakes that found their waiter still on its CPU (check_wakeups)
		[ "${C[wakeup_latency_cross_cpu_count]}" -ge $(( C[wl_futex_wake_woke] - C[switch_ins_unseen] - C[wl_futex_wake_woke] / 1000 - 2 )) ]
		[ "${C[wl_futex_wake_woke]}" -ge 10 ]
	fi
}

# bats test_tags=root
@test "-p traces a running tree, including what it forks meanwhile" {
	sh -c 'while :; do sleep 0.02; done' &
	bg=$!
	run --separate-stderr -0 "$TOOL" run -p "$bg" --duration 0.5 --csv "$csv"
	kill "$bg"
	csv_load "$csv"
	[ "${C[processes_created]}" -ge 3 ]
	[ "${C[exits]}" -ge 3 ]
	[ "${C[tasks_check_failed]}" = 0 ]
	[ "${C[switches_match_rusage]}" = 0 ]
	[[ "$stderr" == *"traced for 0.5"* ]]
	[[ "$stderr" == *"no rusage for a tree tracer did not start"* ]]
}

# bats test_tags=root
@test "-p: a found thread that exits gives its slot back, and the tasks forked after it are followed" {
	# the found thread exits at ~1 s; then the main thread runs true three times
	"$PY" -c 'import subprocess, threading, time
threading.Thread(target=time.sleep, args=(1,)).start()
time.sleep(1.5)
for _ in range(3):
    subprocess.run(["true"])
time.sleep(10)' &
	bg=$!
	sleep 0.3
	run --separate-stderr -0 "$TOOL" run -p "$bg" --duration 2.5 --csv "$csv"
	kill "$bg"
	csv_load "$csv"
	echo "tasks ${C[tasks]} created ${C[processes_created]} execs ${C[execs]} exits ${C[exits]}" \
		"untracked ${C[tasks_untracked]}"
	[ "${C[processes_created]}" = 3 ]
	[ "${C[execs]}" = 3 ]
	[ "${C[exits]}" = 4 ]	# the thread and the three
	[ "${C[tasks]}" = 5 ]
	[ "${C[tasks_untracked]}" = 0 ]
	[ "${C[tasks_check_failed]}" = 0 ]
}

# Tree tasks' time on a CPU in a --timeline file, in s.
timeline_oncpu() {
	"$PY" -c 'import csv, sys
print(sum(float(r["running_avg"]) * float(r["interval_ms"]) / 1e3
	  for r in csv.DictReader(open(sys.argv[1]))))' "$1"
}

# bats test_tags=root
@test "-p of a busy process: its on-CPU time equals the kernel's, the runs at both ends of the window included" {
	# busy for 0.8 s, then asleep: the kernel's count after the run is its
	# count at the window's end
	busy='import time
t = time.time()
while time.time() - t < 0.8: pass
time.sleep(60)'
	for mode in events summary; do
		# real-time: CFS tasks do not preempt it, so it is on a CPU when
		# tracer finds it and stays there until it sleeps
		chrt -f 1 "$PY" -c "$busy" &
		bg=$!
		sleep 0.1
		before=$(cut -d' ' -f1 /proc/$bg/schedstat)
		opts=(--csv "$csv")
		[ $mode = summary ] ||
			opts+=(--events "$BATS_TEST_TMPDIR/ev.csv" --timeline "$BATS_TEST_TMPDIR/tl.csv")
		"$TOOL" run -p "$bg" --duration 1.2 "${opts[@]}" 2>/dev/null
		after=$(cut -d' ' -f1 /proc/$bg/schedstat)
		kill "$bg"
		csv_load "$csv"
		echo "# $mode: on-CPU ${C[oncpu_s]} s, from the kernel's count ${C[oncpu_from_kernel_s]} s; kernel's count $before -> $after ns" >&3
		weighted=0
		for k in $(seq 1 15); do weighted="$weighted + $k * ${C[concurrency_${k}_s]}"; done
		fcmp "abs($weighted - ${C[oncpu_s]}) <= 0.02 * ${C[oncpu_s]}"
		if [ $mode = events ]; then
			# its CPU time when tracer found it, in its task row
			found=$("$PY" -c 'import csv, sys
r = [r for r in csv.DictReader(open(sys.argv[1], newline="")) if r["kind"] == "task"]
print(r[0]["run_ns"])' "$BATS_TEST_TMPDIR/ev.csv")
			fcmp "abs(${C[oncpu_s]} - ($after - $found) / 1e9) <= 0.02 * ${C[oncpu_s]} + 0.002"
			# the timeline has the run too: running tasks x interval lengths
			fcmp "abs($(timeline_oncpu "$BATS_TEST_TMPDIR/tl.csv") - ${C[oncpu_s]}) <= 0.02 * ${C[oncpu_s]}"
		else
			# found on a CPU; tracer attaches within some hundred ms of "before"
			fcmp "${C[oncpu_from_kernel_s]} > 0"
			fcmp "($after - $before) / 1e9 - 0.6 <= ${C[oncpu_s]} <= ($after - $before) / 1e9 + 0.002"
		fi
	done
}

# bats test_tags=root
@test "-p of tasks no switch shows in the window: a busy one on a CPU all along, a sleeping one off it" {
	sleep 60 &
	idle=$!
	for who in busy idle; do
		for opt in --csv --events; do
			# real-time, so no CFS task takes its CPU; a new one each time,
			# so the window ends before the kernel's real-time throttling
			# (950 ms a second) would switch it out
			chrt -f 1 "$PY" -c 'import time
t = time.time()
while time.time() - t < 1.2: pass' &
			busy=$!
			sleep 0.1
			pid=${!who}
			f=$BATS_TEST_TMPDIR/out.csv tl=$BATS_TEST_TMPDIR/tl.csv
			# --csv alone: the kernel's maps; --events: the events
			more=()
			[ $opt = --csv ] || more=(--timeline "$tl")
			"$TOOL" run -p $pid --duration 0.3 $opt "$f" --csv "$csv" "${more[@]}" 2>/dev/null
			wait $busy
			[ $opt = --csv ] || "$TOOL" report "$f" --csv "$BATS_TEST_TMPDIR/off.csv" >/dev/null 2>&1
			[ $opt = --csv ] || cmp "$csv" "$BATS_TEST_TMPDIR/off.csv"
			csv_load "$csv"
			echo "# $who $opt: ${C[switches]} switches, on-CPU ${C[oncpu_s]} s of ${C[window_s]} s" >&3
			if [ $who = idle ]; then
				[ "${C[oncpu_s]}" = 0.000000 ]
				continue
			fi
			# (a slow start may let throttling take 50 ms of the window)
			fcmp "${C[oncpu_s]} >= 0.75 * ${C[window_s]}"
			fcmp "abs(${C[concurrency_1_s]} - ${C[oncpu_s]}) <= 0.02 * ${C[oncpu_s]}"
			[ $opt = --csv ] ||
				fcmp "abs($(timeline_oncpu "$tl") - ${C[oncpu_s]}) <= 0.02 * ${C[oncpu_s]}"
		done
	done
	kill $idle
}

# bats test_tags=root
@test "-p of a process that does not exist is an error" {
	run --separate-stderr -1 "$TOOL" run -p 999999999
	[ "$stderr" = "tracer: error: no process 999999999 to trace" ]
}

# bats test_tags=root
@test "-p of a thread, of a zombie: one line each; a root gone before --duration ends is said" {
	requires python3
	local d="$BATS_TEST_TMPDIR" pid tid
	# a thread (not its process's first): the process is what -p takes
	"$PY" -c 'import os, threading, time
t = threading.Thread(target=time.sleep, args=(30,)); t.start()
print(os.getpid(), t.native_id, flush=True); t.join()' > "$d/ids" &
	for _ in $(seq 200); do [ -s "$d/ids" ] && break; sleep 0.05; done
	read -r pid tid < "$d/ids"
	run --separate-stderr -64 "$TOOL" run -p "$tid" --duration 0.1
	[ "$stderr" = "tracer: error: -p $tid is a thread of process $pid: give the process (its threads are traced with it)" ]
	kill "$pid"
	# a zombie: its parent has not reaped it
	"$PY" -c 'import os, time
pid = os.fork()
if pid == 0:
    os._exit(0)
print(pid, flush=True); time.sleep(30)' > "$d/zid" &
	local parent=$!
	for _ in $(seq 200); do [ -s "$d/zid" ] && break; sleep 0.05; done
	read -r pid < "$d/zid"
	for _ in $(seq 200); do grep -q '^State:.Z' "/proc/$pid/status" && break; sleep 0.05; done
	run --separate-stderr -1 "$TOOL" run -p "$pid" --duration 5
	[ "$stderr" = "tracer: error: -p $pid has exited: nothing to trace" ]
	kill "$parent"
	# but one whose main thread ended while its others run on (also Z) runs
	if [ -x "$PROGS/col_leaderexit" ]; then
		"$PROGS/col_leaderexit" &
		pid=$!
		for _ in $(seq 200); do grep -q '^State:.Z' "/proc/$pid/status" && break; sleep 0.05; done
		run --separate-stderr "$TOOL" run -p "$pid" --duration 0.2
		kill "$pid"
		[ "$status" = 0 ]
	fi
	# a root that exits before --duration: the window ends with it, said
	# (3 s: still there after tracer's start on a loaded machine)
	sleep 3 &
	run --separate-stderr -0 "$TOOL" run -p $! --duration 30
	[[ "$stderr" == "tracer: warning: process $! exited "*" s in: the trace ends there, before --duration's 30 s"* ]]
}

# bats test_tags=root
@test "-p: a task forked while /proc is read is followed from its fork, once" {
	requires python3
	local fault="$ROOT/.output/fault.so" d="$BATS_TEST_TMPDIR" pid tid t
	[ -f "$fault" ] || skip "needs make testprogs (fault.so)"
	# a process of two threads that forks a busy child at SIGUSR1 (the
	# child says so in a file); killed at the end
	"$PY" -c 'import os, signal, sys, threading, time
def fork(s, f):
    if os.fork() == 0:
        open(sys.argv[1], "w").close()
        t = time.time()
        while time.time() - t < 0.3: pass
        time.sleep(0.2); os._exit(0)
signal.signal(signal.SIGUSR1, fork)
t = threading.Thread(target=time.sleep, args=(60,), daemon=True); t.start()
print(os.getpid(), t.native_id, flush=True)
time.sleep(60)' "$d/forked" > "$d/pid" &
	for _ in $(seq 200); do [ -s "$d/pid" ] && break; sleep 0.05; done
	read -r pid tid < "$d/pid"
	# tracer stopped as it reads the second thread, the first registered:
	# the fork then is the programs' to follow, and /proc, read after it,
	# lists the child too
	LD_PRELOAD="$fault" FAULT_FOPEN_STOP="/task/$tid/stat" "$TOOL" run -p "$pid" \
		--duration 2 --csv "$d/s.csv" 2>"$d/err" &
	t=$!
	for _ in $(seq 500); do
		[ "$(cut -d' ' -f3 "/proc/$t/stat")" = T ] && break
		sleep 0.02
	done
	local stopped
	stopped=$(cut -d' ' -f3 "/proc/$t/stat")
	kill -USR1 "$pid"
	for _ in $(seq 250); do [ -e "$d/forked" ] && break; sleep 0.02; done
	kill -CONT "$t"
	wait "$t"
	kill "$pid"
	cat "$d/err"	# shown if it fails
	[ "$stopped" = T ]
	[ -e "$d/forked" ]
	csv_load "$d/s.csv"
	echo "switches ${C[switches]} unseen ${C[switch_ins_unseen]} checked ${C[tasks_checked]} failed ${C[tasks_check_failed]}"
	[ "${C[create_process_count]}" = 1 ]
	# its one slot saw it from the fork on: every switch-in, and at its
	# final switch its counts equal the kernel's
	[ "${C[switch_ins_unseen]}" = 0 ]
	[ "${C[tasks_checked]}" = 1 ]
	[ "${C[tasks_check_failed]}" = 0 ]
}

# bats test_tags=root
@test "-p of more tasks than --max-tasks: the rest counted untracked, and said" {
	requires python3
	local csv="$BATS_TEST_TMPDIR/s.csv" pid
	# a process of 21 tasks (20 threads), all there before tracer looks
	"$PY" -c 'import os, threading, time
ts = [threading.Thread(target=time.sleep, args=(30,)) for i in range(20)]
[t.start() for t in ts]
print(os.getpid(), flush=True); [t.join() for t in ts]' > "$BATS_TEST_TMPDIR/pid" &
	for _ in $(seq 200); do [ -s "$BATS_TEST_TMPDIR/pid" ] && break; sleep 0.05; done
	read -r pid < "$BATS_TEST_TMPDIR/pid"
	run --separate-stderr -0 "$TOOL" run -p "$pid" --max-tasks 8 --duration 0.2 --csv "$csv"
	kill "$pid"
	csv_load "$csv"
	echo "tasks ${C[tasks]} untracked ${C[tasks_untracked]}"	# shown if it fails
	[ "${C[tasks_untracked]}" -gt 0 ]
	[ $(( C[tasks] + C[tasks_untracked] )) = 21 ]
	[[ "$stderr" == *"tracer: warning: ${C[tasks_untracked]} tasks of process $pid not traced: no room for them (--max-tasks)"* ]]
}

# bats test_tags=root
@test "-p of tracer itself or a process it runs under needs --duration" {
	run --separate-stderr -64 timeout -s KILL 20 sh -c 'exec "$0" run -p $$' "$TOOL"
	[[ "$stderr" == "tracer: error: -p "*": tracer runs inside it and would wait for itself; give --duration" ]]
	run --separate-stderr -64 timeout -s KILL 20 "$TOOL" run -p $$
	run --separate-stderr -0 "$TOOL" run -p $$ --duration 0.1
}

# bats test_tags=root
@test "bad -p and --duration values are usage errors" {
	run --separate-stderr -64 "$TOOL" run -p abc
	[[ "${stderr_lines[0]}" == *"--pid: 'abc' is not a whole number"* ]]
	run --separate-stderr -64 "$TOOL" run -p 0
	run --separate-stderr -64 "$TOOL" run -p 1 --duration -1
	[[ "${stderr_lines[0]}" == *"--duration: '-1' is not a number of seconds"* ]]
	run --separate-stderr -64 "$TOOL" run --duration 5 -- true
	[ "$stderr" = "tracer: error: --duration needs -p" ]
	run --separate-stderr -64 "$TOOL" run -p 1 -- true
	[ "$stderr" = "tracer: error: -p traces a running process: give no workload or command with it" ]
}

# bats test_tags=root
@test "under sudo the command runs as the invoking user, and owns the CSV" {
	run --separate-stderr -0 env SUDO_UID=65534 SUDO_GID=65534 \
		"$TOOL" run --csv "$csv" -- sh -c 'id -u; id -g; echo "$HOME"'
	[ "${lines[0]}" = 65534 ]
	[ "${lines[1]}" = 65534 ]
	[ "${lines[2]}" = "$(getent passwd 65534 | cut -d: -f6)" ]
	[ "$(stat -c %u "$csv")" = 65534 ]
}

# bats test_tags=root
@test "--user runs the command as that user; an unknown user is an error" {
	run -0 "$TOOL" run --user nobody -- id -un
	[ "${lines[0]}" = nobody ]
	run --separate-stderr -64 "$TOOL" run --user no-such-user-x -- true
	[ "$stderr" = "tracer: error: --user: no such user 'no-such-user-x'" ]
}

# bats test_tags=root
@test "with CAP_BPF+CAP_PERFMON, not root: traced, --user self works, the command gets no capability" {
	command -v setpriv >/dev/null || skip "needs setpriv (util-linux)"
	# tracer where nobody can run it; its capabilities ambient, as setpriv or
	# systemd's AmbientCapabilities give them
	d="$BATS_TEST_TMPDIR/bin"
	mkdir -m 755 "$d"
	install -m 755 "$TOOL" "$d/tracer"
	asnobody() {
		setpriv --reuid nobody --regid "$(id -g nobody)" --clear-groups \
			--inh-caps +bpf,+perfmon --ambient-caps +bpf,+perfmon "$@"
	}
	run --separate-stderr -0 asnobody sh -c 'grep CapAmb /proc/self/status'
	[[ "$output" != *"0000000000000000" ]]	# the witness: the caps do pass an exec
	for user in "" "--user nobody" "--user 65534"; do
		# shellcheck disable=SC2086
		run --separate-stderr -0 asnobody "$d/tracer" run $user -- \
			sh -c 'grep CapAmb /proc/self/status; id -un'
		[ "${lines[0]}" = "CapAmb:	0000000000000000" ]
		[ "${lines[1]}" = nobody ]
		[[ "$stderr" == *"tasks equal the kernel's"* ]]
	done
	run --separate-stderr -64 asnobody "$d/tracer" run --user root -- true
	[ "$stderr" = "tracer: error: --user needs root" ]
}

# bats test_tags=root
@test "--bpf-stats reports each program's cost per run" {
	run --separate-stderr -0 "$TOOL" run --bpf-stats --syscalls --csv "$csv" thread-pingpong --rounds 2000
	csv_load "$csv"
	# each program runs on every event of the machine, the tree's among them
	bpf_runs() {
		[[ "$stderr" =~ BPF\ $1\ +([0-9]+)\ runs,\ +([0-9.]+)\ ns/run ]]
		fcmp "${BASH_REMATCH[2]} > 0"
		echo "${BASH_REMATCH[1]}"
	}
	[ "$(bpf_runs handle_sched_switch)" -ge "${C[switches]}" ]
	[ "$(bpf_runs handle_sched_waking)" -ge "${C[wakeups]}" ]
	[ "$(bpf_runs handle_enter_futex)" -ge "${C[futex_calls]}" ]
	[ "$(bpf_runs handle_exit_futex)" -ge "${C[futex_calls]}" ]
	[ "$(bpf_runs handle_sched_process_exit)" -ge "${C[exits]}" ]
}

# bats test_tags=root
@test "a coroutine ping-pong of a million switches makes (almost) no kernel switch" {
	"$TOOL" run coroutine-pingpong --rounds 1000000 --csv "$csv" >/dev/null 2>&1
	csv_load "$csv"
	[ "${C[wl_round_trips]}" = 1000000 ]
	[ "${C[tasks]}" = 1 ]
	# it never waits (no S sleep): its voluntary switches are its exit and
	# the kernel's own D waits (pinning itself waits for the migration:
	# one in 13 of 30 runs, two in 1, which failed "at most 2" once on a
	# clean clone); preemption by a busy neighbour is all the rest
	echo "voluntary ${C[switches_voluntary]}, S ${C[offcpu_sleep_count]}," \
		"D ${C[offcpu_uninterruptible_count]}, unseen ${C[switch_ins_unseen]}"
	[ "${C[offcpu_sleep_count]}" = 0 ]
	[ "${C[switches_voluntary]}" -ge $(( 1 + C[offcpu_uninterruptible_count] )) ]
	[ "${C[switches_voluntary]}" -le $(( 1 + C[offcpu_uninterruptible_count] + C[switch_ins_unseen] )) ]
	[ "${C[switches]}" -lt 1000 ]
	[ "${C[futex_calls]}" = 0 ]
}

# bats test_tags=root
@test "spawn: the threads and processes traced are the ones the workload made" {
	"$TOOL" run spawn --unit thread --count 50 --csv "$csv" >/dev/null 2>&1
	csv_load "$csv"
	[ "${C[wl_count]}" = 50 ]
	[ "${C[threads_created]}" = 50 ]
	[ "${C[tasks_check_failed]}" = 0 ]
	"$TOOL" run spawn --unit process --count 30 --csv "$csv" >/dev/null 2>&1
	csv_load "$csv"
	[ "${C[processes_created]}" = 31 ]	# with the root
	[ "${C[exits]}" = 31 ]
	[ "${C[tasks_check_failed]}" = 0 ]
}

# bats test_tags=root
@test "10,000 threads: every one tracked, every waker pair kept, nothing lost" {
	"$TOOL" run spawn --unit thread --count 10000 --csv "$csv" >/dev/null 2>&1
	csv_load "$csv"
	[ "${C[threads_created]}" = 10000 ]
	[ "${C[tasks_untracked]}" = 0 ]
	[ "${C[lost_pairs]}" = 0 ]
	[ "${C[events_lost]}" = 0 ]
	[ "${C[tasks_check_failed]}" = 0 ]
}

# bats test_tags=root
@test "cpu-bound: processes run side by side, threads under the GIL emulation do not" {
	[ "$(nproc)" -ge 2 ] || skip "needs two CPUs"
	# Under the lock one thread runs at a time, bar the hand-offs: 0.98-1.01
	# here. A vCPU the host takes away while a thread is on it stays "on
	# CPU" for the guest, so the machine's steal time is allowed on top (a
	# CI run once read 1.15).
	"$TOOL" run cpu-bound --mode gil --tasks 2 --work 40000000 --csv "$csv" >/dev/null 2>&1
	csv_load "$csv"
	[ "${C[futex_waits]}" -gt 0 ]		# the lock is handed over
	fcmp "${C[oncpu_s]} <= 1.1 * ${C[window_s]} + ${C[steal_s]}"
	# Two processes overlap while both run, unless another task holds a CPU
	# (interference) or one lags behind by as much (it then runs alone at
	# the end): both at once at least the window less twice the
	# interference, bar the start and the end (forks, exits: 30% of the
	# window is ample for 0.33 s of work, 0.95-0.99 of it both at once when
	# quiet; 40M iterations, a 68 ms window, once read 0.62). Allowed too:
	# what the tree's own figures show of a lag (runnable but not on a CPU,
	# new and not yet run, in D), and a run whose switch-in the kernel did
	# not report (docs/report.md), which the levels count one lower until its end:
	# oncpu_from_kernel_s. A CI run read 0.205 s of 0.339 s both at once
	# with 3.5 ms of interference; one seen since had a 58 ms unseen run.
	"$TOOL" run cpu-bound --mode processes --tasks 2 --work 200000000 --csv "$csv" >/dev/null 2>&1
	csv_load "$csv"
	[ "${C[wl_checksum]}" != "" ]
	lag=$("$PY" -c 'import sys; a = sys.argv[1:]; print(sum(float(a[i]) * float(a[i + 1]) for i in range(0, len(a), 2)) / 1e6)' \
		"${C[preempt_delay_count]}" "${C[preempt_delay_avg_us]}" \
		"${C[wakeup_latency_count]}" "${C[wakeup_latency_avg_us]}" \
		"${C[create_process_count]}" "${C[create_process_avg_us]}" \
		"${C[offcpu_uninterruptible_count]}" "${C[offcpu_uninterruptible_avg_us]}")
	echo "both at once ${C[concurrency_2_s]} s of ${C[window_s]} s; interference ${C[interference_s]} s; the tree's own lag $lag s; unseen runs ${C[oncpu_from_kernel_s]} s"
	fcmp "${C[concurrency_2_s]} + 2 * ${C[interference_s]} + $lag + ${C[oncpu_from_kernel_s]} >= 0.7 * ${C[window_s]}"
}

# bats test_tags=root
@test "prodcons: condvar waits are FUTEX_WAIT_BITSET, which a FUTEX_WAIT-only tracer misses" {
	"$TOOL" run prodcons --items 20000 --capacity 4 --syscalls --csv "$csv" >/dev/null 2>&1
	csv_load "$csv"
	[ "${C[futex_op_wait_bitset]}" -gt 0 ]
	[ "${C[futex_op_wait_bitset]}" -gt "${C[futex_op_wait]}" ]
	[ "${C[futex_waits]}" -gt 0 ]
	# the scheduler's view, without the syscall tracepoints
	"$TOOL" run prodcons --items 20000 --capacity 4 --csv "$csv" >/dev/null 2>&1
	csv_load "$csv"
	[ "${C[futex_calls]}" = 0 ]
	[ "${C[futex_blocked_wait_bitset]}" -gt 0 ]
	[ "${C[futex_waits]}" -ge "${C[futex_blocked_wait_bitset]}" ]
}

# bats test_tags=root
@test "no syscall tracepoint by default, --syscalls adds them, the last option given wins" {
	# the witness: the kernel's own list of attached programs, read from
	# inside the run, those of this tracer (the command's parent) alone
	ours='bpftool perf | grep "^pid $PPID "'
	"$TOOL" run --syscalls -- sh -c "$ours" 2>/dev/null | grep -q ' sys_enter_futex$'
	run -0 "$TOOL" run --no-syscalls --syscalls -- sh -c "$ours"
	grep -q ' sys_exit_futex$' <<<"$output"
	run -0 "$TOOL" run --syscalls --no-syscalls -- sh -c "$ours"
	run ! grep -q ' sys_enter' <<<"$output"
	run -0 "$TOOL" run --csv "$csv" -- sh -c "$ours"
	out=$output
	grep -q ' sched_switch$' <<<"$out"
	run ! grep -q ' sys_' <<<"$out"
	grep -q 'not traced: futex calls and clone entry (with --syscalls)' <<<"$out"
	# switches stay exact; futex waits and wakeups come from the scheduler
	"$TOOL" run thread-pingpong --rounds 2000 --csv "$csv" >/dev/null 2>"$BATS_TEST_TMPDIR/err"
	grep -q 'thread creation: fork tracepoint -> thread first on CPU' "$BATS_TEST_TMPDIR/err"
	grep -q '(calls, EAGAIN: with --syscalls)' "$BATS_TEST_TMPDIR/err"
	csv_load "$csv"
	[ "${C[futex_calls_traced]}" = 0 ]
	[ "${C[create_basis]}" = fork ]
	[ "${C[futex_calls]}" = 0 ]
	[ "${C[futex_sys_waits]}" = 0 ]
	join=${C[futex_blocked_wait_bitset]}
	[ "$join" -le 1 ]
	[ "${C[futex_blocked_wait]}" -le "${C[wl_futex_wait_woken]}" ]
	[ "${C[futex_waits]}" = $(( C[futex_blocked_wait] + join )) ]
	[ "${C[futex_woken]}" -ge "${C[wl_futex_wake_woke]}" ]
	[ "${C[futex_woken]}" -le $(( C[wl_futex_wake_woke] + join )) ]
	[ "${C[threads_created]}" = 1 ]
	[ "${C[switches_match_rusage]}" = 1 ]
	[ "${C[tasks_check_failed]}" = 0 ]
	[ "${C[tasks_checked]}" -ge 2 ]
}
