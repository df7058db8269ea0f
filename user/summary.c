// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "summary.h"

void summary_add_tasks(struct summary *s, const __u32 *tids,
		       const struct task_stat *st, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int leader = tids[i] == st[i].tgid;

		s->tasks++;
		s->processes += leader;
		s->threads += !leader;
		/* getrusage folds a thread in before its final switch */
		if (!leader && (st[i].flags & TASK_F_EXITED))
			s->threads_exited++;
		s->switches_vol += st[i].switches_vol;
		s->switches_invol += st[i].switches_invol;
	}
}

size_t summary_parse_result(struct summary *s, const char *line)
{
	const char *p = line + strlen("result:");
	int klen, vlen;

	s->nwl = 0;
	while (s->nwl < SUMMARY_MAX_WL) {
		struct kv *kv = &s->wl[s->nwl];

		p += strspn(p, " \t");
		klen = strcspn(p, "= \t");
		if (!klen || p[klen] != '=')
			break;
		vlen = strcspn(p + klen + 1, " \t");
		snprintf(kv->key, sizeof(kv->key), "%.*s", klen, p);
		snprintf(kv->val, sizeof(kv->val), "%.*s", vlen, p + klen + 1);
		p += klen + 1 + vlen;
		s->nwl++;
	}
	return s->nwl;
}

int summary_switches_match(const struct summary *s)
{
	return s->switches_vol == s->rusage_vol + s->threads_exited &&
	       s->switches_invol == s->rusage_invol;
}

static void col(struct kv *cols, size_t *n, size_t max, const char *key,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void col(struct kv *cols, size_t *n, size_t max, const char *key,
		const char *fmt, ...)
{
	va_list ap;

	if (*n >= max)
		return;
	snprintf(cols[*n].key, sizeof(cols[*n].key), "%s", key);
	va_start(ap, fmt);
	vsnprintf(cols[*n].val, sizeof(cols[*n].val), fmt, ap);
	va_end(ap);
	(*n)++;
}

/* Columns are only ever added, never renamed: scripts depend on them. */
size_t summary_columns(const struct summary *s, struct kv *cols, size_t max)
{
	uint64_t sw = s->switches_vol + s->switches_invol;
	size_t n = 0;

	col(cols, &n, max, "schema_version", "1");
	col(cols, &n, max, "workload", "%s", s->workload);
	col(cols, &n, max, "command", "%s", s->command);
	col(cols, &n, max, "exit_status", "%d", s->exit_code);
	col(cols, &n, max, "partial", "%d", s->partial);
	col(cols, &n, max, "wall_s", "%.6f", s->wall_s);
	col(cols, &n, max, "cpu_user_s", "%.6f", s->cpu_user_s);
	col(cols, &n, max, "cpu_sys_s", "%.6f", s->cpu_sys_s);
	col(cols, &n, max, "tasks", "%" PRIu64, s->tasks);
	col(cols, &n, max, "processes", "%" PRIu64, s->processes);
	col(cols, &n, max, "threads", "%" PRIu64, s->threads);
	col(cols, &n, max, "threads_exited", "%" PRIu64, s->threads_exited);
	col(cols, &n, max, "switches", "%" PRIu64, sw);
	col(cols, &n, max, "switches_voluntary", "%" PRIu64, s->switches_vol);
	col(cols, &n, max, "switches_involuntary", "%" PRIu64, s->switches_invol);
	col(cols, &n, max, "switches_per_s", "%.1f", s->wall_s > 0 ? sw / s->wall_s : 0);
	col(cols, &n, max, "rusage_switches_voluntary", "%" PRIu64, s->rusage_vol);
	col(cols, &n, max, "rusage_switches_involuntary", "%" PRIu64, s->rusage_invol);
	col(cols, &n, max, "switches_match_rusage", "%d", summary_switches_match(s));
	col(cols, &n, max, "tasks_untracked", "%" PRIu64, s->tasks_untracked);
	for (size_t i = 0; i < s->nwl; i++) {
		char key[80];

		snprintf(key, sizeof(key), "wl_%s", s->wl[i].key);
		col(cols, &n, max, key, "%s", s->wl[i].val);
	}
	return n;
}
