/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_CSV_H
#define TRACER_CSV_H

#include <stddef.h>

/*
 * An RFC 4180 CSV file written under a temporary name in the target's own
 * directory and renamed into place only by csv_commit(), so a file at the
 * final path is always whole; a FIFO or device there is written in place.
 * A path ending in ".gz" is gzip-compressed.
 */
struct csv;

struct runas;
/*
 * Creates the temporary file now, so a bad path fails before any work; it
 * is owned by the user the command runs as (ra), not by root.
 */
int csv_open(struct csv **out, const char *path, const struct runas *ra);
void csv_field(struct csv *c, const char *s);	/* quoted as needed */
void csv_field_u64(struct csv *c, unsigned long long v);
void csv_field_s64(struct csv *c, long long v);
void csv_empty(struct csv *c, int n);		/* n empty fields */
void csv_end_row(struct csv *c);
/* Bytes as they are: the same safe file for other text formats. */
void csv_raw(struct csv *c, const char *s, size_t len);
/* Push what is buffered to the file (a valid gzip stream so far). */
int csv_flush(struct csv *c);
/* Flush, close and rename; any write error so far is reported here. */
int csv_commit(struct csv *c);
/* Remove the temporary file. */
void csv_abort(struct csv *c);
/* The descriptor tracer was given that path names (/dev/stdout, /dev/fd/N);
 * -1: none; -2: one it was not given (closed, or its own). */
int csv_own_fd(const char *path);
/* Whether writing a would overwrite the regular file (or new name) b. */
int csv_same_file(const char *a, const char *b);

#endif
