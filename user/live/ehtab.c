// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * --unwind ehframe (ehtab.h): .eh_frame turned into the kernel's rows. The
 * FDEs come from .eh_frame_hdr's sorted table; for each, libdw's CFI says
 * the rule at every address (dwarf_cfi_addrframe), kept where it is one
 * the kernel can follow: CFA = rsp or rbp + offset, rbp saved at CFA + n.
 * Anything else (a PLT's expression) is a row that ends the walk there.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <dwarf.h>
#include <gelf.h>
#include <elfutils/libdw.h>
#include <bpf/bpf.h>
#include "events.h"
#include "core/clock.h"
#include "core/log.h"
#include "live/ehtab.h"
#include "live/pidns.h"

#define EH_BUILD_S	10.0	/* the most a file's rows may take (python3's files in all: ~0.2 s) */

struct efile {
	uint64_t dev, ino;	/* as /proc/PID/maps says */
	uint32_t row, nrows;	/* in eh_rows; nrows 0: none (no CFI, no room) */
	uint32_t idx, nidx;	/* its buckets in eh_idx */
	uint64_t lo;		/* its first row's pc */
	uint64_t vaddr_off;	/* of its executable PT_LOAD: p_vaddr - p_offset */
};

struct ehtab {
	int rows_fd, idx_fd, procs_fd;
	uint32_t used, idx_used;	/* taken in eh_rows, eh_idx */
	struct efile *files;
	size_t nfiles;
	uint64_t missed;	/* files without rows: no CFI it reads, no room */
	uint64_t maps_cut;	/* processes with more executable mappings than EH_MAPS */
	uint64_t procs_full;	/* processes eh_procs had no room for */
	struct eh_row *rows;	/* one file's, being built */
	size_t nrows, cap;
};

struct ehtab *ehtab_new(int rows_fd, int idx_fd, int procs_fd)
{
	struct ehtab *t = calloc(1, sizeof(*t));

	if (t) {
		t->rows_fd = rows_fd;
		t->idx_fd = idx_fd;
		t->procs_fd = procs_fd;
	}
	elf_version(EV_CURRENT);
	return t;
}

static int add_row(struct ehtab *t, uint64_t pc, int reg, int64_t off, int bps, int64_t bpo)
{
	if (t->nrows >= MAX_EH_ROWS - t->used)	/* no room left for them: none of the file's */
		return -ENOSPC;
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 4096;
		struct eh_row *r = realloc(t->rows, cap * sizeof(*r));

		if (!r)
			return -ENOMEM;
		t->rows = r;
		t->cap = cap;
	}
	/* offsets past the row's fields: no rule the kernel can follow */
	if (off != (int32_t)off || bpo != (int16_t)bpo)
		reg = EH_CFA_NONE;
	t->rows[t->nrows++] = (struct eh_row){ .pc = pc, .cfa_off = off, .cfa_reg = reg,
					       .bp_saved = bps, .bp_off = bpo };
	return 0;
}

/* The rule at one address: the CFA's register and offset, where rbp was saved */
static void rule(Dwarf_Frame *f, int *reg, int64_t *off, int *bps, int64_t *bpo)
{
	Dwarf_Op *ops, mem[3];
	size_t nops;
	int r = -1;

	*reg = EH_CFA_NONE;
	*bps = 0;
	if (!dwarf_frame_cfa(f, &ops, &nops) && nops == 1) {
		if (ops[0].atom >= DW_OP_breg0 && ops[0].atom <= DW_OP_breg31) {
			r = ops[0].atom - DW_OP_breg0;
			*off = (Dwarf_Sword)ops[0].number;
		} else if (ops[0].atom == DW_OP_bregx) {
			r = ops[0].number;
			*off = (Dwarf_Sword)ops[0].number2;
		}
		/* DWARF's x86-64 numbers: 7 rsp, 6 rbp */
		*reg = r == 7 ? EH_CFA_RSP : r == 6 ? EH_CFA_RBP : EH_CFA_NONE;
	}
	/* the return address undefined: the outermost frame (_start, a thread's entry) */
	if (!dwarf_frame_register(f, 16, mem, &ops, &nops) && !nops && ops == mem)
		*reg = EH_CFA_NONE;
	/* saved at CFA + n (offset(n)); not val_offset(n), which ends in DW_OP_stack_value */
	if (!dwarf_frame_register(f, 6, mem, &ops, &nops) && nops >= 2 &&
	    ops[0].atom == DW_OP_call_frame_cfa) {
		if (nops == 2 && ops[1].atom == DW_OP_plus_uconst) {
			*bps = 1;
			*bpo = ops[1].number;
		} else if (nops == 3 && ops[1].atom == DW_OP_consts && ops[2].atom == DW_OP_plus) {
			*bps = 1;
			*bpo = (Dwarf_Sword)ops[1].number;
		}
	}
}

