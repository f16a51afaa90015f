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

if [ -z "${DATABASE_URL:-}" ]; then
	PGDIR=$(pg_home "$STATE/pg")
	pg_up "$PGDIR" "$PGPORT"
	own_pg=1
	pg_createdb "$PGDIR" "$PGPORT" mitwirken
	DATABASE_URL=$(pg_url "$PGDIR" "$PGPORT" mitwirken)
fi
export DATABASE_URL
export MITWIRKEN_KEY_FILE=${MITWIRKEN_KEY_FILE:-$STATE/mitwirken.key}

build/mitwirken-migrate sql
conf_render "$STATE/mitwirken.conf"

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
kore -f -n -r -c "$STATE/mitwirken.conf" &
kpid=$!
wait "$kpid" || wait "$kpid" || true
kill -TERM "$mpid" 2>/dev/null || true
if [ "$own_pg" -eq 1 ]; then
	pg_down "$PGDIR"
	echo "mitwirken: stopped Kore and the private PostgreSQL cluster"
fi
