# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# perf script -s: each sched_waking as "NS CPU TASK WAKEE FLAGS COMM", with
# the trace's own flags of the context it came in (hardirq 0x08, softirq
# 0x10, NMI 0x40), which perf script's text output does not show.
import os
import sys

sys.path.append(os.environ["PERF_EXEC_PATH"] + "/scripts/python/Perf-Trace-Util/lib/Perf/Trace")
from perf_trace_context import common_flags  # noqa: E402


def sched__sched_waking(event_name, context, common_cpu, common_secs, common_nsecs,
                        common_pid, common_comm, common_callchain, comm, pid, prio,
                        target_cpu, perf_sample_dict=None):
    print(common_secs * 1000000000 + common_nsecs, common_cpu, common_pid, pid,
          common_flags(context), common_comm)


def trace_unhandled(event_name, context, event_fields_dict, perf_sample_dict=None):
    pass
