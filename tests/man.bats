#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The man pages: one per command, every option --help lists, clean for man,
# the version of tracer --version. No root needed.
bats_require_minimum_version 1.5.0

setup() {
	load helpers
	MAN="$ROOT/.output/man"
	[ -d "$MAN" ] || skip "no man pages built (make man)"
}

# The options `tracer CMD --help` lists: -x and --long, one a line
help_opts() {
	"$TOOL" "$@" --help | grep -oE '^ +(-[^- ], )?--[a-z][a-z-]*' | tr -d ' ' | tr ',' '\n'
}

# A page as man renders it for a reader (80 columns, plain text)
render() {
	MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$MAN/$1.1" 2>/dev/null | col -b
}

@test "each command has a page, and every option its --help lists is in it" {
	local page opt n=0
	for cmd in run report verify list; do
		page=$(render "tracer-$cmd")
		[[ "$page" == *"tracer $cmd"* ]]
		while read -r opt; do
			grep -qE -- "(^|[ ,])$opt([=, ]|$)" <<<"$page" ||
				{ echo "tracer-$cmd(1) lacks $opt" >&2; return 1; }
			n=$((n + 1))
		done < <(help_opts "$cmd")
	done
	page=$(render tracer)
	while read -r opt; do
		grep -qE -- "(^|[ ,])$opt([=, ]|$)" <<<"$page"
		n=$((n + 1))
	done < <(help_opts)
	# run alone lists more than 30: the lists were read, not empty
	[ "$n" -gt 50 ]
}

@test "the pages carry tracer --version's version, and man finds nothing to warn about" {
	local version page warn
	version=$("$TOOL" --version)
	for page in "$MAN"/*.1; do
		grep -qF ".TH \"$(basename "${page%.1}" | tr a-z A-Z)\" 1 " "$page"
		grep -qF "\"$version\"" "$page"
		warn=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
		[ -z "$warn" ] || { echo "$page: $warn" >&2; return 1; }
	done
	[ "$(ls "$MAN"/*.1 | wc -l)" = 5 ]
}

@test "every page a page refers to exists or is another tool's" {
	local ref
	while read -r ref; do
		case "$ref" in
		tracer*) [ -f "$MAN/$ref.1" ] ;;
		perf-sched|bpftrace|bpftool|offcputime-bpfcc) ;;
		*) echo "unknown page $ref" >&2; return 1 ;;
		esac
	done < <(cat "$ROOT"/docs/man/*.rst | grep -oE '\*\*[a-z-]+\*\*\\ \([18]\)' |
		 sed -E 's/\*\*([a-z-]+).*/\1/' | sort -u)
}
