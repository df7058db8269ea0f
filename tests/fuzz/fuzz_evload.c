// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * libFuzzer target: any bytes as an event file, through everything
 * `tracer report` does with one (CSV reader, row parser, meta, replay,
 * timeline, summary columns). Built by `make fuzz`; run by tests/fuzz.bats.
 */
#include <stdint.h>
#include <stdlib.h>
#include "csvread.h"
#include "evload.h"
#include "summary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kv cols[512];
	struct evload L = {};
	struct summary s;
	struct csvr *r;

	if (csvr_open_mem(&r, data, size))
		return 0;
	if (!evload_reader(&L, r, "fuzz")) {
		summary_build(&s, &L.td, &L.m);
		summary_columns(&s, cols, 512);
	}
	csvr_close(r);
	evload_free(&L);
	return 0;
}
