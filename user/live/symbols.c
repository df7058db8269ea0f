// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Names of stack addresses (live/symbols.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "live/symbols.h"
#include "live/pidns.h"

struct sym {
	uint64_t addr, size;	/* size 0: up to the next (kallsyms) */
	char *name;
};

struct elfsyms {		/* one file's function and data symbols, by address */
	char *path;
	struct sym *v, *data;
	size_t n, ndata;
	struct { uint64_t off, vaddr, filesz, memsz; uint32_t flags; } load[8];	/* PT_LOAD */
	int nload;
};

struct mapping {
	uint64_t start, end, off;
	struct elfsyms *file;
};

struct proc {
	uint32_t tgid;
	struct mapping *m;
	size_t n;
	int reread;		/* read again for an address in none (a library loaded since) */
};

struct symbols {
	struct sym *kern;
	size_t nkern;
	int kern_read;
	struct elfsyms **files;
	size_t nfiles;
	struct proc *procs;
	size_t nprocs;
};

/* One more symbol at the end of *v; -1 if out of memory */
static int push_sym(struct sym **v, size_t *n, size_t *cap, uint64_t addr, uint64_t size,
		    const char *name)
{
	if (*n == *cap) {
		size_t c = *cap ? 2 * *cap : 1024;
		struct sym *p = realloc(*v, c * sizeof(*p));

		if (!p)
			return -1;
		*v = p;
		*cap = c;
	}
	/* a symbol's version (pthread_cond_wait@@GLIBC_2.3.2) left out */
	(*v)[*n] = (struct sym){ addr, size, strndup(name, strcspn(name, "@")) };
	if (!(*v)[*n].name)
		return -1;
	(*n)++;
	return 0;
}

static int by_addr(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void read_kallsyms(struct symbols *sy)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512], name[256], type;
	unsigned long long a;
	size_t cap = 0;

	sy->kern_read = 1;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &a, &type, name) != 3 || !a ||
		    (type != 't' && type != 'T'))
			continue;
		if (push_sym(&sy->kern, &sy->nkern, &cap, a, 0, name))
			break;
	}
	fclose(f);
	qsort(sy->kern, sy->nkern, sizeof(*sy->kern), by_addr);
}

static void free_syms(struct elfsyms *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i].name);
	for (size_t i = 0; i < e->ndata; i++)
		free(e->data[i].name);
	free(e->v);
	free(e->data);
	e->v = e->data = NULL;
	e->n = e->ndata = 0;
}

/* The symbol table of elf: .symtab, else .dynsym; -1 if it has no .symtab. */
static int read_syms(Elf *elf, struct elfsyms *e, size_t *cap, size_t *dcap)
{
	Elf_Scn *scn = NULL, *dyn = NULL, *tab = NULL;
	Elf_Data *d;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB)
			tab = scn;
		else if (sh.sh_type == SHT_DYNSYM)
			dyn = scn;
	}
	scn = tab ? tab : dyn;
	if (!scn || !gelf_getshdr(scn, &sh))
		return -1;
	d = elf_getdata(scn, NULL);
	for (size_t i = 0; d && sh.sh_entsize && i < sh.sh_size / sh.sh_entsize; i++) {
		GElf_Sym sym;
		const char *name;

		if (!gelf_getsym(d, i, &sym) || !sym.st_value ||
		    !(name = elf_strptr(elf, sh.sh_link, sym.st_name)) || !*name)
			continue;
		if (GELF_ST_TYPE(sym.st_info) == STT_FUNC &&
		    push_sym(&e->v, &e->n, cap, sym.st_value, sym.st_size, name))
			break;
		/* a variable: what names a lock word in it */
		if (GELF_ST_TYPE(sym.st_info) == STT_OBJECT && sym.st_size &&
		    push_sym(&e->data, &e->ndata, dcap, sym.st_value, sym.st_size, name))
			break;
	}
	return tab ? 0 : -1;
}

/*
 * A stripped file's symbols from its debug file on this machine
 * (/usr/lib/debug/.build-id/xx/yyyy.debug, as Debian's -dbg packages
 * install them), found by its build id. 0 if read.
 */
