// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * RFC 4180 CSV reader. A byte-at-a-time state machine over a buffered
 * source, unquoting into one record buffer whose fields are NUL-separated.
 * The parser never trusts its input: every growth is checked against the
 * limits, a NUL byte is refused (the fields are C strings), and the first
 * error sticks, so a caller that ignores one cannot read garbage after it.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <zlib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "io/csvread.h"

#define IN_BUF		(64 * 1024)
#define UNZIP_BLOCKS	4		/* inflated ahead of the parser */
#ifndef CSVR_BYTES_ONLY		/* 1: the byte loop alone (tests/unit/csvr_diff.c's reference) */
#define CSVR_BYTES_ONLY	0
#endif
#ifdef CSVR_COUNT_FAST		/* csvr_diff.c: that the fast path ran at all */
unsigned long csvr_fast_records;
#define FAST_COUNT()	csvr_fast_records++
#else
#define FAST_COUNT()	do {} while (0)
#endif
#define CH_EOF		(-1)
#define CH_ERR		(-2)

/*
 * A gzip file inflated by a thread of its own, blocks ahead of the parser:
 * the two take ~0.18 and ~0.31 us an event of a scheduler trace, one after
 * the other 2.1M events/s read back, side by side as fast as plain CSV
 * (tracer report runs after the command: its CPUs are free). Only for a
 * regular file, whose reads do not wait: the parser's wait is short, and a
 * signal (the thread blocks them) reaches the parser, which stops.
 */
struct unzip {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned char *buf[UNZIP_BLOCKS];
	ssize_t len[UNZIP_BLOCKS];	/* bytes; 0: the end; -1: src_err */
	unsigned head, n;		/* the parser's block; blocks inflated */
	int held, quit;			/* the parser holds buf[head]; stop */
};

