#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# tracer's wakeups and scheduling delays against an independent witness on
# the same run: a system-wide `perf record` of the tracepoints `perf sched
# record` takes, around `tracer run`. perf reads the same kernel
# tracepoints through its own perf_event ring buffers, with its own clock
# (sched_clock, not tracer's CLOCK_MONOTONIC); the tree (perf's fork records
# of tracer's child and its descendants), the wakings and the delays come
# from perf's records alone, parsed by tests/witness/perf_sched.py
# (runqlat's bookkeeping). tracer's side: its event CSV (one row per traced
# event) and summary CSV.
#
# Measured on this machine kind (2-vCPU KVM guest, kernel 6.18, perf 6.1,
# other test suites running beside), 12 runs each of the three workloads
# below: per-task wakings, waker/wakee pairs, sched_wakeup = sched_waking,
# wakeup and preemption counts were equal, by the rules stated in each
# test, in every run where perf lost no record. Recording the whole machine,
# perf lost records in 6 of 12 cross-CPU runs (up to 16%); recording only
# new pids at nice -20 (witness/perf_record.sh), in 1 of 36: a run where
# perf lost any record is tried again (three times, then skipped).
bats_require_minimum_version 1.5.0

setup() {
	load helpers
	requires root btf python3
	PERF="${PERF:-perf}"
	export PERF
	command -v "$PERF" >/dev/null || skip "needs perf (Debian: linux-perf)"
}

# witness NAME WORKLOAD [ARGS...]: a witnessed run of `tracer run WORKLOAD
# ARGS`, once per file (the tests share it), in $W; its figures in $output
# (the first line: key=value, for kv; then both sides per task and pair).
witness() {
	local name=$1 try rc=0
	shift
	W="$BATS_FILE_TMPDIR/$name"
	if [ ! -s "$W/figures" ] || [ -e "$W/unusable" ]; then
		for try in 1 2 3; do
			rc=0
			"$BATS_TEST_DIRNAME/witness/perf_record.sh" "$W" "$TOOL" "$@" || rc=$?
			if [ "$rc" != 75 ]; then
				break
			fi
		done
		rm -f "$W/unusable"
		if [ "$rc" = 75 ]; then
			touch "$W/unusable"
		fi
		[ "$rc" = 0 ] || [ "$rc" = 75 ]
	fi
	# perf lost records in each of three tries (or pid_max wrapped under
	# its pid filter): no witness on a machine this busy, not a failure
	if [ -e "$W/unusable" ]; then
		skip "no usable perf record in 3 tries: $(head -c 120 "$W/figures")"
	fi
	run -0 cat "$W/figures"
	printf '%s\n' "$output"	# shown if the test fails
	csv_load "$W/s.csv"
	[ "${C[events_lost]}" = 0 ]
	[ "$(kv tree_equal)" = 1 ]
}

WORKLOADS=(
	"thread-same thread-pingpong --rounds 5000 --cpus same"
	"process-same process-pingpong --rounds 5000 --cpus same"
	"thread-cross thread-pingpong --rounds 5000 --cpus cross"
)

# bats test_tags=root
@test "perf: the same tree, the same wakings per task and per waker/wakee pair" {
	# tracer's most direct per-task wakeups: the event CSV's `waking` rows,
	# one per sched_waking of a tree task (tid: the wakee, waker_tid: the
	# task that woke it), the events its `wakeups` sums. The report's
	# who-woke-whom counts wakeup latencies instead (switch-ins that ended
	# a sleep), which the kernel's unreported switch-ins make fewer.
	# perf sched record also takes sched_waking where the kernel has it;
	# every sched_waking (a sleeping task woken) is followed by a
	# sched_wakeup, so the wakeups tracepoint would count the same: checked.
	local spec
	for spec in "${WORKLOADS[@]}"; do
		witness $spec
		echo "# $spec: $(kv wakings_perf) wakings" >&3
		[ "$(kv tree_perf)" -ge 2 ]
		[ "$(kv wakings_perf)" -gt 1000 ]
		[ "$(kv wakings_tracer)" = "$(kv wakings_perf)" ]
		[ "$(kv wakings_tracer)" = "${C[wakeups]}" ]
		[ "$(kv tasks_wakings_differ)" = 0 ]
		[ "$(kv pairs_differ)" = 0 ]
		[ "$(kv wakeups_perf)" = "$(kv wakings_perf)" ]
		[ "$(kv tasks_wakeup_differ)" = 0 ]
	done
}