static int read_debug_syms(Elf *elf, struct elfsyms *e, size_t *cap, size_t *dcap)
{
	Elf_Scn *scn = NULL;
	char path[PATH_MAX];
	int ret = -1;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		GElf_Nhdr nh;
		size_t off = 0, name_off, desc_off;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE || !(d = elf_getdata(scn, NULL)))
			continue;
		while ((off = gelf_getnote(d, off, &nh, &name_off, &desc_off))) {
			const unsigned char *id = (const unsigned char *)d->d_buf + desc_off;
			Elf *dbg;
			int len, fd;

			if (nh.n_type != NT_GNU_BUILD_ID || nh.n_namesz != 4 ||
			    memcmp((const char *)d->d_buf + name_off, "GNU", 4) || nh.n_descsz < 2 ||
			    nh.n_descsz > 64)
				continue;
			len = snprintf(path, sizeof(path), "/usr/lib/debug/.build-id/%02x/", id[0]);
			for (size_t i = 1; i < nh.n_descsz; i++)
				len += snprintf(path + len, sizeof(path) - len, "%02x", id[i]);
			snprintf(path + len, sizeof(path) - len, ".debug");
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				return -1;
			if ((dbg = elf_begin(fd, ELF_C_READ, NULL))) {
				ret = read_syms(dbg, e, cap, dcap);
				elf_end(dbg);
			}
			close(fd);
			return ret;
		}
	}
	return -1;
}

/*
 * The function and data symbols of path (.symtab; else those of its debug
 * file by build id, and .dynsym); NULL if out of memory.
 */
static struct elfsyms *elf_load(const char *path)
{
	struct elfsyms *e = calloc(1, sizeof(*e));
	size_t cap = 0, dcap = 0, nph;
	struct stat st;
	Elf *elf;
	int fd, pfd;

	if (!e || !(e->path = strdup(path)))
		goto fail;
	/* [vdso]: no file; a FIFO or device put where a mapped file was (its
	 * name in maps, " (deleted)" included) is not opened at all: looked at
	 * through O_PATH, and a regular file then opened through that */
	fd = -1;
	pfd = path[0] == '/' ? open(path, O_PATH | O_CLOEXEC) : -1;
	if (pfd >= 0 && !fstat(pfd, &st) && S_ISREG(st.st_mode)) {
		char self[48];

		snprintf(self, sizeof(self), "/proc/self/fd/%d", pfd);
		fd = open(self, O_RDONLY | O_CLOEXEC);
	}
	if (pfd >= 0)
		close(pfd);
	if (fd < 0)
		return e;	/* kept: its frames are file+offset */
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf)
		goto done;
	if (!elf_getphdrnum(elf, &nph)) {
		for (size_t i = 0; i < nph && e->nload < 8; i++) {
			GElf_Phdr ph;

			if (gelf_getphdr(elf, i, &ph) && ph.p_type == PT_LOAD) {
				e->load[e->nload].off = ph.p_offset;
				e->load[e->nload].vaddr = ph.p_vaddr;
				e->load[e->nload].memsz = ph.p_memsz;
				e->load[e->nload].flags = ph.p_flags;
				e->load[e->nload++].filesz = ph.p_filesz;
			}
		}
	}
	if (read_syms(elf, e, &cap, &dcap)) {	/* stripped: a debug file's table instead */
		struct elfsyms dbg = {};
		size_t c = 0, dc = 0;

		if (!read_debug_syms(elf, &dbg, &c, &dc)) {
			free_syms(e);
			e->v = dbg.v, e->n = dbg.n;
			e->data = dbg.data, e->ndata = dbg.ndata;
		} else {
			free_syms(&dbg);
		}
	}
	qsort(e->v, e->n, sizeof(*e->v), by_addr);
	qsort(e->data, e->ndata, sizeof(*e->data), by_addr);
	elf_end(elf);
done:
	close(fd);
	return e;
fail:
	free(e);
	return NULL;
}

static struct elfsyms *file_of(struct symbols *sy, const char *path)
{
	struct elfsyms **v, *e;

	for (size_t i = 0; i < sy->nfiles; i++)
		if (!strcmp(sy->files[i]->path, path))
			return sy->files[i];
	e = elf_load(path);
	if (!e || !(v = realloc(sy->files, (sy->nfiles + 1) * sizeof(*v)))) {
		free(e ? e->path : NULL);
		free(e);
		return NULL;
	}
	sy->files = v;
	return sy->files[sy->nfiles++] = e;
}

