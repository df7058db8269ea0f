# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# tracer: build, install, test. Only build logic here; scripts live in tools/.

OUTPUT  ?= .output
PREFIX  ?= /usr/local
DESTDIR ?=
ARCH    ?= $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
VMLINUX ?= vmlinux/$(ARCH)/vmlinux.h
CLANG   ?= clang
BPFTOOL ?= $(shell command -v bpftool || echo /usr/sbin/bpftool)
CC      ?= gcc
# The version has one home, debian/changelog: tracer --version, the man
# pages and the package all take it from there.
VERSION := $(shell head -1 debian/changelog | cut -d' ' -f2 | tr -d '()')
MAN_DATE := $(shell date -u -d "$$(sed -n 's/^ -- .*>  //p' debian/changelog | head -1)" +%Y-%m-%d)

CFLAGS  ?= -g -O2
CFLAGS  += -Wall -Wextra -Werror -std=gnu11
LIBS    := $(shell pkg-config --libs libbpf libdw libelf zlib 2>/dev/null || echo -lbpf -ldw -lelf -lz)

ifeq ($(V),1)
  Q :=
  msg :=
else
  Q := @
  msg = @printf '  %-9s %s\n' "$(1)" "$(2)";
endif

BPF_SRCS  := $(wildcard bpf/*.bpf.c)
# maps.bpf.c defines the shared maps: it goes first into the link
BPF_OBJS  := $(OUTPUT)/maps.bpf.o $(filter-out $(OUTPUT)/maps.bpf.o,$(patsubst bpf/%.bpf.c,$(OUTPUT)/%.bpf.o,$(BPF_SRCS)))
SKELS     := $(OUTPUT)/tracer.skel.h
# user/: core (the trace model), io (files), render (outputs), live (the
# kernel side), cmd (the commands), verify (the claims): docs/design.md
USER_OBJS := $(patsubst user/%.c,$(OUTPUT)/user/%.o,$(wildcard user/*/*.c))
WL_SRCS   := $(filter-out workloads/wl_%.c,$(wildcard workloads/*.c))
WL_LIB    := $(patsubst workloads/%.c,$(OUTPUT)/workloads/%.o,$(wildcard workloads/wl_*.c))
WL_BINS   := $(patsubst workloads/%.c,$(OUTPUT)/workloads/%,$(WL_SRCS))
WL_PY     := $(wildcard workloads/python/*.py)
WL_PY_OUT := $(patsubst workloads/%,$(OUTPUT)/workloads/%,$(WL_PY))
# Small programs the tests use as witnesses (they count their own calls)
TP_BINS   := $(patsubst tests/progs/%.c,$(OUTPUT)/progs/%,$(wildcard tests/progs/*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(OUTPUT)/unit/%,$(wildcard tests/unit/*.c))

.PHONY: all workloads testprogs man deb deps run test test-unpriv bench stress fuzz install uninstall clean vmlinux
all: tracer workloads $(OUTPUT)/floor
workloads: $(WL_BINS) $(WL_PY_OUT)
testprogs: $(TP_BINS) $(OUTPUT)/fault.so $(UNIT_BINS) $(OUTPUT)/progs/libstk_lib.so

$(OUTPUT) $(OUTPUT)/workloads $(OUTPUT)/workloads/python $(OUTPUT)/progs:
	$(Q)mkdir -p $@

$(OUTPUT)/%.bpf.o: bpf/%.bpf.c $(VMLINUX) | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) -g -O2 -Wall -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) \
		-I$(dir $(VMLINUX)) -Ibpf -MMD -MP -c $< -o $@

# One object for all probe families, so they share maps and one skeleton.
$(OUTPUT)/tracer.linked.o: $(BPF_OBJS)
	$(call msg,BPF-LINK,$@)
	$(Q)$(BPFTOOL) gen object $@ $^

$(OUTPUT)/tracer.skel.h: $(OUTPUT)/tracer.linked.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name tracer_bpf > $@

# The floor contender of make bench: programs that do nothing or read the clock.
$(OUTPUT)/floor.bpf.o: tools/floor/floor.bpf.c $(VMLINUX) | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) -g -O2 -Wall -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) \
		-I$(dir $(VMLINUX)) -c $< -o $@

$(OUTPUT)/floor.skel.h: $(OUTPUT)/floor.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name floor_bpf > $@

$(OUTPUT)/floor: tools/floor/floor.c $(OUTPUT)/floor.skel.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -I$(OUTPUT) $< -o $@ $(LIBS)

# Skeletons must exist before any user object compiles; -MMD then records
# which one each object really includes.
$(USER_OBJS): | $(SKELS)
$(OUTPUT)/user/%.o: user/%.c | $(OUTPUT)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -DTRACER_VERSION='"$(VERSION)"' -I$(OUTPUT) -Ibpf -Iuser -MMD -MP -c $< -o $@

$(OUTPUT)/user/cmd/main.o: debian/changelog	# TRACER_VERSION

tracer: $(USER_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LIBS) -o $@

# frame pointers: --stacks walks the workloads' user stacks by them
WL_CFLAGS := -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer
$(OUTPUT)/workloads/%.o: workloads/%.c | $(OUTPUT)/workloads
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(WL_CFLAGS) -Iworkloads -MMD -MP -c $< -o $@

$(OUTPUT)/workloads/%: $(OUTPUT)/workloads/%.o $(WL_LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $^ -lpthread -o $@

# tests/unit/: checks of single files where the machine cannot drive them,
# built with the sanitizers (deny_bpf, a seccomp wrapper, without)
UNIT_SAN  := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all
$(OUTPUT)/unit:
	$(Q)mkdir -p $@
$(UNIT_BINS): $(wildcard user/*/*.h bpf/*.h)	# several sources each: no .d
$(OUTPUT)/unit/hist_pct: user/core/hist.c
$(OUTPUT)/unit/reorder_check: user/io/reorder.c
$(OUTPUT)/unit/excentry_check: user/live/excentry.c
$(OUTPUT)/unit/evcsv_roundtrip: $(wildcard user/core/*.c user/io/*.c)
$(OUTPUT)/unit/evcsv_roundtrip: UNIT_LIBS := -lz
$(OUTPUT)/unit/csvr_diff: user/io/csvread.c tests/unit/ref/csvr_bytes.c tests/unit/ref/csvr_swar.c \
	tests/unit/ref/csvr_rename.h
$(OUTPUT)/unit/csvr_diff: UNIT_DEFS := -DCSVR_COUNT_FAST
$(OUTPUT)/unit/csvr_diff: UNIT_LIBS := -lz
$(OUTPUT)/unit/csvr_threads: user/io/csvread.c
$(OUTPUT)/unit/csvr_threads: UNIT_SAN := -O1 -g -fsanitize=thread
$(OUTPUT)/unit/csvr_threads: UNIT_LIBS := -lz
$(OUTPUT)/unit/tasks_check: $(wildcard user/core/*.c)
$(OUTPUT)/unit/gone_check: user/core/gone.c user/core/hist.c
$(OUTPUT)/unit/wire_check: user/core/event.c
$(OUTPUT)/unit/deny_bpf: UNIT_SAN := -O1
$(OUTPUT)/unit/%: tests/unit/%.c | $(OUTPUT)/unit
	$(call msg,CC,$@)
	$(Q)$(CC) $(UNIT_SAN) $(UNIT_DEFS) -Wall -Wextra -Werror -Iuser -Ibpf $(filter %.c,$^) \
		$(UNIT_LIBS) -o $@

# LD_PRELOAD'ed by tests/errors.bats: calls made to fail
$(OUTPUT)/fault.so: tests/fault/fault.c | $(OUTPUT)
	$(call msg,CC,$@)
	$(Q)$(CC) -shared -fPIC -O1 -Wall -Wextra -Werror -o $@ $< -ldl

# a library stk_dlopen loads late, with frame pointers (--stacks walks it)
$(OUTPUT)/progs/libstk_lib.so: tests/progs/lib/stk_lib.c | $(OUTPUT)/progs
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -fno-omit-frame-pointer -shared -fPIC $< -o $@

$(OUTPUT)/progs/%: tests/progs/%.c | $(OUTPUT)/progs
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -MMD -MP $< -lpthread -o $@

# Man pages: docs/man/*.rst (read as they are, or by man) through
# docutils' rst2man, with the version and date of debian/changelog
MAN_SRCS  := $(wildcard docs/man/*.1.rst)
MAN_PAGES := $(patsubst docs/man/%.rst,$(OUTPUT)/man/%,$(MAN_SRCS))
man: $(MAN_PAGES)
$(OUTPUT)/man:
	$(Q)mkdir -p $@
$(OUTPUT)/man/%.1: docs/man/%.1.rst debian/changelog | $(OUTPUT)/man
	$(call msg,MAN,$@)
	$(Q)sed -e 's/@VERSION@/$(VERSION)/' -e 's/@DATE@/$(MAN_DATE)/' $< | rst2man --strict > $@

# tracer_<version>_<arch>.deb in $(OUTPUT), built by Debian's tools from
# the tracked files alone (tools/deb)
deb:
	@tools/deb $(OUTPUT)/deb

$(OUTPUT)/workloads/python/%.py: workloads/python/%.py | $(OUTPUT)/workloads/python
	$(call msg,COPY,$@)
	$(Q)install -m 0755 $< $@

$(VMLINUX):
	$(error $@ is missing: run 'make vmlinux' (needs /sys/kernel/btf/vmlinux) or pass VMLINUX=path)

vmlinux:
	tools/gen-vmlinux.sh

deps:
	@tools/deps.sh

# The quick start: install what is missing, build, put every claim to the test.
run: deps
	@$(MAKE) --no-print-directory all
	./tracer verify

test: deps
	@$(MAKE) --no-print-directory all testprogs man
	@tests/run

# Overhead, BPF cost, loss, accuracy and startup against perf, runqlat and
# bpftrace (installed from Debian when missing). BENCH=--quick: < 2 min.
bench: deps
	@$(MAKE) --no-print-directory all
	tools/bench --csv $(OUTPUT)/bench.csv --markdown $(OUTPUT)/bench.md $(BENCH)

# Load cases as figures: fork storm, 10000 threads, a minute at the top event rate.
stress: deps
	@$(MAKE) --no-print-directory all
	tools/stress $(STRESS_SECONDS)

# libFuzzer on the event-file reader (clang's runtime: libclang-rt-*-dev).
# core, io and render make a library with no libbpf in it: the fuzzer links them all
FUZZ_SRCS := $(wildcard user/core/*.c user/io/*.c user/render/*.c)
fuzz: $(OUTPUT)/fuzz_evload
$(OUTPUT)/fuzz_evload: tests/fuzz/fuzz_evload.c $(FUZZ_SRCS) | $(OUTPUT)
	$(call msg,FUZZ,$@)
	$(Q)$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined -Ibpf -Iuser \
		$^ -lz -o $@

test-unpriv: all testprogs man
	@tests/run --filter-tags '!root'

DOCS := README.md $(wildcard docs/*.md)
install: all man
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/libexec/tracer
	install -m 0755 tracer $(DESTDIR)$(PREFIX)/bin/tracer
	install -m 0755 $(WL_BINS) $(DESTDIR)$(PREFIX)/libexec/tracer/
	install -d $(DESTDIR)$(PREFIX)/libexec/tracer/python
	install -m 0755 $(filter-out %/wl_common.py,$(WL_PY)) $(DESTDIR)$(PREFIX)/libexec/tracer/python/
	install -m 0644 $(filter %/wl_common.py,$(WL_PY)) $(DESTDIR)$(PREFIX)/libexec/tracer/python/
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/doc/tracer
	install -m 0644 $(MAN_PAGES) $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 0644 $(DOCS) $(DESTDIR)$(PREFIX)/share/doc/tracer/
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 0644 completions/tracer $(DESTDIR)$(PREFIX)/share/bash-completion/completions/tracer

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/tracer
	rm -rf $(DESTDIR)$(PREFIX)/libexec/tracer $(DESTDIR)$(PREFIX)/share/doc/tracer
	rm -f $(patsubst $(OUTPUT)/man/%,$(DESTDIR)$(PREFIX)/share/man/man1/%,$(MAN_PAGES))
	rm -f $(DESTDIR)$(PREFIX)/share/bash-completion/completions/tracer

clean:
	$(call msg,CLEAN,)
	$(Q)rm -rf $(OUTPUT) tracer

-include $(wildcard $(OUTPUT)/*.d $(OUTPUT)/user/*/*.d $(OUTPUT)/workloads/*.d $(OUTPUT)/progs/*.d)
.DELETE_ON_ERROR:
.SECONDARY:
