# Shell functions for the loopback cluster (sourced by src/tools/
# cluster-run.sh, make cluster, and tests/cluster/, make cluster-test, next
# to pg.sh, conf.sh and kore.sh): a PostgreSQL primary and a streaming
# replica, MITWIRKEN_NODES Kore nodes, Debian's nginx with TLS in front.
# README "Cluster".  Everything lives under CL (STATE/cluster): pg1/ and
# pg2/ (the clusters; which one is primary changes with a failover),
# node<i>/ (rendered conf, pid, log), nginx/ (prefix, conf, certificate),
# mitwirken.key (one key file for every node).

# cl_init STATE: the settings, from the environment.
cl_init() {
	CL=$1/cluster
	mkdir -p "$CL"
	CL=$(realpath "$CL")
	CL_PORT1=${MITWIRKEN_CLUSTER_PGPORT1:-54381}
	CL_PORT2=${MITWIRKEN_CLUSTER_PGPORT2:-54382}
	CL_NODES=${MITWIRKEN_NODES:-2}
	CL_NODE_PORT=${MITWIRKEN_CLUSTER_NODE_PORT:-18081}
	CL_HTTPS=${MITWIRKEN_CLUSTER_HTTPS:-127.0.0.1:18443}
	# 1: the primary waits for the replica to have flushed each commit
	# (synchronous_standby_names): an acknowledged write survives the
	# primary's loss.  0: asynchronous, what may be lost is README
	# "Cluster".
	CL_SYNC=${MITWIRKEN_CLUSTER_SYNC:-1}
	case $CL_NODES in
	''|*[!0-9]*|0) echo "cluster: MITWIRKEN_NODES must be 1 to 9" >&2
		return 1 ;;
	esac
	[ "$CL_NODES" -le 9 ] ||
	    { echo "cluster: MITWIRKEN_NODES must be 1 to 9" >&2; return 1; }
	CL_P1=$(pg_home "$CL/pg1")
	CL_P2=$(pg_home "$CL/pg2")
	# The replica's walreceiver (OS user postgres, or the user running
	# this) reaches the primary on its private socket by peer
	# authentication, as the superuser does (pg_auth): no password.
}

# cl_app_url PORT...: the application's URL naming these servers, in order.
# libpq tries them in turn and, with target_session_attrs=read-write,
# keeps the first that accepts writes: after a promotion the nodes find
# the new primary at their next connection, with no restart.
cl_app_url() {
	_hosts="" _ports=""
	for _p in "$@"; do
		_hosts="$_hosts${_hosts:+,}127.0.0.1"
		_ports="$_ports${_ports:+,}$_p"
	done
	echo "postgresql://mitwirken_app:$(cat "$CL/app.password")@/mitwirken?hostaddr=$_hosts&port=$_ports&target_session_attrs=read-write&connect_timeout=2&gssencmode=disable"
}

# cl_replica_url PORT: the replica pool's URL (any server, reads only).
cl_replica_url() {
	echo "postgresql://mitwirken_app:$(cat "$CL/app.password")@/mitwirken?hostaddr=127.0.0.1&port=$1&connect_timeout=2&gssencmode=disable"
}

# cl_sql DIR PORT SQL: as the superuser on the private socket.
cl_sql() {
	psql -X -q -tA -v ON_ERROR_STOP=1 -h "$1/run" -p "$2" -U postgres \
	    -d "${4:-postgres}" -c "$3"
}

# cl_sync DIR PORT 0|1: synchronous replication on the primary in DIR, or
# not.  ALTER SYSTEM, so that a standby made from it by pg_basebackup
# copies the setting: cl_replica removes it there, since a promoted
# standby with no standby of its own would wait for ever.
cl_sync() {
	if [ "$3" = 1 ]; then
		cl_sql "$1" "$2" "ALTER SYSTEM SET synchronous_standby_names = '\"*\"'"
	else
		cl_sql "$1" "$2" "ALTER SYSTEM RESET synchronous_standby_names"
	fi
	cl_sql "$1" "$2" "SELECT pg_reload_conf()" >/dev/null
}

