/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef TRACER_RUNAS_H
#define TRACER_RUNAS_H

#include <sys/types.h>

/*
 * Who the traced command runs as. Tracing needs root; the command does not:
 * under sudo it runs as the invoking user (SUDO_UID/SUDO_GID and that user's
 * groups), with --user as that user, else as tracer itself.
 */
struct runas {
	int set;		/* 0: run as tracer runs */
	uid_t uid;
	gid_t gid;
	char name[64];
	char home[256];
	char shell[128];
};

/* Resolve --user NAME (or NULL); prints the error and returns -errno. */
int runas_resolve(struct runas *ra, const char *user);
/* In the child before exec: groups, gid, uid, then HOME/USER/LOGNAME/SHELL. */
int runas_apply(const struct runas *ra);

#endif
