#!/bin/sh
# make bench: every performance figure as a ratio against a baseline taken
# in the same run on this machine (see README "Performance").  Not part of
# make test.
#
# This script owns the processes: a private PostgreSQL cluster
# (var/pgbench, port MITWIRKEN_BENCH_PGPORT, default 54349) with a fresh
# database mitwirken_bench, Kore with the application on a free loopback
# port, and Kore with bare handlers (compiled here from the C below: "ok",
# and SELECT 1 through kore_pgsql) on another.  tests/bench/bench.mjs then runs the scenarios listed in
# tests/bench/scenarios.mjs and writes var/bench/results.{md,csv}.
# Everything is stopped, and the database dropped, on exit and on Ctrl-C.
#
# usage: QUICK=1 tests/bench/run.sh BUILD_DIR
# environment: QUICK (1 = short development run), MITWIRKEN_WORKERS,
# MITWIRKEN_DB_CONNS, MITWIRKEN_STATE, MITWIRKEN_BENCH_PGPORT,
# BENCH_DURATION (seconds per measurement), BENCH_ROUNDS, BENCH_BUDGET
# (seconds; scenarios that would not fit are skipped), BENCH_ONLY (comma-
# separated scenario ids).  DATABASE_URL is ignored: the baselines need
# the database server to themselves.
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=/dev/null
. src/tools/pg.sh
# shellcheck source=/dev/null
. src/tools/conf.sh
# shellcheck source=/dev/null
. src/tools/kore.sh

BUILD=${1:-build}
case "${QUICK:-}" in
''|0|no|false) QUICK=0 ;;
*) QUICK=1 ;;
esac
STATE=$(realpath -m "${MITWIRKEN_STATE:-var}")
BENCH=$STATE/bench
RAW=$BENCH/raw
PGPORT=${MITWIRKEN_BENCH_PGPORT:-54349}
DB=mitwirken_bench
WORKERS=${MITWIRKEN_WORKERS:-2}
DB_CONNS=${MITWIRKEN_DB_CONNS:-16}
PGDIR=""
kpid=""
bpid=""
npid=""
own_pg=0
admin_url=""

unset DATABASE_URL
mkdir -p "$BENCH/bare"
rm -rf "$RAW"
mkdir -p "$RAW"

for tool in kore wrk pgbench psql node cc curl; do
	command -v "$tool" >/dev/null 2>&1 ||
	    { echo "bench: $tool is missing (make deps installs it)"; exit 1; }
done
if [ ! -f "$BUILD/mitwirken.so" ] || [ ! -x "$BUILD/mitwirken-migrate" ]; then
	echo "bench: $BUILD is not built (make all)"
	exit 1
fi

