/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_LIST_H
#define TRACER_LIST_H

/* `tracer list [WORKLOAD]`: the bundled workloads, or one and its options. */
int cmd_list(int argc, char **argv);

#endif
