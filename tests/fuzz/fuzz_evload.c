// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * libFuzzer target: any bytes as an event file, through everything
 * `tracer report` does with one (CSV reader, row parser, meta, replay,
 * timeline, summary columns). Bytes that start as a capture does
 * ("tracecap") go through the capture reader instead, from a memfd.
 * Built by `make fuzz`; run by tests/fuzz.bats.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "io/capture.h"
#include "io/csvread.h"
#include "render/evload.h"
#include "core/summary.h"

static int load_capture(struct evload *L, const uint8_t *data, size_t size)
{
	char path[64];
	int fd = memfd_create("fuzz.cap", MFD_CLOEXEC), err = -1;

	if (fd < 0)
		return -1;
	if (write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		err = evload_file(L, path);
	}
	close(fd);
	return err;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kv cols[512];
	struct evload L = {};
	struct summary s;
	struct csvr *r = NULL;
	int err;

	if (size >= 8 && !memcmp(data, CAP_MAGIC, 8)) {
		err = load_capture(&L, data, size);
	} else {
		if (csvr_open_mem(&r, data, size))
			return 0;
		err = evload_reader(&L, r, "fuzz");
		csvr_close(r);
	}
	if (!err) {
		summary_build(&s, &L.td, &L.m);
		summary_columns(&s, cols, 512);
	}
	evload_free(&L);
	return 0;
}
