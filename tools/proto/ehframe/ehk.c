// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Prototype: unwind a process's user stacks in the kernel from .eh_frame
 * tables loaded into a map, at each blocking switch-out; cost vs fp. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <time.h>
#include <gelf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <dwarf.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "ehk.h"
#include "ehk.skel.h"

static struct row *rows;
static size_t nrows, cap;

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

static void add(__u64 pc, int reg, __s64 off, int bps, __s64 bpo)
{
	if (nrows == cap) { cap = cap ? cap * 2 : 65536; rows = realloc(rows, cap * sizeof(*rows)); }
	rows[nrows++] = (struct row){ .pc = pc, .cfa_off = off, .cfa_reg = reg, .bp_saved = bps, .bp_off = bpo };
}

static int rd4(const unsigned char *p) { int v; memcpy(&v, p, 4); return v; }

/* the rows of one file mapped at bias: FDE starts from .eh_frame_hdr, rows from libdw */
static long file_rows(const char *path, __u64 bias, long *unsup)
{
	int fd = open(path, O_RDONLY);
	Elf *elf = fd >= 0 ? elf_begin(fd, ELF_C_READ_MMAP, NULL) : NULL;
	Elf_Scn *scn = NULL; GElf_Shdr sh; size_t shstr; long n0 = nrows;
	Elf_Data *hdr = NULL; __u64 hdr_addr = 0;
	Dwarf_CFI *cfi;

	if (!elf) return -1;
	elf_getshdrstrndx(elf, &shstr);
	while ((scn = elf_nextscn(elf, scn))) {
		gelf_getshdr(scn, &sh);
		if (!strcmp(elf_strptr(elf, shstr, sh.sh_name), ".eh_frame_hdr")) {
			hdr = elf_getdata(scn, NULL); hdr_addr = sh.sh_addr;
		}
	}
	cfi = dwarf_getcfi_elf(elf);
	if (!hdr || !cfi) { fprintf(stderr, "%s: no eh_frame_hdr/cfi\n", path); return -1; }
	const unsigned char *h = hdr->d_buf;
	if (h[0] != 1 || h[1] != 0x1b || h[2] != 0x03 || h[3] != 0x3b) { fprintf(stderr, "%s: hdr enc %x %x %x\n", path, h[1], h[2], h[3]); return -1; }
	unsigned cnt = rd4(h + 8);
	for (unsigned i = 0; i < cnt; i++) {
		__u64 start = hdr_addr + rd4(h + 12 + 8 * i);
		__u64 next = i + 1 < cnt ? hdr_addr + rd4(h + 12 + 8 * (i + 1)) : start + (1 << 20);
		__u64 a = start;
		while (a < next) {
			Dwarf_Frame *f; Dwarf_Addr s, e; Dwarf_Op *ops, mem[3]; size_t nops;
			int reg = CFA_NONE, bps = 0; __s64 off = 0, bpo = 0;
			if (dwarf_cfi_addrframe(cfi, a, &f)) break;
			dwarf_frame_info(f, &s, &e, NULL);
			if (!dwarf_frame_cfa(f, &ops, &nops) && nops == 1) {
				int r = -1;
				if (ops[0].atom >= DW_OP_breg0 && ops[0].atom <= DW_OP_breg31) { r = ops[0].atom - DW_OP_breg0; off = (Dwarf_Sword)ops[0].number; }
				else if (ops[0].atom == DW_OP_bregx) { r = ops[0].number; off = (Dwarf_Sword)ops[0].number2; }
				reg = r == 7 ? CFA_RSP : r == 6 ? CFA_RBP : CFA_NONE;
			}
			if (reg == CFA_NONE) (*unsup)++;
			if (!dwarf_frame_register(f, 6, mem, &ops, &nops) && nops >= 2 && ops[0].atom == DW_OP_call_frame_cfa) {
				if (ops[1].atom == DW_OP_plus_uconst) { bps = 1; bpo = ops[1].number; }
				else if (nops >= 3 && ops[1].atom == DW_OP_consts && ops[2].atom == DW_OP_plus) { bps = 1; bpo = (Dwarf_Sword)ops[1].number; }
			}
			add(a + bias, reg, off, bps, bpo);
			free(f);
			if (e <= a) break;
			a = e;
		}
		if (a < next) add(a + bias, CFA_NONE, 0, 0, 0);	/* a gap: no FDE */
	}
	return nrows - n0;
}

/* bias of a mapping: vaddr of file offset off is p_vaddr + off - p_offset */
static __u64 bias_of(const char *path, __u64 start, __u64 off)
{
	int fd = open(path, O_RDONLY); Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	size_t n; GElf_Phdr ph; __u64 b = 0;
	elf_getphdrnum(elf, &n);
	for (size_t i = 0; i < n; i++) {
		gelf_getphdr(elf, i, &ph);
		if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X) && off >= (ph.p_offset & ~0xfffUL) && off < ph.p_offset + ph.p_filesz)
			b = start - (ph.p_vaddr + off - ph.p_offset);
	}
	elf_end(elf); close(fd);
	return b;
}

