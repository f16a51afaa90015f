# mitwirken: see README.md.  `make run` and `make test` are the two commands.

CC	?= cc
KORE_FEATURES := $(shell cat /usr/share/kore/features 2>/dev/null)
DEPS_CFLAGS := $(shell pkg-config --cflags libsodium libcjson 2>/dev/null)
DEPS_LIBS := $(shell pkg-config --libs libsodium libcjson 2>/dev/null) -lm

OPT	?= -O2 -g -D_FORTIFY_SOURCE=2
WARN	= -std=gnu99 -Wall -Wextra -Werror -Wshadow -Wpointer-arith \
	   -Wmissing-prototypes -Wstrict-prototypes -fno-strict-aliasing \
	   -fstack-protector-strong
ALL_CFLAGS = $(OPT) $(WARN) $(CFLAGS)
SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined

BUILD	?= build
PURE	= strbuf config router params errors json html i18n metrics reqid \
	  crypto passwords authz validate idemkey
TOOL	= migration
SERVER	= app dispatch db routes assets pages taxonomy ops log session \
	  hashing accounts admin account_pages input ideas \
	  moderation board cache idempotency idea_pages
PURE_SRC = $(PURE:%=src/%.c)
SERVER_SRC = $(SERVER:%=src/%.c)
TOOL_SRC = $(TOOL:%=src/%.c)
UNIT_SRC = $(wildcard tests/unit/test_*.c)

.PHONY: all deps run test test-asan unit bench admin fuzz scan crash-test clean \
    help

all: $(BUILD)/mitwirken.so $(BUILD)/mitwirken-migrate \
    $(BUILD)/mitwirken-mailer $(BUILD)/mitwirken-admin

help:
	@echo "make run        build, start PostgreSQL (private cluster), migrate, serve"
	@echo "make test       set up, then unit + integration tests"
	@echo "make test-asan  the same tests against an ASan+UBSan build"
	@echo "make bench      benchmarks as ratios against baselines (QUICK=1: short)"
	@echo "make admin EMAIL=...  make EMAIL an administrator; prints a one-time link"
	@echo "make fuzz       libFuzzer over every parser (FUZZ_SECONDS=60 each)"
	@echo "make scan       sqlmap and wapiti against a private server"
	@echo "make crash-test kill -9 Kore and crash PostgreSQL under writes; no write lost"
	@echo "make deps       install missing Debian packages (as root)"

# The flags in /usr/share/kore/features change struct http_request's layout:
# without them the module and the kore binary disagree about it.
$(BUILD)/mitwirken.so: $(PURE_SRC) $(SERVER_SRC) src/mitwirken.h Makefile
	@mkdir -p $(BUILD)
	$(CC) $(ALL_CFLAGS) -fPIC -shared -DMW_SERVER \
	    $(KORE_FEATURES) $(DEPS_CFLAGS) -o $@ $(PURE_SRC) $(SERVER_SRC) \
	    $(DEPS_LIBS)

$(BUILD)/mitwirken-migrate: src/migrate.c src/migration.c src/strbuf.c \
    src/mitwirken.h
	@mkdir -p $(BUILD)
	$(CC) $(ALL_CFLAGS) -I/usr/include/postgresql \
	    $(DEPS_CFLAGS) -o $@ src/migrate.c src/migration.c src/strbuf.c -lpq \
	    $(DEPS_LIBS)

# The mailer and the admin command share the pure crypto with the server.
CLI_PURE = src/strbuf.c src/params.c src/crypto.c
$(BUILD)/mitwirken-mailer: src/mailer.c $(CLI_PURE) src/mitwirken.h
	@mkdir -p $(BUILD)
	$(CC) $(ALL_CFLAGS) -I/usr/include/postgresql $(DEPS_CFLAGS) -o $@ \
	    src/mailer.c $(CLI_PURE) -lpq $(DEPS_LIBS)

$(BUILD)/mitwirken-admin: src/admin_cli.c $(CLI_PURE) src/mitwirken.h
	@mkdir -p $(BUILD)
	$(CC) $(ALL_CFLAGS) -I/usr/include/postgresql $(DEPS_CFLAGS) -o $@ \
	    src/admin_cli.c $(CLI_PURE) -lpq $(DEPS_LIBS)

$(BUILD)/unit: $(PURE_SRC) $(TOOL_SRC) $(UNIT_SRC) tests/unit/unit.h tests/unit/main.c \
    src/mitwirken.h
	@mkdir -p $(BUILD)
	$(CC) $(ALL_CFLAGS) -Isrc $(DEPS_CFLAGS) -o $@ \
	    tests/unit/main.c $(UNIT_SRC) $(PURE_SRC) $(TOOL_SRC) $(DEPS_LIBS)

deps:
	@sh src/tools/deps.sh

unit: $(BUILD)/unit
	$(BUILD)/unit

run: deps all
	@sh src/tools/run.sh

# A test tool: an argon2id string at the old, lower limits.
$(BUILD)/weakhash: tests/tools/weakhash.c
	@mkdir -p $(BUILD)
	$(CC) $(ALL_CFLAGS) $(DEPS_CFLAGS) -o $@ tests/tools/weakhash.c \
	    $(DEPS_LIBS)

test: deps all $(BUILD)/unit $(BUILD)/weakhash
	@sh tests/run.sh $(BUILD)

test-asan:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory BUILD=build-asan \
	    OPT="$(SAN_FLAGS)" all build-asan/unit build-asan/weakhash
	@MITWIRKEN_ASAN=1 sh tests/run.sh build-asan

# The first administrator of a fresh installation: make admin EMAIL=...
admin: deps all
	@sh src/tools/admin.sh "$(EMAIL)"

# Fuzzing: libFuzzer + ASan/UBSan over every parser (FUZZ_SECONDS each).
FUZZ_SECONDS ?= 60
fuzz: deps
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh

# Injection scans: sqlmap and wapiti (Debian) against a private server.
scan: deps all
	@sh tests/scan/run.sh $(BUILD)

# Crash durability: kill -9 a worker, the parent, crash PostgreSQL under
# writes; every acknowledged write must survive whole.
crash-test: deps all
	@sh tests/crash/run.sh $(BUILD)

# Benchmarks: not part of make test.  QUICK=1 for a short development run.
bench: deps all
	@QUICK=$(QUICK) sh tests/bench/run.sh $(BUILD)

clean:
	rm -rf build build-asan
