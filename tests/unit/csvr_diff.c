// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * user/io/csvread.c's fast path (a record split in one pass, 16 bytes at a
 * time with SSE2, 8 without) against its byte loop, the reference: random
 * inputs (bytes the parser cares about, and long files of tracer-like rows
 * that cross the 64 KiB read buffer), random limits, from memory and from a
 * file. Every record, line number, cut flag and error message must be the
 * same in all three builds. Exit 0, or 1 with the first difference.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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
	void p##close(struct csvr *r);
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
};

#define IMPL(name, p) { name, p##open, p##open_mem, p##set_limits, p##read,	\
			p##read_header, p##error, p##line, p##cut, p##close }
static const struct impl impls[] = {
	IMPL("bytes", bytes_), IMPL("sse2", csvr_), IMPL("swar", swar_),
};
#define NIMPL	(sizeof(impls) / sizeof(impls[0]))

/* What one reader made of an input, as text: records, lines, cut flags, error */
struct out {
	char *s;
	size_t len, cap;
};

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

static void parse(const struct impl *im, const char *path, const char *buf, size_t len,
		  const struct csvr_limits *lim, int header, struct out *o)
{
	struct csvr *r;
	char **f;
	size_t n;
	int err;

	o->len = 0;
	add(o, "", 0);
	if (path ? im->open(&r, path) : im->open_mem(&r, buf, len))
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
		err = 0;
	}
	if (err) {
		addf(o, "error -%lu: ", (unsigned long)-err, 0);
		add(o, im->error(r), strlen(im->error(r)));
	}
	im->close(r);
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
static size_t gen_rows(char *b, size_t max)
{
	size_t len = 0, want = rnd(max);

	while (len + 64 < want) {
		size_t fields = 1 + rnd(40);

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

static void dump(const char *b, size_t len)
{
	fprintf(stderr, "input (%zu bytes): \"", len);
	for (size_t i = 0; i < len && i < 600; i++)
		fprintf(stderr, b[i] >= 0x20 && b[i] < 0x7f && b[i] != '"' && b[i] != '\\' ?
			"%c" : "\\x%02x", (unsigned char)b[i]);
	fprintf(stderr, "%s\"\n", len > 600 ? "..." : "");
}

int main(int argc, char **argv)
{
	static char b[256 * 1024];
	char path[] = "/tmp/csvr_diff.XXXXXX";
	struct out o[NIMPL] = {};
	int fd = mkstemp(path);
	long files = 0, records = 0;
	int differ = 0;

	long iters = argc > 1 ? atol(argv[1]) : 6000;	/* more, and another seed, by hand */

	if (argc > 2)
		seed = strtoull(argv[2], NULL, 0);
	if (fd < 0)
		return 2;
	for (long it = 0; it < iters && !differ; it++) {
		int rows = it % 3 == 0, from_file = rows && it % 2;
		size_t len = rows ? gen_rows(b, it % 30 ? 4096 : sizeof(b)) : gen_bytes(b, 400);
		struct csvr_limits lim = {};
		int header = !rnd(4);

		if (rnd(3) == 0)
			lim = (struct csvr_limits){ 1 + rnd(40), 1 + rnd(30), 1 + rnd(300) };
		if (from_file) {
			if (ftruncate(fd, 0) || pwrite(fd, b, len, 0) != (ssize_t)len)
				return 2;
			files++;
		}
		for (size_t k = 0; k < NIMPL; k++)
			parse(&impls[k], from_file ? path : NULL, b, len, &lim, header, &o[k]);
		for (size_t k = 1; k < NIMPL; k++) {
			if (o[k].len == o[0].len && !memcmp(o[k].s, o[0].s, o[0].len))
				continue;
			dump(b, len);
			fprintf(stderr, "limits %zu %zu %zu, header %d, %s\n%s:\n%.2000s\n%s:\n%.2000s\n",
				lim.max_fields, lim.max_field, lim.max_record, header,
				from_file ? "file" : "memory", impls[0].name, o[0].s,
				impls[k].name, o[k].s);
			differ = 1;
			break;
		}
		for (const char *p = o[0].s; (p = strchr(p, '\n')); p++)
			records++;
	}
	unlink(path);
	for (size_t k = 0; k < NIMPL; k++)
		free(o[k].s);
	if (differ)
		return 1;
	printf("3 builds agree: %ld inputs (%ld from files), %ld records\n", iters, files, records);
	return 0;
}
