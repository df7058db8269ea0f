#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# tracer's futex figures against witnesses that share none of its code: small
# programs (tests/progs/futex_*.c) that make raw futex system calls, count
# each call and its result themselves and report them as their result line
# (the wl_* columns), and strace, which sees every system call they make.
# Expected values come only from those witnesses, never from tracer.
#
# The programs make every futex call of their process themselves: their
# handshakes spin on plain atomics, and they reap their threads with
# pthread_tryjoin_np (pthread_join would FUTEX_WAIT on the thread's tid
# word; the kernel's wake of it at thread exit is not a system call). A
# wait they count as blocked was seen asleep (its thread's voluntary switch
# count in /proc went up) before anyone woke it, so "blocked" means the same
# whether a tracer tells it from the call's result or from the switch.
bats_require_minimum_version 1.5.0

setup() {
	load helpers
	requires root btf python3
	csv="$BATS_TEST_TMPDIR/s.csv"
	if [ ! -x "$PROGS/futex_pingpong" ]; then
		echo "the witness programs are not built: make testprogs" >&2
		return 1
	fi
}

# same WHAT TRACER WITNESS: the figures are equal, or say which differs
same() {
	if [ "$2" != "$3" ]; then
		echo "$1: tracer '$2', witness '$3'" >&2
		return 1
	fi
}

# The summary's futex figures (C[], from csv_load) equal the program's own
# counts. By default, the scheduler's view alone: blocked waits (timed out
# included), timeouts, the tasks woken. With --syscalls ($1) also calls,
# EAGAINs, successful wake calls, calls per op (an op both leave out is 0 in
# both), and the syscalls' own count of blocked, timed-out and woken waits.
check_futex() {
	local k
	same futex_waits "${C[futex_waits]}" "${C[wl_waits]}"
	# a timer's waking on a CPU where the guest agent ran is not reported
	# (docs/report.md: switch-ins the kernel did not report): the task comes back
	# on a CPU with no waking seen (unmatched), or unseen itself
	[ "${C[futex_timeouts]}" -le "${C[wl_timeouts]}" ]
	[ "${C[futex_timeouts]}" -ge $(( C[wl_timeouts] - C[switch_ins_unseen] - C[wakeups_unmatched] )) ]
	# every blocked wait has its time in the wait-time histogram
	same futex_wait_count "${C[futex_wait_count]}" "${C[wl_waits]}"
	same lost_futex_keys "${C[lost_futex_keys]}" 0
	same events_lost "${C[events_lost]}" 0
	if [ "$1" != --syscalls ]; then
		same futex_calls "${C[futex_calls]}" 0
		same futex_sys_waits "${C[futex_sys_waits]}" 0
		return
	fi
	for k in calls eagain wakes sys_waits sys_timeouts; do
		same "futex_$k" "${C[futex_$k]}" "${C[wl_${k#sys_}]}"
	done
	same futex_sys_woken "${C[futex_sys_woken]}" "${C[wl_woken]}"
	for k in "${!C[@]}"; do
		case $k in
		futex_op_*) same "$k" "${C[$k]}" "${C[wl_op_${k#futex_op_}]:-0}" ;;
		wl_op_*) same "futex_${k#wl_}" "${C[futex_${k#wl_}]:-0}" "${C[$k]}" ;;
		esac
	done
}

# both PROG [ARGS]: run the program traced by default and with --syscalls;
# each time the figures, the tasks its wakes woke and the report's futex
# line equal the program's counts. C[] and $stderr are the last run's.
both() {
	local sys
	for sys in --no-syscalls --syscalls; do
		run --separate-stderr -0 "$TOOL" run "$sys" --csv "$csv" -- "$@"
		csv_load "$csv"
		check_futex "$sys"
		same futex_woken "${C[futex_woken]}" "${C[wl_woken]}"
		check_report_line "$sys"
	done
}

