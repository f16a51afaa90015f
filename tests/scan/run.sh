#!/bin/sh
# make scan: injection scans against a private server.  Not part of make
# test.
#
#   sqlmap (Debian) --level=5 --risk=3 --batch against every endpoint that
#   takes parameters: query parameters, path parameters (marked with *),
#   JSON bodies and the form bodies of the HTML pages, signed in as an
#   administrator where the endpoint needs it (bearer token);
#   wapiti (Debian), modules sql, xss, exec and crlf, against the HTML
#   pages, crawled from / (anonymously, then signed in).
#
# Both tools exit 0 whatever they find: their output is parsed here, and
# any finding (an injection point, a vulnerability in wapiti's report), a
# scan that could not run, or a crashed Kore worker fails the run.
#
# This script owns the processes: a private PostgreSQL cluster
# (var/pgscan, port MITWIRKEN_SCAN_PGPORT, default 54379) with a fresh
# database mitwirken_scan_<pid>, and Kore on a free loopback port.  Both
# are stopped, and the database dropped, on exit and on Ctrl-C.
# DATABASE_URL is ignored.  Neither tool talks to anything but 127.0.0.1:
# sqlmap ignores proxies and never updates itself; wapiti sends no bug
# reports and any other address it tried would hit a dead local proxy.
# All raw output stays in var/scan/.
#
# usage: tests/scan/run.sh BUILD_DIR
# environment: MITWIRKEN_STATE, MITWIRKEN_SCAN_PGPORT, SCAN_ONLY (comma-
# separated target names, as printed in the summary, and/or "wapiti": a
# narrowed development run), SCAN_JOBS (sqlmap runs at a time, default 2).
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=/dev/null
. src/tools/pg.sh
# shellcheck source=/dev/null
. src/tools/conf.sh
# shellcheck source=/dev/null
. src/tools/kore.sh

BUILD=${1:-build}
STATE=$(realpath -m "${MITWIRKEN_STATE:-var}")
SCAN=$STATE/scan
PGPORT=${MITWIRKEN_SCAN_PGPORT:-54379}
DB=mitwirken_scan_$$
JOBS=${SCAN_JOBS:-2}
ONLY=${SCAN_ONLY:-}
PGDIR=""
kpid=""
lanes=""
own_pg=0
admin_url=""
started=$(date +%s)

unset DATABASE_URL

# --- packages --------------------------------------------------------------
missing=""
for p in sqlmap wapiti; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		echo "scan: installing$missing"
		export DEBIAN_FRONTEND=noninteractive
		# shellcheck disable=SC2086
		if ! { apt-get update -qq && apt-get install -y -qq \
		    --no-install-recommends $missing >/dev/null; }; then
			echo "scan: apt-get failed"
			exit 1
		fi
	else
		echo "scan: missing Debian packages; run as root:"
		echo "  apt-get install -y$missing"
		exit 1
	fi
fi
for tool in sqlmap wapiti kore psql curl node /usr/bin/python3; do
	command -v "$tool" >/dev/null 2>&1 ||
	    { echo "scan: $tool is missing (make deps installs it)"; exit 1; }
done
if [ ! -f "$BUILD/mitwirken.so" ] || [ ! -x "$BUILD/mitwirken-migrate" ]; then
	echo "scan: $BUILD is not built (make all)"
	exit 1
fi

mkdir -p "$SCAN"
# One scan at a time per state folder: they share the cluster and var/scan.
exec 9>"$STATE/scan.lock"
if ! flock -n 9; then
	echo "scan: waiting for another make scan on $STATE to finish"
	flock 9
fi
rm -rf "$SCAN"
mkdir -p "$SCAN/sqlmap" "$SCAN/wapiti" "$SCAN/home"

