// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The capture file (capture.h): appended to by the ring's reader while the
 * command runs, read back in time order once it is over.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "core/clock.h"
#include "core/quiet.h"
#include "io/capture.h"
#include "io/csv.h"
#include "core/log.h"
#include "core/progress.h"
#include "io/reorder.h"
#include "core/runas.h"

#define BUF_SIZE	(2 << 20)	/* a write per ~20,000 events; a huge page */
#define ALIGN		4096		/* a direct write's offset, length and memory */
/*
 * Buffers waiting for the disk: ~1.2 s of 1M events/s. Made as needed and
 * kept: memory only while the disk falls behind (16, ~0.3 s, lost 397,834
 * of 675M events in ten minutes of a shared host whose disk stalled).
 */
#define QUEUE_MAX	64
#define MAX_REC		(64 << 10)	/* a chunk is one stage (16 KiB) */
#define BYTE_ORDER_MARK	0x01020304u

/*
 * The reader of the ring fills a buffer and hands it to a thread that
 * writes it, so that a slow disk holds up neither the ring nor the
 * workload's CPUs; where the file system allows, with O_DIRECT: the
 * capture then takes none of the page cache (the workload's files stay
 * cached) and little CPU (a 3 GB file here: 0.6 s of system time direct,
 * 8.0 s through the page cache). Every buffer ends with a pad record to a
 * multiple of ALIGN, so every write is whole aligned blocks.
 */
struct capture {
	char *path, *tmp;	/* kept: its name, and the one until commit */
	int fd, ncpus;
	int direct;		/* fd has O_DIRECT */
	char *buf;		/* being filled (by one thread at a time): whole records */
	size_t len;
	/* the writer and the buffers it is to write, in file order */
	pthread_t thread;
	int threaded, quit, discard;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *queue[QUEUE_MAX];
	size_t qlen[QUEUE_MAX];
	unsigned qhead, qn;	/* the head stays queued while it is written */
	char *spare[QUEUE_MAX + 1];
	unsigned nspare;
	/* the writer's; read once it has stopped */
	uint64_t bytes;		/* in the file */
	int err;
	uint64_t dropped[NR_EV_KINDS];
};

static size_t pad8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

/* The event records of a chunk, by kind, into n; -1 if it is malformed. */
static int count_chunk(const char *p, size_t len, uint64_t *n)
{
	size_t off = 0, sz;

	while (len - off >= sizeof(struct ev_hdr)) {
		const struct ev_hdr *h = (const void *)(p + off);

		sz = ev_wire_size(h, len - off);
		if (!sz)
			return -1;
		if (n)
			n[h->kind & EV_KIND_MASK]++;
		off += sz;
	}
	return off == len ? 0 : -1;
}

/* What records that could not be written held: their events are lost. */
static void drop_recs(struct capture *c, const char *p, size_t len)
{
	size_t off = 0;

	while (off + sizeof(struct cap_rec) <= len) {
		const struct cap_rec *r = (const void *)(p + off);

		if (r->type == CAP_CHUNK)
			count_chunk((const char *)(r + 1), r->len, c->dropped);
		off += sizeof(*r) + pad8(r->len);
	}
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= n;
	}
	return 0;
}

static void set_direct(struct capture *c, int on)
{
	int fl = fcntl(c->fd, F_GETFL);

	/* a file system without O_DIRECT refuses it: the page cache, then */
	if (fl >= 0 && !fcntl(c->fd, F_SETFL, on ? fl | O_DIRECT : fl & ~O_DIRECT))
		c->direct = on;
}

/* The file back to its whole records; 0 or -1. */
static int cut_back(struct capture *c)
{
	return ftruncate(c->fd, c->bytes) || lseek(c->fd, c->bytes, SEEK_SET) < 0 ? -1 : 0;
}

/*
 * Write whole records. On an error (a full disk) the file is cut back to
 * its whole records and as many more of these as fit, one at a time; the
 * rest are dropped, and nothing more is written.
 */
