// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * RFC 4180 CSV reader. A byte-at-a-time state machine over a buffered
 * source, unquoting into one record buffer whose fields are NUL-separated.
 * The parser never trusts its input: every growth is checked against the
 * limits, a NUL byte is refused (the fields are C strings), and the first
 * error sticks, so a caller that ignores one cannot read garbage after it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <zlib.h>
#include "io/csvread.h"

#define IN_BUF		(64 * 1024)
#define CH_EOF		(-1)
#define CH_ERR		(-2)

struct csvr {
	int fd;				/* -1: reading mem */
	int gz;				/* the file is gzip-compressed */
	int members;			/* gzip members inflated to their end */
	int ended;			/* the last one did: more must be another */
	z_stream z;			/* next_in, avail_in: unread bytes of raw */
	const unsigned char *mem;
	size_t mem_len;
	const unsigned char *in;	/* next unread byte */
	size_t in_len;			/* bytes left at in */
	int drained;			/* the source gave all it has */
	uint64_t raw_read;		/* bytes read from the source so far */
	volatile sig_atomic_t *stop;	/* set: a read a signal interrupted ends */
	int back[4], nback;		/* pushed-back bytes, LIFO */
	int started;			/* BOM checked */

	struct csvr_limits lim;
	char *rec;			/* fields of the record, NUL-terminated */
	size_t rec_len, rec_cap, field_len;
	size_t *offs, nf, offs_cap;	/* field starts in rec */
	int cut;			/* the last record ended the input, no newline */
	char **fields;
	size_t fields_cap;

	char *hdr_store;		/* a copy of the header record */
	char **hdr;
	size_t ncols;			/* 0: no header read */

	unsigned long line, rec_line;
	int err;			/* sticky: the first error */
	char msg[192];
	unsigned char raw[IN_BUF];	/* as read from the file */
	unsigned char buf[IN_BUF];	/* inflated */
};

static int fail(struct csvr *r, int err, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct csvr *r, int err, unsigned long line, const char *fmt, ...)
{
	int n = line ? snprintf(r->msg, sizeof(r->msg), "line %lu: ", line) : 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->msg + n, sizeof(r->msg) - n, fmt, ap);
	va_end(ap);
	r->err = err;
	return err;
}

static const char *show(int c, char *buf, size_t len)
{
	if (c >= 0x20 && c < 0x7f)
		snprintf(buf, len, "'%c'", c);
	else
		snprintf(buf, len, "byte 0x%02x", c);
	return buf;
}

/* The file's next bytes into raw: how many (0 at its end), or -errno. */
static ssize_t read_raw(struct csvr *r)
{
	ssize_t n;

	do
		n = read(r->fd, r->raw, sizeof(r->raw));
	while (n < 0 && errno == EINTR && !(r->stop && *r->stop));
	if (n < 0 && errno == EINTR)
		return fail(r, -EINTR, 0, "interrupted");
	if (n < 0) {
		n = -errno;
		fail(r, -EIO, 0, "read error: %s", strerror(-n));
		return n;
	}
	r->z.next_in = r->raw;
	r->z.avail_in = n;
	r->raw_read += n;
	return n;
}

static int gz_fail(struct csvr *r, int zerr)
{
	if (zerr == Z_MEM_ERROR)
		return fail(r, -ENOMEM, 0, "out of memory");
	/* not a member: gzread skipped such bytes without a word */
	if (r->members && !r->z.total_out)
		return fail(r, -EIO, 0, "data after the end of the gzip stream");
	if (zerr == Z_BUF_ERROR)
		return fail(r, -EIO, 0, "truncated gzip data");
	return fail(r, -EIO, 0, "corrupt gzip data (%s)", r->z.msg ? r->z.msg : "?");
}

