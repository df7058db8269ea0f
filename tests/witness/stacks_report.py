# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""The report's --stacks parts, read back as data for the tests.

stacks(text): the groups of "where the tree waited", heaviest first, each a
dict: ms, waits, state, kern, user (frames shown, innermost first; past the
12 shown, "... N more, out to F": more, outermost), cut (the report says the
user stack looks cut short), and woken:
None (an interrupt or a timer) or a dict: by_task, of, stacks, top_waits,
tid, comm, kern, user.
pairs(text): the who-woke-whom lines: (waker tid, waker comm, wakee tid,
count, frames of the waker's heaviest stack or []).
"""
import re

GROUP = re.compile(r"  ([0-9.]+) ms, ([0-9]+) waits? \(([SD])\), "
                   r"p50 ~([0-9.]+) us, p99 ~([0-9.]+) us, max ([0-9.]+) us, ")
WOKEN = re.compile(r"    woken by a task in ([0-9]+) of ([0-9]+) waits \(([0-9]+) waker "
                   r"stacks?\); the heaviest, ([0-9]+) waits, e.g. by ([0-9]+) (.*):$")


MORE = re.compile(r"\.\.\. ([0-9]+) more, out to (.*)$")


def _frames(lines, i, extra=None):
    """Kernel frames, '--', user frames from lines[i]: (kern, user, next i);
    the user side's "... more" and "(cut short" lines into extra."""
    kern, user, side = [], [], None
    side = kern
    while i < len(lines) and lines[i].startswith("      "):
        f = lines[i].strip()
        m = MORE.match(f)
        if f == "--":
            side = user
        elif m:
            if extra is not None and side is user:
                extra.update(more=int(m[1]), outermost=m[2])
        elif f.startswith("(cut short"):
            if extra is not None:
                extra["cut"] = True
        else:
            side.append(f)
        i += 1
    return kern, user, i


def stacks(text):
    sec = text.split("\nwhere the tree waited (")[1].split("\n\n")[0].splitlines()
    out, i = [], 0
    while i < len(sec):
        m = GROUP.match(sec[i])
        if not m:
            i += 1
            continue
        extra = dict(more=0, outermost=None, cut=False)
        kern, user, i = _frames(sec, i + 1, extra)
        g = dict(ms=float(m[1]), waits=int(m[2]), state=m[3], kern=kern, user=user,
                 woken=None, p50_us=float(m[4]), p99_us=float(m[5]), max_us=float(m[6]),
                 **extra)
        if not g["outermost"]:
            g["outermost"] = user[-1] if user else None
        if i < len(sec) and sec[i].startswith("    woken by a task"):
            w = WOKEN.match(sec[i])
            assert w, sec[i]
            wk, wu, i = _frames(sec, i + 1)
            g["woken"] = dict(by_task=int(w[1]), of=int(w[2]), stacks=int(w[3]),
                              top_waits=int(w[4]), tid=int(w[5]), comm=w[6], kern=wk,
                              user=wu)
        elif i < len(sec):
            assert sec[i] == "    woken by an interrupt or a timer, never by a task", sec[i]
            i += 1
        out.append(g)
    return out


def pairs(text):
    sec = text.split("\nwho woke whom (")[1].split("\n\n")[0].splitlines()[2:]
    out = []
    for j, l in enumerate(sec):
        if l.startswith("    in "):
            continue
        # fixed columns: "  %-21s %-21s %9llu ..."
        waker, wakee, count = l[2:23].split(" ", 1), l[24:45].split(" ", 1), l[46:55]
        nxt = sec[j + 1] if j + 1 < len(sec) else ""
        frames = nxt[len("    in "):].split(" <- ") if nxt.startswith("    in ") else []
        out.append((int(waker[0]), waker[1].strip(), int(wakee[0]), int(count), frames))
    return out