# The report's futex line (stderr of `run`) says what the program counted.
check_report_line() {
	# timed out: the summary's, held against the program's in check_futex
	local want="calls ${C[wl_calls]}: waits that blocked ${C[wl_waits]} (timed out ${C[futex_timeouts]}), EAGAIN ${C[wl_eagain]}, wakes ${C[wl_wakes]} waking ${C[wl_woken]}"
	if [ "$1" != --syscalls ]; then
		want="waits that blocked ${C[wl_waits]} (timed out ${C[futex_timeouts]}), woken ${C[wl_woken]} (calls, EAGAIN: with --syscalls)"
	fi
	if [[ "$stderr" != *"$want"* ]]; then
		echo "the report lacks: $want" >&2
		grep -F 'waits that blocked' <<<"$stderr" >&2 || true
		return 1
	fi
}

# strace_witness PROG [ARGS]: one run, three witnesses. tracer runs strace,
# which runs the program: per system call of the futex family, the calls
# and errors tracer saw of the program's process (its event file, by pid)
# equal what strace saw and what the program counted. strace's own futex
# calls (one FUTEX_WAKE of nobody here, glibc's in strace's process) are
# left out by pid, and the summary's futex_calls must equal the events of
# both processes. strace 6.1 has no name for futex_wake (454),
# futex_wait (455) and futex_requeue (456): it leaves them out of its -c
# table, so those are counted from its trace lines (syscall_0x1c6..8); the
# table's futex and futex_waitv rows must agree with the lines too.
strace_witness() {
	local st="$BATS_TEST_TMPDIR/strace.txt" ev="$BATS_TEST_TMPDIR/ev.csv"
	run --separate-stderr -0 "$TOOL" run --syscalls --csv "$csv" --events "$ev" -- \
		strace -f -qq -C -o "$st" "$@"
	"$PY" - "$csv" "$ev" "$st" <<'PY'
import csv, re, sys
from collections import Counter

summary, events, trace = sys.argv[1:4]
row = next(csv.DictReader(open(summary, newline="")))
pid = row["wl_pid"]
SC = {32: "waitv", 33: "wait2", 34: "wake2", 35: "requeue2"}   # else futex(2)
NAMES = {"futex": "futex", "futex_waitv": "waitv",
         "futex_wake": "wake2", "syscall_0x1c6": "wake2",
         "futex_wait": "wait2", "syscall_0x1c7": "wait2",
         "futex_requeue": "requeue2", "syscall_0x1c8": "requeue2"}

tr_calls, tr_errs, others = Counter(), Counter(), Counter()
for r in csv.DictReader(open(events, newline="")):
    if r["kind"] != "futex":
        continue
    if r["pid"] != pid:
        others[r["pid"]] += 1
        continue
    sc = SC.get(int(r["op"]), "futex")
    tr_calls[sc] += 1
    tr_errs[sc] += int(r["result"]) < 0

line_calls, line_errs, tab_calls, tab_errs = Counter(), Counter(), Counter(), Counter()
row_re = re.compile(r"^\s*\d+\.\d+\s+\d+\.\d+\s+\d+\s+(\d+)\s+(?:(\d+)\s+)?(\S+)\s*$")
for line in open(trace):
    line = line.rstrip("\n")
    m = row_re.match(line)
    if m:
        if m.group(3) in NAMES:
            tab_calls[NAMES[m.group(3)]] += int(m.group(1))
            tab_errs[NAMES[m.group(3)]] += int(m.group(2) or 0)
        continue
    m = re.match(r"^\d+\s+(?:<\.\.\. (\w+) resumed>|(\w+)\()", line)
    if not m or line.endswith("<unfinished ...>"):
        continue        # not a call, or one whose end comes on a later line
    name = m.group(1) or m.group(2)
    if name not in NAMES:
        continue
    ret = re.search(r"=\s+(-?\w+|\?)(?:\s+E[A-Z0-9]+.*)?$", line)
    assert ret, f"no return value in: {line}"
    line_calls[NAMES[name]] += 1
    line_errs[NAMES[name]] += ret.group(1) == "-1"

bad = []
print(f"{'syscall':10} {'tracer':>13} {'program':>13} {'strace':>13}   (calls/errors)")
for sc in ["futex", "waitv", "wake2", "wait2", "requeue2"]:
    prog = (int(row.get(f"wl_calls_{sc}") or 0), int(row.get(f"wl_errors_{sc}") or 0))
    trc = (tr_calls[sc], tr_errs[sc])
    stl = (line_calls[sc], line_errs[sc])
    print(f"{sc:10} {'%d/%d' % trc:>13} {'%d/%d' % prog:>13} {'%d/%d' % stl:>13}")
    if not trc == prog == stl:
        bad.append(sc)
    if sc in ("futex", "waitv") and (tab_calls[sc], tab_errs[sc]) != stl:
        bad.append(f"{sc}: strace's table {tab_calls[sc]}/{tab_errs[sc]}, its lines {stl}")
total = sum(tr_calls.values()) + sum(others.values())
print(f"other processes' futex calls: {dict(others)}; summary futex_calls {row['futex_calls']}")
if int(row["futex_calls"]) != total:
    bad.append(f"futex_calls {row['futex_calls']} != {total} futex events")
if len(others) > 1 or not sum(tr_calls.values()):
    bad.append("futex calls of more than strace and the program, or none of the program")
if bad:
    sys.exit(f"disagree: {bad}")
PY
}

