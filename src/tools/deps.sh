#!/bin/sh
# Installs the Debian packages mitwirken builds, runs and tests with, plus
# any given as arguments (make fuzz adds clang).  As root it installs what
# is missing; otherwise it prints the apt-get line.
set -eu

# libcurl is the mailer's SMTP client; python3-aiosmtpd and openssl give
# the tests a real relay with STARTTLS and AUTH (tests/http/smtp.test.mjs);
# wngerman and wamerican are the word lists passwords are checked against;
# libjpeg-turbo, libpng and libexif decode and re-encode uploaded photos.
PKGS="build-essential pkg-config kore libsodium-dev libcjson-dev libpq-dev
postgresql postgresql-contrib postgresql-client wrk curl ca-certificates
libcurl4-openssl-dev python3-aiosmtpd openssl valgrind wngerman wamerican
libjpeg62-turbo-dev libpng-dev libexif-dev $*"
# Node.js with npm runs the HTTP tests; some machines carry a newer build of
# the nodejs package that bundles npm (and conflicts with Debian's npm).
command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs"
command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
	echo "deps: missing Debian packages; run as root:"
	echo "  apt-get install -y$missing"
	exit 1
fi
