/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_CSVREAD_H
#define TRACER_CSVREAD_H

#include <stddef.h>
#include <signal.h>
#include <stdint.h>

/*
 * An RFC 4180 CSV reader: fields separated by commas, records by LF or
 * CRLF; a field in double quotes may hold commas, line breaks and doubled
 * quotes (""). Input is a file (one starting with gzip's magic bytes is
 * inflated, and bytes after its gzip stream are an error; "-" is stdin) or
 * a memory buffer. Everything is bounded; malformed input is an error with
 * a line number, never a crash. Lenient on two points only: a leading
 * UTF-8 BOM is skipped, and empty lines are skipped.
 *
 * Usage:
 *	struct csvr *r;
 *	char **f;
 *	size_t n;
 *	int err;
 *
 *	if (csvr_open(&r, path))		(-errno; no reader)
 *		...
 *	err = csvr_read_header(r);		(optional: fixes the width)
 *	while ((err = csvr_read(r, &f, &n)) > 0)
 *		... f[0..n-1], valid until the next call ...
 *	if (err)
 *		pr_err("%s: %s", path, csvr_error(r));
 *	csvr_close(r);
 */
struct csvr;

struct csvr_limits {
	size_t max_fields;	/* fields per record */
	size_t max_field;	/* bytes per field, after unquoting */
	size_t max_record;	/* bytes per record, after unquoting */
};

#define CSVR_MAX_FIELDS	4096
#define CSVR_MAX_FIELD	(64 * 1024)
#define CSVR_MAX_RECORD	(1024 * 1024)

int csvr_open(struct csvr **out, const char *path);
/* Reads buf[0..len-1], which must stay valid until csvr_close(). */
int csvr_open_mem(struct csvr **out, const void *buf, size_t len);
void csvr_set_limits(struct csvr *r, const struct csvr_limits *lim);

/*
 * The next record: 1 and its fields (NUL-terminated, owned by the reader),
 * 0 at the end of input, or a negative errno (-EINVAL malformed, -E2BIG
 * over a limit, -EIO read error, -ENOMEM) with csvr_error() set.
 */
int csvr_read(struct csvr *r, char ***fields, size_t *n);
/*
 * Reads the first record as the header: from then on every record must
 * have as many fields. -ENODATA if the input is empty.
 */
int csvr_read_header(struct csvr *r);
/* The record just read ended the input without a newline: a writer cut short. */
int csvr_cut(const struct csvr *r);
size_t csvr_ncols(const struct csvr *r);
const char *csvr_colname(const struct csvr *r, size_t i);
int csvr_col(const struct csvr *r, const char *name);	/* index, or -1 */

/* What is wrong, for the last error: "line N: ..." if a line is to blame. */
const char *csvr_error(const struct csvr *r);
/* The line on which the last record read began (1-based). */
unsigned long csvr_line(const struct csvr *r);
/* Bytes read from the source so far (compressed, for .gz), and its size (0: unknown) */
uint64_t csvr_offset(const struct csvr *r);
uint64_t csvr_size(const struct csvr *r);
/* A flag a signal handler sets: a read the signal interrupts then fails, -EINTR */
void csvr_set_stop(struct csvr *r, volatile sig_atomic_t *stop);
void csvr_close(struct csvr *r);

#endif
