#!/bin/sh
# make admin EMAIL=...: makes EMAIL an administrator on the database that
# make run uses (starting the private cluster for the moment if needed) and
# prints a one-time link to set the password.  make stats-check and make
# stats-rebuild run mitwirken-admin stats-check / stats-rebuild on the same
# database.
set -eu
cd "$(dirname "$0")/../.."
. src/tools/pg.sh

[ -n "${1:-}" ] || { echo "usage: make admin EMAIL=you@example.org" \
    "| make stats-check | make stats-rebuild"; exit 2; }
STATE=${MITWIRKEN_STATE:-var}
mkdir -p "$STATE"
STATE=$(realpath "$STATE")
PGPORT=${MITWIRKEN_PGPORT:-54329}
export MITWIRKEN_KEY_FILE=${MITWIRKEN_KEY_FILE:-$STATE/mitwirken.key}
started=0
if [ -z "${DATABASE_URL:-}" ]; then
	PGDIR=$(pg_home "$STATE/pg")
	if ! pg_as "$PGBIN/pg_ctl" -D "$PGDIR/data" status >/dev/null 2>&1; then
		pg_up "$PGDIR" "$PGPORT"
		started=1
	fi
	pg_createdb "$PGDIR" "$PGPORT" mitwirken
	DATABASE_URL=$(pg_url "$PGDIR" "$PGPORT" mitwirken)
fi
export DATABASE_URL
if [ ! -f "$MITWIRKEN_KEY_FILE" ]; then
	# The server creates the key on first start; do the same here.
	(umask 077 && head -c 64 /dev/urandom >"$MITWIRKEN_KEY_FILE")
fi
DATABASE_URL=${MITWIRKEN_MIGRATE_URL:-$DATABASE_URL} build/mitwirken-migrate sql >/dev/null
rc=0
build/mitwirken-admin "$1" || rc=$?
[ "$started" -eq 1 ] && pg_down "$PGDIR"
exit $rc
