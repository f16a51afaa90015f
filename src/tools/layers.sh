#!/bin/sh
# The layering rule of src/, checked on the compiled objects (what really
# calls what, macros and all):
#   lib/         may use only lib/
#   core/        may use lib/ and core/
#   <capability> may use lib/, core/ and itself, never another capability
#   routes.o and cmd/ sit on top and may use anything below them
# Prints each offending edge (file -> file: symbol) and the file-level
# graph with -v; exits 1 when any edge points the wrong way.
#
# usage: src/tools/layers.sh [-v] OBJ_DIR   (OBJ_DIR holds src/...)
set -eu

verbose=0
if [ "${1:-}" = "-v" ]; then
	verbose=1
	shift
fi
OBJ=${1:?usage: layers.sh [-v] OBJ_DIR}
[ -d "$OBJ/src" ] || { echo "layers: no objects in $OBJ/src" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# "file symbol" for every global definition, then for every use.
(cd "$OBJ" && find src -name '*.o' | sort) >"$tmp/objs"
while read -r o; do
	f=${o%.o}
	nm -g --defined-only "$OBJ/$o" | awk -v f="$f" 'NF == 3 { print $3, f }'
done <"$tmp/objs" | sort >"$tmp/defs"
while read -r o; do
	f=${o%.o}
	nm -u "$OBJ/$o" | awk -v f="$f" '{ print $NF, f }'
done <"$tmp/objs" | sort >"$tmp/uses"

# symbol user definer, for symbols the project itself defines.
join "$tmp/uses" "$tmp/defs" | awk '$2 != $3' >"$tmp/edges"

awk '
function layer(f,   p) {
	split(f, p, "/")
	if (p[2] == "lib" || p[2] == "core" || p[2] == "cmd")
		return p[2]
	if (f == "src/routes")
		return "app"
	return "cap:" p[2]
}
function allowed(from, to) {
	if (from == "app" || from == "cmd")
		return 1
	if (to == "lib")
		return 1
	if (from == "lib")
		return 0
	if (to == "core")
		return 1
	if (from == "core")
		return 0
	return from == to
}
{
	lf = layer($2); lt = layer($3)
	if (!allowed(lf, lt)) {
		printf "layers: %s -> %s: %s\n", $2, $3, $1
		bad++
	}
}
END { exit bad > 0 }
' "$tmp/edges" && ok=1 || ok=0

if [ "$verbose" -eq 1 ]; then
	awk '{ print $2, "->", $3 }' "$tmp/edges" | sort -u
fi
if [ "$ok" -eq 1 ]; then
	echo "layers: $(wc -l <"$tmp/objs") objects, $(wc -l <"$tmp/edges")" \
	    "calls between files, none into a higher layer"
	exit 0
fi
echo "layers: lib and core must not call a capability, nor one" \
    "capability another (see the Architecture section of README.md)"
exit 1