static int cmp(const void *a, const void *b) { const struct row *x = a, *y = b; return x->pc < y->pc ? -1 : x->pc > y->pc; }

int main(int argc, char **argv)
{
	int pid = atoi(argv[1]), mode = !strcmp(argv[2], "fp"), secs = atoi(argv[3]);
	char path[4096], line[8192]; FILE *m; double t0 = now(); long unsup = 0;

	elf_version(EV_CURRENT);
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	m = fopen(path, "r");
	while (fgets(line, sizeof(line), m)) {
		unsigned long s, e, off; char perm[8], file[4096] = "";
		if (sscanf(line, "%lx-%lx %7s %lx %*s %*s %4095s", &s, &e, perm, &off, file) < 4) continue;
		if (perm[2] != 'x' || file[0] != '/') continue;
		__u64 b = bias_of(file, s, off);
		long n = file_rows(file, b, &unsup);
		fprintf(stderr, "%s: %ld rows (bias %llx)\n", file, n, (unsigned long long)b);
	}
	qsort(rows, nrows, sizeof(*rows), cmp);
	double t1 = now();
	struct ehk_bpf *sk = ehk_bpf__open();
	sk->bss->target_tgid = pid; sk->bss->mode = mode;
	if (ehk_bpf__load(sk)) { fprintf(stderr, "load failed\n"); return 1; }
	int rfd = bpf_map__fd(sk->maps.rows);
	for (__u32 i = 0; i < nrows && i < MAX_ROWS; i++) bpf_map_update_elem(rfd, &i, &rows[i], 0);
	sk->bss->nrows = nrows < MAX_ROWS ? nrows : MAX_ROWS;
	double t2 = now();
	fprintf(stderr, "rows %zu (%ld with no CFA rule of reg+off), %.1f MiB; built in %.3f s, loaded in %.3f s\n",
		nrows, unsup, nrows * sizeof(struct row) / 1048576.0, t1 - t0, t2 - t1);
	system("sysctl -q kernel.bpf_stats_enabled=1");
	ehk_bpf__attach(sk);
	sleep(secs);
	ehk_bpf__detach(sk);
	struct bpf_prog_info info = {}; __u32 len = sizeof(info);
	bpf_obj_get_info_by_fd(bpf_program__fd(sk->progs.sw), &info, &len);
	system("sysctl -q kernel.bpf_stats_enabled=0");
	__u64 ns = info.run_time_ns, cnt = info.run_cnt, smp = sk->bss->samples, fr = sk->bss->frames;
	printf("mode %s: runs %llu, samples %llu, %.0f ns a run, %.0f ns a sample (incl. the runs that return at once), frames %.1f a sample; stops: no row %llu, read %llu, max %llu\n",
	       mode ? "fp" : "eh_frame", cnt, smp, cnt ? (double)ns / cnt : 0, smp ? (double)ns / smp : 0,
	       smp ? (double)fr / smp : 0, sk->bss->stops_norow, sk->bss->stops_read, sk->bss->stops_max);
	if (!mode) {
		printf("depths:");
		for (int i = 0; i <= MAX_FRAMES; i++) if (sk->bss->depth_hist[i]) printf(" %d:%llu", i, sk->bss->depth_hist[i]);
		printf("\n");
		/* the heaviest stack, named by libdwfl: the check */
		struct skey k, best = {}; __u64 c, bc = 0; void *prev = NULL;
		int cfd = bpf_map__fd(sk->maps.counts);
		while (!bpf_map_get_next_key(cfd, prev, &k)) {
			bpf_map_lookup_elem(cfd, &k, &c);
			if (c > bc) { bc = c; best = k; }
			prev = &k;
		}
		static const Dwfl_Callbacks cb = { .find_elf = dwfl_linux_proc_find_elf, .find_debuginfo = dwfl_standard_find_debuginfo };
		Dwfl *d = dwfl_begin(&cb);
		dwfl_linux_proc_report(d, pid); dwfl_report_end(d, NULL, NULL);
		printf("heaviest (%llu):", bc);
		for (int i = 0; i < MAX_FRAMES && best.f[i]; i++) {
			Dwfl_Module *mo = dwfl_addrmodule(d, best.f[i] - (i ? 1 : 0));
			const char *nm = mo ? dwfl_module_addrname(mo, best.f[i] - (i ? 1 : 0)) : NULL;
			printf(" %s%s", i ? "<- " : "", nm ? nm : "?");
		}
		printf("\n");
	}
	return 0;
}
