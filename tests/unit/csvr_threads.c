// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * user/io/csvread.c's inflate thread (a regular .gz file), built with
 * ThreadSanitizer: a reader closed after 0, 1, 10, 1000 records or at the
 * end, many times over, must stop and join its thread with no data race
 * and no leftover; each full read has every record. Exit 0, or 1 with what
 * went wrong (a race: ThreadSanitizer's report, exit 66); argv[1]: where
 * the .gz is made.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "io/csvread.h"

#define ROWS	200000

int main(int argc, char **argv)
{
	static const long stops[] = { 0, 1, 10, 1000, -1 };
	char path[4096];
	gzFile gz;
	int fd;

	/* a regular file (argv[1]: its directory): a pipe is inflated inline */
	snprintf(path, sizeof(path), "%s/csvr_threads.XXXXXX", argc > 1 ? argv[1] : "/tmp");
	fd = mkstemp(path);
	if (fd < 0 || !(gz = gzdopen(fd, "wb1"))) {
		perror("csvr_threads: temporary file");
		return 1;
	}
	gzprintf(gz, "ts,kind,tid\n");
	for (long i = 0; i < ROWS; i++)	/* ~3 MB inflated: dozens of 64 KiB blocks */
		gzprintf(gz, "%ld,switch,%ld\n", 1000000 + i, i % 977);
	gzclose(gz);
	for (int round = 0; round < 20; round++) {
		for (unsigned s = 0; s < sizeof(stops) / sizeof(stops[0]); s++) {
			struct csvr *r;
			char **f;
			size_t n;
			long got = 0;
			int err = csvr_open(&r, path);

			if (err) {
				fprintf(stderr, "csvr_threads: open: %s\n", strerror(-err));
				goto fail;
			}
			while ((stops[s] < 0 || got < stops[s]) && (err = csvr_read(r, &f, &n)) > 0)
				got++;
			if (err < 0) {
				fprintf(stderr, "csvr_threads: read: %s\n", csvr_error(r));
				csvr_close(r);
				goto fail;
			}
			if (stops[s] < 0 && got != ROWS + 1) {
				fprintf(stderr, "csvr_threads: %ld records, want %d\n", got, ROWS + 1);
				csvr_close(r);
				goto fail;
			}
			csvr_close(r);
		}
	}
	unlink(path);
	puts("ok");
	return 0;
fail:
	unlink(path);
	return 1;
}
