// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Tids across a nested PID namespace (a container without the host's): the
 * BPF programs see the kernel's, /proc and the user this namespace's. The
 * table of both is read from the iterator when a tid is not in it yet (a
 * task born since); a tid gone since its row was read names nothing in
 * /proc, as a gone task's would.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "core/log.h"
#include "live/pidns.h"

struct pair {
	uint32_t kernel, local;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;	/* the stack reader asks too */
static int link_fd = -1;
static struct pair *tab;
static size_t ntab;

void pidns_set(int iter_link_fd)
{
	pthread_mutex_lock(&mu);
	link_fd = iter_link_fd;
	free(tab);
	tab = NULL;
	ntab = 0;
	pthread_mutex_unlock(&mu);
}

/* The table anew, from the iterator; -errno (the old one kept) */
static int reread(void)
{
	struct pair *v = NULL, *m;
	size_t n = 0, cap = 0;
	ssize_t got;
	int fd = bpf_iter_create(link_fd);

	if (fd < 0)
		return -errno;
	for (;;) {
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			if (!(m = realloc(v, cap * sizeof(*v)))) {
				got = -1;
				errno = ENOMEM;
				break;
			}
			v = m;
		}
		/* the iterator writes whole rows: a read ends on one's boundary */
		got = read(fd, v + n, (cap - n) * sizeof(*v));
		if (got <= 0)
			break;
		n += got / sizeof(*v);
	}
	close(fd);
	if (got < 0) {
		free(v);
		return -errno;
	}
	free(tab);
	tab = v;
	ntab = n;
	return 0;
}

static uint32_t find(uint32_t id, int to_local)
{
	for (size_t i = 0; i < ntab; i++)
		if ((to_local ? tab[i].kernel : tab[i].local) == id)
			return to_local ? tab[i].local : tab[i].kernel;
	return 0;
}

static uint32_t translate(uint32_t id, int to_local)
{
	static int warned;
	uint32_t r;
	int err;

	pthread_mutex_lock(&mu);
	if (link_fd < 0)
		r = id;
	else if (!(r = find(id, to_local)) && !(err = reread()))
		r = find(id, to_local);
	else if (!r && !warned++)	/* each task it names is taken as gone: said once */
		pr_warn("cannot read the tids of this PID namespace (BPF iterator): %s",
			strerror(-err));
	pthread_mutex_unlock(&mu);
	return r;
}

uint32_t pidns_local(uint32_t kernel)
{
	return translate(kernel, 1);
}

uint32_t pidns_kernel(uint32_t local)
{
	return translate(local, 0);
}