# shellcheck disable=SC2317  # the trap runs it
cleanup() {
	# Once: a second Ctrl-C must not leave Kore or the cluster behind.
	trap - EXIT
	trap '' INT TERM HUP
	if [ -n "$npid" ] && kill -0 "$npid" 2>/dev/null; then
		kill -TERM "$npid" 2>/dev/null
		wait "$npid" 2>/dev/null
	fi
	[ -n "$kpid" ] && kore_stop "$kpid"
	[ -n "$bpid" ] && kore_stop "$bpid"
	# Millions of request lines are of no further use: keep the rest.
	if [ -f "$RAW/kore-app.log" ]; then
		grep -v '^req id=' "$RAW/kore-app.log" >"$RAW/kore-app.log.tmp"
		mv "$RAW/kore-app.log.tmp" "$RAW/kore-app.log"
	fi
	if [ -n "$admin_url" ]; then
		psql -X -q "$admin_url" -c "DROP DATABASE IF EXISTS $DB" \
		    >/dev/null 2>&1
	fi
	[ "$own_pg" -eq 1 ] && pg_down "$PGDIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

free_port() {
	node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

echo "== bench set-up ($([ "$QUICK" -eq 1 ] && echo quick || echo full) mode)"
PGDIR=$(pg_home "$STATE/pgbench")
pg_up "$PGDIR" "$PGPORT" || exit 1
own_pg=1
admin_url=$(pg_url "$PGDIR" "$PGPORT" postgres)
PGOPTIONS="-c client_min_messages=warning" \
    psql -X -q "$admin_url" -c "DROP DATABASE IF EXISTS $DB" >/dev/null &&
    psql -X -q "$admin_url" -c "CREATE DATABASE $DB" >/dev/null || exit 1
DATABASE_URL=$(pg_url "$PGDIR" "$PGPORT" "$DB")
DATABASE_URL=$DATABASE_URL "$BUILD/mitwirken-migrate" sql \
    >"$RAW/migrate.log" 2>&1 || { cat "$RAW/migrate.log"; exit 1; }

# The bare baselines: the least a Kore handler can do.  "ok" on every
# path, and on /readyz one SELECT 1 through kore_pgsql (the same pool size,
# asynchronous, extended protocol) and nothing else.  Same worker count,
# limits and catch-all route as conf/mitwirken.conf.in; the seccomp
# additions are the ones libpq needs at connect (see KORE-NOTES).
cat >"$BENCH/bare/bare.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>
#include <kore/seccomp.h>

KORE_SECCOMP_FILTER("bare",
	KORE_SYSCALL_ALLOW(newfstatat),
	KORE_SYSCALL_ALLOW(getdents64),
	KORE_SYSCALL_ALLOW(uname),
	KORE_SYSCALL_ALLOW(madvise),
	KORE_SYSCALL_ALLOW(sysinfo),
);

void	kore_parent_configure(int, char **);
int	bare_init(int);
int	bare(struct http_request *);
int	bare_select(struct http_request *);

/* Workers must not repeat the parent's buffered output (see KORE-NOTES). */
void
kore_parent_configure(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fflush(stdout);
	setvbuf(stdout, NULL, _IOLBF, 0);
}

int
bare_init(int state)
{
	if (state == KORE_MODULE_LOAD) {
		pgsql_conn_max = (u_int16_t)atoi(getenv("BARE_DB_CONNS"));
		if (!kore_pgsql_register("db", getenv("BARE_DSN")))
			return (KORE_RESULT_ERROR);
	}
	return (KORE_RESULT_OK);
}

int
bare(struct http_request *req)
{
	http_response(req, 200, "ok\n", 3);
	return (KORE_RESULT_OK);
}

static int
bare_done(struct http_request *req, struct kore_pgsql *sql, int status)
{
	if (status != 200)
		kore_pgsql_logerror(sql);
	kore_pgsql_cleanup(sql);
	kore_free(sql);
	req->hdlr_extra = NULL;
	http_response(req, status, status == 200 ? "ready\n" : NULL,
	    status == 200 ? 6 : 0);
	return (KORE_RESULT_OK);
}

int
bare_select(struct http_request *req)
{
	struct kore_pgsql	*sql = req->hdlr_extra;

	if (sql == NULL) {
		sql = kore_calloc(1, sizeof(*sql));
		kore_pgsql_init(sql);
		kore_pgsql_bind_request(sql, req);
		req->hdlr_extra = sql;
	}
	for (;;) {
		switch (sql->state) {
		case KORE_PGSQL_STATE_INIT:
			if (!kore_pgsql_setup(sql, "db", KORE_PGSQL_ASYNC)) {
				/* queued for a connection: Kore wakes us */
				if (sql->state == KORE_PGSQL_STATE_INIT)
					return (KORE_RESULT_RETRY);
				return (bare_done(req, sql, 503));
			}
			if (!kore_pgsql_query_params(sql, "SELECT 1", 0, 0))
				return (bare_done(req, sql, 503));
			break;
		case KORE_PGSQL_STATE_WAIT:
			return (KORE_RESULT_RETRY);
		case KORE_PGSQL_STATE_COMPLETE:
			return (bare_done(req, sql, 200));
		case KORE_PGSQL_STATE_ERROR:
			return (bare_done(req, sql, 503));
		default:	/* RESULT, DONE: read on */
			kore_pgsql_continue(sql);
			break;
		}
	}
}
EOF
# shellcheck disable=SC2046
cc -O2 -Wall -fPIC -shared $(cat /usr/share/kore/features) \
    -o "$BENCH/bare/bare.so" "$BENCH/bare/bare.c" ||
    { echo "bench: cannot build the bare Kore handler"; exit 1; }

app_port=$(free_port)
bare_port=$(free_port)
while [ "$bare_port" = "$app_port" ]; do bare_port=$(free_port); done

cat >"$BENCH/bare/bare.conf" <<EOF
server bare {
	bind		127.0.0.1 $bare_port
	tls		no
}
load		$BENCH/bare/bare.so bare_init
pidfile		$BENCH/bare/kore.pid
workers			$WORKERS
worker_max_connections	1024
worker_accept_threshold	16
http_request_limit	1000
http_keepalive_time	60
http_hsts_enable	0
pgsql_queue_limit	4096
domain * {
	attach		bare
	route		/readyz	bare_select
	route		^/.*\$	bare
}
EOF

MITWIRKEN_LISTEN=127.0.0.1:$app_port MITWIRKEN_MODULE=$BUILD/mitwirken.so \
    MITWIRKEN_WORKERS=$WORKERS conf_render "$BENCH/mitwirken.conf"

# Request lines go to a file, as in production; cleanup() drops them.
: >"$RAW/kore-app.log"
# The proxy header is trusted so that signin-under-signup-flood can play
# many anonymous clients from one machine.
kore_start "$BENCH/mitwirken.conf" "$RAW/kore-app.log" env \
    DATABASE_URL="$DATABASE_URL" MITWIRKEN_WORKERS="$WORKERS" \
    MITWIRKEN_TRUST_PROXY=1 \
    MITWIRKEN_DB_CONNS="$DB_CONNS" MITWIRKEN_KEY_FILE="$BENCH/mitwirken.key"
kpid=$KORE_PID
: >"$RAW/kore-bare.log"
kore_start "$BENCH/bare/bare.conf" "$RAW/kore-bare.log" env \
    BARE_DSN="$DATABASE_URL" BARE_DB_CONNS="$DB_CONNS"
bpid=$KORE_PID
kore_wait "http://127.0.0.1:$app_port/readyz" "$kpid" "$RAW/kore-app.log" ||
    exit 1
kore_wait "http://127.0.0.1:$bare_port/readyz" "$bpid" "$RAW/kore-bare.log" ||
    exit 1

# node runs in the background so that a signal reaches the trap at once;
# bench.mjs stops its own load generators on SIGTERM.
BENCH_QUICK=$QUICK BENCH_DIR=$BENCH BENCH_RAW=$RAW \
    BENCH_APP_URL=http://127.0.0.1:$app_port BENCH_APP_PID=$kpid \
    BENCH_BARE_URL=http://127.0.0.1:$bare_port BENCH_BARE_PID=$bpid \
    BENCH_PGDATA=$PGDIR/data \
    MITWIRKEN_WORKERS=$WORKERS MITWIRKEN_DB_CONNS=$DB_CONNS \
    DATABASE_URL=$DATABASE_URL PGHOST=$PGDIR/run PGPORT=$PGPORT \
    PGUSER=postgres PGDATABASE=$DB \
    node tests/bench/bench.mjs &
npid=$!
wait "$npid"
rc=$?
npid=""

# A worker killed by the sandbox, or any crash, invalidates the figures.
problems="sandbox violation|worker .* exited|fatal|AddressSanitizer|runtime error:"
if grep -E "$problems" "$RAW/kore-app.log" "$RAW/kore-bare.log" >/dev/null; then
	echo "bench: SERVER PROBLEM: the Kore log shows a crash:"
	grep -E -B2 -A10 "$problems" "$RAW/kore-app.log" "$RAW/kore-bare.log" |
	    head -60
	rc=1
fi
exit "$rc"
