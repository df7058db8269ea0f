// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * gnuplot, the pictures' renderer: found in PATH, run in the pictures'
 * directory on the script written there, so that `gnuplot plots.gp` there
 * redraws (or restyles) them from the CSV files beside it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "core/log.h"
#include "render/gnuplot.h"

int gnuplot_dir(const char *who, const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0755) && errno != EEXIST) {
		pr_err("%s: --plot: cannot create %s: %s", who, dir, strerror(errno));
		return -1;
	}
	if (stat(dir, &st) || !S_ISDIR(st.st_mode) || access(dir, W_OK | X_OK)) {
		pr_err("%s: --plot: %s is not a directory it can write in", who, dir);
		return -1;
	}
	return 0;
}

FILE *gnuplot_file(const char *who, const char *dir, const char *name)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		pr_err("%s: --plot: cannot write %s: %s", who, path, strerror(errno));
	return f;
}

int gnuplot_close(const char *who, const char *dir, const char *name, FILE *f)
{
	char path[PATH_MAX];
	int err = 0;

	/* a write that failed before: its buffer written again says why */
	if (fflush(f))
		err = errno;
	else if (ferror(f))
		err = EIO;
	if (fclose(f) && !err)
		err = errno;
	if (!err)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	pr_err("%s: --plot: cannot write %s: %s", who, path, strerror(err));
	unlink(path);	/* not left cut short */
	return -1;
}

void gnuplot_preamble(FILE *gp, const char *who)
{
	fprintf(gp,
		"# %s: gnuplot plots.gp in this directory redraws the pictures\n"
		"if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
		"    set terminal pngcairo size 960,600 font 'sans,11'\n"
		"} else {\n"
		"    set terminal png size 960,600\n"
		"}\n"
		"set datafile separator ','\nset datafile missing '?'\n"
		"set datafile columnheaders\n"
		"set key below\nset grid ytics\nset xtics nomirror\n"
		"set termoption noenhanced\nset style textbox opaque noborder\n"
		"ns(x) = x >= 1e6 ? sprintf('%%.3g ms', x / 1e6) : x >= 1e3 ? "
		"sprintf('%%.3g us', x / 1e3) : sprintf('%%.3g ns', x)\n\n", who);
}

void gnuplot_str(FILE *gp, const char *s)
{
	fputc('\'', gp);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', gp);
		/* a line break would end the script's line: a space */
		fputc((unsigned char)*s < ' ' ? ' ' : *s, gp);
	}
	fputc('\'', gp);
}

static const char *find_gnuplot(char *buf, size_t len)
{
	const char *path = getenv("PATH");
	char *dirs, *d, *save = NULL;

	if (!path || !(dirs = strdup(path)))
		return NULL;
	for (d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(buf, len, "%s/gnuplot", d);
		if (!access(buf, X_OK)) {
			free(dirs);
			return buf;
		}
	}
	free(dirs);
	return NULL;
}

/*
 * gnuplot warns about a column with no data (a measurement not made): what
 * it says is kept, and shown only if it fails.
 */
int gnuplot_draw(const char *who, const char *dir)
{
	char gnuplot[PATH_MAX], said[2048];
	size_t len = 0;
	int status, fd[2];
	ssize_t n;
	pid_t pid;

	if (!find_gnuplot(gnuplot, sizeof(gnuplot))) {
		pr_warn("%s: --plot: gnuplot not found (Debian: apt-get install gnuplot-nox); "
			"data written to %s, no pictures", who, dir);
		return 1;
	}
	if (pipe2(fd, O_CLOEXEC) || (pid = fork()) < 0) {
		pr_err("%s: --plot: cannot run gnuplot: %s", who, strerror(errno));
		return -1;
	}
	if (!pid) {
		if (chdir(dir) || dup2(fd[1], STDERR_FILENO) < 0)
			_exit(126);
		signal(SIGPIPE, SIG_DFL);
		execl(gnuplot, "gnuplot", "plots.gp", (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	while ((n = read(fd[0], said + len, sizeof(said) - 1 - len)) > 0 ||
	       (n < 0 && errno == EINTR)) {
		len += n > 0 ? n : 0;
		if (len == sizeof(said) - 1) {	/* full: keep its last line's start on */
			char *nl = memrchr(said, '\n', len);
			size_t keep = nl && nl > said ? len - (nl - said) : len / 2;

			memmove(said, said + len - keep, keep);
			len = keep;
		}
	}
	while (len && (said[len - 1] == '\n' || said[len - 1] == ' '))
		len--;
	said[len] = '\0';
	close(fd[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		char *last = strrchr(said, '\n');	/* its error: the last line */

		pr_err("%s: --plot: gnuplot failed on %s/plots.gp%s%s", who, dir,
		       len ? ": " : "", last ? last + 1 : said);
		return -1;
	}
	return 0;
}
