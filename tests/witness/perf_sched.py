#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""perf's view of a traced run, for tests/witness_sched.bats.

usage: perf_sched.py PERF_DATA TRACER_PID EVENTS_CSV SUMMARY_CSV [LO_PID]

PERF_DATA is a system-wide `perf record` of the sched tracepoints around
`tracer run`, whose pid is TRACER_PID. Everything on perf's side comes from
perf's own records, read back with `perf script`: the tree (perf's fork
records: the children of tracer's process that are not its threads, and
every task they create), the wakings (sched:sched_waking samples, and
sched:sched_wakeup; one an interrupt made, by the trace's own flags read
with perf_wakings.py, names no waker: 0, as tracer's), the switches (sched:sched_switch with perf's prev_state
letters: R and R+ still runnable, D and I uninterruptible) and perf's clock
(sched_clock, not tracer's CLOCK_MONOTONIC). tracer's event and summary CSVs are read only to
compare with. LO_PID: the perf recording was filtered to pids >= LO_PID; a
tree task below it (pid_max wrapped) makes the recording unusable.

Prints one line of key=value figures (for the `kv` helper), then both sides'
counts per task and per waker/wakee pair. Besides the wakings and runqlat's
wakeup latencies, every interval of tracer's summary CSV (bpf/logic.h's
definitions: wakeup latency same/cross CPU, preemption delay, off-CPU sleep
S and D) on both sides, paired by switch-in: KIND_* figures, below.
Percentiles of perf's side are exact, nearest rank (the value at rank
ceil(n * p / 100)): tracer's pick the histogram slot holding that same rank
and report the slot's middle.

