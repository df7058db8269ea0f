#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The Debian package: built by `tools/deb` (dpkg-buildpackage) from the
# files git tracks, clean for lintian, unpacked with dpkg -x into a root of
# its own and run from there.
bats_require_minimum_version 1.5.0

setup_file() {
	load helpers
	command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null || return 0
	PKG="$BATS_FILE_TMPDIR/deb"
	"$ROOT/tools/deb" "$PKG" >"$BATS_FILE_TMPDIR/deb.out" 2>&1 || return 0
	dpkg -x "$PKG"/tracer_*.deb "$BATS_FILE_TMPDIR/root"
}

setup() {
	load helpers
	command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null ||
		skip "needs dpkg-dev and debhelper (make deps)"
	PKG="$BATS_FILE_TMPDIR/deb"
	R="$BATS_FILE_TMPDIR/root"
	DEB=$(ls "$PKG"/tracer_*_*.deb 2>/dev/null | grep -v dbgsym || true)
}

@test "package: tools/deb builds tracer_<version>_<arch>.deb" {
	cat "$BATS_FILE_TMPDIR/deb.out"
	[ "$DEB" = "$PKG/tracer_$("$TOOL" --version | cut -d' ' -f2)_$(dpkg --print-architecture).deb" ]
	# the build tree was the copy's, removed: only the products are left
	[ -z "$(find "$PKG" -mindepth 1 -type d)" ]
}

@test "package: lintian finds no error and no warning" {
	command -v lintian >/dev/null || skip "needs lintian (make deps)"
	run -0 lintian --pedantic "$PKG"/tracer_*.changes
	! grep -E '^[EW]: ' <<<"$output"
}

@test "package: what it installs, and the runtime libraries it depends on" {
	local f
	for f in usr/bin/tracer usr/libexec/tracer/pingpong usr/libexec/tracer/python/cpu.py \
		 usr/share/man/man1/tracer.1.gz usr/share/man/man1/tracer-run.1.gz \
		 usr/share/man/man1/tracer-report.1.gz usr/share/man/man1/tracer-verify.1.gz \
		 usr/share/man/man1/tracer-list.1.gz usr/share/bash-completion/completions/tracer \
		 usr/share/doc/tracer/copyright usr/share/doc/tracer/formats.md; do
		[ -e "$R/$f" ] || [ -e "$R/$f.gz" ] || { echo "missing $f" >&2; return 1; }
	done
	# every bundled workload's program is there
	while read -r name _; do
		prog=$("$TOOL" list "$name" | sed -n 's/^runs: \([^ ]*\) .*/\1/p')
		[ -x "$R/usr/libexec/tracer/$prog" ]
	done < <("$TOOL" list | tail -n +2)
	run -0 dpkg-deb -f "$DEB" Depends
	for lib in libbpf1 libelf1 libdw1 zlib1g libc6; do
		[[ "$output" == *"$lib ("* ]]
	done
	[ "$(dpkg-deb -f "$DEB" Recommends)" = "gnuplot-nox, python3" ]
}

@test "package: one version in tracer --version, the package and its man pages" {
	local v
	v=$("$R/usr/bin/tracer" --version)
	[ "$v" = "tracer $(dpkg-deb -f "$DEB" Version)" ]
	[ "$v" = "$("$TOOL" --version)" ]
	for page in "$R"/usr/share/man/man1/*.1.gz; do
		zcat "$page" | grep -q "^\.TH .* \"$v\" "
	done
	[ "$(dpkg-deb -f "$DEB" Version)" = "$(head -1 "$ROOT/debian/changelog" | cut -d' ' -f2 | tr -d '()')" ]
}

@test "package: tracer list and tracer report run from the unpacked root" {
	run -0 "$R/usr/bin/tracer" list
	diff <(echo "$output") <("$TOOL" list)
	# a workload's options: its program found in ../libexec/tracer
	run -0 "$R/usr/bin/tracer" list thread-pingpong
	[[ "$output" == *"usage: pingpong"* ]]
	local G="$ROOT/tests/fixtures/golden"
	run -0 "$R/usr/bin/tracer" report "$G/thread-pingpong.events.csv.gz" --csv "$BATS_TEST_TMPDIR/s.csv"
	diff <(echo "$output") "$G/thread-pingpong.report.txt"
	diff "$BATS_TEST_TMPDIR/s.csv" "$G/thread-pingpong.summary.csv"
}

# bats test_tags=root
@test "package: the unpacked tracer traces a bundled workload, counts equal the kernel's" {
	requires root btf
	run -0 "$R/usr/bin/tracer" run thread-pingpong --rounds 2000 --csv "$BATS_TEST_TMPDIR/s.csv"
	[[ "$output" == *"thread-pingpong: pingpong --unit thread --rounds 2000"* ]]
	csv_load "$BATS_TEST_TMPDIR/s.csv"
	[ "${C[switches_match_rusage]}" = 1 ]
	[ "${C[tasks_check_failed]}" = 0 ]
	[ "${C[wl_round_trips]}" = 2000 ]
	no_bpf_left
}

@test "package: tools/deb names missing build dependencies in one line, builds nothing" {
	local src="$BATS_TEST_TMPDIR/src"
	mkdir "$src"
	cd "$ROOT"
	git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$src"
	sed -i 's/^Build-Depends: /Build-Depends: tracer-no-such-package (>= 9), /' "$src/debian/control"
	run --separate-stderr -1 "$src/tools/deb" "$BATS_TEST_TMPDIR/out"
	[ "$stderr" = "deb: missing build dependencies: tracer-no-such-package (>= 9) (run 'make deps')" ]
	[ ! -e "$BATS_TEST_TMPDIR/out" ]
}
