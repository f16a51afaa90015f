# conf_render OUT: writes the Kore configuration for this environment.
# MITWIRKEN_LISTEN (host:port, default 127.0.0.1:8888), MITWIRKEN_WORKERS
# (default 2), MITWIRKEN_MODULE (default build/mitwirken.so),
# MITWIRKEN_JSON_BODY_MAX (default 65536) and MITWIRKEN_PHOTO_MAX_BYTES
# (default 10485760): Kore's cap covers twice the first and three photos
# with their form (src/core/dispatch.c, body_max) plus 1 MiB of slack.
# With MITWIRKEN_DROP=1 and run as root, the workers give up root: they run
# as MITWIRKEN_RUNAS (default mitwirken, created if missing) and are
# chrooted into an empty folder beside OUT (Kore's runas and root).
conf_render() {
	listen=${MITWIRKEN_LISTEN:-127.0.0.1:8888}
	json_max=${MITWIRKEN_JSON_BODY_MAX:-65536}
	# A bad value is refused by the application at start-up with a
	# message naming it; here it only must not break the arithmetic.
	case $json_max in
	''|*[!0-9]*|?????????*) json_max=65536 ;;
	esac
	photo_max=${MITWIRKEN_PHOTO_MAX_BYTES:-10485760}
	case $photo_max in
	''|*[!0-9]*|?????????*) photo_max=10485760 ;;
	esac
	# A body just over a limit still gets the application's readable 413.
	body_max=$((json_max * 2))
	upload_max=$((photo_max * 3 + 2097152))
	[ "$upload_max" -gt "$body_max" ] && body_max=$upload_max
	host=${listen%:*}
	port=${listen##*:}
	module=$(realpath "${MITWIRKEN_MODULE:-build/mitwirken.so}")
	sed -e "s|@HOST@|$host|" -e "s|@PORT@|$port|" \
	    -e "s|@WORKERS@|${MITWIRKEN_WORKERS:-2}|" \
	    -e "s|@MODULE@|$module|" \
	    -e "s|@BODY_MAX@|$body_max|" \
	    -e "s|@PIDFILE@|$(realpath -m "$(dirname "$1")")/kore.pid|" \
	    conf/mitwirken.conf.in >"$1"
	if [ "${MITWIRKEN_DROP:-0}" = 1 ] && [ "$(id -u)" -eq 0 ]; then
		conf_drop "$1"
	fi
}

# conf_drop CONF: the workers run unprivileged in an empty chroot.  They
# need nothing from the file system: the parent reads the assets and the
# key file before it forks, and they reach PostgreSQL over TCP.
conf_drop() {
	user=${MITWIRKEN_RUNAS:-mitwirken}
	if ! id -u "$user" >/dev/null 2>&1; then
		useradd --system --home-dir /nonexistent --no-create-home \
		    --shell /usr/sbin/nologin "$user" ||
		    { echo "conf: cannot create user $user" >&2; return 1; }
	fi
	jail=$(realpath -m "$(dirname "$1")")/kore-root
	mkdir -p "$jail"
	chown root:root "$jail"
	chmod 0755 "$jail"
	printf '\n# Workers: unprivileged, chrooted (src/tools/conf.sh).\n' >>"$1"
	printf 'runas\t\t%s\nroot\t\t%s\n' "$user" "$jail" >>"$1"
}
