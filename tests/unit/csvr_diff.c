// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * user/io/csvread.c's fast path (a record split in one pass, 16 bytes at a
 * time with SSE2, 8 without) against its byte loop, the reference: random
 * inputs (bytes the parser cares about; tracer-like rows, some wide, some
 * files that cross the 64 KiB read buffer, plain and gzip), random limits,
 * limits lowered between records, and every record length to 70 bytes at
 * each edge of each limit. Every record, line number, cut flag and error
 * message must be the same in all three builds, and the fast path must
 * have read records in both of its builds. Exit 0, or 1 with the first
 * difference.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "io/csvread.h"

#define DECLARE(p)								\
	int p##open(struct csvr **out, const char *path);			\
	int p##open_mem(struct csvr **out, const void *buf, size_t len);	\
	void p##set_limits(struct csvr *r, const struct csvr_limits *lim);	\
	int p##read(struct csvr *r, char ***f, size_t *n);			\
	int p##read_header(struct csvr *r);					\
	const char *p##error(const struct csvr *r);				\
	unsigned long p##line(const struct csvr *r);				\
	int p##cut(const struct csvr *r);					\
	void p##close(struct csvr *r);						\
	extern unsigned long p##fast_records;
DECLARE(csvr_)
DECLARE(bytes_)
DECLARE(swar_)

struct impl {
	const char *name;
	int (*open)(struct csvr **out, const char *path);
	int (*open_mem)(struct csvr **out, const void *buf, size_t len);
	void (*set_limits)(struct csvr *r, const struct csvr_limits *lim);
	int (*read)(struct csvr *r, char ***f, size_t *n);
	int (*read_header)(struct csvr *r);
	const char *(*error)(const struct csvr *r);
	unsigned long (*line)(const struct csvr *r);
	int (*cut)(const struct csvr *r);
	void (*close)(struct csvr *r);
	unsigned long *fast;
};

#define IMPL(name, p) { name, p##open, p##open_mem, p##set_limits, p##read,	\
			p##read_header, p##error, p##line, p##cut, p##close,	\
			&p##fast_records }
static const struct impl impls[] = {
	IMPL("bytes", bytes_), IMPL("sse2", csvr_), IMPL("swar", swar_),
};
#define NIMPL	(sizeof(impls) / sizeof(impls[0]))

enum { MEM, FILE_PLAIN, FILE_GZ };

/* What one reader made of an input, as text: records, lines, cut flags, error */
struct out {
	char *s;
	size_t len, cap;
};

static struct out outs[NIMPL];
static char path[] = "/tmp/csvr_diff.XXXXXX";
static long inputs, records, big_files;

static void add(struct out *o, const char *p, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		o->cap = (o->len + n + 1) * 2;
		o->s = realloc(o->s, o->cap);
		if (!o->s)
			exit(2);
	}
	memcpy(o->s + o->len, p, n);
	o->len += n;
	o->s[o->len] = '\0';
}

static void addf(struct out *o, const char *fmt, unsigned long a, unsigned long b)
{
	char buf[64];

	add(o, buf, snprintf(buf, sizeof(buf), fmt, a, b));
}

/* lim2: the limits from the second record on, or NULL */
static void parse(const struct impl *im, int where, const char *buf, size_t len,
		  const struct csvr_limits *lim, const struct csvr_limits *lim2,
		  int header, struct out *o)
{
	struct csvr *r;
	char **f;
	size_t n;
	int err;

	o->len = 0;
	add(o, "", 0);
	if (where == MEM ? im->open_mem(&r, buf, len) : im->open(&r, path))
		exit(2);
	im->set_limits(r, lim);
	err = header ? im->read_header(r) : 0;
	while (!err && (err = im->read(r, &f, &n)) > 0) {
		addf(o, "[line %lu cut %lu]", im->line(r), (unsigned long)im->cut(r));
		for (size_t i = 0; i < n; i++) {
			add(o, "<", 1);
			add(o, f[i], strlen(f[i]));
			add(o, ">", 1);
		}
		add(o, "\n", 1);
		if (lim2)
			im->set_limits(r, lim2);
		err = 0;
	}
	if (err) {
		addf(o, "error -%lu: ", (unsigned long)-err, 0);
		add(o, im->error(r), strlen(im->error(r)));
	}
	im->close(r);
}