/* Inflate into buf: how many bytes (0 at the end), or -1 with r->err set. */
static ssize_t inflate_some(struct csvr *r)
{
	z_stream *z = &r->z;
	int ret;

	z->next_out = r->buf;
	z->avail_out = sizeof(r->buf);
	while (z->avail_out == sizeof(r->buf)) {
		if (!z->avail_in) {
			if (read_raw(r) < 0)
				return -1;
			if (!z->avail_in && r->ended)
				break;
		}
		if (r->ended) {		/* more bytes: another member (RFC 1952) */
			inflateReset(z);
			r->ended = 0;
		}
		ret = z->avail_in ? inflate(z, Z_NO_FLUSH) : Z_BUF_ERROR;
		if (ret == Z_STREAM_END) {
			r->members++;
			r->ended = 1;
		} else if (ret != Z_OK) {
			gz_fail(r, ret);
			return -1;
		}
	}
	return sizeof(r->buf) - z->avail_out;
}

static int fill(struct csvr *r)
{
	ssize_t n;

	if (r->drained)
		return 0;
	if (r->fd < 0) {
		r->in = r->mem;
		r->in_len = r->mem_len;
		r->drained = 1;
		return r->in_len > 0;
	}
	if (r->gz) {
		n = inflate_some(r);
		r->in = r->buf;
	} else {
		n = r->z.avail_in ? (ssize_t)r->z.avail_in : read_raw(r);
		r->in = r->raw;
		r->z.avail_in = 0;
	}
	if (n <= 0) {
		r->drained = 1;
		return n < 0 ? -1 : 0;
	}
	r->in_len = n;
	return 1;
}

static int getch(struct csvr *r)
{
	if (r->nback)
		return r->back[--r->nback];
	if (!r->in_len) {
		int n = fill(r);

		if (n <= 0)
			return n < 0 ? CH_ERR : CH_EOF;
	}
	r->in_len--;
	return *r->in++;
}

static void unget(struct csvr *r, int c)
{
	if (c >= 0 && r->nback < (int)(sizeof(r->back) / sizeof(r->back[0])))
		r->back[r->nback++] = c;
}

static int grow(void **p, size_t *cap, size_t need, size_t size, size_t max)
{
	size_t n = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	if (n > max)
		n = max;
	if (n < need)
		return -E2BIG;
	q = realloc(*p, n * size);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

static int put(struct csvr *r, int c)
{
	int err;

	if (r->field_len >= r->lim.max_field)
		return fail(r, -E2BIG, r->line, "field longer than %zu bytes", r->lim.max_field);
	err = grow((void **)&r->rec, &r->rec_cap, r->rec_len + 1, 1, r->lim.max_record);
	if (err == -E2BIG)
		return fail(r, err, r->line, "record longer than %zu bytes", r->lim.max_record);
	if (err)
		return fail(r, err, r->line, "out of memory");
	r->rec[r->rec_len++] = (char)c;
	r->field_len++;
	return 0;
}

static int end_field(struct csvr *r, size_t start)
{
	int err;

	if (r->nf >= r->lim.max_fields)
		return fail(r, -E2BIG, r->line, "more than %zu fields", r->lim.max_fields);
	err = grow((void **)&r->offs, &r->offs_cap, r->nf + 1, sizeof(*r->offs),
		   r->lim.max_fields);
	if (err)
		return fail(r, -ENOMEM, r->line, "out of memory");
	r->field_len = 0;	/* the NUL is not part of the field */
	err = put(r, '\0');
	if (err)
		return err;
	r->offs[r->nf++] = start;
	r->field_len = 0;
	return 0;
}

/* A field in quotes; *c is the character after the closing quote. */
static int quoted(struct csvr *r, int *c)
{
	unsigned long open = r->line;
	char what[16];
	int err, c2;

	for (;;) {
		*c = getch(r);
		if (*c == CH_ERR)
			return r->err;
		if (*c == CH_EOF)
			return fail(r, -EINVAL, open, "quoted field never closed (end of input)");
		if (*c == '"') {
			*c = getch(r);
			if (*c != '"')
				break;
		} else if (*c == '\n') {
			r->line++;
		} else if (!*c) {
			return fail(r, -EINVAL, r->line, "NUL byte in a field");
		}
		err = put(r, *c);
		if (err)
			return err;
	}
	if (*c == '\r') {
		c2 = getch(r);
		if (c2 == CH_ERR)
			return r->err;
		if (c2 == '\n')
			*c = '\n';
		else
			unget(r, c2);
	}
	if (*c == CH_ERR)
		return r->err;
	if (*c != ',' && *c != '\n' && *c != CH_EOF)
		return fail(r, -EINVAL, r->line, "%s after a closing quote",
			    show(*c, what, sizeof(what)));
	return 0;
}

/* A field without quotes, starting with *c; ends at a comma or line end. */
/* The run of bytes at p that are plain field data: no , \n " \r or NUL */
static size_t plain_run(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n && p[i] != ',' && p[i] != '\n' && p[i] != '"' && p[i] != '\r' && p[i])
		i++;
	return i;
}

