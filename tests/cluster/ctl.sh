#!/bin/sh
# The cluster test's hands: tests/cluster/cluster.mjs calls this for every
# kill, stop, start and promotion, one action a call.  The settings come
# from tests/cluster/run.sh through the environment (CT_STATE and the
# variables of src/tools/cluster.sh, DATABASE_URL and the rest for nodes).
#
#   kill-node I        SIGKILL node I's whole process group (a crash)
#   start-node I       start node I again on its port, wait for /healthz
#   stop-pg N          pg_ctl stop -m fast the cluster pgN (1 or 2)
#   crash-pg N         pg_ctl stop -m immediate pgN (no checkpoint: a crash)
#   start-pg N         start pgN again (primary or standby, as it is)
#   promote N          pg_ctl promote pgN: the operator's failover step
#   sync N 0|1         synchronous replication on the primary pgN, or not
#   rebuild N M        pgN made again as a streaming replica of the primary pgM
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
cl_init "$CT_STATE" >/dev/null || exit 1

dir() { if [ "$1" = 1 ]; then echo "$CL_P1"; else echo "$CL_P2"; fi; }
port() { if [ "$1" = 1 ]; then echo "$CL_PORT1"; else echo "$CL_PORT2"; fi; }

case "${1:-}" in
kill-node)	cl_node_stop "$2" kill ;;
start-node)	cl_node_start "$2" ;;
stop-pg)	pg_down "$(dir "$2")" fast ;;
crash-pg)	pg_as "$PGBIN/pg_ctl" -D "$(dir "$2")/data" -m immediate -w stop >/dev/null ;;
start-pg)	pg_start "$(dir "$2")" "$(port "$2")" ;;
promote)	cl_promote "$(dir "$2")" ;;
sync)		cl_sync "$(dir "$2")" "$(port "$2")" "$3" ;;
rebuild)
	pg_down "$(dir "$2")" immediate
	pg_as rm -rf "$(dir "$2")/data"
	cl_replica "$(dir "$3")" "$(port "$3")" "$(dir "$2")" "$(port "$2")"
	;;
*)
	echo "usage: $0 kill-node I|start-node I|stop-pg N|crash-pg N|start-pg N|promote N|sync N 0|1|rebuild N M" >&2
	exit 2
	;;
esac