# --- processes -------------------------------------------------------------
# shellcheck disable=SC2317  # the trap runs it
cleanup() {
	# Once: a second Ctrl-C must not leave Kore or the cluster behind.
	trap - EXIT
	trap '' INT TERM HUP
	# First the lanes that start scanners, then the scanners, each in
	# its own session (kore_stop stops any such group).
	for p in $lanes; do
		kill -TERM "$p" 2>/dev/null
	done
	for f in "$SCAN"/*.pgid; do
		[ -f "$f" ] && kore_stop "$(cat "$f")"
		rm -f "$f"
	done
	[ -n "$kpid" ] && kore_stop "$kpid"
	if [ -n "$admin_url" ]; then
		psql -X -q "$admin_url" -c "DROP DATABASE IF EXISTS \"$DB\"" \
		    >/dev/null 2>&1
	fi
	[ "$own_pg" -eq 1 ] && pg_down "$PGDIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

echo "== scan set-up"
PGDIR=$(pg_home "$STATE/pgscan")
pg_up "$PGDIR" "$PGPORT" 9>&- || exit 1
own_pg=1
admin_url=$(pg_url "$PGDIR" "$PGPORT" postgres)
psql -X -q "$admin_url" -c "CREATE DATABASE \"$DB\"" >/dev/null || exit 1
DATABASE_URL=$(pg_url "$PGDIR" "$PGPORT" "$DB")
export DATABASE_URL
"$BUILD/mitwirken-migrate" sql >"$SCAN/migrate.log" 2>&1 ||
    { cat "$SCAN/migrate.log"; exit 1; }

port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
BASE=http://127.0.0.1:$port
MITWIRKEN_LISTEN=127.0.0.1:$port MITWIRKEN_MODULE=$BUILD/mitwirken.so \
    conf_render "$SCAN/mitwirken.conf"
export MITWIRKEN_KEY_FILE="$SCAN/mitwirken.key" MITWIRKEN_MAIL_DIR="$SCAN/mail"
export MITWIRKEN_PUBLIC_URL="$BASE"
# As in production behind nginx: the client address for sign-in limits is
# the last X-Forwarded-For entry, so each scanner acts from its own.
export MITWIRKEN_TRUST_PROXY=1
# sqlmap submits ideas and comments by the thousand, and faster than a
# person fills a form: the limits would answer 429 and hide the handler.
export MITWIRKEN_SUBMIT_LIMIT_ACCOUNT=1000000 MITWIRKEN_SUBMIT_LIMIT_IP=1000000
# Quotas would answer the scanners' repeats with 429, not the code under
# test; they have tests of their own in make test.
export MITWIRKEN_IDEM_LIMIT=100000 MITWIRKEN_ANON_LIMIT_ADDRESS=100000
export MITWIRKEN_ANON_LIMIT_IP=100000
export MITWIRKEN_FORM_MIN_SECONDS=0
kore_start "$SCAN/mitwirken.conf" "$SCAN/kore.log"
kpid=$KORE_PID
kore_wait "$BASE/healthz" "$kpid" "$SCAN/kore.log" || exit 1
echo "Kore on $BASE, database $DB"

# --- accounts --------------------------------------------------------------
# The scanning administrator (bearer token: no CSRF token needed, so forms
# and API alike can be replayed) and a second account whose roles the
# admin endpoints change.
PASSWORD='scan password long enough 4711'
json() {	# json FILE EXPR: one value from a JSON file (EXPR over j)
	node -e "const j=JSON.parse(require('fs').readFileSync(process.argv[1],'utf8'));console.log($2)" "$1"
}
register() {	# register EMAIL
	code=$(curl -s -o "$SCAN/register.json" -w '%{http_code}' \
	    -H 'Content-Type: application/json' \
	    --data "{\"email\":\"$1\",\"password\":\"$PASSWORD\"}" \
	    "$BASE/api/v1/accounts")
	case "$code" in
	2*) ;;
	*) echo "scan: registering $1 answered $code:"
	   cat "$SCAN/register.json"; exit 1 ;;
	esac
}
signin() {	# signin EMAIL: writes the answer to $SCAN/session.json
	code=$(curl -s -o "$SCAN/session.json" -w '%{http_code}' \
	    -H 'Content-Type: application/json' \
	    --data "{\"email\":\"$1\",\"password\":\"$PASSWORD\",\"kind\":\"bearer\"}" \
	    "$BASE/api/v1/session")
	[ "$code" = 200 ] ||
	    { echo "scan: signing in $1 answered $code:"
	      cat "$SCAN/session.json"; exit 1; }
}
register scan-admin@example.org
register scan-other@example.org
signin scan-admin@example.org
TOKEN=$(json "$SCAN/session.json" j.token)
ADMIN_ID=$(json "$SCAN/session.json" j.account.id)
OTHER_ID=$(psql -X -qtA "$DATABASE_URL" -c \
    "SELECT id FROM accounts WHERE id <> $ADMIN_ID ORDER BY id LIMIT 1")
# Every role, so every endpoint answers the scanner instead of 403; and
# verified, so it may contribute.
psql -X -q -v ON_ERROR_STOP=1 "$DATABASE_URL" -c "INSERT INTO account_roles \
    (account_id, role, department_id) VALUES ($ADMIN_ID, 'admin', NULL),
    ($ADMIN_ID, 'moderator', NULL), ($ADMIN_ID, 'board', NULL),
    ($ADMIN_ID, 'planner', NULL), ($ADMIN_ID, 'staff',
    (SELECT id FROM departments WHERE slug = 'stadtgruen'))" \
    -c "UPDATE accounts SET verified_at = now()" >/dev/null || exit 1
AUTH="Authorization: Bearer $TOKEN"
code=$(curl -s -o "$SCAN/me.json" -w '%{http_code}' -H "$AUTH" \
    "$BASE/api/v1/admin/accounts")
[ "$code" = 200 ] ||
    { echo "scan: the admin session does not work ($code)"; exit 1; }
echo "signed in as account $ADMIN_ID (admin, bearer); other account $OTHER_ID"

# --- sqlmap ------------------------------------------------------------------
# The targets: every route in src/routes.c that takes a parameter, and the
# credentials, one line each (tab-separated, written by `target`):
#   target NAME FLAGS METHOD PATH [TYPE DATA]
# A path parameter is marked with * (then the query parameters must be
# marked too, or sqlmap leaves them out); TYPE is json or form; every
# value in DATA is tested, and at level 5 the headers User-Agent, Referer
# and Host.  FLAGS (comma-separated, "-" for none):
#   auth       send the administrator's bearer token
#   bearer     test the bearer token itself (Authorization: Bearer <token>*)
#   cookie     a cookie session instead: test the session cookie
#   reqheaders also test Accept-Language and X-Request-Id
#   xff        also test X-Forwarded-For (the server runs as behind nginx,
#              MITWIRKEN_TRUST_PROXY=1: sign-in limits key on it)
#   agent      test only User-Agent: sign-in stores it with the session
#   blind      the answer is the same whatever the input (registration,
#              reset and the stored User-Agent never reveal anything):
#              boolean and UNION tests cannot see anything there, so only
#              time-based, stacked and error-based tests run.  This also
#              bounds the argon2id hashes such a scan costs
#   created    the answer is a new resource (201) with a new id each time:
#              sqlmap compares status codes (--code=201), not pages
#   changing   the same for answers that change each time (200)
#   noheaders  leave out User-Agent, Referer and Host: registration hashes
#              every password it is sent (0.1 s of CPU each), and tens of
#              thousands of hashes would not fit the time.  Every route
#              reads these headers through the same dispatch code, tested
#              on all the others
# Routes left out take no parameters (POST /abmelden, DELETE
# /api/v1/session, DELETE /api/v1/me, GET and DELETE /api/v1/me/sessions,
# GET /api/v1/me/export, POST /konto/sitzungen/beenden, /healthz, /readyz,
# /metrics, GET /api/v1/fields, goals, districts, openapi.json, POST
# /api/v1/me/consent-code); most of
# them would end the scanning session anyway.
TARGETS=$SCAN/sqlmap/targets.tsv
: >"$TARGETS"
target() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${5:-}" \
	    "${6:-}" >>"$TARGETS"
}
# Ideas to act on: one published with a published comment, one pending
# for decisions.
post() {	# post PATH JSON: the id of what it created
	code=$(curl -s -o "$SCAN/post.json" -w '%{http_code}' -H "$AUTH" \
	    -H 'Content-Type: application/json' --data "$2" "$BASE$1")
	[ "$code" = 201 ] ||
	    { echo "scan: POST $1 answered $code:"; cat "$SCAN/post.json"; exit 1; }
	json "$SCAN/post.json" j.id
}
IDEA_JSON='{"title":"Sichere Radwege in der Innenstadt","description":"Breitere und sichere Radwege entlang der Hauptstrassen.","field":"mobilitaet","goals":["staedtische-ziele-umsetzen"],"district":"mitte","lat":52.26,"lon":10.52}'
IDEA=$(post /api/v1/ideas "$IDEA_JSON")
PENDING=$(post /api/v1/ideas "$IDEA_JSON")
curl -s -o /dev/null -H "$AUTH" -H 'Content-Type: application/json' \
    --data "{\"kind\":\"idea\",\"ids\":[$IDEA],\"decision\":\"publish\"}" \
    "$BASE/api/v1/moderation/decisions"
COMMENT=$(post "/api/v1/ideas/$IDEA/comments" '{"body":"Ein erster Kommentar."}')
curl -s -o /dev/null -H "$AUTH" -H 'Content-Type: application/json' \
    --data "{\"kind\":\"comment\",\"ids\":[$COMMENT],\"decision\":\"publish\"}" \
    "$BASE/api/v1/moderation/decisions"
# Flagged once already, so every flag the scan sends answers 200.
curl -s -o /dev/null -H "$AUTH" -H 'Content-Type: application/json' \
    --data '{"reason":"off-topic"}' "$BASE/api/v1/comments/$COMMENT/flags"
# A signed form stamp, as the submission form carries it.
STAMP=$(curl -s -H "$AUTH" "$BASE/ideen/neu?lang=de" |
    sed -n 's/.*name="form_stamp" value="\([^"]*\)".*/\1/p' | head -n 1)
[ -n "$STAMP" ] || { echo "scan: no form stamp on /ideen/neu"; exit 1; }
echo "ideas: published $IDEA (comment $COMMENT), pending $PENDING"

# A well-formed token that matches nothing; a session id nobody has.
NOTOKEN=scanscanscanscanscanscanscanscanscanscansca
NOSESSION=999999999
register scan-login@example.org
LOGIN="\"email\":\"scan-login@example.org\",\"password\":\"$PASSWORD\""
PW_FORM=$(echo "$PASSWORD" | sed 's/ /+/g')
# A cookie session of the administrator, for the cookie target.
COOKIE=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    --data "{\"email\":\"scan-admin@example.org\",\"password\":\"$PASSWORD\",\"kind\":\"cookie\"}" \
    "$BASE/api/v1/session" | tr -d '\r' |
    sed -n 's/^set-cookie: *\(mw_session=[^;]*\);.*/\1/Ip')
[ -n "$COOKIE" ] || { echo "scan: no cookie session"; exit 1; }

# HTML pages: the query string, the form bodies.
target page-index		-	GET	"/?lang=de"
target page-register		-	GET	"/registrieren?lang=de"
target page-login		-	GET	"/anmelden?lang=de"
target page-login-headers	reqheaders	GET	"/anmelden?lang=de*"
target page-reset-request	-	GET	"/passwort-vergessen?lang=de"
target page-verify		-	GET	"/bestaetigen?lang=de&token=$NOTOKEN"
target page-reset		-	GET	"/passwort-neu?lang=de&token=$NOTOKEN"
target page-account		auth	GET	"/konto?lang=de"
target page-account-cookie	cookie	GET	"/konto?lang=de"
target page-asset		-	GET	"/assets/style.css*?v=1*"
# The site's pages (issue 16): the legal texts, the accessibility
# feedback form (no stamp: refused before anything is sent), the admin's
# text and appearance forms and their JSON twins.
target page-impressum		-	GET	"/impressum?lang=de"
target page-site-css		-	GET	"/assets/site.css*?v=1*"
target page-admin-text		auth	GET	"/verwaltung/texte/impressum*?lang=de"
target form-a11y-feedback	blind	POST	"/barrierefreiheit?lang=de" form \
    "message=Eine+Barriere+auf+der+Karte&name=Scan&email=scan%40example.org&website=&form_stamp=1.x"
