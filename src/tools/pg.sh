# Shell functions for the private PostgreSQL 15 cluster (sourced by run.sh
# and tests/run.sh).  The cluster lives in an ignored state folder, listens
# on a Unix socket in that folder and on 127.0.0.1, trusts local
# connections (it is a development cluster) and is created once.

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
	pg_as "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgresql.log" -w \
	    -o "-k $dir/run -p $port -c listen_addresses=127.0.0.1 -c max_connections=300 -c synchronous_commit=on" \
	    start >/dev/null || { tail -20 "$dir/postgresql.log"; return 1; }
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
