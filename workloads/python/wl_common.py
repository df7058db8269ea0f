# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""What the Python workloads share with the C ones (wl_common.c): strict
options that fail with one line and exit 2, and the final result line,
also written to the fd named by TRACER_RESULT_FD."""
import argparse
import os
import re
import resource
import sys


class Parser(argparse.ArgumentParser):
    def __init__(self, **kw):
        super().__init__(allow_abbrev=False, **kw)

    def error(self, message):
        m = re.fullmatch(r"argument (\S+): expected one argument", message)
        if m:
            message = f"option '{m[1]}' needs a value"
        print(f"{self.prog}: {message.removeprefix('argument ')}", file=sys.stderr)
        sys.exit(2)

    def parse(self):
        args, extra = self.parse_known_args()
        if extra and extra[0].startswith("-"):
            self.error(f"unknown option '{extra[0]}' (see --help)")
        if extra:
            self.error(f"unexpected argument '{extra[0]}'")
        return args


def whole(lo, hi):
    """An argparse type: a whole decimal number in [lo, hi]."""
    def parse(s):
        if not re.fullmatch(r"[0-9]+", s):
            raise argparse.ArgumentTypeError(f"'{s}' is not a whole number")
        if not lo <= int(s) <= hi:
            raise argparse.ArgumentTypeError(f"{s} is out of range [{lo}, {hi}]")
        return int(s)
    return parse


def choice(choices):
    """An argparse type: one of choices."""
    def parse(s):
        if s not in choices:
            raise argparse.ArgumentTypeError(f"'{s}' is not one of {'|'.join(choices)}")
        return s
    return parse


def cpu_ms():
    """User + system CPU time of this process and its reaped children."""
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return (s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime) * 1e3


def result(pairs):
    """Print "result: key=value ...": floats with one decimal, as the C
    workloads do; the kernel's switch counters are appended."""
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    pairs = dict(pairs, ctxsw_voluntary=s.ru_nvcsw + c.ru_nvcsw,
                 ctxsw_involuntary=s.ru_nivcsw + c.ru_nivcsw)
    line = "result:" + "".join(
        f" {k}={v:.1f}" if isinstance(v, float) else f" {k}={v}" for k, v in pairs.items()) + "\n"
    sys.stdout.write(line)
    sys.stdout.flush()
    fd = os.environ.get("TRACER_RESULT_FD")
    if fd:
        try:
            os.write(int(fd), line.encode())
        except (OSError, ValueError) as e:
            print(f"{os.path.basename(sys.argv[0])}: writing the result to fd {fd}: {e}",
                  file=sys.stderr)
            sys.exit(1)
