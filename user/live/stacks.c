// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* --stacks: the processes noted while they live, the table read at the end. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "core/log.h"
#include "live/ehtab.h"
#include "live/stacks.h"
#include "live/symbols.h"
#include "live/thread.h"
#include "live/ustacks.h"
#include "live/pidns.h"

/*
 * --unwind dwarf: the ring's samples and waits wait here, in order, for a
 * thread of their own, so that an unwinding that takes long holds up no
 * ring (a process's first can load a debug file for ~40 ms, while a
 * ping-pong fills the 16 MiB ring in ~20 ms)
 */
#define POLL_NS		1000000	/* an idle unwinder looks again after */
#define QUEUE_BYTES	(128ul << 20)	/* ~8,000 copies: a stall, not an unwinder always behind */

struct rec {
	struct rec *next;
	size_t size;
	char data[];
};

struct stacks {
	struct symbols *sy;
	struct ustacks *dwarf;		/* --unwind dwarf */
	struct ehtab *eh;		/* --unwind ehframe */
	struct ring_buffer *rb;
	struct ring_reader *reader;
	int failed;			/* out of memory in the reader */
	/* --unwind dwarf: the queue and its thread */
	pthread_t unwinder;
	int unwinding, quit, unwind_failed;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct rec *head, **tail;
	size_t queued;			/* bytes (read without the lock by the reader) */
	__u64 dropped;			/* samples past QUEUE_BYTES */
};

