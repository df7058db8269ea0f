#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# perf_record.sh DIR TRACER [tracer run arguments...]
#
# One run of `TRACER run --csv DIR/s.csv --events DIR/e.csv ARGS`, witnessed
# by a system-wide `perf record` of the tracepoints `perf sched record`
# takes (sched_switch, sched_waking, sched_wakeup_new), plus sched_wakeup,
# then compared by perf_sched.py: DIR/figures. Exit status 0 with a usable
# witness, 75 (EX_TEMPFAIL) when perf lost records, pids wrapped, perf
# script could not read the record back or it held a sample twice (try
# again), else the failure's. $PERF names perf (default: perf).
#
# Other tests on a shared machine switch tasks by the million: perf's
# buffers would overflow. So perf records only tasks born after a pid taken
# just before it starts (an in-kernel tracepoint filter, nothing from
# tracer), runs at nice -20 to drain its buffers in time, and the command
# back at the caller's niceness.
#
# Also the system calls behind tracer's futex and creation figures: the
# futex calls (entry with its op, exit) and the clone/fork entries (x86-64
# numbers: futex 202, clone 56, fork 57, vfork 58, clone3 435), from
# raw_syscalls:sys_enter/sys_exit, not syscalls:sys_enter_*: those are
# classic tracepoints whose perf samples the kernel drops when a BPF
# program attached to the same tracepoint returns 0 (perf_syscall_enter),
# as tracer's do (seen: no syscalls:sys_enter_clone sample of the tree while
# tracer's syscall tracepoints were attached, all of them without). The tracepoints need
# tracefs at perf's start: if it is not mounted, this script runs in a
# mount namespace of its own and mounts it there (the machine's mounts left
# as they are).
#
# --no-bpf-event: perf records every BPF program loaded on the machine
# meanwhile (tracer's, and any other tracer's), and perf script failed
# reading some back ("failed to process type: 18 [Bad address]", exit 242):
# nothing of it is needed here. Its kernel-symbol records (type 17) stay,
# and fail the same way at times: perf_sched.py's exit 75, tried again.
set -u
if [ ! -e /sys/kernel/tracing/events/raw_syscalls ] && [ -z "${WITNESS_NS:-}" ]; then
	WITNESS_NS=1 exec unshare -m --propagation private "$0" "$@"
fi
if [ ! -e /sys/kernel/tracing/events/raw_syscalls ]; then
	mount -t tracefs nodev /sys/kernel/tracing || exit 1
fi
dir=$1 tracer=$2
shift 2
perf=${PERF:-perf}
here=$(dirname "$(readlink -f "$0")")
# creation's basis, as tracer's: the fork tracepoint's own time, or with
# --syscalls the clone entry
basis=fork
case " $* " in *" --syscalls "*) basis=clone ;; esac
mkdir -p "$dir"
rm -f "$dir/perf.data" "$dir/figures" "$dir/pid"
lo=$(sh -c 'echo $$')
# -k monotonic: bpf_ktime_get_ns's clock, so that each hit's two times compare
nice -n -20 "$perf" record -q -a -R -c 1 -m 2048 -k monotonic --no-bpf-event -o "$dir/perf.data" \
	-e sched:sched_switch --filter "prev_pid >= $lo || next_pid >= $lo" \
	-e sched:sched_waking --filter "pid >= $lo" \
	-e sched:sched_wakeup --filter "pid >= $lo" \
	-e sched:sched_wakeup_new --filter "pid >= $lo" \
	-e sched:sched_process_fork --filter "child_pid >= $lo" \
	-e raw_syscalls:sys_enter --filter "common_pid >= $lo && (id == 202 || id == 56 || id == 57 || id == 58 || id == 435)" \
	-e raw_syscalls:sys_exit --filter "common_pid >= $lo && id == 202" \
	-- nice -n 20 sh -c 'echo $$ >"$0"; exec "$@"' "$dir/pid" \
	"$tracer" run --csv "$dir/s.csv" --events "$dir/e.csv" "$@" \
	>"$dir/stdout" 2>"$dir/report" || {
	echo "perf record or tracer run failed: $?" >&2
	exit 1
}
CREATE_BASIS=$basis /usr/bin/python3 "$here/perf_sched.py" "$dir/perf.data" "$(cat "$dir/pid")" \
	"$dir/e.csv" "$dir/s.csv" "$lo" >"$dir/figures.tmp"
rc=$?
if [ "$rc" = 75 ]; then
	# perf script could not read its record back (perf_sched.py): no witness
	echo "perf_lost=unreadable: perf script failed" >"$dir/figures"
	exit 75
fi
[ "$rc" = 0 ] || exit 1
mv "$dir/figures.tmp" "$dir/figures"
read -r first <"$dir/figures"
case " $first " in
*" perf_lost=0 below_lo=0 perf_dup=0 "*) rm -f "$dir/perf.data"; exit 0 ;;
*) exit 75 ;;
esac
