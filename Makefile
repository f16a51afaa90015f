# mitwirken: see README.md.  `make run` and `make test` are the two commands.
#
# The source tree is the architecture (README, "Architecture"):
#   src/lib/      pure modules: no Kore, no database; unit tests and fuzzers
#   src/core/     what every request goes through (Kore, PostgreSQL)
#   src/<cap>/    one folder per capability: accounts, ideas, taxonomy
#   src/routes.c  the route table, the one place naming every capability
#   src/cmd/      the migrator, the mailer and the admin command
# Every .c file in a folder is built: a new module needs no Makefile edit.

CC	?= cc

# Both read files that `make deps` installs.  The targets that install
# (run, test, ...) call make again after deps, so this is read afresh.
KORE_FEATURES := $(shell cat /usr/share/kore/features 2>/dev/null)
# Photos: libjpeg-turbo, libpng and libexif (src/lib/image.c).
IMAGE_PKGS = libjpeg libpng libexif
DEPS_CFLAGS := $(shell pkg-config --cflags libsodium libcjson $(IMAGE_PKGS) 2>/dev/null)
DEPS_LIBS := $(shell pkg-config --libs libsodium libcjson $(IMAGE_PKGS) 2>/dev/null) -lm
# The mailer's SMTP client (STARTTLS, AUTH, timeouts): Debian's libcurl.
CURL_CFLAGS := $(shell pkg-config --cflags libcurl 2>/dev/null)
CURL_LIBS := $(shell pkg-config --libs libcurl 2>/dev/null)
PQ_CFLAGS := -I$(shell pg_config --includedir 2>/dev/null || \
    echo /usr/include/postgresql)

OPT	?= -O2 -g -D_FORTIFY_SOURCE=2
WARN	= -std=gnu99 -Wall -Wextra -Werror -Wshadow -Wpointer-arith \
	   -Wmissing-prototypes -Wstrict-prototypes -fno-strict-aliasing \
	   -fstack-protector-strong
ALL_CFLAGS = $(OPT) $(WARN) $(CFLAGS) -Isrc -MMD -MP
LINK	= $(CC) $(OPT) $(WARN) $(CFLAGS) $(LDFLAGS)
SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined

BUILD	?= build
OBJ	= $(BUILD)/obj
CAPS	= accounts defects ideas projects site stats surveys taxonomy