# bats test_tags=root
@test "perf: an interrupt's wakings name no waker, on both sides, whatever task it came in" {
	# a thread busy reading /dev/zero on CPU 0 beside a reader of O_DIRECT
	# blocks, whose disk interrupts land there, in the busy thread's calls
	# or between them (tests/progs/col_irqwake; not its futex mode, whose
	# million calls perf would record): perf's side by the trace's own
	# flags of each waking (hardirq, softirq), tracer's by the stack its
	# program runs on and the task's saved registers
	local f="$BATS_FILE_TMPDIR/blocks"
	[ -x "$PROGS/col_irqwake" ] || skip "needs the test programs (make testprogs)"
	dd if=/dev/zero of="$f" bs=1M count=16 status=none
	run "$PROGS/col_irqwake" "$f" 1
	[ "$status" != 3 ] || skip "no O_DIRECT reads under $BATS_FILE_TMPDIR"
	witness irq -- "$PROGS/col_irqwake" "$f" 3000 zero
	echo "# $(kv wakings_irq_perf) of $(kv wakings_perf) wakings in an interrupt" >&3
	[ "$(kv wakings_irq_perf)" -ge 1000 ]
	[ "$(kv wakings_tracer)" = "$(kv wakings_perf)" ]
	[ "$(kv pairs_differ)" = 0 ]
}

# bats test_tags=root
@test "perf: a page fault's wakings are the faulting task's, on both sides" {
	# a thread touching pages a userfaultfd serves: each fault's handler
	# wakes the monitor thread reading the userfaultfd (tests/progs/
	# col_uffd), in an exception from user space on the faulting task's
	# stack, whose saved registers name no system call, as an interrupt's
	# do there; tracer tells them apart by the kernel stack's entry stub,
	# perf by the trace's flags (neither hardirq nor softirq)
	[ -x "$PROGS/col_uffd" ] || skip "needs the test programs (make testprogs)"
	run "$PROGS/col_uffd" 1
	[ "$status" != 3 ] || skip "no userfaultfd here: $output"
	# x86-64: the entry stubs come first in kallsyms since 6.5 (what tracer reads)
	if [ "$(uname -m)" = x86_64 ]; then
		run -0 awk 'NR > 4096 || $3 == "__entry_text_end" { exit }
			$3 == "asm_exc_page_fault" && $1 !~ /^0+$/ { f = 1; exit }
			END { print f + 0 }' /proc/kallsyms
		[ "$output" = 1 ] || skip "no exception entry stubs at the start of /proc/kallsyms"
	fi
	witness uffd -- "$PROGS/col_uffd" 3000
	[ "$(kv wakings_tracer)" = "$(kv wakings_perf)" ]
	[ "$(kv pairs_differ)" = 0 ]
	# each thread woke the other at each fault, on both sides: the fault's
	# handler the monitor, the monitor's copy the faulting thread; neither
	# named 0, an interrupt
	run -0 awk '$1 == "waker" && $2 != 0 && $8 >= 3000 && $10 == $8 { n++ } END { print n + 0 }' \
		"$W/figures"
	[ "$output" = 2 ]
}

# bats test_tags=root
@test "perf: a task killed in user space wakes its parent as it exits, on both sides" {
	# a busy loop ended by its own timer's SIGALRM: the signal is taken on
	# the way back to user space from an interrupt (the timer's, or an
	# IPI), whose saved registers name no system call; the exit that
	# follows is the task's own doing, and so is its waking of the parent
	# waiting for it (the shell, in wait4 all along)
	witness kill -- sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do
		python3 -c "import signal; signal.setitimer(signal.ITIMER_REAL, 0.05)
while True: pass"
	done; exit 0'
	[ "$(kv wakings_tracer)" = "$(kv wakings_perf)" ]
	[ "$(kv pairs_differ)" = 0 ]
	# the shell woken by each of the 10 loops, named alike on both sides
	run -0 awk '$1 == "waker" && $2 != 0 && $8 > 0 && $10 == $8 { n[$5]++ }
		END { for (w in n) if (n[w] > m) m = n[w]; print m + 0 }' "$W/figures"
	[ "$output" = 10 ]
}