static void write_recs(struct capture *c, const char *p, size_t len)
{
	size_t off = 0;
	int err;

	if (c->err)
		goto drop;
	err = write_all(c->fd, p, len);
	if (err && c->direct) {
		/* a short direct write leaves an unaligned rest: the page cache takes it */
		set_direct(c, 0);
		err = cut_back(c) ? -errno : write_all(c->fd, p, len);
	}
	if (!err) {
		c->bytes += len;
		return;
	}
	c->err = err;
	set_direct(c, 0);
	while (!cut_back(c) && off < len) {
		const struct cap_rec *r = (const void *)(p + off);
		size_t n = sizeof(*r) + pad8(r->len);

		if (write_all(c->fd, p + off, n)) {
			if (ftruncate(c->fd, c->bytes))	/* a part of it may be there */
				pr_debug("cannot cut the capture back: %s", strerror(errno));
			break;
		}
		c->bytes += n;
		off += n;
	}
drop:
	drop_recs(c, p + off, len - off);
}

static void *write_loop(void *arg)
{
	struct capture *c = arg;

	/* as the ring's reader: a writer starved by a busy workload would hold it up */
	setpriority(PRIO_PROCESS, syscall(SYS_gettid), -20);
	pthread_mutex_lock(&c->mu);
	for (;;) {
		int discard;
		char *p;
		size_t len;

		while (!c->qn && !c->quit)
			pthread_cond_wait(&c->cv, &c->mu);
		if (!c->qn)
			break;
		p = c->queue[c->qhead];
		len = c->qlen[c->qhead];
		discard = c->discard;
		pthread_mutex_unlock(&c->mu);
		if (!discard)
			write_recs(c, p, len);
		pthread_mutex_lock(&c->mu);
		c->qhead = (c->qhead + 1) % QUEUE_MAX;
		c->qn--;
		c->spare[c->nspare++] = p;
		pthread_cond_broadcast(&c->cv);
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

/*
 * Let the writer write all it has (discard: drop it), and stop it: what
 * follows is written in place.
 */
static void writer_stop(struct capture *c, int discard)
{
	if (!c->threaded)
		return;
	pthread_mutex_lock(&c->mu);
	c->quit = 1;
	c->discard = discard;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
	pthread_join(c->thread, NULL);
	c->threaded = 0;
}

/* A huge page where the kernel gives one: a direct write pins its pages */
static char *new_buf(void)
{
	void *p;

	if (posix_memalign(&p, BUF_SIZE, BUF_SIZE))
		return NULL;
	madvise(p, BUF_SIZE, MADV_HUGEPAGE);
	return p;
}

/* End the buffer with a pad record at `to` (a multiple of ALIGN). */
static void seal(struct capture *c, size_t to)
{
	struct cap_rec pad = { .type = CAP_PAD, .len = to - c->len - sizeof(pad) };

	if (to == c->len)
		return;
	memcpy(c->buf + c->len, &pad, sizeof(pad));
	memset(c->buf + c->len + sizeof(pad), 0, pad.len);
	c->len = to;
}

/* The buffer to the writer (or the disk), and an empty one to fill. */
static void hand_over(struct capture *c)
{
	if (!c->threaded) {
		write_recs(c, c->buf, c->len);
		c->len = 0;
		return;
	}
	pthread_mutex_lock(&c->mu);
	while (c->qn == QUEUE_MAX)
		pthread_cond_wait(&c->cv, &c->mu);
	c->queue[(c->qhead + c->qn) % QUEUE_MAX] = c->buf;
	c->qlen[(c->qhead + c->qn) % QUEUE_MAX] = c->len;
	c->qn++;
	pthread_cond_broadcast(&c->cv);
	c->buf = c->nspare ? c->spare[--c->nspare] : NULL;
	pthread_mutex_unlock(&c->mu);
	if (!c->buf && !(c->buf = new_buf())) {
		/* out of memory: the one the writer gives back next */
		pthread_mutex_lock(&c->mu);
		while (!c->nspare)
			pthread_cond_wait(&c->cv, &c->mu);
		c->buf = c->spare[--c->nspare];
		pthread_mutex_unlock(&c->mu);
	}
	c->len = 0;
}

/* What was put so far to the disk, its last block padded whole. */
static void flush_all(struct capture *c)
{
	if (c->len) {
		seal(c, (c->len + ALIGN - 1) & ~(size_t)(ALIGN - 1));
		hand_over(c);
	}
	writer_stop(c, 0);
}

void capture_put(struct capture *c, enum cap_type type, const void *data, uint32_t len)
{
	struct cap_rec r = { .type = type, .len = len };
	size_t need = sizeof(r) + pad8(len);

	if (need > BUF_SIZE - sizeof(r)) {	/* never: a chunk is a stage */
		if (type == CAP_CHUNK)
			count_chunk(data, len, c->dropped);
		return;
	}
	if (need > BUF_SIZE - c->len) {
		seal(c, BUF_SIZE);
		hand_over(c);
	}
	memcpy(c->buf + c->len, &r, sizeof(r));
	memcpy(c->buf + c->len + sizeof(r), data, len);
	memset(c->buf + c->len + sizeof(r) + len, 0, need - sizeof(r) - len);
	c->len += need;
}

void capture_meta(void *ctx, const char *key, const char *value)
{
	size_t k = strlen(key) + 1, v = strlen(value) + 1;
	char buf[4096 + 256];

	if (k + v > sizeof(buf))
		v = sizeof(buf) - k;
	memcpy(buf, key, k);
	memcpy(buf + k, value, v - 1);
	buf[k + v - 1] = '\0';
	capture_put(ctx, CAP_META, buf, k + v);
}

int capture_error(const struct capture *c, uint64_t *bytes)
{
	if (bytes)
		*bytes = c->bytes;
	return c->err;
}

const uint64_t *capture_dropped(const struct capture *c)
{
	return c->dropped;
}

static void capture_free(struct capture *c)
{
	writer_stop(c, 1);
	if (c->fd >= 0)
		close(c->fd);
	free(c->buf);
	for (unsigned i = 0; i < c->nspare; i++)
		free(c->spare[i]);
	pthread_mutex_destroy(&c->mu);
	pthread_cond_destroy(&c->cv);
	free(c->path);
	free(c->tmp);
	free(c);
}

/* An unnamed file in dir, gone when closed (or at once, where O_TMPFILE is not). */
static int open_unnamed(const char *dir)
{
	char *name;
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd;
	if (asprintf(&name, "%s/.tracer-capture.XXXXXX", dir) < 0)
		return -1;
	fd = mkostemp(name, O_CLOEXEC);
	if (fd >= 0)
		unlink(name);
	free(name);
	return fd;
}

/* A kept capture: a regular file (it is read back), written under a temporary name. */
static int open_kept(struct capture *c, const char *path, const struct runas *ra)
{
	struct stat st;
	mode_t mask;

	if (csv_own_fd(path) != -1 || (!stat(path, &st) && !S_ISREG(st.st_mode))) {
		pr_err("--capture: %s is not a regular file's name (the capture is read back)",
		       path);
		return -EINVAL;
	}
	c->path = strdup(path);
	if (!c->path || asprintf(&c->tmp, "%s.XXXXXX", path) < 0) {
		c->tmp = NULL;
		return -ENOMEM;
	}
	c->fd = mkostemp(c->tmp, O_CLOEXEC);
	if (c->fd < 0) {
		pr_err("cannot create %s: %s", path, strerror(errno));
		return -errno;
	}
	mask = umask(0);
	umask(mask);
	fchmod(c->fd, 0666 & ~mask);
	if (ra && ra->set && fchown(c->fd, ra->uid, ra->gid))
		pr_warn("cannot give %s to user %s: %s", path, ra->name, strerror(errno));
	return 0;
}

/* The header, padded to the first block: written now, so that a file that cannot be is said now. */
static int write_header(struct capture *c)
{
	struct cap_header h = { .version = CAP_VERSION, .ev_abi = EV_ABI_VERSION,
				.byte_order = BYTE_ORDER_MARK, .ncpus = c->ncpus };
	int err;

	memcpy(h.magic, CAP_MAGIC, sizeof(h.magic));
	memcpy(c->buf, &h, sizeof(h));
	c->len = sizeof(h);
	seal(c, ALIGN);
	err = write_all(c->fd, c->buf, c->len);
	c->bytes = err ? 0 : c->len;
	c->len = 0;
	return err;
}

int capture_create(struct capture **out, const char *keep, const char *dir,
		   const struct runas *ra, int ncpus)
{
	struct capture *c = calloc(1, sizeof(*c));
	int err;

	if (!c || !(c->buf = new_buf())) {
		free(c);
		return -ENOMEM;
	}
	c->fd = -1;
	c->ncpus = ncpus;
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	if (keep) {
		err = open_kept(c, keep, ra);
	} else {
		c->fd = open_unnamed(dir);
		err = c->fd < 0 ? -errno : 0;
		if (err)
			pr_err("cannot create the capture file in %s: %s", dir, strerror(-err));
	}
	if (!err) {
		err = write_header(c);
		if (err)
			pr_err("cannot write the capture file: %s", strerror(-err));
	}
	if (!err) {
		set_direct(c, 1);
		err = -quiet_thread(&c->thread, write_loop, c);
		c->threaded = !err;
		if (err)
			pr_err("cannot start the capture's writer thread: %s", strerror(-err));
	}
	if (err) {
		if (c->tmp && c->fd >= 0)
			unlink(c->tmp);
		capture_free(c);
		return err;
	}
	*out = c;
	return 0;
}

/*
 * A kept capture's last records out, and the file in place. An error of
 * the run was said already (run.c's capture_post()); one of these last
 * writes, the fsync or the rename is said here.
 */
int capture_commit(struct capture *c)
{
	int err, said;

	if (!c)
		return 0;
	said = c->err;
	flush_all(c);
	err = c->err;
	if (c->tmp) {
		if (fsync(c->fd) && !err)
			err = -errno;
		/* cut short by a full disk, it is still whole records: keep it */
		if (err && err != -ENOSPC && err != -EDQUOT) {
			pr_err("cannot write the capture file %s: %s: not kept", c->path,
			       strerror(-err));
			unlink(c->tmp);
		} else if (rename(c->tmp, c->path)) {
			err = -errno;
			pr_err("cannot keep the capture file %s: %s", c->path, strerror(-err));
			unlink(c->tmp);
		} else if (err && !said) {
			pr_err("cannot write the end of the capture file %s: %s: kept, "
			       "tracer report reads what it holds", c->path, strerror(-err));
		}
	}
	capture_free(c);
	return err;
}

void capture_abort(struct capture *c)
{
	if (!c)
		return;
	if (c->tmp)
		unlink(c->tmp);
	capture_free(c);
}

/* --- reading back ------------------------------------------------------ */

struct reader {
	int fd;
	const char *name;
	uint64_t off, size;	/* file offset of buf[0]; the file's size */
	char *buf;
	size_t len, pos;	/* bytes in buf; the next record */
	struct reorder *ro;
	const struct capture_ops *ops;
	void *ctx;
	uint64_t nbad, nevents;
	const char *progress;	/* what the progress line says it does; NULL: none */
	struct progress pg;
	int stop;		/* an op said to stop */
	int give_back;		/* an unnamed capture: the disk of what was read goes back */
	uint64_t given;		/* bytes from the start given back */
};

static void release(void *ctx, const union ev_any *e)
{
	struct reader *rd = ctx;

	if (!rd->stop)
		rd->stop = rd->ops->event(rd->ctx, e);
}

static void take_chunk(struct reader *rd, const char *p, size_t len)
{
	size_t off = 0, sz;
	struct ev_chunk ck;
	union ev_any e;

	ev_chunk_begin(&ck);
	while (len - off >= sizeof(struct ev_hdr)) {
		sz = ev_decode(&ck, p + off, len - off, &e);
		if (!sz)
			break;
		off += sz;
		rd->nevents++;
		if (reorder_add(rd->ro, &e))	/* late: passed on as it is, and counted */
			release(rd, &e);
	}
	if (off != len)
		rd->nbad++;
}

/* One record; 0, or -EINVAL after saying what is wrong. */
static int take_rec(struct reader *rd, const struct cap_rec *r, const char *p)
{
	uint64_t at = rd->off + rd->pos;
	const char *val;

	switch (r->type) {
	case CAP_CHUNK:
		take_chunk(rd, p, r->len);
		if (rd->progress)
			progress_show(&rd->pg, rd->off + rd->pos, rd->nevents);
		return rd->stop ? -EINVAL : 0;
	case CAP_MARK:
		if (r->len != sizeof(__u64))
			break;
		reorder_release(rd->ro, *(const __u64 *)p, release, rd);
		return rd->stop ? -EINVAL : 0;
	case CAP_META:
		/* "key\0value\0", nothing after */
		val = memchr(p, '\0', r->len);
		if (!val || val == p + r->len - 1 ||
		    strnlen(val + 1, p + r->len - (val + 1)) != (size_t)(p + r->len - 1 - (val + 1)))
			break;
		val++;
		return rd->ops->meta(rd->ctx, p, val) ? -EINVAL : 0;
	case CAP_PAD:
		return 0;
	case CAP_TASK: {
		union ev_any row;

		if (r->len != sizeof(row.row))
			break;
		memcpy(&row.row, p, sizeof(row.row));
		rd->stop = rd->ops->task(rd->ctx, &row);
		return rd->stop ? -EINVAL : 0;
	}
	}
	pr_err("%s: bad record (type %u, %u bytes) at byte %llu", rd->name, r->type, r->len,
	       (unsigned long long)at);
	return -EINVAL;
}

/* Keep the unread tail and read more after it; 0 at the end of the file. */
static ssize_t refill(struct reader *rd)
{
	ssize_t n;

	memmove(rd->buf, rd->buf + rd->pos, rd->len - rd->pos);
	rd->off += rd->pos;
	rd->len -= rd->pos;
	rd->pos = 0;
	/*
	 * What was read is in memory or passed on: its blocks go back to the
	 * file system, so that the outputs written from a capture as large as
	 * the disk's room find room too (10 minutes of a million events a
	 * second: ~60 GB). Where holes cannot be punched, nothing is given back.
	 */
	if (rd->give_back && (rd->off & ~(uint64_t)(ALIGN - 1)) > rd->given) {
		uint64_t to = rd->off & ~(uint64_t)(ALIGN - 1);

		if (fallocate(rd->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, rd->given,
			      to - rd->given))
			rd->give_back = 0;
		rd->given = to;
	}
	do
		n = pread(rd->fd, rd->buf + rd->len, BUF_SIZE - rd->len, rd->off + rd->len);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		rd->len += n;
	return n;
}

static int read_records(struct reader *rd)
{
	for (;;) {
		const struct cap_rec *r = (const void *)(rd->buf + rd->pos);
		size_t avail = rd->len - rd->pos;
		ssize_t n;
		int err;

		if (avail >= sizeof(*r) && r->len > MAX_REC) {
			pr_err("%s: bad record (type %u, %u bytes) at byte %llu", rd->name,
			       r->type, r->len, (unsigned long long)(rd->off + rd->pos));
			return -EINVAL;
		}
		if (avail >= sizeof(*r) && avail >= sizeof(*r) + pad8(r->len)) {
			err = take_rec(rd, r, (const char *)(r + 1));
			if (err)
				return err;
			rd->pos += sizeof(*r) + pad8(r->len);
			continue;
		}
		n = refill(rd);
		if (n < 0) {
			pr_err("cannot read %s: %s", rd->name, strerror(errno));
			return -errno;
		}
		if (n == 0)	/* at its end, or cut short inside a record */
			return rd->len ? 1 : 0;
	}
}

static int read_fd(int fd, const char *name, const struct capture_ops *ops, void *ctx,
		   const char *progress, int give_back)
{
	struct reader rd = { .fd = fd, .name = name, .ops = ops, .ctx = ctx,
			     .progress = progress, .give_back = give_back, .given = ALIGN };
	struct cap_header h;
	struct stat st;
	int err;

	if (pread(fd, &h, sizeof(h), 0) != sizeof(h) || memcmp(h.magic, CAP_MAGIC, 8)) {
		pr_err("%s: not a capture file of tracer", name);
		return -EINVAL;
	}
	/* version 1 is version 2 without pad records */
	if (h.byte_order != BYTE_ORDER_MARK || !h.version || h.version > CAP_VERSION ||
	    h.ev_abi != EV_ABI_VERSION) {
		pr_err("%s: capture version %u, event ABI %u%s: this tracer reads versions 1 to %d, "
		       "ABI %d", name, h.version, h.ev_abi,
		       h.byte_order != BYTE_ORDER_MARK ? ", other byte order" : "",
		       CAP_VERSION, EV_ABI_VERSION);
		return -EINVAL;
	}
	if (!h.ncpus || h.ncpus > 65536) {
		pr_err("%s: bad CPU count %u", name, h.ncpus);
		return -EINVAL;
	}
	rd.size = fstat(fd, &st) ? 0 : st.st_size;
	rd.off = sizeof(h);
	rd.buf = malloc(BUF_SIZE);
	rd.ro = reorder_new(h.ncpus);
	if (!rd.buf || !rd.ro) {
		free(rd.buf);
		reorder_free(rd.ro);
		return -ENOMEM;
	}
	progress_init(&rd.pg, progress ? progress : "", rd.size);
	rd.pg.on = rd.pg.on && progress;
	err = read_records(&rd);
	if (err >= 0)
		reorder_release(rd.ro, UINT64_MAX, release, &rd);
	if (err >= 0 && rd.stop)
		err = -EINVAL;
	progress_done(&rd.pg);
	if (rd.nbad)
		pr_warn("%s: %llu chunk%s of event records cut short by a malformed record "
			"(the records after it skipped)", name, (unsigned long long)rd.nbad,
			rd.nbad == 1 ? "" : "s");
	if (reorder_late(rd.ro))
		pr_warn("%s: %llu event records came after younger ones: out of time order there",
			name, (unsigned long long)reorder_late(rd.ro));
	free(rd.buf);
	reorder_free(rd.ro);
	return err;
}

int capture_replay(struct capture *c, const struct capture_ops *ops, void *ctx,
		   const char *progress)
{
	flush_all(c);
	set_direct(c, 0);	/* read back through the page cache, records at any offset */
	return read_fd(c->fd, c->path ? c->path : "the capture file", ops, ctx, progress,
		       !c->path);
}

int capture_read_file(const char *path, const struct capture_ops *ops, void *ctx,
		      const char *progress)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;

	if (fd < 0) {
		pr_err("cannot open %s: %s", path, strerror(errno));
		return -errno;
	}
	err = read_fd(fd, path, ops, ctx, progress, 0);
	close(fd);
	return err;
}

int capture_is_file(const char *path)
{
	char magic[8];
	struct stat st;
	int fd, is;

	/* a pipe's bytes read here would be lost to the CSV reader after */
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	is = read(fd, magic, sizeof(magic)) == sizeof(magic) && !memcmp(magic, CAP_MAGIC, 8);
	close(fd);
	return is;
}
