// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* --unwind dwarf: samples unwound as they come, their waits aggregated. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core/index.h"
#include "live/unwind.h"
#include "live/ustacks.h"

struct frames {
	char **names;
	__u32 n, own;
};

struct pend {			/* a sample whose wait is still open */
	__u32 seq;
	struct frames f;
};

/* Samples by the tid of the task whose wait they belong to: at most one each */
struct pendtab {
	struct index by_tid;	/* tid -> pend + 1 */
	struct pend *pend;
	__u32 *free_pend;	/* pend entries free again */
	size_t npend, nfree;
};

struct ustacks {
	struct unwinder *uw;
	struct pendtab waiting;	/* the waiter's own, from its blocking switch-out */
	struct pendtab wakers;	/* its waker's, as it woke it */
	struct trace_offcpu *e;	/* the aggregate */
	size_t n, cap;
	size_t *slot;		/* open addressing: index into e + 1; 0 empty */
	size_t nslot;
	__u64 none;
	__u64 lost;		/* waits of new entries past MAX_OFFCPU */
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

static void free_frames(struct frames *f)
{
	for (__u32 i = 0; f->names && i < f->n; i++)
		free(f->names[i]);
	free(f->names);
	memset(f, 0, sizeof(*f));
}

/* tid's entry of t, made if new (its old frames freed); NULL out of memory */
static struct pend *pend_put(struct pendtab *t, __u32 tid)
{
	__u32 *slot = index_slot(&t->by_tid, tid);
	struct pend *p;