target form-admin-text		auth	POST	"/verwaltung/texte/gebaerdensprache*?lang=de" form \
    "de=%23+Geb%C3%A4rdensprache%0AText&en=%23+Sign+language%0AText"
target form-admin-branding	auth	POST	"/verwaltung/auftritt?lang=de" form \
    "site_name=mitwirken&city_name=Braunschweig&primary_colour=%23005a8c&link_colour=%23005a8c&sign_video_url=&a11y_contact="
target api-site-put		auth	PUT	"/api/v1/admin/site" json \
    '{"site_name":"mitwirken","city_name":"Braunschweig","primary_colour":"#005a8c"}'
target api-site-text-put	auth	PUT	"/api/v1/admin/site/texts/gebaerdensprache*" json \
    '{"en":"# Sign language\nText"}'
target form-register		blind,noheaders	POST	"/registrieren?lang=de" form \
    "email=scan-new-1%40example.org&password=$PW_FORM&pseudonym=scan-form-neu"
target form-login		-	POST	"/anmelden?lang=de" form \
    "email=scan-login%40example.org&password=$PW_FORM"
target form-reset-request	blind	POST	"/passwort-vergessen?lang=de" form \
    "email=scan-login%40example.org"
target form-verify		-	POST	"/bestaetigen?lang=de" form \
    "token=$NOTOKEN"
target form-reset		-	POST	"/passwort-neu?lang=de" form \
    "token=$NOTOKEN&password=$PW_FORM"
target form-pseudonym		auth	POST	"/konto/pseudonym?lang=de" form \
    "pseudonym=scan-admin-neu"
target form-session-end		auth	POST	"/konto/sitzungen/$NOSESSION*/beenden?lang=de*" \
    form "csrf_token=unused"
# Erasure needs confirm=ja, and the only administrator cannot be erased.
target form-erase		auth	POST	"/konto/loeschen?lang=de" form \
    "confirm=nein"
# Notification switches, and unsubscribing signed out.  A token that is
# not the server's MAC is refused before any query; a real one reaches
# SQL only as the account id and kind it was checked to name.
target page-notifications	auth	GET	"/konto/benachrichtigungen?lang=de&gespeichert=1"
target form-notifications	auth	POST	"/konto/benachrichtigungen?lang=de" form \
    "idea_decision=on&comment_reply=on&lang=de"
target page-unsubscribe		-	GET	"/abbestellen?lang=de&t=1.1.idea_status.$NOTOKEN"
target form-unsubscribe		-	POST	"/abbestellen?lang=de" form \
    "t=1.1.idea_status.$NOTOKEN&List-Unsubscribe=One-Click"

# The ideas pages.
target page-ideas		-	GET	"/ideen?lang=de&field=mobilitaet&district=mitte&status=submitted&goal=staedtische-ziele-umsetzen&q=Radweg&sort=newest&after=n.1.1&limit=20"
target page-idea		auth	GET	"/ideen/$IDEA*?lang=de*&after=0*"
target page-moderation		auth	GET	"/moderation?lang=de&tab=review&kind=idea&state=all&field=mobilitaet&district=demo-nord&age=3&sort=flags&after=0.1764709620000000.0.17&alle=1&erledigt=1&rueckgaengig=1"
target page-moderation-edit	auth	GET	"/moderation/ideen/$IDEA*/bearbeiten?lang=de*&gespeichert=1*"
target page-moderation-cedit	auth	GET	"/moderation/kommentare/$COMMENT*/bearbeiten?lang=de*"
target page-board		auth	GET	"/gremium?lang=de&field=mobilitaet"
target page-board-idea		auth	GET	"/gremium/ideen/$IDEA*?lang=de*"
target form-idea-new		auth	POST	"/ideen/neu?lang=de" form \
    "title=Sichere+Radwege+bauen&description=Breitere+und+sichere+Radwege+in+der+Stadt.&field=mobilitaet&goal-staedtische-ziele-umsetzen=on&district=mitte&lat=52.26&lon=10.52&form_stamp=$STAMP&website="
target form-idea-comment	auth	POST	"/ideen/$IDEA*/kommentare?lang=de*&after=0*" \
    form "body=Ein+Kommentar+dazu"
target form-idea-flag		auth	POST	"/ideen/$IDEA/melden?lang=de" form \
    "reason=spam&note=Werbung"
target form-comment-flag	auth	POST	"/kommentare/$COMMENT*/melden?idee=$IDEA*&lang=de*&after=0*" \
    form "reason=off-topic&note=passt+nicht"
target form-idea-status		auth	POST	"/ideen/$IDEA/status?lang=de" form \
    "status=under_review&justification=Wird+gepr%C3%BCft+vom+Amt."
target form-decision		auth	POST	"/moderation/entscheidungen?lang=de" form \
    "kind=idea&id-$PENDING=on&decision=reject&reason=spam&explanation=Werbung"
target form-decision-item	auth	POST	"/moderation/entscheidungen?lang=de&tab=review&kind=idea&sort=oldest&item=$PENDING" form \
    "kind=idea&id-$PENDING=on&decision=reject&reason=spam&explanation=Werbung"
target form-undo		auth	POST	"/moderation/entscheidungen/1*/rueckgaengig?lang=de*&tab=review*&kind=idea*" form \
    ""
target form-edit-idea		auth,changing	POST	"/moderation/ideen/$IDEA*/bearbeiten?lang=de*" form \
    "title=Sichere+Radwege+bauen&description=Breitere+und+sichere+Radwege+in+der+Stadt.&note=Tippfehler"
target form-edit-comment	auth,changing	POST	"/moderation/kommentare/$COMMENT*/bearbeiten?lang=de*" form \
    "body=Ein+gek%C3%BCrzter+Kommentar.&note=gek%C3%BCrzt"
target form-assess		auth	POST	"/gremium/ideen/$IDEA?lang=de" form \
    "score-strategie=2&score-nutzen=2&score-reife=1&score-daten=1&score-machbarkeit=3&comment=Gut"

# JSON API: query and path parameters, bodies, credentials.
target api-field		-	GET	"/api/v1/fields/energie*"
target api-categories		-	GET	"/api/v1/categories?department=stadtgruen"
target api-csp-report		-	POST	"/api/v1/csp-reports" json \
    '{"csp-report":{"document-uri":"http://127.0.0.1/","violated-directive":"img-src","blocked-uri":"http://example.org/x.png"}}'
target api-register		blind,noheaders	POST	"/api/v1/accounts" json \
    "{\"email\":\"scan-new-2@example.org\",\"password\":\"$PASSWORD\",\"pseudonym\":\"scan-api-neu\"}"
target api-verify		-	POST	"/api/v1/accounts/verify" json \
    "{\"token\":\"$NOTOKEN\"}"
# Failed sign-ins: after 10 for the address the answer is 429, cheaply
# and the same for every payload (the limit is the server's; each target
# has its own client address, X-Forwarded-For).
target api-session		xff	POST	"/api/v1/session" json \
    "{$LOGIN,\"kind\":\"bearer\"}"
# A successful sign-in stores the User-Agent: a fresh account, and each
# request is a sign-in with a hash.
register scan-agent@example.org
target api-session-agent	agent,blind	POST	"/api/v1/session" json \
    "{\"email\":\"scan-agent@example.org\",\"password\":\"$PASSWORD\",\"kind\":\"bearer\"}"
target api-reset-request	blind	POST	"/api/v1/password-reset" json \
    '{"email":"scan-login@example.org"}'
target api-reset-confirm	-	POST	"/api/v1/password-reset/confirm" json \
    "{\"token\":\"$NOTOKEN\",\"password\":\"$PASSWORD\"}"
target api-me			bearer	GET	"/api/v1/me"
target api-notifications-update	auth	PATCH	"/api/v1/me/notifications" json \
    '{"idea_status":true,"comment_reply":true,"lang":"de"}'
target api-me-update		auth	PATCH	"/api/v1/me" json \
    '{"pseudonym":"scan-admin-api"}'