struct csvr {
	int fd;				/* -1: reading mem */
	int gz;				/* the file is gzip-compressed */
	struct unzip *uz;		/* NULL: inflated by the parser's thread */
	int src_err;			/* the source's error (either thread's) */
	char src_msg[192];
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

/* The source failed: said in src_msg, for the parser to take as its error */
static int src_fail(struct csvr *r, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int src_fail(struct csvr *r, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->src_msg, sizeof(r->src_msg), fmt, ap);
	va_end(ap);
	r->src_err = err;
	return err;
}

/* The file's next bytes into raw: how many (0 at its end), or -errno. */
static ssize_t read_raw(struct csvr *r)
{
	ssize_t n;

	do
		n = read(r->fd, r->raw, sizeof(r->raw));
	while (n < 0 && errno == EINTR && !(r->stop && *r->stop));
	if (n < 0 && errno == EINTR)
		return src_fail(r, -EINTR, "interrupted");
	if (n < 0) {
		n = -errno;
		src_fail(r, -EIO, "read error: %s", strerror(-n));
		return n;
	}
	r->z.next_in = r->raw;
	r->z.avail_in = n;
	__atomic_store_n(&r->raw_read, r->raw_read + n, __ATOMIC_RELAXED);	/* progress */
	return n;
}

static int gz_fail(struct csvr *r, int zerr)
{
	if (zerr == Z_MEM_ERROR)
		return src_fail(r, -ENOMEM, "out of memory");
	/*
	 * bytes after a member that do not start another (gzread skipped them
	 * without a word); a member cut short or damaged is said so below
	 */
	if (r->members && !r->z.total_out && zerr == Z_DATA_ERROR &&
	    r->z.msg && !strcmp(r->z.msg, "incorrect header check"))
		return src_fail(r, -EIO, "data after the end of the gzip stream");
	if (zerr == Z_BUF_ERROR)
		return src_fail(r, -EIO, "truncated gzip data");
	return src_fail(r, -EIO, "corrupt gzip data (%s)", r->z.msg ? r->z.msg : "?");
}

/* Inflate into out (IN_BUF bytes): how many (0 at the end), or -1 with src_err set. */
static ssize_t inflate_some(struct csvr *r, unsigned char *out)
{
	z_stream *z = &r->z;
	int ret;

	z->next_out = out;
	z->avail_out = IN_BUF;
	while (z->avail_out == IN_BUF) {
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
	return IN_BUF - z->avail_out;
}

static void *unzip_main(void *arg)
{
	struct csvr *r = arg;
	struct unzip *u = r->uz;
	unsigned tail = 0;
	ssize_t n;
	int quit;

	do {
		pthread_mutex_lock(&u->mu);
		while (u->n == UNZIP_BLOCKS && !u->quit)
			pthread_cond_wait(&u->cv, &u->mu);
		quit = u->quit;		/* read under the lock it is written under */
		pthread_mutex_unlock(&u->mu);
		if (quit)
			break;
		n = inflate_some(r, u->buf[tail]);
		pthread_mutex_lock(&u->mu);
		u->len[tail] = n;
		u->n++;
		pthread_cond_broadcast(&u->cv);
		pthread_mutex_unlock(&u->mu);
		tail = (tail + 1) % UNZIP_BLOCKS;
	} while (n > 0);
	return NULL;
}

/* The next inflated block at r->in: as inflate_some() */
static ssize_t unzip_take(struct csvr *r)
{
	struct unzip *u = r->uz;
	ssize_t n;

	pthread_mutex_lock(&u->mu);
	if (u->held) {		/* read: the thread may fill it again */
		u->head = (u->head + 1) % UNZIP_BLOCKS;
		u->n--;
		u->held = 0;
		pthread_cond_broadcast(&u->cv);
	}
	while (!u->n)
		pthread_cond_wait(&u->cv, &u->mu);
	u->held = 1;
	n = u->len[u->head];
	pthread_mutex_unlock(&u->mu);
	r->in = u->buf[u->head];
	if (n > 0 && r->stop && *r->stop) {	/* the thread's reads are not interrupted */
		fail(r, -EINTR, 0, "interrupted");
		return -1;
	}
	return n;
}

/* Start the thread: 0, or -errno with none (inflated inline then). */
static int unzip_start(struct csvr *r)
{
	struct unzip *u = calloc(1, sizeof(*u));
	sigset_t all, old;
	int err = -ENOMEM;

	if (!u)
		return err;
	for (int i = 0; i < UNZIP_BLOCKS; i++)
		if (!(u->buf[i] = malloc(IN_BUF)))
			goto out;
	pthread_mutex_init(&u->mu, NULL);
	pthread_cond_init(&u->cv, NULL);
	r->uz = u;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);	/* its signals are the parser's */
	err = -pthread_create(&u->thread, NULL, unzip_main, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!err)
		return 0;
	r->uz = NULL;
	pthread_cond_destroy(&u->cv);
	pthread_mutex_destroy(&u->mu);
out:
	for (int i = 0; i < UNZIP_BLOCKS; i++)
		free(u->buf[i]);
	free(u);
	return err;
}

static void unzip_stop(struct csvr *r)
{
	struct unzip *u = r->uz;

	if (!u)
		return;
	pthread_mutex_lock(&u->mu);
	u->quit = 1;
	pthread_cond_broadcast(&u->cv);
	pthread_mutex_unlock(&u->mu);
	pthread_join(u->thread, NULL);
	pthread_cond_destroy(&u->cv);
	pthread_mutex_destroy(&u->mu);
	for (int i = 0; i < UNZIP_BLOCKS; i++)
		free(u->buf[i]);
	free(u);
	r->uz = NULL;
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
	if (r->uz) {
		n = unzip_take(r);
	} else if (r->gz) {
		n = inflate_some(r, r->buf);
		r->in = r->buf;
	} else {
		n = r->z.avail_in ? (ssize_t)r->z.avail_in : read_raw(r);
		r->in = r->raw;
		r->z.avail_in = 0;
	}
	if (n <= 0) {
		r->drained = 1;
		if (n < 0 && !r->err)	/* the source's error is the reader's */
			fail(r, r->src_err, 0, "%s", r->src_msg);
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
	/* said here: the fast path may have left the buffer larger */
	if (r->rec_len >= r->lim.max_record)
		return fail(r, -E2BIG, r->line, "record longer than %zu bytes", r->lim.max_record);
	err = grow((void **)&r->rec, &r->rec_cap, r->rec_len + 1, 1, r->lim.max_record);
	if (err)
		return fail(r, -ENOMEM, r->line, "out of memory");
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
	if (n > at_record)
		return fail(r, -E2BIG, r->line, "record longer than %zu bytes", r->lim.max_record);
	err = grow((void **)&r->rec, &r->rec_cap, r->rec_len + n, 1, r->lim.max_record);
	if (err)
		return fail(r, -ENOMEM, r->line, "out of memory");
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
 * What the fast path looks for in a record's bytes, one bit a byte (bit i:
 * byte i): commas, the newline that ends it, and the bytes it leaves to
 * the byte loop (a quote, CR or NUL).
 */
struct marks {
	uint32_t comma, nl, other;
};

/* Bytes of w equal to c: the top bit of each (exact: no borrow between bytes) */
static inline uint64_t bytes_eq(uint64_t w, uint64_t c)
{
	uint64_t x = w ^ (c * 0x0101010101010101ull);
	uint64_t t = ((x & 0x7f7f7f7f7f7f7f7full) + 0x7f7f7f7f7f7f7f7full) | x;

	return ~t & 0x8080808080808080ull;
}

/* The top bit of each byte of m, gathered into one bit a byte */
static inline uint32_t gather(uint64_t m)
{
	return (uint32_t)(((m >> 7) * 0x0102040810204080ull) >> 56);
}

/* The marks of the first n <= 8 bytes at p */
static inline struct marks marks8(const unsigned char *p, size_t n)
{
	uint64_t w = 0;
	uint32_t in = (1u << n) - 1;

	memcpy(&w, p, n);
	w = le64toh(w);		/* the first byte lowest */
	return (struct marks){
		gather(bytes_eq(w, ',')) & in,
		gather(bytes_eq(w, '\n')) & in,
		gather(bytes_eq(w, '"') | bytes_eq(w, '\r') | bytes_eq(w, 0)) & in,
	};
}

#ifdef __SSE2__
#define SCAN	16
/* The marks of the SCAN bytes at p */
static inline struct marks marks_scan(const unsigned char *p)
{
	__m128i v = _mm_loadu_si128((const __m128i *)p);
	__m128i other = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
						  _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))),
				     _mm_cmpeq_epi8(v, _mm_setzero_si128()));

	return (struct marks){
		(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(','))),
		(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
		(uint32_t)_mm_movemask_epi8(other),
	};
}
#else
#define SCAN	8
#define marks_scan(p)	marks8(p, 8)
#endif

