/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_OFFLINE_H
#define TRACER_OFFLINE_H

/* `tracer report FILE`: the report of a run, rebuilt from its event file. */
int cmd_report(int argc, char **argv);

#endif