target api-session-revoke	auth	DELETE	"/api/v1/me/sessions/$NOSESSION*"
target api-admin-accounts	auth	GET	"/api/v1/admin/accounts?role=admin&after=0&limit=50"
# sqlmap quotes the payload of a * in the path when the body is JSON: the
# path parameters are tested with a form body (which the API accepts
# too), the JSON body separately.
target api-role-grant		auth	PUT	"/api/v1/admin/accounts/$OTHER_ID*/roles/staff*" \
    form 'department=stadtgruen'
target api-role-grant-json	auth	PUT	"/api/v1/admin/accounts/$OTHER_ID/roles/staff" \
    json '{"department":"stadtgruen"}'
target api-role-revoke		auth	DELETE	"/api/v1/admin/accounts/$OTHER_ID*/roles/board*"
target api-ideas		-	GET	"/api/v1/ideas?field=mobilitaet&district=mitte&status=submitted&goal=staedtische-ziele-umsetzen&q=Radweg&sort=newest&limit=20"
target api-ideas-after		-	GET	"/api/v1/ideas?sort=supported&after=s.0.1&limit=20"
target api-ideas-geojson	-	GET	"/api/v1/ideas.geojson?field=mobilitaet&district=mitte&status=submitted&goal=staedtische-ziele-umsetzen&q=Radweg"
target api-ideas-similar	-	GET	"/api/v1/ideas/similar?q=Radwege+Innenstadt"
target api-idea			auth	GET	"/api/v1/ideas/$IDEA*?lang=de*"
target api-idea-comments	auth	GET	"/api/v1/ideas/$IDEA*/comments?after=0*&limit=50*"
target api-idea-create		auth,created	POST	"/api/v1/ideas" json "$IDEA_JSON"
# A staff entry with the citizen's consent code (a fresh code per run is
# not needed: an unknown one is refused by name, which is what is probed).
target api-idea-staff		auth	POST	"/api/v1/ideas" json \
    '{"title":"Sichere Radwege in der Innenstadt","description":"Breitere und sichere Radwege entlang der Hauptstrassen.","field":"mobilitaet","channel":"paper","citizen_code":"ABCDEFGH"}'
target api-idea-support		auth	POST	"/api/v1/ideas/$IDEA*/supports"
target api-idea-comment		auth,created	POST	"/api/v1/ideas/$IDEA/comments" json \
    "{\"body\":\"Noch ein Kommentar.\",\"parent_id\":$COMMENT}"
target api-idea-flag		auth	POST	"/api/v1/ideas/$IDEA/flags" json \
    '{"reason":"spam","note":"Werbung"}'
target api-comment-flag		auth,changing	POST	"/api/v1/comments/$COMMENT/flags" json \
    '{"reason":"off-topic","note":"passt nicht"}'
target api-idea-status		auth	POST	"/api/v1/ideas/$IDEA/status" json \
    '{"status":"under_review","justification":"Das Amt prüft die Idee."}'
target api-assessment		auth	PUT	"/api/v1/ideas/$IDEA/assessment" json \
    '{"scores":{"strategie":2,"nutzen":2,"reife":1,"daten":1,"machbarkeit":3},"comment":"Gut"}'
target api-assessments		auth	GET	"/api/v1/ideas/$IDEA*/assessments?lang=de*"
target api-ranking		auth	GET	"/api/v1/board/ranking?lang=de&field=mobilitaet"
target api-queue		auth	GET	"/api/v1/moderation/queue?kind=idea&state=all&field=mobilitaet&after=0&limit=50"
target api-decision		auth	POST	"/api/v1/moderation/decisions" json \
    "{\"kind\":\"idea\",\"ids\":[$PENDING],\"decision\":\"reject\",\"reason\":\"spam\",\"explanation\":\"Werbung\"}"
target api-undo			auth	POST	"/api/v1/moderation/decisions/1*/undo" json \
    '{}'
target api-edit-idea		auth,changing	PATCH	"/api/v1/moderation/ideas/$IDEA" json \
    '{"title":"Sichere Radwege bauen","note":"Titel gekürzt"}'
target api-edit-comment		auth,changing	PATCH	"/api/v1/moderation/comments/$COMMENT" json \
    '{"body":"Ein gekürzter Kommentar.","note":"gekürzt"}'
target api-moderation-log	auth	GET	"/api/v1/moderation/log?kind=idea&id=$IDEA&action=moderation.&before=1000000&limit=50"
target api-reasons		-	GET	"/api/v1/moderation/reasons?lang=de"
target api-settings		auth	PUT	"/api/v1/admin/settings" json \
    '{"moderation_mode":"pre","flag_threshold":3}'
target api-criterion		auth	PUT	"/api/v1/admin/criteria/scan" json \
    '{"name_de":"Prüfung","name_en":"Scan","weight":1,"position":9,"active":false}'
# The administration (/verwaltung, issue 16): its API additions and every
# form, on a retired district and criterion of the scan's own.
post /api/v1/admin/districts \
    '{"slug":"scan-bezirk","name":"Scan","number":"901","active":false}' >/dev/null
target api-field-put		auth	PUT	"/api/v1/admin/fields/energie" json \
    '{"name_de":"Energie","name_en":"Energy","description_de":"Scan","description_en":"Scan"}'
target api-goal-put		auth	PUT	"/api/v1/admin/goals/staedtische-ziele-umsetzen" json \
    '{"description_de":"Scan","description_en":"Scan"}'
target api-district-create	auth,created	POST	"/api/v1/admin/districts" json \
    '{"slug":"scan-neu","name":"Scan neu","number":"902","position":950,"active":false}'
target api-district-put		auth	PUT	"/api/v1/admin/districts/scan-bezirk*" form \
    'name=Scan&number=903&position=951&active=false'
target api-district-put-json	auth	PUT	"/api/v1/admin/districts/scan-bezirk" json \
    '{"name":"Scan","number":"903","position":951,"active":false}'
target page-admin		auth	GET	"/verwaltung?lang=de&done=settings-saved"
target page-admin-accounts	auth	GET	"/verwaltung/konten?lang=de&q=scan&after=0"
target page-admin-account	auth	GET	"/verwaltung/konten/$OTHER_ID*?lang=de*&done=role-granted*"
target form-admin-role-grant	auth	POST	"/verwaltung/konten/$OTHER_ID*/rollen?lang=de*" form \
    'role=board&department=&confirm=ja'
target form-admin-role-revoke	auth	POST	"/verwaltung/konten/$OTHER_ID*/rollen/entziehen?lang=de*" form \
    'role=board&confirm=ja'
target page-admin-taxonomy	auth	GET	"/verwaltung/taxonomie?lang=de&done=district-retired"
target page-admin-field		auth	GET	"/verwaltung/taxonomie/felder/energie*?lang=de*"
target form-admin-field		auth	POST	"/verwaltung/taxonomie/felder/energie*?lang=de*" form \
    'name_de=Energie&name_en=Energy&description_de=Scan&description_en=Scan'
target page-admin-goal		auth	GET	"/verwaltung/taxonomie/ziele/staedtische-ziele-umsetzen*?lang=de*"
target form-admin-goal		auth	POST	"/verwaltung/taxonomie/ziele/staedtische-ziele-umsetzen*?lang=de*" form \
    'name_de=Ziel&name_en=Goal&description_de=Scan&description_en=Scan'
target form-admin-district-add	auth	POST	"/verwaltung/taxonomie/bezirke?lang=de" form \
    'slug=scan-formular&name=Scan&number=904&position=952'
target page-admin-district	auth	GET	"/verwaltung/taxonomie/bezirke/scan-bezirk*?lang=de*"
target form-admin-district	auth	POST	"/verwaltung/taxonomie/bezirke/scan-bezirk*?lang=de*" form \
    'name=Scan&number=905&position=953'
target form-admin-district-active auth	POST	"/verwaltung/taxonomie/bezirke/scan-bezirk*/aktiv?lang=de*" form \
    'active=false&confirm=ja'
target page-admin-categories	auth	GET	"/verwaltung/kategorien?lang=de&done=category-saved"
target page-admin-category	auth	GET	"/verwaltung/kategorien/spielplatz*?lang=de*"
target form-admin-category	auth	POST	"/verwaltung/kategorien/spielplatz*?lang=de*" form \
    'name_de=Spielplatz&name_en=Playground&department=stadtgruen&field=energie&ack_days=2&resolve_days=14&active=true'