static void *unwind_loop(void *arg)
{
	struct stacks *s = arg;

	/* ahead of the workload, as the reader: a backlog is memory (and waits unnamed if it dies) */
	setpriority(PRIO_PROCESS, syscall(SYS_gettid), -20);
	pthread_mutex_lock(&s->mu);
	for (;;) {
		struct rec *r;

		/*
		 * Woken by the clock, not by each record: a wake-up per copy was
		 * a context switch per copy (60% of tracer's CPU, 38 us a wait)
		 */
		while (!s->head && !s->quit) {
			struct timespec t;

			clock_gettime(CLOCK_REALTIME, &t);
			t.tv_nsec += POLL_NS;
			if (t.tv_nsec >= 1000000000) {
				t.tv_sec++;
				t.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&s->cv, &s->mu, &t);
		}
		if (!(r = s->head))
			break;
		if (!(s->head = r->next))
			s->tail = &s->head;
		__atomic_sub_fetch(&s->queued, r->size, __ATOMIC_RELAXED);
		pthread_mutex_unlock(&s->mu);
		if (*(__u32 *)r->data == USTK_WAIT)
			s->unwind_failed |= ustacks_wait(s->dwarf, (void *)r->data);
		else
			s->unwind_failed |= ustacks_sample(s->dwarf, (void *)r->data);
		free(r);
		pthread_mutex_lock(&s->mu);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* A sample or a wait to the unwinder; a sample past the queue's room is dropped, counted */
static int queue_rec(struct stacks *s, const void *data, size_t size, int sample)
{
	struct rec *r;

	if (sample && __atomic_load_n(&s->queued, __ATOMIC_RELAXED) + size > QUEUE_BYTES) {
		s->dropped++;
		return 0;
	}
	if (!(r = malloc(sizeof(*r) + size)))
		return -1;
	r->next = NULL;
	r->size = size;
	memcpy(r->data, data, size);
	pthread_mutex_lock(&s->mu);
	*s->tail = r;
	s->tail = &r->next;
	__atomic_add_fetch(&s->queued, size, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&s->mu);
	return 0;
}

/* Have the unwinder finish the queue, and stop */
static void unwinder_stop(struct stacks *s)
{
	if (!s->unwinding)
		return;
	pthread_mutex_lock(&s->mu);
	s->quit = 1;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->unwinder, NULL);
	s->unwinding = 0;
	s->failed |= s->unwind_failed;
}

/*
 * A process blocked for the first time: its mappings, now (4 bytes). With
 * --unwind dwarf, a sample and the wait it began, queued for the unwinder.
 */
static int on_new(void *ctx, void *data, size_t size)
{
	struct stacks *s = ctx;
	__u32 kind = size >= sizeof(__u32) ? *(__u32 *)data : 0;

	if (size == sizeof(__u32)) {	/* a first block, or the first after an exec */
		symbols_renote(s->sy, kind);
		if (s->eh)	/* the rows its walks need, from its next wait on */
			s->failed |= ehtab_note(s->eh, kind);
	}
	else if (s->dwarf && (kind == USTK_SAMPLE || kind == USTK_WAKER) &&
		 size > offsetof(struct ustk_sample, data) &&
		 ((struct ustk_sample *)data)->len <= size - offsetof(struct ustk_sample, data))
		s->failed |= queue_rec(s, data, size, 1);
	else if (s->dwarf && kind == USTK_WAIT && size == sizeof(struct ustk_wait))
		s->failed |= queue_rec(s, data, size, 0);
	else if (s->eh && kind == USTK_EH_ASK && size == sizeof(struct eh_ask)) {
		/* code mapped since (a library): its rows, and its names */
		symbols_renote(s->sy, ((struct eh_ask *)data)->tgid);
		s->failed |= ehtab_note(s->eh, ((struct eh_ask *)data)->tgid);
	}
	return 0;
}

struct stacks *stacks_start(int new_fd, int dwarf, int eh_rows_fd, int eh_idx_fd,
			    int eh_procs_fd)
{
	struct stacks *s = calloc(1, sizeof(*s));
	int err;

	if (!s || !(s->sy = symbols_new()) || (dwarf && !(s->dwarf = ustacks_new())) ||
	    (eh_rows_fd >= 0 && !(s->eh = ehtab_new(eh_rows_fd, eh_idx_fd, eh_procs_fd)))) {
		if (s) {
			symbols_free(s->sy);
			ustacks_free(s->dwarf);
		}
		free(s);
		errno = ENOMEM;
		return NULL;
	}
	s->tail = &s->head;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	if (s->dwarf) {
		err = quiet_thread(&s->unwinder, unwind_loop, s);
		if (err) {
			stacks_free(s);
			errno = err;
			return NULL;
		}
		s->unwinding = 1;
	}
	s->rb = ring_buffer__new(new_fd, on_new, s, NULL);
	if (!s->rb || !(s->reader = ring_reader_start(s->rb))) {
		err = errno;
		stacks_free(s);
		errno = err;
		return NULL;
	}
	return s;
}

/*
 * The names of stack id of map fd (depth frames) in tgid (0: kernel),
 * innermost first; 0 frames if none.
 */
static int name_stack(struct stacks *s, int fd, __u32 depth, __s32 id, __u32 tgid, char ***out,
		      __u32 *n, __u32 *own)
{
	__u64 ips[USTACK_DEPTH > KSTACK_DEPTH ? USTACK_DEPTH : KSTACK_DEPTH] = {};
	char buf[256];

	*out = NULL;
	*n = 0;
	*own = 0;
	if (id < 0 || bpf_map_lookup_elem(fd, &id, ips))
		return 0;
	for (*n = 0; *n < depth && ips[*n]; (*n)++)
		;
	if (!*n)
		return 0;
	/*
	 * The kernel stack starts in tracer's own programs: from the
	 * scheduler on, past the outermost frame of the tracepoint's call
	 * (__traceiter_*, __bpf_trace_*, bpf_trace_run*, the programs)
	 */
	if (!tgid) {
		static const char *const ours[] = { "__traceiter_", "__bpf_trace_", "bpf_trace_run",
						    "bpf_prog_" };
		__u32 skip = 0;

		/* the leading run of them only: bpf_prog_load is the kernel's own */
		for (int mine = 1; mine && skip < *n && skip < 16; skip += mine) {
			const char *f = symbols_name(s->sy, 0, ips[skip], buf, sizeof(buf));

			mine = 0;
			for (size_t k = 0; k < sizeof(ours) / sizeof(ours[0]); k++)
				if (!strncmp(f, ours[k], strlen(ours[k])))
					mine = 1;
		}
		memmove(ips, ips + skip, (*n - skip) * sizeof(ips[0]));
		*n -= skip;
	}
	*out = calloc(*n ? *n : 1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (__u32 i = 0; i < *n; i++) {
		if (!((*out)[i] = strdup(symbols_name(s->sy, tgid, ips[i], buf, sizeof(buf))))) {
			*n = i;		/* what is named, freed by its owner */
			return -ENOMEM;
		}
		/*
		 * Two frames in a row in no mapping: the frame-pointer walk went
		 * through code that keeps none and read on from garbage (one alone
		 * may be code in a mapping not read: a library loaded later)
		 */
		if (tgid && i && !strncmp((*out)[i], "[unknown]", 9) &&
		    !strncmp((*out)[i - 1], "[unknown]", 9))
			*n = i;
	}
	for (*own = 0; tgid && *own < *n &&
	     symbols_is_libc(symbols_file(s->sy, tgid, ips[*own])); (*own)++)
		;
	return 0;
}

/* A waker's name while it lives (one outside the tree has no other) */
static void waker_comm(__u32 tgid, __u32 tid, char comm[COMM_LEN])
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/task/%u/comm", pidns_local(tgid),
		 pidns_local(tid));
	f = fopen(path, "r");
	if (!f)
		return;
	if (fgets(comm, COMM_LEN, f))
		comm[strcspn(comm, "\n")] = 0;
	fclose(f);
}