# bats test_tags=root
@test "futex ping-pong: waits, EAGAINs, timeouts, wakes and woken equal the program's own count" {
	both "$PROGS/futex_pingpong"
	# the program's construction, so that none of the above is vacuous
	[ "${C[wl_waits]}" -eq $((2 * C[wl_rounds] + C[wl_timeouts])) ]
	[ "${C[wl_timeouts]}" -eq 5 ]
	[ "${C[wl_eagain]}" -eq 7 ]
	[ "${C[wl_woken]}" -eq $((2 * C[wl_rounds])) ]
	[ "${C[wl_woken]}" -eq "${C[wl_wake_ret]}" ]
	[ "${C[wl_op_wait_bitset]}" -gt 0 ]
	[ "${C[wl_op_wake_bitset]}" -gt 0 ]
	[ "${C[wl_op_wake_op]}" -eq 1 ]
}

# bats test_tags=root
@test "futex ping-pong: the most waited-on words are the program's, with their waits and waiters" {
	run --separate-stderr -0 "$TOOL" run --csv "$csv" -- "$PROGS/futex_pingpong"
	csv_load "$csv"
	[[ "$stderr" == *"most waited-on futex words"* ]]
	# the ping-pong word: both threads block there, word_waits times in all
	re="${C[wl_pid]} ${C[wl_word]}: ([0-9]+) waits, [0-9.]+ ms, tids ([0-9 ]+)"
	[[ "$stderr" =~ $re ]]
	same "waits on the ping-pong word" "${BASH_REMATCH[1]}" "${C[wl_word_waits]}"
	tids=" ${BASH_REMATCH[2]} "
	[[ "$tids" == *" ${C[wl_tid_a]} "* ]]
	[[ "$tids" == *" ${C[wl_tid_b]} "* ]]
	read -ra t <<<"${BASH_REMATCH[2]}"
	[ "${#t[@]}" -eq 2 ]
	# the timeouts' word: the main thread alone, once per timeout
	re="${C[wl_pid]} ${C[wl_idle_word]}: ([0-9]+) waits, [0-9.]+ ms, tids ([0-9 ]+)"
	[[ "$stderr" =~ $re ]]
	same "waits on the timeouts' word" "${BASH_REMATCH[1]}" "${C[wl_idle_waits]}"
	same "waiters on the timeouts' word" "${BASH_REMATCH[2]}" "${C[wl_tid_a]}"
	same futex_wait_count "${C[futex_wait_count]}" "${C[futex_waits]}"
}

# bats test_tags=root
@test "PI futex: contended FUTEX_LOCK_PI/LOCK_PI2, timeouts, UNLOCK_PI and TRYLOCK_PI equal the program's count" {
	# FUTEX_UNLOCK_PI returns 0 though it hands the lock to a waiter: woken
	# counts the lock waits it ended
	both "$PROGS/futex_pi"
	[ "${C[wl_waits]}" -eq $((C[wl_rounds] + C[wl_timeouts])) ]
	[ "${C[wl_timeouts]}" -eq 2 ]
	[ "${C[wl_op_lock_pi]}" -gt 0 ]
	[ "${C[wl_op_lock_pi2]}" -gt 0 ]
	[ "${C[wl_op_trylock_pi]}" -eq 2 ]
	[ "${C[wl_woken]}" -eq "${C[wl_rounds]}" ]
}

# bats test_tags=root
@test "requeue: FUTEX_CMP_REQUEUE, FUTEX_REQUEUE and their waiters equal the program's count" {
	# a requeue returns the tasks it woke plus those it moved: woken counts
	# the waits it ended
	both "$PROGS/futex_requeue"
	[ "${C[wl_waits]}" -eq 4 ]
	[ "${C[wl_woken]}" -eq 4 ]
	[ "${C[wl_requeued]}" -eq 6 ]
	[ "${C[wl_op_cmp_requeue]}" -ge 3 ]
	[ "${C[wl_op_requeue]}" -eq 1 ]
	# the failed CMP_REQUEUE (EAGAIN) is neither a wait's EAGAIN nor a wake
	[ "${C[wl_errors]}" -eq 1 ]
	[ "${C[futex_eagain]}" -eq 0 ]
}

# bats test_tags=root
@test "futex_waitv and the futex2 calls: waits, EAGAINs, timeouts and wakes equal the program's count" {
	if "$PROGS/futex_waitv" --probe; then
		args=()
	else
		args=(--no-futex2)	# before Linux 6.7: futex_waitv only
	fi
	# futex_requeue returns the tasks it woke plus those it moved: woken
	# counts the waits it ended
	both "$PROGS/futex_waitv" "${args[@]}"
	[ "${C[wl_op_waitv]}" -eq 8 ]
	if [ "${C[wl_futex2]}" = 1 ]; then
		[ "${C[wl_op_futex_wait]}" -eq 9 ]
		[ "${C[wl_op_futex_requeue]}" -eq 3 ]
		[ "${C[wl_op_futex_wake]}" -ge 6 ]
		[ "${C[wl_waits]}" -eq 13 ]
	fi
}

# bats test_tags=root
@test "strace: futex ping-pong calls and errors per system call equal tracer's and the program's" {
	strace_witness "$PROGS/futex_pingpong" --rounds 100
}

# bats test_tags=root
@test "strace: PI futex calls and errors equal tracer's and the program's" {
	strace_witness "$PROGS/futex_pi"
}

# bats test_tags=root
@test "strace: requeue calls and errors equal tracer's and the program's" {
	strace_witness "$PROGS/futex_requeue"
}

# bats test_tags=root
@test "strace: futex_waitv and futex2 calls and errors equal tracer's and the program's" {
	if "$PROGS/futex_waitv" --probe; then
		strace_witness "$PROGS/futex_waitv"
	else
		strace_witness "$PROGS/futex_waitv" --no-futex2
	fi
}

# bats test_tags=root
@test "a futex wait that fails at once (EINVAL) is not a wait that blocked" {
	both "$PROGS/futex_pingpong" --rounds 20 --einval 3
	[ "${C[wl_errors]}" -eq 15 ]	# 7 EAGAIN, 5 ETIMEDOUT, 3 EINVAL
}

# bats test_tags=root
@test "an uncontended FUTEX_LOCK_PI that takes the lock at once is not a wait that blocked" {
	both "$PROGS/futex_pi" --immediate 3
	[ "${C[wl_lock_pi_immediate]}" -eq 3 ]
}

# bats test_tags=root
@test "futex_woken counts the tasks woken: not those a requeue moved, and the one FUTEX_UNLOCK_PI hands over" {
	"$TOOL" run --csv "$csv" -- "$PROGS/futex_requeue" >/dev/null 2>&1
	csv_load "$csv"
	same "futex_woken (requeue)" "${C[futex_woken]}" "${C[wl_woken]}"
	"$TOOL" run --csv "$csv" -- "$PROGS/futex_pi" >/dev/null 2>&1
	csv_load "$csv"
	same "futex_woken (PI)" "${C[futex_woken]}" "${C[wl_woken]}"
}