The system calls (raw_syscalls:sys_enter/sys_exit, perf_record.sh) give
perf's own futex waits and creation latencies: 'fx', a switch-out asleep
(S, not preempted) of a task between its futex entry with a wait op (op &
0x7f: WAIT 0, WAIT_BITSET 9, LOCK_PI 6, LOCK_PI2 13, WAIT_REQUEUE_PI 11)
and its exit, until the task's next switch-in; 'cproc' and 'cthread', the
creator's latest clone/fork/vfork/clone3 entry before the fork tracepoint
(CREATE_BASIS=fork: the fork tracepoint's own time) until the child's first
switch-in. tracer's side: its event CSV's switch rows that name the futex
wait call the task blocked in (op), and fork rows' clone_ts_ns. An interval
whose end no switch-in showed (the kernel's unreported switch-ins): tracer
ends a futex wait at the run's start (logic_unseen_run) and drops a
creation; perf can end neither: counted in fx_lost_perf, create_lost_perf.
"""
import csv
import gzip
import math
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter

perf_data, tracer_pid, events_csv, summary_csv = sys.argv[1:5]
tracer_pid = int(tracer_pid)
lo_pid = int(sys.argv[5]) if len(sys.argv) > 5 else 0
PERF = os.environ.get("PERF", "perf")

# "  PID/TID [CPU] SEC.NSEC: EVENT: FIELDS" (-F pid,tid,cpu,time,event,trace)
LINE = re.compile(r"^\s*(-?\d+)/(-?\d+)\s+\[(\d+)\]\s+(\d+)\.(\d{9}):\s+(\S+?):?\s+(.*)$")
FORK = re.compile(r"PERF_RECORD_FORK\((\d+):(\d+)\):\((\d+):(\d+)\)")
LOST = re.compile(r"PERF_RECORD_LOST(?:_SAMPLES)?\D*(\d+)")
SYSENTER = re.compile(r"NR (\d+) \(([0-9a-f]+), ([0-9a-f]+)")
SYSEXIT = re.compile(r"NR (\d+) = ")
NR_FUTEX, NR_CLONES = 202, (56, 57, 58, 435)
FUTEX_WAIT_OPS = (0, 9, 6, 13, 11)
CREATE_BASIS = os.environ.get("CREATE_BASIS", "clone")
SWITCH = re.compile(r" prev_pid=(\d+) prev_prio=-?\d+ prev_state=(\S+) ==> .* next_pid=(\d+) next_prio=-?\d+$")
WAKE = re.compile(r" pid=(\d+) prio=-?\d+ target_cpu=\d+$")


def rank(vals, p):
    """nearest rank, as tracer's hist_percentile picks its slot"""
    return max(1, math.ceil(len(vals) * p / 100.0))


def at(vals, k):
    """the value at rank k (1-based), clamped to the ranks there are"""
    return vals[min(len(vals), max(1, k)) - 1] if vals else 0


def pct(vals, p):
    return at(vals, rank(vals, p))


def us(ns):
    return "%.3f" % (ns / 1000.0)


def rule(p, t):
    """the same interval, perf's p and tracer's t (ns), close enough"""
    return abs(t - p) <= p / 8 + 500


def lo_at(vals, k):
    return us(vals[k - 1]) if 1 <= k <= len(vals) else "0"


def hi_at(vals, k):
    return us(vals[k - 1]) if 1 <= k <= len(vals) else "inf"


class Delays:
    """runqlat's bookkeeping, with tracer's definitions (bpf/logic.h,
    logic_switch_in): per task, how it last left a CPU ('R' still runnable
    or preempted, 'S' asleep, 'D' uninterruptible, None before its first
    run, 'on' on a CPU), when, and its latest waking since it last got on a
    CPU (the latest wins, as in tracer and runqlat) and that waking's CPU.
    Each interval is kept as (tid, n, ns), n counting the task's switch-ins
    (the same switch-in on both sides: they see the same switches), by
    kind: 'wake' (waking -> switch-in, clamped to the time off the CPU),
    'same' and 'cross' (of those, the waking on the CPU the task then runs
    on, or another), 'preempt' (off the CPU while runnable), 'S' and 'D'
    (switch-out asleep -> switch-in), 'new' (wakeup_new -> first run).
    tracer_rules: also tracer's switch-ins the kernel did not report
    (logic_unseen_run), from the run_ns of its event CSV."""

    KINDS = ("wake", "same", "cross", "preempt", "S", "D", "new", "fx", "cproc", "cthread")

    def __init__(self, tracer_rules=False):
        self.tracer_rules = tracer_rules
        self.out_state, self.out_ts, self.wake_ts, self.wake_cpu = {}, {}, {}, {}
        self.new_ts, self.nin = {}, Counter()
        self.ev = {k: [] for k in self.KINDS}
        self.ends = {k: {} for k in self.KINDS}	# (tid, n) -> (start, end) times
        self.unmatched = self.unseen = 0
        self.fxb, self.created, self.proc = {}, {}, {}
        self.fx_lost = self.create_lost = 0

    @property
    def wake(self):
        return self.ev["wake"]

    @property
    def preempt(self):
        return self.ev["preempt"]

    @property
    def new(self):
        return self.ev["new"]

    def born(self, tid):
        self.out_state[tid] = None

    def waking(self, tid, t, cpu):
        self.wake_ts[tid] = t
        self.wake_cpu[tid] = cpu

    def wakeup_new(self, tid, t):
        self.new_ts[tid] = t

    def create(self, tid, t):
        self.created[tid] = t

    def switch_out(self, tid, state, t, run_ns=None, fx=False):
        """state: 'R', 'S' or 'D'; fx: blocked in a futex wait call"""
        if self.tracer_rules and self.out_state.get(tid, 0) != "on":
            # a run whose switch-in no switch showed: its waking is spent
            # unless it came after the run's start (kernel's CPU time)
            self.unseen += 1
            since = self.out_ts.get(tid, 0)
            start = t - min(run_ns, t - since) if run_ns and t > since else None
            if start is None or self.wake_ts.get(tid, 0) <= start:
                self.wake_ts.pop(tid, None)
            # a futex wait ends at the run's start if known; no creation
            self.created.pop(tid, None)
            if tid in self.fxb:
                end, b = start or t, self.fxb.pop(tid)
                if end > b:
                    self.ev["fx"].append((tid, "unseen %d" % self.unseen, end - b))
        elif self.out_state.get(tid, 0) != "on":
            # perf: no switch-in to end them
            if self.fxb.pop(tid, None) is not None:
                self.fx_lost += 1
            if self.created.pop(tid, None) is not None:
                self.create_lost += 1
        if fx:
            self.fxb[tid] = t
        self.out_state[tid] = state
        self.out_ts[tid] = t

    def add(self, kind, key, start, end):
        self.ev[kind].append(key + (end - start,))
        self.ends[kind][key] = (start, end)

    def switch_in(self, tid, cpu, t):
        self.nin[tid] += 1
        key = (tid, self.nin[tid])
        st = self.out_state.get(tid)
        if tid in self.fxb:
            b = self.fxb.pop(tid)
            if t > b:
                self.add("fx", key, b, t)
        if tid in self.created:
            kind = "cproc" if self.proc.get(tid) else "cthread"
            self.add(kind, key, self.created.pop(tid), t)
        if st == "R":
            self.add("preempt", key, self.out_ts[tid], t)
        elif st in ("S", "D"):
            self.add(st, key, self.out_ts[tid], t)
            if tid in self.wake_ts:
                start = max(self.wake_ts[tid], self.out_ts[tid])	# clamped to the time off
                self.add("wake", key, start, t)
                self.add("same" if self.wake_cpu[tid] == cpu else "cross", key, start, t)
            else:
                self.unmatched += 1
        elif st is None and tid in self.new_ts:
            self.add("new", key, self.new_ts.pop(tid), t)
        self.out_state[tid] = "on"
        self.wake_ts.pop(tid, None)


# perf's side. The wakings an interrupt made, whatever task it came in
# (hardirq, NMI, or softirq but in a ksoftirqd thread, which runs them as
# itself), by their (time, CPU, wakee): tracer names no waker for those.
in_irq = set()
out = subprocess.run([PERF, "script", "-i", perf_data, "-s",
                      os.path.join(os.path.dirname(os.path.abspath(__file__)), "perf_wakings.py")],
                     capture_output=True, text=True, errors="replace")
if out.returncode:
    sys.exit(f"perf script -s failed: {out.returncode}: {out.stderr[-300:]}")
for line in out.stdout.splitlines():
    f = line.split(None, 5)
    if len(f) < 5 or not f[0].isdigit():
        continue
    flags = int(f[4])
    if flags & 0x48 or (flags & 0x10 and not (f[5] if len(f) > 5 else "").startswith("ksoftirqd/")):
        in_irq.add((int(f[0]), int(f[1]), int(f[3])))

perf_err = tempfile.TemporaryFile(mode="w+")
proc = subprocess.Popen(
    [PERF, "script", "-i", perf_data, "--ns", "--show-task-events",
     "--show-lost-events", "-F", "pid,tid,cpu,time,event,trace"],
    stdout=subprocess.PIPE, stderr=perf_err, text=True,
    errors="replace")
tree = set()
wakings, wakeups, pairs = Counter(), Counter(), Counter()
lost = 0
D = Delays()
in_fx, clone_ts = {}, {}
last_at, dups = {}, 0


def perf_state(letters):
    """perf's prev_state letters as tracer files the switch-out: R or R+
    (preempted) runnable; D, or I (TASK_IDLE: uninterruptible, no load)
    uninterruptible; else (S, T, t, X, Z, P) asleep"""
    if letters.startswith("R"):
        return "R"
    return "D" if "D" in letters or "I" in letters else "S"


for line in proc.stdout:
    if "PERF_RECORD_LOST" in line:
        m = LOST.search(line)
        lost += int(m.group(1)) if m else 1
        continue
    m = LINE.match(line)
    if not m:
        continue
    tid, cpu = int(m.group(2)), int(m.group(3))
    t = int(m.group(4)) * 1000000000 + int(m.group(5))
    ev, rest = m.group(6), m.group(7)
    # the same sample twice (one CPU, the same nanosecond, every field):
    # no two events can be, so perf's record is not to be trusted
    if not ev.startswith("PERF_RECORD"):
        if last_at.get(cpu, (None,))[0] != t:
            last_at[cpu] = (t, set())
        if line in last_at[cpu][1]:
            dups += 1
            continue
        last_at[cpu][1].add(line)
    if ev.startswith("PERF_RECORD_FORK"):
        cpid, ctid, ppid, ptid = map(int, FORK.search(line).groups())
        if ptid in tree or (ppid == tracer_pid and cpid != tracer_pid):
            tree.add(ctid)
            D.born(ctid)
            D.proc[ctid] = cpid == ctid
    elif ev == "sched:sched_switch":
        prev, state, nxt = SWITCH.search(rest).groups()
        prev, nxt = int(prev), int(nxt)
        if prev in tree:
            st = perf_state(state)
            # tracer: asleep, not preempted, not dead, inside a futex wait
            fx = st == "S" and not re.search("[XZ]", state) and in_fx.get(prev, False)
            D.switch_out(prev, st, t, fx=fx)
        if nxt in tree:
            D.switch_in(nxt, cpu, t)
    elif ev == "raw_syscalls:sys_enter":
        if tid not in tree:
            continue
        m = SYSENTER.search(rest)
        nr = int(m.group(1))
        in_fx[tid] = nr == NR_FUTEX and (int(m.group(3), 16) & 0x7f) in FUTEX_WAIT_OPS
        if nr in NR_CLONES:
            clone_ts[tid] = t
    elif ev == "raw_syscalls:sys_exit":
        if tid in tree and int(SYSEXIT.search(rest).group(1)) == NR_FUTEX:
            in_fx[tid] = False
    elif ev == "sched:sched_process_fork":
        # the creator (the sample's task) in the tree; the launched
        # command, tracer's child, has no creation latency on either side
        child = int(re.search(r" child_pid=(\d+)", rest).group(1))
        if tid in tree:
            b = clone_ts.pop(tid, None)
            D.create(child, t if CREATE_BASIS == "fork" or b is None else b)
    elif ev in ("sched:sched_waking", "sched:sched_wakeup", "sched:sched_wakeup_new"):
        w = int(WAKE.search(rest).group(1))
        if w not in tree:
            continue
        if ev == "sched:sched_waking":
            wakings[w] += 1
            pairs[(0 if (t, cpu, w) in in_irq else tid, w)] += 1
            D.waking(w, t, cpu)
        elif ev == "sched:sched_wakeup":
            wakeups[w] += 1
        else:
            D.wakeup_new(w, t)
proc.wait()
if proc.returncode:
    # perf 6.1 reading back the kernel-symbol or BPF record of a BPF
    # program loaded on the machine meanwhile (any tracer's) and gone:
    # "failed to process type: 17 [Bad address]" (perf's bug, known: e.g.
    # intel/gprofiler#512), ~1 run in 10 with other suites beside. No
    # witness then, as with lost records: exit 75, perf_record.sh tries again.
    perf_err.seek(0)
    err = [x for x in perf_err.read().splitlines() if "not valid for" not in x]
    bad = [x for x in err if re.search(r"failed to process type: (17|18) ", x)]
    if bad:
        print("perf script failed:", bad[0], file=sys.stderr)
        sys.exit(75)
    sys.exit(f"perf script failed: {proc.returncode}: {err[-3:]}")

# tracer's side: its event CSV. The same bookkeeping on tracer's own
# records (its clock, its probes): T with perf's rules, to tell apart, on a
# failure, the two parts of a percentile's difference (the timestamps and
# the slots); TR with tracer's own (its unseen switch-ins), whose intervals
# are the ones its summary counts, paired with perf's event by event.
op = gzip.open if events_csv.endswith(".gz") else open
t_tree, t_wakings, t_pairs = set(), Counter(), Counter()
T, TR = Delays(), Delays(tracer_rules=True)
with op(events_csv, "rt", newline="") as f:
    for r in csv.DictReader(f):
        k = r["kind"]
        cpu = int(r["cpu"]) if r["cpu"] else -1
        if k == "switch":
            t = int(r["ts_boot_ns"])	# perf's clock (-k monotonic)
            if r["prev_tree"] == "1":
                t_tree.add(int(r["tid"]))
                st = int(r["prev_state"])
                st = "R" if st == 0 or r["preempt"] == "1" else "D" if st & 2 else "S"
                fx = r["op"] != ""
                T.switch_out(int(r["tid"]), st, t, fx=fx)
                TR.switch_out(int(r["tid"]), st, t, int(r["run_ns"]) if r["run_ns"] else None,
                              fx=fx)
            if r["next_tree"] == "1":
                t_tree.add(int(r["next_tid"]))
                T.switch_in(int(r["next_tid"]), cpu, t)
                TR.switch_in(int(r["next_tid"]), cpu, t)
        elif k == "waking":
            t_wakings[int(r["tid"])] += 1
            t_pairs[(int(r["waker_tid"]), int(r["tid"]))] += 1
            T.waking(int(r["tid"]), int(r["ts_boot_ns"]), cpu)
            TR.waking(int(r["tid"]), int(r["ts_boot_ns"]), cpu)
        elif k == "wakeup_new":
            T.wakeup_new(int(r["tid"]), int(r["ts_boot_ns"]))
            TR.wakeup_new(int(r["tid"]), int(r["ts_boot_ns"]))
        if k in ("fork", "exec", "exit", "wakeup_new"):
            t_tree.add(int(r["tid"]))
        if k == "fork":
            T.born(int(r["tid"]))
            TR.born(int(r["tid"]))
            T.proc[int(r["tid"])] = TR.proc[int(r["tid"])] = r["pid"] == r["tid"]
            if int(r["clone_ts_ns"] or 0):	# the raw clock, as ts_boot_ns
                T.create(int(r["tid"]), int(r["clone_ts_ns"]))
                TR.create(int(r["tid"]), int(r["clone_ts_ns"]))
s = next(csv.DictReader(open(summary_csv, newline="")))

wake_lat = sorted(v for _, _, v in D.wake)
replay_lat = sorted(v for _, _, v in T.wake)
# Event by event: the n-th wakeup latency of a task on both sides, and how
# many the two time more than 1/8 + 0.5 us apart (`outside`). With every
# other event within that, tracer's value at rank k lies within that of
# perf's values at ranks k - outside and k + outside (order statistics):
# perf_pP_lo_us, perf_pP_hi_us.
# Each hit's two times, on one clock (-k monotonic): tracer's probe runs
# after perf's (attached first), so its time is perf's plus a near-constant
# offset; something that runs between the two probes (the host taking the
# vCPU, an NMI: interrupts are off there) delays tracer's. An interval an
# endpoint of which was so delayed (offset more than 0.5 us above the
# median) is `disturbed`: counted apart, as no tracer could time it alike.
HIT_KINDS = ("wake", "same", "cross", "preempt", "S", "D", "fx")
offsets = sorted(o for kind in HIT_KINDS for key, (p0, p1) in D.ends[kind].items()
                 if key in TR.ends[kind]
                 for o in (TR.ends[kind][key][0] - p0, TR.ends[kind][key][1] - p1))
offset_med = offsets[len(offsets) // 2] if offsets else 0


def disturbed(side, kind, pkey, tkey):
    p, t = D.ends[kind].get(pkey), side.ends[kind].get(tkey)
    return bool(p and t) and max(t[0] - p[0], t[1] - p[1]) - offset_med > 500


diffs, outside, outside_und, paired_dist = [], 0, 0, 0
for x in tree:
    a = [(n, v) for tid, n, v in D.wake if tid == x]
    b = [(n, v) for tid, n, v in T.wake if tid == x]
    if len(a) == len(b):
        diffs += [bv - av for (_, av), (_, bv) in zip(a, b)]
        for (an, av), (bn, bv) in zip(a, b):
            dist = disturbed(T, "wake", (x, an), (x, bn))
            paired_dist += dist
            if abs(bv - av) > av / 8 + 500:
                outside += 1
                outside_und += not dist
diffs.sort()
fig = {
    "perf_lost": lost,
    "below_lo": sum(1 for x in t_tree | {tracer_pid} if x < lo_pid),
    "perf_dup": dups,
    "tree_perf": len(tree),
    "tree_tracer": len(t_tree),
    "tree_equal": int(tree == t_tree),
    "wakings_perf": sum(wakings.values()),
    "wakings_tracer": sum(t_wakings.values()),
    "wakeups_perf": sum(wakeups.values()),
    "tasks_wakings_differ": sum(1 for x in tree | t_tree if wakings[x] != t_wakings[x]),
    "tasks_wakeup_differ": sum(1 for x in tree if wakeups[x] != wakings[x]),
    "pairs_differ": sum(1 for x in set(pairs) | set(t_pairs) if pairs[x] != t_pairs[x]),
    "wakings_irq_perf": sum(n for (waker, _), n in pairs.items() if waker == 0),
    "wake_count": len(D.wake),
    "preempt_count": len(D.preempt),
    "new_count": len(D.new),
    "unmatched": D.unmatched,
    "paired": len(diffs),
    "paired_diff_min_ns": diffs[0] if diffs else 0,
    "paired_diff_p1_ns": pct(diffs, 1),
    "paired_diff_p50_ns": pct(diffs, 50),
    "paired_diff_p99_ns": pct(diffs, 99),
    "paired_diff_max_ns": diffs[-1] if diffs else 0,
    "paired_outside": outside,
    "paired_outside_undisturbed": outside_und,
    "paired_disturbed": paired_dist,
    "hit_offset_med_ns": offset_med,
    "hit_offset_p99_ns": pct(offsets, 99) if offsets else 0,
}
for p in (50, 90, 99):
    fig[f"perf_p{p}_us"] = us(pct(wake_lat, p))
    fig[f"perf_p{p}_lo_us"] = us(at(wake_lat, rank(wake_lat, p) - outside))
    fig[f"perf_p{p}_hi_us"] = us(at(wake_lat, rank(wake_lat, p) + outside))
    fig[f"replay_p{p}_us"] = us(pct(replay_lat, p))
    fig[f"tracer_p{p}_us"] = s[f"wakeup_latency_p{p}_us"]
    perf_v = float(fig[f"perf_p{p}_us"])
    fig[f"p{p}_reldiff"] = "%.4f" % (abs(float(s[f"wakeup_latency_p{p}_us"]) - perf_v) / perf_v
                                     if perf_v else 0.0)

# Every kind of interval of the summary CSV, event by event: perf's
# intervals (D) and those tracer's summary counts (TR, its own timestamps
# and rules), paired by switch-in. KIND_perf_only: perf's intervals tracer
# does not count (a wakeup latency spent by an unseen switch-in: counted
# in its wakeups_unmatched); KIND_tracer_only: the reverse; KIND_outside:
# pairs more than 1/8 + 0.5 us apart (rule()), KIND_outside_abs_us: their
# |difference| summed, over the pairs. Order statistics: with o = outside,
# tracer's value at rank k (of its own n) lies within perf's at ranks
# k - o - tracer_only and k + o + perf_only, widened by the rule; a rank
# outside 1..n bounds nothing (0, inf): KIND_perf_pP_lo_us, _hi_us.
# Maximum, the same event on both sides: perf's largest interval of the
# pairs and tracer's value of it (KIND_perf_max_us, _perf_max_tracer_us),
# tracer's largest and perf's value of it (KIND_tracer_max_us,
# _tracer_max_perf_us). Where that event keeps the rule, tracer's maximum
# is at least, or at most, perf's widened (KIND_max_lo_us, _max_hi_us:
# perf's maximum); where it is one of the `outside` (KIND_max_outside: 0-2
# of the two, 1 at most if they are one event), the order statistics
# above at k = n. Mean: over the pairs
# on perf's side (KIND_perf_avg_us; _perf_avg_all_us: over all of
# perf's), and its relative difference from tracer's summary.
KINDS = {"wake": ("wake", "wakeup_latency"),
         "same": ("same", "wakeup_latency_same_cpu"),
         "cross": ("cross", "wakeup_latency_cross_cpu"),
         "preempt": ("preempt", "preempt_delay"),
         "sleep": ("S", "offcpu_sleep"),
         "dsleep": ("D", "offcpu_uninterruptible"),
         "fx": ("fx", "futex_wait"),
         "cproc": ("cproc", "create_process"),
         "cthread": ("cthread", "create_thread")}


fig["unseen_replay"] = TR.unseen
fig["unmatched_replay"] = TR.unmatched
fig["fx_lost_perf"] = D.fx_lost
fig["create_lost_perf"] = D.create_lost
fig["create_basis"] = CREATE_BASIS
for name, (kind, col) in KINDS.items():
    pv = {(x, n): v for x, n, v in D.ev[kind]}
    tv = {(x, n): v for x, n, v in TR.ev[kind]}
    both = set(pv) & set(tv)
    bad = [e for e in both if not rule(pv[e], tv[e])]
    out = len(bad)
    dist = [e for e in both if kind in HIT_KINDS and disturbed(TR, kind, e, e)]
    fig[f"{name}_disturbed"] = len(dist)
    fig[f"{name}_outside_undisturbed"] = len(set(bad) - set(dist))
    perf_only, tracer_only = len(set(pv) - both), len(set(tv) - both)
    fig[f"{name}_n_perf"] = len(pv)
    fig[f"{name}_n_tracer"] = len(tv)
    fig[f"{name}_n_both"] = len(both)
    fig[f"{name}_perf_only"] = perf_only
    fig[f"{name}_tracer_only"] = tracer_only
    fig[f"{name}_outside"] = out
    fig[f"{name}_outside_abs_us"] = us(sum(abs(tv[e] - pv[e]) for e in bad) / max(1, len(both)))
    # what the disturbed ones (the host held the vCPU between the two probes)
    # move the mean by: no tracer times them alike
    fig[f"{name}_disturbed_abs_us"] = us(sum(abs(tv[e] - pv[e]) for e in dist)
                                         / max(1, len(both)))
    pl, tl = sorted(pv.values()), sorted(tv.values())
    for p in (50, 90, 99):
        k = rank(tl, p)
        fig[f"{name}_perf_p{p}_us"] = us(pct(pl, p))
        fig[f"{name}_perf_p{p}_lo_us"] = lo_at(pl, k - out - tracer_only)
        fig[f"{name}_perf_p{p}_hi_us"] = hi_at(pl, k + out + perf_only)
    if not both:
        continue
    ep = max(both, key=lambda e: (pv[e], e))
    et = max(both, key=lambda e: (tv[e], e))
    pmax = max(pv[e] for e in both)
    fig[f"{name}_perf_max_us"] = us(pmax)
    fig[f"{name}_perf_max_tracer_us"] = us(tv[ep])
    fig[f"{name}_tracer_max_us"] = us(tv[et])
    fig[f"{name}_tracer_max_perf_us"] = us(pv[et])
    # one event if both sides' largest is the same (a kind of one interval):
    # counted twice, it was more than the outside ones (CI: 2 of 1)
    fig[f"{name}_max_outside"] = len({ep, et} & set(bad))
    fig[f"{name}_max_lo_us"] = (us(pmax) if rule(pv[ep], tv[ep])
                                else lo_at(pl, len(tl) - out - tracer_only))
    fig[f"{name}_max_hi_us"] = (us(pmax) if rule(pv[et], tv[et])
                                else hi_at(pl, len(tl) + out + perf_only))
    # tracer's own intervals perf cannot time (tracer_only: a futex wait
    # ended by an unseen switch-in): tracer's maximum may be one of them,
    # unbounded by perf; its mean has them, taken at tracer's values
    t_only = [tv[e] for e in set(tv) - both]
    fig[f"{name}_tracer_max_all_us"] = us(max(tv.values()))
    if t_only and max(t_only) > tv[et]:
        fig[f"{name}_max_hi_us"] = "inf"
    pavg = sum(pv[e] for e in both) / len(both)
    fig[f"{name}_perf_avg_us"] = us(pavg)
    fig[f"{name}_perf_avg_all_us"] = us(sum(pl) / len(pl))
    fig[f"{name}_perf_avg_tonly_us"] = us((sum(pv[e] for e in both) + sum(t_only))
                                          / (len(both) + len(t_only)))
    fig[f"{name}_tracer_avg_us"] = us(sum(tl) / len(tl))
    fig[f"{name}_avg_reldiff"] = "%.5f" % (abs(float(s[f"{col}_avg_us"]) * 1000 - pavg) / pavg
                                           if pavg else 0.0)
print(" ".join(f"{k}={v}" for k, v in fig.items()))
for x in sorted(tree | t_tree):
    print(f"task {x}: in perf's tree {int(x in tree)}, tracer's {int(x in t_tree)}; "
          f"sched_waking perf {wakings[x]} tracer {t_wakings[x]}; sched_wakeup perf {wakeups[x]}")
for x in sorted(set(pairs) | set(t_pairs)):
    print(f"waker {x[0]} -> wakee {x[1]}: sched_waking perf {pairs[x]} tracer {t_pairs[x]}")