struct symbols *symbols_new(void)
{
	return calloc(1, sizeof(struct symbols));
}

static struct proc *proc_of(struct symbols *sy, uint32_t tgid)
{
	for (size_t i = 0; i < sy->nprocs; i++)
		if (sy->procs[i].tgid == tgid)
			return &sy->procs[i];
	return NULL;
}

/* p's mappings, read now from /proc (what it had before: gone) */
static int read_maps(struct symbols *sy, struct proc *p)
{
	char path[64], line[4096], file[4096];
	FILE *f;

	struct mapping *v = NULL;
	size_t n = 0;

	snprintf(path, sizeof(path), "/proc/%u/maps", pidns_local(p->tgid));
	f = fopen(path, "r");
	if (!f)		/* gone: what was read before (if any) stays */
		return -ESRCH;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long s, e, off;
		char perms[8];
		struct mapping *m;

		/*
		 * executable mappings: where code runs; the vDSO's and anonymous
		 * ones (a JIT's code) by offset, as [vdso] and [anon]
		 */
		file[0] = '\0';
		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %4095[^\n]", &s, &e, perms, &off,
			   file) < 4 || perms[2] != 'x')
			continue;
		if (!file[0])
			strcpy(file, "[anon]");
		else if (file[0] != '/' && strcmp(file, "[vdso]"))
			continue;
		m = realloc(v, (n + 1) * sizeof(*m));
		if (!m)
			break;
		v = m;
		v[n++] = (struct mapping){ s, e, off, file_of(sy, file) };
	}
	fclose(f);
	if (!n) {	/* a zombie's maps read empty: what was read before stays */
		free(v);
		return -ESRCH;
	}
	/*
	 * Read again (a library loaded since, an exec): what was mapped before
	 * and nothing now overlaps stays, for the stacks taken while it was
	 */
	for (size_t i = 0; i < p->n; i++) {
		size_t k = 0;
		struct mapping *m;

		while (k < n && (p->m[i].end <= v[k].start || p->m[i].start >= v[k].end))
			k++;
		if (k < n || !(m = realloc(v, (n + 1) * sizeof(*m))))
			continue;
		v = m;
		v[n++] = p->m[i];
	}
	free(p->m);
	p->m = v;
	p->n = n;
	return 0;
}

