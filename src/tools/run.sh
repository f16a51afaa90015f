#!/bin/sh
# make run: private PostgreSQL (unless DATABASE_URL is set), migrations,
# then Kore in the foreground.  Ctrl-C stops Kore and the private cluster.
set -eu
cd "$(dirname "$0")/../.."
. src/tools/pg.sh
. src/tools/conf.sh

STATE=${MITWIRKEN_STATE:-var}
mkdir -p "$STATE"
STATE=$(realpath "$STATE")
PGPORT=${MITWIRKEN_PGPORT:-54329}
own_pg=0

# Migrations run as the owner (MITWIRKEN_MIGRATE_URL, by default
# DATABASE_URL); Kore and the mailer as the application's role.  On the
# private cluster the owner is the superuser on the private socket, and
# the application's role gets its privileges after every migration.
if [ -z "${DATABASE_URL:-}" ]; then
	PGDIR=$(pg_home "$STATE/pg")
	pg_up "$PGDIR" "$PGPORT"
	own_pg=1
	pg_createdb "$PGDIR" "$PGPORT" mitwirken
	MITWIRKEN_MIGRATE_URL=$(pg_url "$PGDIR" "$PGPORT" mitwirken)
	DATABASE_URL=$(pg_app_url "$PGDIR" "$PGPORT" mitwirken)
fi
export MITWIRKEN_KEY_FILE=${MITWIRKEN_KEY_FILE:-$STATE/mitwirken.key}

DATABASE_URL=${MITWIRKEN_MIGRATE_URL:-$DATABASE_URL} build/mitwirken-migrate sql
[ "$own_pg" -eq 1 ] && pg_grant_app "$PGDIR" "$PGPORT" mitwirken
export DATABASE_URL
MITWIRKEN_DROP=1 conf_render "$STATE/mitwirken.conf"

# Outgoing mail: without MITWIRKEN_SMTP_HOST it lands in $STATE/mail.
export MITWIRKEN_MAIL_DIR=${MITWIRKEN_MAIL_DIR:-$STATE/mail}
build/mitwirken-mailer &
mpid=$!

listen=${MITWIRKEN_LISTEN:-127.0.0.1:8888}
echo "mitwirken: serving on http://$listen/  (Ctrl-C stops)"

stop() {
	[ -n "${kpid:-}" ] && kill -TERM "$kpid" 2>/dev/null || true
	kill -TERM "$mpid" 2>/dev/null || true
}
trap stop INT TERM
# As root the workers run as MITWIRKEN_RUNAS in a chroot (conf_drop).
flags="-n -r"
grep -q '^runas' "$STATE/mitwirken.conf" && flags=""
# shellcheck disable=SC2086
kore -f $flags -c "$STATE/mitwirken.conf" &
kpid=$!
wait "$kpid" || wait "$kpid" || true
kill -TERM "$mpid" 2>/dev/null || true
if [ "$own_pg" -eq 1 ]; then
	pg_down "$PGDIR"
	echo "mitwirken: stopped Kore and the private PostgreSQL cluster"
fi
