#!/bin/sh
# make test: unit tests, then integration tests against a real Kore on a
# free loopback port and a fresh PostgreSQL database.  Without DATABASE_URL
# the database lives on a private test cluster (var/pgtest) that the tests
# may stop and restart; with DATABASE_URL a throwaway database is created
# there and the outage tests are skipped.  The last line is
# "N passed, N failed, N skipped"; the exit status is non-zero on failure.
#
# usage: tests/run.sh BUILD_DIR
set -u
cd "$(dirname "$0")/.."
. src/tools/pg.sh
. src/tools/conf.sh
. src/tools/kore.sh

BUILD=${1:-build}
STATE=$(realpath -m "${MITWIRKEN_STATE:-var}")
RUN=$STATE/test-run
PGDIR=""
PGPORT=${MITWIRKEN_TEST_PGPORT:-54339}
DB=mitwirken_test_$$
passed=0
failed=0
skipped=0
kpid=""
own_pg=0
admin_url=""

mkdir -p "$RUN"
# One run at a time per state folder: runs share the test cluster and logs.
exec 9>"$STATE/test.lock"
if ! flock -n 9; then
	echo "waiting for another make test on $STATE to finish"
	flock 9
fi

add_counts() {	# parses "N passed, N failed[, N skipped]"
	set -- $(echo "$1" | tr -c '0-9\n' ' ')
	passed=$((passed + ${1:-0}))
	failed=$((failed + ${2:-1}))
	skipped=$((skipped + ${3:-0}))
}