static int32_t rd32(const unsigned char *p)
{
	int32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* elf's rows into t->rows (file addresses), sorted; 0, -1 (no CFI it reads), -ENOMEM */
static int build_rows(struct ehtab *t, Elf *elf)
{
	Elf_Scn *scn = NULL;
	Elf_Data *hdr = NULL;
	uint64_t hdr_addr = 0;
	const unsigned char *h;
	Dwarf_CFI *cfi;
	size_t shstr;
	GElf_Shdr sh;
	uint32_t cnt;
	int err = 0;
	double until = mono_s() + EH_BUILD_S;

	t->nrows = 0;
	if (elf_getshdrstrndx(elf, &shstr))
		return -1;
	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type != SHT_NOBITS &&
		    !strcmp(elf_strptr(elf, shstr, sh.sh_name) ?: "", ".eh_frame_hdr")) {
			hdr = elf_getdata(scn, NULL);
			hdr_addr = sh.sh_addr;
		}
	cfi = hdr ? dwarf_getcfi_elf(elf) : NULL;
	/* version 1; eh_frame_ptr pcrel sdata4, count udata4, table datarel sdata4 */
	if (!cfi || !hdr->d_buf || hdr->d_size < 12)
		goto fail;
	h = hdr->d_buf;
	if (h[0] != 1 || h[1] != 0x1b || h[2] != 0x03 || h[3] != 0x3b)
		goto fail;
	cnt = rd32(h + 8);
	if (12 + 8 * (uint64_t)cnt > hdr->d_size)
		goto fail;
	for (uint32_t i = 0; i < cnt && !err; i++) {
		uint64_t a = hdr_addr + rd32(h + 12 + 8 * i);
		uint64_t next = i + 1 < cnt ? hdr_addr + rd32(h + 12 + 8 * (i + 1)) : UINT64_MAX;

		while (a < next && !err) {
			Dwarf_Addr s, e;
			Dwarf_Frame *f;
			int reg, bps;
			int64_t off = 0, bpo = 0;

			/* libdw replays an FDE from its start for each row: a file
			 * made to take minutes is given up on, not waited for */
			if (!(t->nrows & 255) && mono_s() > until) {
				err = -ETIMEDOUT;
				break;
			}
			if (dwarf_cfi_addrframe(cfi, a, &f))
				break;
			dwarf_frame_info(f, &s, &e, NULL);
			rule(f, &reg, &off, &bps, &bpo);
			free(f);
			err = add_row(t, a, reg, off, bps, bpo);
			if (e <= a)
				break;
			a = e;
		}
		/* past the FDE, before the next: no rule */
		if (!err && a < next)
			err = add_row(t, a, EH_CFA_NONE, 0, 0, 0);
	}
	dwarf_cfi_end(cfi);	/* before the caller's elf_end, as libdw asks */
	return err;
fail:
	if (cfi)
		dwarf_cfi_end(cfi);
	return -1;
}

/* n values of size sz into an array map from key first, in one call */
static int put(int fd, uint32_t first, const void *v, uint32_t n)
{
	uint32_t *keys = malloc(n * sizeof(*keys));
	__u32 count = n;
	int err;

	if (!keys)
		return -ENOMEM;
	for (uint32_t k = 0; k < n; k++)
		keys[k] = first + k;
	err = bpf_map_update_batch(fd, keys, v, &count, NULL);
	free(keys);
	return err || count != n ? -1 : 0;
}