# bats test_tags=root
@test "perf: a task stopped in user space wakes its waiting parent, on both sides" {
	# a busy child stopped by its parent's SIGSTOP ten times: the stop is
	# taken on the way back to user space from an interrupt (an IPI, or the
	# preemption that let the parent run), whose saved registers name no
	# system call; the stopping child tells its parent, waiting in
	# waitpid(WUNTRACED), and wakes it: its own doing. Its notice that it
	# continued takes the same path with no state to tell it by: the parent
	# then waits in read() for the byte the child's SIGCONT handler writes
	# after that notice, so the notice finds nobody waiting; and sleeps
	# before the next SIGSTOP, so that it finds the child back in its loop.
	witness stop -- python3 -c 'import os, signal, time
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    signal.signal(signal.SIGCONT, lambda s, f: os.write(w, b"c"))
    os.write(w, b"r")
    while True: pass
os.read(r, 1)
for i in range(10):
    os.kill(pid, signal.SIGSTOP)
    os.waitpid(pid, os.WUNTRACED)
    os.kill(pid, signal.SIGCONT)
    os.read(r, 1)
    time.sleep(0.01)
os.kill(pid, signal.SIGKILL)
os.waitpid(pid, 0)'
	[ "$(kv wakings_tracer)" = "$(kv wakings_perf)" ]
	[ "$(kv pairs_differ)" = 0 ]
}

# bats test_tags=root
@test "perf: a traced task's ptrace stops wake its tracer, on both sides" {
	# strace tracing a busy loop its own timer signals 20 times: each
	# SIGALRM comes in on the way back to user space from the timer's
	# interrupt, and its signal-delivery-stop wakes strace, waiting in
	# wait4; the tracee's doing, whose saved registers name no system call
	witness strace -- strace -o /dev/null python3 -c 'import signal
n = 0
def alarm(s, f):
    global n
    n += 1
signal.signal(signal.SIGALRM, alarm)
signal.setitimer(signal.ITIMER_REAL, 0.02, 0.02)
while n < 20: pass'
	[ "$(kv wakings_tracer)" = "$(kv wakings_perf)" ]
	[ "$(kv pairs_differ)" = 0 ]
}

# bats test_tags=root
@test "perf: wakeup latency p50/p90/p99 agree, event by event and by rank, within 1/8 + 0.5 us and a slot" {
	# Each side reads its own clock in its own probe, in turn, on both
	# tracepoints; an interrupt (or the hypervisor) between the two probes
	# moves one event's latency on one side only. The witness pairs the
	# n-th wakeup latency of each task on both sides (tracer's from its
	# event CSV) and counts those more than 1/8 + 0.5 us apart (`outside`).
	# With all others within that, tracer's value at rank k lies within
	# that of perf's exact values at ranks k -/+ outside (perf_pP_lo/hi).
	# tracer's percentile is then the middle of the histogram slot holding
	# its value at the nearest rank (8 slots per power of two: 1/16 off).
	# Measured (35 runs of the three workloads, 5000 rounds each, p50 ~3 us
	# on one CPU, 11-28 us across CPUs), |tracer - perf| / perf at the same
	# rank: p50 <= 4.2%, p90 <= 6.8%, p99 <= 7.4%, but once 41.5% (p99 of
	# thread-same: perf 9.0 us, tracer 12.8 us, its own timestamps 12.4 us,
	# in a sparse tail where perf's p98.5..p99.5 spans 5.0..50.8 us). On
	# one CPU |tracer - perf| <= 0.12 us at p50, <= 0.28 us at p90. The
	# same event, tracer - perf: -380..+601 ns from its 1st to its 99th
	# percentile, extremes -125..+28 us; outside: 2-15 events of 5600-9900
	# (<= 0.15%); on a noisier host (2026-12-07) 7-61 of ~6000. Both sides
	# now read one clock (perf -k monotonic): at each hit tracer's time is
	# perf's plus ~175 ns (p99 ~570 ns), and a pair an endpoint of which
	# was later than that median + 0.5 us is `disturbed` (something ran
	# between the two probes): all outside pairs were, in the runs since.
	# Asserted: the undisturbed pairs outside <= 0.5% (the disturbed, 0.9%
	# on one CPU and 13% across CPUs, where perf's probe takes longer, are
	# the host's: not bounded), the median offset <= 2 us (tracer reads its
	# clock at the hit);
	# each percentile within perf's values at ranks k -/+ outside (all of
	# them), widened by 1/8 + 0.5 us and then by the slot's 1/16 (and 1 ns
	# of rounding).
	local spec p t lo hi
	for spec in "${WORKLOADS[@]}"; do
		witness $spec
		[ "$(kv wake_count)" -gt 1000 ]
		# every task's latencies paired: the counts are equal
		[ "$(kv paired)" = "$(kv wake_count)" ]
		fcmp "$(kv paired_outside_undisturbed) <= 0.005 * $(kv paired)"
		fcmp "abs($(kv hit_offset_med_ns)) <= 2000"
		for p in 50 90 99; do
			t=$(kv tracer_p${p}_us)
			lo=$(kv perf_p${p}_lo_us)
			hi=$(kv perf_p${p}_hi_us)
			echo "# ${spec%% *} p$p: tracer $t us, perf $(kv perf_p${p}_us) us" \
				"($lo..$hi: $(kv paired_outside) ranks either side)" >&3
			fcmp "$t >= ($lo * 7 / 8 - 0.5) * 15 / 16 - 0.001"
			fcmp "$t <= ($hi * 9 / 8 + 0.5) * 17 / 16 + 0.001"
		done
	done
}