/* put() of n bytes at once, with the same limits, said for the byte put() would stop at */
static int put_run(struct csvr *r, const unsigned char *p, size_t n)
{
	/* the byte at which each limit is hit; the field's is checked first */
	size_t at_field = r->lim.max_field - r->field_len;
	size_t at_record = r->lim.max_record - r->rec_len;
	int err;

	if (n > at_field && at_field <= at_record)
		return fail(r, -E2BIG, r->line, "field longer than %zu bytes", r->lim.max_field);
	err = grow((void **)&r->rec, &r->rec_cap, r->rec_len + n, 1, r->lim.max_record);
	if (err == -E2BIG)
		return fail(r, err, r->line, "record longer than %zu bytes", r->lim.max_record);
	if (err)
		return fail(r, err, r->line, "out of memory");
	memcpy(r->rec + r->rec_len, p, n);
	r->rec_len += n;
	r->field_len += n;
	return 0;
}

static int unquoted(struct csvr *r, int *c)
{
	int err, c2;

	while (*c != ',' && *c != '\n' && *c != CH_EOF) {
		if (*c == CH_ERR)
			return r->err;
		if (*c == '"')
			return fail(r, -EINVAL, r->line, "quote inside an unquoted field");
		if (!*c)
			return fail(r, -EINVAL, r->line, "NUL byte in a field");
		if (*c == '\r') {
			c2 = getch(r);
			if (c2 == CH_ERR)
				return r->err;
			if (c2 == '\n') {
				*c = '\n';
				break;
			}
			unget(r, c2);	/* a lone CR is data */
		}
		err = put(r, *c);
		if (err)
			return err;
		if (!r->nback && r->in_len) {	/* the rest of the field at once */
			size_t n = plain_run(r->in, r->in_len);

			if (n && (err = put_run(r, r->in, n)))
				return err;
			r->in += n;
			r->in_len -= n;
		}
		*c = getch(r);
	}
	return 0;
}

/* The first byte of a record, past a BOM and empty lines; CH_EOF at the end. */
static int record_start(struct csvr *r)
{
	int c, c2, c3;

	if (!r->started) {
		r->started = 1;
		c = getch(r);
		if (c == CH_ERR)
			return c;
		if (c == 0xef) {
			c2 = getch(r);
			c3 = c2 == 0xbb ? getch(r) : CH_EOF;
			if (c2 != 0xbb || c3 != 0xbf) {
				unget(r, c3);
				unget(r, c2);
				unget(r, c);
			}
		} else {
			unget(r, c);
		}
	}
	for (;;) {
		c = getch(r);
		if (c == '\n') {
			r->line++;
			continue;
		}
		if (c == '\r') {
			c2 = getch(r);
			if (c2 == '\n') {
				r->line++;
				continue;
			}
			unget(r, c2);
		}
		return c;
	}
}

