// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "io/evcsv.h"
#include "io/metarows.h"
#include "io/stackrows.h"

enum mtype { M_STR, M_U64, M_S64 };

#define F(name, type) { #name, type, offsetof(struct run_meta, name), \
			sizeof(((struct run_meta *)0)->name) }

static const struct {
	const char *key;
	enum mtype type;
	size_t off, size;
} fields[] = {
	F(workload, M_STR), F(command, M_STR), F(result, M_STR),
	F(exit_code, M_S64), F(partial, M_U64), F(signal, M_U64),
	F(leftovers, M_U64), F(attached, M_U64), F(wall_ns, M_U64),
	F(cpu_user_us, M_U64), F(cpu_sys_us, M_U64), F(steal_ns, M_U64),
	F(rusage_vol, M_U64), F(rusage_invol, M_U64), F(tracer_rss_kib, M_U64),
	F(tracer_cpu_run_us, M_U64), F(tracer_cpu_post_us, M_U64),
	F(capture_lost, M_U64), F(cut_short, M_U64), F(machine, M_STR),
	F(killed, M_U64),
};

static const char *const cat_names[NR_CATS] = { "tree", "other", "idle" };


static void row_u64(meta_put_fn row, void *c, const char *key, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	row(c, key, buf);
}

void meta_begin(meta_put_fn row, void *c, uint64_t t_start, int ncpus,
		uint64_t interval_ns, unsigned int max_pairs)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%d", EVCSV_SCHEMA);
	row(c, "schema_version", buf);
	row_u64(row, c, "t_start_ns", t_start);
	row_u64(row, c, "ncpus", ncpus);
	row_u64(row, c, "interval_ns", interval_ns);
	if (max_pairs)	/* --max-pairs: the replay's room is the kernel's */
		row_u64(row, c, "max_pairs", max_pairs);
}

void meta_write(meta_put_fn row, void *c, const struct run_meta *m,
		const struct trace_data *td, int partial)
{
	char key[64];

	row_u64(row, c, "t_end_ns", td->t_end);
	row_u64(row, c, "features", td->features);
	row(c, "missing", td->missing);
	for (int cpu = 0; cpu < td->ncpus; cpu++)
		for (int k = 0; k < NR_CATS; k++) {
			snprintf(key, sizeof(key), "cpu%d_%s_ns", cpu, cat_names[k]);
			row_u64(row, c, key, td->cpu_ns[cpu][k]);
		}
	for (unsigned int id = 0; id < NR_CNT; id++)
		if (counter_is_kernel_only(id) && td->cnt[id]) {
			snprintf(key, sizeof(key), "cnt%u", id);
			row_u64(row, c, key, td->cnt[id]);
		}
	for (size_t i = 0; i < td->nends; i++) {
		snprintf(key, sizeof(key), "runtime_end_%u", td->ends[i].tid);
		row_u64(row, c, key, td->ends[i].runtime);
	}
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *p = (const char *)m + fields[i].off;
		char buf[32];

		if (fields[i].type == M_STR) {
			row(c, fields[i].key, p);
			continue;
		}
		if (fields[i].type == M_U64)
			snprintf(buf, sizeof(buf), "%" PRIu64, *(const uint64_t *)p);
		else
			snprintf(buf, sizeof(buf), "%" PRId64, *(const int64_t *)p);
		row(c, fields[i].key, buf);
	}
	stackrows_write(row, c, td);
	row(c, "end", partial ? "partial" : "complete");
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-')
		return -1;
	*v = strtoull(s, &end, 10);
	return *end ? -1 : 0;
}

int meta_set(struct run_meta *m, struct trace_data *td, const char *key,
	     const char *value)
{
	unsigned int cpu, id;
	uint64_t v = 0;
	char cat[16];
	int n;

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		char *p = (char *)m + fields[i].off;
		char *end;

		if (strcmp(key, fields[i].key))
			continue;
		if (fields[i].type == M_STR) {
			snprintf(p, fields[i].size, "%s", value);
			return 0;
		}
		if (fields[i].type == M_S64) {
			*(int64_t *)p = strtoll(value, &end, 10);
			return *value && !*end ? 0 : -1;
		}
		return parse_u64(value, (uint64_t *)p);
	}
	if (!strncmp(key, "stack", 5) || !strcmp(key, "futex_name"))
		return stackrows_set(td, key, value);
	if (!strcmp(key, "missing")) {
		snprintf(td->missing, sizeof(td->missing), "%s", value);
		return 0;
	}
	if (parse_u64(value, &v))
		return -1;
	if (!strcmp(key, "t_start_ns"))
		td->t_start = v;
	else if (!strcmp(key, "t_end_ns"))
		td->t_end = v;
	else if (!strcmp(key, "features"))
		td->features = v;
	else if (!strcmp(key, "max_pairs")) {
		if (v < 1 || v > 1 << 20)	/* --max-pairs' range */
			return -1;
		td->max_pairs = v;
	}
	else if (!strcmp(key, "interval_ns")) {
		if (v < 1000000 || v > 3600000000000ull)	/* --interval's range */
			return -1;
		td->interval_ns = v;
	}
	else if (!strcmp(key, "ncpus")) {
		if (td->cpu_ns || v < 1 || v > 4096)
			return -1;	/* once, and sane */
		td->cpu_ns = calloc(v, sizeof(*td->cpu_ns));
		if (!td->cpu_ns)
			return -1;
		td->ncpus = v;
	} else if ((n = -1, sscanf(key, "cpu%u_%15[a-z]_ns%n", &cpu, cat, &n) == 2) &&
		   n > 0 && !key[n] && cpu < (unsigned int)td->ncpus) {
		for (int k = 0; k < NR_CATS; k++)
			if (!strcmp(cat, cat_names[k]))
				td->cpu_ns[cpu][k] = v;
	} else if ((n = -1, sscanf(key, "cnt%u%n", &id, &n) == 1) && n > 0 && !key[n] &&
		   id < NR_CNT && counter_is_kernel_only(id)) {
		td->cnt[id] = v;
	} else if ((n = -1, sscanf(key, "runtime_end_%u%n", &id, &n) == 1) && n > 0 &&
		   !key[n]) {
		return trace_add_end(td, id, v);
	} else {
		return -1;
	}
	return 0;
}
