# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Contenders interleaved in passes, and the per-pass figures taken from them."""
import random
import statistics
import time
from .context import Failed, SETTLE_S, log, median


def interleave(ctx, contenders, runs, value):
    """contenders: [(name, thunk)]; each pass runs all in a shuffled order
    and keeps value(thunk()) or None if it failed. Lists
    stay pass-aligned, so vals[a][i] and vals[b][i] ran side by side. Two
    failures in a row drop a contender; errs keeps its last error."""
    vals = {n: [] for n, _ in contenders}
    errs, streak = {}, {n: 0 for n, _ in contenders}
    for i in range(runs if contenders else 0):
        if i and ctx.out_of_time():
            log(f"time budget reached after {i} passes")
            break
        # a new order each pass: no contender always follows the same one
        # (a tracer's teardown, RCU callbacks and freed maps, outlives it)
        order = list(contenders)
        random.Random(i).shuffle(order)
        for name, thunk in order:
            time.sleep(SETTLE_S)
            if streak[name] >= 2:
                vals[name].append(None)
                continue
            try:
                vals[name].append(value(thunk()))
                streak[name] = 0
            except (Failed, KeyError, ValueError) as e:
                vals[name].append(None)
                errs[name] = str(e)
                streak[name] += 1
                log(f"{name}: {e}" + ("; dropped" if streak[name] >= 2 else ""))
    return vals, errs


def ok(xs):
    return [x for x in xs if x is not None]


def failures(xs, errs, name):
    bad = len(xs) - len(ok(xs))
    return f"; {bad} of {len(xs)} runs failed: {errs[name]}" if bad else ""


def paired(a, b, f):
    return median([f(x, y) for x, y in zip(a, b) if x is not None and y is not None])


def quartiles(a, b):
    """The per-pass added percentages of a over b: their first and third
    quartiles, as a note ("" under 4 pairs). The median alone hides how far
    a figure moves within one run on this shared machine."""
    xs = [(x / y - 1) * 100 for x, y in zip(a, b) if x is not None and y is not None]
    if len(xs) < 4:
        return ""
    q1, _, q3 = statistics.quantiles(xs, n=4)
    return f"; per-pass quartiles {q1:+.1f} / {q3:+.1f}"
