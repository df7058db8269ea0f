// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The registry of the claims (claims_*.c: each file its claims' thresholds,
 * measurements and verdicts; runs.c: the runs they share) and the
 * measurement sets verify fills for them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "verify/verdict.h"

static const struct claim_def *const claims[] = {
	&claim_C1, &claim_C2, &claim_C3, &claim_C4, &claim_C5, &claim_C6, &claim_C7,
	&claim_C8, &claim_C9, &claim_C10, &claim_C11, &claim_C12, &claim_C13, &claim_C14,
	&claim_C15, &claim_E1, &claim_E2, &claim_E3, &claim_E4, &claim_E5,
};

#define NCLAIMS (sizeof(claims) / sizeof(claims[0]))

size_t claim_count(void)
{
	return NCLAIMS;
}

const struct claim *claim_at(size_t i)
{
	return i < NCLAIMS ? &claims[i]->c : NULL;
}

const struct claim *claim_find(const char *id)
{
	for (size_t i = 0; i < NCLAIMS; i++)
		if (!strcasecmp(claims[i]->c.id, id))
			return &claims[i]->c;
	return NULL;
}

const struct meas_spec *claim_spec(const struct claim *c, const char *name)
{
	for (const struct meas_spec *m = c->specs; m->name; m++)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

void claims_of_workload(const char *name, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < NCLAIMS; i++) {
		const struct claim *c = &claims[i]->c;
		const struct meas_spec *m;

		for (m = c->specs; m->name; m++)
			if (!strcmp(run_specs[m->run].workload, name))
				break;
		if (m->name && n < len)
			n += snprintf(buf + n, len - n, "%s%s", n ? "," : "", c->id);
	}
}

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case V_HOLDS:
		return "holds";
	case V_PARTLY:
		return "partly";
	case V_FAILS:
		return "does not hold";
	case V_DEPENDS:
		return "depends";
	default:
		return "not measured";
	}
}

const char *claim_verdict_name(const struct claim *c, enum verdict v)
{
	if (!c->bench)
		return verdict_name(v);
	return v == V_HOLDS ? "reproduced" : v == V_FAILS ? "not reproduced" : verdict_name(v);
}

int mset_get(const struct mset *s, const char *name, double *v)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->m[i].name, name)) {
			*v = s->m[i].value;
			return 0;
		}
	return -ENOENT;
}

int mset_put(struct mset *s, const char *name, double v, const char *unit,
	     const char *article, int derived)
{
	struct meas *m = NULL;

	for (int i = 0; i < s->n && !m; i++)
		if (!strcmp(s->m[i].name, name))
			m = &s->m[i];
	if (!m) {
		if (s->n >= MSET_MAX)
			return -ENOSPC;
		m = &s->m[s->n++];
	}
	snprintf(m->name, sizeof(m->name), "%s", name);
	snprintf(m->unit, sizeof(m->unit), "%s", unit ? unit : "");
	snprintf(m->article, sizeof(m->article), "%s", article ? article : "");
	m->value = v;
	m->derived = derived;
	return 0;
}

void claim_judge(const struct claim *cl, struct mset *s, struct judgement *j)
{
	struct jc c = { .s = s, .j = j };
	double inter;

	memset(j, 0, sizeof(*j));
	if (*s->skipped) {
		j->v = V_NONE;
		snprintf(j->why, sizeof(j->why), "%s", s->skipped);
		return;
	}
	for (size_t i = 0; i < NCLAIMS; i++)
		if (&claims[i]->c == cl)
			claims[i]->fn(&c);
	if (!mset_get(s, INTERFERENCE_NAME, &inter) && inter > INTERFERENCE_NOTE_PCT)
		snprintf(j->note, sizeof(j->note), "other tasks took up to %.0f%% of a CPU "
			 "this claim's workloads used: figures may be inflated", inter);
}