# bats test_tags=root
@test "perf: runqlat's count of delays equals tracer's wakeup latencies and preemption delays" {
	# runqlat counts, on every switch-in, the time since the task's latest
	# waking or since it was switched out still runnable; tracer keeps the
	# two apart (wakeup_latency_count, preempt_delay_count). Both leave out a
	# new task's first run (runqlat counts it from sched_wakeup_new; tracer
	# as creation latency, and not at all for the launched command).
	# The rule: a switch-in the kernel did not report (switch_ins_unseen:
	# here, from the guest agent's threads; perf misses it too) spends the
	# task's pending waking in tracer, even one that came after that
	# unreported switch-in, while the task was on its way to sleep (woken
	# before it switched out); the switch-in that ends that sleep is then
	# counted in wakeups_unmatched, not as a wakeup latency. perf keeps the
	# waking and counts it. So tracer's unmatched switch-ins count on its
	# side, and there are never more of them than unreported switch-ins.
	local spec
	for spec in "${WORKLOADS[@]}"; do
		witness $spec
		echo "# ${spec%% *}: perf $(kv wake_count) + $(kv preempt_count)," \
			"tracer ${C[wakeup_latency_count]} + ${C[preempt_delay_count]}" \
			"+ ${C[wakeups_unmatched]} unmatched (${C[switch_ins_unseen]} unseen)" >&3
		[ "$(kv unmatched)" = 0 ]
		[ "$(kv preempt_count)" = "${C[preempt_delay_count]}" ]
		[ "$(kv wake_count)" = $((C[wakeup_latency_count] + C[wakeups_unmatched])) ]
		[ $(($(kv wake_count) + $(kv preempt_count))) = \
			$((C[wakeup_latency_count] + C[preempt_delay_count] + C[wakeups_unmatched])) ]
		[ "${C[wakeups_unmatched]}" -le "${C[switch_ins_unseen]}" ]
	done
}

# The summary's other intervals, KIND in perf_sched.py and its column X_
KINDS=(
	"wake wakeup_latency"
	"same wakeup_latency_same_cpu"
	"cross wakeup_latency_cross_cpu"
	"preempt preempt_delay"
	"sleep offcpu_sleep"
	"dsleep offcpu_uninterruptible"
)