cleanup() {
	[ -n "$kpid" ] && kore_stop "$kpid"
	if [ -n "$admin_url" ]; then
		psql -X -q "$admin_url" -c "DROP DATABASE IF EXISTS \"$DB\"" \
		    >/dev/null 2>&1
	fi
	[ "$own_pg" -eq 1 ] && pg_down "$PGDIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

echo "== unit tests"
out=$("$BUILD/unit" 2>&1)
echo "$out"
add_counts "$(echo "$out" | tail -n 1)"

# Counts one check: passed when the command succeeds, else failed.
tally() {
	what=$1
	shift
	if "$@"; then
		passed=$((passed + 1))
	else
		echo "FAIL $what"
		failed=$((failed + 1))
	fi
}

# Least privilege (README "Security"): the role Kore connects as may read
# and write rows, nothing else.  Each probe runs in a transaction that is
# rolled back, so a role that wrongly may do it changes nothing.
db_role_limited() {
	[ "$(psql -X -tA "$1" -c "SELECT rolsuper OR rolcreaterole OR
	    rolcreatedb FROM pg_roles WHERE rolname = current_user")" = f ] ||
	    return 1
	for _sql in "DROP TABLE ideas" "CREATE ROLE mw_probe" \
	    "CREATE TABLE mw_probe (x int)" "ALTER TABLE ideas DROP title" \
	    "COPY ideas TO PROGRAM 'true'"; do
		if psql -X -q -v ON_ERROR_STOP=1 "$1" -c "BEGIN" -c "$_sql" \
		    -c "ROLLBACK" >/dev/null 2>&1; then
			echo "the application role may: $_sql"
			return 1
		fi
	done
}

# The cluster's socket folder: only the cluster's owner may enter it.
socket_private() {
	[ "$(stat -c %a "$1/run")" = 700 ]
}

# Another local OS user gets into the cluster neither by the socket nor,
# without the password, by TCP.
others_locked_out() {
	_u=mwprobe$$
	useradd -M -r -s /usr/sbin/nologin "$_u" || return 1
	_rc=0
	for _dsn in "host=$1/run port=$2 user=postgres dbname=postgres" \
	    "host=127.0.0.1 port=$2 user=postgres dbname=postgres" \
	    "host=127.0.0.1 port=$2 user=mitwirken_app dbname=postgres" \
	    "host=127.0.0.1 port=$2 user=$_u dbname=postgres"; do
		if (cd / && runuser -u "$_u" -- psql -X -w "$_dsn" \
		    -c "SELECT 1") >/dev/null 2>&1; then
			echo "another user connects with: $_dsn"
			_rc=1
		fi
	done
	userdel "$_u"
	return $_rc
}

# The pure modules once more under valgrind (memory errors, definite
# leaks); an ASan build cannot run under valgrind.
valgrind_clean() {
	valgrind -q --error-exitcode=1 --leak-check=full \
	    --errors-for-leak-kinds=definite "$BUILD/unit" \
	    >"$RUN/valgrind.log" 2>&1 || { cat "$RUN/valgrind.log"; return 1; }
	echo "valgrind: unit tests clean"
}

# Tests mirror src/lib/: each pure module has its unit test file.
every_module_tested() {
	untested=""
	for m in src/lib/*.c; do
		m=$(basename "$m" .c)
		[ -f "tests/unit/test_$m.c" ] || untested="$untested $m"
	done
	[ -z "$untested" ] || { echo "untested:$untested"; return 1; }
	echo "unit: every module of src/lib/ has tests/unit/test_<module>.c"
}

# The layering check must see a planted lib -> capability call, so a
# checker that stopped seeing edges fails here, not silently.
layers_see_plant() {
	plant=$RUN/layers-plant
	rm -rf "$plant" && mkdir -p "$plant/src/lib" "$plant/src/ideas"
	echo 'int ideas_secret(void); int lib_up(void) { return ideas_secret(); }' \
	    >"$plant/lib.c"
	echo 'int ideas_secret(void); int ideas_secret(void) { return 1; }' \
	    >"$plant/cap.c"
	cc -c -o "$plant/src/lib/up.o" "$plant/lib.c" &&
	    cc -c -o "$plant/src/ideas/secret.o" "$plant/cap.c" || return 1
	if sh src/tools/layers.sh "$plant" >"$RUN/layers-plant.log" 2>&1 ||
	    ! grep -q "src/lib/up -> src/ideas/secret: ideas_secret" \
	    "$RUN/layers-plant.log"; then
		cat "$RUN/layers-plant.log"
		return 1
	fi
	echo "layers: a planted lib -> capability call is found"
}

if [ -n "${MITWIRKEN_ASAN:-}" ]; then
	skipped=$((skipped + 1))
else
	tally "valgrind found memory errors in the unit tests" valgrind_clean
fi
tally "src/lib/ modules without tests/unit/test_<module>.c" \
    every_module_tested

echo "== layers"
tally "a lib or core file calls up into a capability" \
    sh src/tools/layers.sh "$BUILD/obj"
tally "layers.sh did not report a planted lib -> capability call" \
    layers_see_plant

echo "== integration set-up"
if [ -f tests/package-lock.json ] && { [ ! -d tests/node_modules ] ||
    [ tests/package-lock.json -nt tests/node_modules ]; }; then
	(cd tests && npm ci --no-audit --no-fund --loglevel=error) ||
	    { echo "npm ci failed"; echo "$passed passed, $((failed + 1)) failed, $skipped skipped"; exit 1; }
fi
if [ -n "${DATABASE_URL:-}" ]; then
	admin_url=$DATABASE_URL
	case "$DATABASE_URL" in
	*\?*) test_url="$DATABASE_URL&dbname=$DB" ;;
	*) test_url="$DATABASE_URL?dbname=$DB" ;;
	esac
	export MITWIRKEN_TEST_PGDIR=""
else
	PGDIR=$(pg_home "$STATE/pgtest")
	pg_up "$PGDIR" "$PGPORT" 9>&- || { echo "0 passed, 1 failed"; exit 1; }
	own_pg=1
	admin_url=$(pg_url "$PGDIR" "$PGPORT" postgres)
	test_url=$(pg_url "$PGDIR" "$PGPORT" "$DB")
	export MITWIRKEN_TEST_PGDIR=$PGDIR MITWIRKEN_TEST_PGPORT=$PGPORT
fi
psql -X -q "$admin_url" -c "CREATE DATABASE \"$DB\"" >/dev/null ||
    { echo "$passed passed, $((failed + 1)) failed"; exit 1; }
export DATABASE_URL=$test_url
"$BUILD/mitwirken-migrate" sql >"$RUN/migrate.log" 2>&1 ||
    { cat "$RUN/migrate.log"; echo "$passed passed, $((failed + 1)) failed"; exit 1; }

# Kore connects as the application's role, not as the superuser that
# migrated and that the tests use to look into the database.
kore_url=$DATABASE_URL
if [ "$own_pg" -eq 1 ] && command -v pg_grant_app >/dev/null; then
	pg_grant_app "$PGDIR" "$PGPORT" "$DB"
	kore_url=$(pg_app_url "$PGDIR" "$PGPORT" "$DB")
fi

port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
# As make run does: as root, the workers run unprivileged in a chroot,
# unless Kore must reach a DATABASE_URL it was given (maybe a socket).
drop=0
[ "$own_pg" -eq 1 ] && drop=1
MITWIRKEN_DROP=$drop MITWIRKEN_LISTEN=127.0.0.1:$port \
    MITWIRKEN_MODULE=$BUILD/mitwirken.so conf_render "$RUN/mitwirken.conf"
export MITWIRKEN_KEY_FILE=$RUN/mitwirken.key MITWIRKEN_MAIL_DIR=$RUN/mail
export MITWIRKEN_PUBLIC_URL=http://127.0.0.1:$port
# Small limits and a short window so the rate-limit tests see them reset;
# a trusted proxy header lets each test act from its own address.
export MITWIRKEN_LOGIN_LIMIT_ACCOUNT=5 MITWIRKEN_LOGIN_LIMIT_IP=20
export MITWIRKEN_LOGIN_WINDOW=10 MITWIRKEN_TRUST_PROXY=1
export MITWIRKEN_SUBMIT_LIMIT_ACCOUNT=30 MITWIRKEN_SUBMIT_LIMIT_IP=60
export MITWIRKEN_ANON_LIMIT_ADDRESS=5 MITWIRKEN_ANON_LIMIT_IP=200
export MITWIRKEN_ANON_WINDOW=3600
export MITWIRKEN_SUBMIT_WINDOW=3600 MITWIRKEN_FORM_MIN_SECONDS=1
export MITWIRKEN_IDEM_LIMIT=20
# An export whose client reads nothing is cut after this many seconds.
export MITWIRKEN_STREAM_STALL=3
rm -rf "$RUN/mail"
: >"$RUN/kore.log"
if [ -n "${MITWIRKEN_ASAN:-}" ]; then
	# kore itself is not instrumented: the runtime must come first.
	kore_start "$RUN/mitwirken.conf" "$RUN/kore.log" env \
	    DATABASE_URL="$kore_url" LD_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libubsan.so)" \
	    ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:halt_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
else
	# A fixed mmap threshold: glibc otherwise raises it after the first
	# large free, and reallocs past it (mremap, which the sandbox must
	# allow) would happen only in a fresh worker, not in the tests.
	kore_start "$RUN/mitwirken.conf" "$RUN/kore.log" env \
	    DATABASE_URL="$kore_url" GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072:glibc.malloc.top_pad=0
fi
kpid=$KORE_PID
kore_wait "http://127.0.0.1:$port/healthz" "$kpid" "$RUN/kore.log" ||
    { echo "$passed passed, $((failed + 1)) failed, $skipped skipped"; exit 1; }

echo "== integration tests (Kore on 127.0.0.1:$port, database $DB)"
BASE_URL=http://127.0.0.1:$port KORE_LOG=$RUN/kore.log \
    MIGRATE_BIN=$(realpath "$BUILD/mitwirken-migrate") \
    MAILER_BIN=$(realpath "$BUILD/mitwirken-mailer") \
    ADMIN_BIN=$(realpath "$BUILD/mitwirken-admin") \
    WEAKHASH_BIN=$(realpath "$BUILD/weakhash") \
    MKSTAMP_BIN=$(realpath "$BUILD/mkstamp") \
    SURVEYCHECK_BIN=$(realpath "$BUILD/surveycheck") \
    IMAGEGEN_BIN=$(realpath "$BUILD/imagegen") \
    node --test --test-concurrency=1 --test-reporter=tap ${MITWIRKEN_TESTS:-tests/http/} \
    >"$RUN/tap.log" 2>&1 9>&-
grep -E "^not ok|^# (pass|fail|skip)" "$RUN/tap.log"
grep -B2 -A30 "^not ok" "$RUN/tap.log" | head -150
p=$(sed -n 's/^# pass \([0-9]*\)/\1/p' "$RUN/tap.log")
f=$(sed -n 's/^# fail \([0-9]*\)/\1/p' "$RUN/tap.log")
s=$(sed -n 's/^# skipped \([0-9]*\)/\1/p' "$RUN/tap.log")
[ -n "$p" ] || { tail -30 "$RUN/tap.log"; f=$((${f:-0} + 1)); }
add_counts "${p:-0} passed, ${f:-0} failed, ${s:-0} skipped"

# A worker killed by the sandbox or a sanitizer is a failure even if every
# request happened to be answered.
if grep -E "sandbox violation|AddressSanitizer|runtime error:|worker .* exited with|fatal|bug id=" \
    "$RUN/kore.log" >/dev/null; then
	echo "FAIL server log shows a crash or sanitizer report:"
	grep -E -B2 -A20 "sandbox violation|AddressSanitizer|runtime error:|worker .* exited with|fatal|bug id=" \
	    "$RUN/kore.log" | head -60
	failed=$((failed + 1))
else
	passed=$((passed + 1))
fi

# A worker whose main thread the sandbox killed never exits (see
# kore_wedged): nothing reaches the log, so look at the processes.
wedged=$(kore_wedged "$kpid")
if [ -n "$wedged" ]; then
	echo "FAIL a Kore worker's main thread was killed (seccomp?): pid" $wedged
	failed=$((failed + 1))
else
	passed=$((passed + 1))
fi

# Started as root, every worker has given up root and sits in the empty
# chroot: a hole in a handler reaches neither root nor the file system.
workers_unprivileged() {
	n=0
	for w in $(kore_members "$kpid"); do
		grep -q 'wrk' "/proc/$w/cmdline" 2>/dev/null || continue
		uid=$(awk '/^Uid:/ { print $2 }' "/proc/$w/status")
		jail=$(readlink "/proc/$w/root")
		if [ "$uid" = 0 ] || [ "$jail" != "$RUN/kore-root" ]; then
			echo "worker $w: uid $uid, root $jail"
			return 1
		fi
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] || { echo "no workers found"; return 1; }
	echo "kore: $n workers as uid $uid, chrooted in $jail"
}

if [ "$(id -u)" -eq 0 ] && [ "$own_pg" -eq 1 ]; then
	tally "a Kore worker runs as root or outside its chroot" \
	    workers_unprivileged
fi

# The private cluster only: with DATABASE_URL the roles are the operator's.
if [ "$own_pg" -eq 1 ]; then
	tally "Kore's database role may change no schema and no roles" \
	    db_role_limited "$kore_url"
	tally "the cluster's socket folder is private" socket_private "$PGDIR"
	if [ "$(id -u)" -eq 0 ]; then
		tally "another local user cannot connect to the cluster" \
		    others_locked_out "$PGDIR" "$PGPORT"
	else
		skipped=$((skipped + 1))
	fi
else
	skipped=$((skipped + 3))
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
