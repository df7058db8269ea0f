# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""The contenders: tracer, the floor programs, perf, runqlat, offcputime and bpftrace."""
import os
import shutil
import signal
import subprocess
import tempfile
import time
from .context import BPFTRACE_COUNTER, FLOOR, Failed, PEERS, TRACER, last_line, log, result_of, run


def find_libbpf_tool(name):
    path = shutil.which(name)
    if path:
        return path
    try:
        files = run(["dpkg", "-L", "libbpf-tools"]).split()
    except Failed:
        return None
    for f in files:
        if f.endswith("/" + name) and os.access(f, os.X_OK) and not os.path.isdir(f):
            return f
    return None


def find_tools(ctx):
    ctx.tools["perf"] = shutil.which("perf")
    ctx.tools["bpftrace"] = shutil.which("bpftrace")
    ctx.tools["runqlat"] = find_libbpf_tool("runqlat")
    ctx.tools["offcputime"] = find_libbpf_tool("offcputime")
    ctx.tools["bpftool"] = shutil.which("bpftool") or (
        "/usr/sbin/bpftool" if os.path.exists("/usr/sbin/bpftool") else None)


def install_peers(ctx, allowed):
    find_tools(ctx)
    missing = [pkg for tool, pkg in PEERS.items() if not ctx.tools[tool]]
    if not missing:
        return
    if not allowed or not shutil.which("apt-get"):
        log(f"not installing {' '.join(missing)}: their rows are skipped")
        return
    log(f"installing from Debian: {' '.join(missing)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    cmd = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing]
    if subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, stdout=subprocess.DEVNULL)
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL)
    find_tools(ctx)


def tracer_has_events():
    try:
        return "--events" in run([TRACER, "run", "--help"])
    except Failed:
        return False


def tracefs_ready():
    """Classic tracepoints need tracefs; a fresh machine may not mount it."""
    ev = "/sys/kernel/tracing/events/sched/sched_switch"
    if os.path.exists(ev):
        return True
    subprocess.run(["mount", "-t", "tracefs", "nodev", "/sys/kernel/tracing"],
                   stderr=subprocess.DEVNULL)
    return os.path.exists(ev)


class Background:
    """A peer that traces the whole machine while it runs: started, awaited
    until its probes are attached (it prints a marker; marker None: a BPF
    link among its file descriptors), then stopped with SIGINT as a user
    would."""

    def __init__(self, ctx, name, cmd, marker):
        self.ctx = ctx
        self.name, self.cmd, self.marker = name, cmd, marker

    def __enter__(self):
        self.out = tempfile.TemporaryFile(mode="w+", dir=self.ctx.tmp)
        self.err = tempfile.TemporaryFile(mode="w+", dir=self.ctx.tmp)
        self.p = subprocess.Popen(self.cmd, stdout=self.out, stderr=self.err)
        self.ctx.background.append(self.p)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            time.sleep(0.05)
            self.out.seek(0)
            if self.marker and self.marker in self.out.read():
                return self
            if not self.marker and self.linked():
                time.sleep(0.2)     # its other links after the first
                return self
            if self.p.poll() is not None:
                self.err.seek(0)
                self.stop()
                raise Failed(f"{self.name} exited {self.p.returncode}: "
                             f"{last_line(self.err.read())}")
        self.stop()
        raise Failed(f"{self.name} printed no '{self.marker}' within 15 s" if self.marker else
                     f"{self.name} attached no program within 15 s")

    def linked(self):
        d = f"/proc/{self.p.pid}/fdinfo"
        try:
            for fd in os.listdir(d):
                with open(os.path.join(d, fd)) as f:
                    if "link_id:" in f.read():
                        return True
        except OSError:
            pass
        return False

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGINT)
            try:
                self.p.wait(10)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        self.ctx.background.remove(self.p)
        self.out.close()
        self.err.close()

    def __exit__(self, *exc):
        if self.p in self.ctx.background:
            self.stop()


def floor_missing():
    """Why the floor contender cannot run, or None."""
    return None if os.access(FLOOR, os.X_OK) else f"{FLOOR} is not built (make all)"


def floor_bg(ctx, *progs):
    return Background(ctx, "floor", [FLOOR, *progs], "ready")


def runqlat_bg(ctx):
    # stdbuf: runqlat's "Tracing ..." (printed once attached) must not sit
    # in a stdio buffer
    return Background(ctx, "runqlat", ["stdbuf", "-oL", ctx.tools["runqlat"]], "Tracing")


def offcputime_bg(ctx):
    # off-CPU stacks, user and kernel, aggregated in the kernel: --stacks' peer
    # it prints nothing until it stops: ready once its programs are linked
    return Background(ctx, "offcputime", [ctx.tools["offcputime"]], None)


def bpftrace_bg(ctx, prog=None):
    # bpftrace fires BEGIN after every probe is attached
    return Background(ctx, "bpftrace", [ctx.tools["bpftrace"], "-e", prog or BPFTRACE_COUNTER], "ready")


def c_untraced(argv):
    return result_of(run(argv))


def c_tracer(argv, tracer=TRACER):
    return result_of(run([tracer, "run", "--", *argv]))


def c_tracer_sys(argv):
    return result_of(run([TRACER, "run", "--syscalls", "--", *argv]))


def c_floor(ctx, *progs):
    def runner(argv):
        with floor_bg(ctx, *progs):
            return result_of(run(argv))
    return runner


def c_tracer_events(ctx, ext, tracer=TRACER):
    def runner(argv):
        f = os.path.join(ctx.tmp, "events." + ext)
        try:
            return result_of(run([tracer, "run", "--events", f, "--", *argv]))
        finally:
            if os.path.exists(f):
                os.unlink(f)
    return runner


def c_perf_sched(ctx, argv):
    f = os.path.join(ctx.tmp, "perf.data")
    try:
        return result_of(run([ctx.tools["perf"], "sched", "record", "-q", "-o", f,
                              "--", *argv]))
    finally:
        for g in (f, f + ".old"):
            if os.path.exists(g):
                os.unlink(g)


def c_runqlat(ctx, argv):
    with runqlat_bg(ctx):
        return result_of(run(argv))


def c_offcputime(ctx, argv):
    with offcputime_bg(ctx):
        return result_of(run(argv))


def c_tracer_stacks(argv):
    return result_of(run([TRACER, "run", "--stacks", "--", *argv]))


def c_bpftrace(ctx, argv):
    with bpftrace_bg(ctx):
        return result_of(run(argv))
