#!/bin/sh
# make fuzz: libFuzzer with ASan and UBSan (Debian's clang-14) over every
# parser and validator of the pure modules, one harness per parser in
# tests/fuzz/fuzz_<name>.c.
#
#   FUZZ_SECONDS=60 sh tests/fuzz/run.sh [name ...]
#
# Each harness fuzzes for FUZZ_SECONDS (default 60).  It starts from the
# committed seeds, tests/fuzz/corpus/<name>/, and the crash inputs in
# tests/fuzz/regressions/<name>/, copied into build-fuzz/corpus/<name>/:
# libFuzzer adds what it finds there, between runs too, and never writes
# to the committed folders, so the corpus in git grows only by hand.
# Crash inputs are kept in build-fuzz/crashes/ and fail the run.
#
# FUZZ_SECONDS=0 is the regression mode: each harness runs once over
# tests/fuzz/corpus/<name>/ and tests/fuzz/regressions/<name>/ (libFuzzer's
# -runs=0 over the folders) without fuzzing; it fails if any input crashes.
#
# Every crash found becomes a regression test: minimise it with
#   build-fuzz/fuzz_<name> -minimize_crash=1 -runs=100000 \
#       -exact_artifact_path=tests/fuzz/regressions/<name>/<what> <crash file>
# and commit that file together with the fix.
set -eu

cd "$(dirname "$0")/../.."

SECONDS_EACH=${FUZZ_SECONDS:-60}
OUT=build-fuzz
CC_FUZZ=clang-14
CFLAGS_FUZZ="-g -O1 -fsanitize=fuzzer,address,undefined
-fno-sanitize-recover=undefined -fno-omit-frame-pointer -std=gnu99
-Wall -Wextra -Isrc"
ALL="json query router template email cookie lang migration password sealed
input idemkey survey expr answers tabular open311 xml image multipart dates
disclosure agent nextpath when unsubscribe markup"

case "$SECONDS_EACH" in
''|*[!0-9]*)
	echo "fuzz: FUZZ_SECONDS must be a whole number of seconds" >&2
	exit 2
	;;
esac

# Each harness links the pure modules (src/lib/, no Kore, no PostgreSQL);
# the linker keeps what it uses.  image.c needs the image libraries.
LIB_SRC=$(ls src/lib/*.c)
PKGS="libjpeg libpng libexif"

harness_known()
{
	# shellcheck disable=SC2086
	case " $(echo $ALL) " in
	*" $1 "*)	return 0 ;;
	*)		return 1 ;;
	esac
}

deps()
{
	sh src/tools/deps.sh clang-14 libclang-rt-14-dev
}

# Rebuilds a harness when it or anything it links is newer.
build()
{
	name=$1
	bin=$OUT/fuzz_$name
	srcs=$LIB_SRC
	stale=0
	[ -x "$bin" ] || stale=1
	for f in tests/fuzz/fuzz_"$name".c tests/fuzz/fuzz.h src/mitwirken.h \
	    $srcs; do
		[ "$f" -nt "$bin" ] && stale=1
	done
	[ "$stale" -eq 0 ] && return 0
	echo "fuzz: building $bin"
	# shellcheck disable=SC2086
	$CC_FUZZ $CFLAGS_FUZZ $(pkg-config --cflags libsodium libcjson $PKGS) \
	    -o "$bin" tests/fuzz/fuzz_"$name".c $srcs \
	    $(pkg-config --libs libsodium libcjson $PKGS) -lm
}

# The executions libFuzzer reports at the end (or its last status line).
executions()
{
	n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$1" | tail -n 1)
	[ -n "$n" ] || n=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$1" |
	    tail -n 1)
	echo "${n:-0}"
}

# Prints what broke (sanitizer or invariant, with our frames of the stack)
# and the crash files; the whole report stays in the log.
report_crash()
{
	log=$1
	what='invariant broken|runtime error|ERROR: [A-Za-z]+Sanitizer'
	what="$what|SUMMARY: [A-Za-z]+Sanitizer|libFuzzer: (timeout|out-of-mem)"
	what="$what|#[0-9]+ .* /.*(src|tests/fuzz)/[a-z_]+\.c:"
	grep -E "$what" "$log" | head -n 20 | sed 's/^ */    /'
	sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" |
	while read -r f; do
		echo "    crash input: $f ($(wc -c <"$f") bytes); log: $log"
	done
}

run_one()
{
	name=$1
	bin=$OUT/fuzz_$name
	log=$OUT/logs/$name.log
	dirs=tests/fuzz/corpus/$name
	[ -d tests/fuzz/regressions/"$name" ] &&
	    dirs="$dirs tests/fuzz/regressions/$name"
	set -- -print_final_stats=1 -timeout=10 \
	    -artifact_prefix="$OUT/crashes/$name-"
	if [ "$SECONDS_EACH" -eq 0 ]; then
		# shellcheck disable=SC2086
		"$bin" "$@" -runs=0 $dirs >"$log" 2>&1 && rc=0 || rc=$?
	else
		work=$OUT/corpus/$name
		mkdir -p "$work"
		for d in $dirs; do
			find "$d" -type f -exec cp {} "$work"/ \;
		done
		[ -f tests/fuzz/dict/"$name".dict ] &&
		    set -- "$@" -dict=tests/fuzz/dict/"$name".dict
		"$bin" "$@" -max_total_time="$SECONDS_EACH" "$work" \
		    >"$log" 2>&1 && rc=0 || rc=$?
	fi
	n=$(executions "$log")
	if [ "$rc" -eq 0 ]; then
		result=ok
	else
		result="CRASH (exit $rc)"
		failed=$((failed + 1))
	fi
	printf '%-10s %12s  %s\n' "$name" "$n" "$result" >>"$OUT/summary"
	printf 'fuzz: %-10s %12s executions  %s\n' "$name" "$n" "$result"
	[ "$rc" -eq 0 ] || report_crash "$log"
}

deps
mkdir -p "$OUT/logs" "$OUT/crashes" "$OUT/corpus"
names=${*:-$ALL}
for name in $names; do
	if ! harness_known "$name"; then
		echo "fuzz: no harness named $name (have: $ALL)" >&2
		exit 2
	fi
	build "$name"
done

if [ "$SECONDS_EACH" -eq 0 ]; then
	echo "fuzz: regression mode: every seed and regression input once"
else
	echo "fuzz: ${SECONDS_EACH}s per harness; logs in $OUT/logs"
fi
failed=0
: >"$OUT/summary"
for name in $names; do
	run_one "$name"
done

echo
printf '%-10s %12s  %s\n' harness executions result
cat "$OUT/summary"
if [ "$failed" -gt 0 ]; then
	echo "fuzz: $failed harness(es) crashed; crash inputs in $OUT/crashes/"
	exit 1
fi
echo "fuzz: no crashes"
