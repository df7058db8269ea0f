// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/log.h"
#include "core/runas.h"

static int parse_id(const char *s, unsigned long *out)
{
	char *end;

	if (!s || !*s)
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno || *end ? -1 : 0;
}

int runas_resolve(struct runas *ra, const char *user)
{
	unsigned long uid, gid;
	struct passwd *pw;

	memset(ra, 0, sizeof(*ra));
	if (user) {
		errno = 0;
		pw = getpwnam(user);
		if (!pw && !parse_id(user, &uid))
			pw = getpwuid(uid);
		if (!pw) {
			pr_err("--user: no such user '%s'", user);
			return -ENOENT;
		}
		gid = pw->pw_gid;
	} else if (getuid() == 0 && !parse_id(getenv("SUDO_UID"), &uid)) {
		if (parse_id(getenv("SUDO_GID"), &gid))
			gid = uid;
		pw = getpwuid(uid);
	} else {
		return 0;
	}
	if (user && getuid() != 0) {
		if (pw->pw_uid != getuid()) {
			pr_err("--user needs root");
			return -EPERM;
		}
		/* that user already (with CAP_BPF): initgroups would need CAP_SETGID */
		return 0;
	}
	ra->set = 1;
	ra->uid = pw ? pw->pw_uid : uid;
	ra->gid = gid;
	if (pw) {
		snprintf(ra->name, sizeof(ra->name), "%s", pw->pw_name);
		snprintf(ra->home, sizeof(ra->home), "%s", pw->pw_dir);
		snprintf(ra->shell, sizeof(ra->shell), "%s", pw->pw_shell);
	}
	return 0;
}

int runas_apply(const struct runas *ra)
{
	if (!ra->set)
		return 0;
	/* a uid with no passwd entry gets no supplementary groups */
	if ((*ra->name ? initgroups(ra->name, ra->gid) : setgroups(0, NULL)) ||
	    setgid(ra->gid) || setuid(ra->uid))
		return -errno;
	if (*ra->name) {
		setenv("HOME", ra->home, 1);
		setenv("USER", ra->name, 1);
		setenv("LOGNAME", ra->name, 1);
		setenv("SHELL", ra->shell, 1);
	}
	return 0;
}