# The scheduler's view (a switch-out inside a futex wait, from pt_regs; what
# first woke it) against the syscalls' (entry, return, a switch-out
# between), from one run's event file: blocked waits per task and word,
# exactly. How a wait ended: a wake and its timer at once is a timeout to
# the scheduler (the timer's waking came first) and woken to the syscall
# (the wake dequeued it: it returns 0), and a waking the kernel did not
# report (docs/report.md: then the switch-in is unmatched, or unseen) is neither.
# A wait call can sleep twice: a wake takes its waiter off the queue under
# the bucket's lock and wakes it after; a waiter taken off before it slept
# returns at once and may be asleep in its next wait (a mutex's) by then,
# and the late wake ends that sleep early: the call goes back to sleep, or
# returns EAGAIN (a sleep in a call the syscalls count as no wait). The
# scheduler counts each sleep; such calls are told from the event file.
# The same late wake finding its task running already is no waking at all:
# the scheduler's woken is held only below the syscalls' (once in ~10 runs
# of prodcons, a wait the syscalls saw end with 0 had no futex waking).
sources_agree() {
	local ended sys_ended extra
	"$TOOL" run --syscalls --csv "$csv" --events "$BATS_TEST_TMPDIR/ev.csv" "$@" >/dev/null 2>&1
	csv_load "$csv"
	same events_lost "${C[events_lost]}" 0	# the check below reads every event
	[ "${C[futex_waits]}" -gt 0 ]
	extra=$("$PY" - "$BATS_TEST_TMPDIR/ev.csv" <<'PY'
import bisect, csv, sys
from collections import Counter
WAITS = {0, 6, 9, 11, 13, 32, 33}	# the futex ops that can block
rows = [r for r in csv.DictReader(open(sys.argv[1], newline="")) if r["kind"] in ("switch", "futex")]
sched, sys_ = Counter(), Counter()
sleeps = {}			# tid -> times it left a CPU to wait
for r in rows:
    if r["kind"] == "switch" and r["prev_tree"] == "1" and r["preempt"] == "0" \
            and int(r["prev_state"]) != 0:
        sleeps.setdefault(r["tid"], []).append(int(r["ts_boot_ns"]))
        if r["op"] != "":
            sched[(r["tid"], int(r["uaddr"]))] += 1
extra = 0			# sleeps the syscalls' count of blocked waits leaves out
for r in rows:
    if r["kind"] == "futex" and int(r["op"]) in WAITS:
        end = int(r["ts_boot_ns"]); start = end - int(r["duration_ns"])
        v = sleeps.get(r["tid"], [])
        n = bisect.bisect_right(v, end) - bisect.bisect_left(v, start)
        sys_[(r["tid"], int(r["uaddr"]))] += n
        extra += n - 1 if n and r["result"] != "-11" else n
words = sorted(set(sched) | set(sys_))
bad = [(w, sched[w], sys_[w]) for w in words if sched[w] != sys_[w]]
print(f"{len(words)} (task, word) pairs, {sum(sched.values())} blocked waits, {extra} sleeps more than one a call", file=sys.stderr)
assert words, "no blocked wait"
assert not bad, f"(tid, word): scheduler, syscalls: {bad[:5]}"
print(extra)
PY
)
	same "futex_waits, both views" "${C[futex_waits]}" $(( C[futex_sys_waits] + extra ))
	[ "${C[futex_woken]}" -le $(( C[futex_sys_woken] + extra )) ]
	ended=$(( C[futex_woken] + C[futex_timeouts] ))
	sys_ended=$(( C[futex_sys_woken] + C[futex_sys_timeouts] + extra ))
	[ "$ended" -le "$sys_ended" ]
}