/*
 * A record wholly in the input buffer, with no quote, CR or NUL (every one
 * tracer writes but a comm with a comma or a quote), copied and split in
 * one pass over its bytes, SCAN at a time: 1. 0 if it is not such a record,
 * or is over a limit: the byte loop then reads it (and says what is wrong);
 * nothing is consumed.
 */
static int fast_record(struct csvr *r)
{
	const unsigned char *p = r->in;
	size_t max_field = r->lim.max_field, max_fields = r->lim.max_fields;
	/* it must end before this: past it, it is not in the buffer or too long */
	size_t end = r->in_len < r->lim.max_record ? r->in_len : r->lim.max_record;
	size_t at, step, len, nf = 1, field = 0, *offs;
	char *rec;

	if (grow((void **)&r->offs, &r->offs_cap, 64 < max_fields ? 64 : max_fields,
		 sizeof(*r->offs), max_fields))
		return 0;
	rec = r->rec;
	offs = r->offs;
	offs[0] = 0;
	for (at = 0;; at += step) {
		struct marks m;

		if (at >= end)
			return 0;
		if (at + SCAN > r->rec_cap) {	/* a block copied whole, its newline or not */
			if (grow((void **)&r->rec, &r->rec_cap, at + SCAN, 1,
				 r->lim.max_record > SIZE_MAX - SCAN ? SIZE_MAX :
				 r->lim.max_record + SCAN))
				return 0;
			rec = r->rec;
		}
		step = end - at >= SCAN ? SCAN : end - at < 8 ? end - at : 8;
		if (step == SCAN) {
			m = marks_scan(p + at);
			memcpy(rec + at, p + at, SCAN);
		} else {
			m = marks8(p + at, step);
			memcpy(rec + at, p + at, step);
		}
		if (m.nl) {		/* only what comes before it */
			uint32_t before = (1u << __builtin_ctz(m.nl)) - 1;

			m.comma &= before;
			m.other &= before;
		}
		if (m.other)
			return 0;
		for (; m.comma; m.comma &= m.comma - 1) {
			size_t i = at + __builtin_ctz(m.comma);

			if (i - field > max_field || nf == max_fields)
				return 0;
			if (nf == r->offs_cap) {
				if (grow((void **)&r->offs, &r->offs_cap, nf + 1, sizeof(*offs),
					 max_fields))
					return 0;
				offs = r->offs;
			}
			rec[i] = '\0';
			offs[nf++] = field = i + 1;	/* where the next field starts */
		}
		if (m.nl) {
			len = at + __builtin_ctz(m.nl);
			break;
		}
	}
	if (!len || len - field > max_field)
		return 0;
	rec[len] = '\0';
	r->rec_len = len + 1;
	r->nf = nf;
	r->rec_line = r->line++;
	r->in += len + 1;
	r->in_len -= len + 1;
	FAST_COUNT();
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
	if (!CSVR_BYTES_ONLY && r->started && !r->nback && fast_record(r))
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
	struct stat st;
	ssize_t n;

	*out = NULL;
	if (!r)
		return -ENOMEM;
	r->fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) :
						fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
	n = r->fd < 0 ? -errno : read_raw(r);
	/* gzip by its magic, as gzread does; anything else is read as it is */
	r->gz = n >= 2 && r->raw[0] == 0x1f && r->raw[1] == 0x8b;
	if (r->gz && inflateInit2(&r->z, 16 + MAX_WBITS) != Z_OK) {
		r->gz = 0;
		n = -ENOMEM;
	}
	if (n >= 0 && r->gz && !fstat(r->fd, &st) && S_ISREG(st.st_mode))
		unzip_start(r);		/* else (or failing) inline */
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
	unzip_stop(r);
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
	return r->fd < 0 ? r->mem_len : __atomic_load_n(&r->raw_read, __ATOMIC_RELAXED);
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