/*
 * t->rows, a file's, into eh_rows, and their index into eh_idx: per
 * 64-byte bucket from the first row's pc, the row in force at its start.
 * 0, or -1 if they do not fit (the file is then without rows).
 */
static int load(struct ehtab *t, struct efile *f)
{
	uint64_t lo = t->rows[0].pc, span = t->rows[t->nrows - 1].pc - lo;
	uint32_t nidx = (span >> EH_BUCKET_SHIFT) + 1, *idx, j = 0;
	int err;

	if (t->nrows > MAX_EH_ROWS - t->used || nidx > MAX_EH_IDX - t->idx_used)
		return -1;
	idx = malloc(nidx * sizeof(*idx));
	if (!idx)
		return -1;
	for (uint32_t b = 0; b < nidx; b++) {
		uint64_t at = lo + ((uint64_t)b << EH_BUCKET_SHIFT);

		while (j + 1 < t->nrows && t->rows[j + 1].pc <= at)
			j++;
		idx[b] = j;
	}
	err = put(t->rows_fd, t->used, t->rows, t->nrows) ||
	      put(t->idx_fd, t->idx_used, idx, nidx);
	free(idx);
	if (err)
		return -1;
	f->row = t->used;
	f->nrows = t->nrows;
	f->idx = t->idx_used;
	f->nidx = nidx;
	f->lo = lo;
	t->used += t->nrows;
	t->idx_used += nidx;
	return 0;
}

/* The cached file of (dev, ino), or a new entry to fill: NULL if out of memory */
static struct efile *cached(struct ehtab *t, uint64_t dev, uint64_t ino, int *fresh)
{
	struct efile *f;

	*fresh = 0;
	for (size_t i = 0; i < t->nfiles; i++)
		if (t->files[i].dev == dev && t->files[i].ino == ino)
			return &t->files[i];
	f = realloc(t->files, (t->nfiles + 1) * sizeof(*f));
	if (!f)
		return NULL;
	t->files = f;
	f = &t->files[t->nfiles++];
	memset(f, 0, sizeof(*f));
	f->dev = dev;
	f->ino = ino;
	*fresh = 1;
	return f;
}

/*
 * f's rows from the ELF file open at fd: 0; 1 if it is no x86-64 ELF file
 * (a script: no rows, none missed); -ENOMEM.
 */
static int fill(struct ehtab *t, struct efile *f, int fd, const char *name)
{
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	GElf_Ehdr eh;
	int err = 0;
	size_t nph;

	/* the rules' register numbers, and the walk's 8-byte reads, are x86-64's */
	if (!elf || !gelf_getehdr(elf, &eh) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_machine != EM_X86_64 || elf_getphdrnum(elf, &nph)) {
		if (elf)
			elf_end(elf);
		return 1;
	}
	for (size_t k = 0; k < nph; k++) {
		GElf_Phdr ph;

		if (gelf_getphdr(elf, k, &ph) && ph.p_type == PT_LOAD && (ph.p_flags & PF_X))
			f->vaddr_off = ph.p_vaddr - ph.p_offset;
	}
	err = build_rows(t, elf);
	if (err) {	/* none of a file's rows if not all of them */
		t->nrows = 0;
		err = err == -ENOMEM ? -ENOMEM : 0;
	}
	if (!err && t->nrows && load(t, f))
		f->nrows = 0;
	if (!err && !f->nrows) {
		t->missed++;
		pr_debug("--unwind ehframe: no rows for %s", name);
	}
	elf_end(elf);
	return err;
}

/*
 * The file open at fd, its rows made once (keyed by what fstat says of it,
 * for a mapping and a path alike): NULL if out of memory, or not a file
 * with rows (*none set). Closes fd.
 */
static struct efile *file_at(struct ehtab *t, int fd, const char *name, int *none)
{
	struct efile *f = NULL;
	struct stat st;
	int fresh, err;