# bats test_tags=root
@test "perf: the same preemption delays, sleeps (S, D) and wakeup latencies on the same and another CPU" {
	# Each interval as bpf/logic.h defines it, from perf's sched_switch and
	# sched_waking records: preempt_delay from a switch-out still runnable
	# (R, R+) to the switch-in; offcpu_sleep / _uninterruptible from a
	# switch-out in S (or T, X...) / D (or I) to the switch-in; a wakeup
	# latency from the latest waking to that switch-in, clamped to the time
	# off the CPU, same CPU when the waking ran on the CPU the task then
	# runs on. The witness pairs each interval with tracer's (its event CSV
	# replayed with logic.h's rules, which must give its summary's counts
	# and unseen and unmatched switch-ins) by the switch-in that ends it.
	# The rule, as for runqlat's count: the only intervals of one side the
	# other has not are perf's wakeup latencies that tracer counts as
	# unmatched (a waking spent by an unseen switch-in): every sleep, D or
	# S, ends in a wakeup latency on perf's side. Measured (75 runs of the
	# three workloads, 12 with 1-12 unseen switch-ins, none unmatched):
	# every count equal, no interval of one side only.
	local spec kind k col
	for spec in "${WORKLOADS[@]}"; do
		witness $spec
		echo "# ${spec%% *}: unseen ${C[switch_ins_unseen]}, unmatched" \
			"${C[wakeups_unmatched]}; perf/tracer count: $(for kind in "${KINDS[@]}"; do
			k=${kind% *}; echo -n "$k $(kv ${k}_n_perf)/${C[${kind#* }_count]} "; done)" >&3
		[ "$(kv unseen_replay)" = "${C[switch_ins_unseen]}" ]
		[ "$(kv unmatched_replay)" = "${C[wakeups_unmatched]}" ]
		for kind in "${KINDS[@]}"; do
			k=${kind% *} col=${kind#* }
			[ "$(kv ${k}_n_tracer)" = "${C[${col}_count]}" ]
			[ "$(kv ${k}_n_both)" = "${C[${col}_count]}" ]
			[ "$(kv ${k}_tracer_only)" = 0 ]
		done
		[ "$(kv preempt_perf_only)" = 0 ]
		[ "$(kv sleep_perf_only)" = 0 ]
		[ "$(kv dsleep_perf_only)" = 0 ]
		[ "$(kv dsleep_n_perf)" = "${C[offcpu_uninterruptible_count]}" ]
		[ "$(kv wake_perf_only)" = "${C[wakeups_unmatched]}" ]
		[ $(($(kv same_perf_only) + $(kv cross_perf_only))) = "${C[wakeups_unmatched]}" ]
		[ $(($(kv sleep_n_perf) + $(kv dsleep_n_perf))) = "$(kv wake_n_perf)" ]
		[ $((C[wakeup_latency_same_cpu_count] + C[wakeup_latency_cross_cpu_count])) = \
			"${C[wakeup_latency_count]}" ]
	done
}