# cl_primary DIR PORT: create (once) and start the primary, its database
# and its application role.
cl_primary() {
	pg_up "$1" "$2" || return 1
	pg_createdb "$1" "$2" mitwirken
	(umask 077 && cp "$1/app.password" "$CL/app.password")
}

# cl_replica PDIR PPORT DIR PORT: a streaming replica of the primary in
# PDIR, made once with pg_basebackup (-R: standby.signal and
# primary_conninfo; -C -S: a physical replication slot on the primary, so
# the primary keeps the WAL the replica has not received, however long it
# is away), then started.
cl_replica() {
	if [ ! -f "$3/data/PG_VERSION" ]; then
		echo "cluster: pg_basebackup from port $2 into $3/data"
		pg_as rm -rf "$3/data"
		cl_sql "$1" "$2" "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'mw_replica' AND NOT active" >/dev/null
		pg_as "$PGBIN/pg_basebackup" -h "$1/run" -p "$2" -U postgres \
		    -D "$3/data" -R -C -S mw_replica -X stream -c fast \
		    >"$3/basebackup.log" 2>&1 ||
		    { cat "$3/basebackup.log"; return 1; }
		# Copied from the primary, wrong here (see cl_sync).  A long
		# export on the replica is not cancelled by the cleanup of rows
		# it still reads (hot_standby_feedback).
		pg_as sh -c "sed -i '/^synchronous_standby_names/d' '$3/data/postgresql.auto.conf' &&
		    echo 'hot_standby_feedback = on' >>'$3/data/postgresql.auto.conf'"
		cp "$1/app.password" "$3/app.password"
	fi
	mkdir -p "$3/run"
	[ "$(id -u)" -eq 0 ] && chown postgres "$3" "$3/run"
	pg_start "$3" "$4"
}

# cl_promote DIR: the operator's failover step: the standby in DIR becomes
# a primary (pg_ctl promote waits until it accepts writes).
cl_promote() {
	pg_as "$PGBIN/pg_ctl" -D "$1/data" -w promote >/dev/null
}

# cl_cert DIR: a self-signed certificate for the loopback (P-256, SAN
# 127.0.0.1, ::1 and localhost), made again when it expires within a day.
cl_cert() {
	if [ -f "$1/cert.pem" ] &&
	    openssl x509 -checkend 86400 -noout -in "$1/cert.pem" >/dev/null 2>&1
	then
		return 0
	fi
	(umask 077 && openssl req -x509 -newkey ec \
	    -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
	    -subj "/CN=mitwirken loopback" \
	    -addext "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost" \
	    -keyout "$1/key.pem" -out "$1/cert.pem" >/dev/null 2>&1) ||
	    { echo "cluster: openssl could not make a certificate" >&2; return 1; }
}

# cl_node_env I: the environment of node I (a prefix for env).
cl_node_listen() {
	echo "127.0.0.1:$((CL_NODE_PORT + $1 - 1))"
}

# cl_node_start I: render node I's Kore configuration and start it under
# setsid (its process group is in CL/node<I>/kore.pgid).  The caller has
# exported DATABASE_URL, MITWIRKEN_REPLICA_URL and the rest.
cl_node_start() {
	_d=$CL/node$1
	mkdir -p "$_d"
	_l=$(cl_node_listen "$1")
	MITWIRKEN_LISTEN=$_l MITWIRKEN_DROP=1 conf_render "$_d/mitwirken.conf" ||
	    return 1
	kore_start "$_d/mitwirken.conf" "$_d/kore.log" env MITWIRKEN_LISTEN="$_l"
	echo "$KORE_PID" >"$_d/kore.pgid"
	kore_wait "http://$_l/healthz" "$KORE_PID" "$_d/kore.log" 20
}