target page-admin-criteria	auth	GET	"/verwaltung/kriterien?lang=de&done=criterion-added"
target form-admin-criterion	auth	POST	"/verwaltung/kriterien/scan*?lang=de*" form \
    'name_de=Scan&name_en=Scan&weight=1&position=9'
target form-admin-criterion-new	auth	POST	"/verwaltung/kriterien?lang=de" form \
    'slug=scan-neu&name_de=Scan&name_en=Scan&weight=1&position=9'
target page-admin-settings	auth	GET	"/verwaltung/einstellungen?lang=de&done=settings-saved"
target form-admin-settings	auth	POST	"/verwaltung/einstellungen?lang=de" form \
    'moderation_mode=pre&flag_threshold=3&stats_k=5&stats_k_internal=3&strategy_adopted_on=&evaluation_first_months=12&evaluation_every_months=12&opendata_license=dl-de%2Fby-2-0&population_age='
target page-admin-open311	auth	GET	"/verwaltung/open311?lang=de&done=key-revoked"
# The key form spends its stamp: the first send issues a key, the rest are
# refused as sent again (409), which still shows every parameter's effect.
KEYSTAMP=$(curl -s -H "$AUTH" "$BASE/verwaltung/open311?lang=de" |
    sed -n 's/.*name="form_stamp" value="\([^"]*\)".*/\1/p' | head -n 1)
[ -n "$KEYSTAMP" ] || { echo "scan: no form stamp on /verwaltung/open311"; exit 1; }
target form-admin-open311	auth,changing	POST	"/verwaltung/open311?lang=de" form \
    "name=Scan-Formular&form_stamp=$KEYSTAMP"
target form-admin-open311-revoke auth	POST	"/verwaltung/open311/999999*/widerrufen?lang=de*" form \
    'confirm=ja'

# Surveys, created and opened by the administrator as planner: one open
# to anyone with published results (and a response, so the results have
# something to count), one for accounts (forms and drafts), one draft
# taking access codes (edits and codes).  sqlmap tests every JSON value,
# and a definition's strings reach PostgreSQL only inside one jsonb
# parameter after survey_parse: the bodies below carry one short
# definition and few answers, so that the time goes to the values the SQL
# reads one by one (title, access, times, tags, district, codes).
SURVEY_DEF='{"title":{"default":"Umfrage zum Radverkehr"},"pages":[{"name":"p1","elements":[{"type":"radiogroup","name":"mode","choices":["bus","rad"]},{"type":"text","name":"idea"}]}]}'
SURVEY_TAGS='"fields":["mobilitaet"],"districts":["mitte"],"goals":["staedtische-ziele-umsetzen"]'
SURVEY_ANSWERS='{"mode":"rad","idea":"Ein Radweg"}'
survey() {	# survey ACCESS [STEP...]: the id of a new survey after the steps
	sid=$(post /api/v1/surveys "{\"definition\":$SURVEY_DEF,\"access\":\"$1\",\"results_public\":true,$SURVEY_TAGS}") ||
	    { echo "$sid" >&2; exit 1; }
	shift
	for step in "$@"; do
		code=$(curl -s -o "$SCAN/post.json" -w '%{http_code}' -X POST -H "Content-Length: 0" \
		    -H "$AUTH" "$BASE/api/v1/surveys/$sid/$step")
		[ "$code" = 200 ] || { echo "scan: $step survey $sid answered" \
		    "$code:" >&2; cat "$SCAN/post.json" >&2; exit 1; }
	done
	echo "$sid"
}
SURVEY=$(survey open open) || exit 1
SURVEY_ACCOUNT=$(survey account open) || exit 1
SURVEY_DRAFT=$(survey codes) || exit 1
# A saved draft to read back (the other draft targets change or delete
# theirs).
SURVEY_SAVED=$(survey account open) || exit 1
code=$(curl -s -o "$SCAN/post.json" -w '%{http_code}' -X PUT -H "$AUTH" \
    -H 'Content-Type: application/json' --data "{\"answers\":$SURVEY_ANSWERS,\"page\":0}" \
    "$BASE/api/v1/surveys/$SURVEY_SAVED/draft")
[ "$code" = 200 ] ||
    { echo "scan: saving a survey draft answered $code:"; cat "$SCAN/post.json"; exit 1; }
