// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* --unwind dwarf: samples unwound as they come, their waits aggregated. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core/index.h"
#include "live/unwind.h"
#include "live/ustacks.h"

struct pend {			/* a task's sample, its wait still open */
	__u32 seq, n, own;
	char **names;
};

struct ustacks {
	struct unwinder *uw;
	struct index by_tid;	/* tid -> pend + 1: the tasks off the CPU with a sample */
	struct pend *pend;
	__u32 *free_pend;	/* pend entries free again */
	size_t npend, nfree;
	struct trace_offcpu *e;	/* the aggregate */
	size_t n, cap;
	size_t *slot;		/* open addressing: index into e + 1; 0 empty */
	size_t nslot;
	__u64 none;
};

struct ustacks *ustacks_new(void)
{
	struct ustacks *u = calloc(1, sizeof(*u));

	if (u && !(u->uw = unwind_new())) {
		free(u);
		u = NULL;
	}
	return u;
}

static void free_names(char **v, __u32 n)
{
	for (__u32 i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

int ustacks_sample(struct ustacks *u, const struct ustk_sample *s)
{
	char *names[USTACK_DEPTH];
	__u32 *slot = index_slot(&u->by_tid, s->tid);
	struct pend *p;
	int n, own;

	if (!slot)
		return -ENOMEM;
	if (!*slot) {	/* a pend entry: a free one, or one more */
		if (!u->nfree) {
			__u32 *f = realloc(u->free_pend, (u->npend + 1) * sizeof(*f));

			p = realloc(u->pend, (u->npend + 1) * sizeof(*p));
			if (f)
				u->free_pend = f;
			if (p)
				u->pend = p;
			if (!f || !p)
				return -ENOMEM;
			memset(&u->pend[u->npend], 0, sizeof(*p));
			u->free_pend[u->nfree++] = u->npend++;
		}
		*slot = u->free_pend[--u->nfree] + 1;
		u->by_tid.used++;
	}
	p = &u->pend[*slot - 1];
	free_names(p->names, p->n);	/* one whose wait never came (lost) */
	memset(p, 0, sizeof(*p));
	n = unwind_sample(u->uw, s, names, USTACK_DEPTH, &own);
	if (n && !(p->names = malloc(n * sizeof(*names)))) {
		while (n--)
			free(names[n]);
		return -ENOMEM;
	}
	if (n)
		memcpy(p->names, names, n * sizeof(*names));
	p->n = n;
	p->own = own;
	p->seq = s->seq;
	return 0;
}

static __u64 hash_of(const struct offcpu_key *k, char **names, __u32 n)
{
	const unsigned char *b = (const unsigned char *)k;
	__u64 h = 1469598103934665603ull;

	for (size_t i = 0; i < sizeof(*k); i++)
		h = (h ^ b[i]) * 1099511628211ull;
	for (__u32 i = 0; i < n; i++)
		for (const char *c = names[i]; ; c++) {
			h = (h ^ (unsigned char)*c) * 1099511628211ull;
			if (!*c)
				break;
		}
	return h;
}

static int same(const struct trace_offcpu *e, const struct offcpu_key *k, char **names, __u32 n)
{
	if (memcmp(&e->key, k, sizeof(*k)) || e->nuser != n)
		return 0;
	for (__u32 i = 0; i < n; i++)
		if (strcmp(e->user[i], names[i]))
			return 0;
	return 1;
}

/* Room for one more entry: the slots at most half full */
static int grow(struct ustacks *u)
{
	size_t nslot, *slot;

	if (u->n == u->cap) {
		size_t cap = u->cap ? 2 * u->cap : 256;
		struct trace_offcpu *e = realloc(u->e, cap * sizeof(*e));

		if (!e)
			return -ENOMEM;
		u->e = e;
		u->cap = cap;
	}
	if (2 * (u->n + 1) <= u->nslot)
		return 0;
	nslot = u->nslot ? 2 * u->nslot : 1024;
	slot = calloc(nslot, sizeof(*slot));
	if (!slot)
		return -ENOMEM;
	for (size_t i = 0; i < u->n; i++) {
		size_t h = hash_of(&u->e[i].key, u->e[i].user, u->e[i].nuser) % nslot;

		while (slot[h])
			h = (h + 1) % nslot;
		slot[h] = i + 1;
	}
	free(u->slot);
	u->slot = slot;
	u->nslot = nslot;
	return 0;
}

static __u32 log2_slot(__u64 v)
{
	__u32 r = 0;

	while (v >>= 1)
		r++;
	return r < OFFCPU_SLOTS ? r : OFFCPU_SLOTS - 1;
}

int ustacks_wait(struct ustacks *u, const struct ustk_wait *w)
{
	struct offcpu_key key = w->key;
	__u32 *slot = index_slot(&u->by_tid, w->key.tid), n = 0, own = 0;
	char **names = NULL;
	struct trace_offcpu *e;
	size_t h;

	if (!slot)
		return -ENOMEM;
	if (*slot) {	/* the task's sample: its frames, if of this wait */
		struct pend *p = &u->pend[*slot - 1];

		if (p->seq == w->seq && key.user == 0) {
			names = p->names;
			n = p->n;
			own = p->own;
		} else {
			free_names(p->names, p->n);
		}
		p->names = NULL;
		p->n = 0;
		u->free_pend[u->nfree++] = *slot - 1;
		index_del(&u->by_tid, w->key.tid);
	}
	if (!n)
		u->none++;
	key.user = n ? 0 : -1;
	if (grow(u)) {
		free_names(names, n);
		return -ENOMEM;
	}
	h = hash_of(&key, names, n) % u->nslot;
	while (u->slot[h] && !same(&u->e[u->slot[h] - 1], &key, names, n))
		h = (h + 1) % u->nslot;
	if (u->slot[h]) {
		e = &u->e[u->slot[h] - 1];
		free_names(names, n);
	} else {
		e = &u->e[u->n];
		memset(e, 0, sizeof(*e));
		e->key = key;
		e->user = names;
		e->nuser = n;
		e->own = own;
		u->slot[h] = ++u->n;
	}
	e->val.count++;
	e->val.total_ns += w->ns;
	if (w->ns > e->val.max_ns)
		e->val.max_ns = w->ns;
	e->val.slots[log2_slot(w->ns)]++;
	return 0;
}

struct trace_offcpu *ustacks_take(struct ustacks *u, size_t *n)
{
	struct trace_offcpu *e = u->e;

	*n = u->n;
	u->e = NULL;
	u->n = u->cap = 0;
	memset(u->slot, 0, u->nslot * sizeof(*u->slot));
	return e;
}

__u64 ustacks_unwound_none(const struct ustacks *u)
{
	return u->none;
}

void ustacks_free(struct ustacks *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->npend; i++)
		free_names(u->pend[i].names, u->pend[i].n);
	for (size_t i = 0; i < u->n; i++)
		free_names(u->e[i].user, u->e[i].nuser);
	index_free(&u->by_tid);
	free(u->pend);
	free(u->free_pend);
	free(u->e);
	free(u->slot);
	unwind_free(u->uw);
	free(u);
}
