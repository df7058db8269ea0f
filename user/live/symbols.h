/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_SYMBOLS_H
#define TRACER_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Names for the addresses of stacks: kernel ones from /proc/kallsyms, user
 * ones from the ELF symbol tables (.symtab, else .dynsym) of the files a
 * process had mapped, read from /proc/PID/maps while it lived (a process
 * is known once its first stack is seen: symbols_note()). A frame that
 * cannot be named is file+offset, or [unknown] with its address.
 */
struct symbols;

struct symbols *symbols_new(void);
void symbols_free(struct symbols *sy);
/* Keep the mappings of process tgid, now, if not kept yet: 0, or -errno (gone). */
int symbols_note(struct symbols *sy, uint32_t tgid);
/* The same, read again if noted before (after an exec: the mappings are new). */
int symbols_renote(struct symbols *sy, uint32_t tgid);
/* The name of addr in tgid (user) or in the kernel (tgid 0), into buf. */
const char *symbols_name(struct symbols *sy, uint32_t tgid, uint64_t addr, char *buf,
			 size_t len);
/* The variable of tgid holding addr (a lock word), "name (file)"; NULL if none. */
const char *symbols_data_name(struct symbols *sy, uint32_t tgid, uint64_t addr, char *buf,
			      size_t len);
/* Processes whose mappings could not be read (gone before their first look). */
uint64_t symbols_missed(const struct symbols *sy);
/* The file mapped at addr in tgid (noted), or NULL. */
const char *symbols_file(struct symbols *sy, uint32_t tgid, uint64_t addr);
/* Whether path is the C library or the dynamic loader: frames not the program's own. */
int symbols_is_libc(const char *path);

#endif