# bats test_tags=root
@test "perf: preemption delay and off-CPU sleep p50/p90/p99 agree, event by event and by rank" {
	# As for the wakeup latency (above), on the pairs of intervals of the
	# previous test: at most 0.5% (or 1) of the undisturbed pairs more than
	# 1/8 + 0.5 us apart, then
	# tracer's value at rank k within perf's at ranks k -/+ outside (and
	# the intervals of one side only), widened by that and the slot.
	# Measured (75 runs): outside 0-13 of 4350-4870 preemption delays on
	# one CPU (none of 2-29 across CPUs), 0-15 of 2900-10000 sleeps; every
	# percentile within its window.
	local spec k p t lo hi
	for spec in "${WORKLOADS[@]}"; do
		witness $spec
		[ "$(kv sleep_n_both)" -gt 1000 ]
		for k in "preempt preempt_delay" "sleep offcpu_sleep"; do
			fcmp "$(kv ${k% *}_outside_undisturbed) <= max(1, 0.005 * $(kv ${k% *}_n_both))"
			[ "${C[${k#* }_count]}" != 0 ] || continue
			for p in 50 90 99; do
				t=${C[${k#* }_p${p}_us]}
				lo=$(kv ${k% *}_perf_p${p}_lo_us)
				hi=$(kv ${k% *}_perf_p${p}_hi_us)
				echo "# ${spec%% *} ${k#* } p$p: tracer $t us, perf" \
					"$(kv ${k% *}_perf_p${p}_us) us ($lo..$hi)" >&3
				fcmp "$t >= ($lo * 7 / 8 - 0.5) * 15 / 16 - 0.001"
				fcmp "$t <= (float('$hi') * 9 / 8 + 0.5) * 17 / 16 + 0.001"
			done
		done
	done
}

# bats test_tags=root
@test "perf: the largest interval of each kind is the same event on both sides, within 1/8 + 0.5 us" {
	# X_max_us is exact (no histogram slot): the largest interval of
	# tracer's event CSV. One extreme event: perf's largest, and tracer's
	# value of that same interval, keep the event-by-event rule (1/8 +
	# 0.5 us), so tracer's maximum is at least perf's, narrowed by the
	# rule; tracer's largest, and perf's value of it, likewise, so it is at
	# most perf's, widened. Should either be one of the `outside` intervals
	# (the 0.5% let go above), that bound is the order statistics' at k = n
	# instead (max_lo/max_hi: perf's value at rank n - outside, nothing
	# above). Measured (75 runs; maxima 23 us to 0.8 s): both events within
	# the rule in 71; in 4 quiet runs of thread-same (maxima 38-60 us) an
	# interrupt between the two probes had made one side's largest
	# interval (perf 51.5 us, tracer 38.0 us for the same wakeup), and the
	# order statistics held.
	local spec kind k col t
	for spec in "${WORKLOADS[@]}"; do
		witness $spec
		for kind in "${KINDS[@]}"; do
			k=${kind% *} col=${kind#* }
			t=${C[${col}_max_us]}
			if [ "${C[${col}_count]}" = 0 ]; then
				fcmp "$t == 0"
				continue
			fi
			echo "# ${spec%% *} ${col}: max tracer $t us (perf: $(kv ${k}_tracer_max_perf_us)), perf" \
				"$(kv ${k}_perf_max_us) us (tracer: $(kv ${k}_perf_max_tracer_us));" \
				"$(kv ${k}_max_outside) outside" >&3
			fcmp "abs($t - $(kv ${k}_tracer_max_us)) <= 0.001"
			fcmp "$(kv ${k}_max_outside) <= $(kv ${k}_outside)"
			fcmp "$t >= $(kv ${k}_max_lo_us) * 7 / 8 - 0.5 - 0.001"
			fcmp "$t <= float('$(kv ${k}_max_hi_us)') * 9 / 8 + 0.5 + 0.001"
		done
	done
}

# bats test_tags=root
@test "perf: the mean of each kind of interval agrees within 5% (measured: 2.4%)" {
	# X_avg_us: tracer's intervals summed over their count (its event CSV's,
	# exactly); perf's, over the same intervals (the pairs). Each pair
	# within 1/8 + 0.5 us but the `outside` ones bounds the means' gap by
	# perf's mean / 8 + 0.5 us + those pairs' |difference| / n, asserted
	# everywhere. Measured (75 runs of the three workloads), |tracer - perf|
	# / perf with 1000 or more intervals: wakeup latency (p50 ~3 us) on one
	# CPU <= 2.3%, across CPUs (~25-60 us) <= 0.3%; preemption delay
	# <= 2.4%; sleep <= 1.5% on one CPU, <= 0.2% across: each side times
	# the same tracepoints in its own probe, in turn, so one is ~60-120 ns
	# ahead on every event, a few percent of a 3-6 us interval.
	# Asserted: 5% with 1000 or more intervals.
	local spec kind k col t p
	for spec in "${WORKLOADS[@]}"; do
		witness $spec
		for kind in "${KINDS[@]}"; do
			k=${kind% *} col=${kind#* }
			[ "${C[${col}_count]}" != 0 ] || continue
			t=${C[${col}_avg_us]} p=$(kv ${k}_perf_avg_us)
			echo "# ${spec%% *} ${col}: mean tracer $t us, perf $p us" \
				"(all of perf's: $(kv ${k}_perf_avg_all_us) us) of $(kv ${k}_n_both)" >&3
			fcmp "abs($t - $(kv ${k}_tracer_avg_us)) <= 0.002"
			fcmp "abs($t - $p) <= $p / 8 + 0.5 + $(kv ${k}_outside_abs_us) + 0.002"
			# 5%, less what the disturbed pairs move the mean by (a CI run
			# had one interval of 5571 that the host held 2.67 ms between
			# perf's probe and tracer's: 35% of the mean)
			if [ "$(kv ${k}_n_both)" -ge 1000 ]; then
				fcmp "abs($t - $p) <= 0.05 * $p + $(kv ${k}_disturbed_abs_us)"
			fi
		done
	done
}

# interval_agrees K COL: perf's intervals of kind K (perf_sched.py) and the
# summary's X = COL: at most 0.5% (or 1) of the pairs more than 1/8 + 0.5 us
# apart, then p50/p90/p99 within perf's values at ranks k -/+ (outside and
# one side's only), widened by that rule and the slot (1/16); the maximum
# the same event's (or the order statistics at k = n); the mean within perf's
# over the pairs / 8 + 0.5 us (5% with 1000 pairs or more). As the tests of
# the other intervals above. Intervals of tracer's only (a futex wait whose
# end no switch-in showed, timed by tracer to the run's start) widen the
# rank window, leave a maximum that is one of them unbounded above, and go
# into perf's mean at tracer's values (KIND_perf_avg_tonly_us: one run of
# 54 process ping-pongs had a 3.4 ms wait among 6245 of ~9 us, 6% of the
# mean). Nothing to compare: 0 everywhere.
interval_agrees() {
	local k=$1 col=$2 p t lo hi n
	n=${C[${col}_count]}
	if [ "$n" = 0 ]; then
		fcmp "${C[${col}_max_us]} == 0"
		fcmp "${C[${col}_avg_us]} == 0"
		return 0
	fi
	fcmp "$(kv ${k}_outside_undisturbed) <= max(1, 0.005 * $(kv ${k}_n_both))"
	for p in 50 90 99; do
		t=${C[${col}_p${p}_us]}
		lo=$(kv ${k}_perf_p${p}_lo_us)
		hi=$(kv ${k}_perf_p${p}_hi_us)
		echo "#   ${col} p$p: tracer $t us, perf $(kv ${k}_perf_p${p}_us) us ($lo..$hi)" >&3
		fcmp "$t >= ($lo * 7 / 8 - 0.5) * 15 / 16 - 0.001"
		fcmp "$t <= (float('$hi') * 9 / 8 + 0.5) * 17 / 16 + 0.001"
	done
	t=${C[${col}_max_us]}
	echo "#   ${col} max: tracer $t us (perf: $(kv ${k}_tracer_max_perf_us)), perf" \
		"$(kv ${k}_perf_max_us) us (tracer: $(kv ${k}_perf_max_tracer_us));" \
		"$(kv ${k}_max_outside) outside" >&3
	fcmp "abs($t - $(kv ${k}_tracer_max_all_us)) <= 0.001"
	fcmp "$(kv ${k}_max_outside) <= $(kv ${k}_outside)"
	fcmp "$t >= $(kv ${k}_max_lo_us) * 7 / 8 - 0.5 - 0.001"
	fcmp "$t <= float('$(kv ${k}_max_hi_us)') * 9 / 8 + 0.5 + 0.001"
	t=${C[${col}_avg_us]} p=$(kv ${k}_perf_avg_tonly_us)
	echo "#   ${col} mean: tracer $t us, perf $p us of $(kv ${k}_n_both)" >&3
	fcmp "abs($t - $(kv ${k}_tracer_avg_us)) <= 0.002"
	fcmp "abs($t - $p) <= $p / 8 + 0.5 + $(kv ${k}_outside_abs_us) + 0.002"
	if [ "$(kv ${k}_n_both)" -ge 1000 ]; then	# as in the mean's test above
		fcmp "abs($t - $p) <= 0.05 * $p + $(kv ${k}_disturbed_abs_us)"
	fi
}

# bats test_tags=root
@test "perf: the same futex waits, counted and timed alike (count, p50/p90/p99, max, mean)" {
	# A futex wait, bpf/logic.h's: from the switch-out in which the task
	# left the CPU asleep (S, not preempted) inside a futex wait call to its
	# next switch-in. tracer reads the call from the task's registers at
	# the switch; perf's side, from its own records of the system calls
	# (raw_syscalls: futex entry with a wait op, op & 0x7f in WAIT,
	# WAIT_BITSET, LOCK_PI, LOCK_PI2, WAIT_REQUEUE_PI, and its exit), is
	# a switch-out in S between the two. Both ping-pongs hand the token
	# over through futex waits (FUTEX_WAIT on shared memory for processes,
	# private for threads). The rule (docs/report.md, "Switch-ins the kernel did
	# not report"): a wait whose end no switch-in showed is ended by tracer
	# at the run's start (the kernel's CPU time), by perf not at all
	# (fx_lost_perf): tracer's only intervals, no more than its unseen
	# switch-ins. Measured (126 usable runs: 50 thread-same, 64
	# process-same, 12 thread-cross; 4,800-9,950 waits of ~3-9 us on one
	# CPU, ~25-60 us across): every count equal by the rule (tracer-only
	# 1-11 in 9 runs, each time as many as its unseen switch-ins);
	# outside <= 0.32% of the pairs; |tracer - perf| / perf at the same
	# rank p50 <= 5.7%, p90 <= 5.6%, p99 <= 11% (all within the windows);
	# maxima the same event (0 outside); means <= 0.51% apart without
	# tracer-only waits. One more process-same run had perf with 58 more
	# sched_waking samples and 59 switch-outs with no switch-in than
	# tracer, whose switches equaled the kernel's own counters (getrusage,
	# per-task nvcsw/nivcsw): perf's record, failing the tests above as
	# well (perf_sched.py's perf_dup now makes a record holding the same
	# sample twice unusable; it was not kept to tell whether that was it).
	local spec
	for spec in "${WORKLOADS[@]}"; do
		witness $spec
		echo "# ${spec%% *}: futex waits perf $(kv fx_n_perf) (+ $(kv fx_lost_perf) unended)," \
			"tracer ${C[futex_wait_count]}; $(kv fx_outside) outside" >&3
		[ "$(kv fx_n_perf)" -gt 1000 ]
		[ "$(kv fx_n_tracer)" = "${C[futex_wait_count]}" ]
		[ "$(kv fx_n_both)" = "$(kv fx_n_perf)" ]
		[ "$(kv fx_perf_only)" = 0 ]
		[ "$(kv fx_tracer_only)" = "$(kv fx_lost_perf)" ]
		[ "$(kv fx_lost_perf)" -le "${C[switch_ins_unseen]}" ]
		interval_agrees fx futex_wait
	done
}

SPAWNS=(
	"spawn-thread spawn --unit thread --count 50"
	"spawn-process spawn --unit process --count 20"
	"spawn-process-sys spawn --unit process --count 20 --syscalls"
)

# bats test_tags=root
@test "perf: the same creation latencies, thread and process, event by event (count, p50/p90/p99, max, mean)" {
	# Creation latency, bpf/proc.bpf.c's: the creator's clone/fork entry
	# (the fork tracepoint's own time; with --syscalls, its system call's
	# tracepoint) to the new task's first switch-in. perf's
	# side: its raw_syscalls:sys_enter of clone, clone3, fork, vfork by the
	# creator (the latest before the fork), or its sched_process_fork
	# sample, and its sched_switch. Every task the tree creates has one;
	# the launched command (tracer's own child, counted in
	# processes_created) has none on either side. The rule: a first run the
	# kernel did not report ends no creation on either side
	# (create_lost_perf; tracer drops it), no more than its unseen
	# switch-ins. The ping-pongs create one thread or process each: checked
	# too. Measured (12 runs each of spawn 50 threads / 20 processes,
	# with and without the syscall tracepoints, latencies 17 us to 6.5 ms on the
	# busy 2-vCPU machine; and the ~126 ping-pong runs' single creations):
	# every count equal (50 threads; 21 processes created, 20 timed), none
	# unended; outside 0-1 of 50; |tracer - perf| / perf at the same rank
	# <= 7.1% (within the windows), maxima the same event within 1.9 us,
	# means <= 1% apart over 20 or 50 (<= 4.4% for a single ~50 us one:
	# within its 1/8 + 0.5 us).
	local spec k
	for spec in "${SPAWNS[@]}" "${WORKLOADS[@]}"; do
		witness $spec
		echo "# ${spec%% *} ($(kv create_basis)): created ${C[processes_created]} processes" \
			"(the command's included), ${C[threads_created]} threads; perf" \
			"$(kv cproc_n_perf) + $(kv cthread_n_perf) (+ $(kv create_lost_perf) unended)," \
			"tracer ${C[create_process_count]} + ${C[create_thread_count]}" >&3
		case " $spec " in
		*" --unit thread "*) [ "${C[threads_created]}" = 50 ] ;;
		*" --unit process "*) [ "${C[processes_created]}" = 21 ] ;;
		esac
		[ "$(kv create_lost_perf)" -le "${C[switch_ins_unseen]}" ]
		[ $((C[create_process_count] + C[create_thread_count] + $(kv create_lost_perf))) = \
			$((C[processes_created] - 1 + C[threads_created])) ]
		for k in "cproc create_process" "cthread create_thread"; do
			[ "$(kv ${k% *}_n_tracer)" = "${C[${k#* }_count]}" ]
			[ "$(kv ${k% *}_n_perf)" = "${C[${k#* }_count]}" ]
			[ "$(kv ${k% *}_n_both)" = "${C[${k#* }_count]}" ]
			interval_agrees $k
		done
	done
}
