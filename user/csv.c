// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "csv.h"
#include "log.h"
#include "runas.h"

struct csv {
	char *path, *tmp;
	FILE *f;		/* plain */
	gzFile gz;		/* or compressed */
	int err;		/* first write error, as -errno */
	int nfields;		/* fields in the current row */
};

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static void put(struct csv *c, const char *s, size_t len)
{
	if (c->err || !len)
		return;
	if (c->gz) {
		if (gzwrite(c->gz, s, len) != (int)len)
			c->err = -EIO;
	} else if (fwrite(s, 1, len, c->f) != len) {
		c->err = -errno;
	}
}

int csv__open(struct csv **out, const char *path, const struct runas *ra)
{
	struct csv *c = calloc(1, sizeof(*c));
	int fd;

	if (!c || !(c->path = strdup(path)) ||
	    asprintf(&c->tmp, "%s.tmp.%d", path, getpid()) < 0) {
		free(c);
		return -ENOMEM;
	}
	fd = open(c->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		int err = -errno;

		pr_err("cannot create %s: %s", path, strerror(-err));
		free(c->tmp);
		free(c->path);
		free(c);
		return err;
	}
	if (ra && ra->set && fchown(fd, ra->uid, ra->gid))
		pr_warn("cannot give %s to user %s: %s", path, ra->name, strerror(errno));
	if (ends_with(path, ".gz"))
		c->gz = gzdopen(fd, "wb6");
	else
		c->f = fdopen(fd, "w");
	if (!c->gz && !c->f) {
		close(fd);
		unlink(c->tmp);
		free(c->tmp);
		free(c->path);
		free(c);
		return -ENOMEM;
	}
	*out = c;
	return 0;
}

void csv__field(struct csv *c, const char *s)
{
	if (c->nfields++)
		put(c, ",", 1);
	if (!strpbrk(s, ",\"\r\n")) {
		put(c, s, strlen(s));
		return;
	}
	put(c, "\"", 1);
	for (const char *q; (q = strchr(s, '"')); s = q + 1) {
		put(c, s, q - s + 1);
		put(c, "\"", 1);	/* a quote is written twice */
	}
	put(c, s, strlen(s));
	put(c, "\"", 1);
}

void csv__end_row(struct csv *c)
{
	put(c, "\n", 1);
	c->nfields = 0;
}

static void csv_free(struct csv *c)
{
	free(c->tmp);
	free(c->path);
	free(c);
}

int csv__commit(struct csv *c)
{
	int err = c->err;

	if (c->gz) {
		if (gzclose(c->gz) != Z_OK && !err)
			err = -EIO;
	} else if (fclose(c->f) && !err) {
		err = -errno;
	}
	if (!err && rename(c->tmp, c->path))
		err = -errno;
	if (err) {
		pr_err("cannot write %s: %s", c->path, strerror(-err));
		unlink(c->tmp);
	}
	csv_free(c);
	return err;
}

void csv__abort(struct csv *c)
{
	if (!c)
		return;
	if (c->gz)
		gzclose(c->gz);
	else
		fclose(c->f);
	unlink(c->tmp);
	csv_free(c);
}