	if (!slot)
		return NULL;
	if (!*slot) {	/* a free entry, or one more */
		if (!t->nfree) {
			__u32 *f = realloc(t->free_pend, (t->npend + 1) * sizeof(*f));

			p = realloc(t->pend, (t->npend + 1) * sizeof(*p));
			if (f)
				t->free_pend = f;
			if (p)
				t->pend = p;
			if (!f || !p)
				return NULL;
			memset(&t->pend[t->npend], 0, sizeof(*p));
			t->free_pend[t->nfree++] = t->npend++;
		}
		*slot = t->free_pend[--t->nfree] + 1;
		t->by_tid.used++;
	}
	p = &t->pend[*slot - 1];
	free_frames(&p->f);	/* one whose wait never came (lost) */
	return p;
}

/* tid's frames if of wait seq, taken out of t (empty if not); -ENOMEM */
static int pend_take(struct pendtab *t, __u32 tid, __u32 seq, struct frames *out)
{
	__u32 *slot = index_slot(&t->by_tid, tid);
	struct pend *p;

	memset(out, 0, sizeof(*out));
	if (!slot)
		return -ENOMEM;
	if (!*slot)
		return 0;
	p = &t->pend[*slot - 1];
	if (p->seq == seq)
		*out = p->f;
	else
		free_frames(&p->f);
	memset(&p->f, 0, sizeof(p->f));
	t->free_pend[t->nfree++] = *slot - 1;
	index_del(&t->by_tid, tid);
	return 0;
}

static void pend_free(struct pendtab *t)
{
	for (size_t i = 0; i < t->npend; i++)
		free_frames(&t->pend[i].f);
	index_free(&t->by_tid);
	free(t->pend);
	free(t->free_pend);
}

int ustacks_sample(struct ustacks *u, const struct ustk_sample *s)
{
	struct pendtab *t = s->kind == USTK_WAKER ? &u->wakers : &u->waiting;
	struct pend *p = pend_put(t, s->kind == USTK_WAKER ? s->wakee : s->tid);
	char *names[USTACK_DEPTH];
	int n, own;

	if (!p)
		return -ENOMEM;
	n = unwind_sample(u->uw, s, names, USTACK_DEPTH, &own);
	if (n && !(p->f.names = malloc(n * sizeof(*names)))) {
		while (n--)
			free(names[n]);
		return -ENOMEM;
	}
	if (n)
		memcpy(p->f.names, names, n * sizeof(*names));
	p->f.n = n;
	p->f.own = own;
	p->seq = s->seq;
	return 0;
}

static __u64 hash_names(__u64 h, char **names, __u32 n)
{
	for (__u32 i = 0; i < n; i++)
		for (const char *c = names[i]; ; c++) {
			h = (h ^ (unsigned char)*c) * 1099511628211ull;
			if (!*c)
				break;
		}
	return (h ^ n) * 1099511628211ull;
}

static __u64 hash_of(const struct offcpu_key *k, const struct frames *f, const struct frames *w)
{
	const unsigned char *b = (const unsigned char *)k;
	__u64 h = 1469598103934665603ull;

	for (size_t i = 0; i < sizeof(*k); i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return hash_names(hash_names(h, f->names, f->n), w->names, w->n);
}

static int same(const struct trace_offcpu *e, const struct offcpu_key *k, const struct frames *f,
		const struct frames *w)
{
	return !memcmp(&e->key, k, sizeof(*k)) &&
	       !trace_frames_cmp(e->user, e->nuser, f->names, f->n) &&
	       !trace_frames_cmp(e->wuser, e->nwuser, w->names, w->n);
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
		const struct trace_offcpu *e = &u->e[i];
		struct frames f = { e->user, e->nuser, e->own }, w = { e->wuser, e->nwuser, e->wown };
		size_t h = hash_of(&e->key, &f, &w) % nslot;

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
	struct frames f, wf = {};
	struct trace_offcpu *e;
	size_t h;

	/* the waiter's frames, and its waker's if it was sampled (wuser 0) */
	if (pend_take(&u->waiting, key.tid, w->seq, &f) ||
	    (key.wtid && pend_take(&u->wakers, key.tid, w->seq, &wf)))
		goto nomem;
	if (key.user || !f.n)
		free_frames(&f);
	if (!key.wtid || key.wuser || !wf.n)
		free_frames(&wf);
	if (!f.n && key.state != OFF_R)	/* waits: the preemptions' are said apart */
		u->none++;
	/* in the key, whether there are frames; the frames beside it */
	key.user = f.n ? 0 : -1;
	key.wuser = wf.n ? 0 : -1;
	if (grow(u))
		goto nomem;
	h = hash_of(&key, &f, &wf) % u->nslot;
	while (u->slot[h] && !same(&u->e[u->slot[h] - 1], &key, &f, &wf))
		h = (h + 1) % u->nslot;
	if (u->slot[h]) {
		e = &u->e[u->slot[h] - 1];
		free_frames(&f);
		free_frames(&wf);
	} else if (u->n >= MAX_OFFCPU) {	/* the kernel's table's room, counted as it does */
		u->lost++;
		free_frames(&f);
		free_frames(&wf);
		return 0;
	} else {
		e = &u->e[u->n];
		memset(e, 0, sizeof(*e));
		e->key = key;
		e->user = f.names, e->nuser = f.n, e->own = f.own;
		e->wuser = wf.names, e->nwuser = wf.n, e->wown = wf.own;
		u->slot[h] = ++u->n;
	}
	e->val.count++;
	e->val.total_ns += w->ns;
	if (w->ns > e->val.max_ns)
		e->val.max_ns = w->ns;
	e->val.slots[log2_slot(w->ns)]++;
	return 0;
nomem:
	free_frames(&f);
	free_frames(&wf);
	return -ENOMEM;
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

__u64 ustacks_lost(const struct ustacks *u)
{
	return u->lost;
}

__u64 ustacks_stale(const struct ustacks *u)
{
	return unwind_stale(u->uw);
}

void ustacks_free(struct ustacks *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->n; i++) {
		struct frames f = { u->e[i].user, u->e[i].nuser, 0 };
		struct frames w = { u->e[i].wuser, u->e[i].nwuser, 0 };

		free_frames(&f);
		free_frames(&w);
	}
	pend_free(&u->waiting);
	pend_free(&u->wakers);
	free(u->e);
	free(u->slot);
	unwind_free(u->uw);
	free(u);
}
