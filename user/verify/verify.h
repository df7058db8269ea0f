/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_VERIFY_H
#define TRACER_VERIFY_H

/* `tracer verify`: every claim measured, with a verdict and the evidence. */
int cmd_verify(int argc, char **argv);

#endif