static void dump(const char *b, size_t len)
{
	fprintf(stderr, "input (%zu bytes): \"", len);
	for (size_t i = 0; i < len && i < 600; i++)
		fprintf(stderr, b[i] >= 0x20 && b[i] < 0x7f && b[i] != '"' && b[i] != '\\' ?
			"%c" : "\\x%02x", (unsigned char)b[i]);
	fprintf(stderr, "%s\"\n", len > 600 ? "..." : "");
}

static void put_file(const char *b, size_t len, int gz)
{
	gzFile z;

	if (!gz) {
		FILE *f = fopen(path, "w");

		if (!f || fwrite(b, 1, len, f) != len || fclose(f))
			exit(2);
		return;
	}
	z = gzopen(path, "wb1");
	if (!z || (len && gzwrite(z, b, len) != (int)len) || gzclose(z) != Z_OK)
		exit(2);
}

/* The three builds on one input: 0 if they agree, else 1 after saying how */
static int check(const char *b, size_t len, int where, const struct csvr_limits *lim,
		 const struct csvr_limits *lim2, int header)
{
	char *mem = NULL;

	if (where != MEM)
		put_file(b, len, where == FILE_GZ);
	else if (len && !(mem = malloc(len)))	/* its exact size: a read past it is ASan's */
		exit(2);
	if (mem)
		memcpy(mem, b, len);
	big_files += where != MEM && len > 64 * 1024;
	for (size_t k = 0; k < NIMPL; k++)
		parse(&impls[k], where, mem, len, lim, lim2, header, &outs[k]);
	free(mem);
	inputs++;
	for (size_t k = 1; k < NIMPL; k++) {
		if (outs[k].len == outs[0].len && !memcmp(outs[k].s, outs[0].s, outs[0].len))
			continue;
		dump(b, len);
		fprintf(stderr, "limits %zu %zu %zu%s, header %d, %s\n%s:\n%.2000s\n%s:\n%.2000s\n",
			lim->max_fields, lim->max_field, lim->max_record,
			lim2 ? ", then others" : "", header,
			(const char *[]){ "memory", "file", "gzip file" }[where],
			impls[0].name, outs[0].s, impls[k].name, outs[k].s);
		return 1;
	}
	for (const char *p = outs[0].s; (p = strchr(p, '\n')); p++)
		records++;
	return 0;
}

static unsigned long long seed = 88172645463325252ull;

static unsigned long rnd(unsigned long n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return n ? seed % n : 0;
}

/* Bytes the parser treats apart, and plain ones */
static size_t gen_bytes(char *b, size_t max)
{
	static const char alpha[] = "aaaaaaaaaa1111,,,,,,,\n\n\n\"\r\0 \xef\xbb\xbf";
	size_t len = rnd(max);

	for (size_t i = 0; i < len; i++)
		b[i] = alpha[rnd(sizeof(alpha) - 1)];
	return len;
}

/* Rows of digits and commas (tracer's), now and then a quote, CRLF or empty line */
static size_t gen_rows(char *b, size_t max, size_t max_fields)
{
	size_t len = 0, want = rnd(max);

	while (len + 64 < want) {
		size_t fields = 1 + rnd(max_fields);

		for (size_t i = 0; i < fields && len + 24 < want; i++) {
			size_t d = rnd(4) ? rnd(21) : 0;

			if (i)
				b[len++] = ',';
			for (size_t k = 0; k < d; k++)
				b[len++] = "0123456789abc"[rnd(13)];
			if (!rnd(2000))
				b[len++] = "\"\r\0"[rnd(3)];
		}
		if (!rnd(500))
			b[len++] = '\r';
		b[len++] = '\n';
		if (!rnd(300))
			b[len++] = '\n';
	}
	if (rnd(2) && len)	/* cut short */
		len -= rnd(len < 40 ? len : 40);
	return len;
}

