// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The one parser of the workloads' result lines (summary, verify's twins). */
#include <stdio.h>
#include <string.h>
#include "core/result.h"

size_t result_parse(const char *line, struct kv *kv, size_t max)
{
	const char *p = line + strlen("result:");
	size_t n = 0;
	int klen, vlen;

	while (n < max) {
		struct kv *at = &kv[n];

		p += strspn(p, " \t\n");
		klen = strcspn(p, "= \t\n");
		if (!klen || p[klen] != '=')
			break;
		vlen = strcspn(p + klen + 1, " \t\n");
		snprintf(at->key, sizeof(at->key), "%.*s", klen, p);
		for (size_t i = 0; i < n; i++)
			if (!strcmp(kv[i].key, at->key))
				at = &kv[i];
		snprintf(at->val, sizeof(at->val), "%.*s", vlen, p + klen + 1);
		p += klen + 1 + vlen;
		n += at == &kv[n];
	}
	return n;
}
