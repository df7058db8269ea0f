/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * An emulated interpreter lock, after CPython's (Python/ceval_gil.h, 3.2+):
 * a thread must hold it to compute; a thread that waits a whole switch
 * interval without seeing a hand-off sets a drop request; the holder, which
 * polls the request, lets go and waits until another thread has taken it.
 */
#ifndef WL_GIL_H
#define WL_GIL_H

#include <stdint.h>

void gil_init(uint64_t switch_interval_ms);
void gil_take(uint64_t me);
/* forced: dropping because of a drop request, so wait for the hand-off. */
void gil_drop(uint64_t me, int forced);
int gil_drop_requested(void);
/* gil_handoffs, gil_waits, gil_drop_requests, gil_switch_interval_ms. */
void gil_result(void);

#endif