	*none = 1;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return NULL;
	}
	f = cached(t, st.st_dev, st.st_ino, &fresh);
	if (!f) {
		*none = 0;
		close(fd);
		return NULL;
	}
	if (fresh) {
		err = fill(t, f, fd, name);
		if (err < 0) {
			*none = 0;
			f = NULL;
		}
	}
	close(fd);
	*none = f && !f->nrows;
	return f;
}

int ehtab_preload(struct ehtab *t, const char *path)
{
	int none;

	return file_at(t, open(path, O_RDONLY | O_CLOEXEC), path, &none) || none ? 0 : -ENOMEM;
}

static int cmp_map(const void *a, const void *b)
{
	const struct eh_map *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Whether tgid is still a process with mappings (not gone, not a zombie) */
static int alive(uint32_t tgid)
{
	char path[64], c;
	FILE *f;
	int yes;

	snprintf(path, sizeof(path), "/proc/%u/maps", pidns_local(tgid));
	f = fopen(path, "re");
	yes = f && fread(&c, 1, 1, f) == 1;
	if (f)
		fclose(f);
	return yes;
}

int ehtab_note(struct ehtab *t, uint32_t tgid)
{
	struct eh_proc p = {};
	struct timespec now;
	char line[4096];
	uint32_t local = pidns_local(tgid);	/* /proc's number of it */
	FILE *maps;

	snprintf(line, sizeof(line), "/proc/%u/maps", local);
	maps = fopen(line, "re");
	if (!maps)
		return 0;	/* gone: nothing to walk */
	while (fgets(line, sizeof(line), maps)) {
		unsigned long long start, end, off, ino;
		unsigned int major, minor;
		struct efile *f = NULL;
		char perm[8], path[96];
		int none = 1;

		if (sscanf(line, "%llx-%llx %7s %llx %x:%x %llu", &start, &end, perm, &off,
			   &major, &minor, &ino) != 7 || perm[2] != 'x')
			continue;
		if (p.n == EH_MAPS) {
			t->maps_cut++;	/* a walk through the rest ends there */
			break;
		}
		if (ino) {
			/* the file the process maps, whatever its name now or in its namespace */
			snprintf(path, sizeof(path), "/proc/%u/map_files/%llx-%llx", local, start, end);
			f = file_at(t, open(path, O_RDONLY | O_CLOEXEC), path, &none);
			if (!f && !none) {
				fclose(maps);
				return -ENOMEM;
			}
		}
		/*
		 * Every executable mapping, with its rows or none (anonymous code,
		 * the vDSO, a file it cannot read): a walk that reaches one ends
		 * there, and asks for nothing again.
		 */
		p.m[p.n++] = f && f->nrows ?
			(struct eh_map){ .start = start, .end = end,
					 /* the file's address of the mapping's first byte */
					 .bias = start - (off + f->vaddr_off), .lo = f->lo,
					 .row = f->row, .nrows = f->nrows,
					 .idx = f->idx, .nidx = f->nidx } :
			(struct eh_map){ .start = start, .end = end };
	}
	fclose(maps);
	if (!p.n)
		return 0;	/* a zombie: no mappings */
	qsort(p.m, p.n, sizeof(p.m[0]), cmp_map);
	/* just read: a walk asks again only after EH_ASK_NS */
	clock_gettime(CLOCK_MONOTONIC, &now);
	p.asked_ns = now.tv_sec * 1000000000ull + now.tv_nsec;
	if (bpf_map_update_elem(t->procs_fd, &tgid, &p, BPF_ANY))
		t->procs_full++;
	else if (!alive(tgid))	/* gone meanwhile: its exit's delete came first */
		bpf_map_delete_elem(t->procs_fd, &tgid);
	return 0;
}

uint64_t ehtab_files_missed(const struct ehtab *t)
{
	return t ? t->missed : 0;
}

uint64_t ehtab_procs_missed(const struct ehtab *t)
{
	return t ? t->maps_cut + t->procs_full : 0;
}

void ehtab_free(struct ehtab *t)
{
	if (!t)
		return;
	free(t->files);
	free(t->rows);
	free(t);
}
