// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "loader.h"
#include "log.h"
#include "sched.skel.h"

struct probes {
	struct sched_bpf *skel;
};

static const char *load_hint(int err)
{
	switch (err) {
	case -EPERM:
	case -EACCES:
		return "; run as root, or grant CAP_BPF and CAP_PERFMON";
	case -ENOSYS:
		return "; this kernel has no bpf() system call (CONFIG_BPF_SYSCALL)";
	case -EINVAL:
	case -E2BIG:
		return "; rerun with -vv to see the verifier log";
	default:
		return "";
	}
}

int probes__start(struct probes **out)
{
	struct probes *p = calloc(1, sizeof(*p));
	int err;

	if (!p)
		return -ENOMEM;
	p->skel = sched_bpf__open();
	if (!p->skel) {
		err = -errno;
		pr_err("failed to open BPF object: %s", strerror(-err));
		goto fail;
	}
	p->skel->rodata->cfg_launcher_tgid = getpid();

	err = sched_bpf__load(p->skel);
	if (err) {
		pr_err("failed to load BPF programs: %s%s", strerror(-err), load_hint(err));
		goto fail;
	}
	err = sched_bpf__attach(p->skel);
	if (err) {
		pr_err("failed to attach BPF programs: %s%s", strerror(-err), load_hint(err));
		goto fail;
	}
	*out = p;
	return 0;
fail:
	probes__destroy(p);
	return err;
}

int probes__task_exited(struct probes *p, __u32 tid)
{
	struct task_stat st;

	if (bpf_map__lookup_elem(p->skel->maps.tasks, &tid, sizeof(tid),
				 &st, sizeof(st), 0))
		return 0;
	return !!(st.flags & TASK_F_EXITED);
}

long probes__read_tasks(struct probes *p, __u32 *tids, struct task_stat *st,
			size_t max, struct trace_loss *loss)
{
	struct bpf_map *map = p->skel->maps.tasks;
	__u32 key, next;
	void *prev = NULL;
	size_t n = 0;

	*loss = p->skel->bss->loss;
	while (n < max && !bpf_map__get_next_key(map, prev, &next, sizeof(next))) {
		key = next;
		prev = &key;
		if (bpf_map__lookup_elem(map, &key, sizeof(key), &st[n],
					 sizeof(st[n]), 0))
			continue;	/* deleted meanwhile */
		tids[n++] = key;
	}
	return n;
}

void probes__destroy(struct probes *p)
{
	if (!p)
		return;
	sched_bpf__destroy(p->skel);
	free(p);
}
