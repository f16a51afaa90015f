# conf_render OUT: writes the Kore configuration for this environment.
# MITWIRKEN_LISTEN (host:port, default 127.0.0.1:8888), MITWIRKEN_WORKERS
# (default 2), MITWIRKEN_MODULE (default build/mitwirken.so).
conf_render() {
	listen=${MITWIRKEN_LISTEN:-127.0.0.1:8888}
	host=${listen%:*}
	port=${listen##*:}
	module=$(realpath "${MITWIRKEN_MODULE:-build/mitwirken.so}")
	sed -e "s|@HOST@|$host|" -e "s|@PORT@|$port|" \
	    -e "s|@WORKERS@|${MITWIRKEN_WORKERS:-2}|" \
	    -e "s|@MODULE@|$module|" \
	    -e "s|@PIDFILE@|$(realpath -m "$(dirname "$1")")/kore.pid|" \
	    conf/mitwirken.conf.in >"$1"
}
