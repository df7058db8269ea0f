#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Bash completion (completions/tracer), driven as bash drives it: COMP_WORDS
# and COMP_CWORD set, the function called, COMPREPLY read. No root needed.
bats_require_minimum_version 1.5.0

setup() {
	load helpers
	source "$ROOT/completions/tracer"
	D="$BATS_TEST_TMPDIR"
}

# complete WORD... : the candidates for the last word, one a line, sorted
complete_words() {
	COMP_WORDS=("$TOOL" "$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="${COMP_WORDS[*]}"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_tracer
	printf '%s\n' "${COMPREPLY[@]}" | sort
}

@test "completion: the commands, and for each every long option its --help lists" {
	[ "$(complete_words '' | tr '\n' ' ')" = "list report run verify " ]
	[ "$(complete_words r | tr '\n' ' ')" = "report run " ]
	for cmd in run report verify list; do
		diff <(complete_words "$cmd" --) \
		     <("$TOOL" "$cmd" --help | grep -oE '^ +(-., )?--[a-z-]+' | grep -oE -- '--[a-z-]+' | sort)
	done
	[ "$(complete_words run --sta)" = "--stacks" ]
	[ "$(complete_words --v)" = "--version" ]
}

@test "completion: workload names from tracer list, then the workload's own options and values" {
	diff <(complete_words run '') <("$TOOL" list | tail -n +2 | cut -d' ' -f1 | sort)
	[ "$(complete_words list io- | tr '\n' ' ')" = "io-10k-coroutines io-bound " ]
	# after a tracer option and its argument, still a workload
	[ "$(complete_words run --csv x.csv --stacks cpu-)" = "cpu-bound" ]
	# the workload's options join tracer's: --mode is cpubound's, --max-tasks tracer's
	[ "$(complete_words run cpu-bound --m | tr '\n' ' ')" = "--max-pairs --max-tasks --mode " ]
	# its values as its usage prints them
	[ "$(complete_words run cpu-bound --mode '' | tr '\n' ' ')" = \
	  "coroutines gil processes serial threads " ]
	[ "$(complete_words run thread-pingpong --rounds 10 --ipc '' | tr '\n' ' ')" = "futex pipe " ]
	# a second word is no workload
	[ -z "$(complete_words run spawn '')" ]
}

@test "completion: files, directories, users and values where an option takes them" {
	mkdir "$D/sub" "$D/sub2"
	touch "$D/out.csv" "$D/other.txt"
	[ "$(complete_words run --csv "$D/o" | tr '\n' ' ')" = "$D/other.txt $D/out.csv " ]
	# the short form and --opt=value (which bash splits at '=') alike
	[ "$(complete_words run -e "$D/ou")" = "$D/out.csv" ]
	[ "$(complete_words run --events = "$D/ou")" = "$D/out.csv" ]
	[ "$(complete_words run "--events=$D/ou")" = "$D/out.csv" ]
	# --plot takes a directory: no files offered
	[ "$(complete_words verify --plot "$D/" | tr '\n' ' ')" = "$D/sub $D/sub2 " ]
	[ "$(complete_words report "$D/out")" = "$D/out.csv" ]
	[ "$(complete_words run --unwind '' | tr '\n' ' ')" = "dwarf ehframe fp " ]
	[ "$(complete_words run --unwind=d)" = "dwarf" ]
	[ "$(complete_words run --user roo)" = "root" ]
	complete_words run -p '' | grep -qx "$$"
	# an option without an argument: the next word is a workload again
	complete_words run --stacks '' | grep -qx thread-pingpong
}

@test "completion: after '--', a command, then its files" {
	touch "$D/other.txt"
	complete_words run --stacks -- bas | grep -qx bash
	[ "$(complete_words run -- ls "$D/oth")" = "$D/other.txt" ]
	# tracer's options end at '--'
	[ -z "$(complete_words run -- ls --sta)" ]
}
