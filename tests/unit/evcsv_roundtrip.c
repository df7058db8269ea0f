// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * user/io/evcsv.c both ways: every row of an event CSV (argv[1], .gz or
 * not) parsed back into its record and written again, into argv[2]. A file
 * tracer wrote must come out byte for byte the same: what the writer puts
 * in a column, the reader takes back, for every kind, task and meta row.
 * Exit 0, or 1 with the line that failed to parse.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "io/csv.h"
#include "io/csvread.h"
#include "io/evcsv.h"

int main(int argc, char **argv)
{
	struct csvr *r;
	struct csv *out;
	uint64_t t_start = 0;
	union ev_any e;
	const char *why;
	char **f;
	size_t n;
	int err;

	if (argc != 3 || csvr_open(&r, argv[1]) || csvr_read_header(r) ||
	    csv_open(&out, argv[2], NULL))
		return 2;
	evcsv_header(out);
	while ((err = csvr_read(r, &f, &n)) > 0) {
		switch (evcsv_parse(f, n, &e, &why)) {
		case ROW_META:
			if (!strcmp(f[COL_KEY], "t_start_ns"))
				t_start = strtoull(f[COL_VALUE], NULL, 10);
			evcsv_meta(out, f[COL_KEY], f[COL_VALUE]);
			break;
		case ROW_TASK:
			evcsv_task(out, e.row.hdr.tid, e.row.hdr.pid, e.row.ppid, e.row.comm,
				   e.row.runtime_ns);
			break;
		case ROW_EVENT:
			evcsv_event(out, &e, t_start);
			break;
		default:
			fprintf(stderr, "line %lu: bad %s\n", csvr_line(r), why);
			return 1;
		}
	}
	csvr_close(r);
	if (err < 0)
		return 2;
	return csv_commit(out) ? 2 : 0;
}
