#!/bin/sh
# make cluster-test: the loopback cluster of make cluster (src/tools/
# cluster.sh) on fresh PostgreSQL clusters, then tests/cluster/cluster.mjs:
# nodes alternating within one session, an idempotent retry on the other
# node, request smuggling refused at nginx, kill -9 of a node under load,
# the replica stopped, the primary crashed and the replica promoted (with
# synchronous, then asynchronous replication), and the measurements (README
# "Cluster").  Bounded by CLUSTER_BUDGET (seconds, default 240); stops
# everything it started on exit and on Ctrl-C.  Last line "N passed, N
# failed".  State (logs) in STATE/cluster-test/.
#
# usage: tests/cluster/run.sh BUILD_DIR
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=/dev/null
. src/tools/pg.sh
# shellcheck source=/dev/null
. src/tools/conf.sh
# shellcheck source=/dev/null
. src/tools/kore.sh
# shellcheck source=/dev/null
. src/tools/cluster.sh

BUILD=${1:-build}
STATE=$(realpath -m "${MITWIRKEN_STATE:-var}")
CT_STATE=$STATE/cluster-test
export CT_STATE
unset DATABASE_URL MITWIRKEN_REPLICA_URL
for tool in kore psql node curl nginx openssl wrk; do
	command -v "$tool" >/dev/null 2>&1 ||
	    { echo "cluster-test: $tool is missing (make cluster-deps)"; exit 1; }
done
[ -f "$BUILD/mitwirken.so" ] || { echo "cluster-test: $BUILD is not built"; exit 1; }
mkdir -p "$CT_STATE"
exec 9>"$CT_STATE/lock"
flock -n 9 || { echo "cluster-test: another run on $CT_STATE"; exit 1; }
cl_init "$CT_STATE" || exit 1
npid=""

# shellcheck disable=SC2317
cleanup() {
	trap - EXIT
	trap '' INT TERM HUP
	[ -n "$npid" ] && kill -TERM "$npid" 2>/dev/null && wait "$npid" 2>/dev/null
	cl_stop_all 9>&-
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# A run killed before its cleanup may have left its processes: stop them.
cl_stop_all 9>&- 2>/dev/null
for p in "$CL_PORT1" "$CL_PORT2" "${CL_HTTPS##*:}" $(seq "$CL_NODE_PORT" $((CL_NODE_PORT + CL_NODES - 1))); do
	if ss -ltn "sport = :$p" | grep -q LISTEN; then
		echo "cluster-test: port $p is taken (make cluster running?)"
		exit 1
	fi
done

echo "== cluster-test set-up"
# Fresh clusters: pg1 the primary, pg2 its replica.
pg_as rm -rf "$CL_P1/data" "$CL_P2/data"
rm -rf "$CL"/node* "$CL/mail" "$CL/mitwirken.key" "$CL/nginx"/*.log
cl_primary "$CL_P1" "$CL_PORT1" 9>&- || exit 1
DATABASE_URL=$(pg_url "$CL_P1" "$CL_PORT1" mitwirken) \
    "$BUILD/mitwirken-migrate" sql >"$CL/migrate.log" 2>&1 ||
    { cat "$CL/migrate.log"; exit 1; }
pg_grant_app "$CL_P1" "$CL_PORT1" mitwirken
cl_sync "$CL_P1" "$CL_PORT1" 1
cl_replica "$CL_P1" "$CL_PORT1" "$CL_P2" "$CL_PORT2" 9>&- || exit 1

export DATABASE_URL MITWIRKEN_REPLICA_URL
DATABASE_URL=$(cl_app_url "$CL_PORT1" "$CL_PORT2")
MITWIRKEN_REPLICA_URL=$(cl_replica_url "$CL_PORT2")
export MITWIRKEN_MODULE=$BUILD/mitwirken.so
export MITWIRKEN_KEY_FILE=$CL/mitwirken.key MITWIRKEN_MAIL_DIR=$CL/mail
export MITWIRKEN_BEHIND_TLS=1 MITWIRKEN_TRUST_PROXY=1
export MITWIRKEN_PUBLIC_URL=https://$CL_HTTPS
# The load comes from one address (nginx's view of the loopback): no
# quota may refuse it; the quotas have their own tests in make test.
export MITWIRKEN_SUBMIT_LIMIT_ACCOUNT=100000 MITWIRKEN_SUBMIT_LIMIT_IP=100000
export MITWIRKEN_LOGIN_LIMIT_ACCOUNT=10000 MITWIRKEN_LOGIN_LIMIT_IP=100000
export MITWIRKEN_IDEM_LIMIT=1000000 MITWIRKEN_ANON_LIMIT_ADDRESS=100000
export MITWIRKEN_ANON_LIMIT_IP=100000 MITWIRKEN_REQUIRE_VERIFIED=0
# One worker per node: two nodes on two cores.
export MITWIRKEN_WORKERS=${MITWIRKEN_WORKERS:-1}
i=1
while [ "$i" -le "$CL_NODES" ]; do
	cl_node_start "$i" 9>&- || exit 1
	i=$((i + 1))
done
"$BUILD/mitwirken-mailer" >>"$CL/mailer.log" 2>&1 9>&- &
echo $! >"$CL/mailer.pid"
cl_nginx_render || exit 1
cl_nginx_start 9>&- || exit 1
if [ -f tests/package-lock.json ] && [ ! -d tests/node_modules ]; then
	(cd tests && npm ci --no-audit --no-fund --loglevel=error) || exit 1
fi

export CT_NGINX=https://$CL_HTTPS CT_NODES="" CT_CL=$CL
i=1
while [ "$i" -le "$CL_NODES" ]; do
	CT_NODES="$CT_NODES http://$(cl_node_listen "$i")"
	i=$((i + 1))
done
export CT_PG1="postgresql://postgres@/mitwirken?host=$CL_P1/run&port=$CL_PORT1"
export CT_PG2="postgresql://postgres@/mitwirken?host=$CL_P2/run&port=$CL_PORT2"
export NODE_EXTRA_CA_CERTS=$CL/nginx/cert.pem
node tests/cluster/cluster.mjs 9>&- &
npid=$!
wait "$npid"
rc=$?
npid=""
exit "$rc"
