# Shell functions for the private PostgreSQL 15 cluster (sourced by run.sh
# and tests/run.sh).  The cluster lives in an ignored state folder and is
# created once.  It trusts nobody: on its Unix socket (in a folder only the
# cluster's owner may enter, socket mode 0700) the superuser postgres is
# reached by peer authentication from the OS user running these scripts
# (and root); the application's role mitwirken_app logs in there or on
# 127.0.0.1 with a SCRAM password kept in DIR/app.password (mode 0600).  The
# application's role owns nothing and may only read and write rows.

PGBIN=${PGBIN:-$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)}
[ -x "$PGBIN/initdb" ] || PGBIN=/usr/lib/postgresql/15/bin

# initdb refuses to run as root: run cluster commands as postgres then.
pg_as() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# pg_home DIR: where the cluster for DIR lives.  Normally DIR itself; when
# running as root in a checkout the postgres user cannot reach (say under
# /root), a folder in /var/tmp named after DIR, so initdb still works.
pg_home() {
	mkdir -p "$1"
	if [ "$(id -u)" -ne 0 ]; then
		echo "$1"
		return
	fi
	chown postgres "$1"
	if runuser -u postgres -- test -w "$1" 2>/dev/null; then
		echo "$1"
		return
	fi
	alt=/var/tmp/mitwirken-$(echo "$1" | cksum | cut -d' ' -f1)
	mkdir -p "$alt"
	chown postgres "$alt"
	echo "$alt"
}

# pg_up DIR PORT: create (once) and start the cluster in DIR.
pg_up() {
	dir=$1
	port=$2
	mkdir -p "$dir/run"
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres "$dir" "$dir/run"
	fi
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		echo "pg: creating cluster in $dir/data"
		pg_as "$PGBIN/initdb" -D "$dir/data" -E UTF8 --locale=C.UTF-8 \
		    --auth=trust -U postgres >"$dir/initdb.log" 2>&1 ||
		    { cat "$dir/initdb.log"; return 1; }
	fi
	if pg_as "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		return 0
	fi
	pg_start "$dir" "$port" || return 1
	pg_app_role "$dir" "$port"
}

# pg_start DIR PORT: start the existing cluster in DIR (a primary or a
# standby: nothing is written to it).
pg_start() {
	if pg_as "$PGBIN/pg_ctl" -D "$1/data" status >/dev/null 2>&1; then
		return 0
	fi
	pg_auth "$1"
	pg_as "$PGBIN/pg_ctl" -D "$1/data" -l "$1/postgresql.log" -w \
	    -o "-k $1/run -p $2 -c listen_addresses=127.0.0.1 -c max_connections=300 -c synchronous_commit=on -c unix_socket_permissions=0700 -c password_encryption=scram-sha-256" \
	    start >/dev/null || { tail -20 "$1/postgresql.log"; return 1; }
}

# pg_auth DIR: who may connect, written at every start so that a cluster
# made by an older tree (which trusted every local user) is tightened too.
# Streaming replicas (pg_basebackup, walreceiver) connect as postgres on
# the socket, by the same peer map.
pg_auth() {
	me=$(id -un)
	chmod 0700 "$1/run"
	printf 'mw\tpostgres\tpostgres\nmw\troot\tpostgres\nmw\t%s\tpostgres\n' \
	    "$me" | pg_as sh -c "cat >'$1/data/pg_ident.conf'"
	printf 'local\tall\tpostgres\t\tpeer map=mw\nlocal\treplication\tpostgres\t\tpeer map=mw\nlocal\tall\tmitwirken_app\t\tscram-sha-256\nhost\tall\tmitwirken_app\t127.0.0.1/32\tscram-sha-256\n' |
	    pg_as sh -c "cat >'$1/data/pg_hba.conf'"
}

# pg_app_role DIR PORT: the application's login role, with a random
# password made once (DIR/app.password, readable by its owner only).
pg_app_role() {
	if [ ! -s "$1/app.password" ]; then
		(umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' \
		    >"$1/app.password")
	fi
	printf '%s\n' "SELECT 'CREATE ROLE mitwirken_app' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mitwirken_app') \\gexec" \
	    "ALTER ROLE mitwirken_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'pw';" |
	    psql -X -q -v ON_ERROR_STOP=1 -h "$1/run" -p "$2" -U postgres \
	    -d postgres -v pw="$(cat "$1/app.password")" >/dev/null
}

# pg_grant_app DIR PORT DB: what the application may do in DB (run after
# the migrations, which the superuser applies): connect, read and write
# rows, use the identity sequences, run the functions; no DDL, no roles.
pg_grant_app() {
	printf '%s\n' "REVOKE ALL ON DATABASE \"$3\" FROM PUBLIC;" \
	    "REVOKE CREATE ON SCHEMA public FROM PUBLIC;" \
	    "GRANT CONNECT, TEMPORARY ON DATABASE \"$3\" TO mitwirken_app;" \
	    "GRANT USAGE ON SCHEMA public TO mitwirken_app;" \
	    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO mitwirken_app;" \
	    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO mitwirken_app;" \
	    "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO mitwirken_app;" |
	    psql -X -q -v ON_ERROR_STOP=1 -h "$1/run" -p "$2" -U postgres \
	    -d "$3" >/dev/null
}

# pg_app_url DIR PORT DB: the application's DATABASE_URL: its password,
# over TCP on 127.0.0.1, which a chrooted worker without the socket folder
# (and without a resolver: hostaddr) still reaches.
pg_app_url() {
	echo "postgresql://mitwirken_app:$(cat "$1/app.password")@/$3?hostaddr=127.0.0.1&port=$2&gssencmode=disable"
}

# pg_down DIR [MODE]: stop the cluster (fast by default).
pg_down() {
	pg_as "$PGBIN/pg_ctl" -D "$1/data" -m "${2:-fast}" -w stop \
	    >/dev/null 2>&1 || true
}

# pg_url DIR PORT DB: the DATABASE_URL for a database on the cluster.
pg_url() {
	echo "postgresql://postgres@/$3?host=$1/run&port=$2"
}

# pg_createdb DIR PORT DB: create the database unless it exists.
pg_createdb() {
	if ! psql -X -q -h "$1/run" -p "$2" -U postgres -d postgres -tAc \
	    "SELECT 1 FROM pg_database WHERE datname = '$3'" | grep -q 1; then
		psql -X -q -h "$1/run" -p "$2" -U postgres -d postgres \
		    -c "CREATE DATABASE \"$3\"" >/dev/null
	fi
}