static int note(struct symbols *sy, uint32_t tgid, int fresh)
{
	struct proc *p = proc_of(sy, tgid);

	if (p)
		return fresh ? read_maps(sy, p) : 0;
	p = realloc(sy->procs, (sy->nprocs + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	sy->procs = p;
	p = &sy->procs[sy->nprocs++];
	memset(p, 0, sizeof(*p));
	p->tgid = tgid;
	return read_maps(sy, p);
}

int symbols_note(struct symbols *sy, uint32_t tgid)
{
	return note(sy, tgid, 0);
}

int symbols_renote(struct symbols *sy, uint32_t tgid)
{
	return note(sy, tgid, 1);
}

/* The symbol of v (sorted) that holds a; NULL if none does */
static const struct sym *find(const struct sym *v, size_t n, uint64_t a, int sized)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {	/* the last with addr <= a */
		size_t mid = (lo + hi) / 2;

		if (v[mid].addr <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	if (sized && a >= v[lo - 1].addr + v[lo - 1].size)
		return NULL;
	return &v[lo - 1];
}

int symbols_is_libc(const char *path)
{
	static const char *const libc[] = { "libc.so", "libc-", "libpthread", "ld-linux" };
	const char *base = path ? strrchr(path, '/') : NULL;

	base = base ? base + 1 : path ? path : "";
	for (size_t i = 0; i < sizeof(libc) / sizeof(libc[0]); i++)
		if (!strncmp(base, libc[i], strlen(libc[i])))
			return 1;
	return 0;
}

const char *symbols_file(struct symbols *sy, uint32_t tgid, uint64_t addr)
{
	struct proc *p = proc_of(sy, tgid);

	for (size_t i = 0; p && i < p->n; i++)
		if (addr >= p->m[i].start && addr < p->m[i].end)
			return p->m[i].file ? p->m[i].file->path : NULL;
	return NULL;
}

const char *symbols_name(struct symbols *sy, uint32_t tgid, uint64_t addr, char *buf,
			 size_t len)
{
	const struct sym *s;
	struct proc *p;

	if (!tgid) {
		if (!sy->kern_read)
			read_kallsyms(sy);
		s = find(sy->kern, sy->nkern, addr, 0);
		if (s)
			return s->name;
		snprintf(buf, len, "[kernel] 0x%" PRIx64, addr);
		return buf;
	}
	p = proc_of(sy, tgid);
again:
	for (size_t i = 0; p && i < p->n; i++) {
		struct mapping *m = &p->m[i];
		const char *base;
		uint64_t off;

		if (addr < m->start || addr >= m->end)
			continue;
		off = addr - m->start + m->off;
		base = !m->file ? "?" : strrchr(m->file->path, '/') ? strrchr(m->file->path, '/') + 1 :
		       m->file->path;
		for (int k = 0; m->file && k < m->file->nload; k++) {
			uint64_t lo = m->file->load[k].off;

			if (off < lo || off >= lo + m->file->load[k].filesz)
				continue;
			s = find(m->file->v, m->file->n, off - lo + m->file->load[k].vaddr, 1);
			if (s)
				return s->name;
		}
		snprintf(buf, len, "%s+0x%" PRIx64, base, off);
		return buf;
	}
	/* in no mapping read: one loaded since (dlopen), if the process lives on */
	if (p && !p->reread) {
		p->reread = 1;
		if (!read_maps(sy, p))
			goto again;
	}
	snprintf(buf, len, "[unknown] 0x%" PRIx64, addr);
	return buf;
}

/*
 * The variable of tgid that holds addr, as "name (file)": its files' load
 * bias from an executable mapping, then their PT_LOAD extents in memory
 * (with .bss, which may lie in an anonymous mapping past the file's).
 */
const char *symbols_data_name(struct symbols *sy, uint32_t tgid, uint64_t addr, char *buf,
			      size_t len)
{
	struct proc *p = proc_of(sy, tgid);

	for (size_t i = 0; p && i < p->n; i++) {
		struct mapping *m = &p->m[i];
		struct elfsyms *f = m->file;

		/* the executable segment this mapping holds: where its bytes are */
		for (int k = 0; f && k < f->nload; k++) {
			uint64_t lo = f->load[k].off, bias, va;
			const struct sym *s;

			if (!(f->load[k].flags & PF_X) || lo + f->load[k].filesz <= m->off ||
			    lo >= m->off + (m->end - m->start))
				continue;
			bias = m->start - m->off + lo - f->load[k].vaddr;
			va = addr - bias;
			for (int j = 0; j < f->nload; j++) {
				if (va < f->load[j].vaddr || va >= f->load[j].vaddr + f->load[j].memsz)
					continue;
				s = find(f->data, f->ndata, va, 1);
				if (!s)
					return NULL;
				snprintf(buf, len, "%s (%s)", s->name,
					 strrchr(f->path, '/') ? strrchr(f->path, '/') + 1 : f->path);
				return buf;
			}
			break;
		}
	}
	return NULL;
}

/*
 * Processes noted whose mappings were never read. Counted at the end: a
 * read that finds none (an exec under way, a zombie) may be followed by
 * one that does.
 */
uint64_t symbols_missed(const struct symbols *sy)
{
	uint64_t n = 0;

	for (size_t i = 0; i < sy->nprocs; i++)
		n += !sy->procs[i].n;
	return n;
}

void symbols_free(struct symbols *sy)
{
	if (!sy)
		return;
	for (size_t i = 0; i < sy->nkern; i++)
		free(sy->kern[i].name);
	free(sy->kern);
	for (size_t i = 0; i < sy->nfiles; i++) {
		for (size_t j = 0; j < sy->files[i]->n; j++)
			free(sy->files[i]->v[j].name);
		for (size_t j = 0; j < sy->files[i]->ndata; j++)
			free(sy->files[i]->data[j].name);
		free(sy->files[i]->v);
		free(sy->files[i]->data);
		free(sy->files[i]->path);
		free(sy->files[i]);
	}
	free(sy->files);
	for (size_t i = 0; i < sy->nprocs; i++)
		free(sy->procs[i].m);
	free(sy->procs);
	free(sy);
}
