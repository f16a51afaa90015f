#!/bin/sh
# make crash-test: crash durability.  Writers post under load and record
# every acknowledged id; meanwhile a Kore worker is killed with SIGKILL,
# then the Kore parent, then PostgreSQL is crashed (pg_ctl -m immediate),
# each restarted as a supervisor would (the worker by Kore itself, the
# database with no Kore restart).  Then every acknowledged write must be in
# the database with exactly what the client sent, nothing half-written may
# exist, clients must have seen 503 with Retry-After (never 500) during the
# outage, and the server must have recovered by itself.  The phases and
# checks are in tests/crash/crash.mjs; the kills and restarts in
# tests/crash/ctl.sh.  Not part of make test; about 1.5 minutes, bounded
# by CRASH_BUDGET (seconds, default 240).
#
# This script owns the processes: a private PostgreSQL cluster
# (var/pgcrash, port MITWIRKEN_CRASH_PGPORT, default 54369) with a fresh
# database mitwirken_crash_<pid>, and Kore on a free loopback port (every
# Kore the test started, in var/crash/kore.groups).  All are stopped, and
# the database dropped, on exit and on Ctrl-C.  DATABASE_URL is ignored:
# the test crashes its database server.  Logs stay in var/crash/.
#
# usage: tests/crash/run.sh BUILD_DIR
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=/dev/null
. src/tools/pg.sh
# shellcheck source=/dev/null
. src/tools/conf.sh
# shellcheck source=/dev/null
. src/tools/kore.sh

BUILD=${1:-build}
STATE=$(realpath -m "${MITWIRKEN_STATE:-var}")
CRASH=$STATE/crash
PGPORT=${MITWIRKEN_CRASH_PGPORT:-54369}
DB=mitwirken_crash_$$
PGDIR=""
npid=""
own_pg=0
admin_url=""

unset DATABASE_URL
for tool in kore psql node curl; do
	command -v "$tool" >/dev/null 2>&1 ||
	    { echo "crash: $tool is missing (make deps installs it)"; exit 1; }
done
if [ ! -f "$BUILD/mitwirken.so" ] || [ ! -x "$BUILD/mitwirken-migrate" ]; then
	echo "crash: $BUILD is not built (make all)"
	exit 1
fi

mkdir -p "$CRASH"
# One run at a time per state folder: runs share the cluster and logs.
exec 9>"$STATE/crash.lock"
if ! flock -n 9; then
	echo "crash: waiting for another make crash-test on $STATE to finish"
	flock 9
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
	if [ -f "$CRASH/kore.groups" ]; then
		while read -r g; do
			kore_stop "$g"
		done <"$CRASH/kore.groups"
	fi
	if [ -n "$admin_url" ]; then
		# The test crashed the cluster: it may be down at this point.
		pg_up "$PGDIR" "$PGPORT" 9>&- >/dev/null 2>&1
		psql -X -q "$admin_url" -c "DROP DATABASE IF EXISTS \"$DB\"" \
		    >/dev/null 2>&1
	fi
	[ "$own_pg" -eq 1 ] && pg_down "$PGDIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

echo "== crash-test set-up"
# The previous run's groups were stopped by its cleanup, or are stopped
# here if it was killed before that.
if [ -f "$CRASH/kore.groups" ]; then
	while read -r g; do
		for p in $(kore_members "$g"); do
			out=$(readlink "/proc/$p/fd/1" 2>/dev/null)
			if [ "${out% (deleted)}" = "$CRASH/kore.log" ]; then
				kore_stop "$g"
				break
			fi
		done
	done <"$CRASH/kore.groups"
fi
rm -f "$CRASH/kore.groups" "$CRASH/kore.log" "$CRASH/kore.pid"
rm -rf "$CRASH/mail"
if [ -f tests/package-lock.json ] && { [ ! -d tests/node_modules ] ||
    [ tests/package-lock.json -nt tests/node_modules ]; }; then
	(cd tests && npm ci --no-audit --no-fund --loglevel=error) || exit 1
fi
PGDIR=$(pg_home "$STATE/pgcrash")
pg_up "$PGDIR" "$PGPORT" 9>&- || exit 1
own_pg=1
admin_url=$(pg_url "$PGDIR" "$PGPORT" postgres)
psql -X -q "$admin_url" -c "CREATE DATABASE \"$DB\"" >/dev/null || exit 1
DATABASE_URL=$(pg_url "$PGDIR" "$PGPORT" "$DB")
export DATABASE_URL
"$BUILD/mitwirken-migrate" sql >"$CRASH/migrate.log" 2>&1 ||
    { cat "$CRASH/migrate.log"; exit 1; }

port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
MITWIRKEN_LISTEN=127.0.0.1:$port MITWIRKEN_MODULE=$BUILD/mitwirken.so \
    conf_render "$CRASH/mitwirken.conf"
export MITWIRKEN_KEY_FILE=$CRASH/mitwirken.key MITWIRKEN_MAIL_DIR=$CRASH/mail
export MITWIRKEN_PUBLIC_URL=http://127.0.0.1:$port
# The writers must be limited by nothing but the crashes: no submission or
# sign-in limits (each writer posts from its own X-Forwarded-For address),
# no verification step.
export MITWIRKEN_SUBMIT_LIMIT_ACCOUNT=10000 MITWIRKEN_SUBMIT_LIMIT_IP=10000
export MITWIRKEN_SUBMIT_WINDOW=60
export MITWIRKEN_LOGIN_LIMIT_ACCOUNT=10000 MITWIRKEN_LOGIN_LIMIT_IP=100000
# The writers are the only clients: no quota may refuse them (the quotas
# have tests of their own in make test).
export MITWIRKEN_IDEM_LIMIT=100000 MITWIRKEN_ANON_LIMIT_ADDRESS=100000
export MITWIRKEN_ANON_LIMIT_IP=100000
export MITWIRKEN_REQUIRE_VERIFIED=0 MITWIRKEN_TRUST_PROXY=1
export CRASH_DIR=$CRASH CRASH_CONF=$CRASH/mitwirken.conf
export CRASH_LOG=$CRASH/kore.log CRASH_URL=http://127.0.0.1:$port
export CRASH_PGDIR=$PGDIR CRASH_PGPORT=$PGPORT

# node runs in the background so that a signal reaches the trap at once.
node tests/crash/crash.mjs 9>&- &
npid=$!
wait "$npid"
rc=$?
npid=""
exit "$rc"
