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
	# (<= 0.15%). Asserted: outside <= 0.5% of the events; each percentile
	# within perf's values at ranks k -/+ outside, widened by 1/8 + 0.5 us
	# and then by the slot's 1/16 (and 1 ns of rounding).
	local spec p t lo hi
	for spec in "${WORKLOADS[@]}"; do
		witness $spec
		[ "$(kv wake_count)" -gt 1000 ]
		# every task's latencies paired: the counts are equal
		[ "$(kv paired)" = "$(kv wake_count)" ]
		fcmp "$(kv paired_outside) <= 0.005 * $(kv paired)"
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