code=$(curl -s -o "$SCAN/post.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data "{\"answers\":$SURVEY_ANSWERS}" "$BASE/api/v1/surveys/$SURVEY/responses")
[ "$code" = 201 ] ||
    { echo "scan: a survey response answered $code:"; cat "$SCAN/post.json"; exit 1; }
echo "surveys: open $SURVEY, for accounts $SURVEY_ACCOUNT and $SURVEY_SAVED (a saved draft), draft $SURVEY_DRAFT"

target api-surveys		auth	GET	"/api/v1/surveys?lang=de&status=open&after=1000000&limit=50"
target api-survey		auth	GET	"/api/v1/surveys/$SURVEY*?lang=de*"
target api-survey-create	auth,created	POST	"/api/v1/surveys" json \
    "{\"definition\":$SURVEY_DEF,\"title\":\"Umfrage\",\"access\":\"open\",\"opens_at\":\"2030-01-01T08:00:00Z\",\"closes_at\":\"2030-02-01T08:00:00+01:00\",$SURVEY_TAGS}"
# Each edit bumps the version the answer carries.
target api-survey-update	auth,changing	PUT	"/api/v1/surveys/$SURVEY_DRAFT" json \
    "{\"definition\":$SURVEY_DEF,\"title\":\"Umfrage neu\",\"access\":\"codes\",\"results_public\":false,$SURVEY_TAGS}"
target api-survey-copy		auth,created	POST	"/api/v1/surveys/$SURVEY*/copy?lang=de*"
# Already open: the same 409 whatever is sent (close takes the same path).
target api-survey-open		auth	POST	"/api/v1/surveys/$SURVEY*/open?lang=de*"
# Anyone may answer the open survey; without its cookie every request is
# a new browser, so each stores a response (201).
target api-survey-respond	created	POST	"/api/v1/surveys/$SURVEY/responses" json \
    "{\"answers\":$SURVEY_ANSWERS,\"district\":\"mitte\"}"
# Staff entering a paper form with a citizen's consent code (unknown:
# refused by name), and an access code.
target api-survey-respond-staff	auth	POST	"/api/v1/surveys/$SURVEY_ACCOUNT/responses" json \
    '{"answers":{"mode":"bus"},"channel":"paper","citizen_code":"ABCDEFGH","district":"mitte"}'
target api-survey-respond-code	-	POST	"/api/v1/surveys/$SURVEY_DRAFT/responses" json \
    '{"answers":{"mode":"bus"},"access_code":"ABCD-EFGH-JK"}'
target api-survey-draft		auth	GET	"/api/v1/surveys/$SURVEY_SAVED*/draft"
target api-survey-draft-put	auth,changing	PUT	"/api/v1/surveys/$SURVEY_ACCOUNT/draft" json \
    "{\"answers\":$SURVEY_ANSWERS,\"page\":0}"
# A survey without the administrator's draft: the same 404 each time (a
# draft that is there answers 200 once, then 404: "heavily dynamic").
target api-survey-draft-delete	auth	DELETE	"/api/v1/surveys/$SURVEY_DRAFT*/draft"
# Left out: POST /api/v1/surveys/{id}/codes.  Its answer is new random
# codes every time, which sqlmap cannot compare ("heavily dynamic"), and
# its inputs are the id, an enum and an integer checked before any query;
# the codes are made and hashed in C, the SQL gets only their hashes.
target api-survey-results	-	GET	"/api/v1/surveys/$SURVEY*/results?lang=de*&channel=online*&district=mitte*"
# The respondent pages.
target page-surveys		-	GET	"/umfragen?lang=de"
target page-survey		-	GET	"/umfragen/$SURVEY*?lang=de*"
target page-survey-account	auth	GET	"/umfragen/$SURVEY_ACCOUNT*?lang=de*"
target page-survey-results	-	GET	"/umfragen/$SURVEY*/ergebnisse?lang=de*&channel=online*&district=mitte*"
target page-survey-js		-	GET	"/umfragen/$SURVEY*/interaktiv?lang=de*"
# The plain form: "next" checks the page and saves a draft (signed in);
# "submit" on the open survey stores the administrator's one response
# and then answers "already answered" the same way each time.
target form-survey		auth	POST	"/umfragen/$SURVEY_ACCOUNT*?lang=de*" form \
    "page=0&action=next&q_mode=rad&q_idea=Ein+Radweg"
target form-survey-submit	auth	POST	"/umfragen/$SURVEY?lang=de" form \
    "page=0&action=submit&q_mode=rad&q_idea=Ein+Radweg&access_code="

# Defect reports: one to read and write to (anonymous, with its status
# token and a photo put in the database, as uploads are the upload
# pipeline's), one in progress and one resolved, so that the workflow
# targets get the same 409 whatever they send (the values reach the SQL
# function before it checks the step).
DEFECT_JSON='{"category":"strassenschaden","lat":52.2645,"lon":10.5236,"address":"Bohlweg 1","district":"mitte","description":"Ein tiefes Schlagloch mitten auf der Fahrbahn.","attributes":{"depth":12,"size":"medium"},"email":"scan-melder@example.org","notify":true}'
defect() {	# defect: "<id> <status token>" of a new anonymous report
	code=$(curl -s -o "$SCAN/post.json" -w '%{http_code}' \
	    -H 'Content-Type: application/json' --data "$DEFECT_JSON" \
	    "$BASE/api/v1/defects")
	[ "$code" = 201 ] || { echo "scan: a defect report answered $code:" >&2
	    cat "$SCAN/post.json" >&2; exit 1; }
	json "$SCAN/post.json" '`${j.defect.id} ${j.status_token}`'
}
defect_status() {	# defect_status ID STATUS
	code=$(curl -s -o "$SCAN/post.json" -w '%{http_code}' -H "$AUTH" \
	    -H 'Content-Type: application/json' \
	    --data "{\"status\":\"$2\",\"note\":\"Eine Notiz zum Stand der Dinge.\"}" \
	    "$BASE/api/v1/defects/$1/status")
	[ "$code" = 200 ] || { echo "scan: $2 defect $1 answered $code:"
	    cat "$SCAN/post.json"; exit 1; }
}
set -- $(defect) && DEFECT=$1 DEFECT_TOKEN=$2
set -- $(defect) && DEFECT_WORK=$1
set -- $(defect) && DEFECT_DONE=$1
[ -n "$DEFECT_DONE" ] || exit 1
defect_status "$DEFECT_WORK" in_progress
defect_status "$DEFECT_DONE" resolved
DEFECT_PHOTO=$(psql -X -qtA -v ON_ERROR_STOP=1 "$DATABASE_URL" -c "INSERT INTO \
    defect_photos (report_id, position, image, thumb, width, height, \
    thumb_width, thumb_height) VALUES ($DEFECT, 1, '\\xffd8ffd9', \
    '\\xffd8ffd9', 16, 16, 16, 16) RETURNING id" | head -n 1)
[ -n "$DEFECT_PHOTO" ] || exit 1
set --
echo "defects: $DEFECT (photo $DEFECT_PHOTO), in progress $DEFECT_WORK, resolved $DEFECT_DONE"

target api-defects		-	GET	"/api/v1/defects?lang=de&category=strassenschaden&status=unresolved&district=mitte&department=tiefbau-und-verkehr&after=1000000&limit=20"
target api-defects-geojson	-	GET	"/api/v1/defects.geojson?lang=de&bbox=10.40,52.20,10.65,52.33&category=strassenschaden&status=open&after=1&limit=500"
target api-defects-nearby	-	GET	"/api/v1/defects/nearby?category=strassenschaden&lat=52.2645&lon=10.5236"
target api-defect		auth	GET	"/api/v1/defects/$DEFECT*?lang=de*"
# Each report is new (201, a new id and token).  Anonymous with a
# follow-up address; staff on a citizen's behalf (an unknown consent code
# is refused by name); a form signed in (bearer: no form CSRF pair).
target api-defect-create	created	POST	"/api/v1/defects" json "$DEFECT_JSON"
target api-defect-create-staff	auth	POST	"/api/v1/defects" json \
    '{"category":"graffiti","address":"Bohlweg 1","description":"Schmiererei an der Hauswand am Eingang.","channel":"phone","citizen_code":"ABCDEFGH"}'
target api-defect-create-form	auth,created	POST	"/api/v1/defects" form \
    "category=strassenschaden&lat=52.2645&lon=10.5236&address=Bohlweg+1&district=mitte&description=Ein+tiefes+Schlagloch+auf+der+Fahrbahn.&attribute-size=medium&notify=1"
target api-defect-support	auth	POST	"/api/v1/defects/$DEFECT*/supports"
# In progress already, with this department already, open (nothing to
# confirm), closed (no duplicate or hand-over any more): 409 each time.
target api-defect-status	auth	POST	"/api/v1/defects/$DEFECT_WORK/status?lang=de" json \
    '{"status":"in_progress","note":"Der Bautrupp ist unterwegs."}'
target api-defect-status-closing	auth	POST	"/api/v1/defects/$DEFECT_DONE/status" json \
    "{\"status\":\"duplicate\",\"note\":\"Gibt es schon einmal.\",\"duplicate_of\":$DEFECT}"
target api-defect-status-forward	auth	POST	"/api/v1/defects/$DEFECT_DONE/status" form \
    "status=not_responsible&note=Die+Strasse+ist+Landessache.&forwarded_to=Landesstrassenbau"
target api-defect-department	auth	POST	"/api/v1/defects/$DEFECT_WORK/department" json \
    '{"department":"tiefbau-und-verkehr","note":"Bleibt bei uns, wie gehabt."}'
target api-defect-message	auth,created	POST	"/api/v1/defects/$DEFECT/messages" json \
    '{"body":"Wie tief ist das Loch etwa?"}'
target api-defect-message-token	created	POST	"/api/v1/defects/$DEFECT/messages" json \
    "{\"body\":\"Etwa zehn Zentimeter tief.\",\"token\":\"$DEFECT_TOKEN\"}"
target api-defect-feedback	-	POST	"/api/v1/defects/$DEFECT/feedback" json \
    "{\"action\":\"reopen\",\"note\":\"Das Loch ist immer noch da.\",\"token\":\"$DEFECT_TOKEN\"}"
target api-defect-photo		-	GET	"/api/v1/defects/$DEFECT*/photos/1*?size=thumb*&token=$DEFECT_TOKEN*"
target api-defect-by-token	-	GET	"/api/v1/defect-status/$DEFECT_TOKEN*?lang=de*"
# Erasing an erased address answers the same again.
target api-defect-email-erase	-	DELETE	"/api/v1/defect-status/$DEFECT_TOKEN*/email"
target api-staff-defects	auth	GET	"/api/v1/staff/defects?lang=de&department=tiefbau-und-verkehr&status=all&category=strassenschaden&overdue=true&after=q.1.1&limit=50"
target api-moderation-defects	auth	GET	"/api/v1/moderation/defects?limit=50"
target api-defect-photo-decision	auth	POST	"/api/v1/moderation/defect-photos/$DEFECT_PHOTO" json \
    '{"decision":"publish"}'

# Defect pages: the list's filters, the form's second step (its query
# carries step one), the form itself, the reporter's page and its forms,
# the department's queue and forms.  The form's two pages leave out the
# headers (noheaders): each of their answers runs the nearby search, and
# with the headers they ran past the 900 s a target gets; the form's
# attributes go through the statement api-defect-create-form tests.
target page-defects		-	GET	"/maengel?lang=de&category=strassenschaden&status=open&district=mitte&after=1000000"
target page-defect-new		noheaders	GET	"/maengel/neu?lang=de&schritt=2&category=strassenschaden&lat=52%2C2645&lon=10%2C5236&address=Bohlweg"
target form-defect-new		auth,noheaders	POST	"/maengel/neu?lang=de" form \
    "form_stamp=$STAMP&website=&category=strassenschaden&lat=52%2C2645&lon=10%2C5236&address=Bohlweg+1&description=Ein+tiefes+Schlagloch+auf+der+Fahrbahn."
target page-defect-status	-	GET	"/maengel/status/$DEFECT_TOKEN*?lang=de*"
target form-defect-message	-	POST	"/maengel/status/$DEFECT_TOKEN*/nachricht?lang=de*&id=$DEFECT*" \
    form "body=Eine+Antwort+an+den+Fachbereich.&token=$DEFECT_TOKEN"
target page-staff-queue		auth	GET	"/fachbereich?lang=de&status=all&category=strassenschaden&overdue=1&department=tiefbau-und-verkehr&after=1"
target form-staff-status	auth	POST	"/fachbereich/maengel/$DEFECT_WORK?lang=de" form \
    "status=resolved&note=Das+Loch+ist+verfuellt+und+asphaltiert.&duplicate_of=&forwarded_to="

# Open311: the list's filters, one request, a service, a token, and a new
# request from a client with an API key (its own POST answers 200).
OPEN311_KEY=$(curl -s -H "$AUTH" -H 'Content-Type: application/json' \
    --data '{"name":"Scan"}' "$BASE/api/v1/admin/open311-keys" |
    sed -n 's/.*"key":"\([^"]*\)".*/\1/p')
[ -n "$OPEN311_KEY" ] || { echo "scan: no Open311 key"; exit 1; }
OPEN311_TOKEN=$(psql -X -qtA -v ON_ERROR_STOP=1 "$DATABASE_URL" -c \
    "SELECT open311_token FROM defect_reports WHERE id = $DEFECT")
target open311-requests		-	GET	"/open311/v2/requests.json?service_code=strassenschaden&start_date=2026-01-01T00:00:00Z&end_date=2026-03-01T00:00:00%2B01:00&status=open&page=1&page_size=100"
target open311-requests-ids	-	GET	"/open311/v2/requests.xml?service_request_id=$DEFECT,$DEFECT_WORK"
target open311-request		-	GET	"/open311/v2/requests/$DEFECT*.json"
target open311-service		-	GET	"/open311/v2/services/strassenschaden*.xml"
target open311-token		-	GET	"/open311/v2/tokens/$OPEN311_TOKEN*.json"
target open311-post		changing	POST	"/open311/v2/requests.json" form \
    "api_key=$OPEN311_KEY&service_code=strassenschaden&lat=52.2645&long=10.5236&address_string=Bohlweg+2&description=Schlagloch+aus+der+App.&attribute%5Bdepth%5D=12&attribute%5Bsize%5D=small&email=scan-app%40example.org&first_name=Erika&last_name=Muster&phone=0531123&media_url=https%3A%2F%2Fexample.org%2Fa.jpg"

# The project registry: the planner's Steckbrief form (every field, the
# fields of action as checkboxes; each success is a new project, and the
# list it leads to changes) and the measurement form of a manual
# criterion (the first success takes the date, then 409 each time).
PROJECT=$(post /api/v1/projects '{"title_de":"Digitale Parkraumsteuerung","summary_de":"Sensoren zeigen freie Parkplaetze in der Innenstadt an.","fields":["mobilitaet"]}') || exit 1
CRITERION=$(post "/api/v1/projects/$PROJECT/criteria" '{"name_de":"Freie Plaetze gefunden","unit":"%","baseline":20,"baseline_on":"2026-01-01","target":60,"target_on":"2026-12-31"}') || exit 1
echo "projects: $PROJECT with criterion $CRITERION"
target form-project-new		auth,changing	POST	"/planung/projekte/neu?lang=de" form \
    "title_de=Digitale+Parkraumsteuerung&title_en=Digital+parking&summary_de=Sensoren+zeigen+freie+Parkplaetze+an.&summary_en=Sensors+show+free+spaces.&department=stadtgruen&partners=Verkehrsbetriebe&starts_on=2026-01-01&ends_on=2027-12-31&budget_eur=250000%2C50&field-mobilitaet=on&goal-staedtische-ziele-umsetzen=on&idea_ids=$IDEA&survey_ids=$SURVEY"
target form-project-measurement	auth	POST	"/planung/projekte/$PROJECT*/kriterien/$CRITERION*/messungen?lang=de*" \
    form "value=4%2C5&measured_on=2026-02-01&note=Zaehlung+im+Februar"

# The board's project pages: the assessment form (scores per criterion of
# the strategy and a comment) and the selection decision (the first
# success decides the project, then 409 each time: its own project, so
# the assessment form's project stays open); the ranking's filter.
DECIDED=$(post /api/v1/projects '{"title_de":"Offenes WLAN am Bahnhof","summary_de":"Kostenloses WLAN fuer Reisende am Hauptbahnhof.","fields":["digitale-infrastruktur"]}') || exit 1
target page-board-projects	auth	GET	"/gremium/projekte?lang=de&field=mobilitaet"
target form-project-assess	auth	POST	"/gremium/projekte/$PROJECT*?lang=de*" form \
    "score-buergernutzen=3&score-kosten-nutzen=2&score-strategische-wirkung=2&score-aussenwirkung=1&comment=Guter+Ansatz"
target form-project-decide	auth,changing	POST	"/gremium/projekte/$DECIDED*/entscheidung?lang=de*" \
    form "decision=selected&reason=Hoher+Buergernutzen+bei+vertretbaren+Kosten."

# The optional age band in the profile, and the statistics: the forum
# dashboard's filters (page, JSON, CSV), the inclusion monitor.
target form-age-band		auth	POST	"/konto/altersgruppe?lang=de" form \
    "age_band=30-44"
target page-stats		noheaders	GET	"/statistik?lang=de&from=2025-01&to=2026-12&field=mobilitaet&district=mitte"
target page-stats-fields		noheaders	GET	"/statistik/handlungsfelder?lang=de&from=2025-01&to=2026-12&district=mitte"
target api-stats		-	GET	"/api/v1/stats/dashboard?from=2025-01&to=2026-12&field=mobilitaet&district=mitte"
target api-stats-csv		-	GET	"/api/v1/stats/dashboard.csv?from=2025-01&to=2026-12&field=mobilitaet"
target api-stats-internal	auth	GET	"/api/v1/stats/dashboard?from=2025-01&to=2026-12&internal=1"
target api-inclusion		-	GET	"/api/v1/stats/inclusion?from=2025-01&to=2026-12"

# Open data (the catalogue's dataset names are path segments) and the
# planners' evaluation report with its period.
target api-opendata-ideas	-	GET	"/api/v1/opendata/ideas*.csv"
target api-opendata-criteria	-	GET	"/api/v1/opendata/criteria*.json"
target api-evaluation		auth	GET	"/api/v1/evaluation?from=2025-01-01&to=2025-12-31&format=csv"
target page-evaluation		auth	GET	"/planung/auswertung?lang=de&from=2025-01-01&to=2025-12-31"

# Bounded in time: time-based tests wait 1 s (PostgreSQL's pg_sleep is
# exact); PostgreSQL payloads only (the one database mitwirken runs on;
# the DBMS-independent boolean, UNION and parameter-replace tests still
# run); UNION tests up to 20 columns (no query selects more than 8; the
# length limits of parameters made sqlmap's ORDER BY probe "find" 99
# columns and spend minutes there); no WAF probe, no proxy.  Nothing but
# detection: no enumeration, --os-*, --file-* or any option that reads or
# writes on the server.  401 (a failed sign-in) and 404 (a session or
# role that is not there) are answers like any other, not a reason to
# stop.  The server's cookies are not taken up: a form sign-in would turn
# the scanner into a cookie session, whose posts then fail the CSRF check.
SQLMAP_OPTS="--batch --level=5 --risk=3 --dbms=PostgreSQL --time-sec=1
--union-cols=1-20 --timeout=20 --retries=1 --threads=4 --ignore-proxy
--skip-waf --drop-set-cookie --ignore-code=401,404 --disable-coloring
--flush-session"

redact() {	# the session tokens stay out of the logs
	sed -e "s/$TOKEN/<token>/g" -e "s/$COOKIE/mw_session=<token>/g" \
	    -e "s/$OPEN311_KEY/<open311 key>/g"
}

# sqlmap_run N NAME FLAGS METHOD PATH TYPE DATA: one sqlmap run, its
# output in $SCAN/sqlmap/NAME.log and $SCAN/sqlmap/NAME/.
sqlmap_run() {
	n=$1 name=$2 flags=$3 method=$4 path=$5 type=$6 data=$7
	n=$((n % 250 + 1))
	# A fixed request id: the server's own differs in every answer, and
	# sqlmap's page comparison took that noise for a difference.
	rid=scan-$name xff=10.0.0.$n
	# shellcheck disable=SC2086
	set -- $SQLMAP_OPTS -u "$BASE$path" --method="$method" \
	    --output-dir="$SCAN/sqlmap/$name"
	case ",$flags," in
	*,auth,*) set -- "$@" -H "$AUTH" ;;
	*,bearer,*) set -- "$@" -H "$AUTH*" ;;
	*,cookie,*) set -- "$@" --cookie="$COOKIE" ;;
	esac
	case ",$flags," in
	*,reqheaders,*) rid="$rid*"	# (sqlmap ignores a * after ";q=")
		set -- "$@" -H "Accept-Language: en*" ;;
	esac
	case ",$flags," in
	*,xff,*) xff="$xff*" ;;
	esac
	set -- "$@" -H "X-Request-Id: $rid" -H "X-Forwarded-For: $xff"
	case ",$flags," in
	*,agent,*) set -- "$@" -p User-Agent ;;
	*,noheaders,*) set -- "$@" --skip=User-Agent,Referer,Host ;;
	esac
	# Answers that differ from one request to the next whatever the
	# payload (a new id each time, a revision count): compare by status
	# code, which a payload that changed the query would change.
	case ",$flags," in
	*,created,*) set -- "$@" --code=201 ;;
	*,changing,*) set -- "$@" --code=200 ;;
	esac
	case ",$flags," in
	*,blind,*) set -- "$@" --technique=EST ;;
	*) set -- "$@" --technique=BEUSTQ ;;
	esac
	case "$type" in
	json) set -- "$@" --data="$data" \
	    -H "Content-Type: application/json" ;;
	form) set -- "$@" --data="$data" \
	    -H "Content-Type: application/x-www-form-urlencoded" ;;
	esac
	echo "sqlmap $*" | redact >"$SCAN/sqlmap/$name.log"
	# Its own session (setsid), so the cleanup can stop it; no terminal:
	# sqlmap must never wait for an answer.  A run that takes 15 minutes
	# has gone wrong: it is stopped, and fails the scan (no end in its
	# log).
	TERM=dumb HOME=$SCAN/home setsid timeout 900 sqlmap "$@" </dev/null \
	    >>"$SCAN/sqlmap/$name.log" 2>&1 &
	echo $! >"$SCAN/sqlmap-$lane.pgid"
	wait $!
	rm -f "$SCAN/sqlmap-$lane.pgid"
}

