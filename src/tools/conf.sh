# conf_render OUT: writes the Kore configuration for this environment.
# MITWIRKEN_LISTEN (host:port, default 127.0.0.1:8888), MITWIRKEN_WORKERS
# (default 2), MITWIRKEN_MODULE (default build/mitwirken.so),
# MITWIRKEN_JSON_BODY_MAX (default 65536; Kore's cap is twice it).
conf_render() {
	listen=${MITWIRKEN_LISTEN:-127.0.0.1:8888}
	json_max=${MITWIRKEN_JSON_BODY_MAX:-65536}
	# A bad value is refused by the application at start-up with a
	# message naming it; here it only must not break the arithmetic.
	case $json_max in
	''|*[!0-9]*|?????????*) json_max=65536 ;;
	esac
	host=${listen%:*}
	port=${listen##*:}
	module=$(realpath "${MITWIRKEN_MODULE:-build/mitwirken.so}")
	sed -e "s|@HOST@|$host|" -e "s|@PORT@|$port|" \
	    -e "s|@WORKERS@|${MITWIRKEN_WORKERS:-2}|" \
	    -e "s|@MODULE@|$module|" \
	    -e "s|@BODY_MAX@|$((json_max * 2))|" \
	    -e "s|@PIDFILE@|$(realpath -m "$(dirname "$1")")/kore.pid|" \
	    conf/mitwirken.conf.in >"$1"
}
