// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * --stacks in an event file: the off-CPU table (td->offcpu, named) and the
 * futex words' names as meta rows, so that tracer report prints the same
 * sections as the run did. An entry is a "stack" row of numbers, then its
 * frames in "stack_user", "stack_kern", "stack_wuser", "stack_wkern" rows
 * (names joined by ';', which no name keeps) and the waker's name in
 * "stack_wcomm"; a frames row keeps what fits a capture's meta record.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "io/stackrows.h"

#define ROW_MAX	4000	/* bytes of frames in a row: a capture's meta record holds ~4 KiB */

static void put_frames(meta_put_fn row, void *c, const char *key, char **f, __u32 n)
{
	char buf[ROW_MAX + 1];
	size_t len = 0;

	buf[0] = '\0';
	for (__u32 i = 0; i < n; i++) {
		size_t l = strlen(f[i]);

		if (len + l + 1 > ROW_MAX)	/* the outermost frames beyond it are left out */
			break;
		if (i)
			buf[len++] = ';';
		for (size_t k = 0; k < l; k++)
			buf[len++] = f[i][k] == ';' ? '_' : f[i][k];
		buf[len] = '\0';
	}
	row(c, key, buf);
}

void stackrows_write(meta_put_fn row, void *c, const struct trace_data *td)
{
	char buf[1024];

	if (!td->stacks)
		return;
	snprintf(buf, sizeof(buf), "%d %" PRIu64 " %" PRIu64, td->unwind_dwarf,
		 (uint64_t)td->stacks_unresolved, (uint64_t)td->stacks_unwound_none);
	row(c, "stacks", buf);
	for (size_t i = 0; i < td->noffcpu; i++) {
		const struct trace_offcpu *o = &td->offcpu[i];
		int len = snprintf(buf, sizeof(buf),
				   "%u %u %d %d %u %u %u %d %d %" PRIx64 " %u %u %" PRIu64 " %"
				   PRIu64 " %" PRIu64, o->key.tgid, o->key.tid, o->key.user,
				   o->key.kern, o->key.state, o->key.wtid, o->key.wtgid,
				   o->key.wuser, o->key.wkern, (uint64_t)o->key.uaddr, o->own,
				   o->wown, (uint64_t)o->val.count, (uint64_t)o->val.total_ns,
				   (uint64_t)o->val.max_ns);

		for (int k = 0; k < OFFCPU_SLOTS && len > 0 && (size_t)len < sizeof(buf); k++)
			len += snprintf(buf + len, sizeof(buf) - len, " %u", o->val.slots[k]);
		row(c, "stack", buf);
		put_frames(row, c, "stack_user", o->user, o->nuser);
		put_frames(row, c, "stack_kern", o->kern, o->nkern);
		if (!o->key.wtid)
			continue;
		put_frames(row, c, "stack_wuser", o->wuser, o->nwuser);
		put_frames(row, c, "stack_wkern", o->wkern, o->nwkern);
		row(c, "stack_wcomm", o->wcomm);
	}
	for (size_t i = 0; i < td->nfutex; i++) {
		if (!td->futex[i].name)
			continue;
		snprintf(buf, sizeof(buf), "%u %" PRIx64 " %s", td->futex[i].key.tgid,
			 (uint64_t)td->futex[i].key.uaddr, td->futex[i].name);
		row(c, "futex_name", buf);
	}
}

/* value split at ';' into *out (n names); -1 out of memory */
static int take_frames(const char *value, char ***out, __u32 *n)
{
	__u32 k = *value ? 1 : 0;
	const char *p = value;

	if (*out)	/* twice for one entry: a bad file */
		return -1;
	for (const char *q = value; *q; q++)
		k += *q == ';';
	*out = calloc(k ? k : 1, sizeof(**out));
	if (!*out)
		return -1;
	for (*n = 0; *n < k; (*n)++) {
		size_t l = strcspn(p, ";");

		if (!((*out)[*n] = strndup(p, l)))
			return -1;
		p += l + (p[l] == ';');
	}
	return 0;
}

int stackrows_set(struct trace_data *td, const char *key, const char *value)
{
	struct trace_offcpu *o = td->noffcpu ? &td->offcpu[td->noffcpu - 1] : NULL;
	unsigned long long uaddr, count, total, max;
	int n = -1;

	if (!strcmp(key, "stacks")) {
		unsigned long long unres, none;

		if (sscanf(value, "%d %llu %llu%n", &td->unwind_dwarf, &unres, &none, &n) != 3 ||
		    value[n])
			return -1;
		td->stacks = 1;
		td->stacks_unresolved = unres;
		td->stacks_unwound_none = none;
		return 0;
	}
	if (!strcmp(key, "stack")) {
		struct trace_offcpu e = {};
		const char *p;

		if (sscanf(value, "%u %u %d %d %u %u %u %d %d %llx %u %u %llu %llu %llu%n",
			   &e.key.tgid, &e.key.tid, &e.key.user, &e.key.kern, &e.key.state,
			   &e.key.wtid, &e.key.wtgid, &e.key.wuser, &e.key.wkern, &uaddr, &e.own,
			   &e.wown, &count, &total, &max, &n) != 15)
			return -1;
		p = value + n;
		for (int k = 0; k < OFFCPU_SLOTS; k++) {
			if (sscanf(p, " %u%n", &e.val.slots[k], &n) != 1)
				return -1;
			p += n;
		}
		if (*p || !td->stacks)
			return -1;
		e.key.uaddr = uaddr;
		e.val.count = count;
		e.val.total_ns = total;
		e.val.max_ns = max;
		o = realloc(td->offcpu, (td->noffcpu + 1) * sizeof(*o));
		if (!o)
			return -1;
		td->offcpu = o;
		td->offcpu[td->noffcpu++] = e;
		return 0;
	}
	if (!strcmp(key, "stack_user"))
		return o ? take_frames(value, &o->user, &o->nuser) : -1;
	if (!strcmp(key, "stack_kern"))
		return o ? take_frames(value, &o->kern, &o->nkern) : -1;
	if (!strcmp(key, "stack_wuser"))
		return o ? take_frames(value, &o->wuser, &o->nwuser) : -1;
	if (!strcmp(key, "stack_wkern"))
		return o ? take_frames(value, &o->wkern, &o->nwkern) : -1;
	if (!strcmp(key, "stack_wcomm")) {
		if (!o)
			return -1;
		snprintf(o->wcomm, sizeof(o->wcomm), "%s", value);
		return 0;
	}
	if (!strcmp(key, "futex_name")) {
		struct trace_word_name *w;
		unsigned int tgid;

		if (sscanf(value, "%u %llx %n", &tgid, &uaddr, &n) != 2 || n < 0 || !value[n])
			return -1;
		w = realloc(td->word_names, (td->nword_names + 1) * sizeof(*w));
		if (!w)
			return -1;
		td->word_names = w;
		w = &w[td->nword_names];
		w->tgid = tgid;
		w->uaddr = uaddr;
		if (!(w->name = strdup(value + n)))
			return -1;
		td->nword_names++;
		return 0;
	}
	return -1;
}
