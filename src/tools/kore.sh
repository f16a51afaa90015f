# Shell functions to run Kore for a test, benchmark or scan and to stop it
# completely (sourced by tests/run.sh, tests/bench/run.sh, tests/scan/run.sh
# and tests/crash/run.sh, next to pg.sh and conf.sh).
#
# Kore runs under setsid: it leads its own session and process group, so a
# Ctrl-C at the terminal does not reach it before the script's trap has
# stopped it in order, and the group holds the parent and every worker.
# The group is what must be stopped, not the parent: Kore 4.1 workers
# outlive a parent killed with SIGKILL (each keeps its own copy of the
# parent's end of its message socket, so it never sees the parent go) and
# go on serving the port.
#
# dash's kill knows no "--": "kill -TERM -- -PGID" is an "Illegal number"
# there and signals nothing, which is how earlier copies of this code left
# Kore processes behind.  Only "kill -SIG -PGID" is used here.

# kore_pidfile CONF: the pid file a configuration names (Kore's default,
# kore.pid in the working folder, when it names none).
kore_pidfile() {
	_kp=$(sed -n 's/^[[:space:]]*pidfile[[:space:]]\{1,\}\([^[:space:]]*\).*/\1/p' "$1")
	echo "${_kp:-kore.pid}"
}

# kore_members PGID: the live processes (not zombies) of the process group
# or session PGID, one pid a line.
kore_members() {
	ps -e -o pid= -o pgid= -o sid= -o stat= 2>/dev/null |
	    awk -v g="$1" '($2 == g || $3 == g) && $4 !~ /^Z/ { print $1 }'
}

# kore_workers PGID: the members of the group except its leader, the Kore
# parent (after the parent died: every member).
kore_workers() {
	kore_members "$1" | awk -v g="$1" '$1 != g'
}

# kore_wedged PGID: workers whose main thread is dead while their other
# threads live on, one pid a line.  Kore's seccomp sandbox kills only the
# thread that made a forbidden system call; when that is a worker's main
# thread and its task threads (argon2id) wait on, the worker never exits,
# so Kore neither reports a "sandbox violation" nor replaces it, and the
# accept lock it may hold wedges the whole server.  Call before stopping.
kore_wedged() {
	ps -e -o pid= -o pgid= -o sid= -o stat= 2>/dev/null |
	    awk -v g="$1" '($2 == g || $3 == g) && $4 ~ /^Z/ { print $1 }' |
	while read -r _p; do
		[ "$(ls "/proc/$_p/task" 2>/dev/null | wc -l)" -gt 1 ] &&
		    echo "$_p"
	done
}

# kore_stop PGID [SECONDS]: stops a process group started under setsid (a
# Kore, or a scanner): SIGTERM to the group, up to SECONDS (default 10) for
# it to drain, then SIGKILL to the group and to every member left by pid.
# Fails, naming them, when processes are still there after that.
kore_stop() {
	_g=$1
	_ticks=$((${2:-10} * 10))
	[ -n "$_g" ] || return 0
	kill -TERM "-$_g" 2>/dev/null
	_i=0
	while [ -n "$(kore_members "$_g")" ] && [ "$_i" -lt "$_ticks" ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	_left=$(kore_members "$_g")
	# shellcheck disable=SC2086  # $_left: one argument per pid
	if [ -n "$_left" ]; then
		echo "kore: group $_g still running after ${2:-10}s," \
		    "killing:" $_left >&2
		kill -KILL "-$_g" 2>/dev/null
		kill -KILL $_left 2>/dev/null
		_i=0
		while [ -n "$(kore_members "$_g")" ] && [ "$_i" -lt 50 ]; do
			sleep 0.1
			_i=$((_i + 1))
		done
	fi
	# Reap the leader when it is this shell's child (else a no-op).
	wait "$_g" 2>/dev/null
	_left=$(kore_members "$_g")
	# shellcheck disable=SC2086
	if [ -n "$_left" ]; then
		echo "kore: cannot stop group $_g:" $_left >&2
		return 1
	fi
	return 0
}

# kore_start CONF LOG [WRAPPER...]: starts Kore with CONF in the
# background, appending its output to LOG; KORE_PID is then its parent's
# pid, which is also its process group and session.  WRAPPER is a command
# prefix such as "env LD_PRELOAD=...".  A Kore left running by an earlier
# run that was killed before it could clean up (one writing to the same
# LOG) is stopped first.
kore_start() {
	_conf=$1
	_log=$2
	shift 2
	_pf=$(kore_pidfile "$_conf")
	if [ -f "$_pf" ]; then
		_old=$(cat "$_pf" 2>/dev/null)
		for _p in $(kore_members "${_old:-0}"); do
			_out=$(readlink "/proc/$_p/fd/1" 2>/dev/null)
			if [ "${_out% (deleted)}" = "$(realpath -m "$_log")" ]
			then
				echo "kore: stopping group $_old left by an" \
				    "earlier run" >&2
				kore_stop "$_old"
				break
			fi
		done
		rm -f "$_pf"
	fi
	# A non-interactive shell does not make "&" a group leader, so
	# setsid does not fork and $! is Kore itself.  9>&-: a lock the
	# caller holds on fd 9 must not be inherited (and outlive it).
	# A configuration naming runas drops privileges and chroots (see
	# conf_drop); others keep root, for throwaway test clusters.
	_flags="-n -r"
	grep -q '^runas' "$_conf" && _flags=""
	# shellcheck disable=SC2086
	setsid "$@" kore -f $_flags -c "$_conf" </dev/null >>"$_log" 2>&1 9>&- &
	# shellcheck disable=SC2034  # the caller reads it
	KORE_PID=$!
}

# kore_wait URL PID LOG [SECONDS]: until URL answers 2xx.  Fails, showing
# the end of LOG, when Kore PID exits first or after SECONDS (default 10).
kore_wait() {
	_ticks=$((${4:-10} * 10))
	_i=0
	until curl -sf -m 2 "$1" >/dev/null 2>&1; do
		_i=$((_i + 1))
		if [ "$_i" -gt "$_ticks" ] || [ -z "$(kore_members "$2")" ]; then
			echo "kore: not answering at $1; the end of its log:" >&2
			tail -40 "$3" >&2
			return 1
		fi
		sleep 0.1
	done
}