/* An entry's kernel stack and its waker's stacks, named */
static int name_entry(struct stacks *s, struct trace_offcpu *o, int ustacks_fd, int kstacks_fd)
{
	__u32 own;
	int err = name_stack(s, kstacks_fd, KSTACK_DEPTH, o->key.kern, 0, &o->kern, &o->nkern,
			     &own);

	if (err || !o->key.wtid)
		return err;
	waker_comm(o->key.wtgid, o->key.wtid, o->wcomm);
	if (!s->dwarf) {	/* --unwind dwarf: named as they came */
		if (o->key.wuser >= 0)
			symbols_note(s->sy, o->key.wtgid);
		err = name_stack(s, ustacks_fd, USTACK_DEPTH, o->key.wuser, o->key.wtgid,
				 &o->wuser, &o->nwuser, &o->wown);
	}
	if (!err)
		err = name_stack(s, kstacks_fd, KSTACK_DEPTH, o->key.wkern, 0, &o->wkern,
				 &o->nwkern, &own);
	return err;
}

/* --unwind dwarf: the entries ustacks aggregated, user frames named already */
static int name_dwarf(struct stacks *s, int ustacks_fd, int kstacks_fd, struct trace_data *td)
{
	int err = 0;

	td->offcpu = ustacks_take(s->dwarf, &td->noffcpu);
	td->stacks_unwound_none = ustacks_unwound_none(s->dwarf);
	td->cnt[CNT_OFFCPU_LOST] += ustacks_lost(s->dwarf);
	for (size_t i = 0; !err && i < td->noffcpu; i++)
		err = name_entry(s, &td->offcpu[i], ustacks_fd, kstacks_fd);
	td->stacks_unresolved = symbols_missed(s->sy);
	return err;
}

/*
 * --unwind ehframe: the rows of the files the command will map first, made
 * before it starts: its program (exe: a path, or a name PATH finds) and
 * the C library and loader, tracer's own. 0, or -ENOMEM.
 */
int stacks_eh_preload(struct stacks *s, const char *exe)
{
	char line[4096], path[4096];
	int err = 0;
	FILE *f;

	if (!s->eh)
		return 0;
	if (exe && strchr(exe, '/'))
		err = ehtab_preload(s->eh, exe);
	else if (exe) {
		const char *p = getenv("PATH") ?: "/usr/bin:/bin";

		for (; *p && !err; p += strcspn(p, ":") + !!p[strcspn(p, ":")]) {
			struct stat st;
			int n = strcspn(p, ":");

			snprintf(path, sizeof(path), "%.*s/%s", n ? n : 1, n ? p : ".", exe);
			if (!stat(path, &st) && S_ISREG(st.st_mode) && !access(path, X_OK)) {
				err = ehtab_preload(s->eh, path);
				break;
			}
		}
	}
	f = fopen("/proc/self/maps", "re");
	while (!err && f && fgets(line, sizeof(line), f)) {
		char *file = strchr(line, '/');

		if (!file || !strstr(line, " r-xp ") ||
		    (!strstr(file, "/libc.so") && !strstr(file, "/ld-linux")))
			continue;
		file[strcspn(file, "\n")] = 0;
		err = ehtab_preload(s->eh, file);
	}
	if (f)
		fclose(f);
	return err;
}

