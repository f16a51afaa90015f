#!/bin/sh
# The crash test's hands: tests/crash/crash.mjs calls this for every kill
# and restart, one action a call, the answer on stdout.  The settings come
# from tests/crash/run.sh through the environment (CRASH_DIR, CRASH_CONF,
# CRASH_LOG, CRASH_URL, CRASH_PGDIR, CRASH_PGPORT, and Kore's own).
#
# Every Kore started here appends its pid (= its process group) to
# $CRASH_DIR/kore.groups: the last line is the running one, and run.sh
# stops every group listed there when it exits, however it exits.
#
#   start          start Kore, wait for /healthz; prints its pid
#   workers        the pids of the running Kore's workers
#   kill-worker    SIGKILL one worker; prints its pid
#   kill-parent    SIGKILL the running Kore's parent; prints its pid
#   members PGID   the live processes of group PGID
#   stop PGID      kore_stop PGID
#   pg-crash       stop PostgreSQL with -m immediate (a crash: no
#                  checkpoint, no goodbye to clients; recovery at start)
#   pg-start       start PostgreSQL again
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=/dev/null
. src/tools/pg.sh
# shellcheck source=/dev/null
. src/tools/kore.sh

current() {
	tail -n 1 "$CRASH_DIR/kore.groups" 2>/dev/null
}

case "${1:-}" in
start)
	kore_start "$CRASH_CONF" "$CRASH_LOG"
	echo "$KORE_PID" >>"$CRASH_DIR/kore.groups"
	kore_wait "$CRASH_URL/healthz" "$KORE_PID" "$CRASH_LOG" 20 || exit 1
	echo "$KORE_PID"
	;;
workers)
	kore_workers "$(current)"
	;;
kill-worker)
	w=$(kore_workers "$(current)" | head -n 1)
	[ -n "$w" ] || { echo "no worker to kill" >&2; exit 1; }
	kill -KILL "$w" && echo "$w"
	;;
kill-parent)
	p=$(current)
	[ -n "$p" ] || { echo "no Kore running" >&2; exit 1; }
	kill -KILL "$p" && echo "$p"
	;;
members)
	kore_members "$2"
	;;
stop)
	kore_stop "$2"
	;;
pg-crash)
	pg_as "$PGBIN/pg_ctl" -D "$CRASH_PGDIR/data" -m immediate -w stop \
	    >/dev/null
	;;
pg-start)
	pg_up "$CRASH_PGDIR" "$CRASH_PGPORT"
	;;
*)
	echo "usage: $0 start|workers|kill-worker|kill-parent|members PGID|stop PGID|pg-crash|pg-start" >&2
	exit 2
	;;
esac