selected() {	# selected NAME: is NAME in SCAN_ONLY (or SCAN_ONLY unset)?
	[ -z "$ONLY" ] && return 0
	case ",$ONLY," in *",$1,"*) return 0 ;; esac
	return 1
}

# lane I: runs targets, taking the next one from a shared counter, until
# none is left.  JOBS lanes run at once.
lane() {
	lane=$1
	while :; do
		i=$( (flock 8; c=$(cat "$QUEUE"); echo $((c + 1)) >"$QUEUE"
		    echo "$c") 8>"$QUEUE.lock")
		line=$(sed -n "${i}p" "$TARGETS")
		[ -n "$line" ] || break
		IFS=$tab read -r name flags method path type data <<-EOT
		$line
		EOT
		selected "$name" || continue
		echo "  $method $path ($name)"
		sqlmap_run "$i" "$name" "$flags" "$method" "$path" "$type" \
		    "$data"
	done
}

tab=$(printf '\t')
QUEUE=$SCAN/sqlmap/queue
echo 1 >"$QUEUE"
sq_started=$(date +%s)
echo "== sqlmap ($(wc -l <"$TARGETS") targets, $JOBS at a time)"
lanes=""
l=0
while [ "$l" -lt "$JOBS" ]; do
	l=$((l + 1))
	lane "$l" &
	lanes="$lanes $!"