/*
 * The commas among the first min(8, n) bytes at p: the top bit of each
 * byte that is one (a byte is zero after the xor: exact, no borrow).
 */
static inline uint64_t commas_in(const unsigned char *p, size_t n)
{
	uint64_t w = 0, x, t;

	memcpy(&w, p, n < 8 ? n : 8);
	x = w ^ 0x2c2c2c2c2c2c2c2cull;
	if (n < 8)	/* the bytes past the end are not commas */
		x |= ~0ull << (8 * n);
	t = ((x & 0x7f7f7f7f7f7f7f7full) + 0x7f7f7f7f7f7f7f7full) | x;
	return ~t & 0x8080808080808080ull;
}

/*
 * A record wholly in the input buffer, with no quote, CR or NUL (every one
 * tracer writes but a comm with a comma or a quote), copied and split: 1.
 * 0 if it is not such a record, or is over a limit: the byte loop then
 * reads it (and says what is wrong); nothing is consumed.
 */
static int fast_record(struct csvr *r)
{
	const unsigned char *p = r->in, *nl = memchr(p, '\n', r->in_len);
	size_t len, nf = 1, field = 0, most, max_field = r->lim.max_field, *offs;
	char *rec;

	if (!nl || nl == p)
		return 0;
	len = nl - p;
	most = len + 1 < r->lim.max_fields ? len + 1 : r->lim.max_fields;
	if (memchr(p, '"', len) || memchr(p, '\r', len) || memchr(p, '\0', len) ||
	    len + 1 > r->lim.max_record ||
	    grow((void **)&r->rec, &r->rec_cap, len + 1, 1, r->lim.max_record) ||
	    grow((void **)&r->offs, &r->offs_cap, most, sizeof(*r->offs), r->lim.max_fields))
		return 0;
	/* copied whole, then cut at the commas, found 8 bytes at a time */
	rec = r->rec;
	offs = r->offs;
	memcpy(rec, p, len);
	offs[0] = 0;
	for (size_t at = 0; at < len; at += 8) {
		uint64_t commas = commas_in((const unsigned char *)rec + at, len - at);

		for (; commas; commas &= commas - 1) {
			size_t i = at + (__builtin_ctzll(commas) >> 3);

			if (i - field > max_field || nf == most)
				return 0;
			rec[i] = '\0';
			offs[nf++] = i + 1;
			field = i + 1;	/* where the next field starts */
		}
	}
	if (len - field > max_field)
		return 0;
	rec[len] = '\0';
	r->rec_len = len + 1;
	r->nf = nf;
	r->rec_line = r->line++;
	r->in = nl + 1;
	r->in_len -= len + 1;
	return 1;
}

int csvr_read(struct csvr *r, char ***fields, size_t *n)
{
	size_t start;
	int c, err;

	if (r->err)
		return r->err;
	r->rec_len = 0;
	r->nf = 0;
	r->cut = 0;
	if (r->started && !r->nback && fast_record(r))
		goto done;
	c = record_start(r);
	if (c == CH_ERR || r->err)
		return r->err;
	if (c == CH_EOF)
		return 0;
	r->rec_line = r->line;
	for (;;) {
		start = r->rec_len;
		r->field_len = 0;
		err = c == '"' ? quoted(r, &c) : unquoted(r, &c);
		if (!err)
			err = end_field(r, start);
		if (err)
			return err;
		if (c != ',')
			break;
		c = getch(r);
	}
	if (c == '\n')
		r->line++;
	else
		r->cut = 1;
done:
	if (r->ncols && r->nf != r->ncols)
		return fail(r, -EINVAL, r->rec_line, "%zu fields, the header has %zu",
			    r->nf, r->ncols);
	if (grow((void **)&r->fields, &r->fields_cap, r->nf, sizeof(*r->fields),
		 r->lim.max_fields))
		return fail(r, -ENOMEM, r->rec_line, "out of memory");
	for (size_t i = 0; i < r->nf; i++)
		r->fields[i] = r->rec + r->offs[i];
	*fields = r->fields;
	*n = r->nf;
	return 1;
}

