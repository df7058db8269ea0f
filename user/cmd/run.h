/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_RUN_H
#define TRACER_RUN_H

int cmd_run(int argc, char **argv);

#endif
