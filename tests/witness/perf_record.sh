#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# perf_record.sh DIR TRACER [tracer run arguments...]
#
# One run of `TRACER run ARGS --csv DIR/s.csv --events DIR/e.csv`, witnessed
# by a system-wide `perf record` of the tracepoints `perf sched record`
# takes (sched_switch, sched_waking, sched_wakeup_new), plus sched_wakeup,
# then compared by perf_sched.py: DIR/figures. Exit status 0 with a usable
# witness, 75 (EX_TEMPFAIL) when perf lost records or pids wrapped (try
# again), else the failure's. $PERF names perf (default: perf).
#
# Other tests on a shared machine switch tasks by the million: perf's
# buffers would overflow. So perf records only tasks born after a pid taken
# just before it starts (an in-kernel tracepoint filter, nothing from
# tracer), runs at nice -20 to drain its buffers in time, and the command
# back at the caller's niceness.
set -u
dir=$1 tracer=$2
shift 2
perf=${PERF:-perf}
here=$(dirname "$(readlink -f "$0")")
mkdir -p "$dir"
rm -f "$dir/perf.data" "$dir/figures" "$dir/pid"
lo=$(sh -c 'echo $$')
nice -n -20 "$perf" record -q -a -R -c 1 -m 2048 -o "$dir/perf.data" \
	-e sched:sched_switch --filter "prev_pid >= $lo || next_pid >= $lo" \
	-e sched:sched_waking --filter "pid >= $lo" \
	-e sched:sched_wakeup --filter "pid >= $lo" \
	-e sched:sched_wakeup_new --filter "pid >= $lo" \
	-- nice -n 20 sh -c 'echo $$ >"$0"; exec "$@"' "$dir/pid" \
	"$tracer" run "$@" --csv "$dir/s.csv" --events "$dir/e.csv" \
	>"$dir/stdout" 2>"$dir/report" || {
	echo "perf record or tracer run failed: $?" >&2
	exit 1
}
/usr/bin/python3 "$here/perf_sched.py" "$dir/perf.data" "$(cat "$dir/pid")" \
	"$dir/e.csv" "$dir/s.csv" "$lo" >"$dir/figures.tmp" || exit 1
mv "$dir/figures.tmp" "$dir/figures"
read -r first <"$dir/figures"
case " $first " in
*" perf_lost=0 below_lo=0 "*) rm -f "$dir/perf.data"; exit 0 ;;
*) exit 75 ;;
esac