# cl_node_stop I [kill]: stop node I (kill: SIGKILL the whole group, a
# crash; else SIGTERM and drain).
cl_node_stop() {
	_f=$CL/node$1/kore.pgid
	[ -f "$_f" ] || return 0
	_g=$(cat "$_f")
	if [ "${2:-}" = kill ]; then
		kill -KILL "-$_g" 2>/dev/null
		for _p in $(kore_members "$_g"); do kill -KILL "$_p" 2>/dev/null; done
		wait "$_g" 2>/dev/null
	else
		kore_stop "$_g" 10
	fi
	rm -f "$_f"
}

# cl_nginx_render: CL/nginx/nginx.conf from conf/nginx/cluster.conf.in.
# conf_render has set body_max (Kore's cap): nginx's is the same.
cl_nginx_render() {
	_n=$CL/nginx
	mkdir -p "$_n/tmp"
	cl_cert "$_n" || return 1
	_up=""
	_i=1
	while [ "$_i" -le "$CL_NODES" ]; do
		_up="$_up		server $(cl_node_listen "$_i") max_fails=1 fail_timeout=3s;\\
"
		_i=$((_i + 1))
	done
	_user=""
	if [ "$(id -u)" -eq 0 ]; then
		_user="user ${MITWIRKEN_RUNAS:-mitwirken} nogroup;"
		chown "${MITWIRKEN_RUNAS:-mitwirken}" "$_n/tmp"
	fi
	sed -e "s|@USER@|$_user|" -e "s|@PREFIX@|$_n|g" \
	    -e "s|@UPSTREAMS@|$_up|" \
	    -e "s|@LISTEN@|$CL_HTTPS|" -e "s|@CERT@|$_n/cert.pem|" \
	    -e "s|@KEY@|$_n/key.pem|" -e "s|@BODY_MAX@|${body_max:-33554432}|" \
	    -e "s|@CONFDIR@|$(realpath conf/nginx)|" \
	    conf/nginx/cluster.conf.in >"$_n/nginx.conf"
}

# cl_nginx_start: nginx in the foreground of its own session (its group is
# CL/nginx/nginx.pgid), after checking the configuration.
cl_nginx_start() {
	_n=$CL/nginx
	nginx -q -t -p "$_n" -e "$_n/error.log" -c "$_n/nginx.conf" ||
	    { tail -5 "$_n/error.log" >&2; return 1; }
	setsid nginx -p "$_n" -e "$_n/error.log" -c "$_n/nginx.conf" \
	    </dev/null >>"$_n/error.log" 2>&1 9>&- &
	echo $! >"$_n/nginx.pgid"
	_i=0
	until curl -skf -m 2 "https://$CL_HTTPS/healthz" >/dev/null 2>&1; do
		_i=$((_i + 1))
		if [ "$_i" -gt 100 ]; then
			echo "cluster: nginx does not answer on $CL_HTTPS" >&2
			tail -20 "$_n/error.log" >&2
			return 1
		fi
		sleep 0.1
	done
}

cl_nginx_stop() {
	_f=$CL/nginx/nginx.pgid
	[ -f "$_f" ] || return 0
	kore_stop "$(cat "$_f")" 10
	rm -f "$_f"
}

# cl_stop_all: nginx, the nodes, the mailer (CL/mailer.pid), both
# clusters; for the traps.
cl_stop_all() {
	cl_nginx_stop
	_i=1
	while [ "$_i" -le "$CL_NODES" ]; do
		cl_node_stop "$_i"
		_i=$((_i + 1))
	done
	if [ -f "$CL/mailer.pid" ]; then
		kill -TERM "$(cat "$CL/mailer.pid")" 2>/dev/null
		rm -f "$CL/mailer.pid"
	fi
	pg_down "$CL_P1"
	pg_down "$CL_P2"
}
