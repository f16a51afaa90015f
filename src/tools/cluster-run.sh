#!/bin/sh
# make cluster: on loopback, a PostgreSQL primary and a streaming replica,
# MITWIRKEN_NODES (default 2) Kore nodes sharing one key file, the mailer
# once, and Debian's nginx in front terminating TLS.  Ctrl-C stops it all.
# README "Cluster"; the functions are in src/tools/cluster.sh.
set -eu
cd "$(dirname "$0")/../.."
. src/tools/pg.sh
. src/tools/conf.sh
. src/tools/kore.sh
. src/tools/cluster.sh

if [ -n "${DATABASE_URL:-}" ]; then
	echo "cluster: DATABASE_URL is set; make cluster starts its own clusters" \
	    "(unset it, or run nodes yourself: README \"Deployment\")" >&2
	exit 1
fi
STATE=${MITWIRKEN_STATE:-var}
mkdir -p "$STATE"
STATE=$(realpath "$STATE")
cl_init "$STATE"

stopping=0
stop() {
	[ "$stopping" = 1 ] && return
	stopping=1
	trap '' INT TERM HUP
	echo
	echo "cluster: stopping nginx, $CL_NODES nodes, the mailer, PostgreSQL"
	cl_stop_all
	echo "cluster: stopped"
}
trap 'stop; exit 130' INT TERM HUP
trap stop EXIT

# Which cluster is the primary: the one that is no standby.  After a
# failover (README "Cluster") that is pg2, and pg1 is rebuilt from it.
P=$CL_P1 PP=$CL_PORT1 R=$CL_P2 RP=$CL_PORT2
if [ -f "$CL_P1/data/standby.signal" ] && [ -f "$CL_P2/data/PG_VERSION" ] &&
    [ ! -f "$CL_P2/data/standby.signal" ]; then
	P=$CL_P2 PP=$CL_PORT2 R=$CL_P1 RP=$CL_PORT1
elif [ -f "$CL_P1/data/PG_VERSION" ] && [ -f "$CL_P2/data/PG_VERSION" ] &&
    [ ! -f "$CL_P1/data/standby.signal" ] && [ ! -f "$CL_P2/data/standby.signal" ]; then
	echo "cluster: both $CL_P1 and $CL_P2 are primaries (a failover happened" \
	    "and the old primary was not rebuilt).  Keep the newer one; remove" \
	    "the other's data folder, and make cluster makes it a replica again." >&2
	exit 1
fi
cl_primary "$P" "$PP"
[ -f "$R/app.password" ] || cp "$P/app.password" "$R/app.password"
DATABASE_URL=$(pg_url "$P" "$PP" mitwirken) build/mitwirken-migrate sql
pg_grant_app "$P" "$PP" mitwirken
cl_sync "$P" "$PP" "$CL_SYNC"
cl_replica "$P" "$PP" "$R" "$RP"

export DATABASE_URL MITWIRKEN_REPLICA_URL
DATABASE_URL=$(cl_app_url "$PP" "$RP")
MITWIRKEN_REPLICA_URL=$(cl_replica_url "$RP")
export MITWIRKEN_KEY_FILE=${MITWIRKEN_KEY_FILE:-$CL/mitwirken.key}
export MITWIRKEN_BEHIND_TLS=1 MITWIRKEN_TRUST_PROXY=1
export MITWIRKEN_PUBLIC_URL=${MITWIRKEN_PUBLIC_URL:-https://$CL_HTTPS}
export MITWIRKEN_MAIL_DIR=${MITWIRKEN_MAIL_DIR:-$CL/mail}

# Node 1 first: it makes the key file if there is none; the others read it.
i=1
while [ "$i" -le "$CL_NODES" ]; do
	cl_node_start "$i"
	echo "cluster: node $i on http://$(cl_node_listen "$i")/ (log $CL/node$i/kore.log)"
	i=$((i + 1))
done
build/mitwirken-mailer >>"$CL/mailer.log" 2>&1 &
echo $! >"$CL/mailer.pid"
cl_nginx_render
cl_nginx_start

sync_word=asynchronous
[ "$CL_SYNC" = 1 ] && sync_word=synchronous
echo "cluster: PostgreSQL primary on 127.0.0.1:$PP, $sync_word replica on 127.0.0.1:$RP"
echo "cluster: certificate $CL/nginx/cert.pem (self-signed: curl --cacert it, or accept it once)"
echo "mitwirken: serving on https://$CL_HTTPS/  (Ctrl-C stops)"
while :; do
	sleep 1 &
	wait $! || true
	# A node that stopped is reported (a supervisor would restart it).
	i=1
	while [ "$i" -le "$CL_NODES" ]; do
		g=$(cat "$CL/node$i/kore.pgid" 2>/dev/null || true)
		if [ -n "$g" ] && [ -z "$(kore_members "$g")" ]; then
			echo "cluster: node $i has stopped; see $CL/node$i/kore.log"
			rm -f "$CL/node$i/kore.pgid"
		fi
		i=$((i + 1))
	done
done