# bats test_tags=root
@test "the scheduler's futex figures agree with the syscalls': prodcons, counter mutex, GIL, Python threads" {
	sources_agree prodcons --items 20000 --capacity 4
	sources_agree counter --sync mutex --threads 2 --increments 2000000
	sources_agree cpu-bound --mode gil --tasks 2 --work 40000000
	sources_agree py-cpu --mode threads
}

# bats test_tags=root
@test "a timed wait that times out is a timeout, not a wake, in both views" {
	run --separate-stderr -0 "$TOOL" run --syscalls --csv "$csv" -- "$PY" -c '
import threading
c = threading.Condition()
with c:
    for _ in range(5):
        c.wait(0.01)'
	csv_load "$csv"
	[ "${C[futex_sys_timeouts]}" = 5 ]
	[ "${C[futex_timeouts]}" -le 5 ]
	[ "${C[futex_timeouts]}" -ge $(( 5 - C[switch_ins_unseen] - C[wakeups_unmatched] )) ]
	[ "${C[futex_woken]}" = 0 ]
	[ "${C[futex_sys_woken]}" = 0 ]
}

# bats test_tags=root
@test "a waking in an interrupt is no futex wake, whatever call it came in" {
	# the disk's interrupt ends each O_DIRECT read, and lands on CPU 0
	# inside one of the other thread's wake calls more often than not: its
	# waking of the reader runs there, on the interrupt's own stack
	local f="$BATS_TEST_TMPDIR/blocks" ev="$BATS_TEST_TMPDIR/ev.csv" sys n
	dd if=/dev/zero of="$f" bs=1M count=16 status=none
	run "$PROGS/col_irqwake" "$f" 1
	[ "$status" != 3 ] || skip "no O_DIRECT reads under $BATS_TEST_TMPDIR"
	for sys in --no-syscalls --syscalls; do
		run -0 --separate-stderr "$TOOL" run "$sys" --csv "$csv" --events "$ev" -- \
			"$PROGS/col_irqwake" "$f" 4000
		csv_load "$csv"
		[ "$(kv woke)" = 0 ]	# the program's wakes woke nobody
		same "futex_woken ($sys)" "${C[futex_woken]}" "$(kv woke)"
		[ "$sys" = --no-syscalls ] || same futex_sys_woken "${C[futex_sys_woken]}" 0
		# the case came up: the reader woken by interrupts (waker 0; in
		# the wake calls or between them: witness_sched holds that to perf)
		n=$("$PY" - "$ev" "$(kv reader)" <<'PY'
import csv, sys
rows = csv.DictReader(open(sys.argv[1], newline=""))
print(sum(1 for r in rows if r["kind"] == "waking" and r["tid"] == sys.argv[2]
          and r["waker_tid"] == "0" and r["wake_by"] != "futex"))
PY
)
		echo "# $sys: $n wakings of the reader by an interrupt" >&3
		[ "$n" -ge 1000 ]
	done
}

# bats test_tags=root
@test "perf still counts the futex calls of any process while tracer traces another" {
	# a classic tracepoint program that returns 0 drops the event for every
	# perf user of that tracepoint: tracer's did, and perf counted 0 of 215
	"$TOOL" run --syscalls -- sleep 600 >/dev/null 2>&1 &
	t=$!
	for _ in $(seq 200); do
		if pgrep -P "$t" -x sleep >/dev/null; then break; fi
		sleep 0.05
	done
	pgrep -P "$t" -x sleep >/dev/null
	run -0 perf stat -x, -e syscalls:sys_enter_futex -- "$PROGS/futex_pingpong" --rounds 50
	kill -0 "$t"	# still tracing: perf ran while tracer's programs were attached
	kill "$t"
	wait "$t" || true
	counted=$(grep ',syscalls:sys_enter_futex,' <<<"$output" | cut -d, -f1)
	calls=$(grep -o 'calls_futex=[0-9]*' <<<"$output" | cut -d= -f2)
	echo "perf counted $counted, the program made $calls"	# shown if it fails
	[ -n "$calls" ]
	[ "$counted" = "$calls" ]
}