int stacks_collect(struct stacks *s, int offcpu_fd, int ustacks_fd, int kstacks_fd,
		   struct trace_data *td)
{
	struct offcpu_key key, next;
	void *prev = NULL;
	size_t cap = 0;
	int err = 0;

	ring_reader_stop(s->reader);	/* reads any still unread: if alive, noted */
	s->reader = NULL;
	unwinder_stop(s);
	/* samples the queue had no room for, or of an image gone when unwound */
	td->cnt[CNT_STACK_FAIL] += s->dropped + (s->dwarf ? ustacks_stale(s->dwarf) : 0);
	if (s->failed)
		return -ENOMEM;
	if (s->dwarf)	/* the waits, user frames named as they came */
		return name_dwarf(s, ustacks_fd, kstacks_fd, td);
	while (!err && !bpf_map_get_next_key(offcpu_fd, prev, &next)) {
		struct trace_offcpu *o;

		key = next;
		prev = &key;
		if (td->noffcpu == cap) {
			o = realloc(td->offcpu, (cap = cap ? 2 * cap : 256) * sizeof(*o));
			if (!o)
				return -ENOMEM;
			td->offcpu = o;
		}
		o = &td->offcpu[td->noffcpu];
		memset(o, 0, sizeof(*o));
		if (bpf_map_lookup_elem(offcpu_fd, &key, &o->val))
			continue;
		o->key = key;
		td->noffcpu++;
		symbols_note(s->sy, key.tgid);	/* one the ring did not tell (stk_procs full) */
		err = name_stack(s, ustacks_fd, USTACK_DEPTH, key.user, key.tgid, &o->user,
				 &o->nuser, &o->own);
		if (!err)
			err = name_entry(s, o, ustacks_fd, kstacks_fd);
	}
	td->stacks_unresolved = symbols_missed(s->sy);
	if (ehtab_files_missed(s->eh))
		pr_warn("--unwind ehframe: %llu mapped files without rows (no .eh_frame read, or "
			"no room): a walk ends in them", (unsigned long long)ehtab_files_missed(s->eh));
	if (ehtab_procs_missed(s->eh))
		pr_warn("--unwind ehframe: %llu processes' tables cut short or not kept (over %d "
			"code mappings, or %d processes at once)",
			(unsigned long long)ehtab_procs_missed(s->eh), EH_MAPS, MAX_EH_PROCS);
	return err;
}

int stacks_name_words(struct stacks *s, struct trace_data *td)
{
	int err = 0;

	/* the lock words: named by the variable that holds them */
	for (size_t i = 0; !err && i < td->nfutex; i++) {
		char buf[256];
		const char *name;

		symbols_note(s->sy, td->futex[i].key.tgid);
		name = symbols_data_name(s->sy, td->futex[i].key.tgid, td->futex[i].key.uaddr, buf,
					 sizeof(buf));
		if (name && !(td->futex[i].name = strdup(name)))
			err = -ENOMEM;
	}
	td->stacks_unresolved = symbols_missed(s->sy);
	return err;
}

void stacks_free(struct stacks *s)
{
	if (!s)
		return;
	ring_reader_stop(s->reader);
	unwinder_stop(s);
	while (s->head) {
		struct rec *r = s->head;

		s->head = r->next;
		free(r);
	}
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	ring_buffer__free(s->rb);
	symbols_free(s->sy);
	ustacks_free(s->dwarf);
	ehtab_free(s->eh);
	free(s);
}