static struct csvr_limits random_limits(void)
{
	struct csvr_limits lim = {};

	if (rnd(3))
		return lim;	/* the defaults */
	lim.max_fields = 1 + rnd(40);
	lim.max_field = 1 + rnd(30);
	lim.max_record = 1 + rnd(300);
	return lim;
}

/*
 * Records of every length to 70 bytes, of 1, 2, 5 and 17 fields, twice and
 * with or without the last newline, at each edge of each limit: a record
 * of L bytes takes L + 1 (its fields' NULs for its commas, and one). A
 * line "1" before them: the first record is always the byte loop's.
 */
static int edges(char *b)
{
	static const size_t nfs[] = { 1, 2, 5, 17 };

	for (size_t L = 1; L <= 70; L++) {
		for (size_t k = 0; k < sizeof(nfs) / sizeof(nfs[0]); k++) {
			size_t nf = nfs[k], widest = 0, len = 2;

			if (nf - 1 > L)
				continue;
			memcpy(b, "1\n", 2);
			/* nf fields over L bytes: the first takes what the others leave */
			for (size_t f = 0, w; f < nf; f++) {
				w = f ? (L - (nf - 1)) / nf : L - (nf - 1) - (nf - 1) * ((L - (nf - 1)) / nf);
				widest = w > widest ? w : widest;
				if (f)
					b[len++] = ',';
				for (size_t i = 0; i < w; i++, len++)
					b[len] = '0' + len % 10;
			}
			/* the record again after it */
			memcpy(b + len + 1, b + 2, len - 2);
			b[len] = b[2 * len - 1] = '\n';
			len = 2 * len - 1;
			for (int d1 = -1; d1 <= 1; d1++)
				for (int d2 = -1; d2 <= 1; d2++)
					for (int d3 = -1; d3 <= 2; d3++)
						for (int nl = 0; nl < 2; nl++) {
							struct csvr_limits lim = {
								nf + d1, widest + d2, L + d3,
							};

							if (L + d3 < 2)	/* the line "1" fits */
								continue;
							if (check(b, len + nl, MEM, &lim, NULL, 0))
								return 1;
						}
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static char b[256 * 1024];
	long iters = argc > 1 ? atol(argv[1]) : 6000;	/* more, and another seed, by hand */
	int fd = mkstemp(path), differ = 0;

	if (argc > 2)
		seed = strtoull(argv[2], NULL, 0);
	if (fd < 0)
		return 2;
	close(fd);
	for (long it = 0; it < iters && !differ; it++) {
		struct csvr_limits lim = random_limits(), lim2 = random_limits();
		int header = !rnd(4), relimit = !rnd(8), where = MEM;
		size_t len;

		switch (it % 6) {
		case 0:
		case 1:
			len = gen_bytes(b, 400);
			break;
		case 2:		/* wide: the fast path's room for fields grows */
			len = gen_rows(b, 8192, 200);
			break;
		default:	/* every fifth file crosses the read buffer */
			where = it % 6 == 3 ? MEM : it % 6 == 4 ? FILE_PLAIN : FILE_GZ;
			len = gen_rows(b, it % 5 ? 4096 : sizeof(b), 40);
			break;
		}
		differ = check(b, len, where, &lim, relimit ? &lim2 : NULL, header);
	}
	if (!differ)
		differ = edges(b);
	unlink(path);
	for (size_t k = 0; k < NIMPL; k++)
		free(outs[k].s);
	if (differ)
		return 1;
	if (!csvr_fast_records || !swar_fast_records || bytes_fast_records || !big_files) {
		fprintf(stderr, "fast path records: sse2 %lu, swar %lu, bytes %lu; files over 64 KiB %ld\n",
			csvr_fast_records, swar_fast_records, bytes_fast_records, big_files);
		return 1;
	}
	printf("3 builds agree: %ld inputs (%ld files over 64 KiB), %ld records "
	       "(fast path: sse2 %lu, swar %lu)\n", inputs, big_files, records,
	       csvr_fast_records, swar_fast_records);
	return 0;
}