int csvr_read_header(struct csvr *r)
{
	char **f;
	size_t n;
	int err = csvr_read(r, &f, &n);

	if (err < 0)
		return err;
	if (!err)
		return fail(r, -ENODATA, r->line, "empty input, no header");
	r->hdr_store = malloc(r->rec_len);
	r->hdr = calloc(n, sizeof(*r->hdr));
	if (!r->hdr_store || !r->hdr)
		return fail(r, -ENOMEM, r->rec_line, "out of memory");
	memcpy(r->hdr_store, r->rec, r->rec_len);
	for (size_t i = 0; i < n; i++)
		r->hdr[i] = r->hdr_store + r->offs[i];
	r->ncols = n;
	return 0;
}

int csvr_cut(const struct csvr *r)
{
	return r->cut;
}

size_t csvr_ncols(const struct csvr *r)
{
	return r->ncols;
}

const char *csvr_colname(const struct csvr *r, size_t i)
{
	return i < r->ncols ? r->hdr[i] : NULL;
}

int csvr_col(const struct csvr *r, const char *name)
{
	for (size_t i = 0; i < r->ncols; i++)
		if (!strcmp(r->hdr[i], name))
			return (int)i;
	return -1;
}

const char *csvr_error(const struct csvr *r)
{
	return r->err ? r->msg : "no error";
}

unsigned long csvr_line(const struct csvr *r)
{
	return r->rec_line;
}

void csvr_set_limits(struct csvr *r, const struct csvr_limits *lim)
{
	r->lim.max_fields = lim->max_fields ? lim->max_fields : CSVR_MAX_FIELDS;
	r->lim.max_field = lim->max_field ? lim->max_field : CSVR_MAX_FIELD;
	r->lim.max_record = lim->max_record ? lim->max_record : CSVR_MAX_RECORD;
}

static struct csvr *alloc_reader(void)
{
	static const struct csvr_limits defaults;
	struct csvr *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	csvr_set_limits(r, &defaults);
	r->line = 1;
	r->fd = -1;
	return r;
}

int csvr_open(struct csvr **out, const char *path)
{
	struct csvr *r = alloc_reader();
	ssize_t n;

	*out = NULL;
	if (!r)
		return -ENOMEM;
	r->fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : dup(STDIN_FILENO);
	n = r->fd < 0 ? -errno : read_raw(r);
	/* gzip by its magic, as gzread does; anything else is read as it is */
	r->gz = n >= 2 && r->raw[0] == 0x1f && r->raw[1] == 0x8b;
	if (r->gz && inflateInit2(&r->z, 16 + MAX_WBITS) != Z_OK) {
		r->gz = 0;
		n = -ENOMEM;
	}
	if (n < 0) {
		csvr_close(r);
		return n;
	}
	*out = r;
	return 0;
}

int csvr_open_mem(struct csvr **out, const void *buf, size_t len)
{
	struct csvr *r = alloc_reader();

	*out = r;
	if (!r)
		return -ENOMEM;
	r->mem = buf;
	r->mem_len = len;
	return 0;
}

void csvr_close(struct csvr *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	if (r->gz)
		inflateEnd(&r->z);
	free(r->rec);
	free(r->offs);
	free(r->fields);
	free(r->hdr_store);
	free(r->hdr);
	free(r);
}

uint64_t csvr_offset(const struct csvr *r)
{
	return r->fd < 0 ? r->mem_len : r->raw_read;
}

uint64_t csvr_size(const struct csvr *r)
{
	struct stat st;

	if (r->fd < 0)
		return r->mem_len;
	return fstat(r->fd, &st) || !S_ISREG(st.st_mode) ? 0 : (uint64_t)st.st_size;
}

void csvr_set_stop(struct csvr *r, volatile sig_atomic_t *stop)
{
	r->stop = stop;
}