LIB_SRC	= $(wildcard src/lib/*.c)
CORE_SRC = $(wildcard src/core/*.c)
CAP_SRC	= $(foreach c,$(CAPS),$(wildcard src/$(c)/*.c))
SERVER_SRC = $(CORE_SRC) $(CAP_SRC) src/routes.c
UNIT_SRC = $(wildcard tests/unit/*.c)

LIB_OBJ	= $(LIB_SRC:%.c=$(OBJ)/%.o)
SERVER_OBJ = $(SERVER_SRC:%.c=$(OBJ)/%.o)
UNIT_OBJ = $(UNIT_SRC:%.c=$(OBJ)/%.o)

# The progressive survey page's SurveyJS bundles, installed from the pinned
# lock file (assets/surveyjs/package-lock.json, integrity hashes included)
# and served from memory like every static file: no CDN, no web fonts (the
# "fontless" style sheet).  Not in git: they are build output.
SURVEYJS = assets/static/survey.core.min.js \
    assets/static/survey-js-ui.min.js assets/static/survey.de.min.js \
    assets/static/survey-core.min.css
SURVEYJS_MODULES = assets/surveyjs/node_modules

# Leaflet for the defect reporter's map picker and map, the same way: pinned
# by assets/leaflet/package-lock.json, copied, not in git.  The pages draw
# circle markers, so Leaflet's marker images are not needed.
LEAFLET = assets/static/leaflet.js assets/static/leaflet.css
LEAFLET_MODULES = assets/leaflet/node_modules

.PHONY: all deps test-deps build-deps run test test-asan unit bench admin fuzz scan \
    crash-test layers clean help stats-check stats-rebuild cluster cluster-deps \
    cluster-test

all: $(BUILD)/mitwirken.so $(BUILD)/mitwirken-migrate \
    $(BUILD)/mitwirken-mailer $(BUILD)/mitwirken-admin $(SURVEYJS) $(LEAFLET)

$(SURVEYJS) &: assets/surveyjs/package-lock.json
	@echo "npm ci assets/surveyjs"
	@cd assets/surveyjs && npm ci --no-audit --no-fund --ignore-scripts \
	    --loglevel=error
	@cp $(SURVEYJS_MODULES)/survey-core/survey.core.min.js assets/static/
	@cp $(SURVEYJS_MODULES)/survey-js-ui/survey-js-ui.min.js assets/static/
	@cp $(SURVEYJS_MODULES)/survey-core/i18n/german.min.js \
	    assets/static/survey.de.min.js
	@cp $(SURVEYJS_MODULES)/survey-core/survey-core.fontless.min.css \
	    assets/static/survey-core.min.css

$(LEAFLET) &: assets/leaflet/package-lock.json
	@echo "npm ci assets/leaflet"
	@cd assets/leaflet && npm ci --no-audit --no-fund --ignore-scripts \
	    --loglevel=error
	@cp $(LEAFLET_MODULES)/leaflet/dist/leaflet.js assets/static/
	@cp $(LEAFLET_MODULES)/leaflet/dist/leaflet.css assets/static/

help:
	@echo "make run        build, start PostgreSQL (private cluster), migrate, serve"
	@echo "make test       set up, then unit + integration tests"
	@echo "make test-asan  the same tests against an ASan+UBSan build"
	@echo "make bench      benchmarks as ratios against baselines (QUICK=1: short)"
	@echo "make admin EMAIL=...  make EMAIL an administrator; prints a one-time link"
	@echo "make stats-check    statistics equal a recount from the base tables? (exit 1 if not)"
	@echo "make stats-rebuild  replace the statistics with that recount (repair)"
	@echo "make fuzz       libFuzzer over every parser (FUZZ_SECONDS=60 each)"
	@echo "make scan       sqlmap and wapiti against a private server"
	@echo "make crash-test kill -9 Kore and crash PostgreSQL under writes; no write lost"
	@echo "make cluster    primary + replica, MITWIRKEN_NODES nodes, nginx with TLS"
	@echo "make cluster-test  kill nodes, the replica, the primary behind nginx"
	@echo "make layers     check that no lib or core file calls up into a capability"
	@echo "make deps       install missing Debian packages (as root)"

# Without Kore's features the module and the kore binary disagree about
# struct http_request's layout; refuse to build rather than crash later.
$(OBJ)/%.o: %.c
	@test -n "$(KORE_FEATURES)" || { echo "missing Debian packages:" \
	    "run 'make deps' (as root), or 'make run' / 'make test'"; exit 1; }
	@mkdir -p $(@D)
	@echo "cc $<"
	@$(CC) $(ALL_CFLAGS) -fPIC $(KORE_FEATURES) $(DEPS_CFLAGS) \
	    $(if $(filter src/lib/%,$<),,-DMW_SERVER) -c -o $@ $<

# The pure modules never see MW_SERVER: Kore's headers are out of reach.
$(OBJ)/src/lib/%.o: src/lib/%.c
	@mkdir -p $(@D)
	@echo "cc $<"
	@$(CC) $(ALL_CFLAGS) -fPIC $(DEPS_CFLAGS) -c -o $@ $<

$(OBJ)/src/cmd/%.o: src/cmd/%.c
	@mkdir -p $(@D)
	@echo "cc $<"
	@$(CC) $(ALL_CFLAGS) $(PQ_CFLAGS) $(DEPS_CFLAGS) $(CURL_CFLAGS) \
	    -c -o $@ $<

$(OBJ)/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	@echo "cc $<"
	@$(CC) $(ALL_CFLAGS) $(DEPS_CFLAGS) -c -o $@ $<

$(BUILD)/mitwirken.so: $(LIB_OBJ) $(SERVER_OBJ)
	@echo "ld $@"
	@$(LINK) -shared -o $@ $^ $(DEPS_LIBS)

$(BUILD)/mitwirken-migrate: $(OBJ)/src/cmd/migrate.o $(LIB_OBJ)
	@echo "ld $@"
	@$(LINK) -o $@ $^ -lpq $(DEPS_LIBS)

$(BUILD)/mitwirken-mailer: $(OBJ)/src/cmd/mailer.o $(LIB_OBJ)
	@echo "ld $@"
	@$(LINK) -o $@ $^ -lpq $(CURL_LIBS) $(DEPS_LIBS)

$(BUILD)/mitwirken-admin: $(OBJ)/src/cmd/admin.o $(LIB_OBJ)
	@echo "ld $@"
	@$(LINK) -o $@ $^ -lpq $(DEPS_LIBS)

$(BUILD)/unit: $(UNIT_OBJ) $(LIB_OBJ)
	@echo "ld $@"
	@$(LINK) -o $@ $^ $(DEPS_LIBS)

# A test tool: an argon2id string at the old, lower limits.
$(BUILD)/weakhash: $(OBJ)/tests/tools/weakhash.o
	@echo "ld $@"
	@$(LINK) -o $@ $^ $(DEPS_LIBS)

# A test tool: a genuine form stamp for any time (an expired form).
$(BUILD)/mkstamp: $(OBJ)/tests/tools/mkstamp.o $(LIB_OBJ)
	@echo "ld $@"
	@$(LINK) -o $@ $^ $(DEPS_LIBS)

# A test tool: survey definitions, expressions and answers from the shell.
$(BUILD)/surveycheck: $(OBJ)/tests/tools/surveycheck.o $(LIB_OBJ)
	@echo "ld $@"
	@$(LINK) -o $@ $^ $(DEPS_LIBS)

# A test tool: JPEG and PNG fixtures (tests/http/images.mjs, fuzz seeds).
$(BUILD)/imagegen: $(OBJ)/tests/tools/imagegen.o $(OBJ)/tests/unit/images.o
	@echo "ld $@"
	@$(LINK) -o $@ $^ $(DEPS_LIBS)

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)

deps:
	@sh src/tools/deps.sh

# The tests also drive Debian's chromium (the progressive survey page) and
# run the survey exports' SPSS syntax in pspp and R script in Rscript;
# xmllint checks that the Open311 XML answers are well-formed; exiftool
# reads photo metadata independently of the code under test.
TEST_PKGS = chromium pspp r-base-core libxml2-utils libimage-exiftool-perl
test-deps:
	@sh src/tools/deps.sh $(TEST_PKGS)

unit: $(BUILD)/unit
	$(BUILD)/unit

# The layering rule, checked on the objects: see src/tools/layers.sh.
layers: $(LIB_OBJ) $(SERVER_OBJ)
	@sh src/tools/layers.sh $(OBJ)

# Each target that installs packages builds in a second make, which reads
# Kore's features and pkg-config only once they are there.
run: deps
	@$(MAKE) --no-print-directory all $(BUILD)/imagegen
	@sh src/tools/run.sh

test: test-deps
	@$(MAKE) --no-print-directory all $(BUILD)/unit $(BUILD)/weakhash $(BUILD)/mkstamp \
	    $(BUILD)/surveycheck $(BUILD)/imagegen
	@sh tests/run.sh $(BUILD)

test-asan: test-deps
	@$(MAKE) --no-print-directory BUILD=build-asan \
	    OPT="$(SAN_FLAGS)" all build-asan/unit build-asan/weakhash \
	    build-asan/mkstamp build-asan/surveycheck build-asan/imagegen
	@MITWIRKEN_ASAN=1 sh tests/run.sh build-asan

# The first administrator of a fresh installation: make admin EMAIL=...
admin: deps
	@$(MAKE) --no-print-directory all $(BUILD)/imagegen
	@sh src/tools/admin.sh "$(EMAIL)"

# The statistics against a recount, and their repair, on the database
# make admin uses (DATABASE_URL or the private cluster).
stats-check stats-rebuild: deps
	@$(MAKE) --no-print-directory all
	@sh src/tools/admin.sh $@

# Fuzzing: libFuzzer + ASan/UBSan over every parser (FUZZ_SECONDS each).
FUZZ_SECONDS ?= 60
fuzz: deps
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh

# Injection scans: sqlmap and wapiti (Debian) against a private server.
scan: deps
	@$(MAKE) --no-print-directory all $(BUILD)/imagegen
	@sh tests/scan/run.sh $(BUILD)

# Crash durability: kill -9 a worker, the parent, crash PostgreSQL under
# writes; every acknowledged write must survive whole.
crash-test: deps
	@$(MAKE) --no-print-directory all $(BUILD)/imagegen
	@sh tests/crash/run.sh $(BUILD)

# The loopback cluster (README "Cluster"): Debian's nginx in front, a
# streaming replica; openssl makes the certificate.
CLUSTER_PKGS = nginx openssl
cluster-deps:
	@sh src/tools/deps.sh $(CLUSTER_PKGS)

cluster: cluster-deps
	@$(MAKE) --no-print-directory all
	@sh src/tools/cluster-run.sh

# Failures of a node, the replica and the primary under load; bounded by
# CLUSTER_BUDGET (seconds, default 240).  Not part of make test.
cluster-test: cluster-deps
	@$(MAKE) --no-print-directory all
	@sh tests/cluster/run.sh $(BUILD)

# Benchmarks: not part of make test.  QUICK=1 for a short development run.
bench: deps
	@$(MAKE) --no-print-directory all $(BUILD)/imagegen
	@QUICK=$(QUICK) sh tests/bench/run.sh $(BUILD)

clean:
	rm -rf build build-asan $(SURVEYJS) $(SURVEYJS_MODULES) \
	    $(LEAFLET) $(LEAFLET_MODULES)