done
# shellcheck disable=SC2086
wait $lanes
lanes=""
sq_seconds=$(($(date +%s) - sq_started))
echo "sqlmap done in ${sq_seconds}s"

# --- wapiti ------------------------------------------------------------------
# The HTML pages, crawled from / and attacked by the modules sql, xss,
# exec and crlf: once anonymously, once signed in (bearer token, so the
# forms need no CSRF token).  The crawler submits the forms it finds, so
# the signed-in run leaves out those that would end its own session or
# account.  The pages reached only from mails are added as start URLs.
#
# Wapiti must talk to nothing but the server: the scope is the server's
# folder /, crash reports are off, its Wappalyzer database (which it would
# otherwise download from GitHub when any module loads) is an empty local
# file, and any other address would go to a dead local proxy.  It runs
# through tests/scan/wapiti.py, which repairs -x on Python 3.11 and
# disables that download for good.
WAPITI_MODULES=sql,xss,exec,crlf
wapiti_run() {	# wapiti_run NAME N [wapiti options]: N picks the address
	name=$1 n=$2
	shift 2
	dir=$SCAN/wapiti/$name
	mkdir -p "$dir/session" "$dir/config"
	echo '{}' >"$dir/config/apps.json"
	echo "wapiti $*" | redact >"$dir.log"
	HOME=$SCAN/home http_proxy=http://127.0.0.1:9 \
	    https_proxy=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 \
	    HTTPS_PROXY=http://127.0.0.1:9 no_proxy=127.0.0.1 \
	    NO_PROXY=127.0.0.1 setsid timeout 600 \
	    /usr/bin/python3 tests/scan/wapiti.py \
	    -u "$BASE/" --scope folder \
	    -m "$WAPITI_MODULES" --flush-session --no-bugreport \
	    --store-session "$dir/session" --store-config "$dir/config" \
	    -t 5 --max-scan-time 240 --max-attack-time 60 \
	    -H "X-Forwarded-For: 10.0.1.$n" -f json -o "$dir.json" -v 1 \
	    "$@" </dev/null >>"$dir.log" 2>&1 &
	echo $! >"$SCAN/wapiti.pgid"
	wait $!
	rm -f "$SCAN/wapiti.pgid"
}
if selected wapiti; then
	wp_started=$(date +%s)
	echo "== wapiti ($WAPITI_MODULES)"
	echo "  anonymous, from /"
	wapiti_run anonymous 1 \
	    -s "$BASE/bestaetigen?lang=de&token=$NOTOKEN" \
	    -s "$BASE/passwort-neu?lang=de&token=$NOTOKEN"
	echo "  signed in, from /konto"
	wapiti_run signed-in 2 -H "$AUTH" -s "$BASE/konto?lang=de" \
	    -x "$BASE/abmelden*" -x "$BASE/konto/loeschen*" \
	    -x "$BASE/konto/sitzungen/*"
	wp_seconds=$(($(date +%s) - wp_started))
	echo "wapiti done in ${wp_seconds}s"
fi

# --- verdict -----------------------------------------------------------------
# The server must have survived all of it.  Then it is stopped, so that
# its log is complete before it is read.
alive=1
curl -sf --max-time 10 "$BASE/healthz" >/dev/null 2>&1 || alive=0
wedged=$(kore_wedged "$kpid")
kore_stop "$kpid"
kpid=""
ran=""
while IFS=$tab read -r name rest; do
	selected "$name" && ran="$ran $name"
done <"$TARGETS"
echo
# shellcheck disable=SC2086
/usr/bin/python3 tests/scan/report.py "$SCAN" "$TARGETS" \
    "$(($(date +%s) - started))" "$sq_seconds" "${wp_seconds:-0}" $ran
rc=$?
if [ "$alive" -eq 0 ]; then
	echo "FAIL the server no longer answered /healthz after the scans"
	rc=1
fi
if [ -n "$wedged" ]; then
	echo "FAIL a Kore worker's main thread was killed (seccomp?): pid" $wedged
	rc=1
fi
exit "$rc"
